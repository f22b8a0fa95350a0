"""The one place that trains models, renders figures and writes them to disk.

build() walks the selected figures; for each it computes a key from everything the figure
depends on, skips it when figures/manifest.json already records that key with intact files,
and otherwise loads or trains the models it needs, renders every language and saves the
outputs atomically. The manifest is rewritten after every figure, so an interrupted build
keeps all the work done before the interruption.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from generator import paths, registry, seeding, style
from generator.cache import (Artifact, content_key, hash_sources, library_versions,
                             load_artifact, model_key, package_version, save_artifact,
                             source_closure)
from generator.manifest import Manifest
from generator.save import save_bytes, save_gif, save_png

SMOKE_FIGURES = paths.ROOT / ".cache" / "smoke-figures"  # smoke outputs never touch figures/


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

    def text(self, ko: str, en: str) -> str:
        """The words of a label in this figure's language."""
        return en if self.lang == "en" else ko

    def stream(self, purpose: str) -> np.random.Generator:
        return seeding.numpy_stream(f"figure/{self.name}/{purpose}")

    def model(self, name: str) -> Artifact:
        return self.models[name]


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    trained: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (f"built {len(self.built)}, up to date {len(self.up_to_date)}, "
                f"models trained {len(self.trained)}"
                + (f", removed {len(self.removed)} stale files" if self.removed else "")
                + f" in {self.seconds:.1f} s")


def model_config(name: str, smoke: bool) -> dict:
    spec = registry.MODELS[name]
    return spec.smoke if smoke else spec.full


def full_model_key(name: str, smoke: bool) -> str:
    """A model's key, including the keys of the models it is trained from."""
    spec = registry.MODELS[name]
    upstream = {needed: full_model_key(needed, smoke) for needed in spec.needs}
    return model_key(spec, model_config(name, smoke), upstream)


def figure_key(spec: registry.FigureSpec, smoke: bool) -> str:
    """Hash of everything a figure's bytes depend on, including its models' keys."""
    models = {m: full_model_key(m, smoke) for m in spec.models}
    sources = source_closure(spec.module) + source_closure("generator.save")
    for module in spec.depends:
        sources += source_closure(module)
    key = dict(kind="figure", name=spec.name, format=spec.kind, localized=spec.localized,
               extensions=spec.extensions, frame_ms=spec.frame_ms, colours=spec.colours,
               sources=hash_sources(sorted(set(sources))), models=models,
               versions=library_versions(), seed=seeding.ROOT_SEED, smoke=smoke)
    if spec.packages:  # only figures that name extra packages have this field, so others keep their keys
        key["packages"] = {name: package_version(name) for name in spec.packages}
    return content_key(**key)


def ensure_model(name: str, smoke: bool, cache_dir: Path, quiet: bool,
                 trained: list[str]) -> Artifact:
    """Load the model from the cache, or train it (and first what it needs) and cache it."""
    spec = registry.MODELS[name]
    path = cache_dir / f"{name}-{full_model_key(name, smoke)[:20]}.npz"
    if path.exists():
        return load_artifact(path)
    upstream = {needed: ensure_model(needed, smoke, cache_dir, quiet, trained)
                for needed in spec.needs}
    artifact = spec.train(model_config(name, smoke), ModelContext(name, smoke, quiet, upstream))
    save_artifact(artifact, path)
    trained.append(name)
    return artifact


def render_figure(spec: registry.FigureSpec, models: dict[str, Artifact], smoke: bool,
                  figures_dir: Path) -> tuple[list[str], dict]:
    """Render every language of one figure and save it; return (output paths, metrics)."""
    metrics: dict = {}
    outputs = spec.outputs()
    if spec.kind == "files":  # one render, several files
        files = spec.render(FigureContext(spec.name, None, smoke, models, metrics))
        if set(files) != set(outputs):
            raise ValueError(f"{spec.name}: render returned {sorted(files)}, "
                             f"declared {sorted(outputs)}")
        for extension, relative in outputs.items():
            save_bytes(files[extension], figures_dir / relative)
        return list(outputs.values()), metrics
    for lang, relative in outputs.items():
        context = FigureContext(spec.name, lang, smoke, models, metrics)
        result = spec.render(context)
        if spec.kind == "png":
            save_png(result, figures_dir / relative, spec.colours)
        else:
            save_gif(result, figures_dir / relative, spec.frame_ms, spec.colours or 64)
    return list(outputs.values()), metrics


def build(names: list[str] | None = None, *, force: bool = False, smoke: bool = False,
          figures_dir: Path | None = None, cache_dir: Path | None = None,
          quiet: bool = False) -> Summary:
    started = time.perf_counter()
    specs = registry.select(names)
    figures_dir = figures_dir or (SMOKE_FIGURES if smoke else paths.FIGURES)
    cache_dir = cache_dir or paths.MODEL_CACHE
    manifest = Manifest.load(figures_dir / "manifest.json")
    summary = Summary()
    styled = False
    loaded: dict[str, Artifact] = {}
    for spec in tqdm(specs, desc="figures", unit="fig", leave=False,
                     disable=True if quiet else None):  # None: a bar only on a terminal
        key = figure_key(spec, smoke)
        if not force and manifest.is_current(spec.name, key):
            summary.up_to_date.append(spec.name)
            continue
        if not styled:  # only a build that renders pays for importing matplotlib
            style.apply()
            styled = True
        for name in spec.models:
            if name not in loaded:
                loaded[name] = ensure_model(name, smoke, cache_dir, quiet, summary.trained)
        outputs, metrics = render_figure(spec, {m: loaded[m] for m in spec.models}, smoke,
                                         figures_dir)
        manifest.record(spec.name, key, outputs, metrics)
        manifest.save()
        summary.built.append(spec.name)
    if not names:  # a full build also removes the files of figures that no longer exist
        summary.removed = manifest.forget_all_but({spec.name for spec in specs})
        for relative in summary.removed:
            (figures_dir / relative).unlink(missing_ok=True)
        if summary.removed:
            manifest.save()
    summary.seconds = time.perf_counter() - started
    return summary
