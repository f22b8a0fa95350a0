"""The catalogue of models and figures.

A *model* is anything expensive that figures reuse: a trained network, or a fitted
embedding. A *figure* is one small function that returns a matplotlib Figure (saved as a
WebP), an Animation (frames shown as a player) or the bytes of data files. Modules under generator/models and
generator/figures register themselves with the decorators below when `load_all()` imports
them; importing a module has no other effect.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable

from generator.engine.errors import GeneratorError, UnknownFigureError

LANGUAGES = ("ko", "en")  # Korean first: it is the site's default language


@dataclass(frozen=True, kw_only=True)
class ModelSpec:
    name: str
    train: Callable[..., Any]  # train(config, ctx) -> Artifact
    full: dict  # the config behind the published figures
    smoke: dict  # a tiny config for tests: seconds, not minutes
    module: str  # the module that defines it; its source (and its imports') is hashed
    needs: tuple[str, ...] = ()  # models it is trained from (e.g. a VAE whose codes it learns)
    # rough seconds its full config trains on one core: a build starts the longest chains of
    # models first, so that no core sits idle at the end. Only the order depends on it.
    expected_seconds: float = 10


@dataclass(frozen=True, kw_only=True)
class FigureSpec:
    name: str
    render: Callable[..., Any]  # render(ctx) -> matplotlib Figure | Animation | {extension: bytes}
    module: str
    # "image" (a WebP), "animation" (a player: engine/animation.py), or "files" ({extension: bytes})
    kind: str = "image"
    localized: bool = True  # rendered once per language when it carries words
    models: tuple[str, ...] = ()
    frame_ms: int = 80  # animation only: how long each frame is shown
    # the size of the palette: an animation's frames share one (None: 64); an image is reduced to this many
    # colours before its lossless WebP is written (None: 256)
    colours: int | None = None
    extensions: tuple[str, ...] = ()  # "files" only: the extensions of the files it writes
    depends: tuple[str, ...] = ()  # more source files it reads (e.g. a notebook), hashed with it
    packages: tuple[str, ...] = ()  # more packages whose versions change its bytes
    narrow: bool = False  # also render a phone layout (ctx.narrow), name.narrow.*.webp
    lossy: bool = False  # image only: lossy WebP (for pictures of noise or photos, not plots)

    @property
    def folder(self) -> str:
        """Outputs go to figures/<chapter>/, the chapter being the module's last name."""
        return self.module.rsplit(".", 1)[-1]

    @property
    def extension(self) -> str:
        return "webp" if self.kind in ("image", "animation") else self.kind

    def outputs(self) -> dict:
        """Output key -> path relative to figures/. The key is the language (None when not
        localized), or (language, "narrow") for an image's phone layout; a "files" output has
        one path per extension, keyed by that extension."""
        if self.kind == "files":
            return {ext: f"{self.folder}/{self.name}.{ext}" for ext in self.extensions}
        languages = LANGUAGES if self.localized else (None,)
        found = {}
        for variant in ("", "narrow") if self.narrow else ("",):
            for lang in languages:
                parts = [self.name] + ([variant] if variant else []) + ([lang] if lang else [])
                found[(lang, variant) if variant else lang] = f"{self.folder}/{'.'.join(parts)}.{self.extension}"
        if self.kind == "animation":  # beside each still: its sprite sheet and its description
            for key, path in list(found.items()):
                found[("sheet", key)] = path.removesuffix(".webp") + ".frames.webp"
                found[("frames", key)] = path.removesuffix(".webp") + ".frames.json"
        return found


MODELS: dict[str, ModelSpec] = {}
FIGURES: dict[str, FigureSpec] = {}


def model(name: str, *, full: dict, smoke: dict, needs: tuple[str, ...] = (),
          expected_seconds: float = 10):
    """Register `train(config, ctx)` as the model called `name`. A model that is trained from
    other models names them in `needs`: they are trained first, handed over as
    `ctx.model(name)`, and their keys are part of its key. `expected_seconds`: roughly how long
    the full config trains on one core (it decides only which model starts first)."""

    def register(train):
        if name in MODELS and MODELS[name].train is not train:
            raise GeneratorError(f"two models are called '{name}'")
        MODELS[name] = ModelSpec(name=name, train=train, full=dict(full), smoke=dict(smoke),
                                 module=train.__module__, needs=tuple(needs),
                                 expected_seconds=expected_seconds)
        return train

    return register


def figure(name: str, *, kind: str = "image", localized: bool = True,
           models: tuple[str, ...] = (), frame_ms: int = 80, colours: int | None = None,
           extensions: tuple[str, ...] = (), depends: tuple[str, ...] = (),
           packages: tuple[str, ...] = (), narrow: bool = False, lossy: bool = False):
    """Register `render(ctx)` as the figure called `name`. kind="image" (the default) saves a
    matplotlib figure as a WebP; with narrow=True it is rendered a second time with
    ctx.narrow = True, for phones. kind="animation" returns an engine.animation.Animation, which
    the page shows as a player (a still, a sprite sheet, its timing and labels). kind="files" is for data assets (e.g. exported weights,
    executed notebooks): render returns {extension: bytes} for the given extensions. `depends`
    names generator modules (or notebook sources) it reads without importing them; `packages`
    names libraries beyond the usual ones that shape its output."""
    if kind not in ("image", "animation", "files"):
        raise GeneratorError(f"figure '{name}': kind must be 'image', 'animation' or 'files', not '{kind}'")
    if (narrow and kind == "files") or (lossy and kind != "image"):
        raise GeneratorError(f"figure '{name}': narrow is for images and animations, lossy for images only")
    if (kind == "files") != bool(extensions):
        raise GeneratorError(f"figure '{name}': extensions go with kind='files', and only there")

    def register(render):
        if name in FIGURES and FIGURES[name].render is not render:
            raise GeneratorError(f"two figures are called '{name}'")
        FIGURES[name] = FigureSpec(name=name, render=render, module=render.__module__, kind=kind,
                                   localized=localized, models=tuple(models), frame_ms=frame_ms,
                                   colours=colours, extensions=tuple(extensions),
                                   depends=tuple(depends), packages=tuple(packages),
                                   narrow=narrow, lossy=lossy)
        return render

    return register


def load_all() -> None:
    """Import every module in generator.models and generator.figures so they register."""
    for package_name in ("generator.models", "generator.figures"):
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            importlib.import_module(f"{package_name}.{info.name}")
    for spec in FIGURES.values():
        for needed in spec.models:
            if needed not in MODELS:
                raise GeneratorError(f"figure '{spec.name}' needs unknown model '{needed}'")
    for spec in MODELS.values():
        for needed in spec.needs:
            if needed not in MODELS:
                raise GeneratorError(f"model '{spec.name}' needs unknown model '{needed}'")


def select(names: list[str] | None) -> list[FigureSpec]:
    """The figures called `names` (all of them when empty), in registration order."""
    load_all()
    if not names:
        return list(FIGURES.values())
    for name in names:
        if name not in FIGURES:
            raise UnknownFigureError(name, sorted(FIGURES))
    return [FIGURES[name] for name in dict.fromkeys(names)]
