"""Packing trained MLPs for the browser: float16 weights in one gzip file, layers in JSON.

Used by the widgets' exports (generator/figures/latent_explorer.py for the MNIST decoder,
generator/figures/conditional_playground.py for the conditional denoiser, and
generator/figures/face_explorer.py for the faces decoder, whose convolutions it packs itself). Each layer is
described as {name, in, out, weight_offset, bias_offset, activation}: offsets count values,
not bytes, and a weight is stored row-major with shape (out, in), so that the layer computes
y = activation(W x + b). README.md ("The decoder export format") documents it for readers.
"""
from __future__ import annotations

import gzip
import json

import numpy as np


def linear_layers(artifact, prefix: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, weight (out, in), bias (out,)) of every Linear layer under `prefix` (e.g.
    "decoder" or "net"), in the network's order."""
    names = sorted({key[len("state/"):].rsplit(".", 1)[0] for key in artifact.arrays
                    if key.startswith(f"state/{prefix}.") and key.endswith(".weight")},
                   key=lambda n: int(n.split(".")[1]))
    return [(name, artifact.arrays[f"state/{name}.weight"], artifact.arrays[f"state/{name}.bias"])
            for name in names]


def pack_layers(layers, activations: list[str]) -> tuple[list[dict], int, bytes]:
    """-> (layer descriptions, number of values, the float16 little-endian bytes, unzipped)."""
    described, chunks, offset = [], [], 0
    for (name, weight, bias), activation in zip(layers, activations):
        described.append({"name": name, "in": int(weight.shape[1]), "out": int(weight.shape[0]),
                          "weight_offset": offset, "bias_offset": offset + weight.size,
                          "activation": activation})
        chunks += [weight.astype("<f2").ravel(), bias.astype("<f2")]
        offset += weight.size + bias.size
    return described, offset, np.concatenate(chunks).tobytes()


def gzip_bytes(data: bytes) -> bytes:
    """gzip with mtime 0, so the same data always gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def weights_header(format_name: str, weights_file: str, values: int) -> dict:
    """The fields every exported description starts with: its format, and what the weights file
    next to it is and holds."""
    return {"format": format_name, "weights": weights_file, "compression": "gzip",
            "dtype": "float16, little-endian", "values": values}


def weight_files(description: dict, weights: bytes, ascii_only: bool = True) -> dict:
    """{"json": the description, one line of compact JSON, "f16.gz": the gzipped weights}."""
    text = json.dumps(description, ensure_ascii=ascii_only, separators=(",", ":")) + "\n"
    return {"json": text.encode(), "f16.gz": gzip_bytes(weights)}


def unpack_layers(described: list[dict], compressed: bytes) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """The reverse of pack_layers, as float32: [(weight (out, in), bias (out,), activation)]."""
    values = np.frombuffer(gzip.decompress(compressed), dtype="<f2").astype(np.float32)
    layers = []
    for layer in described:
        size = layer["out"] * layer["in"]
        weight = values[layer["weight_offset"]: layer["weight_offset"] + size].reshape(layer["out"], layer["in"])
        bias = values[layer["bias_offset"]: layer["bias_offset"] + layer["out"]]
        layers.append((weight, bias, layer["activation"]))
    return layers


def activate(h: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return np.maximum(h, 0)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-h))
    if activation == "silu":  # x · sigmoid(x); far below zero exp(−x) overflows to inf: x / inf = −0
        with np.errstate(over="ignore"):
            return h / (1 + np.exp(-h))
    if activation == "softmax":  # exp(hᵢ) / Σⱼ exp(hⱼ), per row
        shifted = np.exp(h - h.max(axis=-1, keepdims=True))
        return shifted / shifted.sum(axis=-1, keepdims=True)
    return h  # "none"


# mirrored in JS: docs/assets/javascripts/mlp.js forward() — tests/widgets/test_latent_explorer.py compares them
def forward(layers, h: np.ndarray) -> np.ndarray:
    """Run unpacked layers on a batch h (k, in): y = activation(W h + b), layer by layer."""
    for weight, bias, activation in layers:
        h = activate(h @ weight.T + bias, activation)
    return h


# mirrored in JS: docs/assets/javascripts/mlp.js edmDenoiser() — tests/widgets/test_noise_split.py compares them
def edm_denoise(description: dict, layers, x: np.ndarray, sigma: float,
                condition: np.ndarray) -> np.ndarray:
    """D(x; σ, c) of an exported EDM denoiser (networks/diffusion.py's Denoiser): x (n, dim)
    noisy points, `layers` from unpack_layers, condition (width,) -> (n, dim) guesses."""
    sigma_data = np.float32(description["sigma_data"])
    sigma = np.float32(sigma)
    total = sigma ** 2 + sigma_data ** 2
    # c_skip = σ_d² / (σ² + σ_d²), c_out = σ σ_d / √(σ² + σ_d²), c_in = 1 / √(σ² + σ_d²)
    c_skip, c_out, c_in = sigma_data ** 2 / total, sigma * sigma_data / np.sqrt(total), 1 / np.sqrt(total)
    phase = np.float32(0.25) * np.log(sigma) * np.asarray(description["frequencies"], np.float32)
    features = np.concatenate([c_in * x, np.broadcast_to(np.sin(phase), (len(x), len(phase))),
                               np.broadcast_to(np.cos(phase), (len(x), len(phase))),
                               np.broadcast_to(condition, (len(x), len(condition)))], axis=1)
    return c_skip * x + c_out * forward(layers, features.astype(np.float32))
