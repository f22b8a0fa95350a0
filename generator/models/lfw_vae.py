"""Registers a small VAE on the 100 real LFW faces (generator/data/lfw.py). With so little
data it can only learn a rough space of faces; the chapter says so next to its figure."""
from __future__ import annotations

import numpy as np

from generator.data.lfw import LFW_SIDE, load_lfw
from generator.engine.artifacts import Artifact
from generator.engine.registry import model


@model("lfw_vae", expected_seconds=8,
       full={"hidden": [256, 64], "latent": 8, "epochs": 600, "batch": 20, "learning_rate": 1e-3},
       smoke={"hidden": [32, 16], "latent": 8, "epochs": 5, "batch": 20, "learning_rate": 1e-3})
def train_lfw_vae(config: dict, ctx) -> Artifact:
    import torch

    from generator.networks.training import train_epochs
    from generator.networks.vae import VAE, train_epoch
    from generator.networks.weights import state_arrays

    faces = torch.from_numpy(load_lfw())  # (100, 625)
    generator = ctx.torch_stream("training")
    vae = VAE(config["hidden"], config["latent"], pixels=LFW_SIDE * LFW_SIDE)
    vae.initialise(generator)
    losses, seconds = train_epochs(
        vae, config, ctx.progress,
        lambda optimiser: train_epoch(vae, optimiser, faces, config["batch"], generator))
    arrays = state_arrays(vae)
    arrays["train_loss"] = np.array(losses)
    return Artifact(arrays, {"hidden": config["hidden"], "latent": config["latent"],
                             "pixels": LFW_SIDE * LFW_SIDE, "epochs": config["epochs"],
                             "train_loss": round(losses[-1], 1), "train_seconds": round(seconds, 1)})
