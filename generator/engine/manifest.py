"""figures/manifest.json: what was built, from what, and the numbers measured on the way.

Layout:
    {
      "files":   {"<chapter>/<figure>.ko.webp": "<sha256>", ...},      # path -> sha256
      "figures": {"<figure>": {"key": "<sha256 of inputs>",
                               "sources": "<sha256 of its source code>",
                               "outputs": ["<chapter>/<figure>.ko.webp", ...],
                               "metrics": {"<number's name>": 0.93, ...},
                               "metrics_sha256": "<sha256 of name + metrics>"}, ...}
    }
Paths are relative to the figures folder. The pages read "metrics" (see hooks/figures.py), so
the numbers are guarded like the files: the builder writes a digest of each figure's metrics
beside them, and a hand-edited number no longer matches it (`verify` says so, and the build
treats that figure as stale).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.engine.errors import GeneratorError
from generator.engine.output import sha256_of, write_atomically

ENTRY_FIELDS = {"key": str, "sources": str, "outputs": list, "metrics": dict, "metrics_sha256": str}


def metrics_digest(name: str, metrics: dict) -> str:
    """sha256 of one figure's numbers, written in one canonical way (sorted keys, no spaces):
    the same numbers always give the same digest, and any edited number a different one."""
    text = json.dumps({"figure": name, "metrics": metrics}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shown(path: Path) -> str:
    """A path as the user would type it from where they stand."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


class ManifestError(GeneratorError):
    def __init__(self, path: Path, problem: str):
        where = shown(path)
        tracked = tracked_files(path.parent) or set()
        restore = (f"Restore the committed one with `git checkout -- {where}`, or delete"
                   if path.resolve() in tracked else "Delete")
        super().__init__(f"{where} is unreadable ({problem}). {restore} it (`rm {where}`) and "
                         f"build again: every figure is then recorded anew.")


def validated(path: Path, data) -> tuple[dict, dict]:
    """(files, figures) of a manifest's JSON, or ManifestError naming the first thing wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict) \
            or not isinstance(data.get("figures"), dict):
        raise ManifestError(path, 'it must be an object with "files" and "figures" objects')
    for relative, digest in data["files"].items():
        if not isinstance(digest, str) or len(digest) != 64:
            raise ManifestError(path, f"file '{relative}' has no sha256")
    for name, entry in data["figures"].items():
        if not isinstance(entry, dict):
            raise ManifestError(path, f"figure '{name}' is not an object")
        for key, kind in ENTRY_FIELDS.items():
            if not isinstance(entry.get(key), kind):
                raise ManifestError(path, f"figure '{name}' has no valid '{key}'")
        for relative in entry["outputs"]:
            if relative not in data["files"]:
                raise ManifestError(path, f"figure '{name}' lists '{relative}', which has no sha256")
    return dict(data["files"]), dict(data["figures"])


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
        except (ValueError, UnicodeDecodeError) as error:
            raise ManifestError(path, f"{type(error).__name__}: {error}") from error
        return cls(path, *validated(path, data))

    def metrics_intact(self, name: str) -> bool:
        entry = self.figures[name]
        return entry["metrics_sha256"] == metrics_digest(name, entry["metrics"])

    def is_current(self, name: str, key: str) -> bool:
        """True when `name` was built from inputs hashing to `key` and its files and numbers
        are what the build recorded."""
        entry = self.figures.get(name)
        if not entry or entry.get("key") != key or not self.metrics_intact(name):
            return False
        folder = self.path.parent
        for relative in entry["outputs"]:
            target = folder / relative
            if not target.is_file() or sha256_of(target) != self.files.get(relative):
                return False
        return True

    def problems(self, names: list[str] | None = None) -> list[str]:
        """One line per file or number that differs from what the build recorded, each with
        fixes that work here (`git checkout` only for what git tracks). Without `names`, also
        every file in the folder that no figure makes."""
        folder, where = self.path.parent, shown(self.path.parent)
        tracked = tracked_files(folder) or set()

        def fixes(path: Path, name: str) -> str:
            restore = f"restore: git checkout -- {shown(path)}, or " if path.resolve() in tracked else ""
            return f"({restore}rebuild: python -m generator build {name})"

        found = []
        for name in sorted(set(names or self.figures) & set(self.figures)):
            if not self.metrics_intact(name):
                found.append(f"  {shown(self.path)}: the numbers of {name} differ from what the "
                             f"build recorded, edited by hand? {fixes(self.path, name)}")
            for relative in self.figures[name]["outputs"]:
                path = folder / relative
                if not path.is_file():
                    found.append(f"  {where}/{relative}: missing {fixes(path, name)}")
                elif sha256_of(path) != self.files.get(relative):
                    found.append(f"  {where}/{relative}: differs from {shown(self.path)}, edited by "
                                 f"hand? {fixes(path, name)}")
        if not names and folder.is_dir():  # a file no figure makes would still be published
            listed = set(self.files) | {self.path.name}
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder).as_posix()
                if path.is_file() and relative not in listed:
                    remove = "git rm" if path.resolve() in tracked else "rm"
                    found.append(f"  {where}/{relative}: no figure makes it "
                                 f"(remove: {remove} {where}/{relative})")
        return found

    def record(self, name: str, key: str, outputs: list[str], metrics: dict,
               sources: str = "", layout: dict | None = None) -> list[str]:
        """Store one figure's outputs and numbers; return the files it made before but no longer makes."""
        folder = self.path.parent
        before = self.figures.get(name, {}).get("outputs", [])
        for relative in before:
            self.files.pop(relative, None)
        for relative in outputs:
            self.files[relative] = sha256_of(folder / relative)
        # the numbers go through JSON once, so the digest is taken of exactly what is stored
        metrics = json.loads(json.dumps(metrics, ensure_ascii=False))
        self.figures[name] = {"key": key, "sources": sources, "outputs": list(outputs),
                              "metrics": metrics, "metrics_sha256": metrics_digest(name, metrics)}
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


def tracked_files(folder: Path) -> set[Path] | None:
    """The files git tracks below `folder` (resolved paths), or None outside a git checkout:
    a file git does not track is removed with `rm`, not `git rm`."""
    import subprocess

    try:
        listing = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=folder, check=True,
                                 capture_output=True).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.CalledProcessError):
        return None
    return {(folder / relative).resolve() for relative in listing.split("\0") if relative}
