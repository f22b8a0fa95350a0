"""figures/manifest.json: what was built, from what, and the numbers measured on the way.

Layout:
    {
      "files":   {"swiss_roll/unrolled.ko.png": "<sha256>", ...},      # path -> sha256
      "figures": {"swiss_roll_unrolled": {"key": "<sha256 of inputs>",
                                          "outputs": ["swiss_roll/unrolled.ko.png", ...],
                                          "metrics": {"isomap": {...}}}, ...}
    }
Paths are relative to the figures folder. The pages read "metrics" (see hooks/figures.py).
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import GeneratorError
from generator.save import sha256_of, write_atomically


def whole_minutes(seconds: float) -> int:
    """A duration as the whole minutes it fits in (42 s -> 1). Seconds differ on every run and
    would dirty figures/manifest.json each time; a bound in minutes stays put."""
    return max(1, math.ceil(seconds / 60))


@dataclass
class Manifest:
    path: Path
    files: dict[str, str] = field(default_factory=dict)
    figures: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(data["files"]), dict(data["figures"]))
        except (ValueError, KeyError, TypeError) as error:
            shown = os.path.relpath(path)
            raise GeneratorError(
                f"{shown} is unreadable ({type(error).__name__}: {error}). Restore the committed "
                f"one with `git checkout -- {shown}`, or move it away (`mv {shown} {shown}.broken`) "
                f"and run `python -m generator build` to rebuild every figure."
            ) from error

    def is_current(self, name: str, key: str) -> bool:
        """True when `name` was built from inputs hashing to `key` and its files are intact."""
        entry = self.figures.get(name)
        if not entry or entry.get("key") != key:
            return False
        folder = self.path.parent
        for relative in entry["outputs"]:
            target = folder / relative
            if not target.is_file() or sha256_of(target) != self.files.get(relative):
                return False
        return True

    def record(self, name: str, key: str, outputs: list[str], metrics: dict,
               sources: str = "", layout: dict | None = None) -> list[str]:
        """Store one figure's outputs and numbers; return the files it made before but no longer makes."""
        folder = self.path.parent
        before = self.figures.get(name, {}).get("outputs", [])
        for relative in before:
            self.files.pop(relative, None)
        for relative in outputs:
            self.files[relative] = sha256_of(folder / relative)
        self.figures[name] = {"key": key, "sources": sources, "outputs": list(outputs),
                              "metrics": metrics}
        if layout:  # images: pixel size and smallest text, for the pages' <img> and a test
            self.figures[name]["layout"] = layout
        return [relative for relative in before if relative not in outputs]

    def forget_all_but(self, names: set[str]) -> list[str]:
        """Drop figures that are no longer registered; return their output paths."""
        orphans = []
        for name in sorted(set(self.figures) - names):
            for relative in self.figures.pop(name)["outputs"]:
                self.files.pop(relative, None)
                orphans.append(relative)
        return orphans

    def save(self) -> None:
        data = {"files": dict(sorted(self.files.items())),
                "figures": dict(sorted(self.figures.items()))}
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        write_atomically(self.path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
