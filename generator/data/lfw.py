"""The only real faces that install offline: 100 photos from Labeled Faces in the Wild (LFW),
25×25 grey, shipped in scikit-image. Items 100–199 of the same file are not faces
(background crops), so only the first 100 are used."""
from __future__ import annotations

import numpy as np

from generator.engine.errors import require_package

LFW_SIDE = 25
LFW_FACES = 100


def load_lfw() -> np.ndarray:
    """(100, 625) float32 grey faces in [0, 1], one row per face (row-major 25×25)."""
    data = require_package("skimage.data", "The LFW faces", package="scikit-image")
    faces = np.asarray(data.lfw_subset()[:LFW_FACES], dtype=np.float32)  # (100, 25, 25)
    return faces.reshape(LFW_FACES, LFW_SIDE * LFW_SIDE)
