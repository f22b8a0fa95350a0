"""Check the published decoder export against the trained torch decoder (full config).

Usage: .venv/bin/python scripts/bench_explorer.py
Loads (or trains, ~25 s) the cached MNIST VAE, decodes 1,000 latent points spread over the
map with torch and with numpy from figures/latent_explorer/ alone, and prints the largest
difference and the size of the exported files. Browser numbers (JS vs numpy, ms per decode)
are printed by `pytest -s tests/widgets/test_latent_explorer.py`; page weight by scripts/page_weight.py.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from generator.engine import paths, registry, seeding  # noqa: E402
from generator.engine.jobs import ensure_model  # noqa: E402
from generator.figures.latent_explorer import decode_exported  # noqa: E402
from generator.networks.vae import vae_from_artifact  # noqa: E402


def main() -> int:
    registry.load_all()
    artifact = ensure_model("mnist_vae", False, paths.MODEL_CACHE, quiet=True, trained=[])
    folder = paths.FIGURES / "latent_explorer"
    description = json.loads((folder / "mnist_decoder.json").read_text())
    weights = (folder / description["weights"]).read_bytes()
    z = seeding.numpy_stream("bench/explorer").uniform(-3, 3, (1000, 2)).astype(np.float32)
    with torch.no_grad():
        expected = torch.sigmoid(vae_from_artifact(artifact).decode(torch.from_numpy(z))).numpy()
    error = np.abs(decode_exported(description, weights, z) - expected).max()
    print(f"weights file: {len(weights):,} bytes ({len(weights) / 1024:.0f} KB, gzip of "
          f"{2 * description['values']:,} bytes of float16); description "
          f"{(folder / 'mnist_decoder.json').stat().st_size:,} bytes")
    print(f"numpy-from-export vs torch, 1,000 points: max abs error {error:.2e}")
    return 0 if error <= 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
