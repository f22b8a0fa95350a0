"""What would a different model config change on the pages? Train the model with one setting
changed, render the figures that read it into a temporary folder, and print every number of
theirs that differs from figures/manifest.json.

This is how the step counts of this session's faster build were chosen and checked, e.g.

    .venv/bin/python scripts/compare_config.py spiral_diffusion steps 12000 diffusion_check diffusion_vector_field
    .venv/bin/python scripts/compare_config.py mnist_latent_diffusion_8d steps 16000 conditional_guidance conditional_styles
    .venv/bin/python scripts/compare_config.py face_ood_search steps 200 face_ood_errors
    .venv/bin/python scripts/compare_config.py mnist_reader epochs 10 conditional_guidance

(the published setting against another one: the differences show what the choice costs).
Several changes measured together: add `--also MODEL SETTING VALUE` once per extra change, e.g.

    .venv/bin/python scripts/compare_config.py mnist_latent_diffusion_8d steps 6000 --also mnist_vae_8d epochs 30 conditional_guidance

The models it does not change are taken from the model cache (.cache/models, or GENERATOR_CACHE)
when they are there, and trained otherwise. Runs in one process, so that the changed config is
the one trained.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.engine import builder, paths, registry  # noqa: E402
from generator.engine.manifest import Manifest  # noqa: E402


def differences(published, rebuilt, path=""):
    """Every leaf of two nested dicts of numbers that differs: (path, published, rebuilt)."""
    if isinstance(published, dict) and isinstance(rebuilt, dict):
        for key in sorted(set(published) | set(rebuilt)):
            yield from differences(published.get(key), rebuilt.get(key), f"{path}.{key}" if path else key)
    elif published != rebuilt:
        yield path, published, rebuilt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("setting", help="a key of the model's full config, e.g. steps or epochs")
    parser.add_argument("value", type=json.loads, help="its new value, as JSON (12000, 0.5, [64, 32])")
    parser.add_argument("figures", nargs="+", help="the figures whose numbers to compare")
    parser.add_argument("--also", nargs=3, action="append", default=[], metavar=("MODEL", "SETTING", "VALUE"),
                        help="one more change, trained and measured together with the first")
    args = parser.parse_args()
    registry.load_all()
    changes = [(args.model, args.setting, args.value)]
    changes += [(name, setting, json.loads(value)) for name, setting, value in args.also]
    published_settings = []
    for name, setting, value in changes:
        if name not in registry.MODELS:
            parser.error(f"no model {name!r}; the models are {', '.join(sorted(registry.MODELS))}")
        spec = registry.MODELS[name]
        if setting not in spec.full:
            parser.error(f"{name} has no setting {setting!r}; it has {sorted(spec.full)}")
        published_settings.append(f"{name} {setting} = {value} (published: {spec.full[setting]})")
        registry.MODELS[name] = dataclasses.replace(spec, full={**spec.full, setting: value})
    published = Manifest.load(paths.MANIFEST).figures
    with tempfile.TemporaryDirectory(prefix="compare-") as temporary:
        cache, figures = Path(temporary) / "models", Path(temporary) / "figures"
        cache.mkdir()
        for artifact in paths.MODEL_CACHE.glob("*.npz"):  # the unchanged models, if cached
            shutil.copy(artifact, cache)
        started = time.perf_counter()
        summary = builder.build(args.figures, figures_dir=figures, cache_dir=cache, jobs=1, quiet=True)
        print(f"{'; '.join(published_settings)}: {summary.line()}, {time.perf_counter() - started:.0f} s")
        rebuilt = Manifest.load(figures / "manifest.json").figures
        for name in args.figures:
            found = list(differences(published[name]["metrics"], rebuilt[name]["metrics"]))
            for path, before, after in found:
                print(f"  {name}.{path}: {before} -> {after}")
            if not found:
                print(f"  {name}: every number the same")
    return 0


if __name__ == "__main__":
    sys.exit(main())
