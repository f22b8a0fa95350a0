"""The MNIST chapter: what the 2-D latent space of a VAE trained on real digits looks like."""
from __future__ import annotations

import numpy as np

from generator.data.mnist import SIDE, load_mnist
from generator.drawing import (MNIST_GRID, MNIST_MAP_LIMIT, MNIST_PHONE_GRID, decode_digits, digit_codes,
                               kingma_welling_grid, linear_grid, montage, path_through_centroids,
                               separate_labels, show_digits)
from generator.engine import style
from generator.engine.animation import Animation
from generator.engine.registry import figure
from generator.engine.seeding import numpy_stream
from generator.models.mnist_classifier import classify

GRID = MNIST_GRID  # cells per side of the decoded grids
PHONE_GRID = MNIST_PHONE_GRID  # a phone's coarser grid over the same range
LIMIT = MNIST_MAP_LIMIT  # the linear grid and the scatter both span [−3, 3]²
DIGIT_COLOURS = "tab10"


def binarized_elbo(ctx, vae, draws: int = 10) -> float:
    """The mean ELBO (nats per digit) of the test digits made black and white at 0.5. With pixels
    of 0 or 1 the decoder's Bernoulli probabilities are a true distribution over images, so the
    ELBO is a lower bound on log p(x); on grey values it is not."""
    import torch

    from generator.networks.vae import negative_elbo, vae_from_artifact

    network = vae_from_artifact(vae)
    images = torch.from_numpy((load_mnist(numpy_stream("data/mnist/split")).test.images > 0.5).astype(np.float32))
    noise = ctx.stream("elbo").standard_normal((draws, len(images), network.latent)).astype(np.float32)
    with torch.no_grad():  # ELBO = −(BCE + KL), averaged over the digits and the draws of z
        losses = [negative_elbo(network, images, torch.from_numpy(eps)).mean() for eps in noise]
    return round(-float(torch.stack(losses).mean()), 1)


def class_shares(labels: np.ndarray) -> dict:
    counts = np.bincount(labels, minlength=10)
    return {str(d): round(float(c) / len(labels), 3) for d, c in enumerate(counts)}


def side_by_side(ctx, height: float, **options):
    """Two panels: side by side (8 in wide), or one above the other on a phone."""
    import matplotlib.pyplot as plt

    if ctx.narrow:
        return plt.subplots(2, 1, figsize=(style.NARROW_IN, 2 * height - 0.3), **options)
    return plt.subplots(1, 2, figsize=(style.WIDE_IN, height), **options)


@figure("mnist_latent_grid", models=("mnist_vae", "mnist_classifier"), narrow=True)
def mnist_latent_grid(ctx):

    vae, classifier = ctx.model("mnist_vae"), ctx.model("mnist_classifier")
    kw_digits = decode_digits(vae, kingma_welling_grid())  # (400, 28, 28) in one batch
    linear_digits = decode_digits(vae, linear_grid())  # (400, 28, 28)
    for name, digits in (("kingma_welling", kw_digits), ("linear", linear_digits)):
        predicted = classify(classifier, digits.reshape(len(digits), -1))  # (400,)
        ctx.metrics[name] = {"classes": int(len(np.unique(predicted))),
                             "shares": class_shares(predicted)}
    ctx.metrics["classifier_test_accuracy"] = classifier.info["test_accuracy"]
    ctx.metrics["test_elbo"] = vae.info["test_elbo"]  # on grey values: a training objective, not a probability
    ctx.metrics["test_elbo_binarized"] = binarized_elbo(ctx, vae)

    cells = PHONE_GRID if ctx.narrow else GRID
    if cells != GRID:
        kw_digits, linear_digits = decode_digits(vae, kingma_welling_grid(cells)), decode_digits(vae, linear_grid(cells))
    fig, (left, right) = side_by_side(ctx, 4.6)
    # each image cell spans 0.9 / (cells − 1) of probability, centred on its grid value
    half_step = 0.45 / (cells - 1)
    show_digits(left, montage(kw_digits, cells), extent=(0.05 - half_step, 0.95 + half_step) * 2)
    left.set(xlabel="Φ(z₁)", ylabel="Φ(z₂)", xticks=[0.05, 0.5, 0.95], yticks=[0.05, 0.5, 0.95])
    size = f"{cells}×{cells}"
    left.set_title(ctx.text(f"(가) Kingma·Welling 격자 {size}:\n확률이 같은 간격",
                            f"(a) Kingma–Welling grid, {size}:\nequal probability steps"))
    half_cell = LIMIT / (cells - 1)
    show_digits(right, montage(linear_digits, cells),
                extent=(-LIMIT - half_cell, LIMIT + half_cell, -LIMIT - half_cell, LIMIT + half_cell))
    right.set(xlabel="z₁", ylabel="z₂")
    right.set_title(ctx.text(f"(나) 선형 격자 {size}:\n잠재공간의 같은 간격",
                             f"(b) Linear grid, {size}:\nequal steps in latent space"))
    fig.tight_layout()
    return fig


@figure("mnist_latent_scatter", models=("mnist_vae", "mnist_classifier"), narrow=True)
def mnist_latent_scatter(ctx):
    import matplotlib.pyplot as plt

    vae = ctx.model("mnist_vae")
    test = load_mnist(numpy_stream("data/mnist/split")).test
    means = digit_codes(vae, test.images)  # (500, 2)
    ctx.metrics["inside_limits"] = round(float((np.abs(means) <= LIMIT).all(axis=1).mean()), 3)
    # does decoding a digit's place give that digit back? the classifier reads each test
    # digit's decoded position, and (for comparison) the real test digit itself
    read = classify(ctx.model("mnist_classifier"), decode_digits(vae, means).reshape(len(means), -1))
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
    show_digits(right, montage(decode_digits(vae, linear_grid()), GRID),
                extent=(-LIMIT - half_cell, LIMIT + half_cell, -LIMIT - half_cell, LIMIT + half_cell))
    right.set_title(ctx.text("(나) 같은 좌표에서 디코딩한 숫자", "(b) Decoded at the same coordinates"))
    for ax in (left, right):
        ax.set(xlim=(-LIMIT - half_cell, LIMIT + half_cell), ylim=(-LIMIT - half_cell, LIMIT + half_cell),
               xlabel="z₁", ylabel="z₂", aspect="equal")
    left.tick_params(labelbottom=True)  # stacked on a phone, both panels keep their numbers
    fig.tight_layout()
    separate_labels(left, placed, gap_px=4.0)  # (once the limits and the layout are final)
    return fig


@figure("mnist_latent_walk", kind="animation", localized=False, models=("mnist_vae",), frame_ms=90,
        colours=128, narrow=True)
def mnist_latent_walk(ctx):
    import matplotlib.pyplot as plt

    vae = ctx.model("mnist_vae")
    test = load_mnist(numpy_stream("data/mnist/split")).test
    means = digit_codes(vae, test.images)
    _, curve = path_through_centroids(vae)
    steps = 4 if ctx.smoke else 28
    s = 0.5 * (1 - np.cos(np.pi * np.linspace(0, 1, steps)))  # eased there
    points = curve(s)  # 9 → 6 → 0; the player walks it back again
    decoded = decode_digits(vae, points)
    colours = plt.get_cmap(DIGIT_COLOURS)
    middles = [np.median(means[test.labels == d], axis=0) for d in range(10)]
    animation = Animation(bounce=True)
    for point, digit in zip(points, decoded):
        if ctx.narrow:  # the map across the phone's width, the digit under it
            fig = plt.figure(figsize=(3.6, 5.0), dpi=100)
            left, right = fig.add_axes((0.03, 0.34, 0.94, 0.65)), fig.add_axes((0.32, 0.02, 0.36, 0.24))
        else:
            fig = plt.figure(figsize=(4.4, 2.3), dpi=100)
            left, right = fig.add_axes((0.02, 0.04, 0.46, 0.92)), fig.add_axes((0.56, 0.06, 0.38, 0.76))
        left.scatter(means[:, 0], means[:, 1], s=6 if ctx.narrow else 3, c=[colours(d) for d in test.labels],
                     linewidths=0)
        left.plot(*curve(np.linspace(0, 1, 100)).T, color=style.INK, linewidth=1.6, alpha=0.8)
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
    samples = decode_digits(vae, z)  # (24, 28, 28)
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
