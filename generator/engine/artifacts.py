"""The on-disk format of trained models: named numpy arrays and JSON info, in one .npz file
that also records the model's key, written atomically."""
from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from generator.engine.errors import CorruptCacheError


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
