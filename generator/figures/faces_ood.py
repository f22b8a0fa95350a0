"""Out of distribution: faces the human-face VAE never saw a style of.

Anime-style faces (same renderer, impossible proportions) and Avataaars cartoons go through
the faces VAE in two ways. The encoder's reconstruction decodes the code the encoder gives;
the decoder's best attempt searches the latent space directly for the code whose decoded face
is closest to the image (gradient descent on z). If even the best attempt stays far, the
decoder cannot draw that face at all: it is not on the manifold the decoder learned. Where the
encoder's codes fall is measured against the region the human faces' codes fill (a Gaussian
fitted to them).
"""
from __future__ import annotations

import numpy as np

from generator.data.faces import SIDE
from generator.engine import style
from generator.engine.registry import figure
from generator.models.face_ood import GROUPS, group_images, squared_error
from generator.pipelines.face_codes import decode, encode, held_out, load_vae

TITLES = {"human": {"ko": "그린 사람 얼굴 (학습 분포)", "en": "drawn human (trained on)"},
          "anime": {"ko": "애니메이션풍 (분포 밖)", "en": "anime (outside)"},
          "avataaars": {"ko": "Avataaars (분포 밖)", "en": "Avataaars (outside)"}}


def reconstruct(vae, images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """-> (latent means (n, d), reconstructions (n, 64, 64, 3), mean squared error per image (n,))."""
    z = encode(vae, images)
    back = decode(vae, z)
    return z, back, squared_error(back, images)


def measured(ctx) -> tuple[dict, dict]:
    """Encoder reconstructions of every group, and the errors of the decoder's best attempts
    (searched once, in the face_ood_search model), computed once for the four renderings."""
    def compute():
        vae, groups = load_vae(ctx), group_images(ctx)
        results = {name: reconstruct(vae, images) for name, images in groups.items()}
        search = ctx.model("face_ood_search").arrays
        return results, {name: search[f"best_error/{name}"] for name in GROUPS}

    return ctx.once("measured", compute)


@figure("face_ood_reconstructions", models=("face_vae", "avataaars", "face_ood_search"), colours=256,
        narrow=True)
def face_ood_reconstructions(ctx):
    """For each group: the input, the encoder's reconstruction, the decoder's best attempt."""
    import matplotlib.pyplot as plt

    vae = load_vae(ctx)
    groups = ctx.once("groups", lambda: group_images(ctx))  # drawn once, not per layout
    shown = 4 if ctx.narrow else 3
    fig, axes = plt.subplots(len(GROUPS) if ctx.narrow else 1, 1 if ctx.narrow else len(GROUPS),
                             figsize=(style.width(ctx), 7.4 if ctx.narrow else 3.9), squeeze=False)
    for k, (ax, name) in enumerate(zip(axes.ravel(), GROUPS)):
        originals = groups[name][:shown]
        _, back, _ = reconstruct(vae, originals)
        best = ctx.model("face_ood_search").arrays[f"best_images/{name}"][:shown]
        ax.imshow(np.concatenate([np.concatenate(list(rows), axis=1) for rows in (originals, back, best)]),
                  interpolation="antialiased")
        labels = [ctx.text("입력", "input"), ctx.text("인코더의\n복원", "encoder's\nreconstruction"),
                  ctx.text("디코더의\n최선", "decoder's\nbest attempt")]  # the words the page uses
        ax.set_yticks([SIDE * (r + 0.5) for r in range(3)], labels if (ctx.narrow or k == 0) else [])
        ax.set_xticks([])
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        ax.set_title(TITLES[name][ctx.lang], fontsize=style.SMALLEST_PT)
    fig.tight_layout()
    return fig


@figure("face_ood_errors", models=("face_vae", "avataaars", "face_ood_search"), narrow=True)
def face_ood_errors(ctx):
    """Errors of the encoder's reconstruction and of the decoder's best attempt, as counts."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter
    from scipy.stats import chi

    results, best = measured(ctx)
    steps = ctx.model("face_ood_search").info["steps"]
    errors = {name: r[2] for name, r in results.items()}
    vae = load_vae(ctx)
    # where the human faces' codes live: a Gaussian fitted to the codes of other human faces
    reference = encode(vae, held_out(200 if ctx.smoke else 2000, "ood/reference").images)
    centre, precision = reference.mean(0), np.linalg.inv(np.cov(reference.T))
    # Mahalanobis distance d(z) = √((z − m)ᵀ Σ⁻¹ (z − m)): ~χ(latent) for codes like the reference
    norms = {name: np.sqrt(np.einsum("ij,jk,ik->i", r[0] - centre, precision, r[0] - centre))
             for name, r in results.items()}
    ctx.metrics["mean_error"] = {name: round(float(e.mean()), 5) for name, e in errors.items()}
    ctx.metrics["best_error"] = {name: round(float(e.mean()), 5) for name, e in best.items()}
    ctx.metrics["error_ratio"] = {name: round(float(errors[name].mean() / errors["human"].mean()), 1)
                                  for name in ("anime", "avataaars")}
    ctx.metrics["best_ratio"] = {name: round(float(best[name].mean() / best["human"].mean()), 1)
                                 for name in ("anime", "avataaars")}
    ctx.metrics["mean_mahalanobis"] = {name: round(float(v.mean()), 2) for name, v in norms.items()}
    ctx.metrics["expected_mahalanobis"] = round(float(chi(results["human"][0].shape[1]).mean()), 2)
    ctx.metrics["counts"] = {name: int(len(r[2])) for name, r in results.items()}
    ctx.metrics["searched"] = {name: int(len(e)) for name, e in best.items()}
    ctx.metrics["search_steps"] = steps

    colours = {"human": style.MUTED, "anime": style.ACCENT, "avataaars": "#1e88e5"}
    labels = {"human": ctx.text("그린 사람 얼굴", "drawn human"), "anime": ctx.text("애니메이션풍", "anime"),
              "avataaars": "Avataaars"}
    every = np.concatenate([*errors.values(), *best.values()])
    bins = np.geomspace(every.min() * 0.8, every.max() * 1.25, 36)
    fig, axes = plt.subplots(2 if ctx.narrow else 1, 1 if ctx.narrow else 2, sharex=True,
                             figsize=(style.width(ctx), 7.4 if ctx.narrow else 3.9))
    panels = ((errors, ctx.text("인코더의 복원", "the encoder's reconstruction")),
              (best, ctx.text(f"디코더의 최선 ({steps}단계 최적화)", f"the decoder's best attempt ({steps} steps)")))
    for ax, (values, title) in zip(np.ravel(axes), panels):
        for name in GROUPS:
            ax.hist(values[name], bins=bins, histtype="step", linewidth=1.8, color=colours[name],
                    label=labels[name])
        ax.set(xscale="log", title=title, ylabel=ctx.text("얼굴 수", "faces"))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # 0.001, not 10⁻³
        ax.tick_params(labelbottom=True)
    for ax in np.ravel(axes)[-1:] if ctx.narrow else np.ravel(axes):
        ax.set_xlabel(ctx.text("오차 (픽셀 제곱 오차의 평균, 로그 눈금)", "error (mean squared, log scale)"))
    handles, names = np.ravel(axes)[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper center", ncol=1 if ctx.narrow else 3, frameon=False)  # above both
    fig.tight_layout(rect=(0, 0, 1, 0.88 if ctx.narrow else 0.9))
    return fig
