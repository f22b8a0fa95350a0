"""Guidance that does not collapse: accuracy against variety, for every guidance setting.

For plain classifier-free guidance at several weights w, and for guidance limited to an
interval of noise levels (Kynkäänniemi et al., NeurIPS 2024), in the 2-D and the 8-D latent
space, the same start noise is sampled for the ten digit prompts and measured three ways:
- accuracy, read by two judges of different families that never saw a generated digit: the
  convolutional reader (generator/models/mnist_reader.py) and the logistic regression on
  pixels (generator/models/mnist_classifier.py);
- variety: the mean distance between two samples of a prompt, divided by the same for the
  real training codes that fit the prompt (1: as varied as the data), for the digit prompts
  and for three prompts with style words (the playground's examples), and the two averaged;
- inside the data: the share of samples no farther from the nearest real code of their digit
  than 99 % of real codes are from theirs.
A rule stated on the page picks each space's default from these numbers (`choose`).
"""
from __future__ import annotations

import numpy as np

from generator.drawing import separate_labels, shifted
from generator.engine import style
from generator.engine.registry import figure
from generator.pipelines.prompts import Condition
from generator.pipelines.text_to_digit import GUIDANCE_INTERVAL as INTERVAL
from generator.pipelines.text_to_digit import MODELS, MODELS_8D, Guidance, Pipeline

PLAIN = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0)  # weights w of plain guidance
LIMITED = (1.0, 2.0, 4.0, 8.0)  # weights w of guidance limited to that interval
RULE = {"accuracy": 0.95, "worst_digit": 0.90, "inside": 0.95}  # what a default must reach
SPACES = {"2d": "mnist_latent_diffusion", "8d": "mnist_latent_diffusion_8d"}
STYLED = (Condition(7, 2), Condition(1, None, 1), Condition(4, 0, 0))  # thick 7, slanted 1, thin upright 4
OUTER = "#1e88e5"


def weight_key(weight: float) -> str:
    return f"{weight:g}".replace(".", "_")


def real_codes(trained) -> dict:
    """Per digit: the training codes, their mean pairwise distance, and the 99th percentile of
    each code's distance to its nearest neighbour of the same digit (with a tree to search)."""
    from scipy.spatial import cKDTree
    from scipy.spatial.distance import pdist

    codes, digits = trained.arrays["codes"], trained.arrays["digits"]
    found = {}
    for digit in range(10):
        mine = codes[digits == digit]
        tree = cKDTree(mine)
        nearest, _ = tree.query(mine, k=2)  # the first is the code itself
        found[digit] = (tree, float(pdist(mine).mean()), float(np.percentile(nearest[:, 1], 99)))
    return found


def styled_spreads(trained) -> list[float]:
    """For each prompt of STYLED: the mean pairwise distance of the real codes that fit it."""
    from scipy.spatial.distance import pdist

    arrays = trained.arrays
    spreads = []
    for condition in STYLED:
        fits = arrays["digits"] == condition.digit
        if condition.thickness is not None:
            fits &= arrays["thickness"] == condition.thickness
        if condition.slant is not None:
            fits &= arrays["slant"] == condition.slant
        spreads.append(float(pdist(arrays["codes"][fits]).mean()))
    return spreads


def judge(ctx, pipeline: Pipeline, codes: np.ndarray, real: dict, styled: np.ndarray,
          styled_real: list[float]) -> dict:
    """codes (10, n, dim), row d sampled for the prompt "d", and styled (3, n, dim) for the
    STYLED prompts -> the numbers of one setting."""
    from scipy.spatial.distance import pdist

    from generator.models.mnist_classifier import classify

    right = np.arange(10)[:, None]
    images = np.stack([pipeline.decode(row) for row in codes])  # (10, n, 28, 28)
    cnn = np.stack([pipeline.read(row) for row in images]) == right
    linear = np.stack([classify(ctx.model("mnist_classifier"), row.reshape(len(row), -1))
                       for row in images]) == right
    variety = np.mean([pdist(codes[d]).mean() / real[d][1] for d in range(10)])
    styled_variety = np.mean([pdist(row).mean() / spread for row, spread in zip(styled, styled_real)])
    inside = [np.mean(real[d][0].query(codes[d])[0] <= real[d][2]) for d in range(10)]
    return {"cnn": round(float(cnn.mean()), 3), "cnn_worst_digit": round(float(cnn.mean(1).min()), 3),
            "linear": round(float(linear.mean()), 3),
            "linear_worst_digit": round(float(linear.mean(1).min()), 3),
            "digit_variety": round(float(variety), 3), "styled_variety": round(float(styled_variety), 3),
            # variety: digit prompts and prompts with style words count alike
            "variety": round(float((variety + styled_variety) / 2), 3),
            "inside": round(float(np.mean(inside)), 3)}


def passes(found: dict) -> bool:
    return (min(found["cnn"], found["linear"]) >= RULE["accuracy"]
            and min(found["cnn_worst_digit"], found["linear_worst_digit"]) >= RULE["worst_digit"]
            and found["inside"] >= RULE["inside"])


def choose(space: dict) -> dict:
    """The rule: of the settings that pass (both judges ≥ 95 % overall and ≥ 90 % on every
    digit, ≥ 95 % of samples inside the data), the one with the most variety (digit prompts
    and prompts with style words alike); on a tie, the smaller w. None when no setting passes."""
    candidates = [(found["variety"], -weight, kind, weight)
                  for kind, weights in (("plain", PLAIN), ("interval", LIMITED))
                  for weight in weights if passes(found := space[kind][weight_key(weight)])]
    if not candidates:
        return {"kind": None}
    _, _, kind, weight = max(candidates)
    return {"kind": kind, "w": weight, **space[kind][weight_key(weight)]}


def measure(ctx) -> dict:
    n = 20 if ctx.smoke else 100
    found = {"interval": list(INTERVAL), "rule": RULE, "samples_per_digit": n,
             "cnn_test_accuracy": ctx.model("mnist_reader").info["test_accuracy"],
             "linear_test_accuracy": ctx.model("mnist_classifier").info["test_accuracy"]}
    for space, model in SPACES.items():
        pipeline = Pipeline.from_context(ctx, model)
        real, styled_real = real_codes(ctx.model(model)), styled_spreads(ctx.model(model))
        start = pipeline.start_noise(n, f"figure/{ctx.name}/start_{space}")
        prompts = [Condition(d) for d in range(10)] + list(STYLED)
        results = {"plain": {}, "interval": {}}
        for kind, weights in (("plain", PLAIN), ("interval", LIMITED)):
            for weight in weights:
                setting = Guidance(weight, INTERVAL if kind == "interval" else None)
                codes = pipeline.prompt_codes(prompts, setting, start)
                results[kind][weight_key(weight)] = judge(ctx, pipeline, codes[:10], real, codes[10:],
                                                          styled_real)
        test = pipeline.encode(load_test_images())
        results["real_codes"] = judge_real(ctx, pipeline, test)
        results["chosen"] = choose(results)
        found[space] = results
    return found


def load_test_images() -> np.ndarray:
    from generator.data.mnist import load_mnist
    from generator.engine.seeding import numpy_stream

    return load_mnist(numpy_stream("data/mnist/split")).test.images


def judge_real(ctx, pipeline: Pipeline, codes: np.ndarray) -> dict:
    """The ceiling: real test digits' own codes, decoded, read by both judges."""
    from generator.data.mnist import load_mnist
    from generator.engine.seeding import numpy_stream
    from generator.models.mnist_classifier import classify

    labels = load_mnist(numpy_stream("data/mnist/split")).test.labels
    images = pipeline.decode(codes)
    return {"cnn": round(float(np.mean(pipeline.read(images) == labels)), 3),
            "linear": round(float(np.mean(classify(ctx.model("mnist_classifier"),
                                                   images.reshape(len(images), -1)) == labels)), 3)}


@figure("conditional_guidance_tradeoff", models=MODELS + MODELS_8D[:2] + ("mnist_classifier",),
        colours=128, narrow=True)
def conditional_guidance_tradeoff(ctx):
    import matplotlib.pyplot as plt

    ctx.metrics.update(ctx.once("measures", lambda: measure(ctx)))
    if ctx.narrow:
        fig, axes = plt.subplots(2, 1, figsize=(style.NARROW_IN, 9.0))
    else:
        fig, axes = plt.subplots(1, 2, figsize=(style.WIDE_IN, 4.6), sharey=True)
    named = [draw_space(ctx, ax, ctx.metrics[space], title, LABELLED[space])
             for ax, space, title in zip(axes, SPACES, (ctx.text("2차원 잠재공간", "2-D latent space"),
                                                         ctx.text("8차원 잠재공간", "8-D latent space")))]
    left = min(ax.get_xlim()[0] for ax in axes)  # one variety scale, so the two spaces compare by eye
    for ax in axes:
        ax.set_xlim(left, 1.1)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=1 if ctx.narrow else 3, frameon=False,
               fontsize=style.SMALLEST_PT)
    fig.tight_layout(rect=(0, 0, 1, 0.9 if ctx.narrow else 0.9))
    for ax, (labels_here, ceiling_label, points) in zip(axes, named):
        separate_labels(ax, labels_here, fixed=(ceiling_label,), avoid=points, avoid_px=6.0)
    return fig


# the w written beside a point (fewer in 8-D, where the strong settings crowd into one corner)
LABELLED = {"2d": {"plain": (0.0, 1.0, 2.0), "interval": (1.0, 8.0)},
            "8d": {"plain": (0.0, 0.5), "interval": (8.0,)}}


BACKING = {"fc": "white", "ec": "none", "alpha": 0.85, "pad": 0.8}  # a label over lines stays legible


def draw_space(ctx, ax, space: dict, title: str, labelled: dict) -> tuple:
    """Accuracy (the lower of the two judges) against variety: one line per kind of guidance,
    some points labelled by their w; the real codes' accuracy; the rule's choice as a star.
    Returns the w labels, the real codes' label and the points (the labels are moved apart, and off
    the points, once the layout is final)."""
    from matplotlib.transforms import blended_transform_factory

    named, drawn = [], []  # the w labels (moved apart at the end where two would overlap); every point
    for kind, weights, colour, label, offset in (
            ("plain", PLAIN, style.ACCENT, ctx.text("모든 단계 가이던스", "guidance at every step"), (5, -13)),
            ("interval", LIMITED, OUTER, ctx.text("구간 가이던스", "guidance in an interval"), (5, 5))):
        points = [space[kind][weight_key(w)] for w in weights]
        x = [p["variety"] for p in points]
        y = [100 * min(p["cnn"], p["linear"]) for p in points]
        ax.plot(x, y, "o-", color=colour, label=label, linewidth=1.6, markersize=5)
        drawn += list(zip(x, y))
        named += [ax.text(a, b, f"w={w:g}", transform=shifted(ax, *offset), fontsize=style.SMALLEST_PT,
                          color=colour, zorder=6, bbox=BACKING)
                  for w, a, b in zip(weights, x, y) if w in labelled[kind]]
    ceiling = 100 * min(space["real_codes"]["cnn"], space["real_codes"]["linear"])
    ax.axhline(ceiling, color=style.MUTED, linestyle="--", linewidth=1)
    below = ceiling > 66  # under its line, or over it when the line is near the bottom
    ceiling_label = (ax.text(0.02, ceiling - 1.0 if below else ceiling + 1.0,
                         ctx.text("진짜 숫자의 코드를 디코딩", "real digits' codes, decoded"),
                         transform=blended_transform_factory(ax.transAxes, ax.transData), ha="left",
                         va="top" if below else "bottom", fontsize=style.SMALLEST_PT,
                         color=style.MUTED, bbox=BACKING))
    chosen = space["chosen"]
    if chosen["kind"]:
        ax.plot(chosen["variety"], 100 * min(chosen["cnn"], chosen["linear"]), "*", markersize=13,
                color=style.INK, alpha=0.55, zorder=1,  # under the lines: the points it marks still show
                label=ctx.text("규칙이 고른 기본값", "the rule's default"))
    low = min(space[kind][weight_key(w)]["variety"] for kind, weights in (("plain", PLAIN), ("interval", LIMITED))
              for w in weights)
    lowest = min([ceiling] + [100 * min(space[kind][weight_key(w)]["cnn"], space[kind][weight_key(w)]["linear"])
                              for kind, weights in (("plain", PLAIN), ("interval", LIMITED)) for w in weights])
    bottom = min(60.0, 10 * np.floor((lowest - 4) / 10))  # 60 %, or lower if a point would fall off
    ax.set_title(title, pad=12)  # room above the frame: a w label at the top edge stays clear of it
    ax.set(xlim=(np.floor(10 * low - 0.5) / 10, 1.1), ylim=(bottom, 102),
           xlabel=ctx.text("다양성 (진짜 코드 = 1)", "variety (real codes = 1)"),
           ylabel=ctx.text("요청대로 읽힘 (%)", "read as asked (%)"))
    ax.grid(alpha=0.3)
    return named, ceiling_label, tuple(drawn)
