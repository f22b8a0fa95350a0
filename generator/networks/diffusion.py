"""The torch side of the diffusion chapter: a denoiser, its training loss, and the sampler.

Noise is added as x = x₀ + σ·ε with ε ~ N(0, I), for noise levels σ from SIGMA_MIN to
SIGMA_MAX. One network D(x; σ) learns, for *every* σ at once, to guess the clean point x₀
from the noisy x. Its arrow D(x; σ) − x points from a noisy point back toward the data: that
is "which noise to remove". The parametrisation (the c_skip, c_out, c_in scalings and the
loss weight) follows Karras et al. 2022, "Elucidating the Design Space of Diffusion-Based
Generative Models" (EDM); the samplers are DDPM's ancestral sampler written for x = x₀ + σε,
and its noise-free twin (the probability-flow ODE).

The same network can also take a *condition* (e.g. "the digit 3"), given as a vector of
one-hot blocks: D(x; σ, c). `guided` mixes the conditional and the unconditional guesses
(classifier-free guidance, Ho & Salimans 2022), and the samplers accept that mixture as
their denoiser. The conditional chapter uses this in the 2-D latent space of the MNIST VAE.
"""
from __future__ import annotations

import torch
from torch import nn

from generator.engine.artifacts import Artifact
from generator.networks.weights import initialise, load_state

SIGMA_MIN, SIGMA_MAX = 0.005, 3.0  # the sampler's noise levels, in the spiral's units
SCHEDULE_RHO = 7.0  # EDM's spacing of the steps: most of them at small σ, where details form


class Denoiser(nn.Module):
    """D(x; σ) = c_skip(σ)·x + c_out(σ)·F(c_in(σ)·x, embed(σ)[, c]), F a small MLP.

    x has `dim` coordinates (2 for the spiral and the 2-D latent map). With
    condition_width > 0 the MLP also reads a condition vector c of that width."""

    def __init__(self, hidden: int, layers: int, frequencies: int, sigma_data: float,
                 condition_width: int = 0, dim: int = 2):
        super().__init__()
        self.sigma_data = sigma_data
        self.condition_width = condition_width
        self.dim = dim
        # geometric frequencies 1 … 2^(k−1) for the sine/cosine embedding of log σ
        self.register_buffer("frequencies", 2.0 ** torch.arange(frequencies, dtype=torch.float32))
        sizes = [dim + 2 * frequencies + condition_width] + [hidden] * layers
        self.net = nn.Sequential(*[part for a, b in zip(sizes, sizes[1:])
                                   for part in (nn.Linear(a, b), nn.SiLU())],
                                 nn.Linear(hidden, dim))

    def initialise(self, generator: torch.Generator) -> None:
        initialise(self, generator)

    def forward(self, x: torch.Tensor, sigma: torch.Tensor,
                condition: torch.Tensor | None = None) -> torch.Tensor:
        """x (n, dim) noisy points, sigma (n,) their noise levels, condition (n, width) or
        None -> (n, dim) guesses of x₀."""
        sigma = sigma.reshape(-1, 1)  # (n, 1)
        total = sigma ** 2 + self.sigma_data ** 2
        # c_skip = σ_d² / (σ² + σ_d²), c_out = σ σ_d / √(σ² + σ_d²), c_in = 1 / √(σ² + σ_d²)
        c_skip = self.sigma_data ** 2 / total
        c_out = sigma * self.sigma_data / total.sqrt()
        c_in = 1 / total.sqrt()
        # c_noise = ¼ ln σ, embedded as sin and cos at each frequency
        phase = 0.25 * torch.log(sigma) * self.frequencies  # (n, k)
        parts = [c_in * x, torch.sin(phase), torch.cos(phase)]
        if self.condition_width:
            parts.append(condition)
        features = torch.cat(parts, dim=1)  # (n, dim + 2k [+ width])
        return c_skip * x + c_out * self.net(features)  # (n, dim)


def denoising_loss(denoiser: Denoiser, x0: torch.Tensor, generator: torch.Generator,
                   log_sigma_mean: float, log_sigma_std: float,
                   condition: torch.Tensor | None = None) -> torch.Tensor:
    """EDM's weighted denoising loss on a batch of clean points x0 (n, dim) [and conditions]."""
    # ln σ ~ N(P_mean, P_std²): a different noise level for every point of the batch
    sigma = torch.exp(log_sigma_mean + log_sigma_std * torch.randn(len(x0), generator=generator))
    noise = torch.randn(x0.shape, generator=generator)  # (n, dim)
    noisy = x0 + sigma[:, None] * noise
    guess = denoiser(noisy, sigma) if condition is None else denoiser(noisy, sigma, condition)
    # λ(σ) = (σ² + σ_d²) / (σ σ_d)²: every noise level contributes about equally
    weight = (sigma ** 2 + denoiser.sigma_data ** 2) / (sigma * denoiser.sigma_data) ** 2
    # L = λ(σ) ‖D(x₀ + σε; σ) − x₀‖²
    return (weight * ((guess - x0) ** 2).sum(dim=1)).mean()


def noise_levels(steps: int, sigma_max: float = SIGMA_MAX) -> torch.Tensor:
    """(steps + 1,) σ from sigma_max down to SIGMA_MIN, then 0 (EDM's schedule)."""
    ramp = torch.linspace(0, 1, steps, dtype=torch.float64)
    # σ_i = (σ_max^(1/ρ) + i/(N−1) (σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ
    top, bottom = sigma_max ** (1 / SCHEDULE_RHO), SIGMA_MIN ** (1 / SCHEDULE_RHO)
    sigmas = (top + ramp * (bottom - top)) ** SCHEDULE_RHO
    return torch.cat([sigmas, torch.zeros(1, dtype=torch.float64)]).float()


def guided(denoiser: Denoiser, condition: torch.Tensor, unconditional: torch.Tensor,
           weight: float, interval: tuple[float, float] | None = None):
    """Classifier-free guidance: a denoiser(x, σ) for one prompt, pushed w times further
    away from the unconditional guess. condition and unconditional: (width,) vectors.
    (Stable Diffusion's "guidance scale" s is 1 + w.) With `interval` = (σ_lo, σ_hi) the push
    acts only while σ_lo < σ ≤ σ_hi, the plain conditional guess elsewhere: guidance limited
    to an interval of noise levels (Kynkäänniemi et al., NeurIPS 2024)."""

    def denoise(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        with_prompt = denoiser(x, sigma, condition.expand(len(x), -1))  # (n, dim)
        if weight == 0 or (interval is not None and not interval[0] < float(sigma[0]) <= interval[1]):
            return with_prompt
        without = denoiser(x, sigma, unconditional.expand(len(x), -1))  # (n, dim)
        # D_w = D(x; σ, ∅) + (1 + w) (D(x; σ, c) − D(x; σ, ∅))
        return without + (1 + weight) * (with_prompt - without)

    return denoise


@torch.no_grad()
def sample(denoiser, n_points: int, steps: int, generator: torch.Generator,
           stochastic: bool = True, sigma_max: float = SIGMA_MAX,
           start: torch.Tensor | None = None, dim: int = 2) -> torch.Tensor:
    """Start from pure noise N(0, σ_max² I) and remove it step by step.

    `denoiser` is any function (x (n, dim), σ (n,)) -> (n, dim) guesses: a Denoiser, or `guided`.
    stochastic=True is DDPM's ancestral sampler: step toward the denoiser's guess, then add a
    little fresh noise. stochastic=False follows the same flow without fresh noise (the
    probability-flow ODE, solved with Heun's method, as DDIM and EDM do): every point moves
    along a smooth path. `start` (n, dim) gives the noise to begin from instead of drawing it.
    Returns every intermediate cloud: (steps + 1, n, dim), the last row being the samples."""
    sigmas = noise_levels(steps, sigma_max)
    x = sigma_max * torch.randn(n_points, dim, generator=generator) if start is None else start
    path = [x]
    for sigma, sigma_next in zip(sigmas[:-1], sigmas[1:]):
        guess = denoiser(x, sigma.expand(n_points))  # (n, dim) the denoiser's x₀
        if stochastic:
            # DDPM posterior for x = x₀ + σε, with x₀ replaced by the guess:
            # x_next = (σ'²/σ²) x + (1 − σ'²/σ²) D(x; σ) + σ' √(1 − σ'²/σ²) z
            keep = (sigma_next / sigma) ** 2
            x = keep * x + (1 - keep) * guess
            if sigma_next > 0:
                x = x + sigma_next * torch.sqrt(1 - keep) * torch.randn(x.shape, generator=generator)
        else:
            # dx/dσ = (x − D(x; σ)) / σ, one Euler step then Heun's correction
            slope = (x - guess) / sigma  # (n, dim)
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
                               info["sigma_data"], info.get("condition_width", 0),
                               info.get("dim", 2)), artifact)
