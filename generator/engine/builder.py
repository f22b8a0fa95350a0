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

from generator.engine import locks, paths, registry
from generator.engine.jobs import cached_model, model_path, render_job, train_job
from generator.engine.keys import figure_key, full_model_key, sources_key
from generator.engine.manifest import Manifest
from generator.engine.pool import DEFAULT_JOBS, Task, in_dependency_order, run

SMOKE_FIGURES = paths.ROOT / ".cache" / "smoke-figures"  # smoke outputs never touch figures/


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    trained: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # half-written files of a killed build
    seconds: float = 0.0
    timeline: list[tuple[Task, float, float]] = field(default_factory=list)  # (task, start, end) s

    def line(self) -> str:
        return (f"built {len(self.built)}, up to date {len(self.up_to_date)}, "
                f"models trained {len(self.trained)}"
                + (f", removed {len(self.removed)} stale files" if self.removed else "")
                + (f", deleted {len(self.leftovers)} half-written files of an interrupted build"
                   if self.leftovers else "")
                + f" in {self.seconds:.1f} s")


def build(names: list[str] | None = None, *, force: bool = False, smoke: bool = False,
          figures_dir: Path | None = None, cache_dir: Path | None = None,
          quiet: bool = False, jobs: int | None = None) -> Summary:
    """Bring the selected figures (all by default) up to date: train the models the stale ones
    need, then render them, `jobs` processes at a time (engine/pool.py). One build at a time
    writes to a figures folder: a second one waits for the first (engine/locks.py)."""
    specs = registry.select(names)
    figures_dir = figures_dir or (SMOKE_FIGURES if smoke else paths.FIGURES)
    with locks.hold_folder(figures_dir):
        return build_held(specs, bool(names), force, smoke, figures_dir,
                          cache_dir or paths.MODEL_CACHE, quiet, jobs or DEFAULT_JOBS)


def build_held(specs: list[registry.FigureSpec], some: bool, force: bool, smoke: bool,
               figures_dir: Path, cache_dir: Path, quiet: bool, jobs: int) -> Summary:
    """build(), once the figures folder is ours; `some`: only the named figures."""
    from tqdm import tqdm

    started = time.perf_counter()
    manifest = Manifest.load(figures_dir / "manifest.json")
    summary = Summary(leftovers=locks.remove_leftovers(figures_dir, cache_dir))
    stale = stale_figures(specs, manifest, force, smoke, summary)
    missing = missing_models(stale, smoke, cache_dir)
    keys = {spec.name: figure_key(spec, smoke) for spec in stale}
    # one task graph, the models first: figures render while slower models still train
    tasks = [Task("model", name, train_job, (name, smoke, str(cache_dir))) for name in missing]
    tasks += [Task("figure", spec.name, render_job,
                   (spec.name, smoke, str(cache_dir), str(figures_dir))) for spec in stale]
    progress = tqdm(total=len(tasks), desc="models and figures", leave=False,
                    disable=True if quiet else None)  # None: a bar only on a terminal

    def ready(task: Task, done: set[Task]) -> bool:
        waits = (registry.MODELS[task.name].needs if task.kind == "model"
                 else registry.FIGURES[task.name].models)
        trained = {t.name for t in done if t.kind == "model"}
        return all(m in trained for m in waits if m in missing)

    def finished(task: Task, result) -> None:
        if task.kind == "model":
            summary.trained.append(task.name)
        else:
            _, outputs, metrics, layout = result
            dropped = manifest.record(task.name, keys[task.name], outputs, metrics,
                                      sources_key(registry.FIGURES[task.name]), layout)
            for relative in dropped:  # e.g. the old .png once a figure is saved as .webp
                (figures_dir / relative).unlink(missing_ok=True)
            manifest.save()  # after every figure: an interrupted build keeps what it made
            summary.built.append(task.name)
        progress.update()

    summary.timeline = run(jobs, tasks, ready, finished)
    progress.close()
    summary.built.sort(key=[spec.name for spec in specs].index)
    if not some:  # a full build also removes the files of figures that no longer exist
        remove_gone_figures(manifest, {spec.name for spec in specs}, figures_dir, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def stale_figures(specs: list[registry.FigureSpec], manifest: Manifest, force: bool, smoke: bool,
                  summary: Summary) -> list[registry.FigureSpec]:
    """The figures whose recorded key differs from today's (all of them with `force`); the
    others are listed as up to date in `summary`."""
    stale = []
    for spec in specs:
        if not force and manifest.is_current(spec.name, figure_key(spec, smoke)):
            summary.up_to_date.append(spec.name)
            if manifest.figures[spec.name].get("sources") != sources_key(spec):
                manifest.figures[spec.name]["sources"] = sources_key(spec)  # older manifests lack it
                manifest.save()
        else:
            stale.append(spec)
    return stale


def missing_models(stale: list[registry.FigureSpec], smoke: bool, cache_dir: Path) -> list[str]:
    """The models the stale figures need (and what those are trained from) that the cache does
    not hold, the longest chain of expected training first, so no core idles at the end."""
    needed = in_dependency_order([m for spec in stale for m in spec.models],
                                 lambda name: registry.MODELS[name].needs)
    missing = [name for name in needed
               if cached_model(model_path(name, smoke, cache_dir), full_model_key(name, smoke)) is None]

    def chain_seconds(name: str) -> float:
        """A model's expected training time plus the longest chain of models waiting for it."""
        waiting = [m for m in missing if name in registry.MODELS[m].needs]
        return registry.MODELS[name].expected_seconds + max(map(chain_seconds, waiting), default=0)

    return sorted(missing, key=lambda name: -chain_seconds(name))


def remove_gone_figures(manifest: Manifest, names: set[str], figures_dir: Path,
                        summary: Summary) -> None:
    """Delete the files of figures that are no longer registered, and forget them."""
    summary.removed = manifest.forget_all_but(names)
    for relative in summary.removed:
        (figures_dir / relative).unlink(missing_ok=True)
    if summary.removed:
        manifest.save()
