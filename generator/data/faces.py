"""Procedural faces with known, continuous factors: the data of the faces chapter.

No package ships a large set of real faces with labels, so we draw them. Every face is a few
shapes (head, ears, neck, hair, eyes, brows, nose, mouth) given as signed distance functions and
filled with analytic anti-aliasing (each pixel covered in proportion to how far inside the
edge it lies), with soft shading on the face, a blush, lids and eye highlights. Six factors,
each a number in [0, 1] and each plainly visible over its whole range, are recorded with every
image so we can measure what a model learned:

    eye_size (0 tiny → 1 very large), nose_size (0 a dot → 1 long and wide),
    smile (0 frown, 0.5 straight, 1 smile), face_width, hair (0 bald → 1 full and thick),
    skin_tone (0 light, 1 dark)

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
PIXEL = 2.0 / SIDE  # one pixel, in the drawing's coordinates (x and y run from −1 to 1)
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
    nuisance: dict  # what else was drawn at random (colours, spacing, …): name -> (n, …)

    def redrawn(self, index: int, factors: np.ndarray, style: str = "human") -> np.ndarray:
        """Face `index` drawn again with other factors (k, 6), all else the same: (k, 64, 64, 3)."""
        factors = np.atleast_2d(factors)
        same = {key: np.repeat(value[index:index + 1], len(factors), axis=0)
                for key, value in self.nuisance.items()}
        return render(factors, same, style)


def make_faces(n: int, rng: np.random.Generator, style: str = "human",
               factors: np.ndarray | None = None, chunk: int = 50) -> Faces:
    """n faces; factors drawn uniformly unless given as an (n, 6) array. They are drawn `chunk`
    at a time: every face comes out the same whatever the chunk, and small chunks are faster
    (their arrays stay in the CPU's cache, and each shape touches a smaller box of pixels)."""
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
    return Faces(images, factors, nuisance)


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


def clip_in_place(values: np.ndarray) -> np.ndarray:
    """values clipped to [0, 1], computed in place (the same numbers as np.clip, in a fraction
    of its time on arrays of a whole batch of faces)."""
    np.maximum(values, 0.0, out=values)
    return np.minimum(values, 1.0, out=values)


def coverage(distance: np.ndarray) -> np.ndarray:
    """Signed distance (negative inside) -> how much of the pixel the shape covers, 0 to 1."""
    # c = clip(½ − d / pixel, 0, 1)
    return soft(distance, PIXEL)


def ellipse(x, y, cx, cy, rx, ry):
    """Approximate signed distance to an axis-aligned ellipse (good enough at the edge)."""
    rx, ry = np.maximum(rx, 1e-3), np.maximum(ry, 1e-3)
    # d ≈ (‖((x−cx)/rx, (y−cy)/ry)‖ − 1) · min(rx, ry)
    distance = np.hypot((x - cx) / rx, (y - cy) / ry)
    distance -= 1.0
    distance *= np.minimum(rx, ry)
    return distance


def soft_ellipse(x, y, cx, cy, rx, ry, width: float = PIXEL) -> np.ndarray:
    """soft(ellipse(x, y, cx, cy, rx, ry), width), number for number (with the default width:
    the ellipse's coverage), but computed only in the rows and columns where some face of the
    batch can get more than 0: an eye or a nostril touches a few dozen of the 4,096 pixels."""
    rx_, ry_ = np.maximum(rx, 1e-3), np.maximum(ry, 1e-3)
    # beyond ‖((x−cx)/rx, (y−cy)/ry)‖ = 1 + width / min(rx, ry) the distance is a whole width
    # or more (twice what the ramp needs to reach 0, a margin for rounding)
    reach = 1 + width / np.minimum(rx_, ry_)
    columns = np.flatnonzero((np.abs(x - cx) < rx_ * reach).any(axis=(0, 1)))  # x: (n, 1, W)
    rows = np.flatnonzero((np.abs(y - cy) < ry_ * reach).any(axis=(0, 2)))  # y: (n, H, 1)
    ramp = np.zeros((max(len(x), len(y)), y.shape[1], x.shape[2]))  # (n, H, W)
    if columns.size and rows.size:
        box = (slice(None), slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1))
        ramp[box] = soft(ellipse(x[:, :, box[2]], y[:, box[1], :], cx, cy, rx, ry), width)
    return ramp


def paint(canvas, colour, amount):
    """Blend `colour` (n, 3) onto canvas (n, H, W, 3) where `amount` (n, H, W) says.
    Only the box of pixels the shape touches in some face is blended (the rest would stay as they are
    anyway): eyes, nose and mouth cover a few rows, so drawing is several times faster."""
    amount = np.broadcast_to(amount, canvas.shape[:3])
    touched = amount.any(axis=0)  # (H, W)
    rows, columns = np.flatnonzero(touched.any(axis=1)), np.flatnonzero(touched.any(axis=0))
    if rows.size == 0:
        return
    box = (slice(None), slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1))
    a = amount[box][..., None]
    # canvas ← (1 − a)·canvas + a·colour
    canvas[box] *= 1 - a
    canvas[box] += a * colour[:, None, None, :]


def soft(distance, width):
    """A soft edge: 1 well inside, 0 well outside, a smooth ramp `width` wide at the edge."""
    # s = clip(½ − d / width, 0, 1)
    ramp = np.divide(distance, width)
    return clip_in_place(np.subtract(0.5, ramp, out=ramp))


def render(f: np.ndarray, nz: dict, style: str) -> np.ndarray:
    """Draw a batch: f (n, 6) factors, nz the nuisance draws -> (n, 64, 64, 3)."""
    canvas, x, y, col, skin, anime = draw_head(f, nz, style)
    draw_eyes(canvas, x, y, col, skin, nz, anime)
    draw_nose(canvas, x, y, col, skin, anime)
    draw_mouth(canvas, x, y, col, nz, anime)
    return clip_in_place(canvas).astype(np.float32)


def draw_head(f: np.ndarray, nz: dict, style: str) -> tuple:
    """The background, shoulders, neck, hair, ears and the shaded face. Returns (the canvas
    (n, 64, 64, 3), the pixel coordinates x (n, 1, W) and y (n, H, 1) relative to the face's
    centre, the factors by name, the skin colours (n, 3), whether it is the anime style)."""
    n = len(f)
    grid = (np.arange(SIDE) + 0.5) / SIDE * 2 - 1  # pixel centres in [−1, 1]
    x = grid[None, None, :] - nz["shift"][:, 0, None, None]  # (n, 1, W)
    y = grid[None, :, None] - nz["shift"][:, 1, None, None]  # (n, H, 1), +y points down
    col = {name: f[:, i, None, None] for i, name in enumerate(FACTORS)}  # each (n, 1, 1)
    anime = style == "anime"
    skin = SKIN_LIGHT + f[:, 5:6] * (SKIN_DARK - SKIN_LIGHT)  # (n, 3)

    head_rx = 0.46 + 0.22 * col["face_width"]
    head_ry, head_cy = 0.64, 0.0
    canvas = np.broadcast_to(nz["background"][:, None, None, :], (n, SIDE, SIDE, 3)).copy()
    # a soft vertical light on the background
    canvas *= (1.0 - 0.06 * (y + 1) / 2)[..., None]

    # shoulders and neck (the neck darker: it sits in the head's shadow)
    paint(canvas, nz["shirt"], soft_ellipse(x, y, 0, 1.28, 0.98, 0.48))
    neck = np.maximum(np.abs(x) - 0.2, y - 0.98) * (y > 0.3) + (y <= 0.3) * 1.0
    paint(canvas, skin * 0.82, coverage(neck))
    # hair behind the head: volume grows outward and down the sides with the hair amount
    hair = col["hair"]
    has_hair = hair > 0.03
    volume = soft_ellipse(x, y, 0, head_cy - 0.06 - 0.04 * hair, head_rx + 0.2 * hair, head_ry + 0.14 * hair)
    paint(canvas, nz["hair_colour"] * 0.8, volume * coverage(y - (head_cy + 0.5 * hair - 0.15)) * has_hair)
    # ears, then the face itself with soft shading: darker toward its edges and under the chin
    for side in (-1, 1):
        paint(canvas, skin * 0.9, soft_ellipse(x, y, side * head_rx, 0.05, 0.08, 0.13))
    if anime:  # a pointed chin: the lower half narrows to a point
        lower = np.maximum(ellipse(x, y, 0, head_cy, head_rx, head_ry),
                           (np.abs(x) * 1.1 + (y - head_cy) * 0.75 - head_rx * 0.95) * (y > 0.1))
        face_distance = np.where(y > 0.1, lower, ellipse(x, y, 0, head_cy, head_rx, head_ry))
    else:
        face_distance = ellipse(x, y, 0, head_cy, head_rx, head_ry)
    face = coverage(face_distance)
    # shading = 1 − 0.16 (x/rx)⁴ − 0.08 max(y, 0)²: a rounded face lit from the front
    light = 1.0 - 0.16 * (x / head_rx) ** 4 - 0.1 * np.maximum(y - 0.2, 0) ** 2
    shaded = skin[:, None, None, :] * light[..., None]
    canvas *= 1 - face[..., None]
    canvas += face[..., None] * shaded
    # cheeks: a faint blush
    for side in (-1, 1):
        blush = 0.25 * soft_ellipse(x, y, side * head_rx * 0.6, 0.25, 0.11, 0.07, 0.12)
        paint(canvas, np.tile([[0.95, 0.55, 0.55]], (n, 1)), blush * face)
    draw_hair_on_head(canvas, x, y, hair, has_hair, nz, head_rx, head_ry, head_cy)
    return canvas, x, y, col, skin, anime


def draw_hair_on_head(canvas, x, y, hair, has_hair, nz: dict, head_rx, head_ry, head_cy) -> None:
    # hair on the head: covers the scalp down to a hairline that falls as hair grows
    hairline = head_cy - head_ry + 0.05 + hair * 0.42  # 0: no hair at all (bald)
    fringe = soft_ellipse(x, y, 0, head_cy, head_rx * 1.03, head_ry * 1.03)
    sheen = 1.0 + 0.25 * soft_ellipse(x, y, -0.15, head_cy - head_ry + 0.12, 0.2, 0.06, 0.15)
    paint(canvas, nz["hair_colour"], fringe * coverage(y - hairline) * has_hair)
    canvas *= np.where((fringe * coverage(y - hairline) * has_hair) > 0.5, sheen, 1.0)[..., None]


def draw_eyes(canvas, x, y, col: dict, skin: np.ndarray, nz: dict, anime: bool) -> None:
    n = len(canvas)
    # eyes: white, iris, pupil, a lid line; brows above
    eye_r = (0.17 + 0.03 * col["eye_size"]) if anime else (0.035 + 0.13 * col["eye_size"])
    eye_y = -0.02 if not anime else 0.1
    for side in (-1, 1):
        ex = side * nz["eye_spacing"][:, None, None] * (1.15 if anime else 1.0)
        white = soft_ellipse(x, y, ex, eye_y, eye_r * 1.3, eye_r * (1.3 if anime else 0.85))
        paint(canvas, np.tile([[0.98, 0.98, 0.97]], (n, 1)), white)
        paint(canvas, nz["iris"], white * soft_ellipse(x, y, ex, eye_y, eye_r * 0.72, eye_r * 0.8))
        paint(canvas, np.zeros((n, 3)) + 0.05, white * soft_ellipse(x, y, ex, eye_y, eye_r * 0.32, eye_r * 0.36))
        paint(canvas, np.ones((n, 3)), white * soft_ellipse(x, y, ex - 0.3 * eye_r, eye_y - 0.3 * eye_r,
                                                                eye_r * 0.16 + 0.008, eye_r * 0.16 + 0.008))
        lid = np.abs(ellipse(x, y, ex, eye_y, eye_r * 1.3, eye_r * (1.3 if anime else 0.85))) - 0.012
        paint(canvas, skin * 0.45, coverage(lid) * (y < eye_y))
        brow_y = eye_y - eye_r * (1.5 if anime else 1.15) - 0.06
        brow = np.abs(y - brow_y + 0.5 * (x - ex) ** 2) - 0.02
        paint(canvas, nz["hair_colour"] * 0.7, coverage(np.maximum(brow, np.abs(x - ex) - eye_r * 1.1 - 0.03)))


def draw_nose(canvas, x, y, col: dict, skin: np.ndarray, anime: bool) -> None:
    # nose: from a small dot (0) to a long, wide nose (1), shaded on one side, with nostrils
    size = col["nose_size"] * (0.05 if anime else 1.0)  # anime noses are all but absent
    length = 0.03 + 0.32 * size
    wide = 0.02 + 0.2 * size
    tip_y = 0.04 + length * 0.9
    bridge = soft(np.maximum(np.abs(x - 0.02) - wide * 0.35, np.abs(y - (tip_y - length / 2)) - length / 2), 0.05)
    paint(canvas, skin * 0.72, 0.8 * bridge)  # the shaded side of the bridge
    paint(canvas, skin * 0.7, soft_ellipse(x, y, 0, tip_y, wide, wide * 0.7 + 0.01))  # the tip
    highlight = soft_ellipse(x, y, -wide * 0.3, tip_y - wide * 0.25, wide * 0.3, wide * 0.22)
    paint(canvas, skin * 1.05, 0.6 * highlight)
    for side in (-1, 1):  # nostrils
        paint(canvas, skin * 0.35, soft_ellipse(x, y, side * wide * 0.45, tip_y + wide * 0.35,
                                                    wide * 0.22 + 0.008, wide * 0.13 + 0.006))


def draw_mouth(canvas, x, y, col: dict, nz: dict, anime: bool) -> None:
    n = len(canvas)
    # mouth: a curved stroke; y = y₀ − c·x²  (c > 0 smiles, c < 0 frowns)
    width = nz["mouth_width"][:, None, None] * (0.4 if anime else 1.0)
    mouth_y = 0.55 if not anime else 0.45
    curve = (col["smile"] - 0.5) * 6.0
    stroke = np.abs(y - (mouth_y - curve * (x ** 2 - width ** 2))) - 0.045
    lips = np.maximum(stroke, np.abs(x) - width)
    paint(canvas, np.tile([[0.66, 0.16, 0.2]], (n, 1)), coverage(lips))
