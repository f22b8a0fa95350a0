"""Two estimators of intrinsic dimension: how many numbers it takes to say where a point is on
the manifold the data lie on, measured from the data alone.

Both look only at each point's nearest neighbours. If points fill a d-dimensional space evenly
near x, the number of neighbours within distance r grows like r^d; the estimators read d off
how fast the neighbour distances grow.

- Levina and Bickel (2004), maximum likelihood from the k nearest neighbours, averaged over the
  points by inverses as MacKay and Ghahramani (2005) recommend (the average of the inverse
  estimates is unbiased, the average of the estimates is not).
- TwoNN (Facco, d'Errico, Rodriguez and Laio, 2017): only the first two neighbours. The ratio
  μ = r₂ / r₁ follows a Pareto law with exponent d whatever the density, so d has a closed-form
  maximum-likelihood estimate.

We write them here (a few lines each, on scikit-learn's neighbour search) rather than install
scikit-dimension, which would bring numba and LLVM for these two formulas.
"""
from __future__ import annotations

import numpy as np


def neighbour_distances(points: np.ndarray, k: int) -> np.ndarray:
    """(n, D) points -> (n, k) distances to each point's k nearest other points, ascending."""
    from sklearn.neighbors import NearestNeighbors

    points = np.asarray(points, dtype=np.float64)
    if len(points) <= k:
        raise ValueError(f"{len(points)} points cannot have {k} neighbours each; use fewer neighbours")
    search = NearestNeighbors(n_neighbors=k + 1, algorithm="brute").fit(points)
    distances, _ = search.kneighbors(points)
    return distances[:, 1:]  # column 0 is the point itself


def mle_dimension(points: np.ndarray, k: int = 20, distances: np.ndarray | None = None) -> float:
    """Levina–Bickel with k neighbours, averaged by inverses (MacKay–Ghahramani)."""
    t = neighbour_distances(points, k) if distances is None else distances[:, :k]
    t = np.maximum(t, 1e-12)  # duplicates would give log(0)
    # 1 / m̂_k(x) = (1 / (k − 1)) Σ_{j<k} log(T_k(x) / T_j(x))
    inverse = np.log(t[:, -1:] / t[:, :-1]).sum(axis=1) / (k - 1)
    # m̂_k = 1 / mean over x of (1 / m̂_k(x))
    return float(1.0 / inverse.mean())


def twonn_dimension(points: np.ndarray, distances: np.ndarray | None = None) -> float:
    """TwoNN: d̂ = n / Σ log(r₂ / r₁), the maximum-likelihood estimate under μ ~ Pareto(d)."""
    r = neighbour_distances(points, 2) if distances is None else distances[:, :2]
    ratio = r[:, 1] / np.maximum(r[:, 0], 1e-12)
    ratio = ratio[ratio > 1]  # exact ties (r₁ = r₂) carry no information
    # d̂ = n / Σ_i log μ_i
    return float(len(ratio) / np.log(ratio).sum())


def on_sphere(n: int, d: int, ambient: int, rng: np.random.Generator) -> np.ndarray:
    """n points uniform on the d-dimensional unit sphere S^d, turned at random into `ambient`
    dimensions: a manifold of dimension d with no edges, for testing the estimators."""
    x = rng.standard_normal((n, d + 1))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    rotation, _ = np.linalg.qr(rng.standard_normal((ambient, ambient)))
    return np.pad(x, ((0, 0), (0, ambient - d - 1))) @ rotation


def in_cube(n: int, d: int, ambient: int, rng: np.random.Generator) -> np.ndarray:
    """n points uniform in the d-dimensional unit cube, turned at random into `ambient` dimensions."""
    rotation, _ = np.linalg.qr(rng.standard_normal((ambient, ambient)))
    return np.pad(rng.random((n, d)), ((0, 0), (0, ambient - d))) @ rotation
