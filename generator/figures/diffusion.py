"""The diffusion chapter: noise pushes points off the spiral, a trained denoiser pulls them back.

Every picture uses the model registered in generator/models/spiral_diffusion.py; the
samplers and the network are in generator/networks/diffusion.py.
"""
from __future__ import annotations

import numpy as np

from generator.data.spiral import DATA_NOISE, CurveDistance, make_spiral, spiral_curve
from generator.engine import seeding, style
from generator.engine.animation import Animation
from generator.engine.registry import figure
from generator.measures.scores import mmd_squared, wasserstein_1

LIMIT = 1.8  # every panel shows the square [−1.8, 1.8]²: the spiral spans about ±1.4
FORWARD_SIGMAS = (0.0, 0.05, 0.2, 0.6, 3.0)  # noise levels of the forward-process panels
FIELD_SIGMAS = (1.0, 0.3, 0.1, 0.03)  # noise levels of the vector-field panels
SAMPLER_STEPS = 60  # denoising steps from pure noise to data
MMD_BANDWIDTH = 0.1  # kernel width of the MMD: a sixth of the gap between two turns


def held_out(n_points: int, purpose: str = "held_out"):
    """Fresh spiral points the model never saw (a stream of their own)."""
    return make_spiral(n_points, seeding.numpy_stream(f"data/spiral/{purpose}"))


def load_denoiser(ctx):
    from generator.networks.diffusion import denoiser_from_artifact

    seeding.make_torch_deterministic()
    return denoiser_from_artifact(ctx.model("spiral_diffusion"))


def denoise(denoiser, x: np.ndarray, sigma: float) -> np.ndarray:
    """(n, 2) noisy points at noise level σ -> (n, 2) the denoiser's guess of the clean points."""
    import torch

    with torch.no_grad():
        points = torch.from_numpy(x.astype(np.float32))
        return denoiser(points, torch.full((len(x),), sigma)).numpy().astype(np.float64)


def run_sampler(ctx, denoiser, n_points: int, purpose: str, stochastic: bool) -> np.ndarray:
    """(steps + 1, n, 2): the whole path of n points from pure noise to samples."""
    from generator.networks.diffusion import sample

    generator = seeding.torch_stream(f"figure/{ctx.name}/{purpose}")
    path = sample(denoiser, n_points, SAMPLER_STEPS, generator, stochastic)
    return path.numpy().astype(np.float64)


def sigma_schedule() -> np.ndarray:
    from generator.networks.diffusion import noise_levels

    return noise_levels(SAMPLER_STEPS).numpy().astype(np.float64)


def plane(ax, curve: bool = True, curve_colour: str = style.GRID) -> None:
    """A square panel on [−LIMIT, LIMIT]² with no ticks, and the true spiral drawn faintly."""
    if curve:
        line = spiral_curve()
        ax.plot(line[:, 0], line[:, 1], color=curve_colour, linewidth=1.2, zorder=0)
    ax.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xticks=[], yticks=[], aspect="equal")
    ax.spines[:].set_visible(True)
    ax.spines[:].set_color(style.GRID)


def curve_position(points: np.ndarray) -> np.ndarray:
    """(n, 2) -> (n,) where along the spiral each point is closest, from 0 (inside) to 1."""
    from scipy.spatial import cKDTree

    line = spiral_curve()
    _, nearest = cKDTree(line).query(points)
    return nearest / (len(line) - 1)


def sigma_label(sigma: float) -> str:
    return "σ = 0" if sigma == 0 else f"σ = {sigma:g}"


def strip_of_five(ctx):
    """Five square panels: in a row, or three rows of two on a phone (the sixth cell empty)."""
    import matplotlib.pyplot as plt

    if ctx.narrow:
        fig, grid = plt.subplots(3, 2, figsize=(style.NARROW_IN, 6.9))
        grid.flat[-1].set_visible(False)
        return fig, list(grid.flat[:5])
    fig, grid = plt.subplots(1, 5, figsize=(style.WIDE_IN, 2.3))
    return fig, list(grid)


@figure("diffusion_forward", models=(), colours=128, narrow=True)
def diffusion_forward(ctx):
    """The forward process: the same points with more and more noise added."""
    data = held_out(400 if ctx.smoke else 1500, "forward")
    noise = ctx.stream("noise").standard_normal(data.points.shape)  # one ε for every panel
    colour = curve_position(data.points)
    fig, axes = strip_of_five(ctx)
    for ax, sigma in zip(axes, FORWARD_SIGMAS):
        plane(ax, curve=False)
        # x = x₀ + σ ε
        noisy = data.points + sigma * noise
        ax.scatter(noisy[:, 0], noisy[:, 1], c=colour, cmap=style.MANIFOLD_CMAP, s=2.5,
                   linewidths=0)
        ax.set_title(sigma_label(sigma))
    ends = ((axes[0], ctx.text("데이터", "data")), (axes[-1], ctx.text("거의 노이즈뿐", "almost pure noise")))
    for ax, words in ends:  # under the panel in a row; in its title on a phone, where rows stack
        if ctx.narrow:
            ax.set_title(f"{ax.get_title()} · {words}")
        else:
            ax.set_xlabel(words)
    fig.suptitle(ctx.text("노이즈를 더할수록 흐려지는 나선\n(색: 각 점이 처음 있던 자리)",
                          "Noise blurs the spiral away\n(colour: where each point started)"), y=0.995)
    fig.tight_layout()
    return fig


def field_agreement(denoiser, sigma: float, reference: np.ndarray, rng) -> float:
    """Mean cosine between the learned arrow D(x; σ) − x and the ideal one, at noisy data points.

    The ideal denoiser is the average of all clean points weighted by how likely each is to
    have produced x: D*(x) = Σᵢ wᵢ x₀ᵢ with wᵢ ∝ exp(−‖x − x₀ᵢ‖² / 2σ²), estimated with a large
    fresh sample of the data.
    """
    from scipy.spatial.distance import cdist
    from scipy.special import softmax

    starts = reference[rng.choice(len(reference), 1000, replace=False)]
    x = starts + sigma * rng.standard_normal(starts.shape)  # (1000, 2) noisy points
    weights = softmax(-cdist(x, reference, "sqeuclidean") / (2 * sigma ** 2), axis=1)
    ideal = weights @ reference - x  # (1000, 2)
    learned = denoise(denoiser, x, sigma) - x  # (1000, 2)
    cosine = (ideal * learned).sum(1) / (np.linalg.norm(ideal, axis=1) * np.linalg.norm(learned, axis=1))
    return float(cosine.mean())


@figure("diffusion_vector_field", models=("spiral_diffusion",), colours=128, narrow=True)
def diffusion_vector_field(ctx):
    """Arrows from noisy points to the denoiser's guess, at four noise levels."""
    import matplotlib.pyplot as plt

    denoiser = load_denoiser(ctx)
    # a phone's panels are half as wide: fewer, larger arrows, so that their direction shows
    side = 9 if ctx.smoke else 11 if ctx.narrow else 19
    ticks = np.linspace(-LIMIT + 0.1, LIMIT - 0.1, side)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(ticks, ticks)])  # (side², 2)
    reference = ctx.once("reference", lambda: held_out(2000 if ctx.smoke else 20_000, "reference").points)
    # a grid point is "visited" at noise level σ when noisy data points often land that close
    # to the spiral: within 2.5 standard deviations of the total noise √(σ² + data noise²)
    to_curve = CurveDistance()(grid)  # (side²,)
    length = 0.7 * (ticks[1] - ticks[0])  # every arrow drawn this long: only direction counts
    fig, axes = plt.subplots(2, 2, figsize=(style.NARROW_IN, 5.9) if ctx.narrow else (7.2, 7.6))
    for ax, sigma in zip(axes.flat, FIELD_SIGMAS):
        plane(ax, curve_colour=style.MUTED)
        arrows = denoise(denoiser, grid, sigma) - grid  # (side², 2) D(x; σ) − x
        unit = arrows / np.linalg.norm(arrows, axis=1, keepdims=True)  # (side², 2)
        visited = to_curve < 2.5 * np.hypot(sigma, DATA_NOISE)  # (side²,)
        for mask, colour in ((~visited, "#dde3e6"), (visited, style.ACCENT)):
            ax.quiver(grid[mask, 0], grid[mask, 1], length * unit[mask, 0], length * unit[mask, 1],
                      angles="xy", scale_units="xy", scale=1, color=colour,
                      width=0.011 if ctx.narrow else 0.006, headwidth=4, headlength=4.5,
                      headaxislength=4, pivot="middle")
        ax.set_title(sigma_label(sigma) + ("" if ctx.narrow else
                                           {1.0: ctx.text(" (노이즈 많음)", " (much noise)"),
                                            0.03: ctx.text(" (노이즈 적음)", " (little noise)")}.get(sigma, "")))
        agreement = ctx.once(f"agreement/{sigma}", lambda: field_agreement(  # once, not per layout
            denoiser, sigma, reference, ctx.stream(f"agreement/{sigma}")))
        ctx.metrics[f"agreement_sigma_{sigma:g}".replace(".", "_")] = round(agreement, 3)
    fig.suptitle(ctx.text("화살표: 노이즈 낀 점 x에서\n디노이저의 추측 D(x; σ) 쪽으로",
                          "Arrows: from a noisy point x toward\nthe denoiser's guess D(x; σ)"))
    fig.text(0.5, 0.01, ctx.text("주황: 이 노이즈 세기에서 흔히 나오는 자리\n회색: 거의 나오지 않는 자리",
                                 "orange: where noisy points at this level often are\ngrey: hardly ever"),
             ha="center", color=style.MUTED, fontsize=style.SMALLEST_PT)
    fig.tight_layout(rect=(0, 0.07 if ctx.narrow else 0.05, 1, 1))
    return fig


@figure("diffusion_reverse", kind="animation", localized=False, models=("spiral_diffusion",),
        frame_ms=140, colours=32)
def diffusion_reverse(ctx):
    """A cloud of pure noise flows onto the spiral; eight points leave trails."""
    import matplotlib.pyplot as plt

    denoiser = load_denoiser(ctx)
    path = run_sampler(ctx, denoiser, 300 if ctx.smoke else 500, "cloud", stochastic=False)
    # (steps+1, n, 2): the noise-free sampler, so that every point follows a smooth path
    sigmas = sigma_schedule()
    colour = curve_position(path[-1])  # each point coloured by where it finally lands
    # the eight points with trails: those that land nearest to eight evenly spaced places
    followed = [int(np.argmin(np.abs(colour - place))) for place in np.linspace(0.05, 0.95, 8)]
    shown = range(0, len(path), 6 if ctx.smoke else 2)  # every other step: 31 frames
    animation = Animation()
    for step in shown:
        fig = plt.figure(figsize=(3.6, 3.6), dpi=100)
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
        plane(ax)
        ax.scatter(path[step, :, 0], path[step, :, 1], c=colour, cmap=style.MANIFOLD_CMAP,
                   vmin=0, vmax=1, s=5, linewidths=0, antialiased=False)  # crisp dots compress better
        for index in followed:
            trail = path[: step + 1, index]  # (step+1, 2)
            ax.plot(trail[:, 0], trail[:, 1], color=style.ACCENT, linewidth=0.9, alpha=0.8)
            ax.plot(*trail[-1], "o", color=style.ACCENT, markersize=3.5)
        sigma = sigma_label(round(float(sigmas[step]), 3))
        ax.text(0.04, 0.95, sigma, transform=ax.transAxes, color=style.INK, fontsize=11, va="top",
                bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1})
        last = len(path) - 1
        animation.add(fig, (f"{sigma} · {step}/{last}단계", f"{sigma} · step {step} of {last}"),
                      check=step == shown[-1] or None)
    animation.hold(5, at_end=False)  # rest at the start and the end
    animation.hold(14)
    return animation


@figure("diffusion_steps", models=("spiral_diffusion",), colours=128, narrow=True)
def diffusion_steps(ctx):
    """The same reverse process as the animation, five moments side by side."""
    denoiser = load_denoiser(ctx)
    path = run_sampler(ctx, denoiser, 300 if ctx.smoke else 1500, "cloud", stochastic=False)
    sigmas = sigma_schedule()
    colour = curve_position(path[-1])
    steps = [0, 20, 35, 48, SAMPLER_STEPS]
    fig, axes = strip_of_five(ctx)
    for ax, step in zip(axes, steps):
        plane(ax)
        ax.scatter(path[step, :, 0], path[step, :, 1], c=colour, cmap=style.MANIFOLD_CMAP,
                   vmin=0, vmax=1, s=2.5, linewidths=0)
        ax.set_title(ctx.text(f"{step}단계", f"step {step}")
                     + f"\n{sigma_label(round(float(sigmas[step]), 3))}", fontsize=12)
    fig.suptitle(ctx.text("노이즈에서 나선까지 60단계\n(색: 각 점이 도착할 자리)",
                          "60 steps from noise to spiral\n(colour: where each point lands)"), y=0.995)
    fig.tight_layout(h_pad=1.2 if ctx.narrow else None)  # a phone's rows: titles clear of the frame above
    return fig


def check_samples(ctx):
    """Sample clouds (the model's two samplers, fresh data, a Gaussian baseline, the start
    noise), each point's distance to the spiral, and the scores comparing the clouds."""
    denoiser = load_denoiser(ctx)
    n = 300 if ctx.smoke else 2000
    data = held_out(n, "check").points  # (n, 2) fresh data the model never saw
    clouds = {
        "data": held_out(n, "check/second").points,  # more fresh data: the floor of every score
        "ddpm": run_sampler(ctx, denoiser, n, "check/ddpm", stochastic=True)[-1],
        "ode": run_sampler(ctx, denoiser, n, "check/ode", stochastic=False)[-1],
        # the "no manifold" baseline: a Gaussian cloud with the data's own mean and covariance
        "gaussian": ctx.stream("gaussian").multivariate_normal(data.mean(0), np.cov(data.T), size=n),
        # where the sampler starts: N(0, σ_max² I)
        "start_noise": 3.0 * ctx.stream("start").standard_normal((n, 2)),
    }
    distance = CurveDistance()
    distances = {name: distance(points) for name, points in clouds.items()}  # each (n,)
    compared = [name for name in clouds if name != "start_noise"]
    scores = {
        "curve_distance": {name: round(float(d.mean()), 4) for name, d in distances.items()},
        "off_curve_share": {name: round(float((d > 0.1).mean()), 4) for name, d in distances.items()},
        "wasserstein": {name: round(wasserstein_1(clouds[name], data), 4) for name in compared},
        "mmd": {name: round(mmd_squared(clouds[name], data, MMD_BANDWIDTH), 5) for name in compared},
    }
    return clouds, distances, scores


@figure("diffusion_check", models=("spiral_diffusion",), colours=128, narrow=True)
def diffusion_check(ctx):
    """Do the samples land on the spiral? Distances to the curve, and distances between clouds."""
    import matplotlib.pyplot as plt

    artifact = ctx.model("spiral_diffusion")
    clouds, distances, scores = ctx.once("measured", lambda: check_samples(ctx))  # once, not per layout
    ctx.metrics.update(scores)
    ctx.metrics.update({key: artifact.info[key] for key in ("steps", "n_train")})
    ctx.metrics["sampler_steps"] = SAMPLER_STEPS

    narrow = ctx.narrow
    fig = plt.figure(figsize=(style.NARROW_IN, 6.0) if narrow else (style.WIDE_IN, 5.8))
    panels = (("ddpm", ctx.text("모델\n(DDPM)", "Model\n(DDPM)")),
              ("ode", ctx.text("모델\n(ODE)", "Model\n(ODE)")),
              ("gaussian", ctx.text("비교:\n가우시안", "Baseline:\nGaussian")))
    for column, (name, title) in enumerate(panels):
        ax = fig.add_axes((0.02 + column * 0.33, 0.66 if narrow else 0.45, 0.3, 0.25 if narrow else 0.43))
        plane(ax)
        ax.scatter(clouds[name][:, 0], clouds[name][:, 1], s=2, color=style.INK, linewidths=0)
        ax.set_title(title, fontsize=12)
    hist = fig.add_axes((0.17, 0.3, 0.8, 0.28) if narrow else (0.08, 0.08, 0.9, 0.27))
    bins = np.geomspace(1e-4, 3, 60)
    for name, colour, label in (("data", style.MUTED, ctx.text("실제 데이터", "real data")),
                                ("ddpm", style.ACCENT, "DDPM"),
                                ("ode", "#1e88e5", "ODE"),
                                ("gaussian", style.INK, ctx.text("가우시안", "Gaussian"))):
        hist.hist(distances[name], bins=bins, histtype="step", linewidth=1.6, color=colour,
                  label=f"{label}: {ctx.metrics['curve_distance'][name]:.3f}")
    hist.set(xscale="log", xlabel=ctx.text("나선까지의 거리 (로그 눈금)", "distance to the spiral (log scale)"),
             ylabel=ctx.text("점의 수", "points"))
    if narrow:  # under the plot, where it hides no bar
        hist.legend(title=ctx.text("평균 거리", "mean distance"), frameon=False, ncol=2,
                    loc="upper center", bbox_to_anchor=(0.45, -0.32))
    else:
        hist.legend(title=ctx.text("평균 거리", "mean distance"), frameon=False, loc="upper left")
    return fig
