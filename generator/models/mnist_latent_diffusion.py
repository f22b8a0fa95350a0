"""Registers the conditional denoiser of the MNIST latent space: latent diffusion in miniature.

Large text-to-image models do not denoise pixels: an autoencoder first maps images to a
smaller latent space, the diffusion model works there, and the decoder turns its result into
pixels. Here the autoencoder is the 2-D VAE of the latent-space chapter (the model this one
`needs`), so the reader can watch the whole denoising on the map they already know.

Data: the encoder's *mean* code μ(x) of each of the 4,500 training digits, not a random
sample z ~ q(z|x). The decoder draws its clearest version of a digit at μ(x); a sample adds
the encoder's uncertainty, which in two dimensions smears the borders between digits that
already touch (4 and 9, 3, 5 and 8).

Condition: the digit's label and two style classes measured from its pixels (thickness,
slant: generator/data/mnist_style.py), as a 19-value vector (generator/pipelines/prompts.py). Training
hides parts of it at random (condition dropout), so that one network also learns the
partial prompts ("a 7", nothing about style) and the empty prompt that classifier-free
guidance needs.
"""
from __future__ import annotations

import numpy as np

from generator.data.mnist import load_mnist
from generator.data.mnist_style import style_labels
from generator.engine.artifacts import Artifact
from generator.engine.registry import model
from generator.engine.seeding import numpy_stream
from generator.pipelines.prompts import WIDTH, conditions_matrix

FULL = {"hidden": 192, "layers": 4, "frequencies": 8, "steps": 16_000, "batch": 512,
        "learning_rate": 2e-3, "ema_decay": 0.999, "log_sigma_mean": -0.6, "log_sigma_std": 1.4,
        "drop_all": 0.15, "drop_style": 0.3}
SMOKE = {"hidden": 64, "layers": 3, "frequencies": 4, "steps": 1500, "batch": 256,
         "learning_rate": 3e-3, "ema_decay": 0.95, "log_sigma_mean": -0.6, "log_sigma_std": 1.4,
         "drop_all": 0.15, "drop_style": 0.3}


@model("mnist_latent_diffusion", expected_seconds=73, needs=("mnist_vae",),
       full={**FULL, "autoencoder": "mnist_vae"}, smoke={**SMOKE, "autoencoder": "mnist_vae"})
# The same recipe in 8 dimensions, for the chapter's comparison numbers only, with a narrower
# network (128 units per layer) and 6,000 steps, in about a third of the training time of 192
# units and 10,000 steps. Measured one change at a time with scripts/compare_config.py (with its
# VAE's shorter training, mnist_vae.py): from w = 1 on its accuracy stays at 99.4–100%; at
# w = 0.5 it reads 96.2% (was 98.3%) and unguided, at w = 0, 79.7% (was 88.4%).
@model("mnist_latent_diffusion_8d", expected_seconds=15, needs=("mnist_vae_8d",),
       full={**FULL, "hidden": 128, "steps": 6_000, "autoencoder": "mnist_vae_8d"},
       smoke={**SMOKE, "autoencoder": "mnist_vae_8d"})
def train_mnist_latent_diffusion(config: dict, ctx) -> Artifact:
    import torch

    from generator.networks.diffusion import Denoiser, denoising_loss
    from generator.networks.training import train_denoiser
    from generator.networks.vae import encode_means, vae_from_artifact
    from generator.networks.weights import state_arrays

    split = load_mnist(numpy_stream("data/mnist/split"))
    # (4500, latent) posterior means μ(x)
    codes = encode_means(vae_from_artifact(ctx.model(config["autoencoder"])), split.train.images)
    style = style_labels(split.train.images, split.train.labels)
    generator = ctx.torch_stream("training")  # also makes torch deterministic
    x0_all = torch.from_numpy(codes)
    sigma_data = float(codes.std())  # σ_d: the spread of the codes, one number for all axes
    denoiser = Denoiser(config["hidden"], config["layers"], config["frequencies"], sigma_data,
                        condition_width=WIDTH, dim=codes.shape[1])
    denoiser.initialise(generator)
    attributes = np.stack([split.train.labels, style.thickness, style.slant], axis=1)  # (n, 3)

    def condition_for(batch):
        # condition dropout: hide everything for some examples (the empty prompt), and each
        # style word on its own for others (prompts that name a digit and no style)
        hide_all = torch.rand(config["batch"], generator=generator) < config["drop_all"]  # (b,)
        hide_style = torch.rand(config["batch"], 2, generator=generator) < config["drop_style"]  # (b, 2)
        hidden = torch.cat([hide_all[:, None], hide_all[:, None] | hide_style], dim=1).numpy()  # (b, 3)
        chosen = np.where(hidden, -1, attributes[batch.numpy()])  # (b, 3), −1 = "not said"
        return torch.from_numpy(conditions_matrix(*chosen.T))  # (b, 19)

    average, losses, seconds = train_denoiser(denoiser, denoising_loss, x0_all, config, generator,
                                              ctx.progress, condition_for)
    arrays = state_arrays(average)
    arrays.update({"train_loss": np.array(losses, dtype=np.float32), "codes": codes,
                   "digits": split.train.labels, "thickness": style.thickness, "slant": style.slant,
                   "width": style.width, "degrees": style.degrees, "width_cuts": style.width_cuts})
    return Artifact(arrays, {"hidden": config["hidden"], "layers": config["layers"],
                             "frequencies": config["frequencies"], "sigma_data": sigma_data,
                             "condition_width": WIDTH, "dim": int(codes.shape[1]),
                             "autoencoder": config["autoencoder"],
                             "steps": config["steps"],
                             "n_train": int(len(codes)),
                             "final_loss": round(float(np.mean(losses[-500:])), 4),
                             "train_seconds": round(seconds, 1)})
