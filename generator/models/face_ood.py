"""Registers the out-of-distribution search: the decoder's best attempt at faces it never saw.

Not a network but a measurement that takes long enough (a gradient search per face) to be
worth caching like one: both out-of-distribution figures (generator/figures/faces_ood.py) read
it, and it is redone only when the faces VAE, the cartoon faces or this file change.

For each group (human faces held out from training, anime-style faces, Avataaars cartoons)
the search looks for the code whose decoded face is closest to each image:
z* = argmin_z ‖decode(z) − x‖², by Adam from the encoder's code.
"""
from __future__ import annotations

import numpy as np

from generator.data.faces import make_faces
from generator.engine import seeding
from generator.engine.artifacts import Artifact
from generator.engine.registry import model

GROUPS = ("human", "anime", "avataaars")
SHOWN = 4  # the faces per group whose best attempt the figure shows


def group_images(ctx) -> dict[str, np.ndarray]:
    """The faces of each group, (n, 64, 64, 3) in [0, 1]; ctx is a model's or a figure's."""
    from generator.pipelines.face_codes import held_out

    n = 40 if ctx.smoke else 500
    return {"human": held_out(n, "ood/human").images,
            "anime": make_faces(n, seeding.numpy_stream("data/faces/ood/anime"), style="anime").images,
            "avataaars": ctx.model("avataaars").arrays["images"]}


def squared_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # e = mean over pixels and colours of (x − x̂)², one per image
    return ((a - b) ** 2).reshape(len(a), -1).mean(1)


def best_attempt(vae, images: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The decoder's closest face to each image: z* = argmin_z ‖decode(z) − x‖², by Adam from
    the encoder's code. -> (decoded z* (n, 64, 64, 3), mean squared error per image (n,))."""
    import torch

    from generator.networks.conv_vae import to_tensor
    from generator.pipelines.face_codes import decode, encode

    target = to_tensor(images)
    z = torch.tensor(encode(vae, images), dtype=torch.float32, requires_grad=True)
    optimiser = torch.optim.Adam([z], lr=0.05)
    for _ in range(steps):
        # Σ over images of the mean squared pixel error of decode(z); each face's z moves alone
        loss = (torch.sigmoid(vae.decode(z)) - target).pow(2).flatten(1).mean(1).sum()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
    back = decode(vae, z.detach().numpy())
    return back, squared_error(back, images)


# 60 steps: the search has all but converged (measured with scripts/compare_config.py against
# 100 steps: the mean best error of each group within 3%, the ratios the chapter quotes 6.7 and
# 11.4 instead of 6.6 and 11.1; 100 steps had been within 1% of 200)
@model("face_ood_search", expected_seconds=10, needs=("face_vae", "avataaars"),
       full={"searched": 100, "steps": 60}, smoke={"searched": 20, "steps": 10})
def search_faces(config: dict, ctx) -> Artifact:
    import time

    from generator.pipelines.face_codes import load_vae

    started = time.perf_counter()
    vae, groups = load_vae(ctx), group_images(ctx)
    arrays = {}
    for name in GROUPS:  # the first `searched` faces of each group
        best, errors = best_attempt(vae, groups[name][: config["searched"]], config["steps"])
        arrays[f"best_error/{name}"] = errors  # (searched,)
        arrays[f"best_images/{name}"] = best[:SHOWN].astype(np.float32)  # (SHOWN, 64, 64, 3)
    return Artifact(arrays, {**config, "train_seconds": round(time.perf_counter() - started, 1)})
