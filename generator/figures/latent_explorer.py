"""Exports the trained MNIST decoder for the in-browser latent explorer.

Two files, written by the normal build (cached, in the manifest, byte-stable):
- mnist_decoder.json: the layer list, the export format, and the map of test digits;
- mnist_decoder.f16.gz: every decoder weight and bias as little-endian float16, gzip-compressed
  (gzip with mtime 0, so the bytes never change), read in the browser with DecompressionStream.
The format is documented in README.md ("The decoder export format"); `decode_exported` below
is the reference implementation in numpy.
"""
from __future__ import annotations

import json

import numpy as np

from generator.data.mnist import load_mnist
from generator.export import forward, gzip_bytes, linear_layers, pack_layers, unpack_layers
from generator.figures.mnist_latent import LIMIT, latent_means
from generator.registry import figure
from generator.seeding import numpy_stream

FORMAT = "manifold-explainer/decoder-mlp/1"
WEIGHTS_FILE = "mnist_decoder.f16.gz"


@figure("mnist_decoder", kind="files", localized=False, models=("mnist_vae",),
        extensions=("json", "f16.gz"))
def mnist_decoder(ctx):
    vae = ctx.model("mnist_vae")
    trained = linear_layers(vae, "decoder")
    layers, offset, weights = pack_layers(trained, ["relu"] * (len(trained) - 1) + ["sigmoid"])
    test = load_mnist(numpy_stream("data/mnist/split")).test
    means = latent_means(vae, test.images)  # (500, 2)
    description = {
        "format": FORMAT,
        "weights": WEIGHTS_FILE,
        "compression": "gzip",
        "dtype": "float16, little-endian",
        "values": offset,
        "latent": 2,
        "output": {"height": 28, "width": 28, "order": "row-major",
                   "meaning": "probability that each pixel is ink (0 white, 1 black)"},
        "layers": layers,
        "map": {"limit": LIMIT, "points": [[round(float(a), 3), round(float(b), 3), int(label)]
                                           for (a, b), label in zip(means, test.labels)]},
    }
    ctx.metrics["weights_bytes_gzip"] = len(gzip_bytes(weights))
    ctx.metrics["values"] = offset
    return {"json": (json.dumps(description, separators=(",", ":")) + "\n").encode(),
            "f16.gz": gzip_bytes(weights)}


def decode_exported(description: dict, compressed: bytes, z: np.ndarray) -> np.ndarray:
    """Reference decoder from the exported files alone: (k, 2) latent points -> (k, 784)."""
    return forward(unpack_layers(description["layers"], compressed), np.asarray(z, dtype=np.float32))
