"""The conditional chapter's central picture: where a prompt names a curve, the denoiser removes
only the noise across that curve.

The model (generator/models/arms_diffusion.py) learned the spiral's two arms as two prompts.
Because its data are known exactly, so is the best possible denoiser for each prompt (the
posterior mean, generator/measures/denoising.py): every number here is the model's, with the
ideal's beside it.

- conditional_noise_split: three noise levels; noisy points near the inner arm, and where the
  denoiser moves them under the prompt "inner arm" and under "outer arm".
- arms_denoiser: the model's weights and the arms, for the widget of the same chapter
  (docs/assets/javascripts/noise-split.js).
"""
from __future__ import annotations

import numpy as np

from generator.data.spiral import ARM_SPLIT, curve_frame, curve_point
from generator.data.swiss_roll import T_MAX, T_MIN
from generator.engine import seeding, style
from generator.engine.registry import figure
from generator.measures.denoising import cosine, ideal_denoiser, split_shares

SIGMAS = (0.04, 0.2, 1.0)  # the noise levels the page shows: small, middling, large
WINDOWS = (0.2, 0.8, 1.9)  # half the width of each panel: near enough to see that σ's noise
CENTRES = ((0.628, 0.0), (0.94, 0.0), (0.0, 0.0))  # the inner arm at t = 2π, and the gap beyond it
PROBE_T = 2 * np.pi  # the probes sit on the inner arm around this angle
OUTER = "#1e88e5"  # the prompt "outer arm" (the accent colour is the prompt "inner arm")


def sigma_key(sigma: float) -> str:
    """0.04 -> "0_04": a noise level as a name the pages can quote."""
    return f"{sigma:g}".replace(".", "_")


def arm_range(arm: int) -> tuple[float, float]:
    return (T_MIN, ARM_SPLIT) if arm == 0 else (ARM_SPLIT, T_MAX)


def load(ctx):
    """The trained network, and a function (x (n, 2), σ, arm) -> (n, 2) moves D(x; σ, arm) − x."""
    import torch

    from generator.models.arms_diffusion import condition_vectors
    from generator.networks.diffusion import denoiser_from_artifact

    seeding.make_torch_deterministic()
    network = denoiser_from_artifact(ctx.model("arms_diffusion"))

    def move(x: np.ndarray, sigma: float, arm: int) -> np.ndarray:
        condition = torch.from_numpy(condition_vectors(np.full(len(x), arm)))
        with torch.no_grad():
            guess = network(torch.from_numpy(x.astype(np.float32)), torch.full((len(x),), sigma), condition)
        return guess.numpy().astype(np.float64) - x

    return network, move


def measure(ctx, move) -> dict:
    """For points of each arm with noise at each σ: the share of the noise across the arm that
    the denoiser removes and of the noise along it that it keeps (model and ideal), how much
    farther the other prompt moves the same point, and how well the model's moves agree with
    the ideal ones in direction."""
    trained = ctx.model("arms_diffusion")
    points, labels = trained.arrays["points"], trained.arrays["labels"]
    rng = ctx.stream("probes")
    n = 150 if ctx.smoke else 600
    found = {"removed_across": {}, "kept_along": {}, "other_prompt_ratio": {}, "agreement": {}}
    for sigma in SIGMAS:
        model_shares, ideal_shares, ratios, cosines = [], [], [], []
        for arm in (0, 1):
            low, high = arm_range(arm)
            t = rng.uniform(low + 0.1 * (high - low), high - 0.1 * (high - low), n)  # not the ends
            clean, (tangent, normal) = curve_point(t), curve_frame(t)
            noise = sigma * rng.standard_normal(clean.shape)
            x = clean + noise
            mine, ideal = move(x, sigma, arm), ideal_denoiser(x, sigma, points[labels == arm]) - x
            model_shares.append(split_shares(noise, mine, tangent, normal))
            ideal_shares.append(split_shares(noise, ideal, tangent, normal))
            other = move(x, sigma, 1 - arm)
            ratios.append(np.linalg.norm(other, axis=1).mean() / np.linalg.norm(mine, axis=1).mean())
            big = np.linalg.norm(ideal, axis=1) > 0.5 * sigma  # where the ideal move is not tiny
            cosines.append(cosine(mine[big], ideal[big]))
        key = sigma_key(sigma)
        for name in ("removed_across", "kept_along"):
            found[name][key] = {"model": round(float(np.mean([s[name] for s in model_shares])), 3),
                                "ideal": round(float(np.mean([s[name] for s in ideal_shares])), 3)}
        found["other_prompt_ratio"][key] = round(float(np.mean(ratios)), 1)
        found["agreement"][key] = round(float(np.concatenate(cosines).mean()), 3)
    found.update({"sigmas": list(SIGMAS), "probes_per_arm": n, "n_train": trained.info["n_train"],
                  "train_steps": trained.info["steps"]})
    return found


@figure("conditional_noise_split", models=("arms_diffusion",), colours=160, narrow=True)
def conditional_noise_split(ctx):
    import matplotlib.pyplot as plt

    _, move = load(ctx)
    ctx.metrics.update(ctx.once("measures", lambda: measure(ctx, move)))
    if ctx.narrow:
        fig, axes = plt.subplots(3, 1, figsize=(style.NARROW_IN, 14.0))
    else:
        fig, axes = plt.subplots(1, 3, figsize=(style.WIDE_IN, 3.9))
    rng = ctx.stream("shown")
    for ax, sigma, half, centre in zip(axes, SIGMAS, WINDOWS, CENTRES):
        draw_panel(ctx, ax, move, sigma, half, np.array(centre), rng)
    legend(ctx, fig)
    fig.tight_layout(h_pad=1.2, w_pad=0.6, rect=(0, 0, 1, 0.93) if ctx.narrow else (0, 0, 1, 0.86))
    return fig


def legend(ctx, fig) -> None:
    """What the marks mean, above the panels (two columns on a phone, one row on a wide page)."""
    from matplotlib.lines import Line2D

    marks = [Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=style.INK,
                    label=ctx.text("노이즈를 더하기 전", "before the noise")),
             Line2D([], [], marker="o", linestyle="", color=style.INK,
                    label=ctx.text("노이즈 낀 점", "noisy point")),
             Line2D([], [], color=style.ACCENT, linewidth=2.0,
                    label=ctx.text("프롬프트 “안쪽 팔”의 이동", "move, prompt “inner arm”")),
             Line2D([], [], color=OUTER, linewidth=1.4,
                    label=ctx.text("프롬프트 “바깥 팔”의 이동", "move, prompt “outer arm”"))]
    fig.legend(handles=marks, loc="upper center", ncol=1 if ctx.narrow else 2, frameon=False,
               fontsize=style.SMALLEST_PT,
               bbox_to_anchor=(0.5, 1.0), handlelength=1.6, columnspacing=1.2)


def draw_panel(ctx, ax, move, sigma: float, half: float, centre: np.ndarray, rng) -> None:
    """One noise level: the arms, five noisy points near the inner arm, each one's move under
    the prompt "inner arm" (accent) and, where it fits the panel, under "outer arm" (blue)."""
    for arm, colour, width in ((0, style.ACCENT, 2.4), (1, "#90a4ae", 1.6)):
        t = np.linspace(*arm_range(arm), 600)
        line = curve_point(t)
        ax.plot(line[:, 0], line[:, 1], color=colour, linewidth=width, zorder=1)
    spread = 0.5 * half / 0.628  # the probes' angles: a stretch of arm about the panel's width
    t = PROBE_T + np.linspace(-spread, spread, 5)
    clean = curve_point(t)
    x = clean + sigma * rng.standard_normal(clean.shape)
    for k in range(len(x)):  # a draw that lands outside the panel is drawn again, so all show
        while np.abs(x[k] - centre).max() > 0.9 * half:
            x[k] = clean[k] + sigma * rng.standard_normal(2)
    inner, outer = move(x, sigma, 0), move(x, sigma, 1)
    key = sigma_key(sigma)
    arrow = {"arrowstyle": "-|>,head_width=0.25,head_length=0.5", "shrinkA": 0, "shrinkB": 0}
    for k in range(len(x)):
        ax.plot(*zip(clean[k], x[k]), color=style.MUTED, linewidth=0.8, linestyle=":", zorder=2)
        ax.annotate("", xy=x[k] + inner[k], xytext=x[k], zorder=4,
                    arrowprops={**arrow, "color": style.ACCENT, "linewidth": 2.0})
        if sigma > SIGMAS[0]:  # at the smallest σ the other arm is far outside the close-up
            ax.annotate("", xy=x[k] + outer[k], xytext=x[k], zorder=3,
                        arrowprops={**arrow, "color": OUTER, "linewidth": 1.4, "alpha": 0.85})
    ax.scatter(clean[:, 0], clean[:, 1], s=22, facecolors="white", edgecolors=style.INK,
               linewidths=1.0, zorder=5)
    ax.scatter(x[:, 0], x[:, 1], s=22, color=style.INK, zorder=6)
    ax.set(xlim=(centre[0] - half, centre[0] + half), ylim=(centre[1] - half, centre[1] + half),
           xticks=[], yticks=[], aspect="equal")
    ax.spines[:].set_visible(True)
    ax.spines[:].set_color(style.GRID)
    across = ctx.metrics["removed_across"][key]["model"]
    along = max(1 - ctx.metrics["kept_along"][key]["model"], 0.0)
    ratio = ctx.metrics["other_prompt_ratio"][key]
    ax.set_title(f"σ = {sigma:g}", fontsize=13, loc="left")
    ax.set_xlabel(ctx.text(f"가로지른 노이즈: {across:.0%} 지움\n곡선을 따른 노이즈: {along:.0%} 지움\n"
                           f"“바깥 팔”로는 {ratio:.1f}배 멀리",
                           f"across: {across:.0%} removed\nalong: {along:.0%} removed\n"
                           f"“outer arm”: {ratio:.1f}× longer move"),
                  fontsize=style.SMALLEST_PT, color=style.INK, linespacing=1.35)


FORMAT = "manifold-explainer/edm-denoiser/1"
WEIGHTS_FILE = "arms_denoiser.f16.gz"
VIEW = 1.8  # the widget's map spans [−1.8, 1.8]², like the diffusion chapter's panels
WIDGET_SAMPLER_STEPS = 18  # the reverse process the widget replays: EDM's steps, noise-free (Heun)


@figure("arms_denoiser", kind="files", localized=False, models=("arms_diffusion",),
        extensions=("json", "f16.gz"))
def arms_denoiser(ctx):
    """The model's weights (float16) and what the widget draws around them: the two arms, the
    noise levels of its slider and of its sampler."""
    from generator.networks.diffusion import SIGMA_MAX, noise_levels
    from generator.networks.export import linear_layers, pack_layers, weight_files, weights_header

    trained = ctx.model("arms_diffusion")
    layers = linear_layers(trained, "net")
    described, values, weights = pack_layers(layers, ["silu"] * (len(layers) - 1) + ["none"])
    arms = [[[round(float(a), 4), round(float(b), 4)] for a, b in curve_point(np.linspace(*arm_range(arm), 160))]
            for arm in (0, 1)]
    description = {
        **weights_header(FORMAT, WEIGHTS_FILE, values),
        "dim": 2,
        "sigma_data": round(float(trained.info["sigma_data"]), 6),
        "frequencies": trained.arrays["state/frequencies"].tolist(),
        "input": "[c_in·x (2), sin(¼ ln σ · f) (k), cos(¼ ln σ · f) (k), condition (3)]",
        "layers": described,
        "condition": {"width": 3, "prompts": ["inner", "outer", None]},
        "arms": arms,
        "view": VIEW,
        "sigma": {"min": 0.01, "max": SIGMA_MAX, "default": SIGMAS[1], "shown": list(SIGMAS)},
        "guidance": {"default": 0.0, "max": 4.0},
        "sampler": {"kind": "probability-flow ODE, Heun", "steps": WIDGET_SAMPLER_STEPS,
                    "sigmas": [round(float(s), 7) for s in noise_levels(WIDGET_SAMPLER_STEPS)]},
    }
    files = weight_files(description, weights)
    ctx.metrics.update({"weights_bytes_gzip": len(files["f16.gz"]), "values": values})
    return files
