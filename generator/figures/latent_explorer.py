"""Exports the trained MNIST decoder for the in-browser latent explorer.

Two files, written by the normal build (cached, in the manifest, byte-stable):
- mnist_decoder.json: the layer list, the export format, and the map of test digits;
- mnist_decoder.f16.gz: every decoder weight and bias as little-endian float16, gzip-compressed
  (gzip with mtime 0, so the bytes never change), read in the browser with DecompressionStream.
The format is documented in README.md ("The decoder export format"); `decode_exported` below
is the reference implementation in numpy.
"""
from __future__ import annotations

import gzip
import json

import numpy as np

from generator.data.mnist import load_mnist
from generator.figures.mnist_latent import LIMIT, latent_means
from generator.registry import figure
from generator.seeding import numpy_stream

FORMAT = "manifold-explainer/decoder-mlp/1"
WEIGHTS_FILE = "mnist_decoder.f16.gz"


def decoder_layers(artifact) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, weight (out, in), bias (out,)) for each Linear layer of the decoder, in order."""
    names = sorted({key[len("state/"):].rsplit(".", 1)[0] for key in artifact.arrays
                    if key.startswith("state/decoder.")}, key=lambda n: int(n.split(".")[1]))
    return [(name, artifact.arrays[f"state/{name}.weight"], artifact.arrays[f"state/{name}.bias"])
            for name in names]


@figure("mnist_decoder", kind="files", localized=False, models=("mnist_vae",),
        extensions=("json", "f16.gz"))
def mnist_decoder(ctx):
    vae = ctx.model("mnist_vae")
    layers, chunks, offset = [], [], 0
    trained = decoder_layers(vae)
    for index, (name, weight, bias) in enumerate(trained):
        last = index == len(trained) - 1
        layers.append({"name": name, "in": int(weight.shape[1]), "out": int(weight.shape[0]),
                       "weight_offset": offset, "bias_offset": offset + weight.size,
                       "activation": "sigmoid" if last else "relu"})
        chunks += [weight.astype("<f2").ravel(), bias.astype("<f2")]
        offset += weight.size + bias.size
    weights = np.concatenate(chunks).tobytes()  # (offset,) float16, little-endian
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
    ctx.metrics["weights_bytes_gzip"] = len(gzip.compress(weights, 9, mtime=0))
    ctx.metrics["values"] = offset
    return {"json": (json.dumps(description, separators=(",", ":")) + "\n").encode(),
            "f16.gz": gzip.compress(weights, compresslevel=9, mtime=0)}


def decode_exported(description: dict, compressed: bytes, z: np.ndarray) -> np.ndarray:
    """Reference decoder from the exported files alone: (k, 2) latent points -> (k, 784)."""
    values = np.frombuffer(gzip.decompress(compressed), dtype="<f2").astype(np.float32)
    h = np.asarray(z, dtype=np.float32)  # (k, 2)
    for layer in description["layers"]:
        size = layer["out"] * layer["in"]
        weight = values[layer["weight_offset"]: layer["weight_offset"] + size]
        weight = weight.reshape(layer["out"], layer["in"])  # row-major (out, in)
        bias = values[layer["bias_offset"]: layer["bias_offset"] + layer["out"]]
        # y = W h + b, then the layer's activation
        h = h @ weight.T + bias  # (k, out)
        h = np.maximum(h, 0) if layer["activation"] == "relu" else 1 / (1 + np.exp(-h))
    return h  # (k, 784) pixel probabilities
