"""The torch side of the faces chapter: a convolutional VAE for 64×64 colour images.

Encoder: four stride-2 convolutions (64 → 32 → 16 → 8 → 4 pixels), then q(z|x) =
N(mean, diag exp(log_var)). Decoder: the mirror image with transposed convolutions, ending in
one value per pixel and colour channel, squashed into [0, 1] by a sigmoid (the mean of a
Gaussian likelihood with a fixed, small standard deviation). Trained with labels
(labelled_loss): the first latent axes are tied to the known factors of the drawn faces, so
that each has a name and moving along it changes that factor and nothing else.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from generator.engine.artifacts import Artifact
from generator.networks.training import one_epoch
from generator.networks.weights import initialise, load_state


def to_tensor(images: np.ndarray):
    """(n, 64, 64, 3) in [0, 1] -> torch (n, 3, 64, 64)."""
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))


class ConvVAE(nn.Module):
    def __init__(self, latent: int, channels: list[int], side: int = 64, colours: int = 3):
        super().__init__()
        self.latent, self.channels, self.side, self.colours = latent, channels, side, colours
        sizes = [colours, *channels]
        self.encoder = nn.Sequential(*[part for a, b in zip(sizes, sizes[1:])
                                       for part in (nn.Conv2d(a, b, 4, 2, 1), nn.SiLU())],
                                     nn.Flatten())
        self.small = side // 2 ** len(channels)  # 4 pixels per side after four halvings
        flat = channels[-1] * self.small ** 2
        self.to_mean = nn.Linear(flat, latent)
        self.to_log_var = nn.Linear(flat, latent)
        self.from_latent = nn.Linear(latent, flat)
        back = [*reversed(channels)]
        layers = []
        for a, b in zip(back, back[1:]):
            layers += [nn.ConvTranspose2d(a, b, 4, 2, 1), nn.SiLU()]
        layers.append(nn.ConvTranspose2d(back[-1], colours, 4, 2, 1))
        self.decoder = nn.Sequential(*layers)

    def initialise(self, generator: torch.Generator) -> None:
        initialise(self, generator)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)  # (batch, flat)
        return self.to_mean(h), self.to_log_var(h)  # (batch, latent) each

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        h = self.from_latent(z).view(-1, self.channels[-1], self.small, self.small)
        return self.decoder(h)  # (batch, colours, side, side) logits


def elbo_terms(vae, x, mean, log_var, noise, pixel_sigma) -> torch.Tensor:
    """(batch, 1 + latent): the reconstruction error, then the KL of each latent dimension
    (their sum is the −ELBO, up to a constant). p(x|z) = N(sigmoid(decoder(z)), pixel_sigma² I):
    a small pixel_sigma makes every pixel's error expensive, so small parts count."""
    # z = μ + σ·ε
    z = mean + torch.exp(0.5 * log_var) * noise
    # −log p(x|z) = Σ (x − x̂)² / (2 σ_pixel²) + const
    reconstruction = (torch.sigmoid(vae.decode(z)) - x).pow(2).flatten(1).sum(1) / (2 * pixel_sigma ** 2)
    # KL_j = −½ (1 + log σ_j² − μ_j² − σ_j²), one per latent dimension
    kl = -0.5 * (1 + log_var - mean.pow(2) - log_var.exp())
    return torch.cat([reconstruction[:, None], kl], dim=1)


def labelled_loss(vae: ConvVAE, x: torch.Tensor, targets: torch.Tensor, noise: torch.Tensor,
                  config: dict) -> torch.Tensor:
    """−ELBO plus two terms that give the first k latent axes a name (k = targets' columns):

    - the encoder's mean on axis j must read factor j:  Σ_j (μ_j − t_j)² / (2 τ²), with
      t = (factor − ½)·√12, the factor scaled to unit variance like the prior;
    - the other ("free") axes must not carry the factors as well, or moving a named axis alone
      would change only part of the face: within each batch, their covariance with the
      targets is pushed to zero, λ Σ cov(μ_free, t)².
    """
    k = targets.shape[1]
    mean, log_var = vae.encode(x)
    terms = elbo_terms(vae, x, mean, log_var, noise, config["pixel_sigma"])
    # −ELBO + Σ_j (μ_j − t_j)² / (2 τ²)
    loss = terms.sum(1) + (mean[:, :k] - targets).pow(2).sum(1) / (2 * config["label_sigma"] ** 2)
    free = mean[:, k:] - mean[:, k:].mean(0)
    # cov(μ_free, t) = (μ_free − mean)ᵀ (t − mean) / batch
    covariance = free.T @ (targets - targets.mean(0)) / len(x)
    return loss.mean() + config["decorrelation"] * covariance.pow(2).sum()


def train_epoch(vae: ConvVAE, optimiser, images: torch.Tensor, targets: torch.Tensor,
                generator: torch.Generator, config: dict) -> float:
    """One pass over images (n, 3, 64, 64) in shuffled batches; returns the mean loss."""

    def batch_loss(chosen: torch.Tensor) -> torch.Tensor:
        noise = torch.randn(len(chosen), vae.latent, generator=generator)
        return labelled_loss(vae, images[chosen], targets[chosen], noise, config)

    return one_epoch(optimiser, len(images), config["batch"], generator, batch_loss)


def reconstruction_error(vae: ConvVAE, images: torch.Tensor, batch: int = 500) -> torch.Tensor:
    """Mean squared pixel error of decode(mean of q(z|x)) for each image: (n,)."""
    errors = []
    with torch.no_grad():
        for start in range(0, len(images), batch):
            x = images[start : start + batch]
            mean, _ = vae.encode(x)
            errors.append((torch.sigmoid(vae.decode(mean)) - x).pow(2).flatten(1).mean(1))
    return torch.cat(errors)


def conv_vae_from_artifact(artifact: Artifact) -> ConvVAE:
    info = artifact.info
    return load_state(ConvVAE(info["latent"], info["channels"], info["side"], info["colours"]), artifact)
