"""What several figures share: drawing helpers, and the choices two figures must agree on
(the extent of a latent map, the article's path through it, the names of the face factors).

Figures import from here and never from one another: each figure module stays one chapter's
pictures, and editing one chapter re-renders only the figures that use what changed.
"""
from __future__ import annotations

import numpy as np

from generator.data.mnist import load_mnist
from generator.engine import style
from generator.engine.seeding import numpy_stream

MNIST_MAP_LIMIT = 3.0  # the MNIST chapter's grid and scatter span [−3, 3]² of latent space
PROMPT_MAP_LIMIT = 4.5  # the conditional chapter's map: every test digit's code lies inside
PATH_DIGITS = (9, 6, 0)  # the article's path: a 9 turns into a 6, then into a 0

FACTOR_NAMES = {  # (Korean, English) labels
    "eye_size": ("눈 크기", "eye size"), "nose_size": ("코 크기", "nose size"),
    "smile": ("입꼬리", "smile"), "face_width": ("얼굴 너비", "face width"),
    "hair": ("머리숱", "hair"), "skin_tone": ("피부색", "skin tone"),
}

PROMPTED = "#1e88e5"  # the prompted digit's dots (tab10's own colour for 7 is grey)


def digit_colour(digit: int):
    import matplotlib.pyplot as plt

    return plt.get_cmap("tab10")(digit)



def latent_map(ax, codes: np.ndarray, labels: np.ndarray, highlight: int | None = None,
               limit: float = PROMPT_MAP_LIMIT, labels_on: bool = True) -> None:
    """The latent map: test digits as faint dots in their digit's colour, each digit's label
    at the middle of its cluster. With `highlight`, the other digits turn grey."""
    for digit in range(10):
        mine = codes[labels == digit]
        strong = highlight in (None, digit)
        colour = ("#cfd8dc" if not strong else PROMPTED if highlight is not None
                  else digit_colour(digit))
        ax.scatter(mine[:, 0], mine[:, 1], s=7, color=colour, alpha=0.5, linewidths=0, zorder=1)
        if labels_on:
            centre = np.median(mine, axis=0)
            ax.text(*centre, str(digit), fontsize=12 if strong else style.SMALLEST_PT, weight="bold",
                    ha="center", va="center", zorder=5,
                    color=colour if strong else style.MUTED,
                    bbox={"boxstyle": "circle,pad=0.12", "fc": "white", "alpha": 0.8,
                          "ec": colour})
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), xticks=[], yticks=[], aspect="equal")
    ax.spines[:].set_visible(True)
    ax.spines[:].set_color(style.GRID)



def digit_strip(ax, images: np.ndarray, rows: int) -> None:
    """(k, 28, 28) decoded images as one block of `rows` rows, thin white gaps between."""
    cols = int(np.ceil(len(images) / rows))
    canvas = np.zeros((rows * 30, cols * 30))
    for index, image in enumerate(images):
        r, c = divmod(index, cols)
        canvas[r * 30 + 1: r * 30 + 29, c * 30 + 1: c * 30 + 29] = image
    ax.imshow(canvas, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set(xticks=[], yticks=[])
    ax.spines[:].set_visible(False)



def path_through_centroids(vae) -> tuple[np.ndarray, np.ndarray]:
    """The training digits' median latent position for 9, 6 and 0, and a smooth curve through them.

    The curve is a quadratic Bézier B(s) = (1−s)² P₀ + 2(1−s)s C + s² P₂ whose control point
    C = 2 P₁ − (P₀ + P₂)/2 makes it pass through the middle centroid P₁ at s = ½.
    """
    from generator.networks.vae import encode_means, vae_from_artifact

    train = load_mnist(numpy_stream("data/mnist/split")).train
    means = encode_means(vae_from_artifact(vae), train.images)  # (4500, 2)
    p0, p1, p2 = (np.median(means[train.labels == d], axis=0) for d in PATH_DIGITS)
    control = 2 * p1 - (p0 + p2) / 2
    return np.stack([p0, p1, p2]), lambda s: ((1 - s)[:, None] ** 2 * p0
                                              + (2 * (1 - s) * s)[:, None] * control
                                              + (s ** 2)[:, None] * p2)


def box(ax, x: float, y: float, width: float, height: float, lines: list[str], colour: str,
        bold_first: bool = True) -> None:
    """A rounded box of colour at (x, y) in axes units, its lines centred one under another."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.01,rounding_size=0.02",
                                facecolor=colour, edgecolor="none"))
    for index, line in enumerate(lines):
        ax.text(x + width / 2, y + height - (index + 0.75) * height / (len(lines) + 0.5), line,
                ha="center", va="center", fontsize=11.5,
                weight="bold" if index == 0 and bold_first else "normal", color=style.INK)
