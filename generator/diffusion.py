"""The torch side of the diffusion chapter: a denoiser, its training loss, and the sampler.

Noise is added as x = x₀ + σ·ε with ε ~ N(0, I), for noise levels σ from SIGMA_MIN to
SIGMA_MAX. One network D(x; σ) learns, for *every* σ at once, to guess the clean point x₀
from the noisy x. Its arrow D(x; σ) − x points from a noisy point back toward the data: that
is "which noise to remove". The parametrisation (the c_skip, c_out, c_in scalings and the
loss weight) follows Karras et al. 2022, "Elucidating the Design Space of Diffusion-Based
Generative Models" (EDM); the samplers are DDPM's ancestral sampler written for x = x₀ + σε,
and its noise-free twin (the probability-flow ODE).
"""
from __future__ import annotations

import torch
from torch import nn

from generator.cache import Artifact
from generator.nets import initialise, load_state

SIGMA_MIN, SIGMA_MAX = 0.005, 3.0  # the sampler's noise levels, in the spiral's units
SCHEDULE_RHO = 7.0  # EDM's spacing of the steps: most of them at small σ, where details form


class Denoiser(nn.Module):
    """D(x; σ) = c_skip(σ)·x + c_out(σ)·F(c_in(σ)·x, embed(σ)), F a small MLP."""

    def __init__(self, hidden: int, layers: int, frequencies: int, sigma_data: float):
        super().__init__()
        self.sigma_data = sigma_data
        # geometric frequencies 1 … 2^(k−1) for the sine/cosine embedding of log σ
        self.register_buffer("frequencies", 2.0 ** torch.arange(frequencies, dtype=torch.float32))
        sizes = [2 + 2 * frequencies] + [hidden] * layers
        self.net = nn.Sequential(*[part for a, b in zip(sizes, sizes[1:])
                                   for part in (nn.Linear(a, b), nn.SiLU())],
                                 nn.Linear(hidden, 2))

    def initialise(self, generator: torch.Generator) -> None:
        initialise(self, generator)

    def forward(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """x (n, 2) noisy points, sigma (n,) their noise levels -> (n, 2) guesses of x₀."""
        sigma = sigma.reshape(-1, 1)  # (n, 1)
        total = sigma ** 2 + self.sigma_data ** 2
        # c_skip = σ_d² / (σ² + σ_d²), c_out = σ σ_d / √(σ² + σ_d²), c_in = 1 / √(σ² + σ_d²)
        c_skip = self.sigma_data ** 2 / total
        c_out = sigma * self.sigma_data / total.sqrt()
        c_in = 1 / total.sqrt()
        # c_noise = ¼ ln σ, embedded as sin and cos at each frequency
        phase = 0.25 * torch.log(sigma) * self.frequencies  # (n, k)
        features = torch.cat([c_in * x, torch.sin(phase), torch.cos(phase)], dim=1)  # (n, 2+2k)
        return c_skip * x + c_out * self.net(features)  # (n, 2)


def denoising_loss(denoiser: Denoiser, x0: torch.Tensor, generator: torch.Generator,
                   log_sigma_mean: float, log_sigma_std: float) -> torch.Tensor:
    """EDM's weighted denoising loss on a batch of clean points x0 (n, 2)."""
    # ln σ ~ N(P_mean, P_std²): a different noise level for every point of the batch
    sigma = torch.exp(log_sigma_mean + log_sigma_std * torch.randn(len(x0), generator=generator))
    noise = torch.randn(x0.shape, generator=generator)  # (n, 2)
    guess = denoiser(x0 + sigma[:, None] * noise, sigma)  # (n, 2)
    # λ(σ) = (σ² + σ_d²) / (σ σ_d)²: every noise level contributes about equally
    weight = (sigma ** 2 + denoiser.sigma_data ** 2) / (sigma * denoiser.sigma_data) ** 2
    # L = λ(σ) ‖D(x₀ + σε; σ) − x₀‖²
    return (weight * ((guess - x0) ** 2).sum(dim=1)).mean()


def noise_levels(steps: int) -> torch.Tensor:
    """(steps + 1,) σ from SIGMA_MAX down to SIGMA_MIN, then 0 (EDM's schedule)."""
    ramp = torch.linspace(0, 1, steps, dtype=torch.float64)
    # σ_i = (σ_max^(1/ρ) + i/(N−1) (σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ
    top, bottom = SIGMA_MAX ** (1 / SCHEDULE_RHO), SIGMA_MIN ** (1 / SCHEDULE_RHO)
    sigmas = (top + ramp * (bottom - top)) ** SCHEDULE_RHO
    return torch.cat([sigmas, torch.zeros(1, dtype=torch.float64)]).float()


@torch.no_grad()
def sample(denoiser: Denoiser, n_points: int, steps: int, generator: torch.Generator,
           stochastic: bool = True) -> torch.Tensor:
    """Start from pure noise N(0, σ_max² I) and remove it step by step.

    stochastic=True is DDPM's ancestral sampler: step toward the denoiser's guess, then add a
    little fresh noise. stochastic=False follows the same flow without fresh noise (the
    probability-flow ODE, solved with Heun's method, as DDIM and EDM do): every point moves
    along a smooth path. Returns every intermediate cloud: (steps + 1, n, 2), the last row
    being the samples."""
    sigmas = noise_levels(steps)
    x = SIGMA_MAX * torch.randn(n_points, 2, generator=generator)  # (n, 2)
    path = [x]
    for sigma, sigma_next in zip(sigmas[:-1], sigmas[1:]):
        guess = denoiser(x, sigma.expand(n_points))  # (n, 2) the denoiser's x₀
        if stochastic:
            # DDPM posterior for x = x₀ + σε, with x₀ replaced by the guess:
            # x_next = (σ'²/σ²) x + (1 − σ'²/σ²) D(x; σ) + σ' √(1 − σ'²/σ²) z
            keep = (sigma_next / sigma) ** 2
            x = keep * x + (1 - keep) * guess
            if sigma_next > 0:
                x = x + sigma_next * torch.sqrt(1 - keep) * torch.randn(n_points, 2, generator=generator)
        else:
            # dx/dσ = (x − D(x; σ)) / σ, one Euler step then Heun's correction
            slope = (x - guess) / sigma  # (n, 2)
            x_next = x + (sigma_next - sigma) * slope
            if sigma_next > 0:
                slope_next = (x_next - denoiser(x_next, sigma_next.expand(n_points))) / sigma_next
                x_next = x + (sigma_next - sigma) * 0.5 * (slope + slope_next)
            x = x_next
        path.append(x)
    return torch.stack(path)


def denoiser_from_artifact(artifact: Artifact) -> Denoiser:
    """Rebuild the trained network (its averaged weights) from the cached arrays."""
    info = artifact.info
    return load_state(Denoiser(info["hidden"], info["layers"], info["frequencies"],
                               info["sigma_data"]), artifact)
