"""Out of distribution: faces the human-face VAE never saw a style of.

Anime-style faces (same renderer, impossible proportions) and Avataaars cartoons go through
the faces VAE. Its reconstructions pull them back toward human faces; the reconstruction error
and where their latent codes fall, compared with held-out human faces and with the prior N(0, I),
measure how far outside the learned manifold they are. "Where the codes fall" is measured against the region the
human faces' codes fill (a Gaussian fitted to them): this VAE's codes, human ones included,
sit far from the prior N(0, I) itself (it was trained with a small pixel noise, which weighs
reconstruction over the prior), and the chapter says so.
"""
from __future__ import annotations

import numpy as np

from generator import seeding, style
from generator.data.faces import SIDE, make_faces
from generator.figures.faces import decode, encode, held_out, load_vae
from generator.registry import figure

GROUPS = ("human", "anime", "avataaars")


def group_images(ctx) -> dict[str, np.ndarray]:
    n = 40 if ctx.smoke else 500
    return {"human": held_out(n, "ood/human").images,
            "anime": make_faces(n, seeding.numpy_stream("data/faces/ood/anime"), style="anime").images,
            "avataaars": ctx.model("avataaars").arrays["images"]}


def reconstruct(vae, images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """-> (latent means (n, d), reconstructions (n, 64, 64, 3), mean squared error per image (n,))."""
    z = encode(vae, images)
    back = decode(vae, z)
    return z, back, ((back - images) ** 2).reshape(len(images), -1).mean(1)


@figure("face_ood_reconstructions", models=("face_vae", "avataaars"), colours=256)
def face_ood_reconstructions(ctx):
    """Originals above, the human-face VAE's reconstructions below, for each group."""
    import matplotlib.pyplot as plt

    vae = load_vae(ctx)
    groups = group_images(ctx)
    fig, axes = plt.subplots(len(GROUPS), 1, figsize=(7.6, 5.6))
    titles = {"human": ctx.text("사람 얼굴 (학습과 같은 분포)", "Human faces (the training distribution)"),
              "anime": ctx.text("애니메이션풍 얼굴 (분포 밖)", "Anime-style faces (out of distribution)"),
              "avataaars": ctx.text("Avataaars 만화 얼굴 (분포 밖)", "Avataaars cartoons (out of distribution)")}
    for ax, name in zip(axes, GROUPS):
        originals = groups[name][:8]
        _, back, _ = reconstruct(vae, originals)
        ax.imshow(np.concatenate([np.concatenate(list(originals), axis=1),
                                  np.concatenate(list(back), axis=1)], axis=0),
                  interpolation="antialiased")
        ax.set_yticks([SIDE * 0.5, SIDE * 1.5], [ctx.text("원본", "input"), ctx.text("복원", "output")])
        ax.set_xticks([])
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        ax.set_title(titles[name], fontsize=10.5)
    fig.tight_layout()
    return fig


@figure("face_ood_errors", models=("face_vae", "avataaars"))
def face_ood_errors(ctx):
    """Reconstruction error per group, and how far each group's codes lie from the prior."""
    import matplotlib.pyplot as plt
    from scipy.stats import chi

    vae = load_vae(ctx)
    groups = group_images(ctx)
    results = {name: reconstruct(vae, images) for name, images in groups.items()}
    errors = {name: r[2] for name, r in results.items()}
    # where the human faces' codes live: a Gaussian fitted to the codes of other human faces
    reference = encode(vae, held_out(200 if ctx.smoke else 2000, "ood/reference").images)
    centre, precision = reference.mean(0), np.linalg.inv(np.cov(reference.T))
    # Mahalanobis distance d(z) = √((z − m)ᵀ Σ⁻¹ (z − m)): ~χ(latent) for codes like the reference
    norms = {name: np.sqrt(np.einsum("ij,jk,ik->i", r[0] - centre, precision, r[0] - centre))
             for name, r in results.items()}
    ctx.metrics["mean_prior_norm"] = {name: round(float(np.linalg.norm(r[0], axis=1).mean()), 2)
                                      for name, r in results.items()}  # ‖μ(x)‖, against the prior
    ctx.metrics["mean_error"] = {name: round(float(e.mean()), 5) for name, e in errors.items()}
    ctx.metrics["error_ratio"] = {name: round(float(errors[name].mean() / errors["human"].mean()), 1)
                                  for name in ("anime", "avataaars")}
    ctx.metrics["mean_mahalanobis"] = {name: round(float(v.mean()), 2) for name, v in norms.items()}
    latent = results["human"][0].shape[1]
    ctx.metrics["prior_mean_norm"] = round(float(chi(latent).mean()), 2)
    ctx.metrics["counts"] = {name: int(len(images)) for name, images in groups.items()}

    colours = {"human": style.MUTED, "anime": style.ACCENT, "avataaars": "#1e88e5"}
    labels = {"human": ctx.text("사람 얼굴", "human"), "anime": ctx.text("애니메이션풍", "anime"),
              "avataaars": "Avataaars"}
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.0, 3.6))
    bins = np.geomspace(min(e.min() for e in errors.values()) * 0.8,
                        max(e.max() for e in errors.values()) * 1.2, 40)
    for name in GROUPS:
        left.hist(errors[name], bins=bins, density=True, histtype="step", linewidth=1.6,
                  color=colours[name], label=f"{labels[name]}: {errors[name].mean():.4f}")
    left.set(xscale="log", xlabel=ctx.text("복원 오차 (픽셀 제곱 오차의 평균, 로그 눈금)",
                                           "reconstruction error (mean squared, log scale)"),
             yticks=[])
    left.legend(title=ctx.text("평균", "mean"), frameon=False, fontsize=10, title_fontsize=10)
    grid = np.linspace(0, max(v.max() for v in norms.values()) * 1.1, 200)
    right.fill_between(grid, chi(latent).pdf(grid), color=style.GRID,
                       label=ctx.text("가우시안이라면 기대되는 분포 (χ₁₆)", "expected if Gaussian (χ with 16 d.o.f.)"))
    for name in GROUPS:
        right.hist(norms[name], bins=30, density=True, histtype="step", linewidth=1.6,
                   color=colours[name], label=labels[name])
    right.set(xlabel=ctx.text("사람 얼굴 코드들로부터의 거리 (마할라노비스)",
                              "distance from the human faces' codes (Mahalanobis)"), yticks=[])
    right.legend(frameon=False, fontsize=10)
    fig.tight_layout()
    return fig
