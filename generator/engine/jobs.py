"""The two kinds of job a build runs: train one model (and cache it), render one figure (and
save its outputs). Each runs the same in the builder's process or in a worker process
(engine/pool.py), so the outcome does not depend on where it ran.
"""
from __future__ import annotations

import sys
from pathlib import Path

from generator.engine import registry, style
from generator.engine.artifacts import Artifact, load_artifact, save_artifact
from generator.engine.contexts import FigureContext, ModelContext
from generator.engine.errors import CorruptCacheError
from generator.engine.keys import full_model_key, model_config
from generator.engine.animation import save_animation
from generator.engine.output import SMOKE_DPI, WEBP_DPI, save_bytes, save_image
from generator.engine.pool import one_thread, steady_memory


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


def model_path(name: str, smoke: bool, cache_dir: Path) -> Path:
    return cache_dir / f"{name}-{full_model_key(name, smoke)[:20]}.npz"


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
        if isinstance(output, tuple) and output[0] in ("sheet", "frames"):
            continue  # an animation's sheet and description: written with its still, below
        lang, narrow = output if isinstance(output, tuple) else (output, False)
        context = FigureContext(spec.name, lang, smoke, models, metrics, narrow=bool(narrow), shared=shared)
        result = spec.render(context)
        if spec.kind == "image":
            layout[relative] = save_image(result, figures_dir / relative, spec.colours, spec.lossy,
                                          SMOKE_DPI if smoke else WEBP_DPI)
        else:
            layout[relative] = save_animation(result, figures_dir / relative,
                                              figures_dir / outputs[("sheet", output)],
                                              figures_dir / outputs[("frames", output)],
                                              spec.frame_ms, spec.colours or 64)
    return list(outputs.values()), metrics, layout


def train_job(name: str, smoke: bool, cache_dir: str) -> str:
    """(In a worker.) Train one model whose upstream models are already cached."""
    steady_memory()
    registry.load_all()
    with one_thread():
        ensure_model(name, smoke, Path(cache_dir), quiet=True, trained=[])
    return name


def render_job(name: str, smoke: bool, cache_dir: str, figures_dir: str) -> tuple:
    """(In a worker.) Render one figure from cached models; returns what the manifest records."""
    steady_memory()
    registry.load_all()
    style.apply()
    spec = registry.FIGURES[name]
    with one_thread():
        models = {m: ensure_model(m, smoke, Path(cache_dir), quiet=True, trained=[])
                  for m in spec.models}
        outputs, metrics, layout = render_figure(spec, models, smoke, Path(figures_dir))
    return name, outputs, metrics, layout
