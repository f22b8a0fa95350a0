"""Registers the MNIST VAE: a 2-D latent space learned from 4,500 real handwritten digits
(and its 8-D sibling, which the conditional chapter uses to measure what two dimensions cost).

The network and its loss live in generator/networks/vae.py (imported only when training, so that
`list` and no-op builds do not pay for importing torch). Training maximises the ELBO on
whole batches sliced from tensors in memory (no DataLoader: see scripts/bench_vae_epoch.py).
"""
from __future__ import annotations

import numpy as np

from generator.data.mnist import load_mnist
from generator.engine.artifacts import Artifact
from generator.engine.registry import model
from generator.engine.seeding import numpy_stream


@model("mnist_vae", expected_seconds=34,
       full={"hidden": [512, 256], "epochs": 60, "batch": 100, "learning_rate": 1e-3,
             "elbo_samples": 20},
       smoke={"hidden": [64, 32], "epochs": 2, "batch": 250, "learning_rate": 1e-3,
              "elbo_samples": 2})
# The same VAE with an 8-D latent space, where every digit has room to be drawn clearly; for the
# conditional chapter's comparison only, so trained half as long: at 30 epochs instead of 60 the
# test digits it copies read right 89.0% of the time instead of 92.8% (compare_config.py
# mnist_vae_8d epochs 30 conditional_guidance), far above the 2-D VAE's 70%.
@model("mnist_vae_8d", expected_seconds=13,
       full={"hidden": [512, 256], "epochs": 30, "batch": 100, "learning_rate": 1e-3,
             "elbo_samples": 20, "latent": 8},
       smoke={"hidden": [64, 32], "epochs": 2, "batch": 250, "learning_rate": 1e-3,
              "elbo_samples": 2, "latent": 8})
def train_mnist_vae(config: dict, ctx) -> Artifact:
    import torch

    from generator.networks.training import train_epochs
    from generator.networks.vae import VAE, test_elbo, train_epoch
    from generator.networks.weights import state_arrays

    split = load_mnist(numpy_stream("data/mnist/split"))
    generator = ctx.torch_stream("training")  # also makes torch deterministic
    train = torch.from_numpy(split.train.images)  # (4500, 784)
    test = torch.from_numpy(split.test.images)  # (500, 784)
    vae = VAE(config["hidden"], config.get("latent", 2))
    vae.initialise(generator)
    losses, seconds = train_epochs(
        vae, config, ctx.progress,
        lambda optimiser: train_epoch(vae, optimiser, train, config["batch"], generator))
    vae.eval()
    elbo = test_elbo(vae, test, ctx.torch_stream("test_elbo"), config["elbo_samples"])
    arrays = state_arrays(vae)
    arrays["train_loss"] = np.array(losses)
    return Artifact(arrays, {"hidden": config["hidden"], "latent": vae.latent,
                             "test_elbo": round(elbo, 2),
                             "train_loss": round(losses[-1], 2), "epochs": config["epochs"],
                             "train_seconds": round(seconds, 1)})
