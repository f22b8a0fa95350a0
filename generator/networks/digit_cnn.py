"""The torch side of the digit reader: a small convolutional network that reads a 28×28
image and says which digit it shows.

It is trained on real MNIST digits only, never on anything a generative model made, so it can
judge the generated digits independently ("does this sample look like the 7 it was asked
for?"). Each training batch is shifted by up to two pixels, so that the reader does not
depend on a digit sitting exactly in the centre. (No dropout: torch's dropout draws from the
global random generator, and every random draw here comes from a named stream.)
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from generator.engine.artifacts import Artifact
from generator.networks.training import one_epoch
from generator.networks.weights import initialise, load_state

SIDE = 28


class MaxPool2(nn.Module):
    """The largest of each 2×2 block (28 → 14 pixels): the same values as nn.MaxPool2d(2), since
    a maximum is exact. When no gradient is needed (reading generated digits, most of this
    network's use), it is the maximum of four strided views, several times faster on a CPU
    core than torch's pooling kernel; training keeps that kernel, whose backward pass is fast."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if torch.is_grad_enabled():
            return F.max_pool2d(x, 2)
        # y[i, j] = max(x[2i, 2j], x[2i, 2j+1], x[2i+1, 2j], x[2i+1, 2j+1])
        return torch.maximum(torch.maximum(x[..., 0::2, 0::2], x[..., 0::2, 1::2]),
                             torch.maximum(x[..., 1::2, 0::2], x[..., 1::2, 1::2]))


class DigitCNN(nn.Module):
    """conv 3×3 (c₁) → pool → conv 3×3 (c₂) → pool → dense → 10 scores."""

    def __init__(self, channels: tuple[int, int] = (32, 64), hidden: int = 128):
        super().__init__()
        first, second = channels
        self.features = nn.Sequential(
            nn.Conv2d(1, first, 3, padding=1), nn.ReLU(), MaxPool2(),  # 28 → 14
            nn.Conv2d(first, second, 3, padding=1), nn.ReLU(), MaxPool2(),  # 14 → 7
            nn.Flatten())
        self.classify = nn.Sequential(nn.Linear(second * 7 * 7, hidden), nn.ReLU(), nn.Linear(hidden, 10))

    def initialise(self, generator: torch.Generator) -> None:
        initialise(self, generator)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """(n, 784) or (n, 28, 28) grey images -> (n, 10) scores (logits)."""
        return self.classify(self.features(images.reshape(-1, 1, SIDE, SIDE)))


def train_epoch(network: DigitCNN, optimiser, images: torch.Tensor, labels: torch.Tensor,
                batch: int, generator: torch.Generator) -> float:
    """One shuffled pass; each batch moved by a random shift of up to ±2 pixels."""

    def batch_loss(chosen: torch.Tensor) -> torch.Tensor:
        x = images[chosen].reshape(-1, 1, SIDE, SIDE)
        down, right = torch.randint(-2, 3, (2,), generator=generator).tolist()
        x = torch.roll(x, shifts=(down, right), dims=(2, 3))  # the digits sit on blank margins
        return F.cross_entropy(network(x), labels[chosen])

    network.train()
    mean_loss = one_epoch(optimiser, len(images), batch, generator, batch_loss)
    network.eval()
    return mean_loss


def reader_from_artifact(artifact: Artifact) -> DigitCNN:
    info = artifact.info
    return load_state(DigitCNN(tuple(info["channels"]), info["hidden"]), artifact)


@torch.no_grad()
def read_probabilities(network: DigitCNN, images) -> torch.Tensor:
    """(n, 784) images in [0, 1] (numpy or torch) -> (n, 10) class probabilities."""
    x = torch.as_tensor(images, dtype=torch.float32)
    return torch.softmax(network(x), dim=1)
