"""Faces in and out of the faces VAE's latent space, for the figures and for the models built
on the VAE (generator/models/face_ood.py): fresh faces the VAE never saw, the trained VAE
itself, and its encoder and decoder on numpy arrays.

Kept apart from the figure modules so that a model depends only on what it uses: a model's
cache key covers every project file it imports, and a change to how a figure is drawn must
not retrain a model.
"""
from __future__ import annotations

import functools

import numpy as np

from generator.data.faces import make_faces
from generator.engine import seeding


@functools.lru_cache(maxsize=8)
def held_out(n: int, purpose: str):
    """Fresh faces (with their factors) that neither model saw. Drawn once per process: every
    rendering and every faces figure shares them (callers only read them)."""
    return make_faces(n, seeding.numpy_stream(f"data/faces/{purpose}"))


def load_vae(ctx):
    """The trained faces VAE (generator/models/face_vae.py) of a figure's or a model's ctx."""
    from generator.networks.conv_vae import conv_vae_from_artifact

    seeding.make_torch_deterministic()
    return conv_vae_from_artifact(ctx.model("face_vae"))


def encode(vae, images: np.ndarray) -> np.ndarray:
    """(n, 64, 64, 3) -> (n, latent) means of q(z|x)."""
    import torch

    from generator.networks.conv_vae import to_tensor

    with torch.no_grad():
        return np.concatenate([vae.encode(to_tensor(images[i:i + 500]))[0].numpy()
                               for i in range(0, len(images), 500)]).astype(np.float64)


def decode(vae, z: np.ndarray) -> np.ndarray:
    """(k, latent) -> (k, 64, 64, 3) images in [0, 1]."""
    import torch

    with torch.no_grad():
        logits = vae.decode(torch.from_numpy(np.asarray(z, dtype=np.float32)))
    return torch.sigmoid(logits).numpy().transpose(0, 2, 3, 1)


def base_face(test) -> int:
    """A held-out face with middling factors and dark hair (so hair and skin stand apart)."""
    target = np.array([0.5, 0.5, 0.5, 0.5, 0.8, 0.35])
    nearest = np.argsort(((test.factors - target) ** 2).sum(1))[:20]
    crown = test.images[nearest, 4:10, 26:38].mean(axis=(1, 2, 3))  # top of the head
    return int(nearest[np.argmin(crown)])
