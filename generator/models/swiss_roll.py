"""Unrolling the Swiss roll with three classic manifold-learning methods from scikit-learn.

Each method sees only the 3-D points and must find a 2-D picture of them. We keep the
pictures and score each against the true sheet coordinates (generator/measures/scores.py).
"""
from __future__ import annotations

import numpy as np

from generator.data.swiss_roll import make_swiss_roll
from generator.engine.artifacts import Artifact
from generator.engine.registry import model
from generator.measures.scores import along_roll_correlation, distance_correlation

METHODS = ("isomap", "lle", "tsne")


def embed(method: str, points: np.ndarray, config: dict, seed: int) -> np.ndarray:
    """(n, 3) points -> (n, 2) embedding by one method."""
    from sklearn.manifold import TSNE, Isomap, LocallyLinearEmbedding

    if method == "isomap":
        # dense eigen-solver: the arpack one starts from a random vector and varies in the last bits
        fitted = Isomap(n_neighbors=config["neighbours"], n_components=2, eigen_solver="dense")
    elif method == "lle":
        fitted = LocallyLinearEmbedding(n_neighbors=config["neighbours"], n_components=2,
                                        eigen_solver="dense", random_state=seed)
    elif method == "tsne":
        fitted = TSNE(n_components=2, perplexity=config["perplexity"], init="pca",
                      random_state=seed, max_iter=config["tsne_iterations"])
    else:
        raise ValueError(f"unknown method {method}")
    return fitted.fit_transform(points)


@model("swiss_roll", expected_seconds=6,
       full={"n_points": 1500, "neighbours": 10, "perplexity": 30, "tsne_iterations": 1000},
       smoke={"n_points": 300, "neighbours": 10, "perplexity": 20, "tsne_iterations": 250})
def train_swiss_roll(config: dict, ctx) -> Artifact:
    roll = make_swiss_roll(config["n_points"], ctx.stream("data"))
    arrays = {"points": roll.points, "t": roll.t, "h": roll.h}
    scores = {}
    for method in ctx.progress(METHODS, "embedding"):
        embedding = embed(method, roll.points, config, ctx.seed(method))  # (n, 2)
        arrays[method] = embedding
        scores[method] = {
            "along_roll": round(along_roll_correlation(embedding, roll.t), 3),
            "distances": round(distance_correlation(embedding, roll.sheet), 3),
        }
    # the baseline: straight-line distances through 3-D space, ignoring the sheet
    scores["straight_3d"] = {"distances": round(distance_correlation(roll.points, roll.sheet), 3)}
    return Artifact(arrays, {"scores": scores, "n_points": config["n_points"]})
