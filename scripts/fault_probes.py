"""Fault injection: try to make the build lose, fake or orphan something, and count what it did.

Each probe works in a fresh copy of this checkout (made a git repository of its own, so that
the `git checkout -- …` fixes the messages name can be followed) and builds with the smoke
configs, so a probe takes seconds. What is counted:

- kill -9 at a random moment of a build, of the build process alone ("parent") or of its
  whole process group ("group"): a few seconds later no process of that build may be alive
  (orphans); the manifest must be readable and every file it records intact (wrong); the same
  command again must finish, with every file and number equal to an uninterrupted build
  (missing: lost; different: wrong) and no temporary file left (leftovers);
- two builds of different figures started together: both finish and both are recorded;
- a corrupt cache entry, and another model's entry under a model's name: the build trains that
  model again and the figure comes out identical;
- a figure file and a number in figures/manifest.json edited by hand: `check --sources` fails
  and names it, and the fix it names works;
- malformed manifests (not JSON, "figures" a list, an entry without "outputs"): one line, and
  the fix it names works.
Every error message must be one line ("long messages" counts those that are not).

    .venv/bin/python scripts/fault_probes.py            # every figure, 3 kills of each kind
    .venv/bin/python scripts/fault_probes.py --quick    # two figures, 1 kill of each kind
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.engine import registry  # noqa: E402
from generator.engine.errors import GeneratorError  # noqa: E402
from generator.engine.manifest import Manifest  # noqa: E402

# a model and a plot, so that a kill can land in training, rendering or recording (the full run
# adds torch models, the notebooks, whose kernels are processes of their own, and the rest)
QUICK_FIGURES = ["swiss_roll_unrolled", "pixel_line"]
TAG = "FAULT_PROBE_TAG"  # every process a probed build starts inherits it: how orphans are found
SMOKE = Path(".cache") / "smoke-figures"


@dataclass
class Row:
    probe: str
    runs: int = 0
    recovered: int = 0
    lost: int = 0
    wrong: int = 0
    orphans: int = 0
    leftovers: int = 0
    long_messages: int = 0


NOTES: list[str] = []  # what went wrong, printed under the table


def note(probe: str, text: str) -> None:
    NOTES.append(f"{probe}: {text.strip()[:600]}")


def fresh_checkout(target: Path) -> Path:
    """What a fresh clone of this working tree holds (tracked files and new ones git does not
    ignore), committed once in a repository of its own."""
    listing = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT,
                             check=True, capture_output=True).stdout.decode().split("\0")
    for relative in filter(None, listing):
        if (ROOT / relative).is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, target / relative)
    git = ["git", "-c", "user.name=probe", "-c", "user.email=probe@localhost"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "probe"]):
        subprocess.run(git + command, cwd=target, check=True, capture_output=True)
    return target


def generator(checkout: Path, *arguments: str, tag: str = "", wait: bool = True):
    """`python -m generator …` in the copy, as a user would type it there."""
    env = {key: value for key, value in os.environ.items() if key != "GENERATOR_CACHE"}
    env[TAG] = tag or uuid.uuid4().hex
    command = [sys.executable, "-m", "generator", *arguments]
    if not wait:
        return subprocess.Popen(command, cwd=checkout, env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True)


def long_messages(stderr: str) -> int:
    """Error messages that are not one line (a traceback counts as one long message)."""
    if "Traceback" in stderr:
        return 1
    return sum(1 for line in stderr.splitlines() if line.startswith(" ") and line.strip())


def tagged_processes(tag: str) -> list[int]:
    found = []
    for process in Path("/proc").iterdir():
        try:
            if process.name.isdigit() and f"{TAG}={tag}".encode() in \
                    (process / "environ").read_bytes().split(b"\0"):
                found.append(int(process.name))
        except OSError:  # gone meanwhile, or not ours to read
            pass
    return found


def recorded(folder: Path) -> dict:
    """{path: sha256} and {figure: metrics} of a figures folder, as its manifest says."""
    manifest = Manifest.load(folder / "manifest.json")
    return {"files": manifest.files,
            "metrics": {name: entry["metrics"] for name, entry in manifest.figures.items()}}


def compare(folder: Path, reference: dict, row: Row) -> bool:
    """Count what differs from the reference build; True when nothing does."""
    try:
        now = recorded(folder)
        problems = Manifest.load(folder / "manifest.json").problems(list(reference["metrics"]))
    except GeneratorError:
        row.wrong += 1
        return False
    lost = [path for path in reference["files"] if not (folder / path).is_file()]
    wrong = [path for path, digest in reference["files"].items()
             if path not in lost and now["files"].get(path) != digest]
    wrong += [name for name, numbers in reference["metrics"].items()
              if now["metrics"].get(name) != numbers]
    row.lost += len(lost)
    row.wrong += len(wrong) + len(problems)
    return not (lost or wrong or problems)


def kill_probe(checkout: Path, figures: list[str], reference: dict, seconds: float, group: bool,
               rng: random.Random, row: Row) -> None:
    shutil.rmtree(checkout / ".cache", ignore_errors=True)  # a cold build: models train too
    tag = uuid.uuid4().hex
    build = generator(checkout, "build", "--smoke", *figures, tag=tag, wait=False)
    time.sleep(rng.uniform(0.05, 0.95) * seconds)
    if build.poll() is None:
        (os.killpg if group else os.kill)(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 3  # workers die at once; a notebook kernel within a second
    while tagged_processes(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = tagged_processes(tag)
    row.orphans += len(survivors)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    row.runs += 1
    folder = checkout / SMOKE
    try:  # right after the kill: whatever is recorded must be intact
        row.wrong += len(Manifest.load(folder / "manifest.json").problems(figures))
    except GeneratorError:
        row.wrong += 1
    again = generator(checkout, "build", "--smoke", *figures)
    row.long_messages += long_messages(again.stderr)
    if long_messages(again.stderr) or again.returncode:
        note(row.probe, f"the build after the kill said: {again.stderr}")
    leftovers = [p for p in checkout.joinpath(".cache").rglob(".*.tmp")]
    row.leftovers += len(leftovers)
    if leftovers:
        note(row.probe, f"left behind: {[str(p.relative_to(checkout)) for p in leftovers]}")
    if again.returncode == 0 and compare(folder, reference, row) and not leftovers:
        row.recovered += 1


def two_at_once(checkout: Path, figures: list[str], reference: dict, row: Row) -> None:
    shutil.rmtree(checkout / ".cache", ignore_errors=True)
    first, second = (generator(checkout, "build", "--smoke", name, wait=False) for name in figures[:2])
    results = [(process.wait(), process.stderr.read()) for process in (first, second)]
    row.runs += 1
    row.long_messages += sum(long_messages(stderr) for _, stderr in results)
    subset = {"files": {path: digest for path, digest in reference["files"].items()
                        if any(path in registry.FIGURES[name].outputs().values() for name in figures[:2])},
              "metrics": {name: reference["metrics"][name] for name in figures[:2]}}
    if all(code == 0 for code, _ in results) and compare(checkout / SMOKE, subset, row):
        row.recovered += 1


def broken_cache(checkout: Path, figures: list[str], reference: dict, row: Row,
                 wrong_model: bool) -> None:
    """Break the cache entry of the first model a probed figure uses, then build that figure."""
    name = next(n for n in figures if registry.FIGURES[n].models)
    model = registry.FIGURES[name].models[0]
    cache = checkout / ".cache" / "models"
    (entry,) = cache.glob(f"{model}-*.npz")
    others = [p for p in sorted(cache.glob("*.npz")) if not p.name.startswith(model)]
    if wrong_model and others:
        entry.write_bytes(others[0].read_bytes())
    elif wrong_model:  # a valid archive with other arrays in it
        import numpy as np
        np.savez(entry, t=np.zeros(3), __key__=np.frombuffer(b"0" * 64, np.uint8))
    else:
        entry.write_bytes(b"not a model")
    result = generator(checkout, "build", "--smoke", "--force", name)
    row.runs += 1
    row.long_messages += long_messages(result.stderr)
    if result.returncode == 0 and compare(checkout / SMOKE, reference, row):
        row.recovered += 1


def follow_the_fix(checkout: Path, message: str, row: Row) -> bool:
    """Run the first `git checkout -- …` or `rm …` the message names; then check again."""
    for start, end in (("git checkout -- ", ","), ("rm ", "`")):
        if start in message:
            target = message.split(start, 1)[1].split(end, 1)[0].strip(" `)")
            command = start.split() + [target]
            subprocess.run(command, cwd=checkout, check=True, capture_output=True)
            break
    else:
        return False
    return generator(checkout, "check", "--sources").returncode == 0


def hand_edits(checkout: Path, row: Row, figure_row: Row) -> None:
    """A figure file, a number, three malformed manifests, in the committed figures/."""
    manifest_path = checkout / "figures" / "manifest.json"
    text = manifest_path.read_text(encoding="utf-8")
    data = json.loads(text)
    target = checkout / "figures" / data["figures"]["pixel_line"]["outputs"][0]
    target.write_bytes(target.read_bytes()[:-8] + b"edited!!")
    edited_number = dict(data, figures=dict(data["figures"]))
    entry = edited_number["figures"]["swiss_roll_unrolled"] = json.loads(
        json.dumps(data["figures"]["swiss_roll_unrolled"]))
    entry["metrics"]["tsne"]["along_roll"] = round(entry["metrics"]["tsne"]["along_roll"] + 0.1, 3)
    edits = [("figure", None), ("number", json.dumps(edited_number, indent=2)),
             ("not JSON", "{ this is not json"), ("figures a list", json.dumps(dict(data, figures=[]))),
             ("no outputs", text.replace('"outputs"', '"output"', 1))]
    for what, manifest_text in edits:
        if manifest_text is not None:
            manifest_path.write_text(manifest_text, encoding="utf-8")
        result = generator(checkout, "check", "--sources")
        counted = figure_row if what in ("figure", "number") else row
        counted.runs += 1
        message = result.stdout + result.stderr
        expected = 1 if what in ("figure", "number") else 2
        if result.returncode != expected:
            counted.wrong += 1  # accepted, or failed the wrong way
        named = ("pixel_line" in message) if what == "figure" else \
            ("swiss_roll_unrolled" in message) if what == "number" else True
        counted.long_messages += long_messages(result.stderr) + (result.stderr.count("\n") > 1)
        if result.returncode == expected and named and follow_the_fix(checkout, message, counted):
            counted.recovered += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two figures, one kill of each kind")
    parser.add_argument("--kills", type=int, default=None, help="kills of each kind (default 3, quick 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--figures", nargs="+", help="probe these figures (default: all, or quick's)")
    args = parser.parse_args()
    registry.load_all()
    figures = args.figures or (QUICK_FIGURES if args.quick else list(registry.FIGURES))
    kills = args.kills or (1 if args.quick else 3)
    rng = random.Random(args.seed)
    rows = {name: Row(name) for name in ("kill -9 parent", "kill -9 group", "two builds at once",
                                        "corrupt cache entry", "another model's cache entry",
                                        "hand-edited figure or number", "malformed manifest")}
    with tempfile.TemporaryDirectory(prefix="fault-probes-") as temporary:
        base = Path(temporary)
        reference_checkout = fresh_checkout(base / "reference")
        started = time.perf_counter()
        first = generator(reference_checkout, "build", "--smoke", *figures)
        seconds = time.perf_counter() - started
        if first.returncode != 0:
            print(f"the reference build failed:\n{first.stderr}", file=sys.stderr)
            return 1
        reference = recorded(reference_checkout / SMOKE)
        broken_cache(reference_checkout, figures, reference, rows["corrupt cache entry"], False)
        broken_cache(reference_checkout, figures, reference, rows["another model's cache entry"], True)
        hand_edits(reference_checkout, rows["malformed manifest"], rows["hand-edited figure or number"])
        probed = fresh_checkout(base / "probed")
        for index in range(kills):
            kill_probe(probed, figures, reference, seconds, False, rng, rows["kill -9 parent"])
            kill_probe(probed, figures, reference, seconds, True, rng, rows["kill -9 group"])
        if len(figures) > 1:  # two figures, those with models first
            two_at_once(probed, sorted(figures, key=lambda n: not registry.FIGURES[n].models)[:2],
                        reference, rows["two builds at once"])
    columns = [f.name for f in fields(Row)]
    print(f"fault probes: {len(figures)} figures, smoke configs, one build {seconds:.0f} s")
    print(" | ".join(f"{c.replace('_', ' '):<28}" if c == "probe" else c.replace("_", " ") for c in columns))
    total = Row("total")
    for row in rows.values():
        for column in columns[1:]:
            setattr(total, column, getattr(total, column) + getattr(row, column))
    for row in [*rows.values(), total]:
        print(" | ".join(f"{getattr(row, c):<28}" if c == "probe" else f"{getattr(row, c):>{len(c)}}"
                         for c in columns))
    for line in NOTES:
        print(line)
    failed = total.recovered != total.runs or total.lost or total.wrong or total.orphans \
        or total.leftovers or total.long_messages
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
