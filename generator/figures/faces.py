"""The faces chapter: axes of a latent space that have a name and do what the name says.

All figures use the faces VAE (generator/models/face_vae.py), whose first six latent axes
are tied to the six factors of the drawn faces (generator/data/faces.py), and the face reader,
a separate network that reads the factors off pixels. Each claim is measured on faces the
models never saw: a linear probe (can each factor be read from the code?) and the edit
fidelity (set one axis to a value, decode, and read the value back off the image).
"""
from __future__ import annotations

import numpy as np

from generator.data.faces import FACTORS, SIDE
from generator.drawing import FACTOR_NAMES
from generator.engine import style
from generator.engine.registry import figure
from generator.pipelines.face_codes import base_face, decode, encode, held_out, load_vae

VALUES = np.array([0.0, 0.3, 0.5, 0.8, 1.0])  # the values of the source article's example


def load_reader(ctx):
    from generator.models.face_vae import load_reader as from_artifact

    return from_artifact(ctx.model("face_reader"))


def read(reader, images: np.ndarray) -> np.ndarray:
    """The six factors the reader sees in each image: (n, 64, 64, 3) -> (n, 6)."""
    import torch

    from generator.networks.conv_vae import to_tensor

    with torch.no_grad():
        return np.concatenate([reader(to_tensor(images[i:i + 500])).numpy()
                               for i in range(0, len(images), 500)]).astype(np.float64)


def set_axis(z: np.ndarray, factor: int, value) -> np.ndarray:
    """Copies of codes z (n, latent) with the named axis of `factor` set to `value` (0 to 1);
    one code and k values give k codes."""
    from generator.models.face_vae import factor_to_axis

    value = np.asarray(value, dtype=np.float64)
    moved = np.array(z, dtype=np.float64, copy=True)
    if value.ndim and len(moved) == 1:  # one face, several values: one copy per value
        moved = np.repeat(moved, len(value), axis=0)
    moved[:, factor] = factor_to_axis(value)
    return moved


def r_squared(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    # R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², one per column
    return 1 - ((truth - predicted) ** 2).sum(0) / ((truth - truth.mean(0)) ** 2).sum(0)


def probe_r_squared(z_fit, f_fit, z_test, f_test) -> np.ndarray:
    """A linear probe f ≈ W z + b fitted on one set of faces, scored on others."""
    design = np.column_stack([z_fit, np.ones(len(z_fit))])
    solution, *_ = np.linalg.lstsq(design, f_fit, rcond=None)
    return r_squared(f_test, np.column_stack([z_test, np.ones(len(z_test))]) @ solution)


def edit_fidelity(vae, reader, z: np.ndarray, factor: int) -> tuple[float, float]:
    """Set one axis to each of VALUES for every code in z, decode, read that factor off the
    pixels, and fit read = slope · asked + intercept: (slope, R² of the fit)."""
    asked = np.repeat(VALUES, len(z))
    seen = np.concatenate([read(reader, decode(vae, set_axis(z, factor, v)))[:, factor] for v in VALUES])
    slope, intercept = np.polyfit(asked, seen, 1)
    return float(slope), float(r_squared(seen[:, None], (slope * asked + intercept)[:, None])[0])


def truth_faces(test, index: int, factor: int) -> np.ndarray:
    """The drawn face `index` redrawn with one factor at each of VALUES, all else the same."""
    factors = np.repeat(test.factors[[index]], len(VALUES), axis=0)
    factors[:, factor] = VALUES
    return test.redrawn(index, factors)


def show_faces(ax, rows: list[np.ndarray], row_labels: list[str]) -> None:
    """Rows of faces as one image, with a label to the left of each row."""
    mosaic = np.concatenate([np.concatenate(list(row), axis=1) for row in rows], axis=0)
    ax.imshow(mosaic, interpolation="antialiased")
    ax.set_yticks([(k + 0.5) * SIDE for k in range(len(rows))], row_labels)
    ax.set_xticks([(i + 0.5) * SIDE for i in range(rows[0].shape[0])], [f"{v:g}" for v in VALUES])
    ax.tick_params(length=0, pad=2)
    ax.spines[:].set_visible(False)


@figure("face_axes", models=("face_vae", "face_reader"), colours=256, narrow=True)
def face_axes(ctx):
    """Each named axis at 0, 0.3, 0.5, 0.8, 1: the drawn truth above, the decoded face below."""
    import matplotlib.pyplot as plt

    vae, reader = load_vae(ctx), load_reader(ctx)
    n_fit, n_test = (300, 200) if ctx.smoke else (3000, 1000)
    test = held_out(n_test, "probe_test")
    z_test = encode(vae, test.images)
    measured = z_test[:200]

    def measure():
        fit = held_out(n_fit, "probe_fit")
        return (probe_r_squared(encode(vae, fit.images), fit.factors, z_test, test.factors),
                read(reader, test.images), read(reader, decode(vae, z_test)),
                [edit_fidelity(vae, reader, measured, k) for k in range(len(FACTORS))])

    probe, seen_truth, seen_decoded, fidelity = ctx.once("measured", measure)
    info = ctx.model("face_vae").info
    ctx.metrics.update({
        "r_squared": {name: round(float(v), 3) for name, v in zip(FACTORS, probe)},
        "edit_fidelity": {name: {"slope": round(s, 3), "r2": round(r, 3)}
                          for name, (s, r) in zip(FACTORS, fidelity)},
        "reader_r_squared": {name: round(float(v), 3)
                             for name, v in zip(FACTORS, r_squared(test.factors, seen_truth))},
        # the same reader on the VAE's rebuilds of those faces, against the factors they were drawn
        # with: the blur and the VAE's own loss count against it, as they do when it judges edits
        "reader_r_squared_decoded": {name: round(float(v), 3)
                                     for name, v in zip(FACTORS, r_squared(test.factors, seen_decoded))},
        "n_train": info["n_train"], "epochs": info["epochs"], "latent": info["latent"],
        "fidelity_faces": len(measured),
        # the weakest axis, which the text quotes: "every axis moves its factor at least this much"
        "edit_slope_min": round(min(s for s, _ in fidelity), 3),
        "edit_r2_min": round(min(r for _, r in fidelity), 3),
    })
    middle = base_face(test)
    start = z_test[middle]
    columns = 1 if ctx.narrow else 2
    fig, axes = plt.subplots(len(FACTORS) // columns, columns, squeeze=False,
                             figsize=(style.width(ctx), 11.0 if ctx.narrow else 6.2))
    labels = [ctx.text("그린 정답", "drawn"), ctx.text("디코딩", "decoded")]
    for k, (ax, name) in enumerate(zip(axes.T.ravel(), FACTORS)):
        decoded = decode(vae, set_axis(start[None, :], k, VALUES))
        show_faces(ax, [truth_faces(test, middle, k), decoded], labels)
        slope, fit_r2 = (round(v, 3) for v in fidelity[k])  # the table's rounding: 3 places kept, 2 shown
        ax.set_title(f"{ctx.text(*FACTOR_NAMES[name])}   "
                     + ctx.text(f"기울기 {slope:.2f}, R² {fit_r2:.2f}", f"slope {slope:.2f}, R² {fit_r2:.2f}"),
                     fontsize=style.SMALLEST_PT, loc="left")
    fig.tight_layout(h_pad=0.8)
    return fig


@figure("face_grid", models=("face_vae",), colours=256, narrow=True)
def face_grid(ctx):
    """A 2-D decoded grid over (eye size, nose size), with the article's (1, 1) and (0, 1)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    vae = load_vae(ctx)
    test = held_out(200 if ctx.smoke else 1000, "probe_test")
    start = encode(vae, test.images[[base_face(test)]])[0]
    eye, nose = FACTORS.index("eye_size"), FACTORS.index("nose_size")
    rows = []
    for nose_value in VALUES[::-1]:  # top row: the biggest nose
        with_nose = set_axis(start[None, :], nose, nose_value)
        rows.append(decode(vae, set_axis(with_nose, eye, VALUES)))
    side = style.width(ctx, 6.0)
    fig, ax = plt.subplots(figsize=(side, side * 1.08))
    show_faces(ax, rows, [f"{v:g}" for v in VALUES[::-1]])
    ax.set_xlabel(ctx.text("눈 크기 →", "eye size →"))
    ax.set_ylabel(ctx.text("코 크기 →", "nose size →"))
    for column, text in ((0, "(0, 1)"), (len(VALUES) - 1, "(1, 1)")):  # the top row's two corners
        ax.add_patch(Rectangle((column * SIDE + 1, 1), SIDE - 2, SIDE - 2, fill=False,
                               edgecolor=style.ACCENT, linewidth=2.5))
        ax.text((column + 0.5) * SIDE, -4, text, ha="center", va="bottom", color=style.ACCENT,
                fontsize=13, fontweight="bold")
    fig.tight_layout()
    return fig


@figure("face_bald_edit", models=("face_vae", "face_reader"), colours=256, narrow=True)
def face_bald_edit(ctx):
    """The article's joke made real: set the hair axis to 0 and read the hair off the pixels."""
    import matplotlib.pyplot as plt

    vae, reader = load_vae(ctx), load_reader(ctx)
    test = held_out(200 if ctx.smoke else 1000, "probe_test")
    hair = FACTORS.index("hair")
    full = np.flatnonzero(test.factors[:, hair] >= 0.7)  # every held-out face with lots of hair
    z = encode(vae, test.images[full])
    bald = decode(vae, set_axis(z, hair, 0.0))
    seen_before, seen_after = read(reader, decode(vae, z)), read(reader, bald)
    others = [k for k in range(len(FACTORS)) if k != hair]
    ctx.metrics.update({
        "faces": int(len(full)),
        "bald_share": round(float((seen_after[:, hair] <= 0.1).mean()), 3),
        "hair_after_max": round(float(seen_after[:, hair].max()), 3),
        "others_change_mean": round(float(np.abs(seen_after[:, others] - seen_before[:, others]).mean()), 3),
    })
    shown = np.arange(4)  # the first four such faces, not picked by hand
    ctx.metrics["shown_hair_max"] = round(float(seen_after[shown, hair].max()), 3)
    steps = np.array([1.0, 0.5, 0.0])
    rows = [np.concatenate([test.images[full[i]][None], decode(vae, set_axis(z[[i]], hair, steps))])
            for i in shown]
    fig, ax = plt.subplots(figsize=(style.width(ctx, 6.0), 5.6 if ctx.narrow else 7.2))
    ax.imshow(np.concatenate([np.concatenate(list(r), axis=1) for r in rows], axis=0),
              interpolation="antialiased")
    for row, i in enumerate(shown):  # the hair the reader sees in the bald face
        ax.text(3.5 * SIDE, (row + 1) * SIDE - 3, f"{round(seen_after[i, hair], 2) + 0.0:.2f}", ha="center", va="bottom",
                fontsize=style.SMALLEST_PT, color="white", fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": style.INK, "edgecolor": "none", "alpha": 0.8})
    ax.set_xticks([(i + 0.5) * SIDE for i in range(4)],
                  [ctx.text("원본", "original")] + [f"{s:g}" for s in steps])
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel(ctx.text("머리숱 축의 값 (1 → 0)", "hair axis (1 → 0)"))
    fig.tight_layout()
    return fig
