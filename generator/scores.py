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


def distance_correlation(embedding: np.ndarray, sheet: np.ndarray) -> float:
    """Spearman ρ between all pairwise distances in the embedding and on the true flat sheet.

    1 when the embedding keeps the sheet's shape (near stays near, far stays far, in order);
    it drops when a method squashes a direction or tears the sheet apart.
    """
    from scipy.spatial.distance import pdist
    from scipy.stats import spearmanr

    # ρ = corr(rank d_embedding(i, j), rank d_sheet(i, j)) over all pairs i < j
    return float(spearmanr(pdist(embedding), pdist(sheet)).statistic)
