"""Does keeping freed memory (generator/engine/pool.py: steady_memory) make a model train faster?

Trains one model with a shortened config in fresh processes, alternately without and with the
setting, and prints the model's own training seconds (its `train_seconds`, which leaves out
loading data). Each process runs as a build worker does: one thread, everything it needs
already in the model cache (.cache/models, or GENERATOR_CACHE), the model itself trained anew
into a temporary folder.

Usage: .venv/bin/python scripts/bench_memory.py MODEL SETTING VALUE [--repeats N]
   e.g. .venv/bin/python scripts/bench_memory.py face_vae epochs 2
        .venv/bin/python scripts/bench_memory.py mnist_latent_diffusion steps 2000
Run it with nothing else busy: the machine's speed drifts, which is why the runs alternate.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def train_once(model: str, setting: str, value, steady: bool) -> float:
    """(In a fresh process.) Train `model` with `setting` = `value`; return its train_seconds."""
    from generator.engine import jobs, paths, pool, registry

    with pool.one_thread():
        if steady:
            pool.steady_memory()
        registry.load_all()
        spec = registry.MODELS[model]
        registry.MODELS[model] = dataclasses.replace(spec, full={**spec.full, setting: value})
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as temporary:
            cache = Path(temporary)
            for needed in spec.needs:  # upstream models come from the cache, as in a build
                for artifact in paths.MODEL_CACHE.glob(f"{needed}-*.npz"):
                    shutil.copy(artifact, cache)
            artifact = jobs.ensure_model(model, False, cache, quiet=True, trained=[])
    return float(artifact.info["train_seconds"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("setting", help="a key of the model's full config, e.g. steps or epochs")
    parser.add_argument("value", type=json.loads, help="its shortened value, as JSON")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--child", choices=["off", "on"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(train_once(args.model, args.setting, args.value, args.child == "on"))
        return 0
    seconds = {"off": [], "on": []}
    for _ in range(args.repeats):
        for mode in ("off", "on"):
            result = subprocess.run([sys.executable, __file__, args.model, args.setting,
                                     json.dumps(args.value), "--child", mode],
                                    capture_output=True, text=True, check=True)
            seconds[mode].append(float(result.stdout.strip().splitlines()[-1]))
    for mode, label in (("off", "as glibc sets it"), ("on", "steady_memory")):
        print(f"{args.model} ({args.setting} = {args.value}), {label:>17}: "
              f"{' / '.join(f'{s:.1f}' for s in seconds[mode])} s, "
              f"median {statistics.median(seconds[mode]):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
