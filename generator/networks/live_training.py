"""The torch twin of the in-page trainer (docs/assets/javascripts/train-core.js): one training
step of the diffusion chapter's denoiser on given clean points, noise levels and noise, with
Adam. The page trains without torch; this module exists so that a test can check that the
page's hand-written backward pass and Adam do exactly what torch's autograd and Adam do."""
from __future__ import annotations

import torch

from generator.networks.diffusion import Denoiser


# mirrored in JS: docs/assets/javascripts/train-core.js trainStep() — tests/widgets/test_live_training.py compares them
def train_step(denoiser: Denoiser, optimiser: torch.optim.Optimizer, x0: torch.Tensor,
               sigma: torch.Tensor, noise: torch.Tensor, condition: torch.Tensor | None = None) -> float:
    """x0 (n, 2) clean points, sigma (n,) their noise levels, noise (n, 2) their ε [, condition
    (n, C) one-hot]: one Adam step on EDM's weighted loss; returns the loss before the step."""
    noisy = x0 + sigma[:, None] * noise  # x = x₀ + σε
    guess = denoiser(noisy, sigma) if condition is None else denoiser(noisy, sigma, condition)
    sd = denoiser.sigma_data
    # λ(σ) = (σ² + σ_d²) / (σ σ_d)², L = mean λ(σ) ‖D(x; σ) − x₀‖²
    weight = (sigma ** 2 + sd ** 2) / (sigma * sd) ** 2
    loss = (weight * ((guess - x0) ** 2).sum(dim=1)).mean()
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    return float(loss.detach())
