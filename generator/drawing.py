"""What several figures share: drawing helpers, and the choices two figures must agree on
(the extent of a latent map, the article's path through it, the names of the face factors).

Figures import from here and never from one another: each figure module stays one chapter's
pictures, and editing one chapter re-renders only the figures that use what changed.
"""
from __future__ import annotations

import numpy as np

from generator.data.mnist import SIDE, load_mnist
from generator.engine import style
from generator.engine.seeding import numpy_stream

MNIST_MAP_LIMIT = 3.0  # the MNIST chapter's grid and scatter span [−3, 3]² of latent space
MNIST_GRID = 20  # cells per side of its decoded grids (and of the grids the classifier counts)
MNIST_PHONE_GRID = 12  # on a phone, a coarser grid over the same range: each digit ≈ 27 CSS px, not 16
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


def shifted(ax, dx_points: float, dy_points: float):
    """Data coordinates moved by (dx, dy) points on the page: a label beside its point."""
    from matplotlib.transforms import ScaledTranslation

    return ax.transData + ScaledTranslation(dx_points / 72, dy_points / 72, ax.figure.dpi_scale_trans)


def separate_labels(ax, texts: list, gap_px: float = 2.0, rounds: int = 200, fixed: tuple = (),
                    avoid: tuple = (), avoid_px: float = 12.0) -> None:
    """Move labels placed at data points (a cluster's middle, a curve's point) apart until no
    two of their boxes overlap, each by as little as it can: a pair that overlaps is pushed
    apart along the line between their centres, half the overlap each, and again until none
    overlaps. Labels in `fixed` stay where they are; the others move clear of them too, and of
    the data points in `avoid` (each a square of 2·avoid_px pixels: a marker drawn over labels).
    Deterministic (no randomness), so the figure's bytes do not change between builds.

    (adjustText does this and more, but it also pulls labels toward empty space; these labels
    must stay on what they name.)"""
    figure = ax.figure
    texts = list(texts) + list(fixed)
    moves = np.array([0.0 if text in fixed else 1.0 for text in texts])  # (k,) 0: stays put
    figure.draw_without_rendering()  # the boxes as drawn, without painting pixels
    renderer = figure.canvas.get_renderer()

    def extent(text):  # the label's box, or the text's own if it has no box
        patch = text.get_bbox_patch()
        return patch.get_window_extent(renderer) if patch is not None else text.get_window_extent(renderer)

    boxes = [extent(text) for text in texts]
    sizes = np.array([[b.width, b.height] for b in boxes] + [[2 * avoid_px] * 2] * len(avoid))  # (k, 2) px
    start = np.array([[(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2] for b in boxes]
                     + [ax.transData.transform(point) for point in avoid]).reshape(-1, 2)  # box centres
    moves = np.concatenate([moves, np.zeros(len(avoid))])  # the points stay put
    inside = ax.get_window_extent(renderer)  # a label stays within its axes, clear of the frame
    low, high = (inside.x0, inside.y0), (inside.x1, inside.y1)
    # plain Python floats below (the same float64 arithmetic as numpy, without its per-call cost
    # on two-element arrays): centres[k] = [x, y], sizes[k] = [width, height] in pixels
    centres, sizes, moves = start.tolist(), sizes.tolist(), moves.tolist()
    movable = [k for k, m in enumerate(moves) if m]
    pairs = [(i, j) for i in range(len(centres)) for j in range(i + 1, len(centres))
             if moves[i] + moves[j] > 0]  # two points that both stay put never need parting
    # first keep labels off one another and off the points; if the points leave no room, give
    # them up (size 0) and keep the labels off one another only: text never overlaps text
    for round_ in range(2 * rounds):
        if round_ == rounds:
            sizes[len(texts):] = [[0.0, 0.0]] * (len(sizes) - len(texts))
        for k in movable:  # the whole box inside the frame, where it fits
            for a in (0, 1):
                half = sizes[k][a] / 2 + gap_px
                if high[a] - low[a] > 2 * half:
                    centres[k][a] = min(max(centres[k][a], low[a] + half), high[a] - half)
        moved = False
        for i, j in pairs:
            # overlap along each axis: half-widths summed (plus the gap) minus the distance
            size_i, size_j, centre_i, centre_j = sizes[i], sizes[j], centres[i], centres[j]
            overlap_x = (size_i[0] + size_j[0]) / 2 + gap_px - abs(centre_i[0] - centre_j[0])
            if not overlap_x > 0:
                continue
            overlap_y = (size_i[1] + size_j[1]) / 2 + gap_px - abs(centre_i[1] - centre_j[1])
            if overlap_y > 0:
                overlap = (overlap_x, overlap_y)
                axis = 0 if overlap_x <= overlap_y else 1  # the cheaper direction to part them
                sign = 1.0 if centres[i][axis] >= centres[j][axis] else -1.0
                if centres[i][axis] == centres[j][axis]:
                    sign = 1.0 if i < j else -1.0  # same spot: the earlier label goes up/right
                share = overlap[axis] / (moves[i] + moves[j])  # a fixed label's part goes to the other
                centres[i][axis] += sign * share * moves[i]
                centres[j][axis] -= sign * share * moves[j]
                moved = True
        if not moved:
            break
    centres = np.array(centres)
    for text, shift in zip(texts, centres[:len(texts)] - start[:len(texts)]):  # each anchor moves as its box moved
        anchor = text.get_transform().transform(text.get_position())
        text.set_position(tuple(text.get_transform().inverted().transform(anchor + shift)))


def latent_map(ax, codes: np.ndarray, labels: np.ndarray, highlight: int | None = None,
               limit: float = PROMPT_MAP_LIMIT, labels_on: bool = True, avoid: tuple = (),
               avoid_px: float = 12.0) -> None:
    """The latent map: test digits as faint dots in their digit's colour, each digit's label
    at the middle of its cluster (moved apart where two clusters' middles are close, and off
    the points in `avoid`). With `highlight`, the other digits turn grey."""
    placed = []
    for digit in range(10):
        mine = codes[labels == digit]
        strong = highlight in (None, digit)
        colour = ("#cfd8dc" if not strong else PROMPTED if highlight is not None
                  else digit_colour(digit))
        ax.scatter(mine[:, 0], mine[:, 1], s=7, color=colour, alpha=0.5, linewidths=0, zorder=1)
        if labels_on:
            centre = np.clip(np.median(mine, axis=0), -0.9 * limit, 0.9 * limit)  # on the map
            placed.append(ax.text(*centre, str(digit), fontsize=12 if strong else style.SMALLEST_PT, weight="bold",
                    ha="center", va="center", zorder=5,
                    color=colour if strong else style.MUTED,
                    bbox={"boxstyle": "circle,pad=0.12", "fc": "white", "alpha": 0.8,
                          "ec": colour}))
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), xticks=[], yticks=[], aspect="equal")
    ax.spines[:].set_visible(True)
    ax.spines[:].set_color(style.GRID)
    if placed:
        separate_labels(ax, placed, avoid=avoid, avoid_px=avoid_px)

# the MNIST chapter's decoded digits and grids (two figure modules draw them)

def decode_digits(artifact, z: np.ndarray) -> np.ndarray:
    """(k, 2) latent points -> (k, 28, 28) decoded digits (pixel probabilities), one batch."""
    from generator.networks.vae import decode_codes, vae_from_artifact

    return decode_codes(vae_from_artifact(artifact), z).reshape(-1, SIDE, SIDE)


def digit_codes(artifact, images: np.ndarray) -> np.ndarray:
    """(n, 784) digits -> (n, 2) the means of q(z|x)."""
    from generator.networks.vae import encode_means, vae_from_artifact

    return encode_means(vae_from_artifact(artifact), images)


def montage(digits: np.ndarray, rows: int) -> np.ndarray:
    """(rows*cols, SIDE, SIDE) -> one (rows*SIDE, cols*SIDE) image, row 0 at the top."""
    cols = len(digits) // rows
    return digits.reshape(rows, cols, SIDE, SIDE).transpose(0, 2, 1, 3).reshape(rows * SIDE, cols * SIDE)


def grid_points(values: np.ndarray) -> np.ndarray:
    """A n×n lattice over the n values, listed row by row from the top (largest z₂) down: (n², 2)."""
    z1, z2 = np.meshgrid(values, values[::-1])
    return np.column_stack([z1.ravel(), z2.ravel()])


def linear_grid(cells: int = MNIST_GRID) -> np.ndarray:
    return grid_points(np.linspace(-MNIST_MAP_LIMIT, MNIST_MAP_LIMIT, cells))


def kingma_welling_grid(cells: int = MNIST_GRID) -> np.ndarray:
    from scipy.stats import norm

    # z = Φ⁻¹(u) for u evenly spaced in (0, 1): equal steps of prior probability
    return grid_points(norm.ppf(np.linspace(0.05, 0.95, cells)))


def show_digits(ax, image, extent=None):
    """A grey-scale digit image (or a montage of them), ink dark on white."""
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1, extent=extent, interpolation="antialiased")


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
    """A rounded box of colour at (x, y) in axes units, its lines centred in it one under another,
    at an even line height (not spread over the box: a short text stays one block)."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.01,rounding_size=0.02",
                                facecolor=colour, edgecolor="none"))
    # one line's height in axes units: 1.45 × the font's size, over the axes' height in points
    axes_points = ax.get_position().height * ax.figure.get_figheight() * 72
    step = min(1.45 * 11.5 / axes_points, height / (len(lines) + 0.5))
    for index, line in enumerate(lines):
        ax.text(x + width / 2, y + height / 2 + ((len(lines) - 1) / 2 - index) * step, line,
                ha="center", va="center", fontsize=11.5,
                weight="bold" if index == 0 and bold_first else "normal", color=style.INK)
