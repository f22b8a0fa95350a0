"""Content hashes that decide when a model must be retrained or a figure re-rendered.

A key hashes everything that can change the result: the config, the source files of the
module *and every generator module it imports* (so editing a shared helper invalidates
exactly the models and figures that use it), the library versions and the root seed.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

from generator.engine import paths, registry, seeding
from generator.engine.seeding import LIBRARY_THREADS, ROOT_SEED, TORCH_THREADS

# Packages whose version can change a trained model or a rendered pixel.
VERSIONED_PACKAGES = ("numpy", "scipy", "matplotlib", "scikit-learn", "scikit-image",
                      "imageio", "pillow", "torch", "koreanize-matplotlib", "mlxtend")


def module_file(module: str) -> Path:
    """generator.figures.swiss_roll -> <root>/generator/figures/swiss_roll.py."""
    relative = Path(*module.split("."))
    for candidate in (paths.ROOT / relative.with_suffix(".py"), paths.ROOT / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no source file for module {module}")


def _imported_generator_modules(module: str) -> set[str]:
    """The generator.* modules that `module` imports directly (absolute or relative),
    anywhere in the file: an import inside a function counts too."""
    return _imports_in_source(module, module_file(module).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=256)  # keyed by the text itself, so an edited file is parsed again
def _imports_in_source(module: str, source: str) -> frozenset[str]:
    tree = ast.parse(source)
    package = module if module_file(module).name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: climb `level - 1` packages up from ours
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            # `from generator.engine import paths` imports the module generator.engine.paths
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "generator" or name.startswith("generator."):
                try:
                    module_file(name)
                    found.add(name)
                except FileNotFoundError:
                    pass  # a function or class imported from a module, not a module
    return frozenset(found)


def source_closure(module: str) -> list[str]:
    """`module` and every generator module it imports, transitively, sorted."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(_imported_generator_modules(current) - seen)
    return sorted(seen)


# Modules that only register functions or define error messages: editing them changes no
# trained weight and no pixel, so they are left out of every key (and do not retrain the site).
BOOKKEEPING = {"generator.engine.registry", "generator.engine.errors"}


def hash_sources(modules: list[str]) -> str:
    digest = hashlib.sha256()
    for module in sorted(set(modules) - BOOKKEEPING):
        digest.update(module.encode() + b"\0" + module_file(module).read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache  # installed versions do not change while the process runs
def _installed_versions() -> tuple[tuple[str, str], ...]:
    versions = {"python": f"{sys.version_info.major}.{sys.version_info.minor}"}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return tuple(versions.items())


def library_versions() -> dict[str, str]:
    return dict(_installed_versions())


def package_version(package: str) -> str:
    """The installed version of one more package, or "missing"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def content_key(**parts) -> str:
    """sha256 of a JSON description of everything that determines a result."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_key(spec, config: dict, upstream: dict[str, str] | None = None) -> str:
    """`upstream`: the keys of the models this one is trained from (none for most models,
    which then keep the key they had before models could depend on models)."""
    parts = dict(kind="model", name=spec.name, config=config,
                 sources=hash_sources(source_closure(spec.module)),
                 versions=library_versions(), seed=ROOT_SEED,
                 threads={"torch": TORCH_THREADS, "blas_openmp": LIBRARY_THREADS})
    if upstream:
        parts["upstream"] = upstream
    return content_key(**parts)


def model_config(name: str, smoke: bool) -> dict:
    spec = registry.MODELS[name]
    return spec.smoke if smoke else spec.full


def full_model_key(name: str, smoke: bool) -> str:
    """A model's key, including the keys of the models it is trained from."""
    spec = registry.MODELS[name]
    upstream = {needed: full_model_key(needed, smoke) for needed in spec.needs}
    return model_key(spec, model_config(name, smoke), upstream)


def own_sources(spec: registry.FigureSpec) -> list[str]:
    """The generator modules a figure's own code comes from: its module, the output writer and
    what it `depends` on, each with everything it imports."""
    sources = source_closure(spec.module) + source_closure("generator.engine.output")
    for module in spec.depends:
        sources += source_closure(module)
    return sources


def model_sources(name: str) -> list[str]:
    spec = registry.MODELS[name]
    return source_closure(spec.module) + [m for needed in spec.needs for m in model_sources(needed)]


def sources_key(spec: registry.FigureSpec) -> str:
    """A hash of the source code behind a figure only (its models' code included): no library
    versions, no configs. The Pages workflow compares it with figures/manifest.json without
    installing torch."""
    return hash_sources(sorted(set(own_sources(spec) + [m for name in spec.models
                                                        for m in model_sources(name)])))


def figure_key(spec: registry.FigureSpec, smoke: bool) -> str:
    """Hash of everything a figure's bytes depend on, including its models' keys."""
    models = {m: full_model_key(m, smoke) for m in spec.models}
    key = dict(kind="figure", name=spec.name, format=spec.kind, localized=spec.localized,
               narrow=spec.narrow, lossy=spec.lossy,
               extensions=spec.extensions, frame_ms=spec.frame_ms, colours=spec.colours,
               sources=hash_sources(sorted(set(own_sources(spec)))), models=models,
               versions=library_versions(), seed=seeding.ROOT_SEED, smoke=smoke)
    if spec.packages:  # only figures that name extra packages have this field
        key["packages"] = {name: package_version(name) for name in spec.packages}
    return content_key(**key)
