"""A variational autoencoder with a 2-D latent space, trained on real MNIST digits.

Encoder q(z|x) = N(mean(x), diag exp(log_var(x))), decoder p(x|z) = Bernoulli(sigmoid(logits(z)))
per pixel, prior p(z) = N(0, I). Training maximises the ELBO on whole batches sliced from
tensors in memory (no DataLoader: see scripts/bench_vae_epoch.py for why).
"""
from __future__ import annotations

import math
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from generator.cache import Artifact
from generator.data.mnist import load_mnist
from generator.registry import model
from generator.seeding import numpy_stream

PIXELS = 28 * 28


class VAE(nn.Module):
    def __init__(self, hidden: list[int], latent: int = 2):
        super().__init__()
        sizes = [PIXELS, *hidden]
        self.encoder = nn.Sequential(*[layer for a, b in zip(sizes, sizes[1:])
                                       for layer in (nn.Linear(a, b), nn.ReLU())])
        self.to_mean = nn.Linear(hidden[-1], latent)
        self.to_log_var = nn.Linear(hidden[-1], latent)
        back = [latent, *reversed(hidden)]
        self.decoder = nn.Sequential(*[layer for a, b in zip(back, back[1:])
                                       for layer in (nn.Linear(a, b), nn.ReLU())],
                                     nn.Linear(hidden[0], PIXELS))

    def initialise(self, generator: torch.Generator) -> None:
        """PyTorch's default Linear initialisation, drawn from an explicit generator."""
        for layer in self.modules():
            if isinstance(layer, nn.Linear):
                bound = 1 / math.sqrt(layer.in_features)
                nn.init.uniform_(layer.weight, -bound, bound, generator=generator)
                nn.init.uniform_(layer.bias, -bound, bound, generator=generator)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)  # (batch, hidden[-1])
        return self.to_mean(h), self.to_log_var(h)  # (batch, 2) each

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)  # (batch, 784) logits of the Bernoulli pixels


def negative_elbo(vae: VAE, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    """−ELBO of each digit in nats: reconstruction cross-entropy + KL(q(z|x) ‖ N(0, I))."""
    mean, log_var = vae.encode(x)  # (batch, 2)
    # z = μ + σ·ε, the reparameterisation trick
    z = mean + torch.exp(0.5 * log_var) * noise  # (batch, 2)
    # −log p(x|z) = Σ_pixels BCE(logits, x)
    reconstruction = F.binary_cross_entropy_with_logits(vae.decode(z), x, reduction="none").sum(1)
    # KL = −½ Σ (1 + log σ² − μ² − σ²)
    kl = -0.5 * (1 + log_var - mean.pow(2) - log_var.exp()).sum(1)
    return reconstruction + kl  # (batch,)


def train_epoch(vae: VAE, optimiser, images: torch.Tensor, batch: int,
                generator: torch.Generator) -> float:
    """One pass over `images` (n, 784) in shuffled whole batches; returns the mean −ELBO."""
    order = torch.randperm(len(images), generator=generator)  # (n,)
    total = 0.0
    for start in range(0, len(images), batch):
        x = images[order[start : start + batch]]  # (batch, 784), a slice, no copying loop
        noise = torch.randn(len(x), 2, generator=generator)  # (batch, 2)
        loss = negative_elbo(vae, x, noise).mean()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        total += loss.item() * len(x)
    return total / len(images)


def test_elbo(vae: VAE, images: torch.Tensor, generator: torch.Generator, samples: int) -> float:
    """Mean ELBO (nats per digit) on held-out digits, averaged over `samples` draws of z."""
    with torch.no_grad():
        draws = [negative_elbo(vae, images, torch.randn(len(images), 2, generator=generator))
                 for _ in range(samples)]
    return -float(torch.stack(draws).mean())


def vae_from_artifact(artifact: Artifact) -> VAE:
    """Rebuild the trained network from the cached arrays."""
    vae = VAE(artifact.info["hidden"])
    state = {key[len("state/"):]: torch.from_numpy(value)
             for key, value in artifact.arrays.items() if key.startswith("state/")}
    vae.load_state_dict(state)
    return vae.eval()


@model("mnist_vae",
       full={"hidden": [512, 256], "epochs": 60, "batch": 100, "learning_rate": 1e-3,
             "elbo_samples": 20},
       smoke={"hidden": [64, 32], "epochs": 2, "batch": 250, "learning_rate": 1e-3,
              "elbo_samples": 2})
def train_mnist_vae(config: dict, ctx) -> Artifact:
    split = load_mnist(numpy_stream("data/mnist/split"))
    generator = ctx.torch_stream("training")  # also makes torch deterministic
    train = torch.from_numpy(split.train.images)  # (4500, 784)
    test = torch.from_numpy(split.test.images)  # (500, 784)
    vae = VAE(config["hidden"])
    vae.initialise(generator)
    # fused: one kernel for the whole Adam update (about 20 % faster per epoch on 2 CPU cores)
    optimiser = torch.optim.Adam(vae.parameters(), lr=config["learning_rate"], fused=True)
    started = time.perf_counter()
    losses = [train_epoch(vae, optimiser, train, config["batch"], generator)
              for _ in ctx.progress(range(config["epochs"]), "epochs")]
    seconds = time.perf_counter() - started
    vae.eval()
    elbo = test_elbo(vae, test, ctx.torch_stream("test_elbo"), config["elbo_samples"])
    arrays = {f"state/{k}": v.detach().numpy().copy() for k, v in vae.state_dict().items()}
    arrays["train_loss"] = np.array(losses)
    return Artifact(arrays, {"hidden": config["hidden"], "test_elbo": round(elbo, 2),
                             "train_loss": round(losses[-1], 2), "epochs": config["epochs"],
                             "train_seconds": round(seconds, 1)})
