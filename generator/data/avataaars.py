"""Cartoon faces from the Avataaars set (art by Pablo Stanley) that ships in the robohash
package as "set5". Out of distribution for a model trained on our procedural human faces.

Robohash turns any string into the same picture every time, so `avatars(n)` is deterministic.
"""
from __future__ import annotations

import functools
import os

import numpy as np

from generator.data.faces import BACKGROUND, SIDE
from generator.engine.errors import require_package


@functools.lru_cache(maxsize=None)
def part_files(folder: str) -> tuple[tuple[str, ...], ...]:
    """The files of each part folder (eyes, mouth, ...) under a robohash set, in robohash's own
    natural order. Robohash lists and sorts its whole set again for every picture, which is 95%
    of its time (a second per face); the listing never changes, so it is made once here."""
    natsort = require_package("natsort", "The Avataaars cartoon faces")
    parts = natsort.natsorted(os.path.join(root, name) for root, names, _ in os.walk(folder)
                              for name in names if not name.startswith("."))
    return tuple(tuple(natsort.natsorted(os.path.join(part, file) for file in os.listdir(part)))
                 for part in parts)


def robohash_maker(text: str):
    """A robohash.Robohash for `text` that picks its parts from the listing made once."""
    robohash = require_package("robohash", "The Avataaars cartoon faces")

    class ListedOnce(robohash.Robohash):
        def _get_list_of_files(self, path: str) -> list[str]:
            # the same choice as robohash: part i takes file (hash value i) mod (files in part i)
            chosen = []
            for files in part_files(path):
                chosen.append(files[self.hasharray[self.iter] % len(files)])
                self.iter += 1
            return chosen

    return ListedOnce(text)


def avatars(n: int) -> np.ndarray:
    """(n, 64, 64, 3) float32 cartoon faces on the procedural faces' background colour."""
    from PIL import Image

    images = []
    for index in range(n):
        maker = robohash_maker(f"manifold-explainer-face-{index}")
        maker.assemble(roboset="set5", sizex=256, sizey=256)
        background = Image.new("RGBA", maker.img.size, tuple(int(255 * c) for c in BACKGROUND) + (255,))
        picture = Image.alpha_composite(background, maker.img.convert("RGBA")).convert("RGB")
        images.append(np.asarray(picture.resize((SIDE, SIDE), Image.Resampling.LANCZOS)))
    return np.stack(images).astype(np.float32) / 255.0
