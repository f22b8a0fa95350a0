"""The intrinsic-dimension chapter: how many numbers each data set of the site really uses.

Every data set is measured (once, in the cached generator/models/intrinsic_dimension.py) with
both estimators of generator/measures/intrinsic.py: Levina–Bickel maximum likelihood at k neighbours
(the headline uses K) and TwoNN. The results go to the
manifest as `intrinsic_dimension` = {data set: {mle, twonn, k, n, ambient}}; the figures show
the headline (ambient vs measured), the estimate against k, and against the number of samples
n, which is where uniform noise gives itself away: its estimate keeps climbing with n, a real
manifold's does not. The widget's data (a k slider over precomputed estimates, on the spiral
of the diffusion chapter) is exported here too.
"""
from __future__ import annotations

import json

import numpy as np

from generator.engine import seeding, style
from generator.engine.registry import figure
from generator.models.intrinsic_dimension import K, measured


def record(ctx, found: dict) -> None:
    ctx.metrics["intrinsic_dimension"] = {
        name: {"mle": round(r["mle_by_k"][K], 2), "twonn": round(r["twonn"], 2), "k": K,
               "n": r["n"], "ambient": r["ambient"]}
        for name, r in found["results"].items()}
    digits = {d: found["results"][f"mnist_{d}"]["mle_by_k"][K] for d in range(10)}
    ctx.metrics["digit_lowest"], ctx.metrics["digit_highest"] = min(digits, key=digits.get), max(digits, key=digits.get)
    ctx.metrics["noise_by_n"] = {str(m): round(v, 1) for m, v in found["by_n"]["noise"].items()}
    ctx.metrics["mnist_by_n"] = {str(m): round(v, 1) for m, v in found["by_n"]["mnist"].items()}


def names(ctx) -> dict[str, str]:
    return {
        "swiss_roll": ctx.text("스위스롤", "Swiss roll"), "spiral": ctx.text("나선 (확산 장)", "spiral (diffusion)"),
        "mnist": ctx.text("MNIST 숫자 전부", "MNIST, all digits"), "faces": ctx.text("그린 얼굴", "drawn faces"),
        "lfw": ctx.text("LFW 사진 100장", "LFW, 100 photos"), "noise": ctx.text("균일한 노이즈", "uniform noise"),
    }


def spiral_scale(n: int) -> dict:
    """Why the noisy 1-D spiral measures near 2: the distance at which the estimators look (the
    median distance to the K-th neighbour, over the same n points they measured) against the
    width of the noise around the curve (its standard deviation)."""
    from scipy.spatial import cKDTree

    from generator.data.spiral import DATA_NOISE, make_spiral

    points = make_spiral(n, seeding.numpy_stream("intrinsic/spiral")).points
    distances, _ = cKDTree(points).query(points, k=K + 1)  # (n, K + 1): itself first
    return {"noise": DATA_NOISE, "k_radius": round(float(np.median(distances[:, K])), 3)}


@figure("intrinsic_headline", models=("intrinsic_dimension",), narrow=True)
def intrinsic_headline(ctx):
    """Ambient dimension (pixels or coordinates) against the measured dimension, log scale."""
    import matplotlib.pyplot as plt

    found = measured(ctx.model("intrinsic_dimension"))
    record(ctx, found)
    ctx.metrics["spiral_scale"] = spiral_scale(found["results"]["spiral"]["n"])
    labels = names(ctx)
    low, high = ctx.metrics["digit_lowest"], ctx.metrics["digit_highest"]
    rows = ["swiss_roll", "spiral", "mnist", f"mnist_{low}", f"mnist_{high}", "faces", "lfw", "noise"]
    labels[f"mnist_{low}"] = ctx.text(f"MNIST ‘{low}’만", f"MNIST, only {low}s")
    labels[f"mnist_{high}"] = ctx.text(f"MNIST ‘{high}’만", f"MNIST, only {high}s")
    results = found["results"]
    fig, ax = plt.subplots(figsize=(style.width(ctx), 6.4 if ctx.narrow else 4.8))
    for y, name in enumerate(rows[::-1]):
        r = results[name]
        mle, twonn, ambient = r["mle_by_k"][K], r["twonn"], r["ambient"]
        ax.plot([mle, ambient], [y, y], color=style.GRID, linewidth=2, zorder=1)
        ax.scatter([twonn], [y], marker="D", s=34, facecolor="white", edgecolor=style.ACCENT, zorder=3)
        ax.scatter([mle], [y], s=50, color=style.ACCENT, zorder=4)
        ax.scatter([ambient], [y], marker="s", s=60, facecolor="none", edgecolor=style.MUTED,
                   linewidth=1.8, zorder=5)  # hollow, so a dot beneath it still shows
        # the same rounding as the page's table (the manifest keeps two decimals)
        ax.text(mle, y + 0.22, f"{round(mle, 2):.1f}", ha="center", va="bottom", fontsize=style.SMALLEST_PT)
    ax.set_xscale("log")
    ax.set_xlim(0.5, 40_000)
    ax.set_yticks(range(len(rows)), [labels[name] for name in rows[::-1]])
    ax.set_ylim(-0.5, len(rows) - 0.2)
    ax.set_xlabel(ctx.text("차원 (로그 눈금)", "dimension (log scale)"))
    ax.scatter([], [], s=50, color=style.ACCENT, label=ctx.text(f"측정한 차원 (MLE, k = {K})", f"measured (MLE, k = {K})"))
    ax.scatter([], [], marker="D", s=34, facecolor="white", edgecolor=style.ACCENT, label=ctx.text("측정한 차원 (TwoNN)", "measured (TwoNN)"))
    ax.scatter([], [], marker="s", s=60, facecolor="none", edgecolor=style.MUTED, linewidth=1.8,
               label=ctx.text("좌표·픽셀의 수", "coordinates or pixels"))
    fig.legend(loc="upper center", ncol=1 if ctx.narrow else 3, frameon=False)  # above the plot
    ax.grid(axis="x", color=style.GRID, linewidth=0.6)
    fig.tight_layout(rect=(0, 0, 1, 0.84 if ctx.narrow else 0.9))
    return fig


@figure("intrinsic_by_k", models=("intrinsic_dimension",), narrow=True)
def intrinsic_by_k(ctx):
    """The MLE estimate against the number of neighbours k, for the main data sets."""
    import matplotlib.pyplot as plt

    results = measured(ctx.model("intrinsic_dimension"))["results"]
    labels = names(ctx)
    colours = {"swiss_roll": "#43a047", "spiral": "#8e24aa", "mnist": style.ACCENT, "faces": "#1e88e5",
               "lfw": style.MUTED, "noise": style.INK}
    fig, ax = plt.subplots(figsize=(style.width(ctx, 7.0), 6.0 if ctx.narrow else 4.2))
    for name, colour in colours.items():
        by_k = results[name]["mle_by_k"]
        ax.plot(list(by_k), list(by_k.values()), marker="o", markersize=4, color=colour, label=labels[name])
    ax.axvline(K, color=style.GRID, linestyle="--", linewidth=1)
    ax.set(yscale="log", xlabel=ctx.text("이웃의 수 k", "neighbours k"),
           ylabel=ctx.text("측정한 차원 (MLE, 로그 눈금)", "measured dimension (MLE, log)"))
    ax.set_yticks([1, 2, 5, 10, 20, 50, 100, 200], ["1", "2", "5", "10", "20", "50", "100", "200"])
    ax.set_ylim(1, 300)
    if ctx.narrow:  # below the plot, in two columns
        fig.legend(loc="lower center", ncol=2, frameon=False)
        fig.tight_layout(rect=(0, 0.2, 1, 1))
    else:
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
        fig.tight_layout()
    return fig


@figure("intrinsic_by_n", models=("intrinsic_dimension",), narrow=True)
def intrinsic_by_n(ctx):
    """The estimate against the number of samples n: MNIST settles, uniform noise keeps rising."""
    import matplotlib.pyplot as plt

    by_n = measured(ctx.model("intrinsic_dimension"))["by_n"]
    labels = names(ctx)
    fig, ax = plt.subplots(figsize=(style.width(ctx, 6.4), 4.4 if ctx.narrow else 3.8))
    for name, colour in (("mnist", style.ACCENT), ("noise", style.INK)):
        ax.plot(list(by_n[name]), list(by_n[name].values()), marker="o", color=colour, label=labels[name])
    ax.axhline(784, color=style.MUTED, linestyle=":", linewidth=1.2)
    ax.text(110, 784 * 0.8, ctx.text("픽셀 수 784", "784 pixels"), va="top", fontsize=style.SMALLEST_PT, color=style.MUTED)
    ax.set(xscale="log", yscale="log", xlabel=ctx.text("샘플 수 n (로그 눈금)", "samples n (log scale)"),
           ylabel=ctx.text(f"측정한 차원 (MLE, k = {K})", f"measured dimension (MLE, k = {K})"))
    ax.set_yticks([5, 10, 20, 50, 100, 200, 500], ["5", "10", "20", "50", "100", "200", "500"])
    ticks = [m for m in by_n["noise"] if not ctx.narrow or m in (100, 1000, 5000)]  # room on a phone
    ax.set_xticks(ticks, [f"{m:,}" for m in ticks])
    ax.minorticks_off()
    ax.legend(frameon=False, loc="center right")
    fig.tight_layout()
    return fig


@figure("intrinsic_widget", kind="files", localized=False, extensions=("json",))
def intrinsic_widget(ctx):
    """The k slider's data: 600 spiral points, one chosen point's 50 nearest neighbours in
    order, and the estimate (at that point and over all points) for every k from 2 to 50."""
    from generator.data.spiral import make_spiral
    from generator.measures.intrinsic import mle_dimension, neighbour_distances

    points = make_spiral(600, seeding.numpy_stream("intrinsic/widget")).points
    distances = neighbour_distances(points, 50)
    from sklearn.neighbors import NearestNeighbors

    chosen = int(np.argmin(np.abs(points - np.array([0.0, -1.0])).sum(1)))  # on an arm, far from its ends
    order = NearestNeighbors(n_neighbors=51).fit(points).kneighbors(points[[chosen]])[1][0, 1:]
    ks = list(range(3, 51))
    t = distances[chosen]
    # one point's estimate: S = Σ_{j<k} log(T_k / T_j) is a sum of k − 1 exponentials of rate m,
    # so E[1/S] = m / (k − 2) and m̂ = (k − 2) / S is unbiased (with k − 1 it would read m·(k−1)/(k−2):
    # 2.7 instead of 2 on a plane at k = 5)
    local = [float((k - 2) / np.log(t[k - 1] / t[: k - 1]).sum()) for k in ks]
    overall = [mle_dimension(points, k, distances) for k in ks]
    data = {"points": [[round(float(x), 4), round(float(y), 4)] for x, y in points],
            "chosen": chosen, "neighbours": [int(i) for i in order], "k": ks,
            "local": [round(v, 3) for v in local], "overall": [round(v, 3) for v in overall],
            "radius": [round(float(t[k - 1]), 4) for k in ks]}
    ctx.metrics["overall_k10"] = round(overall[ks.index(10)], 2)
    ctx.metrics["overall_k50"] = round(overall[-1], 2)
    return {"json": (json.dumps(data, separators=(",", ":")) + "\n").encode()}
