"""The Swiss roll: 2-D data living in 3-D space, and three methods that unroll it."""
from __future__ import annotations

import numpy as np

from generator.data.swiss_roll import arc_length, make_swiss_roll, roll_sheet
from generator.engine import style
from generator.engine.animation import Animation
from generator.engine.registry import figure
from generator.engine.seeding import numpy_stream
from generator.measures.scores import sheet_proportions

METHOD_TITLES = {"isomap": "Isomap", "lle": "LLE", "tsne": "t-SNE"}


def sheet_label(ctx) -> str:
    return ctx.text("종이 위의 위치 (말린 방향)", "position along the sheet")


def roll_axes(ax, points, colour, view=(12, -68)) -> None:
    """A 3-D scatter of the roll, coloured by position along the sheet, with a fixed camera."""
    ax.scatter(points[:, 0], points[:, 1], points[:, 2], c=colour, cmap=style.MANIFOLD_CMAP,
               s=5, linewidths=0, depthshade=False)
    ax.view_init(elev=view[0], azim=view[1])
    ax.set(xticklabels=[], yticklabels=[], zticklabels=[])
    ax.set_xlabel("x", labelpad=-12)
    ax.set_ylabel("y", labelpad=-12)
    ax.set_zlabel("z", labelpad=-12)


def align_to(embedding: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Rotate/mirror and scale an embedding to face the same way as the truth (no stretching),
    so the panels can be compared by eye. Orthogonal Procrustes."""
    a = embedding - embedding.mean(axis=0)  # (n, 2)
    b = truth - truth.mean(axis=0)  # (n, 2)
    # R = U Vᵀ where U Σ Vᵀ = svd(Aᵀ B) minimises ‖A R − B‖
    u, _, vt = np.linalg.svd(a.T @ b)
    rotated = a @ (u @ vt)
    return rotated * (np.linalg.norm(b) / np.linalg.norm(rotated))


@figure("swiss_roll_3d", models=("swiss_roll",), narrow=True)
def swiss_roll_3d(ctx):
    import matplotlib.pyplot as plt

    roll = ctx.model("swiss_roll").arrays
    sheet = np.column_stack([arc_length(roll["t"]), roll["h"]])  # (n, 2) the true flat sheet
    if ctx.narrow:  # the roll above the unrolled sheet
        fig = plt.figure(figsize=(style.NARROW_IN, 5.2))
        ax3d = fig.add_axes((0.0, 0.4, 1.0, 0.56), projection="3d")
        sheet_box = (0.1, 0.08, 0.86, 0.22)
    else:
        fig = plt.figure(figsize=(7.4, 3.3))
        ax3d = fig.add_axes((0.0, 0.0, 0.46, 0.92), projection="3d")
        sheet_box = (0.56, 0.3, 0.42, 0.4)
    roll_axes(ax3d, roll["points"], sheet[:, 0])
    ax3d.set_box_aspect(None, zoom=1.15)
    ax3d.set_title(ctx.text("(가) 3차원 공간 속의 스위스롤", "(a) The Swiss roll in 3-D space"), y=0.98)
    ax = fig.add_axes(sheet_box)
    ax.scatter(sheet[:, 0], sheet[:, 1], c=sheet[:, 0], cmap=style.MANIFOLD_CMAP, s=5,
               linewidths=0)
    ax.set(xlabel=sheet_label(ctx), ylabel=ctx.text("높이", "height"), aspect="equal")
    ax.set_title(ctx.text("(나) 펼친 모습: 2차원 종이", "(b) Unrolled: a 2-D sheet"))
    return fig


@figure("swiss_roll_unrolled", models=("swiss_roll",), narrow=True)
def swiss_roll_unrolled(ctx):
    import matplotlib.pyplot as plt

    artifact = ctx.model("swiss_roll")
    roll = artifact.arrays
    sheet = np.column_stack([arc_length(roll["t"]), roll["h"]])  # (n, 2)
    ctx.metrics.update(artifact.info["scores"])
    ctx.metrics["n_points"] = artifact.info["n_points"]
    # the shape each picture gives the sheet: how long for its width, and how wedge-shaped
    ctx.metrics["proportions"] = {"truth": sheet_proportions(sheet, sheet[:, 0])}
    for method in METHOD_TITLES:
        ctx.metrics["proportions"][method] = sheet_proportions(roll[method], sheet[:, 0])
    fig, axes = plt.subplots(*((4, 1) if ctx.narrow else (2, 2)),
                             figsize=(style.NARROW_IN, 7.0) if ctx.narrow else (7.0, 5.2))
    panels = [("truth", sheet, ctx.text("정답: 실제로 펼친 종이", "Truth: the sheet unrolled"))]
    panels += [(m, align_to(roll[m], sheet), METHOD_TITLES[m]) for m in METHOD_TITLES]
    for ax, (name, coordinates, title) in zip(axes.flat, panels):
        ax.scatter(coordinates[:, 0], coordinates[:, 1], c=sheet[:, 0], cmap=style.MANIFOLD_CMAP,
                   s=4, linewidths=0)
        ax.set_title(title)
        ax.set(xticks=[], yticks=[], aspect="equal")
        ax.spines[:].set_visible(True)
        ax.spines[:].set_color(style.GRID)
    fig.tight_layout()
    return fig


def eased(fraction: np.ndarray) -> np.ndarray:
    # ease(u) = (1 − cos πu) / 2: starts and stops gently
    return 0.5 * (1 - np.cos(np.pi * fraction))


@figure("swiss_roll_animation", kind="animation", localized=False, frame_ms=70)
def swiss_roll_animation(ctx):
    """A flat sheet of points rolls up into the Swiss roll and unrolls again."""
    import matplotlib.pyplot as plt

    n_points, moving_frames, still_frames = (300, 6, 1) if ctx.smoke else (900, 26, 8)
    roll = make_swiss_roll(n_points, numpy_stream("figure/swiss_roll_animation/data"))
    rolling = eased(np.linspace(0, 1, moving_frames))
    schedule = [0.0] * still_frames + list(rolling) + [1.0] * still_frames  # flat, roll up, rest
    animation = Animation(bounce=True)  # and back: the player unrolls it again
    for amount in schedule:
        points = roll_sheet(roll.t, roll.h, amount)  # (n, 3)
        fig = plt.figure(figsize=(4.4, 3.0), dpi=100, facecolor="white")
        ax = fig.add_axes((0, 0, 1, 1), projection="3d")
        roll_axes(ax, points, roll.t, view=(24, -56))
        # each frame fills the frame: the long flat sheet and the compact roll alike (the
        # scale follows the shape smoothly, as the amount rolled does)
        centre = (points.min(axis=0) + points.max(axis=0)) / 2
        half = np.ptp(points, axis=0) / 2  # (3,)
        ax.set(xlim=(centre[0] - half[0], centre[0] + half[0]),
               ylim=(centre[1] - half[1], centre[1] + half[1]),
               zlim=(centre[2] - half[2], centre[2] + half[2]))
        ax.set_box_aspect(tuple(half), zoom=1.0)  # a copy: matplotlib rescales it in place
        ax.set_axis_off()
        animation.add(fig, (f"말린 정도 {amount:.0%}", f"rolled up {amount:.0%}"))
    return animation
