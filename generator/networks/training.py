"""The two training loops every network here uses: epochs over a data set in shuffled batches
(the VAEs and the digit reader), and steps of a denoiser with a decaying learning rate and an
averaged copy of its weights (the diffusion models).

Each loop draws its random numbers from the one generator it is given, in a fixed order, so a
model trained twice is the same model bit for bit.
"""
from __future__ import annotations

import copy
import math
import time
from typing import Callable

import torch


def one_epoch(optimiser, size: int, batch: int, generator: torch.Generator,
              batch_loss: Callable[[torch.Tensor], torch.Tensor]) -> float:
    """One pass over `size` examples in shuffled batches: for each batch of indices, the loss
    batch_loss(indices) and one gradient step. Returns the mean loss per example."""
    order = torch.randperm(size, generator=generator)  # (n,)
    total = 0.0
    for start in range(0, size, batch):
        chosen = order[start : start + batch]  # (batch,) indices, a slice: no copying loop
        loss = batch_loss(chosen)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        total += loss.item() * len(chosen)
    return total / size


def train_epochs(network, config: dict, progress: Callable,
                 run_epoch: Callable[[torch.optim.Optimizer], float], fused: bool | None = True):
    """config["epochs"] passes of Adam at config["learning_rate"]: run_epoch(optimiser) makes one
    pass and returns its mean loss. fused=True: one kernel for the whole Adam update (about 20 %
    faster per epoch on 2 CPU cores); None: torch's default. Returns (the mean loss of each
    epoch, the seconds it took)."""
    optimiser = torch.optim.Adam(network.parameters(), lr=config["learning_rate"], fused=fused)
    started = time.perf_counter()
    losses = [run_epoch(optimiser) for _ in progress(range(config["epochs"]), "epochs")]
    return losses, time.perf_counter() - started


def train_denoiser(denoiser, loss_of: Callable, x0_all: torch.Tensor, config: dict,
                   generator: torch.Generator, progress: Callable, condition_for: Callable | None = None):
    """Train a denoiser on clean points x0_all (n, dim) for config["steps"] steps of Adam; returns
    (the exponential moving average of its weights, the list of every step's loss, the seconds
    it took).

    Each step draws a batch, asks condition_for(batch) for its conditions (none for an
    unconditional model), and takes loss_of(denoiser, x0, generator, log σ mean, log σ std,
    condition): EDM's loss, networks/diffusion.py's denoising_loss. (Handed in, not imported,
    so that editing the diffusion network retrains only the models that use it.)"""
    average = copy.deepcopy(denoiser).requires_grad_(False)  # the EMA copy
    optimiser = torch.optim.Adam(denoiser.parameters(), lr=config["learning_rate"], fused=True)
    losses = []
    started = time.perf_counter()
    for step in progress(range(config["steps"]), "steps"):
        # cosine learning-rate decay: lr_t = lr₀ · ½ (1 + cos(π t / T))
        for group in optimiser.param_groups:
            group["lr"] = config["learning_rate"] * 0.5 * (1 + math.cos(math.pi * step / config["steps"]))
        batch = torch.randint(len(x0_all), (config["batch"],), generator=generator)  # (b,)
        condition = condition_for(batch) if condition_for else None
        loss = loss_of(denoiser, x0_all[batch], generator, config["log_sigma_mean"],
                       config["log_sigma_std"], condition)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        with torch.no_grad():  # θ_avg ← β θ_avg + (1 − β) θ
            for kept, live in zip(average.parameters(), denoiser.parameters()):
                kept.lerp_(live, 1 - config["ema_decay"])
        losses.append(loss.item())
    return average, losses, time.perf_counter() - started
