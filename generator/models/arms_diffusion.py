"""Registers arms_diffusion: a conditional denoiser on the spiral, where each prompt is a curve.

The data are points exactly on the spiral of the diffusion chapter, labelled by arm: the
prompt "inner" names the inner arm, "outer" the outer one, and a third, empty slot means no
prompt (the whole spiral). Each prompt's data are a true 1-D curve in the plane, so "only the
noise that does not fit the prompt" has an exact meaning here: the noise across that curve.
The network, loss and training loop are the diffusion chapter's (EDM, an averaged copy of
the weights), with condition dropout so that one network also learns the empty prompt.
"""
from __future__ import annotations

import numpy as np

from generator.data.spiral import ARMS, make_arms
from generator.engine.artifacts import Artifact
from generator.engine.registry import model

WIDTH = len(ARMS) + 1  # the condition: one slot per arm, and the last for "no prompt"


def condition_vectors(labels: np.ndarray) -> np.ndarray:
    """(n,) labels (0, 1, or −1 for no prompt) -> (n, 3) one-hot conditions."""
    vectors = np.zeros((len(labels), WIDTH), dtype=np.float32)
    vectors[np.arange(len(labels)), np.where(labels < 0, WIDTH - 1, labels)] = 1
    return vectors


@model("arms_diffusion", expected_seconds=20,
       full={"n_train": 10_000, "hidden": 64, "layers": 3, "frequencies": 6, "steps": 8_000,
             "batch": 512, "learning_rate": 2e-3, "ema_decay": 0.999, "drop": 0.2,
             "log_sigma_mean": -1.5, "log_sigma_std": 1.4},
       smoke={"n_train": 2_000, "hidden": 32, "layers": 2, "frequencies": 4, "steps": 800,
              "batch": 256, "learning_rate": 2e-3, "ema_decay": 0.95, "drop": 0.2,
              "log_sigma_mean": -1.5, "log_sigma_std": 1.4})
def train_arms_diffusion(config: dict, ctx) -> Artifact:
    import torch

    from generator.networks.diffusion import Denoiser, denoising_loss
    from generator.networks.training import train_denoiser
    from generator.networks.weights import state_arrays

    arms = make_arms(config["n_train"], ctx.stream("data"))
    generator = ctx.torch_stream("training")  # also makes torch deterministic
    x0_all = torch.from_numpy(arms.points.astype(np.float32))  # (n, 2)
    sigma_data = float(arms.points.std())  # σ_d: the spread of the clean data, one number
    denoiser = Denoiser(config["hidden"], config["layers"], config["frequencies"], sigma_data,
                        condition_width=WIDTH)
    denoiser.initialise(generator)

    def condition_for(batch):
        # condition dropout: some examples are shown with no prompt at all
        hidden = torch.rand(len(batch), generator=generator) < config["drop"]  # (b,)
        labels = np.where(hidden.numpy(), -1, arms.labels[batch.numpy()])
        return torch.from_numpy(condition_vectors(labels))  # (b, 3)

    average, losses, seconds = train_denoiser(denoiser, denoising_loss, x0_all, config, generator,
                                              ctx.progress, condition_for)
    arrays = state_arrays(average)
    arrays.update({"train_loss": np.array(losses, dtype=np.float32), "points": arms.points,
                   "labels": arms.labels, "t": arms.t})
    return Artifact(arrays, {"hidden": config["hidden"], "layers": config["layers"],
                             "frequencies": config["frequencies"], "sigma_data": sigma_data,
                             "condition_width": WIDTH, "steps": config["steps"],
                             "n_train": config["n_train"],
                             "final_loss": round(float(np.mean(losses[-500:])), 4),
                             "train_seconds": round(seconds, 1)})
