"""What a denoiser removes: the ideal denoiser of a finite data set, and a move split into the
part along a curve and the part across it.

For data points y_i and Gaussian noise of level σ, the best possible guess of the clean point
behind a noisy x (in squared error) is the posterior mean
    D*(x; σ) = Σ_i w_i y_i / Σ_i w_i,  w_i = exp(−‖x − y_i‖² / 2σ²),
the denoiser every trained one tries to be. Given only the points of one prompt, it is that
prompt's ideal conditional denoiser.
"""
from __future__ import annotations

import numpy as np


def ideal_denoiser(x: np.ndarray, sigma: float, data: np.ndarray, chunk: int = 256) -> np.ndarray:
    """(n, 2) noisy points -> (n, 2) the posterior mean over `data` (m, 2) at noise level σ."""
    guesses = []
    for start in range(0, len(x), chunk):
        part = x[start:start + chunk]
        # ‖x − y‖² = ‖x‖² − 2 x·y + ‖y‖², for every pair (chunk, m)
        squared = (part ** 2).sum(1)[:, None] - 2 * part @ data.T + (data ** 2).sum(1)[None, :]
        logits = -squared / (2 * sigma ** 2)
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))  # stable: the largest is 1
        guesses.append(weights @ data / weights.sum(axis=1, keepdims=True))
    return np.concatenate(guesses)


def split_shares(noise: np.ndarray, move: np.ndarray, tangent: np.ndarray,
                 normal: np.ndarray) -> dict:
    """How much of the noise a denoiser takes away, across the curve and along it.

    noise ε (n, 2) was added at points of the curve, move m = D(y + ε) − (y + ε) (n, 2) is what
    the denoiser does; tangent and normal (n, 2) are the curve's directions at each point.
    removed_across = −Σ (m·n)(ε·n) / Σ (ε·n)²: 1 when the move undoes exactly the noise across;
    kept_along = 1 + Σ (m·t)(ε·t) / Σ (ε·t)²: 1 when the move leaves the noise along untouched.
    (Each is a least-squares slope, so a few points far off the line do not dominate.)"""
    across, along = (noise * normal).sum(1), (noise * tangent).sum(1)
    move_across, move_along = (move * normal).sum(1), (move * tangent).sum(1)
    return {"removed_across": float(-(move_across * across).sum() / (across ** 2).sum()),
            "kept_along": float(1 + (move_along * along).sum() / (along ** 2).sum())}


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(n, 2), (n, 2) -> (n,) the cosine of the angle between each pair of moves."""
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
