"""The torch side of the MNIST VAE: the network, its loss, one training epoch, the test ELBO.

Encoder q(z|x) = N(mean(x), diag exp(log_var(x))), decoder p(x|z) = Bernoulli(sigmoid(logits(z)))
per pixel, prior p(z) = N(0, I). Kept apart from generator/models/mnist_vae.py so that listing
or checking figures does not have to import torch.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from generator.engine.artifacts import Artifact
from generator.networks.training import one_epoch
from generator.networks.weights import initialise, load_state

PIXELS = 28 * 28


class VAE(nn.Module):
    def __init__(self, hidden: list[int], latent: int = 2, pixels: int = PIXELS):
        super().__init__()
        self.latent = latent
        sizes = [pixels, *hidden]
        self.encoder = nn.Sequential(*[layer for a, b in zip(sizes, sizes[1:])
                                       for layer in (nn.Linear(a, b), nn.ReLU())])
        self.to_mean = nn.Linear(hidden[-1], latent)
        self.to_log_var = nn.Linear(hidden[-1], latent)
        back = [latent, *reversed(hidden)]
        self.decoder = nn.Sequential(*[layer for a, b in zip(back, back[1:])
                                       for layer in (nn.Linear(a, b), nn.ReLU())],
                                     nn.Linear(hidden[0], pixels))

    def initialise(self, generator: torch.Generator) -> None:
        initialise(self, generator)

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

    def batch_loss(chosen: torch.Tensor) -> torch.Tensor:
        noise = torch.randn(len(chosen), vae.latent, generator=generator)  # (batch, latent)
        return negative_elbo(vae, images[chosen], noise).mean()

    return one_epoch(optimiser, len(images), batch, generator, batch_loss)


def test_elbo(vae: VAE, images: torch.Tensor, generator: torch.Generator, samples: int) -> float:
    """Mean ELBO (nats per digit) on held-out digits, averaged over `samples` draws of z."""
    with torch.no_grad():
        draws = [negative_elbo(vae, images, torch.randn(len(images), vae.latent, generator=generator))
                 for _ in range(samples)]
    return -float(torch.stack(draws).mean())


def vae_from_artifact(artifact: Artifact) -> VAE:
    """Rebuild the trained network from the cached arrays."""
    info = artifact.info
    return load_state(VAE(info["hidden"], info.get("latent", 2), info.get("pixels", PIXELS)), artifact)


def decode_codes(vae: VAE, codes: np.ndarray) -> np.ndarray:
    """(k, latent) codes -> (k, pixels) the decoder's pixel probabilities σ(f(z)), in one batch."""
    with torch.no_grad():
        logits = vae.decode(torch.from_numpy(codes.astype(np.float32)))
    return torch.sigmoid(logits).numpy()


def encode_means(vae: VAE, images: np.ndarray) -> np.ndarray:
    """(n, pixels) images -> (n, latent) the means μ(x) of q(z|x), in one batch."""
    with torch.no_grad():
        mean, _ = vae.encode(torch.from_numpy(images.reshape(len(images), -1)))
    return mean.numpy()
