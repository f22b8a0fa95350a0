"""Registers the faces VAE: a convolutional VAE with a 16-D latent space, trained on 10,000
procedural faces (generator/data/faces.py). A held-out set of 1,000 faces, with their known
factors, is what the figures measure on.
"""
from __future__ import annotations

import time

import numpy as np

from generator.cache import Artifact
from generator.data.faces import make_faces
from generator.registry import model


def to_tensor(images: np.ndarray):
    """(n, 64, 64, 3) in [0, 1] -> torch (n, 3, 64, 64)."""
    import torch

    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))


@model("face_vae",
       full={"n_train": 10_000, "latent": 16, "channels": [16, 32, 64, 128], "epochs": 24,
             "batch": 100, "learning_rate": 1e-3, "pixel_sigma": 0.035},
       smoke={"n_train": 300, "latent": 16, "channels": [8, 16, 16, 32], "epochs": 1,
              "batch": 100, "learning_rate": 1e-3, "pixel_sigma": 0.05})
def train_face_vae(config: dict, ctx) -> Artifact:
    import torch

    from generator.conv_vae import ConvVAE, train_epoch
    from generator.nets import state_arrays

    faces = make_faces(config["n_train"], ctx.stream("data"))
    generator = ctx.torch_stream("training")  # also makes torch deterministic
    images = to_tensor(faces.images)  # (n, 3, 64, 64)
    vae = ConvVAE(config["latent"], config["channels"])
    vae.initialise(generator)
    optimiser = torch.optim.Adam(vae.parameters(), lr=config["learning_rate"], fused=True)
    started = time.perf_counter()
    losses = [train_epoch(vae, optimiser, images, config["batch"], generator, config["pixel_sigma"])
              for _ in ctx.progress(range(config["epochs"]), "epochs")]
    seconds = time.perf_counter() - started
    arrays = state_arrays(vae)
    arrays["train_loss"] = np.array(losses)
    return Artifact(arrays, {"latent": config["latent"], "channels": config["channels"],
                             "side": 64, "colours": 3, "n_train": config["n_train"],
                             "epochs": config["epochs"], "train_loss": round(losses[-1], 1),
                             "train_seconds": round(seconds, 1)})
