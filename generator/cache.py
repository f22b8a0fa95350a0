"""Content hashes that decide when a model must be retrained or a figure re-rendered,
and the on-disk format of trained models.

A key hashes everything that can change the result: the config, the source files of the
module *and every generator module it imports* (so editing a shared helper invalidates
exactly the models and figures that use it), the library versions and the root seed.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import io
import json
import os
import sys
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from generator import paths
from generator.errors import CorruptCacheError
from generator.seeding import LIBRARY_THREADS, ROOT_SEED, TORCH_THREADS

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
            # `from generator import paths` imports the module generator.paths
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
BOOKKEEPING = {"generator.registry", "generator.errors"}


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


@dataclass
class Artifact:
    """What a model's training produces: named numpy arrays plus JSON-able info (metrics)."""

    arrays: dict[str, np.ndarray]
    info: dict


def save_artifact(artifact: Artifact, path: Path, key: str) -> None:
    """Write atomically (a temp file in the same folder, then a rename), with the model's key
    inside, so that a file copied or renamed onto another model's name is never taken for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, __info__=np.frombuffer(json.dumps(artifact.info).encode(), np.uint8),
             __key__=np.frombuffer(key.encode(), np.uint8), **artifact.arrays)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(buffer.getvalue())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class Arrays(dict):
    """A model's arrays by name; asking for one it does not hold names the file and the fix."""

    def __init__(self, arrays: dict, path: Path):
        super().__init__(arrays)
        self.path = path

    def __missing__(self, name: str):
        raise CorruptCacheError(self.path, f"it holds no array '{name}'")


def load_artifact(path: Path, key: str | None = None) -> Artifact:
    """The model saved at `path`; with `key`, only if it was saved under that key."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}  # reading checks CRCs
        info = json.loads(arrays.pop("__info__").tobytes().decode())
        recorded = arrays.pop("__key__").tobytes().decode()
    except (zipfile.BadZipFile, ValueError, KeyError, OSError, EOFError) as error:
        raise CorruptCacheError(path, f"unreadable, {type(error).__name__}: {error}") from error
    if key is not None and recorded != key:
        raise CorruptCacheError(path, "it holds another model (its recorded key differs)")
    return Artifact(Arrays(arrays, path), info)
