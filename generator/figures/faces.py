"""The faces chapter: meaning changes smoothly along directions of a latent space.

All figures use the faces VAE (generator/models/face_vae.py) and procedural faces whose
factors are known (generator/data/faces.py), so that each claim can be measured: a linear
probe finds, for each factor, the direction in latent space along which it grows.
"""
from __future__ import annotations

import numpy as np

from generator import seeding
from generator.data.faces import FACTORS, SIDE, make_faces
from generator.manifest import whole_minutes
from generator.registry import figure

FACTOR_NAMES = {  # (Korean, English) labels
    "eye_size": ("눈 크기", "eye size"), "nose_size": ("코 크기", "nose size"),
    "smile": ("입꼬리 (웃음)", "smile"), "face_width": ("얼굴 너비", "face width"),
    "hair": ("머리숱", "hair"), "skin_tone": ("피부색", "skin tone"),
}
TRAVERSAL_STEPS = 7


def held_out(n: int, purpose: str):
    """Fresh faces (with their factors) that the VAE never saw."""
    return make_faces(n, seeding.numpy_stream(f"data/faces/{purpose}"))


def load_vae(ctx):
    from generator.conv_vae import conv_vae_from_artifact

    seeding.make_torch_deterministic()
    return conv_vae_from_artifact(ctx.model("face_vae"))


def encode(vae, images: np.ndarray) -> np.ndarray:
    """(n, 64, 64, 3) -> (n, latent) means of q(z|x)."""
    import torch

    from generator.models.face_vae import to_tensor

    with torch.no_grad():
        return np.concatenate([vae.encode(to_tensor(images[i:i + 500]))[0].numpy()
                               for i in range(0, len(images), 500)]).astype(np.float64)


def decode(vae, z: np.ndarray) -> np.ndarray:
    """(k, latent) -> (k, 64, 64, 3) images in [0, 1]."""
    import torch

    with torch.no_grad():
        logits = vae.decode(torch.from_numpy(z.astype(np.float32)))
    return torch.sigmoid(logits).numpy().transpose(0, 2, 3, 1)


class Probe:
    """Two linear maps between latent codes z and the known factors f, fitted on one set of
    faces: a probe f ≈ W z + b (how well can each factor be read from z? scored by R² on other
    faces), and attribute vectors z ≈ z̄ + A (f − f̄) (which way does z move, on average, when
    one factor grows by 1 and the others stay put?). Edits move along the attribute vectors:
    those are directions the data really take, unlike the probe's weights, which may lean on
    latent dimensions the decoder hardly uses."""

    def __init__(self, z_fit: np.ndarray, factors_fit: np.ndarray):
        # least squares with an intercept column: [z 1] [W; b] ≈ f
        design = np.column_stack([z_fit, np.ones(len(z_fit))])
        solution, *_ = np.linalg.lstsq(design, factors_fit, rcond=None)
        self.weights, self.bias = solution[:-1], solution[-1]  # (latent, 6), (6,)
        # and the other way round: [f 1] [A; c] ≈ z
        design = np.column_stack([factors_fit, np.ones(len(factors_fit))])
        solution, *_ = np.linalg.lstsq(design, z_fit, rcond=None)
        self.attributes = solution[:-1]  # (6, latent): row k is factor k's attribute vector

    def predict(self, z: np.ndarray) -> np.ndarray:
        return z @ self.weights + self.bias  # (n, 6)

    def r_squared(self, z: np.ndarray, factors: np.ndarray) -> np.ndarray:
        # R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², one per factor
        residual = ((factors - self.predict(z)) ** 2).sum(0)
        return 1 - residual / ((factors - factors.mean(0)) ** 2).sum(0)

    def move(self, z: np.ndarray, factor: int, target: np.ndarray, start: float) -> np.ndarray:
        """Codes (k, latent) for a face z whose factor is `start`, moved along that factor's
        attribute vector to each target value: z + (target − start) a_k."""
        return z[None, :] + (np.asarray(target) - start)[:, None] * self.attributes[factor][None, :]


def fitted_probe(ctx, vae):
    n_fit, n_test = (300, 200) if ctx.smoke else (3000, 1000)
    fit, test = held_out(n_fit, "probe_fit"), held_out(n_test, "probe_test")
    probe = Probe(encode(vae, fit.images), fit.factors)
    return probe, probe.r_squared(encode(vae, test.images), test.factors), test


def mosaic(images: np.ndarray, rows: int) -> np.ndarray:
    """(rows*cols, H, W, 3) -> one (rows*H, cols*W, 3) image."""
    cols = len(images) // rows
    return images.reshape(rows, cols, SIDE, SIDE, 3).transpose(0, 2, 1, 3, 4).reshape(
        rows * SIDE, cols * SIDE, 3)


def middle_face(test) -> int:
    """A held-out face with middling factors and dark hair (so hair and skin stand apart):
    of the 20 nearest the middle, the one whose crown is darkest."""
    target = np.array([0.5, 0.5, 0.5, 0.5, 0.8, 0.4])
    nearest = np.argsort(((test.factors - target) ** 2).sum(1))[:20]
    crown = test.images[nearest, 6:12, 26:38].mean(axis=(1, 2, 3))  # top of the head
    return int(nearest[np.argmin(crown)])


@figure("face_axes", models=("face_vae",), colours=256)
def face_axes(ctx):
    import matplotlib.pyplot as plt

    vae = load_vae(ctx)
    probe, r2, test = fitted_probe(ctx, vae)
    ctx.metrics["r_squared"] = {name: round(float(v), 3) for name, v in zip(FACTORS, r2)}
    info = ctx.model("face_vae").info
    ctx.metrics.update({key: info[key] for key in ("n_train", "epochs", "latent")})
    ctx.metrics["train_minutes"] = whole_minutes(info["train_seconds"])
    middle = middle_face(test)
    start = encode(vae, test.images[[middle]])[0]
    targets = np.linspace(0.0, 1.0, TRAVERSAL_STEPS)
    rows = [decode(vae, probe.move(start, k, targets, test.factors[middle, k]))
            for k in range(len(FACTORS))]
    fig, ax = plt.subplots(figsize=(7.2, 6.6))
    ax.imshow(mosaic(np.concatenate(rows), len(FACTORS)), interpolation="antialiased")
    ax.set_yticks([(k + 0.5) * SIDE for k in range(len(FACTORS))],
                  [f"{ctx.text(*FACTOR_NAMES[name])}\nR² = {r2[k]:.2f}" for k, name in enumerate(FACTORS)])
    ax.set_xticks([(i + 0.5) * SIDE for i in range(TRAVERSAL_STEPS)], [f"{t:.2f}" for t in targets])
    ax.set_xlabel(ctx.text("요인의 값 (0 → 1), 그 요인의 속성 벡터를 따라 이동",
                           "factor value (0 → 1), moving along that factor's attribute vector"))
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_title(ctx.text("잠재공간에서 한 방향으로만 움직이기", "Moving along one direction of the latent space"))
    return fig


@figure("face_grid", models=("face_vae",), colours=256)
def face_grid(ctx):
    """A 2-D decoded grid over (eye size, nose size), as in the article."""
    import matplotlib.pyplot as plt

    vae = load_vae(ctx)
    probe, _, test = fitted_probe(ctx, vae)
    middle = middle_face(test)
    start = encode(vae, test.images[[middle]])[0]
    eye, nose = FACTORS.index("eye_size"), FACTORS.index("nose_size")
    steps = np.linspace(0.0, 1.0, 5)
    cells = []
    for nose_value in steps[::-1]:  # top row: big nose
        with_nose = probe.move(start, nose, [nose_value], test.factors[middle, nose])[0]
        cells.append(decode(vae, probe.move(with_nose, eye, steps, test.factors[middle, eye])))
    fig, ax = plt.subplots(figsize=(5.4, 5.6))
    ax.imshow(mosaic(np.concatenate(cells), len(steps)), interpolation="antialiased",
              extent=(-0.125, 1.125, -0.125, 1.125))
    ax.set(xticks=steps, yticks=steps)
    ax.set_xlabel(ctx.text("눈 크기 →", "eye size →"))
    ax.set_ylabel(ctx.text("코 크기 →", "nose size →"))
    ax.set_title(ctx.text("(눈, 코) 격자: (1, 1)은 큰 눈 + 큰 코", "(eye, nose) grid: (1, 1) is big eyes + big nose"))
    return fig


def interpolation_pair(test) -> tuple[int, int]:
    """Two held-out faces that differ in most factors (the first with a lot of hair)."""
    first = int(np.argmax(test.factors[:, FACTORS.index("hair")] - test.factors[:, 5]))
    second = int(np.argmax(np.abs(test.factors - test.factors[first]).sum(1)))
    return first, second


@figure("face_interpolation", models=("face_vae",), colours=256)
def face_interpolation(ctx):
    """Two faces and the straight line between them in latent space, decoded."""
    import matplotlib.pyplot as plt

    vae = load_vae(ctx)
    test = held_out(200 if ctx.smoke else 1000, "probe_test")
    first, second = interpolation_pair(test)
    z = encode(vae, test.images[[first, second]])
    mix = np.linspace(0, 1, 8)[:, None]
    # z(t) = (1 − t) z_A + t z_B
    path = decode(vae, (1 - mix) * z[0] + mix * z[1])
    strip = np.concatenate([test.images[first], *path, test.images[second]], axis=1)
    fig, ax = plt.subplots(figsize=(8.0, 1.35))
    ax.imshow(strip, interpolation="antialiased")
    ax.set_xticks([(i + 0.5) * SIDE for i in range(10)],
                  [ctx.text("원본 A", "face A")] + [f"t={t:.2f}" for t in mix[:, 0]]
                  + [ctx.text("원본 B", "face B")], fontsize=8)
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    return fig


@figure("face_interpolation_walk", kind="gif", localized=False, models=("face_vae",),
        frame_ms=90, colours=64)
def face_interpolation_walk(ctx):
    """The same line as face_interpolation, walked there and back (an animation)."""
    vae = load_vae(ctx)
    test = held_out(200 if ctx.smoke else 1000, "probe_test")
    first, second = interpolation_pair(test)
    z = encode(vae, test.images[[first, second]])
    steps = 8 if ctx.smoke else 20
    # ease(u) = (1 − cos πu) / 2 so the walk slows down at each face
    mix = (0.5 * (1 - np.cos(np.pi * np.linspace(0, 1, steps))))[:, None]
    faces = decode(vae, (1 - mix) * z[0] + mix * z[1])
    frames = [np.kron((face * 255).round().astype(np.uint8), np.ones((3, 3, 1), np.uint8))
              for face in faces]  # each 64×64 enlarged to 192×192 without blurring
    return [frames[0]] * 6 + frames + [frames[-1]] * 6 + frames[::-1]


@figure("face_bald_edit", models=("face_vae",), colours=256)
def face_bald_edit(ctx):
    """The article's joke made real: move faces with hair along the hair direction to bald."""
    import matplotlib.pyplot as plt

    vae = load_vae(ctx)
    probe, r2, test = fitted_probe(ctx, vae)
    hair = FACTORS.index("hair")
    chosen = np.argsort(-test.factors[:, hair])[[0, 7, 15, 31]]  # four faces with lots of hair
    z = encode(vae, test.images[chosen])
    steps = np.linspace(1.0, 0.0, 5)  # the hair factor: full → bald
    rows = [np.concatenate([test.images[i], *decode(vae, probe.move(zi, hair, steps, test.factors[i, hair]))],
                           axis=1) for i, zi in zip(chosen, z)]
    fig, ax = plt.subplots(figsize=(6.2, 5.0))
    ax.imshow(np.concatenate(rows, axis=0), interpolation="antialiased")
    ax.set_xticks([(i + 0.5) * SIDE for i in range(6)],
                  [ctx.text("원본", "original")] + [f"{s:.2f}" for s in steps])
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel(ctx.text("머리숱 요인의 값 (1: 숱 많음 → 0: 대머리)", "hair factor (1: full → 0: bald)"))
    ax.set_title(ctx.text("머리숱 방향으로만 움직여 대머리 만들기", "Only along the hair direction: to bald"))
    return fig


@figure("face_lfw_interpolation", models=("lfw_vae",))
def face_lfw_interpolation(ctx):
    """Two real people (LFW) and the straight line between their codes, decoded."""
    import matplotlib.pyplot as plt
    import torch

    from generator.data.lfw import LFW_SIDE, load_lfw
    from generator.vae import vae_from_artifact

    artifact = ctx.model("lfw_vae")
    vae = vae_from_artifact(artifact)
    faces = load_lfw()
    pairs = [(0, 1), (2, 3)] if ctx.smoke else [(3, 17), (42, 88)]
    rows = []
    with torch.no_grad():
        for a, b in pairs:
            z, _ = vae.encode(torch.from_numpy(faces[[a, b]]))
            mix = torch.linspace(0, 1, 7)[:, None]
            # z(t) = (1 − t) z_A + t z_B
            decoded = torch.sigmoid(vae.decode((1 - mix) * z[0] + mix * z[1])).numpy()
            row = [faces[a], *decoded, faces[b]]
            rows.append(np.concatenate([r.reshape(LFW_SIDE, LFW_SIDE) for r in row], axis=1))
    ctx.metrics["train_minutes"] = whole_minutes(artifact.info["train_seconds"])
    fig, ax = plt.subplots(figsize=(7.6, 2.0))
    ax.imshow(np.concatenate(rows, axis=0), cmap="gray", vmin=0, vmax=1, interpolation="antialiased")
    ax.set_xticks([(i + 0.5) * LFW_SIDE for i in range(9)],
                  [ctx.text("사진 A", "photo A")] + [f"t={t:.2f}" for t in np.linspace(0, 1, 7)]
                  + [ctx.text("사진 B", "photo B")], fontsize=8)
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    return fig
