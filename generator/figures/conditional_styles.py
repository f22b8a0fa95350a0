"""The conditional chapter's style words: do "thin" and "thick", "upright" and "slanted" draw
what they say? Samples of each style prompt, measured on the decoded pixels with the same rulers
that labelled the training digits (generator/data/mnist_style.py), against samples of the digit
alone, in the 2-D and the 8-D latent space.
"""
from __future__ import annotations

import numpy as np

from generator.data.mnist_style import SLANTED_DEGREES, UPRIGHT_DEGREES, slant_degrees, stroke_width
from generator.drawing import digit_strip
from generator.engine import style
from generator.engine.registry import figure
from generator.pipelines.prompts import Condition
from generator.pipelines.text_to_digit import (
    DEFAULT_GUIDANCE,
    MODELS,
    MODELS_8D,
    Pipeline,
    mean_pairwise_distance,
    rounded_share,
)

STYLE_DIGITS = (1, 4, 7)


def style_cell(pipeline: Pipeline, condition: Condition, start: np.ndarray) -> np.ndarray:
    return pipeline.decode(pipeline.codes(condition, DEFAULT_GUIDANCE, start))  # (n, 28, 28)


def style_effects(pipeline: Pipeline, start: np.ndarray) -> dict:
    """Per digit: stroke width for thin/thick prompts, slant for upright/slanted prompts, and
    both for the digit alone (no style word), the baseline for "did it draw what was asked"."""
    prompts = [(Condition(digit, 0), Condition(digit, 2), Condition(digit, None, 0),
                Condition(digit, None, 1), Condition(digit)) for digit in range(10)]
    codes = pipeline.prompt_codes([c for five in prompts for c in five], DEFAULT_GUIDANCE, start)
    found = {}
    for digit in range(10):  # the codes of its five prompts -> images (n, 28, 28) -> measures
        thin, thick, upright, slanted, plain = (pipeline.decode(c) for c in codes[5 * digit:5 * digit + 5])
        found[digit] = {"width": (stroke_width(thin), stroke_width(thick)),
                        "slant": (slant_degrees(upright), slant_degrees(slanted)),
                        "plain": (stroke_width(plain), slant_degrees(plain)),
                        # what the independent reader sees: thin, thick, upright, slanted, plain
                        "read": tuple(pipeline.read(images) for images in (thin, thick, upright, slanted, plain))}
    return found


def asked_shares(effects: dict, cuts: np.ndarray) -> dict:
    """How often a sample lands in the class its style word names, measured with the rulers that
    labelled the training digits, against samples of the digit alone (no style word)."""
    thin_or_thick, upright_or_slanted, plain_width, plain_slant = [], [], [], []
    for digit in range(10):
        (thin, thick), (upright, slanted) = effects[digit]["width"], effects[digit]["slant"]
        widths, degrees = effects[digit]["plain"]
        low, high = cuts[digit]
        thin_or_thick.append(0.5 * (np.mean(thin < low) + np.mean(thick > high)))
        plain_width.append(0.5 * (np.mean(widths < low) + np.mean(widths > high)))
        upright_or_slanted.append(0.5 * (np.mean(np.abs(upright) <= UPRIGHT_DEGREES)
                                         + np.mean(slanted >= SLANTED_DEGREES)))
        plain_slant.append(0.5 * (np.mean(np.abs(degrees) <= UPRIGHT_DEGREES)
                                  + np.mean(degrees >= SLANTED_DEGREES)))
    return {"thickness": rounded_share(thin_or_thick), "thickness_unprompted": rounded_share(plain_width),
            "slant": rounded_share(upright_or_slanted), "slant_unprompted": rounded_share(plain_slant)}


def summarise(effects: dict, measure: str, real: np.ndarray, digits: np.ndarray) -> dict:
    """Means over the ten digits. The effect size is the gap between the two prompts' means in
    units of how much real digits of that class vary (their standard deviation): guided
    samples vary little among themselves, so their own spread would make any gap look huge."""
    pairs = [effects[d][measure] for d in range(10)]
    spread = [real[digits == d].std() for d in range(10)]
    return {"low": round(float(np.mean([a.mean() for a, _ in pairs])), 2),
            "high": round(float(np.mean([b.mean() for _, b in pairs])), 2),
            "effect_size": round(float(np.mean([(b.mean() - a.mean()) / s
                                                for (a, b), s in zip(pairs, spread)])), 2),
            "digits_moved": int(sum(b.mean() > a.mean() for a, b in pairs)),
            "digits_not_moved": [d for d, (a, b) in enumerate(pairs) if b.mean() <= a.mean()]}


@figure("conditional_styles", models=MODELS + MODELS_8D[:2], colours=128, narrow=True)
def conditional_styles(ctx):
    map_2d, map_8d = Pipeline.from_context(ctx), Pipeline.from_context(ctx, "mnist_latent_diffusion_8d")
    effects = measure_styles(ctx, map_2d, map_8d)
    return draw_styles(ctx, map_2d, effects)


def measure_styles(ctx, map_2d: Pipeline, map_8d: Pipeline) -> dict:
    """Stroke width and slant of samples for each style prompt, in both latent spaces, and how
    tightly one prompt's samples gather; recorded in ctx.metrics. Returns the 2-D effects."""
    n = 16 if ctx.smoke else 100
    effects = ctx.once("effects", lambda: style_effects(map_2d, map_2d.start_noise(n, f"figure/{ctx.name}/start")))
    effects_8d = ctx.once("effects_8d", lambda: style_effects(map_8d, map_8d.start_noise(n, f"figure/{ctx.name}/start_8d")))
    training = ctx.model("mnist_latent_diffusion")
    width, degrees, digits = (training.arrays[k] for k in ("width", "degrees", "digits"))
    for suffix, found in (("", effects), ("_8d", effects_8d)):
        ctx.metrics["thickness" + suffix] = summarise(found, "width", width, digits)
        ctx.metrics["slant" + suffix] = summarise(found, "slant", degrees, digits)
        ctx.metrics["asked" + suffix] = asked_shares(found, training.arrays["width_cuts"])
    # a thin or upright 4 drawn where the 4s meet the 9s: how often the reader sees a 9 instead
    ctx.metrics["fours_read_as_nine"] = {name: round(float((effects[4]["read"][k] == 9).mean()), 2)
                                         for k, name in ((0, "thin"), (2, "upright"), (4, "plain"))}
    ctx.metrics["data_width_thirds"] = [round(float(v), 2) for v in
                                        np.quantile(training.arrays["width"], [1 / 3, 2 / 3])]
    # one prompt alone: how tightly 36 samples of "a slanted 1" gather at the default w, against
    # the same prompt unguided (w = 0) and the real slanted 1s (the fair baselines: all real 1s
    # would include the upright ones the prompt excludes)
    ones_start = map_2d.start_noise(36, f"figure/{ctx.name}/ones")
    spread_guided, spread_unguided, spread_plain_3 = ctx.once("ones", lambda: [mean_pairwise_distance(
        map_2d.codes(Condition(1, None, 1), w, ones_start)) for w in (DEFAULT_GUIDANCE, 0.0, 3.0)])
    real = (digits == 1) & (training.arrays["slant"] == 1)
    ctx.metrics.update({
        "slanted_one_spread": round(spread_guided, 3), "slanted_one_spread_unguided": round(spread_unguided, 3),
        "slanted_one_spread_plain_3": round(spread_plain_3, 3),
        "slanted_ones_spread_data": round(mean_pairwise_distance(training.arrays["codes"][real]), 3),
        "slanted_ones_data": int(real.sum())})
    return effects


def draw_styles(ctx, map_2d: Pipeline, effects: dict):
    """Eight samples of each style prompt for three digits, with the measured mean under each."""
    import matplotlib.pyplot as plt

    columns = ((ctx.text("가는", "thin"), {"thickness": 0}, "width"),
               (ctx.text("굵은", "thick"), {"thickness": 2}, "width"),
               (ctx.text("똑바른", "upright"), {"slant": 0}, "slant"),
               (ctx.text("기울어진", "slanted"), {"slant": 1}, "slant"))
    start = map_2d.start_noise(8, f"figure/{ctx.name}/shown")
    if ctx.narrow:  # two columns (thin | thick, then upright | slanted) per digit
        fig, grid = plt.subplots(2 * len(STYLE_DIGITS), 2, figsize=(style.NARROW_IN, 10.0))
        cells = {(row, col): grid[2 * row + col // 2, col % 2] for row in range(len(STYLE_DIGITS)) for col in range(4)}
    else:
        fig, grid = plt.subplots(len(STYLE_DIGITS), 4, figsize=(style.WIDE_IN, 5.4))
        cells = {(row, col): grid[row, col] for row in range(len(STYLE_DIGITS)) for col in range(4)}
    for row, digit in enumerate(STYLE_DIGITS):
        for col, (word, words, measure) in enumerate(columns):
            ax = cells[row, col]
            images = style_cell(map_2d, Condition(digit, **words), start)
            digit_strip(ax, images, rows=2)
            if digit == 4 and col in (0, 2):  # the caption counts the 9-like ones among those shown
                ctx.metrics.setdefault("shown_fours_read_as_nine", {})[("thin", "upright")[col // 2]] = \
                    int((map_2d.read(images) == 9).sum())
            low, high = effects[digit][measure]
            value = (low if col % 2 == 0 else high).mean()
            value = 0.0 if abs(value) < 0.5 else value  # a slant that rounds to 0 is "0°", not "−0°"
            note = (ctx.text(f"획 {value:.1f} px", f"stroke {value:.1f} px") if measure == "width"
                    else ctx.text(f"기울기 {value:.0f}°", f"slant {value:.0f}°")).replace("-", "−")
            ax.set_xlabel(note, fontsize=style.SMALLEST_PT)
            ax.set_title(f"{word} {digit}", fontsize=12)
    fig.tight_layout(h_pad=0.6)
    return fig
