"""Measure the numbers the foundation issue asks for, in one run:

- cold full build (empty model cache, empty figures folder, everything trained and rendered),
- no-op rebuild (everything up to date),
- `mkdocs build --strict`,
- the size of every animation, the Swiss-roll scores,
- and whether the cold build is byte-identical to the committed figures/manifest.json.

Usage: .venv/bin/python scripts/bench_build.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.engine import builder, paths  # noqa: E402
from generator.engine.artifacts import load_artifact  # noqa: E402
from generator.engine.manifest import Manifest  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        figures, models = Path(temporary) / "figures", Path(temporary) / "models"
        cold = builder.build(figures_dir=figures, cache_dir=models, quiet=True)
        noop_started = time.perf_counter()
        again = builder.build(figures_dir=figures, cache_dir=models, quiet=True)
        noop_seconds = time.perf_counter() - noop_started
        rebuilt_manifest = Manifest.load(figures / "manifest.json")
        rebuilt = rebuilt_manifest.files
        # training times stay in the model cache (the manifest keeps whole minutes only)
        training = {path.name.split("-")[0]: load_artifact(path).info.get("train_seconds")
                    for path in sorted(models.glob("*.npz"))}
    published = Manifest.load(paths.MANIFEST)
    identical = rebuilt == published.files

    started = time.perf_counter()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as site:
        # not --quiet: it hides the warnings that --strict turns into a failure
        subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict",
                        "--site-dir", site], cwd=ROOT, env=env, check=True, capture_output=True)
    mkdocs_seconds = time.perf_counter() - started

    print(f"cold full build:   {cold.seconds:6.1f} s  ({cold.line()})")
    busy = {kind: sum(end - start for task, start, end in cold.timeline if task.kind == kind)
            for kind in ("model", "figure")}
    print(f"  job seconds: training {busy['model']:.0f}, rendering {busy['figure']:.0f}; "
          f"two cores kept busy would need {(busy['model'] + busy['figure']) / 2:.0f} s")
    for task, start, end in sorted(cold.timeline, key=lambda row: row[1]):  # where the time goes
        print(f"  {start:6.1f} -> {end:6.1f}  {end - start:5.1f} s  {task.kind} {task.name}")
    print(f"no-op rebuild:     {noop_seconds:6.2f} s  ({again.line()})")
    print(f"mkdocs build:      {mkdocs_seconds:6.2f} s")
    print("training seconds:  " + ", ".join(f"{name} {seconds}" for name, seconds in training.items()))
    for relative in sorted(published.files):
        if relative.endswith(".frames.json"):  # an animation: its still, sheet and description
            parts = [relative, relative.replace(".frames.json", ".frames.webp"), relative.replace(".frames.json", ".webp")]
            size = sum((paths.FIGURES / part).stat().st_size for part in parts)
            print(f"animation:         {relative.removesuffix('.frames.json')}: {size / 1024:.0f} KB")
    scores = published.figures["swiss_roll_unrolled"]["metrics"]
    print("swiss-roll scores: " + json.dumps(scores))
    for name in ("diffusion_check", "diffusion_vector_field", "face_axes", "face_ood_errors",
                 "face_lfw_interpolation", "swiss_roll_notebook", "mnist_vae_notebook",
                 "conditional_guidance", "conditional_styles", "conditional_field", "prompt_denoiser"):
        # measured in this cold build
        print(f"{name}: " + json.dumps(rebuilt_manifest.figures[name]["metrics"]))
    print(f"cold build vs committed manifest: {'byte-identical' if identical else 'DIFFERENT'} "
          f"({len(rebuilt)} files)")
    for relative in sorted(set(rebuilt) | set(published.files)):
        if rebuilt.get(relative) != published.files.get(relative):
            print(f"  differs: {relative}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
