"""The miniature text-to-image pipeline, end to end, for the conditional chapter's figures:

    prompt ──parse──▶ condition (19 values) ──guided denoising in the VAE's 2-D latent space──▶
    code z ──VAE decoder──▶ 28×28 image ──digit reader──▶ "which digit is this?"

The pieces are trained elsewhere (generator/models/mnist_vae.py, mnist_latent_diffusion.py,
mnist_reader.py); this module only wires them together so that every figure samples, decodes
and measures in the same way.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.data.mnist import load_mnist
from generator.engine import seeding
from generator.engine.seeding import numpy_stream
from generator.pipelines.prompts import UNCONDITIONAL, Condition

SIGMA_MAX = 4.0  # start noise N(0, σ_max² I): about three times the spread of the codes
STEPS = 40  # denoising steps (Heun's method: two denoiser calls per step)
GUIDANCE_INTERVAL = (0.2, 1.2)  # guidance limited to σ in (0.2, 1.2]: the middle of the 40 steps


@dataclass(frozen=True)
class Guidance:
    """Classifier-free guidance of weight w, acting only while σ_lo < σ ≤ σ_hi when an
    interval is given (Kynkäänniemi et al., NeurIPS 2024), at every σ otherwise."""

    w: float
    interval: tuple[float, float] | None = None

    def describe(self) -> dict:
        return {"w": self.w, "interval": list(self.interval) if self.interval else None}


def as_guidance(guidance: float | Guidance) -> Guidance:
    """A bare number w is plain guidance at every σ."""
    return guidance if isinstance(guidance, Guidance) else Guidance(float(guidance))


# The chapter's default: what the rule of generator/figures/conditional_tradeoff.py picks on the
# 2-D map, plain guidance at w = 2 (a test holds the two equal)
DEFAULT_GUIDANCE = Guidance(2.0)
MODELS = ("mnist_vae", "mnist_latent_diffusion", "mnist_reader")  # the 2-D pipeline
MODELS_8D = ("mnist_vae_8d", "mnist_latent_diffusion_8d", "mnist_reader")  # its 8-D sibling


def rounded_share(values) -> float:
    """The share of true values (or the mean), rounded as the manifest records it."""
    return round(float(np.mean(values)), 3)


@dataclass
class Pipeline:
    vae: object  # generator.networks.vae.VAE
    denoiser: object  # generator.networks.diffusion.Denoiser with a condition input
    reader: object  # generator.networks.digit_cnn.DigitCNN

    @classmethod
    def from_context(cls, ctx, denoiser: str = "mnist_latent_diffusion") -> "Pipeline":
        """The pipeline around the named denoiser and the autoencoder it was trained on."""
        from generator.networks.diffusion import denoiser_from_artifact
        from generator.networks.digit_cnn import reader_from_artifact
        from generator.networks.vae import vae_from_artifact

        seeding.make_torch_deterministic()
        trained = ctx.model(denoiser)
        return cls(vae_from_artifact(ctx.model(trained.info["autoencoder"])),
                   denoiser_from_artifact(trained), reader_from_artifact(ctx.model("mnist_reader")))

    def denoiser_for(self, condition: Condition, guidance: float | Guidance):
        """A function (x, σ) -> guesses of the clean code, for one prompt and its guidance."""
        import torch

        from generator.networks.diffusion import guided

        vector = torch.from_numpy(condition.vector())
        setting = as_guidance(0.0 if condition == UNCONDITIONAL else guidance)  # no prompt: plain
        return guided(self.denoiser, vector, torch.from_numpy(UNCONDITIONAL.vector()), setting.w,
                      setting.interval)

    def start_noise(self, n_points: int, stream: str) -> np.ndarray:
        """(n, dim) pure noise N(0, σ_max² I) from the named torch stream."""
        import torch

        generator = seeding.torch_stream(stream)
        return (SIGMA_MAX * torch.randn(n_points, self.denoiser.dim, generator=generator)).numpy()

    def paths(self, condition: Condition, guidance: float | Guidance, start: np.ndarray,
              steps: int = STEPS) -> np.ndarray:
        """(steps + 1, n, dim): every point's way from its start noise to its code (noise-free
        ODE sampler, so the same start and prompt always give the same code)."""
        import torch

        from generator.networks.diffusion import sample

        path = sample(self.denoiser_for(condition, guidance), len(start), steps, None,
                      stochastic=False, sigma_max=SIGMA_MAX, start=torch.from_numpy(start),
                      dim=self.denoiser.dim)
        return path.numpy()

    def codes(self, condition: Condition, guidance: float | Guidance, start: np.ndarray) -> np.ndarray:
        return self.paths(condition, guidance, start)[-1]  # (n, dim)

    def prompt_codes(self, conditions: list[Condition], guidance: float | Guidance,
                     start: np.ndarray) -> np.ndarray:
        """(k, n, dim): for each of k prompts, the codes of the same start noise (n, dim), all
        sampled in one batch: the codes of `codes`, one prompt at a time, up to float rounding
        (a matrix product of another size may add in another order; at the figures' sizes the
        results here were bit for bit the same). The batch saves the per-step overhead of k
        separate runs."""
        import torch

        from generator.networks.diffusion import guided, sample

        if UNCONDITIONAL in conditions:  # it is sampled without guidance: use `codes` for it
            raise ValueError("prompt_codes takes prompts, not the empty prompt")
        n, k = len(start), len(conditions)
        vectors = np.repeat(np.stack([c.vector() for c in conditions]), n, axis=0)  # (k·n, width)
        setting = as_guidance(guidance)
        denoise = guided(self.denoiser, torch.from_numpy(vectors),
                         torch.from_numpy(UNCONDITIONAL.vector()), setting.w, setting.interval)
        batch = torch.from_numpy(np.tile(start, (k, 1)))  # prompt-major: rows j·n … j·n + n − 1
        path = sample(denoise, k * n, STEPS, None, stochastic=False, sigma_max=SIGMA_MAX,
                      start=batch, dim=self.denoiser.dim)
        return path[-1].numpy().reshape(k, n, -1)

    def arrows(self, condition: Condition, guidance: float | Guidance, x: np.ndarray, sigma: float) -> np.ndarray:
        """(n, 2) the denoiser's arrow D(x; σ, c) − x at noisy codes x: the noise it would remove."""
        import torch

        with torch.no_grad():
            points = torch.from_numpy(x.astype(np.float32))
            guess = self.denoiser_for(condition, guidance)(points, torch.full((len(x),), sigma))
        return guess.numpy() - x

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """(n, dim) codes -> (n, 28, 28) images (probability of ink per pixel)."""
        import torch

        with torch.no_grad():
            logits = self.vae.decode(torch.from_numpy(codes.astype(np.float32)))
        return torch.sigmoid(logits).numpy().reshape(-1, 28, 28)

    def encode(self, images: np.ndarray) -> np.ndarray:
        """(n, 784) images -> (n, dim) posterior means."""
        import torch

        with torch.no_grad():
            mean, _ = self.vae.encode(torch.from_numpy(images.reshape(len(images), -1)))
        return mean.numpy()

    def read(self, images: np.ndarray) -> np.ndarray:
        """(n, 28, 28) images -> (n,) the digit the independent reader sees in each."""
        from generator.networks.digit_cnn import read_probabilities

        return read_probabilities(self.reader, images.reshape(len(images), -1)).argmax(dim=1).numpy()


def mean_pairwise_distance(codes: np.ndarray) -> float:
    """Diversity of a set of codes: the mean distance between two different samples."""
    from scipy.spatial.distance import pdist

    return float(pdist(codes).mean())


def test_codes(pipeline: Pipeline) -> tuple[np.ndarray, np.ndarray]:
    """(500, 2) codes of the held-out test digits and (500,) their labels: the map's dots."""
    test = load_mnist(numpy_stream("data/mnist/split")).test
    return pipeline.encode(test.images), test.labels
