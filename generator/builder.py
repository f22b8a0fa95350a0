"""The one place that trains models, renders figures and writes them to disk.

build() walks the selected figures; for each it computes a key from everything the figure
depends on, skips it when figures/manifest.json already records that key with intact files,
and otherwise loads or trains the models it needs, renders every language and saves the
outputs atomically. The manifest is rewritten after every figure, so an interrupted build
keeps all the work done before the interruption.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from generator import locks, paths, registry, seeding, workers
from generator.cache import (Artifact, content_key, hash_sources, library_versions,
                             load_artifact, model_key, package_version, save_artifact,
                             source_closure)
from generator.errors import CorruptCacheError
from generator.manifest import Manifest
from generator.save import PNG_DPI, SMOKE_DPI, save_bytes, save_gif, save_image

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


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    trained: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # half-written files of a killed build
    seconds: float = 0.0
    timeline: list[tuple[str, float, float]] = field(default_factory=list)  # (task, start, end) s

    def line(self) -> str:
        return (f"built {len(self.built)}, up to date {len(self.up_to_date)}, "
                f"models trained {len(self.trained)}"
                + (f", removed {len(self.removed)} stale files" if self.removed else "")
                + (f", deleted {len(self.leftovers)} half-written files of an interrupted build"
                   if self.leftovers else "")
                + f" in {self.seconds:.1f} s")


def model_config(name: str, smoke: bool) -> dict:
    spec = registry.MODELS[name]
    return spec.smoke if smoke else spec.full


def full_model_key(name: str, smoke: bool) -> str:
    """A model's key, including the keys of the models it is trained from."""
    spec = registry.MODELS[name]
    upstream = {needed: full_model_key(needed, smoke) for needed in spec.needs}
    return model_key(spec, model_config(name, smoke), upstream)


def figure_sources(spec: registry.FigureSpec) -> list[str]:
    """Every generator module (and notebook source) a figure's bytes come from, its models'
    included."""
    sources = source_closure(spec.module) + source_closure("generator.save")
    for module in spec.depends:
        sources += source_closure(module)
    for name in spec.models:
        sources += model_sources(name)
    return sorted(set(sources))


def model_sources(name: str) -> list[str]:
    spec = registry.MODELS[name]
    return source_closure(spec.module) + [m for needed in spec.needs for m in model_sources(needed)]


def sources_key(spec: registry.FigureSpec) -> str:
    """A hash of the source code behind a figure only: no library versions, no configs. The
    Pages workflow compares it with figures/manifest.json without installing torch."""
    return hash_sources(figure_sources(spec))


def figure_key(spec: registry.FigureSpec, smoke: bool) -> str:
    """Hash of everything a figure's bytes depend on, including its models' keys."""
    models = {m: full_model_key(m, smoke) for m in spec.models}
    sources = source_closure(spec.module) + source_closure("generator.save")
    for module in spec.depends:
        sources += source_closure(module)
    key = dict(kind="figure", name=spec.name, format=spec.kind, localized=spec.localized,
               narrow=spec.narrow, lossy=spec.lossy,
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
    key = full_model_key(name, smoke)
    path = model_path(name, smoke, cache_dir)
    cached = cached_model(path, key)
    if cached is not None:
        return cached
    upstream = {needed: ensure_model(needed, smoke, cache_dir, quiet, trained)
                for needed in spec.needs}
    artifact = spec.train(model_config(name, smoke), ModelContext(name, smoke, quiet, upstream))
    save_artifact(artifact, path, key)
    trained.append(name)
    return artifact


def cached_model(path: Path, key: str) -> Artifact | None:
    """The cached model at `path`, or None when there is none. A cache entry that cannot be
    read, or that holds another model, is only a cache: it is deleted (with a one-line
    notice) so that this one model is trained again, and nothing else."""
    if not path.exists():
        return None
    try:
        return load_artifact(path, key)
    except CorruptCacheError as error:
        print(f"build: {error.reason} in the cached model {path.name}: deleted it, training "
              f"that model again", file=sys.stderr, flush=True)
        path.unlink(missing_ok=True)
        return None


def render_figure(spec: registry.FigureSpec, models: dict[str, Artifact], smoke: bool,
                  figures_dir: Path) -> tuple[list[str], dict, dict]:
    """Render every language (and layout) of one figure and save it; return (output paths,
    metrics, layout: for each image, its size and the smallest text on it)."""
    metrics: dict = {}
    layout: dict = {}
    outputs = spec.outputs()
    if spec.kind == "files":  # one render, several files
        files = spec.render(FigureContext(spec.name, None, smoke, models, metrics))
        if set(files) != set(outputs):
            raise ValueError(f"{spec.name}: render returned {sorted(files)}, "
                             f"declared {sorted(outputs)}")
        for extension, relative in outputs.items():
            save_bytes(files[extension], figures_dir / relative)
        return list(outputs.values()), metrics, {}
    shared: dict = {}  # ctx.once: what one rendering computed, for the others
    for output, relative in outputs.items():
        lang, narrow = output if isinstance(output, tuple) else (output, False)
        context = FigureContext(spec.name, lang, smoke, models, metrics, narrow=bool(narrow), shared=shared)
        result = spec.render(context)
        if spec.kind == "image":
            layout[relative] = save_image(result, figures_dir / relative, spec.colours, spec.lossy,
                                          SMOKE_DPI if smoke else PNG_DPI)
        else:
            save_gif(result, figures_dir / relative, spec.frame_ms, spec.colours or 64)
    return list(outputs.values()), metrics, layout


def model_path(name: str, smoke: bool, cache_dir: Path) -> Path:
    return cache_dir / f"{name}-{full_model_key(name, smoke)[:20]}.npz"


def build(names: list[str] | None = None, *, force: bool = False, smoke: bool = False,
          figures_dir: Path | None = None, cache_dir: Path | None = None,
          quiet: bool = False, jobs: int | None = None) -> Summary:
    """Bring the selected figures (all by default) up to date: train the models the stale ones
    need, then render them, `jobs` processes at a time (generator/workers.py). One build at a
    time writes to a figures folder: a second one waits for the first (generator/locks.py)."""
    specs = registry.select(names)
    figures_dir = figures_dir or (SMOKE_FIGURES if smoke else paths.FIGURES)
    with locks.hold_folder(figures_dir):
        return build_held(specs, bool(names), force, smoke, figures_dir,
                          cache_dir or paths.MODEL_CACHE, quiet, jobs or workers.DEFAULT_JOBS)


def build_held(specs: list[registry.FigureSpec], some: bool, force: bool, smoke: bool,
               figures_dir: Path, cache_dir: Path, quiet: bool, jobs: int) -> Summary:
    """build(), once the figures folder is ours; `some`: only the named figures."""
    started = time.perf_counter()
    manifest = Manifest.load(figures_dir / "manifest.json")
    summary = Summary(leftovers=locks.remove_leftovers(figures_dir, cache_dir))
    stale = []
    for spec in specs:
        if not force and manifest.is_current(spec.name, figure_key(spec, smoke)):
            summary.up_to_date.append(spec.name)
            if manifest.figures[spec.name].get("sources") != sources_key(spec):
                manifest.figures[spec.name]["sources"] = sources_key(spec)  # older manifests lack it
                manifest.save()
        else:
            stale.append(spec)
    # the models the stale figures need (and what those are trained from), then the figures;
    # one task graph, so figures render while slower models still train
    needed = workers.in_dependency_order([m for spec in stale for m in spec.models],
                                         lambda name: registry.MODELS[name].needs)
    missing = [name for name in needed
               if cached_model(model_path(name, smoke, cache_dir), full_model_key(name, smoke)) is None]

    def chain_seconds(name: str) -> float:
        """A model's expected training time plus the longest chain of models waiting for it."""
        waiting = [m for m in missing if name in registry.MODELS[m].needs]
        return workers.EXPECTED_SECONDS.get(name, 10) + max(map(chain_seconds, waiting), default=0)

    missing.sort(key=lambda name: -chain_seconds(name))  # the longest chains start first
    keys = {spec.name: figure_key(spec, smoke) for spec in stale}
    progress = tqdm(total=len(missing) + len(stale), desc="models and figures", leave=False,
                    disable=True if quiet else None)  # None: a bar only on a terminal
    tasks = [("model:" + name, workers.train_job, (name, smoke, str(cache_dir))) for name in missing]
    tasks += [("figure:" + spec.name, workers.render_job,
               (spec.name, smoke, str(cache_dir), str(figures_dir))) for spec in stale]

    def ready(task, done):
        kind, name = task.split(":", 1)
        waits = registry.MODELS[name].needs if kind == "model" else registry.FIGURES[name].models
        return all(f"model:{m}" in done for m in waits if m in missing)

    def finished(task, result):
        kind, name = task.split(":", 1)
        if kind == "model":
            summary.trained.append(name)
        else:
            _, outputs, metrics, layout = result
            dropped = manifest.record(name, keys[name], outputs, metrics,
                                      sources_key(registry.FIGURES[name]), layout)
            for relative in dropped:  # e.g. the old .png once a figure is saved as .webp
                (figures_dir / relative).unlink(missing_ok=True)
            manifest.save()  # after every figure: an interrupted build keeps what it made
            summary.built.append(name)
        progress.update()

    summary.timeline = workers.run(jobs, tasks, ready, finished)
    progress.close()
    summary.built.sort(key=[spec.name for spec in specs].index)
    if not some:  # a full build also removes the files of figures that no longer exist
        summary.removed = manifest.forget_all_but({spec.name for spec in specs})
        for relative in summary.removed:
            (figures_dir / relative).unlink(missing_ok=True)
        if summary.removed:
            manifest.save()
    summary.seconds = time.perf_counter() - started
    return summary
