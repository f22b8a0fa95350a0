"""Exports the faces VAE's decoder for the face explorer in the page (face-explorer.js).

Two files, written by the normal build (cached, in the manifest, byte-stable):
- face_decoder.json: the first layer (latent → 4×4 image of many channels) in the "layers"
  list that mlp.js reads, the transposed convolutions in "convolutions", the names of the
  named axes in both languages, and the codes of a few held-out faces to start from;
- face_decoder.f16.gz: every weight and bias as little-endian float16, gzip-compressed.
A transposed convolution's weight has torch's shape (in, out, 4, 4), row-major; it runs with
stride 2 and padding 1, so each one doubles the image's side. `decode_exported` below is the
reference implementation in numpy, which tests/widgets/test_face_explorer.py compares with the JavaScript.
"""
from __future__ import annotations

import numpy as np

from generator.data.faces import FACTORS
from generator.drawing import FACTOR_NAMES
from generator.engine.registry import figure
from generator.networks.export import weight_files, weights_header
from generator.pipelines.face_codes import base_face, encode, held_out, load_vae

FORMAT = "manifold-explainer/decoder-conv/1"
WEIGHTS_FILE = "face_decoder.f16.gz"
START_FACES = 12  # "another face" cycles through these held-out faces


def decoder_parts(artifact) -> tuple[tuple, list[tuple]]:
    """(the first linear layer, [each transposed convolution]) as (name, weight, bias)."""
    arrays = artifact.arrays
    linear = ("from_latent", arrays["state/from_latent.weight"], arrays["state/from_latent.bias"])
    names = sorted({key.split(".")[1] for key in arrays if key.startswith("state/decoder.")}, key=int)
    convolutions = [(f"decoder.{n}", arrays[f"state/decoder.{n}.weight"], arrays[f"state/decoder.{n}.bias"])
                    for n in names]
    return linear, convolutions


@figure("face_decoder", kind="files", localized=False, models=("face_vae",),
        extensions=("json", "f16.gz"))
def face_decoder(ctx):
    artifact = ctx.model("face_vae")
    (name, weight, bias), convolutions = decoder_parts(artifact)
    chunks, offset = [weight.astype("<f2").ravel(), bias.astype("<f2")], weight.size + bias.size
    layers = [{"name": name, "in": int(weight.shape[1]), "out": int(weight.shape[0]),
               "weight_offset": 0, "bias_offset": int(weight.size), "activation": "none"}]
    described = []
    for k, (conv_name, conv_weight, conv_bias) in enumerate(convolutions):
        described.append({"name": conv_name, "in": int(conv_weight.shape[0]), "out": int(conv_weight.shape[1]),
                          "kernel": 4, "stride": 2, "padding": 1, "weight_offset": int(offset),
                          "bias_offset": int(offset + conv_weight.size),
                          "activation": "sigmoid" if k == len(convolutions) - 1 else "silu"})
        chunks += [conv_weight.astype("<f2").ravel(), conv_bias.astype("<f2")]
        offset += conv_weight.size + conv_bias.size
    weights = np.concatenate(chunks).tobytes()
    test = held_out(200 if ctx.smoke else 1000, "probe_test")
    first = base_face(test)  # the face of the chapter's figures comes first
    chosen = [first] + [i for i in range(START_FACES) if i != first][: START_FACES - 1]
    codes = encode(load_vae(ctx), test.images[chosen])
    info = artifact.info
    description = {
        **weights_header(FORMAT, WEIGHTS_FILE, int(offset)),
        "latent": info["latent"], "side": info["side"], "start_size": info["side"] // 2 ** len(convolutions),
        "start_channels": int(convolutions[0][1].shape[0]),
        "scale": 12 ** 0.5,
        "factors": [{"name": f, "ko": FACTOR_NAMES[f][0], "en": FACTOR_NAMES[f][1]} for f in FACTORS],
        "layers": layers, "convolutions": described,
        "faces": [[round(float(v), 4) for v in code] for code in codes],
        "output": {"order": "row-major, channels last (r, g, b)", "meaning": "colour in [0, 1]"},
    }
    files = weight_files(description, weights)
    ctx.metrics["weights_bytes_gzip"] = len(files["f16.gz"])
    ctx.metrics["values"] = int(offset)
    return files


# mirrored in JS: docs/assets/javascripts/face-explorer.js decode() — tests/widgets/test_face_explorer.py compares them
def decode_exported(description: dict, compressed: bytes, z: np.ndarray) -> np.ndarray:
    """Reference decoder from the exported files alone: (k, latent) -> (k, side, side, 3)."""
    import gzip

    import torch

    values = torch.from_numpy(np.frombuffer(gzip.decompress(compressed), dtype="<f2").astype(np.float32))
    first = description["layers"][0]
    weight = values[first["weight_offset"]: first["bias_offset"]].reshape(first["out"], first["in"])
    bias = values[first["bias_offset"]: first["bias_offset"] + first["out"]]
    size = description["start_size"]
    # h = W z + b, seen as (channels, 4, 4)
    h = (torch.from_numpy(np.asarray(z, dtype=np.float32)) @ weight.T + bias).reshape(
        len(z), description["start_channels"], size, size)
    for layer in description["convolutions"]:
        w = values[layer["weight_offset"]: layer["bias_offset"]].reshape(layer["in"], layer["out"], 4, 4)
        b = values[layer["bias_offset"]: layer["bias_offset"] + layer["out"]]
        h = torch.nn.functional.conv_transpose2d(h, w, b, stride=2, padding=1)
        h = torch.sigmoid(h) if layer["activation"] == "sigmoid" else torch.nn.functional.silu(h)
    return h.numpy().transpose(0, 2, 3, 1)
