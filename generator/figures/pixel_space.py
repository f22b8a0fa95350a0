"""Pixel space: an image of k pixels is one point of the k-dimensional unit cube.

One pixel is a point on a line, two pixels a point in a square, three a point in a cube,
and a 768×768 colour image a point in a cube of 1,769,472 dimensions.
"""
from __future__ import annotations

import numpy as np

from generator.engine import style
from generator.engine.errors import require_package
from generator.engine.registry import figure

SIDE = 768  # the article's image: 768 × 768 pixels, 3 colour channels
PIXEL_ZOOM = 22  # screen points per pixel of the tiny images drawn next to each point


def tiny_image(ax, brightness, at, offset=(0, 26)):
    """Draw the image whose pixels have these brightnesses (a 1×k strip) next to point `at`."""
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage  # heavy: only when drawing
    strip = np.array([brightness], dtype=float)  # (1, k) grey values in [0, 1]
    grey = np.repeat(strip[:, :, None], 3, axis=2)  # (1, k, 3): RGB, so no colour scaling
    image = OffsetImage(grey, zoom=PIXEL_ZOOM, interpolation="nearest")
    box = AnnotationBbox(image, at, xybox=offset, boxcoords="offset points", pad=0.12,
                         bboxprops={"edgecolor": style.INK, "linewidth": 1.0},
                         arrowprops={"arrowstyle": "-", "color": style.MUTED, "linewidth": 0.8})
    ax.add_artist(box)


def draw_axes(ax, ends, names) -> None:
    """Arrows from the origin to each 2-D end point, labelled: the coordinate axes."""
    for end, name in zip(ends, names):
        tip = np.array(end, dtype=float) * 1.28
        ax.annotate("", tip, (0, 0), arrowprops={"arrowstyle": "->", "color": style.MUTED})
        vertical = end[0] == 0 and end[1] > 0
        ax.text(*(tip * 1.04), name, color=style.MUTED, ha="center" if vertical else "left",
                va="bottom" if vertical else "center")
    ax.set(xticks=[], yticks=[])
    ax.set_aspect("equal")
    ax.spines[["left", "bottom"]].set_visible(False)


def label(value) -> str:
    """(0.5, 1, 0) -> '(0.5, 1, 0)': numbers written the way the text writes them."""
    return "(" + ", ".join(f"{v:g}" for v in value) + ")"


@figure("pixel_line")
def pixel_line(ctx):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 2.4))
    ax.imshow(np.linspace(0, 1, 256)[None, :], cmap="gray", aspect="auto",
              extent=(0, 1, -0.16, -0.06))  # the brightness scale under the line
    ax.plot([0, 1], [0, 0], color=style.INK, linewidth=1.5)
    names = {0.0: ctx.text("검정", "black"), 0.5: ctx.text("회색", "grey"),
             1.0: ctx.text("흰색", "white")}
    for value, name in names.items():
        ax.plot([value], [0], "o", color=style.ACCENT, markersize=8, zorder=3)
        tiny_image(ax, [value], (value, 0), offset=(0, 34))
        ax.text(value, -0.22, f"({value:g})\n{name}", ha="center", va="top")
    ax.set(xlim=(-0.12, 1.12), ylim=(-0.5, 0.42), yticks=[], xticks=[])
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.set_title(ctx.text("픽셀 1개 =\n선분 [0, 1] 위의 한 점", "1 pixel =\na point on the segment [0, 1]"))
    return fig


@figure("pixel_square")
def pixel_square(ctx):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    ax.add_patch(plt.Rectangle((0, 0), 1, 1, facecolor="#eceff1", edgecolor=style.INK))
    # point -> (where its tiny image goes, where its coordinates go), in screen points: the
    # images outside the square, coordinates clear of the leader lines and the axis names
    placements = {(0, 0): ((-30, -34), (8, 8)), (1, 0): ((30, -34), (-8, 8)),
                  (0, 1): ((-46, 16), (8, 6)), (1, 1): ((46, 16), (-8, 6)),
                  (0.5, 0.5): ((0, 34), (0, -20))}
    for point, (image_offset, text_offset) in placements.items():
        ax.plot(*point, "o", color=style.ACCENT, markersize=8, zorder=3)
        tiny_image(ax, point, point, offset=image_offset)
        ax.annotate(label(point), point, xytext=text_offset, textcoords="offset points",
                    ha="center" if text_offset[0] == 0 else "left" if text_offset[0] > 0 else "right",
                    color=style.INK)
    draw_axes(ax, [(1, 0), (0, 1)], [ctx.text("픽셀 1", "pixel 1"), ctx.text("픽셀 2", "pixel 2")])
    ax.set(xlim=(-0.42, 1.42), ylim=(-0.42, 1.42))
    ax.set_title(ctx.text("픽셀 2개 = 정사각형 안의 한 점", "2 pixels = a point in the square"), fontsize=12)
    return fig


# An oblique drawing of the cube: pixel 1 to the right, pixel 2 into the page, pixel 3 up.
DEPTH = np.array([0.5 * np.cos(np.radians(35)), 0.5 * np.sin(np.radians(35))])


def project(p1, p2, p3) -> tuple[float, float]:
    # (x, y) = (p1, p3) + p2 · depth direction
    return (p1 + p2 * DEPTH[0], p3 + p2 * DEPTH[1])


@figure("pixel_cube")
def pixel_cube(ctx):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3.7, 3.7))
    corners = [(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    hidden = (0, 1, 0)  # the back-bottom-left corner is behind the cube
    for u in corners:
        for v in corners:
            if u < v and sum(abs(a - b) for a, b in zip(u, v)) == 1:
                dashed = hidden in (u, v)
                ax.plot(*zip(project(*u), project(*v)), color=style.MUTED if dashed else style.INK,
                        linestyle="--" if dashed else "-", linewidth=1.0 if dashed else 1.3)
    axis_names = [ctx.text(f"픽셀 {i}", f"pixel {i}") for i in (1, 2, 3)]
    draw_axes(ax, [project(1, 0, 0), project(0, 1, 0), project(0, 0, 1)], axis_names)
    # point -> (where its tiny image goes, where its coordinates go), in screen points
    placements = {(0, 0, 0): ((-40, -40), (-8, 6)), (1, 0, 0): ((44, -40), (-8, -16)),
                  (1, 1, 1): ((62, 8), (-8, 8)), (0.5, 1, 0.5): ((100, -6), (-8, -14))}
    for point, (image_offset, text_offset) in placements.items():
        ax.plot(*project(*point), "o", color=style.ACCENT, markersize=8, zorder=3)
        tiny_image(ax, point, project(*point), offset=image_offset)
        ax.annotate(label(point), project(*point), xytext=text_offset, textcoords="offset points",
                    ha="right" if text_offset[0] < 0 else "left", color=style.INK,  # a point inside
                    bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1})  # the cube: over edges
    ax.set(xlim=(-0.45, 1.75), ylim=(-0.4, 1.72))
    ax.set_title(ctx.text("픽셀 3개 = 정육면체 안의 한 점", "3 pixels = a point in the cube"), fontsize=12)
    return fig


def real_photo() -> np.ndarray:
    """scikit-image's bundled astronaut photo (NASA, public domain), resized to 768×768×3."""
    data = require_package("skimage.data", "The sample photograph", "scikit-image")
    from skimage.transform import resize

    photo = data.astronaut()  # (512, 512, 3) uint8
    return resize(photo, (SIDE, SIDE), order=1, anti_aliasing=False)  # (768, 768, 3) in [0, 1]


@figure("noise_vs_photo", lossy=True)  # random pixels do not compress: a lossy WebP shows them as well
def noise_vs_photo(ctx):
    import matplotlib.pyplot as plt

    # a uniformly random point of the cube, stored as an image stores it: 8 bits per number
    noise = ctx.stream("pixels").integers(0, 256, size=(SIDE, SIDE, 3), dtype=np.uint8)
    photo = real_photo()
    dimensions = SIDE * SIDE * 3
    fig, axes = plt.subplot_mosaic([["noise", "photo"], ["noise_zoom", "photo_zoom"]],
                                   figsize=(4.2, 4.6), height_ratios=[1, 0.6])
    crop = (slice(214, 246), slice(270, 302))  # a 32×32 patch at the edge of the astronaut's cheek
    for name, image, title, zoom_title in (
        ("noise", noise, ctx.text("무작위로 고른 점", "A random point"),
         ctx.text("확대: 이웃끼리 무관", "Zoom: no pattern")),
        ("photo", photo, ctx.text("실제 사진", "A real photo"),
         ctx.text("확대: 이웃끼리 닮음", "Zoom: smooth")),
    ):
        axes[name].imshow(image, interpolation="nearest" if name == "noise" else "antialiased")
        axes[name].add_patch(plt.Rectangle((crop[1].start, crop[0].start), 32, 32, fill=False,
                                           edgecolor="#00e5ff", linewidth=2.5))  # cyan: seen on noise too
        axes[name].set_title(title)
        axes[f"{name}_zoom"].imshow(image[crop], interpolation="nearest")
        axes[f"{name}_zoom"].set_title(zoom_title, fontsize=11.5)
    for ax in axes.values():
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_visible(True)
    fig.suptitle(ctx.text(f"768 × 768 × 3 = {dimensions:,}차원", f"768 × 768 × 3 =\n{dimensions:,} dimensions"),
                 fontsize=12.5)
    return fig
