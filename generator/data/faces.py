"""Procedural faces with known, continuous factors: the data of the faces chapter.

No package ships a large set of real faces, so we draw them. Every face is a few shapes
(head, ears, neck, hair, eyes, brows, nose, mouth) given as signed distance functions and
filled with analytic anti-aliasing (each pixel covered in proportion to how far inside the
edge it lies). Six factors, each a number in [0, 1], are recorded with every image so we can
measure what a model learned:

    eye_size, nose_size, smile (0 frown, 0.5 straight, 1 smile), face_width,
    hair (0 = bald), skin_tone (0 light, 1 dark)

Hair, eye and shirt colour (from small palettes), eye spacing and mouth width vary at random
too, so that no two faces look alike; the background and the position stay fixed, so that the
model spends its capacity on the face. `style="anime"` draws faces from
the same parts with proportions no human face has (huge eyes, tiny nose and mouth, a pointed
chin, bright hair): out of distribution for a model trained on the human style.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIDE = 64  # pixels per side
FACTORS = ("eye_size", "nose_size", "smile", "face_width", "hair", "skin_tone")
SKIN_LIGHT = np.array([0.97, 0.85, 0.74])
SKIN_DARK = np.array([0.40, 0.26, 0.18])
HUMAN_HAIR = np.array([[0.10, 0.08, 0.07], [0.30, 0.19, 0.11], [0.55, 0.36, 0.20],
                       [0.85, 0.70, 0.42], [0.62, 0.62, 0.62], [0.50, 0.20, 0.10]])
BACKGROUND = np.array([0.90, 0.92, 0.95])
SHIRTS = np.array([[0.25, 0.35, 0.55], [0.55, 0.25, 0.25], [0.30, 0.50, 0.35], [0.45, 0.45, 0.45],
                   [0.80, 0.65, 0.30]])
ANIME_HAIR = np.array([[0.98, 0.45, 0.70], [0.35, 0.60, 1.00], [0.55, 0.90, 0.60],
                       [0.75, 0.50, 1.00], [1.00, 0.75, 0.25]])


@dataclass
class Faces:
    images: np.ndarray  # (n, 64, 64, 3) float32 in [0, 1]
    factors: np.ndarray  # (n, 6) float64 in [0, 1], columns in FACTORS order


def make_faces(n: int, rng: np.random.Generator, style: str = "human",
               factors: np.ndarray | None = None, chunk: int = 500) -> Faces:
    """n faces; factors drawn uniformly unless given as an (n, 6) array."""
    if style not in ("human", "anime"):
        raise ValueError(f"style must be 'human' or 'anime', not {style!r}")
    if factors is None:
        factors = rng.random((n, len(FACTORS)))
    factors = np.asarray(factors, dtype=np.float64)
    nuisance = draw_nuisance(n, rng, style)
    images = np.empty((n, SIDE, SIDE, 3), dtype=np.float32)
    for start in range(0, n, chunk):
        part = slice(start, start + chunk)
        images[part] = render(factors[part], {k: v[part] for k, v in nuisance.items()}, style)
    return Faces(images, factors)


def draw_nuisance(n: int, rng: np.random.Generator, style: str) -> dict:
    hair_colours = HUMAN_HAIR if style == "human" else ANIME_HAIR
    return {
        "hair_colour": hair_colours[rng.integers(len(hair_colours), size=n)]
        * rng.uniform(0.85, 1.1, (n, 1)),
        "background": np.tile(BACKGROUND, (n, 1)),
        "shirt": SHIRTS[rng.integers(len(SHIRTS), size=n)],
        "iris": rng.choice([0.15, 0.35, 0.55], size=(n, 1)) * np.array([[0.9, 1.0, 1.3]]),
        "eye_spacing": rng.uniform(0.25, 0.33, n),
        "mouth_width": rng.uniform(0.22, 0.28, n),
        "shift": np.zeros((n, 2)),
    }


def coverage(distance: np.ndarray) -> np.ndarray:
    """Signed distance (negative inside) -> how much of the pixel the shape covers, 0 to 1."""
    pixel = 2.0 / SIDE
    return np.clip(0.5 - distance / pixel, 0.0, 1.0)


def ellipse(x, y, cx, cy, rx, ry):
    """Approximate signed distance to an axis-aligned ellipse (good enough at the edge)."""
    rx, ry = np.maximum(rx, 1e-3), np.maximum(ry, 1e-3)
    # d ≈ (‖((x−cx)/rx, (y−cy)/ry)‖ − 1) · min(rx, ry)
    return (np.hypot((x - cx) / rx, (y - cy) / ry) - 1.0) * np.minimum(rx, ry)


def paint(canvas, colour, amount):
    """Blend `colour` (n, 3) onto canvas (n, H, W, 3) where `amount` (n, H, W) says."""
    a = amount[..., None]
    canvas *= 1 - a
    canvas += a * colour[:, None, None, :]


def render(f: np.ndarray, nz: dict, style: str) -> np.ndarray:
    """Draw a batch: f (n, 6) factors, nz the nuisance draws -> (n, 64, 64, 3)."""
    n = len(f)
    grid = (np.arange(SIDE) + 0.5) / SIDE * 2 - 1  # pixel centres in [−1, 1]
    x = grid[None, None, :] - nz["shift"][:, 0, None, None]  # (n, 1, W)
    y = grid[None, :, None] - nz["shift"][:, 1, None, None]  # (n, H, 1), +y points down
    col = {name: f[:, i, None, None] for i, name in enumerate(FACTORS)}  # each (n, 1, 1)
    anime = style == "anime"
    skin = SKIN_LIGHT + f[:, 5:6] * (SKIN_DARK - SKIN_LIGHT)  # (n, 3)

    head_rx = 0.50 + 0.20 * col["face_width"]
    head_ry, head_cy = 0.66, 0.0
    canvas = np.broadcast_to(nz["background"][:, None, None, :], (n, SIDE, SIDE, 3)).copy()

    # shoulders and neck
    paint(canvas, nz["shirt"], coverage(ellipse(x, y, 0, 1.25, 0.95, 0.45)))
    paint(canvas, skin * 0.9, coverage(np.maximum(np.abs(x) - 0.2, y - 0.95) * (y > 0.3)
                                      + (y <= 0.3) * 1.0))
    # hair behind the head: grows outward and down the sides with the hair amount
    hair = col["hair"]
    volume = coverage(ellipse(x, y, 0, head_cy - 0.05, head_rx + 0.14 * hair, head_ry + 0.1 * hair))
    paint(canvas, nz["hair_colour"], volume * (y < head_cy + 0.25 * hair - 0.2) * (hair > 0.02))
    # ears, then the face itself
    for side in (-1, 1):
        paint(canvas, skin * 0.95, coverage(ellipse(x, y, side * head_rx, 0.05, 0.08, 0.13)))
    if anime:  # a pointed chin: the lower half narrows to a point
        lower = np.maximum(ellipse(x, y, 0, head_cy, head_rx, head_ry),
                           (np.abs(x) * 1.1 + (y - head_cy) * 0.75 - head_rx * 0.95) * (y > 0.1))
        face = coverage(np.where(y > 0.1, lower, ellipse(x, y, 0, head_cy, head_rx, head_ry)))
    else:
        face = coverage(ellipse(x, y, 0, head_cy, head_rx, head_ry))
    paint(canvas, skin, face)
    # hair on the head: covers the scalp down to a hairline that falls as hair grows
    hairline = head_cy - head_ry + hair * 0.5  # 0: no hair at all (bald)
    fringe = coverage(ellipse(x, y, 0, head_cy, head_rx * 1.02, head_ry * 1.02))
    paint(canvas, nz["hair_colour"], fringe * coverage(y - hairline) * (hair > 0.02))

    # eyes: white, iris, pupil; brows above
    eye_r = (0.17 + 0.03 * col["eye_size"]) if anime else (0.07 + 0.08 * col["eye_size"])
    eye_y = 0.0 if not anime else 0.1
    for side in (-1, 1):
        ex = side * nz["eye_spacing"][:, None, None] * (1.15 if anime else 1.0)
        white = coverage(ellipse(x, y, ex, eye_y, eye_r * 1.25, eye_r * (1.3 if anime else 0.8)))
        paint(canvas, np.ones((n, 3)), white)
        paint(canvas, nz["iris"], white * coverage(ellipse(x, y, ex, eye_y, eye_r * 0.7, eye_r * 0.8)))
        paint(canvas, np.zeros((n, 3)), coverage(ellipse(x, y, ex, eye_y, eye_r * 0.3, eye_r * 0.35)))
        if anime:  # the big highlight of the anime style
            paint(canvas, np.ones((n, 3)), coverage(ellipse(x, y, ex - 0.3 * eye_r, eye_y - 0.35 * eye_r,
                                                            eye_r * 0.22, eye_r * 0.22)))
        brow_y = eye_y - eye_r * (1.5 if anime else 1.2) - 0.05
        brow = np.abs(y - brow_y + 0.5 * (x - ex) ** 2) - 0.018
        paint(canvas, nz["hair_colour"] * 0.7, coverage(np.maximum(brow, np.abs(x - ex) - eye_r * 1.2)))
    # nose: a shaded drop shape whose length and width grow together
    nose = (0.02 + 0.02 * col["nose_size"]) if anime else (0.05 + 0.13 * col["nose_size"])
    nose_top, nose_cy = 0.05, 0.08 + nose * 0.9
    shade = coverage(ellipse(x, y, 0, nose_cy, nose * 0.45, nose * 0.9)) * (y > nose_top)
    paint(canvas, skin * 0.6, shade)
    for side in (-1, 1):  # nostrils
        paint(canvas, skin * 0.45, coverage(ellipse(x, y, side * nose * 0.25, nose_cy + nose * 0.7,
                                                    nose * 0.12 + 0.01, nose * 0.07 + 0.008)))
    # mouth: a curved stroke; y = y₀ − c·x²  (c > 0 smiles, c < 0 frowns)
    width = nz["mouth_width"][:, None, None] * (0.4 if anime else 1.0)
    mouth_y = 0.47 if not anime else 0.45  # the mouth stays put; the nose grows down toward it
    curve = (col["smile"] - 0.5) * 6.0
    stroke = np.abs(y - (mouth_y - curve * (x ** 2 - width ** 2))) - 0.05
    lips = np.maximum(stroke, np.abs(x) - width)
    paint(canvas, np.tile([[0.62, 0.12, 0.16]], (n, 1)), coverage(lips))
    return np.clip(canvas, 0.0, 1.0).astype(np.float32)
