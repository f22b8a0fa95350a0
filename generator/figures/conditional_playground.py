"""Exports the conditional denoiser of the 2-D latent space for the in-browser playground.

Two files, written by the normal build (cached, in the manifest, byte-stable):
- prompt_denoiser.f16.gz: every weight and bias of the denoiser's MLP F as little-endian
  float16, gzip-compressed (the format of generator/networks/export.py);
- prompt_denoiser.json: the layers, the EDM scalings' σ_d, the frequencies of the noise-level
  embedding, the layout of the 19-value condition, the bilingual vocabulary, the sampler's
  noise levels, and the map of test digits. The playground decodes with the latent
  explorer's exported decoder (figures/latent_explorer/), named here as "decoder".

README.md ("The conditional denoiser export") shows how to run it with numpy alone;
`sample_exported` below (with networks/export.py's `edm_denoise`) is that reference, and the
browser test compares the JavaScript sampler with torch through it.
"""
from __future__ import annotations

import numpy as np

from generator.drawing import PROMPT_MAP_LIMIT as LIMIT
from generator.engine.registry import figure
from generator.networks.export import (
    edm_denoise,
    linear_layers,
    pack_layers,
    unpack_layers,
    weight_files,
    weights_header,
)
from generator.pipelines.prompts import (
    BLOCKS,
    DIGIT_WORDS,
    FILLERS,
    PARTICLES,
    UNCONDITIONAL,
    VOCABULARY,
    WIDTH,
)
from generator.pipelines.text_to_digit import DEFAULT_GUIDANCE, MODELS, SIGMA_MAX, Pipeline, test_codes

FORMAT = "manifold-explainer/conditional-denoiser/1"
WEIGHTS_FILE = "prompt_denoiser.f16.gz"
DECODER = "../latent_explorer/mnist_decoder.json"  # relative to this JSON file
PROBE_SIGMA = 1.0  # the noise level at which the playground draws a dragged point's arrow
# the playground's sampler: half the figures' 40 steps, so that a phone draws a prompt in a few
# seconds; its samples land close to the 40-step ones (tests/chapters/test_conditional.py)
PLAYGROUND_STEPS = 20


@figure("prompt_denoiser", kind="files", localized=False, models=MODELS,
        extensions=("json", "f16.gz"))
def prompt_denoiser(ctx):
    from generator.networks.diffusion import noise_levels

    trained = ctx.model("mnist_latent_diffusion")
    layers = linear_layers(trained, "net")
    described, values, weights = pack_layers(layers, ["silu"] * (len(layers) - 1) + ["none"])
    codes, labels = test_codes(Pipeline.from_context(ctx))
    description = {
        **weights_header(FORMAT, WEIGHTS_FILE, values),
        "decoder": DECODER,
        "dim": 2,
        "sigma_data": round(float(trained.info["sigma_data"]), 6),
        "frequencies": trained.arrays["state/frequencies"].tolist(),
        "input": "[c_in·x (2), sin(¼ ln σ · f) (k), cos(¼ ln σ · f) (k), condition (19)]",
        "layers": described,
        "condition": {"width": WIDTH, "blocks": [{"name": name, "size": size + 1, "none": size}
                                                 for name, size in BLOCKS]},
        "vocabulary": {lang: {word: list(meaning) for word, meaning in words.items()}
                       for lang, words in VOCABULARY.items()},
        "fillers": {lang: sorted(words) for lang, words in FILLERS.items()},
        "digit_words": DIGIT_WORDS,
        "particles": {lang: list(found) for lang, found in PARTICLES.items()},
        "sampler": {"kind": "probability-flow ODE, Heun", "steps": PLAYGROUND_STEPS, "sigma_max": SIGMA_MAX,
                    "sigmas": [round(float(s), 7) for s in noise_levels(PLAYGROUND_STEPS, SIGMA_MAX)]},
        "guidance": {"default": DEFAULT_GUIDANCE.w, "max": 8.0,
                     "interval": list(DEFAULT_GUIDANCE.interval) if DEFAULT_GUIDANCE.interval else None},
        "probe_sigma": PROBE_SIGMA,
        "map": {"limit": LIMIT,
                "points": [[round(float(a), 3), round(float(b), 3), int(label), int(thick), int(slant)]
                           for (a, b), label, thick, slant in zip(codes, labels, *test_styles(trained))],
                "point": "[z1, z2, digit, thickness class, slant class], the held-out test digits"},
    }
    files = weight_files(description, weights, ascii_only=False)  # the Korean words as they are
    ctx.metrics.update({"weights_bytes_gzip": len(files["f16.gz"]), "values": values,
                        "parameters": values})
    return files


def test_styles(trained) -> tuple[np.ndarray, np.ndarray]:
    """The test digits' thickness and slant classes, measured with the rulers (and the training
    digits' thickness cuts) that labelled the model's training data, so the playground can show
    the real digits that fit a whole prompt, style words included."""
    from generator.data.mnist import load_mnist
    from generator.data.mnist_style import SLANTED_DEGREES, UPRIGHT_DEGREES, slant_degrees, stroke_width
    from generator.engine.seeding import numpy_stream

    test = load_mnist(numpy_stream("data/mnist/split")).test
    width, degrees, cuts = stroke_width(test.images), slant_degrees(test.images), trained.arrays["width_cuts"]
    thickness = np.array([np.searchsorted(cuts[d], w, side="right") for d, w in zip(test.labels, width)])
    slant = np.full(len(test.labels), 2)
    slant[np.abs(degrees) <= UPRIGHT_DEGREES] = 0
    slant[degrees >= SLANTED_DEGREES] = 1
    return thickness, slant


# mirrored in JS: docs/assets/javascripts/prompt-model.js sample() — tests/widgets/test_prompt_playground.py compares them
def sample_exported(description: dict, compressed: bytes, start: np.ndarray, condition: np.ndarray,
                    guidance: float) -> np.ndarray:
    """The playground's sampler in numpy: (n, 2) start noise -> (steps + 1, n, 2) paths."""
    layers = unpack_layers(description["layers"], compressed)
    empty = UNCONDITIONAL.vector()
    low, high = description["guidance"]["interval"] or (0.0, np.inf)  # None: guidance at every σ

    def guess(x, sigma):
        with_prompt = edm_denoise(description, layers, x, sigma, condition)
        if guidance == 0 or not low < sigma <= high:  # guidance acts only inside its interval
            return with_prompt
        without = edm_denoise(description, layers, x, sigma, empty)
        return without + (1 + guidance) * (with_prompt - without)

    sigmas = description["sampler"]["sigmas"]
    x = start.astype(np.float32)
    path = [x]
    for sigma, sigma_next in zip(sigmas[:-1], sigmas[1:]):
        # dx/dσ = (x − D(x; σ)) / σ: an Euler step, then Heun's correction unless σ' = 0
        slope = (x - guess(x, sigma)) / np.float32(sigma)
        x_next = x + np.float32(sigma_next - sigma) * slope
        if sigma_next > 0:
            slope_next = (x_next - guess(x_next, sigma_next)) / np.float32(sigma_next)
            x_next = x + np.float32(sigma_next - sigma) * 0.5 * (slope + slope_next)
        x = x_next
        path.append(x)
    return np.stack(path)
