"""The MNIST chapter: what the 2-D latent space of a VAE trained on real digits looks like."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.data.mnist import SIDE, load_mnist
from generator.drawing import MNIST_MAP_LIMIT, PATH_DIGITS, path_through_centroids, separate_labels, shifted
from generator.engine import style
from generator.engine.animation import Animation
from generator.engine.registry import figure
from generator.engine.seeding import numpy_stream
from generator.measures.scores import nearest_training
from generator.models.mnist_classifier import class_probabilities, classify

GRID = 20  # cells per side of the decoded grids
LIMIT = MNIST_MAP_LIMIT  # the linear grid and the scatter both span [−3, 3]²
DIGIT_COLOURS = "tab10"


def decode(artifact, z: np.ndarray) -> np.ndarray:
    """(k, 2) latent points -> (k, 28, 28) decoded digits (pixel probabilities), one batch."""
    from generator.networks.vae import decode_codes, vae_from_artifact

    return decode_codes(vae_from_artifact(artifact), z).reshape(-1, SIDE, SIDE)


def latent_means(artifact, images: np.ndarray) -> np.ndarray:
    """(n, 784) digits -> (n, 2) the means of q(z|x)."""
    from generator.networks.vae import encode_means, vae_from_artifact

    return encode_means(vae_from_artifact(artifact), images)


def montage(digits: np.ndarray, rows: int) -> np.ndarray:
    """(rows*cols, 28, 28) -> one (rows*28, cols*28) image, row 0 at the top."""
    cols = len(digits) // rows
    return digits.reshape(rows, cols, SIDE, SIDE).transpose(0, 2, 1, 3).reshape(rows * SIDE, cols * SIDE)


def grid_points(values: np.ndarray) -> np.ndarray:
    """A GRID×GRID lattice, listed row by row from the top (largest z₂) down: (GRID², 2)."""
    z1, z2 = np.meshgrid(values, values[::-1])
    return np.column_stack([z1.ravel(), z2.ravel()])


def linear_grid() -> np.ndarray:
    return grid_points(np.linspace(-LIMIT, LIMIT, GRID))


def kingma_welling_grid() -> np.ndarray:
    from scipy.stats import norm

    # z = Φ⁻¹(u) for u evenly spaced in (0, 1): equal steps of prior probability
    return grid_points(norm.ppf(np.linspace(0.05, 0.95, GRID)))


def class_shares(labels: np.ndarray) -> dict:
    counts = np.bincount(labels, minlength=10)
    return {str(d): round(float(c) / len(labels), 3) for d, c in enumerate(counts)}


def show_digits(ax, image, extent=None):
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1, extent=extent, interpolation="antialiased")


def side_by_side(ctx, height: float, **options):
    """Two panels: side by side (8 in wide), or one above the other on a phone."""
    import matplotlib.pyplot as plt

    if ctx.narrow:
        return plt.subplots(2, 1, figsize=(style.NARROW_IN, 2 * height - 0.3), **options)
    return plt.subplots(1, 2, figsize=(style.WIDE_IN, height), **options)


@figure("mnist_latent_grid", models=("mnist_vae", "mnist_classifier"), narrow=True)
def mnist_latent_grid(ctx):

    vae, classifier = ctx.model("mnist_vae"), ctx.model("mnist_classifier")
    kw_digits = decode(vae, kingma_welling_grid())  # (400, 28, 28) in one batch
    linear_digits = decode(vae, linear_grid())  # (400, 28, 28)
    for name, digits in (("kingma_welling", kw_digits), ("linear", linear_digits)):
        predicted = classify(classifier, digits.reshape(len(digits), -1))  # (400,)
        ctx.metrics[name] = {"classes": int(len(np.unique(predicted))),
                             "shares": class_shares(predicted)}
    ctx.metrics["classifier_test_accuracy"] = classifier.info["test_accuracy"]
    ctx.metrics["test_elbo"] = vae.info["test_elbo"]

    fig, (left, right) = side_by_side(ctx, 4.6)
    show_digits(left, montage(kw_digits, GRID), extent=(0.025, 0.975, 0.025, 0.975))
    left.set(xlabel="Φ(z₁)", ylabel="Φ(z₂)", xticks=[0.05, 0.5, 0.95], yticks=[0.05, 0.5, 0.95])
    left.set_title(ctx.text("(가) Kingma·Welling 격자:\n확률이 같은 간격", "(a) Kingma–Welling grid:\nequal probability steps"))
    half_cell = LIMIT / (GRID - 1)
    show_digits(right, montage(linear_digits, GRID),
                extent=(-LIMIT - half_cell, LIMIT + half_cell, -LIMIT - half_cell, LIMIT + half_cell))
    right.set(xlabel="z₁", ylabel="z₂")
    right.set_title(ctx.text("(나) 선형 격자:\n잠재공간의 같은 간격", "(b) Linear grid:\nequal steps in latent space"))
    fig.tight_layout()
    return fig


@figure("mnist_latent_scatter", models=("mnist_vae", "mnist_classifier"), narrow=True)
def mnist_latent_scatter(ctx):
    import matplotlib.pyplot as plt

    vae = ctx.model("mnist_vae")
    test = load_mnist(numpy_stream("data/mnist/split")).test
    means = latent_means(vae, test.images)  # (500, 2)
    ctx.metrics["inside_limits"] = round(float((np.abs(means) <= LIMIT).all(axis=1).mean()), 3)
    # does decoding a digit's place give that digit back? the classifier reads each test
    # digit's decoded position, and (for comparison) the real test digit itself
    read = classify(ctx.model("mnist_classifier"), decode(vae, means).reshape(len(means), -1))
    real = classify(ctx.model("mnist_classifier"), test.images)
    ctx.metrics["decoded_read_own"] = {str(d): round(float((read[test.labels == d] == d).mean()), 3)
                                       for d in range(10)}
    ctx.metrics["decoded_read_own_all"] = round(float((read == test.labels).mean()), 3)
    ctx.metrics["real_read_own_all"] = round(float((real == test.labels).mean()), 3)
    ranked = sorted(range(10), key=lambda d: ctx.metrics["decoded_read_own"][str(d)])
    ctx.metrics["decoded_worst"] = {"digit": ranked[0], "second": ranked[1]}
    fig, (left, right) = side_by_side(ctx, 4.4, sharex=True, sharey=True)
    colours = plt.get_cmap(DIGIT_COLOURS)
    placed = []
    for digit in range(10):
        chosen = means[test.labels == digit]
        left.scatter(chosen[:, 0], chosen[:, 1], s=9, color=colours(digit), linewidths=0)
        centre = np.median(chosen, axis=0)
        placed.append(left.text(*centre, str(digit), fontsize=13, weight="bold", ha="center",
                                va="center", color=colours(digit),
                                bbox={"boxstyle": "circle,pad=0.15", "fc": "white",
                                      "ec": colours(digit), "alpha": 0.85}))
    left.set_title(ctx.text("(가) 시험용 숫자 500개의 잠재 위치", "(a) Where 500 test digits land"))
    half_cell = LIMIT / (GRID - 1)
    show_digits(right, montage(decode(vae, linear_grid()), GRID),
                extent=(-LIMIT - half_cell, LIMIT + half_cell, -LIMIT - half_cell, LIMIT + half_cell))
    right.set_title(ctx.text("(나) 같은 좌표에서 디코딩한 숫자", "(b) Decoded at the same coordinates"))
    for ax in (left, right):
        ax.set(xlim=(-LIMIT - half_cell, LIMIT + half_cell), ylim=(-LIMIT - half_cell, LIMIT + half_cell),
               xlabel="z₁", ylabel="z₂", aspect="equal")
    fig.tight_layout()
    separate_labels(left, placed)  # (once the limits and the layout are final)
    return fig


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
    decoded = decode(vae, points)  # (16, 28, 28)
    nearest, distances = nearest_training(decoded.reshape(frames, -1), split.train.images)
    # the fair baseline: the VAE's own copies of digits it never saw, which are just as blurry
    test_codes = latent_means(vae, split.test.images)
    copies = decode(vae, test_codes).reshape(len(split.test.labels), -1)
    _, copy_distances = nearest_training(copies, split.train.images)  # (500,)
    low, middle, high = np.percentile(copy_distances, [10, 50, 90])
    fine = np.linspace(0, 1, 101)
    probabilities = class_probabilities(classifier, decode(vae, curve(fine)).reshape(len(fine), -1))
    ctx.metrics.update({
        "frame_distance_min": round(float(distances.min()), 2),
        "frame_distance_max": round(float(distances.max()), 2),
        "copy_distance_median": round(float(middle), 2),
        "copy_distance_p10": round(float(low), 2), "copy_distance_p90": round(float(high), 2),
        "frames_beyond_p90": int((distances > high).sum()),
        "frames_below_p10": int((distances < low).sum()),
        # how much the classifier's probabilities change between neighbouring points of 101
        "largest_probability_step": round(float(np.abs(np.diff(probabilities, axis=0)).max()), 3),
        # the digits the classifier reads along the curve, in order
        "path_reading": " → ".join(str(d) for d in dict.fromkeys(probabilities.argmax(axis=1)))})
    return MeasuredPath(vae, centroids, curve, points, decoded,
                        split.train.images[nearest].reshape(frames, SIDE, SIDE), distances, high,
                        fine, probabilities)


def draw_path_on_map(ctx, fig, path: MeasuredPath) -> None:
    """The curve over the decoded grid, its 16 frames as dots, the three digits named."""
    top = fig.add_axes((0.16, 0.62, 0.74, 0.35) if ctx.narrow else (0.24, 0.565, 0.52, 0.415))
    half_cell = LIMIT / (GRID - 1)
    show_digits(top, montage(decode(path.vae, linear_grid()), GRID),
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
    colours = plt.get_cmap(DIGIT_COLOURS)
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


@figure("mnist_latent_walk", kind="animation", localized=False, models=("mnist_vae",), frame_ms=90,
        colours=128)
def mnist_latent_walk(ctx):
    import matplotlib.pyplot as plt

    vae = ctx.model("mnist_vae")
    test = load_mnist(numpy_stream("data/mnist/split")).test
    means = latent_means(vae, test.images)
    _, curve = path_through_centroids(vae)
    steps = 4 if ctx.smoke else 28
    s = 0.5 * (1 - np.cos(np.pi * np.linspace(0, 1, steps)))  # eased there
    points = curve(s)  # 9 → 6 → 0; the player walks it back again
    decoded = decode(vae, points)
    colours = plt.get_cmap(DIGIT_COLOURS)
    middles = [np.median(means[test.labels == d], axis=0) for d in range(10)]
    animation = Animation(bounce=True)
    for point, digit in zip(points, decoded):
        fig = plt.figure(figsize=(4.4, 2.3), dpi=100)
        left = fig.add_axes((0.02, 0.04, 0.46, 0.92))
        left.scatter(means[:, 0], means[:, 1], s=3, c=[colours(d) for d in test.labels], linewidths=0)
        left.plot(*curve(np.linspace(0, 1, 100)).T, color=style.INK, linewidth=1, alpha=0.6)
        left.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xticks=[], yticks=[], aspect="equal")
        left.spines[:].set_visible(True)
        left.spines[:].set_color(style.GRID)
        # each digit named in its colour at the middle of its codes: the map's legend
        named = [left.text(*np.clip(middle, -0.9 * LIMIT, 0.9 * LIMIT), str(d), fontsize=12.5,
                           weight="bold", ha="center", va="center", color=colours(d), zorder=4,
                           bbox={"boxstyle": "circle,pad=0.1", "fc": "white", "ec": colours(d),
                                 "alpha": 0.85})
                 for d, middle in enumerate(middles)]
        separate_labels(left, named, avoid=(tuple(point),))
        left.plot(*point, "o", color=style.ACCENT, markersize=9, markeredgecolor="white", zorder=5)
        right = fig.add_axes((0.56, 0.06, 0.38, 0.76))
        show_digits(right, digit)
        right.set(xticks=[], yticks=[])
        right.spines[:].set_visible(False)
        where = f"z = ({point[0]:+.2f}, {point[1]:+.2f})"
        right.set_title(where, fontsize=12.5, family="DejaVu Sans Mono")  # caption size on a phone
        animation.add(fig, where.replace("-", "−"))
    return animation


@figure("mnist_prior_samples", models=("mnist_vae",), narrow=True)
def mnist_prior_samples(ctx):

    vae = ctx.model("mnist_vae")
    z = ctx.stream("prior").standard_normal((24, 2))  # z ~ N(0, I)
    samples = decode(vae, z)  # (24, 28, 28)
    test = load_mnist(numpy_stream("data/mnist/split")).test
    real = test.images[ctx.stream("real").choice(len(test.labels), 24, replace=False)]
    fig, (left, right) = side_by_side(ctx, 2.8)
    show_digits(left, montage(samples, 3))
    left.set_title(ctx.text("(가) 사전분포 N(0, I)에서 뽑아 디코딩", "(a) From the prior N(0, I), decoded"))
    show_digits(right, montage(real.reshape(-1, SIDE, SIDE), 3))
    right.set_title(ctx.text("(나) 실제 MNIST 시험 숫자", "(b) Real MNIST test digits"))
    for ax in (left, right):
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_visible(False)
    fig.tight_layout()
    return fig
