"""The MNIST chapter's walks between digits: the 9 → 6 → 0 curve through the latent space, read by
a classifier and checked against the training digits; and whether a latent path keeps to real-
looking digits better than a plain crossfade of pixels between the same two ends."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from generator.data.mnist import SIDE, load_mnist
from generator.drawing import (MNIST_GRID as GRID, MNIST_MAP_LIMIT as LIMIT, MNIST_PHONE_GRID, PATH_DIGITS,
                               decode_digits, digit_codes, linear_grid, montage, path_through_centroids,
                               separate_labels, shifted, show_digits)
from generator.engine import style
from generator.engine.registry import figure
from generator.engine.seeding import numpy_stream
from generator.measures.scores import nearest_training
from generator.models.mnist_classifier import class_probabilities


@figure("mnist_latent_path", models=("mnist_vae", "mnist_classifier"), narrow=True)
def mnist_latent_path(ctx):
    import matplotlib.pyplot as plt

    path = measure_path(ctx)
    fig = plt.figure(figsize=(style.NARROW_IN, 11.0) if ctx.narrow else (style.WIDE_IN, 9.4))
    draw_path_on_map(ctx, fig, path)
    draw_path_strips(ctx, fig, path)
    draw_path_probabilities(ctx, fig, path)
    return fig


@dataclass
class MeasuredPath:
    """The 9 → 6 → 0 curve and what was measured along it."""

    vae: object  # the mnist_vae artifact
    centroids: np.ndarray  # (3, 2) the digits' median codes
    curve: object  # s in [0, 1] -> points (len(s), 2)
    points: np.ndarray  # (16, 2) the frames' codes
    decoded: np.ndarray  # (16, 28, 28)
    nearest_images: np.ndarray  # (16, 28, 28) the nearest training digit of each frame
    distances: np.ndarray  # (16,) and its distance
    far: float  # the 90th percentile of the copies' distances: farther is marked
    fine: np.ndarray  # (101,) positions on the curve
    probabilities: np.ndarray  # (101, 10) the classifier's probabilities there


def measure_path(ctx) -> MeasuredPath:
    """Decode 16 points of the curve, find each one's nearest training digit against the fair
    baseline (the VAE's copies of unseen digits), and read the curve with the classifier;
    records the numbers in ctx.metrics."""
    vae, classifier = ctx.model("mnist_vae"), ctx.model("mnist_classifier")
    split = load_mnist(numpy_stream("data/mnist/split"))
    centroids, curve = path_through_centroids(vae)
    frames = 16
    points = curve(np.linspace(0, 1, frames))  # (16, 2)
    decoded = decode_digits(vae, points)  # (16, 28, 28)
    nearest, distances = nearest_training(decoded.reshape(frames, -1), split.train.images)
    # the fair baseline: the VAE's own copies of digits it never saw, which are just as blurry
    test_codes = digit_codes(vae, split.test.images)
    copies = decode_digits(vae, test_codes).reshape(len(split.test.labels), -1)
    _, copy_distances = nearest_training(copies, split.train.images)  # (500,)
    low, middle, high = np.percentile(copy_distances, [10, 50, 90])
    fine = np.linspace(0, 1, 101)
    probabilities = class_probabilities(classifier, decode_digits(vae, curve(fine)).reshape(len(fine), -1))
    ctx.metrics.update({
        "frame_distance_min": round(float(distances.min()), 2),
        "frame_distance_max": round(float(distances.max()), 2),
        "copy_distance_median": round(float(middle), 2),
        "copy_distance_p10": round(float(low), 2), "copy_distance_p90": round(float(high), 2),
        "frames_beyond_p90": int((distances > high).sum()),
        "frames_below_p10": int((distances < low).sum()),
        # the digits the classifier reads along the curve, in order
        "path_reading": " → ".join(str(d) for d in dict.fromkeys(probabilities.argmax(axis=1)))})
    return MeasuredPath(vae, centroids, curve, points, decoded,
                        split.train.images[nearest].reshape(frames, SIDE, SIDE), distances, high,
                        fine, probabilities)


def draw_path_on_map(ctx, fig, path: MeasuredPath) -> None:
    """The curve over the decoded grid, its 16 frames as dots, the three digits named."""
    top = fig.add_axes((0.16, 0.62, 0.74, 0.35) if ctx.narrow else (0.24, 0.565, 0.52, 0.415))
    cells = MNIST_PHONE_GRID if ctx.narrow else GRID  # a phone's coarser grid: digits it can show
    half_cell = LIMIT / (cells - 1)
    show_digits(top, montage(decode_digits(path.vae, linear_grid(cells)), cells),
                extent=(-LIMIT - half_cell, LIMIT + half_cell, -LIMIT - half_cell, LIMIT + half_cell))
    top.imshow(np.ones((2, 2)), cmap="gray", vmin=0, vmax=1, alpha=0.35,
               extent=top.get_xlim() + top.get_ylim())  # fade the grid so the curve stands out
    smooth = path.curve(np.linspace(0, 1, 200))
    top.plot(smooth[:, 0], smooth[:, 1], color=style.ACCENT, linewidth=2.5)
    top.plot(path.points[:, 0], path.points[:, 1], "o", color=style.ACCENT, markersize=4)
    named = [top.text(*centre, str(digit), transform=shifted(top, 10, 8), fontsize=14,
                      weight="bold", color=style.ACCENT,
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
             for digit, centre in zip(PATH_DIGITS, path.centroids)]
    separate_labels(top, named)
    top.set(xlabel="z₁", ylabel="z₂")
    top.set_title(ctx.text("9 → 6 → 0 곡선 (숫자별 중심을 지남)", "The 9 → 6 → 0 curve\n(through each digit's centre)"))


def draw_path_strips(ctx, fig, path: MeasuredPath) -> None:
    """The 16 decoded frames, and under them each one's nearest training digit and distance."""
    frames = len(path.decoded)
    per_row = 8 if ctx.narrow else frames  # a phone shows the 16 images in two rows of 8
    rows = (("decoded", path.decoded, ctx.text("곡선 위 16개 점을 디코딩한 이미지", "The 16 points of the curve, decoded")),
            ("nearest", path.nearest_images,
             ctx.text("각각에 가장 가까운 학습용 숫자와 거리", "The nearest training digit, and its distance")))
    boxes = ((0.03, 0.45, 0.94, 0.1), (0.03, 0.3, 0.94, 0.1)) if ctx.narrow else \
        ((0.06, 0.42, 0.88, 0.062), (0.06, 0.32, 0.88, 0.062))
    for (name, images, title), box in zip(rows, boxes):
        strip = fig.add_axes(box)
        band = 12 if name == "nearest" else 0  # room under each digit for its distance
        canvas = np.zeros((frames // per_row * (SIDE + band), per_row * SIDE))
        for k, image in enumerate(images):
            r, c = divmod(k, per_row)
            canvas[r * (SIDE + band): r * (SIDE + band) + SIDE, c * SIDE: (c + 1) * SIDE] = image
            if band:
                strip.text(c * SIDE + SIDE / 2, r * (SIDE + band) + SIDE + band * 0.55,
                           f"{path.distances[k]:.1f}", ha="center", va="center",
                           fontsize=style.SMALLEST_PT,  # on the white band: a white box keeps it so
                           bbox={"fc": "white", "ec": "none", "pad": 0.5},
                           color=style.ACCENT if path.distances[k] > path.far else style.INK)
        show_digits(strip, canvas)
        strip.set(xticks=[], yticks=[])
        strip.spines[:].set_visible(False)
        strip.set_title(title, fontsize=12)


def draw_path_probabilities(ctx, fig, path: MeasuredPath) -> None:
    """The classifier's probability of each digit along the curve; the digits it reads clearly
    (above one half somewhere) in colour."""
    import matplotlib.pyplot as plt

    frames, fine, probabilities = len(path.decoded), path.fine, path.probabilities
    shown = [d for d in range(10) if probabilities[:, d].max() > 0.5]  # drawn in colour
    plot = fig.add_axes((0.16, 0.05, 0.62, 0.19) if ctx.narrow
                        else (0.06 + 0.88 / frames / 2, 0.05, 0.88 * (frames - 1) / frames * 0.92, 0.19))
    colours = plt.get_cmap("tab10")
    for digit in range(10):
        strong = digit in shown
        plot.plot(fine, probabilities[:, digit], linewidth=2.2 if strong else 0.8,
                  color=colours(digit) if strong else "#cfd8dc", label=str(digit) if strong else None)
    plot.set(xlim=(0, 1), xticks=[0, 0.5, 1], xticklabels=["9", "6", "0"], ylim=(0, 1),
             ylabel=ctx.text("확률", "probability"), xlabel=ctx.text("곡선 위의 위치", "position on the curve"))
    if shown:  # (a smoke model's curve may pass no digit clearly: then no legend, and no warning)
        plot.legend(title=ctx.text("숫자", "digit"), loc="center left", bbox_to_anchor=(1.0, 0.5),
                    frameon=False)
    plot.set_title(ctx.text("곡선을 따라 분류기가 본 숫자별 확률", "Along the curve: the classifier's\nprobability of each digit"))


CONFIDENT = 0.9  # the judge "reads a digit" when its top probability is at least this
BETWEEN = np.linspace(0, 1, 23)[1:-1]  # 21 in-between points of each walk, ends left out
SHOWN_PAIR = (9, 0)  # the pair whose two walks are drawn: the ends of the chapter's curve


@dataclass
class Walks:
    """For each of the 45 pairs of digits: the shares of in-between images that the judge reads
    confidently, and that lie as near a training digit as the VAE's own copies, on each walk."""

    pairs: list  # [(a, b)] the 45 pairs
    confident: np.ndarray  # (45, 2) share read confidently: latent line, crossfade
    realistic: np.ndarray  # (45, 2) share within the copies' 90th-percentile distance
    shown: tuple  # (latent images, crossfade images, their readings) for SHOWN_PAIR


def measure_walks(ctx) -> Walks:
    """A straight line between two digits' centre codes, decoded, against the pixel crossfade
    between the same two decoded ends. The judge is the reader CNN, trained on real digits only."""
    import torch

    from generator.networks.digit_cnn import read_probabilities, reader_from_artifact

    vae, judge = ctx.model("mnist_vae"), reader_from_artifact(ctx.model("mnist_reader"))
    split = load_mnist(numpy_stream("data/mnist/split"))
    codes = digit_codes(vae, split.train.images)
    centres = np.stack([np.median(codes[split.train.labels == d], axis=0) for d in range(10)])
    copies = decode_digits(vae, digit_codes(vae, split.test.images)).reshape(len(split.test.labels), -1)
    near = np.percentile(nearest_training(copies, split.train.images)[1], 90)  # the fair baseline
    t = BETWEEN[:, None]
    pairs, confident, realistic, shown = list(itertools.combinations(range(10), 2)), [], [], None
    for a, b in pairs:
        # latent: decode_digits((1 − t) z_a + t z_b); crossfade: (1 − t) x_a + t x_b with x = decode_digits(z)
        latent = decode_digits(vae, (1 - t) * centres[a] + t * centres[b]).reshape(len(t), -1)
        ends = decode_digits(vae, centres[[a, b]]).reshape(2, -1)
        crossfade = (1 - t) * ends[0] + t * ends[1]
        readings = []
        for images in (latent, crossfade):
            with torch.no_grad():
                top = read_probabilities(judge, images).numpy()  # (21, 10)
            readings.append(np.where(top.max(1) >= CONFIDENT, top.argmax(1), -1))
        confident.append([(r >= 0).mean() for r in readings])
        realistic.append([(nearest_training(x, split.train.images)[1] <= near).mean() for x in (latent, crossfade)])
        if {a, b} == set(SHOWN_PAIR):
            shown = (latent, crossfade, readings) if a == SHOWN_PAIR[0] else \
                (latent[::-1], crossfade[::-1], [r[::-1] for r in readings])
    confident, realistic = np.array(confident), np.array(realistic)
    for name, shares in (("confident", confident), ("realistic", realistic)):
        ctx.metrics[name] = {"latent": round(float(shares[:, 0].mean()), 3),
                             "crossfade": round(float(shares[:, 1].mean()), 3),
                             "latent_higher": int((shares[:, 0] > shares[:, 1]).sum()),
                             "crossfade_higher": int((shares[:, 0] < shares[:, 1]).sum())}
    ctx.metrics.update(pairs=len(pairs), points=len(BETWEEN), threshold=CONFIDENT,
                       judge_test_accuracy=ctx.model("mnist_reader").info["test_accuracy"])
    return Walks(pairs, confident, realistic, shown)


@figure("mnist_path_vs_crossfade", models=("mnist_vae", "mnist_reader"), narrow=True)
def mnist_path_vs_crossfade(ctx):
    import matplotlib.pyplot as plt

    walks = ctx.once("walks", lambda: measure_walks(ctx))  # measured once, drawn four times
    fig = plt.figure(figsize=(style.NARROW_IN, 9.4) if ctx.narrow else (style.WIDE_IN, 6.4))
    draw_walk_strips(ctx, fig, walks)
    boxes = ((0.2, 0.425, 0.66, 0.281), (0.2, 0.05, 0.66, 0.281)) if ctx.narrow else \
        ((0.1, 0.09, 0.34, 0.4), (0.6, 0.09, 0.34, 0.4))
    for box, shares, title in zip(boxes, (walks.confident, walks.realistic), (
            ctx.text("(나) 판독기가 숫자로 읽는 비율", "(b) Read as a digit by the reader"),
            ctx.text("(다) 학습용 숫자에 가까운 비율", "(c) Close to a training digit"))):
        ax = fig.add_axes(box)
        ax.plot([0, 1], [0, 1], color=style.MUTED, linestyle="--", linewidth=1)
        ax.scatter(shares[:, 1], shares[:, 0], s=22, color=style.ACCENT, alpha=0.75, linewidths=0)
        ax.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03), aspect="equal", xticks=[0, 0.5, 1], yticks=[0, 0.5, 1],
               xlabel=ctx.text("픽셀 크로스페이드", "pixel crossfade"), ylabel=ctx.text("잠재공간의 직선", "latent line"))
        ax.set_title(title, fontsize=12)
    return fig


def draw_walk_strips(ctx, fig, walks: Walks) -> None:
    """The two walks from 9 to 0, every second in-between image, each with the judge's reading."""
    latent, crossfade, readings = walks.shown
    every = slice(0, None, 2)  # 11 of the 21 images
    names = (ctx.text("잠재공간의 직선", "latent line"), ctx.text("픽셀 크로스페이드", "pixel crossfade"))
    tops = (0.875, 0.78) if ctx.narrow else (0.78, 0.6)
    fig.text(0.5, 0.975, ctx.text(f"(가) {SHOWN_PAIR[0]}에서 {SHOWN_PAIR[1]}까지 두 가지 길",
                                  f"(a) Two walks from {SHOWN_PAIR[0]} to {SHOWN_PAIR[1]}"),
             ha="center", va="top", fontsize=12)
    for images, reading, name, top in zip((latent, crossfade), readings, names, tops):
        chosen, read = images[every].reshape(-1, SIDE, SIDE), reading[every]
        strip = fig.add_axes((0.03, top, 0.94, 0.055 if ctx.narrow else 0.11))
        band = 12  # room under each digit for what the judge read
        canvas = np.zeros((SIDE + band, len(chosen) * SIDE))
        for k, (image, digit) in enumerate(zip(chosen, read)):
            canvas[:SIDE, k * SIDE:(k + 1) * SIDE] = image
            strip.text(k * SIDE + SIDE / 2, SIDE + band * 0.55, str(digit) if digit >= 0 else "?",
                       ha="center", va="center", fontsize=style.SMALLEST_PT,
                       bbox={"fc": "white", "ec": "none", "pad": 0.5},
                       color=style.INK if digit >= 0 else style.ACCENT)
        show_digits(strip, canvas)
        strip.set(xticks=[], yticks=[])
        strip.spines[:].set_visible(False)
        strip.set_title(name, fontsize=style.SMALLEST_PT, loc="left")
