"""Two style words measured from a digit's pixels: how thick its strokes are, how far it leans.

The conditional chapter lets a reader ask for "a thick 7" or "a slanted 1". Those words must
mean something we can check on any image, a real digit or a generated one, so both are
plain measurements:

- stroke width, in pixels: the inked area divided by the length of the stroke's skeleton
  (a one-pixel-wide centre line, from scikit-image). A stroke w pixels wide and L long
  covers about w·L pixels and has a skeleton about L long.
- slant, in degrees: how far the digit's main axis leans from vertical, from its second
  image moments (the same quantity that classic "deskewing" of MNIST removes). Positive
  means the top leans to the right, as in handwriting.

Each training digit then gets a word per style: thin / regular / thick are the thirds of
stroke width *within its own digit class* (a thick 1 is thick for a 1), and upright /
slanted are fixed angle ranges; digits in between, or leaning left, get the third slant
class "other", which has no word of its own.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIDE = 28
INK_THRESHOLD = 0.5  # a pixel counts as ink when its grey value is at least this
THICKNESS = ("thin", "regular", "thick")  # class 0, 1, 2: thirds of stroke width per digit
SLANT = ("upright", "slanted", "other")  # class 0, 1, 2
UPRIGHT_DEGREES = 5.0  # |slant| ≤ 5°: upright
SLANTED_DEGREES = 15.0  # slant ≥ 15° (leaning right): slanted


def stroke_width(images: np.ndarray) -> np.ndarray:
    """(n, 784) or (n, 28, 28) grey images in [0, 1] -> (n,) stroke width in pixels."""
    from skimage.morphology import skeletonize

    ink = np.asarray(images).reshape(-1, SIDE, SIDE) >= INK_THRESHOLD  # (n, 28, 28)
    area = ink.sum(axis=(1, 2))  # (n,)
    length = np.array([skeletonize(mask).sum() for mask in ink])  # (n,)
    # width ≈ area / length of the centre line
    return area / np.maximum(length, 1)


def slant_degrees(images: np.ndarray) -> np.ndarray:
    """(n, 784) or (n, 28, 28) grey images -> (n,) lean from vertical in degrees (+ = right)."""
    grey = np.asarray(images, dtype=np.float64).reshape(-1, SIDE, SIDE)  # (n, 28, 28)
    rows, cols = np.mgrid[0:SIDE, 0:SIDE]  # row index grows downward
    mass = grey.sum(axis=(1, 2))  # (n,)
    row_mean = (grey * rows).sum(axis=(1, 2)) / mass
    col_mean = (grey * cols).sum(axis=(1, 2)) / mass
    d_row = rows[None] - row_mean[:, None, None]  # (n, 28, 28)
    d_col = cols[None] - col_mean[:, None, None]
    # μ₁₁ = E[Δrow·Δcol], μ₀₂ = E[Δrow²]: columns move μ₁₁/μ₀₂ per row going down
    mu11 = (grey * d_row * d_col).sum(axis=(1, 2)) / mass
    mu02 = (grey * d_row * d_row).sum(axis=(1, 2)) / mass
    # going *up* one row moves the ink −μ₁₁/μ₀₂ columns to the right: the lean's tangent
    return np.degrees(np.arctan(-mu11 / mu02))


@dataclass
class StyleLabels:
    thickness: np.ndarray  # (n,) 0 thin, 1 regular, 2 thick
    slant: np.ndarray  # (n,) 0 upright, 1 slanted, 2 other
    width: np.ndarray  # (n,) stroke width in pixels
    degrees: np.ndarray  # (n,) slant in degrees
    width_cuts: np.ndarray  # (10, 2): per digit, the widths that separate the thirds (0 if absent)


def style_labels(images: np.ndarray, digits: np.ndarray) -> StyleLabels:
    """Measure every digit and give it a thickness class and a slant class."""
    width, degrees = stroke_width(images), slant_degrees(images)
    thickness = np.zeros(len(digits), dtype=np.int64)
    cuts = np.zeros((10, 2))
    for digit in np.unique(digits):
        mine = digits == digit
        cuts[digit] = np.quantile(width[mine], [1 / 3, 2 / 3])
        thickness[mine] = np.searchsorted(cuts[digit], width[mine], side="right")
    slant = np.full(len(digits), 2, dtype=np.int64)
    slant[np.abs(degrees) <= UPRIGHT_DEGREES] = 0
    slant[degrees >= SLANTED_DEGREES] = 1
    return StyleLabels(thickness, slant, width, degrees, cuts)
