"""Cartoon faces from the Avataaars set (art by Pablo Stanley) that ships in the robohash
package as "set5". Out of distribution for a model trained on our procedural human faces.

Robohash turns any string into the same picture every time, so `avatars(n)` is deterministic.
"""
from __future__ import annotations

import numpy as np

from generator.data.faces import BACKGROUND, SIDE
from generator.errors import require_package


def avatars(n: int) -> np.ndarray:
    """(n, 64, 64, 3) float32 cartoon faces on the procedural faces' background colour."""
    robohash = require_package("robohash", "The Avataaars cartoon faces")
    from PIL import Image

    images = []
    for index in range(n):
        maker = robohash.Robohash(f"manifold-explainer-face-{index}")
        maker.assemble(roboset="set5", sizex=256, sizey=256)
        background = Image.new("RGBA", maker.img.size, tuple(int(255 * c) for c in BACKGROUND) + (255,))
        picture = Image.alpha_composite(background, maker.img.convert("RGBA")).convert("RGB")
        images.append(np.asarray(picture.resize((SIDE, SIDE), Image.Resampling.LANCZOS)))
    return np.stack(images).astype(np.float32) / 255.0
