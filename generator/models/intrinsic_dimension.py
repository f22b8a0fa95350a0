"""Registers the intrinsic-dimension measurements of every data set on the site.

Not a network but a measurement slow enough (neighbour searches over thousands of points in up
to 12,288 dimensions) to be cached like one: the three figures of the intrinsic-dimension
chapter (generator/figures/intrinsic_dimension.py) read it, and it is redone only when the
data or the estimators (generator/measures/intrinsic.py) change.

Every data set is measured with both estimators: Levina–Bickel maximum likelihood at each k of
KS, and TwoNN; the MNIST digits and uniform noise also at growing sample sizes n.
"""
from __future__ import annotations

import numpy as np

from generator.engine import seeding
from generator.engine.artifacts import Artifact
from generator.engine.registry import model
from generator.measures.intrinsic import mle_dimension, neighbour_distances, twonn_dimension

K = 20  # the neighbours of the headline estimate (Levina and Bickel suggest 10 to 20)
KS = (3, 5, 8, 10, 15, 20, 30, 40, 50)
SAMPLE_SIZES = (100, 250, 500, 1000, 2000, 5000)


def data_sets(smoke: bool) -> dict[str, np.ndarray]:
    """Each data set as (n, ambient) points, in the order the chapter shows them."""
    from generator.data.faces import make_faces
    from generator.data.lfw import load_lfw
    from generator.data.mnist import load_mnist
    from generator.data.spiral import make_spiral
    from generator.data.swiss_roll import make_swiss_roll

    n = 400 if smoke else 2000
    split = load_mnist(seeding.numpy_stream("data/mnist/split"))
    mnist = np.concatenate([split.train.images, split.test.images])[: 1000 if smoke else None]
    labels = np.concatenate([split.train.labels, split.test.labels])[: len(mnist)]
    sets = {
        "swiss_roll": make_swiss_roll(n, seeding.numpy_stream("intrinsic/swiss_roll")).points,
        "spiral": make_spiral(n, seeding.numpy_stream("intrinsic/spiral")).points,
        "mnist": mnist,
        **{f"mnist_{d}": mnist[labels == d] for d in range(10)},
        "faces": make_faces(n, seeding.numpy_stream("intrinsic/faces")).images.reshape(n, -1),
        "lfw": load_lfw(),
        "noise": seeding.numpy_stream("intrinsic/noise").random((len(mnist), mnist.shape[1])),
    }
    return {name: np.asarray(points, dtype=np.float64) for name, points in sets.items()}


def measure(points: np.ndarray, ks=KS) -> dict:
    """Both estimators at every k (MLE) from one neighbour search."""
    usable = [k for k in ks if k < len(points)]
    distances = neighbour_distances(points, max(usable))
    return {"mle_by_k": {k: float(mle_dimension(points, k, distances)) for k in usable},
            "twonn": float(twonn_dimension(points, distances))}


@model("intrinsic_dimension", expected_seconds=8,
       full={"smoke": False}, smoke={"smoke": True})
def measure_every_data_set(config: dict, ctx) -> Artifact:
    import time

    started = time.perf_counter()
    sets = data_sets(config["smoke"])
    results = {name: {**measure(points), "n": len(points), "ambient": points.shape[1]}
               for name, points in sets.items()}
    sizes = [m for m in SAMPLE_SIZES if m <= len(sets["noise"])]
    by_n = {name: {m: float(mle_dimension(sets[name][:m], min(K, m - 1))) for m in sizes}
            for name in ("mnist", "noise")}
    # JSON turns the integer keys (k, n) into strings; measured() turns them back
    return Artifact({}, {"results": results, "by_n": by_n,
                         "train_seconds": round(time.perf_counter() - started, 1)})


def measured(artifact: Artifact) -> dict:
    """{"results": {data set: {"mle_by_k": {k: d}, "twonn": d, "n", "ambient"}},
        "by_n": {"mnist" | "noise": {n: d}}} with integer k and n, as measured."""
    info = artifact.info
    results = {name: {**r, "mle_by_k": {int(k): v for k, v in r["mle_by_k"].items()}}
               for name, r in info["results"].items()}
    by_n = {name: {int(m): v for m, v in sizes.items()} for name, sizes in info["by_n"].items()}
    return {"results": results, "by_n": by_n}
