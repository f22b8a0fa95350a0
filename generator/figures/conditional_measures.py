"""The conditional chapter's evidence: does the model draw what it was asked for?

- conditional_guidance: the guidance weight w trades variety for obedience. For each w,
  samples for all ten digit prompts on the latent map, decoded samples of the hardest digit,
  and the measured share that an independent reader (a CNN trained on real digits only,
  generator/models/mnist_reader.py) reads as the digit asked for, for the 2-D pipeline and
  for the same recipe in an 8-D latent space.

The style words ("thin", "slanted") are measured in conditional_styles.py.
"""
from __future__ import annotations

import numpy as np

from generator.data.mnist import load_mnist
from generator.drawing import digit_colour, digit_strip, latent_map, separate_labels
from generator.engine import style
from generator.engine.registry import figure
from generator.engine.seeding import numpy_stream
from generator.pipelines.prompts import UNCONDITIONAL, Condition
from generator.pipelines.text_to_digit import (
    DEFAULT_GUIDANCE,
    MODELS,
    MODELS_8D,
    SIGMA_MAX,
    STEPS,
    Pipeline,
    mean_pairwise_distance,
    rounded_share,
    test_codes,
)

SWEEP = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)  # guidance weights measured
SHOWN = (0.0, 1.0, 3.0, 8.0)  # guidance weights drawn


def weight_key(weight: float) -> str:
    """A guidance weight as a manifest key the pages can name: 3.0 -> "3", 0.5 -> "0_5"."""
    return f"{weight:g}".replace(".", "_")


def sweep(pipeline: Pipeline, start: np.ndarray, weights) -> dict:
    """For each w: codes (10, n, dim), reader's verdicts (10, n) for the prompts "0" … "9"."""
    results = {}
    for weight in weights:
        codes = pipeline.prompt_codes([Condition(d) for d in range(10)], weight, start)
        read = np.stack([pipeline.read(pipeline.decode(c)) for c in codes])
        results[weight] = (codes, read)
    return results


def at_default(pipeline: Pipeline, start: np.ndarray, results: dict) -> tuple:
    """The sweep's result for DEFAULT_GUIDANCE: taken from `results` when the default is plain
    guidance at a weight the sweep measured (the sampler is deterministic from its start noise,
    so sampling again would give the same codes), sampled otherwise."""
    if DEFAULT_GUIDANCE.interval is None and DEFAULT_GUIDANCE.w in results:
        return results[DEFAULT_GUIDANCE.w]
    return sweep(pipeline, start, [DEFAULT_GUIDANCE])[DEFAULT_GUIDANCE]


def reconstruction_accuracy(pipeline: Pipeline) -> float:
    """Share of real test digits that the reader still recognises after encode → decode:
    what the autoencoder can draw at all, with no diffusion model involved."""
    test = load_mnist(numpy_stream("data/mnist/split")).test
    return rounded_share(pipeline.read(pipeline.decode(pipeline.encode(test.images))) == test.labels)


def record_accuracy(ctx, suffix: str, results: dict, default: tuple) -> None:
    """The reader's share of right answers for each w of the sweep (plain guidance), and per
    digit at the chapter's default (results of DEFAULT_GUIDANCE, guidance in an interval)."""
    right = np.arange(10)[:, None]
    ctx.metrics["class_accuracy" + suffix] = {weight_key(w): rounded_share(read == right)
                                              for w, (_, read) in results.items()}
    _, read = default
    ctx.metrics["class_accuracy_default" + suffix] = rounded_share(read == right)
    ctx.metrics["class_accuracy_per_digit" + suffix] = {str(d): rounded_share(read[d] == d) for d in range(10)}
    ctx.metrics["worst_digit" + suffix] = int(np.argmin([np.mean(read[d] == d) for d in range(10)]))


@figure("conditional_guidance", models=MODELS + MODELS_8D[:2], colours=192, narrow=True)
def conditional_guidance(ctx):
    map_2d, map_8d = Pipeline.from_context(ctx), Pipeline.from_context(ctx, "mnist_latent_diffusion_8d")
    results, results_8d, diversity = measure_guidance(ctx, map_2d, map_8d)
    return draw_guidance(ctx, map_2d, results, results_8d, diversity)


def measure_guidance(ctx, map_2d: Pipeline, map_8d: Pipeline) -> tuple[dict, dict, dict]:
    """Sample every digit prompt at each guidance weight, in the 2-D and the 8-D latent space;
    record accuracy, spread and their baselines in ctx.metrics. Returns (the 2-D results, the
    8-D results: w -> (codes, reader's verdicts), the 2-D diversity: w -> mean distance)."""
    n = 20 if ctx.smoke else 200
    weights = SHOWN if ctx.smoke else SWEEP
    start = map_2d.start_noise(n, f"figure/{ctx.name}/start")
    start_8d = map_8d.start_noise(n, f"figure/{ctx.name}/start_8d")
    results = ctx.once("sweep", lambda: sweep(map_2d, start, weights))
    results_8d = ctx.once("sweep_8d", lambda: sweep(map_8d, start_8d, weights))
    default = ctx.once("default", lambda: at_default(map_2d, start, results))
    default_8d = ctx.once("default_8d", lambda: at_default(map_8d, start_8d, results_8d))
    record_accuracy(ctx, "", results, default)
    record_accuracy(ctx, "_8d", results_8d, default_8d)
    unconditional = ctx.once("free", lambda: map_2d.read(map_2d.decode(map_2d.codes(
        UNCONDITIONAL, 0, map_2d.start_noise(10 * n, f"figure/{ctx.name}/free")))))
    ctx.metrics["unconditional_shares"] = {str(d): rounded_share(unconditional == d) for d in range(10)}
    ctx.metrics["unconditional_max_share"] = max(ctx.metrics["unconditional_shares"].values())
    ctx.metrics["unconditional_min_share"] = min(ctx.metrics["unconditional_shares"].values())
    ctx.metrics["reconstruction_accuracy"] = ctx.once("reconstruction", lambda: {
        "2d": reconstruction_accuracy(map_2d), "8d": reconstruction_accuracy(map_8d)})
    diversity = {w: float(np.mean([mean_pairwise_distance(c) for c in codes]))
                 for w, (codes, _) in results.items()}
    ctx.metrics["diversity"] = {weight_key(w): round(v, 3) for w, v in diversity.items()}
    training = ctx.model("mnist_latent_diffusion")
    codes, digits = training.arrays["codes"], training.arrays["digits"]
    ctx.metrics["diversity_data"] = round(float(np.mean(
        [mean_pairwise_distance(codes[digits == d]) for d in range(10)])), 3)
    ctx.metrics.update({
        "default_guidance": DEFAULT_GUIDANCE.describe(), "default_w": DEFAULT_GUIDANCE.w,
        "default_in_interval": DEFAULT_GUIDANCE.interval is not None,
        "samples_per_digit": n, "sampler_steps": STEPS,
        "sigma_max": SIGMA_MAX, "reader_test_accuracy": ctx.model("mnist_reader").info["test_accuracy"],
        "train_steps": training.info["steps"],
        "n_train": training.info["n_train"],
        "train_steps_8d": ctx.model("mnist_latent_diffusion_8d").info["steps"],
        "hidden": training.info["hidden"],
        "hidden_8d": ctx.model("mnist_latent_diffusion_8d").info["hidden"],
        "vae_epochs": ctx.model("mnist_vae").info["epochs"],
        "vae_epochs_8d": ctx.model("mnist_vae_8d").info["epochs"]})
    return results, results_8d, diversity


def draw_guidance(ctx, map_2d: Pipeline, results: dict, results_8d: dict, diversity: dict):
    """For the weights SHOWN: the samples on the map and the hardest digit decoded; then
    accuracy (2-D and 8-D) and spread against w."""
    import matplotlib.pyplot as plt

    map_codes, map_labels = test_codes(map_2d)
    hard = ctx.metrics["worst_digit"]  # the digit the 2-D map draws least clearly: shown decoded
    narrow = ctx.narrow
    fig = plt.figure(figsize=(style.NARROW_IN, 13.0) if narrow else (style.WIDE_IN, 9.0))
    for index, weight in enumerate(SHOWN):
        if narrow:  # one row per w: the map, and the hard digit's samples beside it
            left, bottom, size = 0.02, 0.82 - index * 0.155, (0.5, 0.135)
            strip_box = (0.56, bottom + 0.01, 0.42, 0.115)
        else:
            row, col = divmod(index, 2)
            left, bottom, size = 0.03 + col * 0.5, 0.685 - row * 0.3, (0.25, 0.25 * 8 / 9)
            strip_box = (left + 0.26, bottom + 0.01, 0.19, 0.19)
        ax = fig.add_axes((left, bottom) + size)
        latent_map(ax, map_codes, map_labels, highlight=-1, labels_on=False)
        codes, read = results[weight]
        placed = []
        for digit in range(10):  # 30 samples per prompt, in the prompt's colour, labelled
            ax.scatter(codes[digit, :30, 0], codes[digit, :30, 1], s=9, color=digit_colour(digit),
                       linewidths=0, zorder=3)
            centre = np.clip(np.median(codes[digit, :30], axis=0), -4.1, 4.1)
            placed.append(ax.text(*centre, str(digit), fontsize=style.SMALLEST_PT, weight="bold",
                                  ha="center", va="center", color=digit_colour(digit), zorder=5,
                                  bbox={"boxstyle": "circle,pad=0.1", "fc": "white",
                                        "ec": digit_colour(digit), "alpha": 0.85}))
        separate_labels(ax, placed, gap_px=4.0)
        ax.set_title(f"w = {weight:g}", fontsize=13, loc="left")
        strip = fig.add_axes(strip_box)
        digit_strip(strip, map_2d.decode(codes[hard, :12]), rows=4)
        for k, verdict in enumerate(read[hard, :12]):  # a red frame: the reader saw another digit
            if verdict != hard:
                r, c = divmod(k, 3)
                strip.add_patch(plt.Rectangle((c * 30 + 0.5, r * 30 + 0.5), 29, 29, fill=False,
                                              edgecolor=style.ACCENT, linewidth=1.8))
        strip.set_title(ctx.text(f"“{hard}” 정답 {np.mean(read[hard] == hard):.0%}",
                                 f"“{hard}”: {np.mean(read[hard] == hard):.0%} right"), fontsize=12)
    draw_guidance_curves(ctx, fig, results, results_8d, diversity)
    return fig


def draw_guidance_curves(ctx, fig, results: dict, results_8d: dict, diversity: dict) -> None:
    """Accuracy against w for both latent spaces and, on a wide page, the samples' spread."""
    if ctx.narrow:
        # right under the last map (the space below it is cropped away: no blank band on a phone)
        accuracy, spread = fig.add_axes((0.2, 0.215, 0.75, 0.1)), fig.add_axes((0.2, 0.0, 0.75, 0.08))
        spread.set_visible(False)  # a phone shows accuracy only; the text gives the distances
    else:
        accuracy, spread = fig.add_axes((0.09, 0.07, 0.38, 0.24)), fig.add_axes((0.6, 0.07, 0.38, 0.24))
    xs = list(results)
    for label, colour, found in ((ctx.text("2차원", "2-D"), style.ACCENT, results),
                                 (ctx.text("8차원", "8-D"), "#1e88e5", results_8d)):
        accuracy.plot(xs, [100 * np.mean(found[w][1] == np.arange(10)[:, None]) for w in xs], "o-",
                      color=colour, label=label)
    accuracy.set(xlabel=ctx.text("가이던스 가중치 w", "guidance weight w"),
                 ylabel=ctx.text("요청대로 읽힘 (%)", "read as asked (%)"))
    accuracy.legend(frameon=False)
    spread.plot(xs, [diversity[w] for w in xs], "o-", color=style.ACCENT)
    spread.axhline(ctx.metrics["diversity_data"], color=style.MUTED, linestyle="--", linewidth=1)
    spread.text(xs[-1], ctx.metrics["diversity_data"] - 0.04, ctx.text("실제 숫자", "real digits"),
                ha="right", va="top", color=style.MUTED)
    spread.set(xlabel=ctx.text("가이던스 가중치 w", "guidance weight w"),
               ylabel=ctx.text("샘플 사이 평균 거리", "mean distance\nbetween samples"), ylim=(0, None))
    for ax in (accuracy, spread):
        ax.grid(alpha=0.3)
