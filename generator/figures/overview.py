"""The home page's opening figure: the whole answer in three panels, each from a real model.

1. A point of pixel space picked at random is noise; real images are rare points.
2. Real data lies near a thin manifold; a trained denoiser's arrows point back to it
   (the spiral model of the diffusion chapter).
3. A prompt picks the part of the manifold to go to: at one and the same noisy point, the
   denoiser of the conditional chapter points to the ones for "1" and to the zeros for "0".
"""
from __future__ import annotations

import numpy as np

from generator.data.mnist import load_mnist
from generator.data.spiral import make_spiral, spiral_curve
from generator.engine import seeding, style
from generator.engine.registry import figure
from generator.pipelines.prompts import Condition
from generator.pipelines.text_to_digit import MODELS, Pipeline

PANEL_SIGMA = 0.15  # panel 2: the noise level of the arrows (the spiral's units)


@figure("overview", models=("spiral_diffusion",) + MODELS, colours=160, narrow=True)
def overview(ctx):
    import matplotlib.pyplot as plt

    seeding.make_torch_deterministic()
    # where each panel goes: side by side, or one under the other on a phone
    if ctx.narrow:
        fig = plt.figure(figsize=(style.NARROW_IN, 10.9))
        images = [(0.04 + k * 0.3, 0.835, 0.27, 0.099) for k in range(2)]
        note_at, title_at = (0.66, 0.885), (0.02, 0.975)
        spiral_box, prompt_box = (0.08, 0.41, 0.84, 0.308), (0.08, 0.01, 0.84, 0.308)
    else:
        fig = plt.figure(figsize=(style.WIDE_IN, 3.5))
        images = [(0.01 + k * 0.15, 0.34, 0.14, 0.14 * 8 / 3.5) for k in range(2)]
        note_at, title_at = (0.01, 0.24), (0.01, 0.885)
        spiral_box, prompt_box = (0.33, 0.03, 0.31, 0.82), (0.67, 0.03, 0.31, 0.82)
    test = load_mnist(seeding.numpy_stream("data/mnist/split")).test
    pixel_panel(ctx, fig, images, note_at, title_at, test)
    manifold_panel(ctx, fig.add_axes(spiral_box))
    prompt_panel(ctx, fig.add_axes(prompt_box), test)
    return fig


def pixel_panel(ctx, fig, images: list, note_at: tuple, title_at: tuple, test) -> None:
    """1. pixel space: a random point next to a real digit, both 28 × 28 = 784 numbers."""
    noise = ctx.stream("noise").random((28, 28))
    digit = test.images[np.flatnonzero(test.labels == 3)[0]].reshape(28, 28)
    for k, (image, label) in enumerate(((noise, ctx.text("아무 점", "a random point")),
                                        (digit, ctx.text("진짜 숫자", "a real digit")))):
        ax = fig.add_axes(images[k])
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_visible(True)
        ax.spines[:].set_color(style.GRID)
        ax.set_xlabel(label, fontsize=11.5)
    fig.text(*title_at, ctx.text("1. 이미지는 공간의 한 점", "1. An image is a point"), fontsize=12.5,
             color=style.INK, va="top")
    note = ctx.text("28×28 = 784개 값, 곧\n784차원 공간의 한 점.\n아무 점이나 고르면\n왼쪽 같은 노이즈입니다",
                    "28×28 = 784 numbers:\na point of a 784-D space.\nMost points look like\nthe left one")
    if ctx.narrow:  # beside the two images: a narrower column
        note = ctx.text("28×28 = 784개 값,\n곧 784차원 공간의\n한 점. 아무 점이나\n고르면 왼쪽 같은\n노이즈입니다",
                        "28×28 = 784\nnumbers: a point\nof a 784-D space.\nMost points\nlook like the\nleft one")
    fig.text(*note_at, note, fontsize=style.SMALLEST_PT, color=style.MUTED,
             va="center" if ctx.narrow else "top")


def spiral_arrows(ctx, ticks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The spiral denoiser's move D(x; σ) − x, as unit directions, at a grid of points x:
    (k², 2) points, (k², 2) directions."""
    import torch

    from generator.networks.diffusion import denoiser_from_artifact

    denoiser = denoiser_from_artifact(ctx.model("spiral_diffusion"))
    grid = np.column_stack([g.ravel() for g in np.meshgrid(ticks, ticks)])  # (k², 2)
    with torch.no_grad():
        guess = denoiser(torch.from_numpy(grid.astype(np.float32)),
                         torch.full((len(grid),), PANEL_SIGMA)).numpy()
    return grid, (guess - grid) / np.linalg.norm(guess - grid, axis=1, keepdims=True)


def manifold_panel(ctx, ax) -> None:
    """2. the manifold: the denoiser's arrows point back to the spiral."""
    line = spiral_curve()
    ax.plot(line[:, 0], line[:, 1], color=style.ACCENT, linewidth=2.0, zorder=2)
    ticks = np.linspace(-1.6, 1.6, 9 if ctx.smoke else 13)
    grid, unit = spiral_arrows(ctx, ticks)
    length = 0.7 * (ticks[1] - ticks[0])
    ax.quiver(grid[:, 0], grid[:, 1], length * unit[:, 0], length * unit[:, 1], angles="xy",
              scale_units="xy", scale=1, color=style.INK, alpha=0.6, width=0.006, headwidth=4,
              headlength=4.5, pivot="middle", zorder=3)
    data = make_spiral(300, ctx.stream("spiral")).points
    ax.scatter(data[:, 0], data[:, 1], s=3, color=style.ACCENT, alpha=0.5, linewidths=0, zorder=1)
    frame_panel(ax, 1.8, ctx.text("2. 데이터는 얇은\n매니폴드 근처에", "2. Data lie near\na thin manifold"),
                ctx.text("화살표: 디노이저가\n점을 되돌리는 방향", "arrows: where the\ndenoiser moves a point"))


def prompt_panel(ctx, ax, test) -> None:
    """3. the prompt: the same noisy point, a different arrow for "1" and for "0"."""
    pipeline = Pipeline.from_context(ctx)
    codes = pipeline.encode(test.images)
    ax.scatter(codes[:, 0], codes[:, 1], s=4, color="#cfd8dc", linewidths=0, zorder=1)
    middle = {d: np.median(codes[test.labels == d], axis=0) for d in (1, 0)}
    probe = 0.5 * (middle[1] + middle[0])
    for d, colour in ((1, "#1e88e5"), (0, style.ACCENT)):
        mine = codes[test.labels == d]
        ax.scatter(mine[:, 0], mine[:, 1], s=5, color=colour, alpha=0.6, linewidths=0, zorder=2)
        arrow = pipeline.arrows(Condition(d), 0.0, probe[None, :], 1.0)[0]
        ax.annotate("", xy=probe + arrow, xytext=probe, zorder=5,
                    arrowprops={"arrowstyle": "-|>,head_width=0.4,head_length=0.7", "color": colour,
                                "linewidth": 2.6, "shrinkA": 0, "shrinkB": 0})
        ax.text(*(probe + 1.25 * arrow), ctx.text(f"“{d}”", f"“{d}”"), color=colour, fontsize=13,
                weight="bold", ha="center", va="center", zorder=6,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})
    ax.scatter(*probe, s=55, facecolors="white", edgecolors="black", linewidths=1.8, zorder=6)
    frame_panel(ax, 3.2, ctx.text("3. 프롬프트가\n갈 곳을 고른다", "3. The prompt picks\nwhere to go"),
                ctx.text("같은 점, 프롬프트마다\n다른 화살표", "one point,\nan arrow per prompt"))


def frame_panel(ax, limit: float, title: str, note: str) -> None:
    """A square panel on [−limit, limit]² with a grey frame, its title, and a note in a corner."""
    ax.set(xlim=(-limit, limit), ylim=(-limit, limit), xticks=[], yticks=[], aspect="equal")
    ax.spines[:].set_color(style.GRID)
    ax.spines[:].set_visible(True)
    ax.set_title(title, fontsize=12.5, loc="left")
    ax.text(0.02, 0.02, note, transform=ax.transAxes, fontsize=style.SMALLEST_PT, color=style.MUTED,
            zorder=6, bbox={"fc": "white", "ec": "none", "alpha": 0.9, "pad": 2})
