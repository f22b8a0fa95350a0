"""The conditional chapter: the same noise becomes different digits for different prompts.

Everything here runs the miniature text-to-image pipeline of generator/pipelines/text_to_digit.py in
the 2-D latent space of the MNIST VAE, so every step can be drawn on the latent map.
"""
from __future__ import annotations

import numpy as np

from generator.drawing import PROMPT_MAP_LIMIT, digit_strip, latent_map
from generator.engine import style
from generator.engine.animation import Animation
from generator.engine.registry import figure
from generator.pipelines.prompts import UNCONDITIONAL, Condition
from generator.pipelines.text_to_digit import DEFAULT_GUIDANCE, MODELS, SIGMA_MAX, Pipeline, test_codes

LIMIT = PROMPT_MAP_LIMIT  # the map shows [−4.5, 4.5]²
PROMPT_DIGITS = (0, 3, 7, 9)  # figure 1: four prompts from the same noise
FIELD_SIGMA = 1.0  # figure 2: one noise level, about the spread of one digit's cluster
# figure 2: two prompts whose digits lie on opposite sides of the map, and no prompt (3 and 8,
# the obvious pair, sit side by side in this 2-D map, so their arrows would look alike)
FIELD_PROMPTS = (1, 0, None)




def prompt_label(ctx, digit: int | None) -> str:
    return ctx.text("프롬프트 없음", "no prompt") if digit is None else ctx.text(
        f"프롬프트 “{digit}”", f"prompt “{digit}”")


def shared_start(pipeline: Pipeline, n_points: int, stream: str) -> np.ndarray:
    """n start points of pure noise N(0, σ_max² I), the first n of a draw that fall inside the
    drawn square, so that every trail starts on the picture."""
    draw = pipeline.start_noise(8 * n_points, stream)
    inside = draw[np.abs(draw).max(axis=1) < 0.95 * SIGMA_MAX * 1.3]
    return np.ascontiguousarray(inside[:n_points])


@figure("conditional_prompts", models=MODELS, colours=192, narrow=True)
def conditional_prompts(ctx):
    """Figure 1: twelve noise points, four prompts: each prompt leads them to its own digit."""
    import matplotlib.pyplot as plt

    pipeline = Pipeline.from_context(ctx)
    codes, labels = test_codes(pipeline)
    start = shared_start(pipeline, 12, f"figure/{ctx.name}/start")
    limit = SIGMA_MAX * 1.3
    if ctx.narrow:  # one prompt per row
        fig, axes = plt.subplots(4, 2, figsize=(style.NARROW_IN, 11.0), gridspec_kw={"width_ratios": [3, 1]})
        pairs = [(axes[k, 0], axes[k, 1]) for k in range(4)]
    else:
        fig, axes = plt.subplots(2, 4, figsize=(style.WIDE_IN, 6.2), gridspec_kw={"width_ratios": [3, 1, 3, 1]})
        pairs = [(axes[k // 2, 2 * (k % 2)], axes[k // 2, 2 * (k % 2) + 1]) for k in range(4)]
    for (ax, strip), digit in zip(pairs, PROMPT_DIGITS):
        latent_map(ax, codes, labels, highlight=digit, limit=limit, labels_on=False)
        path = pipeline.paths(Condition(digit), DEFAULT_GUIDANCE, start)  # (steps+1, 12, 2)
        for point in range(len(start)):
            ax.plot(path[:, point, 0], path[:, point, 1], color=style.INK, linewidth=0.8, alpha=0.7,
                    zorder=3)
        ax.scatter(start[:, 0], start[:, 1], s=22, facecolors="white", edgecolors=style.INK,
                   linewidths=1.0, zorder=4)
        ax.scatter(path[-1, :, 0], path[-1, :, 1], s=26, color=style.ACCENT, edgecolors="white",
                   linewidths=0.6, zorder=6)
        ax.set_title(prompt_label(ctx, digit), fontsize=13, loc="left")
        digit_strip(strip, pipeline.decode(path[-1]), rows=6)
    fig.tight_layout(rect=(0, 0.06 if ctx.narrow else 0.04, 1, 1), w_pad=0.4, h_pad=1.2)
    legend = ctx.text("○ 같은 노이즈 12개 → 주황 점: 도착한 곳,\n오른쪽은 그것을 디코딩한 숫자" if ctx.narrow else
                      "○ 같은 노이즈 12개에서 출발 → 주황 점: 도착한 잠재벡터, 오른쪽은 그것을 디코딩한 숫자",
                      "○ the same 12 noise points →\norange: where they end; right: decoded" if ctx.narrow else
                      "○ the same 12 noise points → orange: where they end; right: those codes decoded")
    fig.text(0.02, 0.01, legend, fontsize=style.SMALLEST_PT, color=style.MUTED)
    return fig


@figure("conditional_field", models=MODELS, colours=192, narrow=True)
def conditional_field(ctx):
    """Figure 2, the answer: at one noise level, the arrows depend on the prompt."""
    import matplotlib.pyplot as plt
    from matplotlib import patheffects

    pipeline = Pipeline.from_context(ctx)
    codes, labels = test_codes(pipeline)
    side = 9 if ctx.smoke else 15
    ticks = np.linspace(-LIMIT + 0.3, LIMIT - 0.3, side)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(ticks, ticks)])  # (side², 2)
    # the one noisy point followed through all three panels: halfway between the two digits
    first, second = FIELD_PROMPTS[:2]
    middle = {d: np.median(codes[labels == d], axis=0) for d in (first, second)}
    probe = (0.5 * (middle[first] + middle[second]))[None, :]  # (1, 2)
    ctx.metrics["probe"] = [round(float(v), 2) for v in probe[0]]
    length = 0.75 * (ticks[1] - ticks[0])
    fig, axes = plt.subplots(*((3, 1) if ctx.narrow else (1, 3)),
                             figsize=(style.NARROW_IN, 12.3) if ctx.narrow else (style.WIDE_IN, 3.2))
    for ax, digit in zip(axes, FIELD_PROMPTS):
        condition = UNCONDITIONAL if digit is None else Condition(digit)
        arrow = pipeline.arrows(condition, 0.0, probe, FIELD_SIGMA)[0]  # its true length
        latent_map(ax, codes, labels, highlight=digit, avoid=(tuple(probe[0]),))  # the probe stays seen
        for label in ax.texts:  # each digit's circle stays at its data's middle, drawn over the arrow
            label.set_zorder(10)
            label.get_bbox_patch().set_alpha(1.0)
        arrows = pipeline.arrows(condition, 0.0, grid, FIELD_SIGMA)  # (side², 2): D − x
        unit = arrows / np.linalg.norm(arrows, axis=1, keepdims=True)
        ax.quiver(grid[:, 0], grid[:, 1], length * unit[:, 0], length * unit[:, 1], angles="xy",
                  scale_units="xy", scale=1, color="#78909c", alpha=0.75, width=0.005,
                  headwidth=4, headlength=4.5, headaxislength=4, pivot="middle", zorder=3)
        # a short arrow gets a small head, so that it still reads as an arrow and not a blob
        head = "head_width=0.4,head_length=0.7" if np.linalg.norm(arrow) > 0.6 else "head_width=0.16,head_length=0.22"
        drawn = ax.annotate("", xy=probe[0] + arrow, xytext=probe[0], zorder=8,
                            arrowprops={"arrowstyle": f"-|>,{head}", "color": "black",
                                        "linewidth": 2.4, "shrinkA": 0, "shrinkB": 0})
        drawn.arrow_patch.set_path_effects([patheffects.withStroke(linewidth=4.5, foreground="white")])
        ax.scatter(*probe[0], s=55, facecolors="white", edgecolors="black", linewidths=1.8, zorder=9)
        ax.set_xlabel(ctx.text(f"○ 화살표 길이 {np.linalg.norm(arrow):.2f}",  # under the map, clear of it
                               f"○ arrow {np.linalg.norm(arrow):.2f} long"),
                      fontsize=style.SMALLEST_PT, color=style.INK)
        ax.set_title(prompt_label(ctx, digit), fontsize=14)
        key = "none" if digit is None else str(digit)
        ctx.metrics[f"probe_arrow_{key}"] = [round(float(v), 2) for v in arrow]
        ctx.metrics[f"probe_arrow_length_{key}"] = round(float(np.linalg.norm(arrow)), 2)
    fig.tight_layout()
    return fig


@figure("conditional_reverse", kind="animation", localized=True, models=MODELS, frame_ms=150,
        colours=48, narrow=True)
def conditional_reverse(ctx):
    """Figure 5: the reverse process for two prompts from the same noise, decoded as it goes
    (on a phone, the two maps one above the other, each with its digits beside it)."""
    import matplotlib.pyplot as plt

    pipeline = Pipeline.from_context(ctx)
    codes, labels = test_codes(pipeline)
    prompts = (1, 8)
    start = shared_start(pipeline, 16, f"figure/{ctx.name}/start")
    limit = SIGMA_MAX * 1.3
    paths = {d: pipeline.paths(Condition(d), DEFAULT_GUIDANCE, start) for d in prompts}
    animation = Animation()
    last = len(paths[prompts[0]]) - 1
    # every step while the points travel, every other one once they only settle
    steps = sorted(set(range(0, 16)) | set(range(16, last + 1, 3)) | {last})
    steps = steps[::8] + [last] if ctx.smoke else steps  # (smoke: a few frames show it works)
    for step in steps:
        if ctx.narrow:  # (map | digits) per prompt, stacked: 3.8 in wide, its text at caption size
            fig = plt.figure(figsize=(3.8, 4.6), dpi=100)
            boxes = [((0.02, 0.5 - row * 0.48, 0.52, 0.4), (0.6, 0.53 - row * 0.48, 0.38, 0.34))
                     for row in range(2)]
        else:
            fig = plt.figure(figsize=(6.4, 4.5), dpi=100)
            boxes = [((0.02 + col * 0.5, 0.27, 0.46, 0.655), (0.04 + col * 0.5, 0.01, 0.42, 0.25))
                     for col in range(2)]
        for (map_box, strip_box), digit in zip(boxes, prompts):
            path = paths[digit]
            ax = fig.add_axes(map_box)
            latent_map(ax, codes, labels, highlight=digit, limit=limit, labels_on=False)
            for point in range(len(start)):
                trail = path[max(0, step - 6): step + 1, point]  # a short trail: the last 6 steps
                ax.plot(trail[:, 0], trail[:, 1], color=style.INK, linewidth=0.9, alpha=0.6)
            ax.scatter(path[step, :, 0], path[step, :, 1], s=16, color=style.ACCENT, zorder=6,
                       edgecolors="white", linewidths=0.5)
            ax.set_title(prompt_label(ctx, digit), fontsize=12)
            strip = fig.add_axes(strip_box)
            digit_strip(strip, pipeline.decode(path[step]), rows=4 if ctx.narrow else 2)
        # the step is said under the frame by the player (frame-player.js), not in it
        animation.add(fig, ctx.text(f"{step}/{last}단계", f"step {step} of {last}"),
                      check=step == steps[-1] or None)
    animation.hold(6, at_end=False)  # a rest on the noise, and a longer one on the result
    animation.hold(16)
    return animation
