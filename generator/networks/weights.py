"""Small helpers shared by the torch models (VAE, conv VAE, diffusion denoiser)."""
from __future__ import annotations

import math

import torch
from torch import nn

from generator.engine.artifacts import Artifact


def initialise(network: nn.Module, generator: torch.Generator) -> None:
    """PyTorch's default initialisation of Linear, Conv2d and ConvTranspose2d layers (weights and
    biases uniform in ±1/√fan_in), but drawn from an explicit generator, layer by layer in order."""
    for layer in network.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            weight = layer.weight
            # fan_in = size of dim 1 × kernel area, as torch computes it (in_features for Linear)
            bound = 1 / math.sqrt(weight.shape[1] * weight[0, 0].numel())
            nn.init.uniform_(weight, -bound, bound, generator=generator)
            nn.init.uniform_(layer.bias, -bound, bound, generator=generator)


def state_arrays(network: nn.Module) -> dict:
    """The trained weights as numpy arrays named "state/<parameter>", for an Artifact."""
    return {f"state/{k}": v.detach().numpy().copy() for k, v in network.state_dict().items()}


def load_state(network: nn.Module, artifact: Artifact) -> nn.Module:
    """Put the weights saved by `state_arrays` back into a freshly built network (eval mode)."""
    state = {key[len("state/"):]: torch.from_numpy(value)
             for key, value in artifact.arrays.items() if key.startswith("state/")}
    network.load_state_dict(state)
    return network.eval()
