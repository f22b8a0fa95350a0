"""Walking between two faces: along the straight line between their latent codes, decoded,
next to a plain pixel cross-fade of the same two images. For the drawn faces (the faces VAE)
and for real photos (the small LFW VAE). The cross-fade is the fair baseline: it is what
"in between" means without a model, two half-transparent faces on top of each other.
"""
from __future__ import annotations

import numpy as np

from generator.data.faces import FACTORS, SIDE
from generator.engine import style
from generator.engine.animation import Animation
from generator.engine.registry import figure
from generator.pipelines.face_codes import decode, encode, held_out, load_vae


def interpolation_pair(test) -> tuple[int, int]:
    """Two held-out faces that differ in most factors (the first with a lot of hair)."""
    first = int(np.argmax(test.factors[:, FACTORS.index("hair")] - test.factors[:, 5]))
    second = int(np.argmax(np.abs(test.factors - test.factors[first]).sum(1)))
    return first, second


def latent_and_crossfade(decode_z, z_a, z_b, image_a, image_b, t: np.ndarray):
    """Decoded points on the line between two codes, and the pixel cross-fade, at each t."""
    mix = t[:, None]
    # z(t) = (1 − t) z_A + t z_B
    latent = decode_z((1 - mix) * z_a + mix * z_b)
    # x(t) = (1 − t) x_A + t x_B
    weight = t.reshape(-1, *[1] * image_a.ndim)  # (k, 1, 1[, 1]): one weight per image
    fade = (1 - weight) * image_a[None] + weight * image_b[None]
    return latent, fade


def rows_stacked(ctx, rows, labels, t, side, xlabel: str):
    """A phone's layout: each row a panel of its own, its name above it, len(t) faces wide
    (the drawn faces three, t = 0, ½, 1: the middle one is where a cross-fade shows two outlines
    at once; the small LFW photos five, so that the drift between the ends shows too)."""
    import matplotlib.pyplot as plt

    per_row = 1.55 if len(t) == 3 else style.NARROW_IN / len(t) + 0.25  # the faces' height and a title
    fig, axes = plt.subplots(len(rows), 1, figsize=(style.NARROW_IN, per_row * len(rows) + 0.5))
    for index, (ax, row, name) in enumerate(zip(axes, rows, labels)):
        ax.imshow(np.concatenate(list(row), axis=1), interpolation="antialiased", cmap="gray",
                  vmin=0, vmax=1)
        ax.set_title(name, fontsize=12, loc="left", color=style.MUTED)
        ax.set_yticks([])
        last = index == len(rows) - 1
        ax.set_xticks([(i + 0.5) * side for i in range(len(t))] if last else [],
                      [f"{v:.2g}" for v in t] if last else [])
        ax.tick_params(length=0, pad=2)
        ax.spines[:].set_visible(False)
    axes[-1].set_xlabel(xlabel)
    fig.tight_layout(h_pad=0.4)
    return fig


def rows_image(ax, rows, labels, t, side) -> None:
    ax.imshow(np.concatenate([np.concatenate(list(row), axis=1) for row in rows], axis=0),
              interpolation="antialiased", cmap="gray", vmin=0, vmax=1)
    ax.set_yticks([(k + 0.5) * side for k in range(len(rows))], labels)
    ax.set_xticks([(i + 0.5) * side for i in range(len(t))], [f"{v:.2g}" for v in t])
    ax.tick_params(length=0, pad=2)
    ax.spines[:].set_visible(False)


@figure("face_interpolation", models=("face_vae",), colours=256, narrow=True)
def face_interpolation(ctx):
    """Drawn faces A → B: through the latent space (top) and as a pixel cross-fade (below)."""
    import matplotlib.pyplot as plt

    vae = load_vae(ctx)
    test = held_out(200 if ctx.smoke else 1000, "probe_test")
    first, second = interpolation_pair(test)
    z = encode(vae, test.images[[first, second]])
    t = np.linspace(0, 1, 3 if ctx.narrow else 7)
    latent, fade = latent_and_crossfade(lambda c: decode(vae, c), z[0], z[1],
                                        test.images[first], test.images[second], t)
    names = [ctx.text("잠재공간", "latent"), ctx.text("픽셀 섞기", "cross-fade")]
    xlabel = ctx.text("t (0: 얼굴 A, 1: 얼굴 B)", "t (0: face A, 1: face B)")
    if ctx.narrow:
        return rows_stacked(ctx, [latent, fade], names, t, SIDE, xlabel)
    fig, ax = plt.subplots(figsize=(style.width(ctx), 3.0))
    rows_image(ax, [latent, fade], names, t, SIDE)
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    return fig


@figure("face_interpolation_walk", kind="animation", localized=False, models=("face_vae",),
        frame_ms=120, colours=48)
def face_interpolation_walk(ctx):
    """The same line as face_interpolation, walked from face A to face B (and back, by the
    player); the player says where on the line each frame is."""
    from PIL import Image

    vae = load_vae(ctx)
    test = held_out(200 if ctx.smoke else 1000, "probe_test")
    first, second = interpolation_pair(test)
    z = encode(vae, test.images[[first, second]])
    steps = 8 if ctx.smoke else 12
    # ease(u) = (1 − cos πu) / 2 so the walk slows down at each face
    t = 0.5 * (1 - np.cos(np.pi * np.linspace(0, 1, steps)))
    faces = decode(vae, (1 - t[:, None]) * z[0] + t[:, None] * z[1])
    big = 384
    animation = Animation(bounce=True)  # A → B, then back: one pass on the slider
    for face, position in zip(faces, t):
        # each pixel becomes a 6 × 6 block: sharp, no smoothing colours for the shared palette
        picture = Image.fromarray((face * 255).round().astype(np.uint8)).resize((big, big), Image.NEAREST)
        animation.frames.append(np.asarray(picture.convert("RGB")))
        animation.labels.append((f"얼굴 A에서 B로, t = {position:.2f}", f"from face A to face B, t = {position:.2f}"))
    animation.hold(3, at_end=False)  # a rest at each face
    animation.hold(3)
    return animation


@figure("face_lfw_interpolation", models=("lfw_vae",), narrow=True)
def face_lfw_interpolation(ctx):
    """Two real people (LFW): the line between their codes, decoded, and the cross-fade."""
    import matplotlib.pyplot as plt
    import torch

    from generator.data.lfw import LFW_SIDE, load_lfw
    from generator.networks.vae import vae_from_artifact

    artifact = ctx.model("lfw_vae")
    vae = vae_from_artifact(artifact)
    faces = load_lfw()
    pairs = [(0, 1), (2, 3)] if ctx.smoke else [(3, 17), (42, 88)]
    t = np.linspace(0, 1, 5 if ctx.narrow else 7)

    def decode_lfw(codes):
        with torch.no_grad():
            pixels = torch.sigmoid(vae.decode(torch.from_numpy(codes.astype(np.float32)))).numpy()
        return pixels.reshape(-1, LFW_SIDE, LFW_SIDE)

    rows, labels = [], []
    for person, (a, b) in zip((("첫", "1"), ("둘째", "2")), pairs):
        with torch.no_grad():
            z, _ = vae.encode(torch.from_numpy(faces[[a, b]]))
        images = faces[[a, b]].reshape(2, LFW_SIDE, LFW_SIDE)
        latent, fade = latent_and_crossfade(decode_lfw, z[0].numpy(), z[1].numpy(), images[0], images[1], t)
        rows += [np.concatenate([images[0][None], latent[1:-1], images[1][None]]), fade]
        labels += [ctx.text(f"{person[0]} 쌍: 잠재공간", f"pair {person[1]}: latent"),
                   ctx.text(f"{person[0]} 쌍: 픽셀 섞기", f"pair {person[1]}: cross-fade")]
    xlabel = ctx.text("t (0: 사진 A, 1: 사진 B)", "t (0: photo A, 1: photo B)")
    if ctx.narrow:
        return rows_stacked(ctx, rows, labels, t, LFW_SIDE, xlabel)
    labels = [label.split(": ", 1)[1] for label in labels]  # beside the rows: the pair is plain
    fig, ax = plt.subplots(figsize=(style.width(ctx), 5.0))
    rows_image(ax, rows, labels, t, LFW_SIDE)
    for k in (2,):  # a gap between the two people
        ax.axhline(k * LFW_SIDE - 0.5, color="white", linewidth=4)
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    return fig
