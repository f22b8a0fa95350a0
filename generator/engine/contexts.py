"""What a model's train(config, ctx) and a figure's render(ctx) get besides their config: named
random streams, the models they were given, the page's language and a place for numbers."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from generator.engine import seeding
from generator.engine.artifacts import Artifact


@dataclass
class ModelContext:
    """What a model's train(config, ctx) function gets besides its config."""

    name: str
    smoke: bool
    quiet: bool = False
    models: dict[str, Artifact] = field(default_factory=dict)  # the models it `needs`

    def model(self, name: str) -> Artifact:
        return self.models[name]

    def stream(self, purpose: str) -> np.random.Generator:
        return seeding.numpy_stream(f"model/{self.name}/{purpose}")

    def seed(self, purpose: str) -> int:
        return seeding.integer_seed(f"model/{self.name}/{purpose}")

    def torch_stream(self, purpose: str):
        """A seeded torch.Generator; asking for one also makes torch deterministic."""
        seeding.make_torch_deterministic()
        return seeding.torch_stream(f"model/{self.name}/{purpose}")

    def progress(self, iterable, description: str, total: int | None = None):
        from tqdm import tqdm

        return tqdm(iterable, desc=f"  {self.name}: {description}", total=total,
                    leave=False, disable=True if self.quiet else None)  # None: only on a terminal


@dataclass
class FigureContext:
    """What a figure's render(ctx) function gets: its language, models and a place for numbers."""

    name: str
    lang: str | None
    smoke: bool
    models: dict[str, Artifact]
    metrics: dict = field(default_factory=dict)
    narrow: bool = False  # True when rendering the phone layout of a narrow=True figure
    shared: dict = field(default_factory=dict)  # one per figure, kept across its renderings

    def once(self, key: str, compute):
        """compute() the first time this figure asks for `key`; the same value for every later
        rendering (each language and layout), so measurements run once, not four times."""
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]

    def text(self, ko: str, en: str) -> str:
        """The words of a label in this figure's language."""
        return en if self.lang == "en" else ko

    def stream(self, purpose: str) -> np.random.Generator:
        return seeding.numpy_stream(f"figure/{self.name}/{purpose}")

    def model(self, name: str) -> Artifact:
        return self.models[name]
