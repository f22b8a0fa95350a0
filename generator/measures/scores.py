"""Numbers that say how well an embedding recovers a known manifold."""
from __future__ import annotations

import numpy as np


def along_roll_correlation(embedding: np.ndarray, truth: np.ndarray, directions: int = 180) -> float:
    """|Spearman ρ| between the true coordinate along the sheet and the embedding read along
    its best direction.

    Taking the best of `directions` evenly spaced directions means a method is not punished
    for a rotated or mirrored picture, and a rank correlation does not punish a monotone
    stretch. 1: the order along the roll is recovered exactly; 0: no relation at all.
    """
    from scipy.stats import spearmanr

    angles = np.linspace(0.0, np.pi, directions, endpoint=False)  # (k,)
    unit = np.column_stack([np.cos(angles), np.sin(angles)])  # (k, 2)
    projections = embedding @ unit.T  # (n, k): the embedding read along each direction
    # ρ = Pearson correlation of ranks, for every direction at once
    rho = spearmanr(projections, truth[:, None]).statistic[-1, :-1]  # (k,)
    return float(np.max(np.abs(rho)))


def sheet_proportions(embedding: np.ndarray, along: np.ndarray) -> dict:
    """Two numbers that describe the *shape* an embedding gives the sheet, read along the
    direction that best follows the true position `along` (e.g. arc length) and across it:

    - length_to_width: the picture's extent along the roll divided by its extent across it
      (5th to 95th percentile). The true sheet of the Swiss roll is about 4 times as long
      as it is wide; a method that shortens the roll direction gets a smaller number.
    - wedge: how much wider the picture is at the start of the roll than at its end (the
      spread across, interquartile, in the first tenth of the roll over the last tenth).
      1 for a rectangle; a sheet warped into a wedge gets a large number.
    """
    centred = embedding - embedding.mean(axis=0)  # (n, 2)
    # the unit direction u that best predicts `along` linearly: u ∝ Cov(X)⁻¹ Cov(X, along)
    weights = np.linalg.lstsq(centred, along - along.mean(), rcond=None)[0]  # (2,)
    u = weights / np.linalg.norm(weights)
    length = centred @ u  # (n,) position along the roll in the picture
    width = centred @ np.array([-u[1], u[0]])  # (n,) position across it

    def extent(values):
        low, high = np.percentile(values, [5, 95])
        return high - low

    def spread(values):
        low, high = np.percentile(values, [25, 75])
        return high - low

    first, last = along <= np.quantile(along, 0.1), along >= np.quantile(along, 0.9)
    return {"length_to_width": round(float(extent(length) / extent(width)), 2),
            "wedge": round(float(spread(width[first]) / spread(width[last])), 1)}


def distance_correlation(embedding: np.ndarray, sheet: np.ndarray) -> float:
    """Spearman ρ between all pairwise distances in the embedding and on the true flat sheet.

    1 when the embedding keeps the sheet's shape (near stays near, far stays far, in order);
    it drops when a method squashes a direction or tears the sheet apart.
    """
    from scipy.spatial.distance import pdist
    from scipy.stats import spearmanr

    # ρ = corr(rank d_embedding(i, j), rank d_sheet(i, j)) over all pairs i < j
    return float(spearmanr(pdist(embedding), pdist(sheet)).statistic)


def mmd_squared(a: np.ndarray, b: np.ndarray, bandwidth: float) -> float:
    """Unbiased estimate of the squared maximum mean discrepancy between two samples, with a
    Gaussian kernel of the given width. About 0 when both come from one distribution."""
    from scipy.spatial.distance import cdist

    def kernel(x, y):
        # k(x, y) = exp(−‖x − y‖² / (2 h²))
        return np.exp(-cdist(x, y, "sqeuclidean") / (2 * bandwidth ** 2))

    m, n = len(a), len(b)
    k_aa, k_bb = kernel(a, a), kernel(b, b)
    # MMD² = mean_{i≠j} k(aᵢ, aⱼ) + mean_{i≠j} k(bᵢ, bⱼ) − 2 mean_{i,j} k(aᵢ, bⱼ)
    within_a = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    within_b = (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    return float(within_a + within_b - 2 * kernel(a, b).mean())


def wasserstein_1(a: np.ndarray, b: np.ndarray) -> float:
    """Earth mover's distance between two equal-size samples: pair every point of `a` with one
    of `b` so that the mean distance of the pairs is as small as possible (exact, Hungarian)."""
    from scipy.optimize import linear_sum_assignment
    from scipy.spatial.distance import cdist

    if len(a) != len(b):
        raise ValueError(f"need two samples of the same size, got {len(a)} and {len(b)}")
    cost = cdist(a, b)  # (n, n) Euclidean distances
    rows, cols = linear_sum_assignment(cost)
    # W₁ = min over pairings π of (1/n) Σᵢ ‖aᵢ − b_π(i)‖
    return float(cost[rows, cols].mean())


def nearest_training(images: np.ndarray, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(k, 784), (n, 784) -> (k,) index of each image's nearest training digit, (k,) its distance."""
    # ‖a − b‖² = ‖a‖² − 2 a·b + ‖b‖²
    squared = (images ** 2).sum(1)[:, None] - 2 * images @ train.T + (train ** 2).sum(1)[None, :]
    index = squared.argmin(axis=1)
    return index, np.sqrt(np.maximum(squared[np.arange(len(images)), index], 0))
