"""Exports the trained MNIST decoder (and what the explorer shows beside it) for the browser.

Three files, written by the normal build (cached, in the manifest, byte-stable):
- mnist_decoder.json: the layer list, the export format, the map of test digits with each
  digit's centre and the 9 → 6 → 0 path, the classifier's place in the weights, and the list of
  training digits in the atlas;
- mnist_decoder.f16.gz: every decoder weight and bias, then the chapter's logistic classifier,
  as little-endian float16, gzip-compressed (gzip with mtime 0, so the bytes never change);
- mnist_decoder.nearest.png: the training digits that can be nearest to a decoded image, one
  lossless grey atlas, so the explorer can show the nearest training digit and its distance.
The format is documented in README.md ("The decoder export format"); `decode_exported` below
is the reference implementation in numpy.
"""
from __future__ import annotations

import io

import numpy as np

from generator.data.mnist import SIDE, load_mnist
from generator.drawing import MNIST_MAP_LIMIT as LIMIT
from generator.drawing import PATH_DIGITS, path_through_centroids
from generator.engine.registry import figure
from generator.engine.seeding import numpy_stream
from generator.measures.scores import nearest_training
from generator.networks import export

FORMAT = "manifold-explainer/decoder-mlp/1"
WEIGHTS_FILE = "mnist_decoder.f16.gz"
NEAREST_FILE = "mnist_decoder.nearest.png"
MAP_LIMIT = 4.5  # the explorer's map spans [−4.5, 4.5]²: every test digit's code lies inside


NEAREST_GRID = 181  # the map is searched on a 181 × 181 grid for the training digits to ship


def nearest_candidates(network, train: np.ndarray, side: int) -> np.ndarray:
    """Indices of the training digits that are nearest to some decoded image on a side × side
    grid over the map. Decoded images are blurry, so only a few hundred of the 4,500 training
    digits are ever the nearest one; the explorer ships just those."""
    from generator.networks.vae import decode_codes

    ticks = np.linspace(-MAP_LIMIT, MAP_LIMIT, side)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(ticks, ticks)])  # (side², 2)
    found = [nearest_training(decode_codes(network, chunk), train)[0]
             for chunk in np.array_split(grid, 16)]
    return np.unique(np.concatenate(found))


def atlas_png(images: np.ndarray, columns: int = 40) -> bytes:
    """(n, 784) grey images in [0, 1] -> one lossless PNG, digit k at row k // columns,
    column k % columns (MNIST's own 8-bit values, so nothing is lost)."""
    from PIL import Image

    rows = -(-len(images) // columns)
    padded = np.zeros((rows * columns, SIDE * SIDE), dtype=np.uint8)
    padded[: len(images)] = np.round(images * 255).astype(np.uint8)
    sheet = padded.reshape(rows, columns, SIDE, SIDE).transpose(0, 2, 1, 3).reshape(rows * SIDE, columns * SIDE)
    buffer = io.BytesIO()
    Image.fromarray(sheet).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@figure("mnist_decoder", kind="files", localized=False, models=("mnist_vae", "mnist_classifier"),
        extensions=("json", "f16.gz", "nearest.png"))
def mnist_decoder(ctx):
    vae, classifier = ctx.model("mnist_vae"), ctx.model("mnist_classifier")
    trained = export.linear_layers(vae, "decoder")
    # the decoder's layers, then the classifier as one more "layer" of its own (softmax)
    layers, offset, weights = export.pack_layers(
        trained + [("classifier", classifier.arrays["coef"], classifier.arrays["intercept"])],
        ["relu"] * (len(trained) - 1) + ["sigmoid", "softmax"])
    classifier_layer = layers.pop()
    split = load_mnist(numpy_stream("data/mnist/split"))
    from generator.networks.vae import decode_codes, encode_means, vae_from_artifact

    network = vae_from_artifact(vae)
    means = encode_means(network, split.test.images)  # (500, 2)
    train_means = encode_means(network, split.train.images)  # (4500, 2)
    candidates = nearest_candidates(network, split.train.images, 41 if ctx.smoke else NEAREST_GRID)
    # how often the shipped digits hold the true nearest one, at 2,000 random places on the map
    places = ctx.stream("check").uniform(-MAP_LIMIT, MAP_LIMIT, (200 if ctx.smoke else 2000, 2))
    exact, _ = nearest_training(decode_codes(network, places), split.train.images)
    _, curve = path_through_centroids(vae)
    # the VAE's copies of unseen test digits: how far 90 % of them are from a training digit
    copies = decode_codes(network, means)
    copy_p90 = float(np.percentile(nearest_training(copies, split.train.images)[1], 90))
    description = {
        **export.weights_header(FORMAT, WEIGHTS_FILE, offset),
        "latent": 2,
        "output": {"height": 28, "width": 28, "order": "row-major",
                   "meaning": "probability that each pixel is ink (0 white, 1 black)"},
        "layers": layers,
        "classifier": {**classifier_layer, "meaning": "softmax(W x + b) over the digits 0-9, "
                                                      "x the 784 pixels"},
        "nearest": {"atlas": NEAREST_FILE, "columns": 40, "count": int(len(candidates)),
                    "training_index": [int(i) for i in candidates],
                    "meaning": "the training digits that are nearest to some decoded image on "
                               f"a {NEAREST_GRID}-point grid over the map"},
        "map": {"limit": LIMIT, "points": [[round(float(a), 3), round(float(b), 3), int(label)]
                                           for (a, b), label in zip(means, split.test.labels)],
                "labels": [[round(float(v), 3) for v in np.median(train_means[split.train.labels == d], axis=0)]
                           + [d] for d in range(10)],
                "path": [[round(float(a), 4), round(float(b), 4)] for a, b in curve(np.linspace(0, 1, 61))],
                "copy_distance_p90": round(copy_p90, 2),
                "path_digits": list(PATH_DIGITS)},
    }
    files = export.weight_files(description, weights)
    ctx.metrics["weights_bytes_gzip"] = len(files["f16.gz"])
    ctx.metrics["values"] = offset
    ctx.metrics["nearest_count"] = int(len(candidates))
    ctx.metrics["nearest_found_share"] = round(float(np.isin(exact, candidates).mean()), 4)
    ctx.metrics["nearest_found"] = int(np.isin(exact, candidates).sum())
    ctx.metrics["nearest_places"] = int(len(places))
    return {**files, "nearest.png": atlas_png(split.train.images[candidates])}


# mirrored in JS: docs/assets/javascripts/latent-explorer.js decode() — tests/widgets/test_latent_explorer.py compares them
def decode_exported(description: dict, compressed: bytes, z: np.ndarray) -> np.ndarray:
    """Reference decoder from the exported files alone: (k, 2) latent points -> (k, 784)."""
    layers = export.unpack_layers(description["layers"], compressed)
    return export.forward(layers, np.asarray(z, dtype=np.float32))
