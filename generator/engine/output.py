"""Writing outputs to disk: byte-stable, and atomic (a temp file, then a rename).

An interrupted build therefore leaves either the old file or the new one, never half of one.
The bytes written here are part of every figure's cache key, so editing this module
re-renders every figure.
"""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Callable

import numpy as np

WEBP_DPI = 150  # figures are drawn in inches; 150 dpi is sharp on phones and small on disk
SMOKE_DPI = 50  # smoke builds (the tests) only show that every figure renders: a ninth of the pixels
COLOUR_CODES = 1 << 24  # every colour code r·65536 + g·256 + b (shared_palette's lookup tables)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temporary_path)`, then rename the result over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def smallest_text_points(figure) -> float:
    """The font size (points) of the smallest visible text in a figure: a 9-point label on a
    figure 8 inches wide shown 360 pixels wide is 9/72 × 360/8 ≈ 5.6 pixels, unreadable."""
    from matplotlib.text import Text

    sizes = [text.get_fontsize() for text in figure.findobj(Text)
             if text.get_visible() and text.get_text().strip()]
    return float(min(sizes)) if sizes else 0.0


def save_image(figure, path: Path, colours: int | None = None, lossy: bool = False,
               dpi: int = WEBP_DPI) -> dict:
    """Save a matplotlib Figure as a WebP: lossless with a palette of `colours` colours (256 if
    None; white kept exact), or lossy for pictures of noise and photos. Returns its layout:
    {"width", "height"} in pixels, "min_text_pt", the smallest text on it, and "collisions",
    where it collides with itself (engine/collisions.py; the tests ask for none)."""
    import matplotlib.pyplot as plt
    from PIL import Image

    from generator.engine.collisions import collisions

    try:
        smallest = smallest_text_points(figure)
        clashes = collisions(figure)
        buffer = io.BytesIO()
        # an uncompressed PNG: it is only a lossless hand-over of the pixels to Pillow
        figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.08,
                       pil_kwargs={"compress_level": 0})
        rgb = np.asarray(Image.open(buffer).convert("RGB"))  # (H, W, 3)
    finally:
        plt.close(figure)
    if lossy:
        image = Image.fromarray(rgb)
        options = {"quality": 80, "method": 6}
    else:  # WebP keeps a palette of ≤ 256 colours losslessly and smaller than PNG does
        image = shared_palette([rgb], colours or 256)[0].convert("RGB")
        # method 4: within 2% of the smallest file (method 6) at a twentieth of the time
        options = {"lossless": True, "quality": 100, "method": 4}
    write_atomically(path, lambda temporary: image.save(temporary, format="WEBP", exact=True,
                                                          **options))
    return {"width": int(rgb.shape[1]), "height": int(rgb.shape[0]),
            "min_text_pt": round(smallest, 1), "width_in": round(rgb.shape[1] / dpi, 2),
            "collisions": clashes}


def shared_palette(frames: list[np.ndarray], colours: int) -> list:
    """Map every frame onto one palette of `colours` colours chosen from the whole animation.

    A palette holds at most 256 colours; choosing them once, from all frames, keeps colours
    steady from frame to frame (no flicker) and makes the file much smaller. The background
    (the most common colour of the first frame) gets an exact entry of its own, so a white
    page stays white.
    """
    from PIL import Image

    # one integer per colour (r·65536 + g·256 + b): np.unique on a flat array is fast
    codes = [colour_codes(frame) for frame in frames]  # each (H*W,)
    values, counts = np.unique(codes[0], return_counts=True)
    background = int(values[np.argmax(counts)])  # the commonest colour of the first frame
    every = max(1, len(frames) // 12)
    sample = np.concatenate(codes[::every])  # (pixels,)
    foreground = sample[sample != background]  # (m,)
    if len(foreground) == 0:
        foreground = np.array([background])
    chosen = Image.fromarray(code_colours(foreground)[None, :, :].astype(np.uint8)).quantize(
        colors=colours - 1, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    entries = np.array(chosen.getpalette()[: 3 * (colours - 1)], dtype=np.uint8).reshape(-1, 3)
    palette = np.vstack([code_colours(np.array([background])), entries]).astype(np.int64)  # (colours, 3)
    images = []
    for frame, frame_codes in zip(frames, codes):
        # each distinct colour -> its nearest palette entry (exact colours stay exact), looked
        # up in a table with one entry per possible colour (16 MB): no sorting of the pixels
        distinct = values if frame_codes is codes[0] else distinct_codes(frame_codes)  # (k,)
        nearest = np.zeros(COLOUR_CODES, dtype=np.uint8)
        nearest[distinct] = nearest_entries(code_colours(distinct.astype(np.int64)), palette)
        indices = nearest[frame_codes]  # (H*W,)
        image = Image.fromarray(indices.reshape(frame.shape[:2]), mode="P")
        image.putpalette(palette.astype(np.uint8).ravel().tolist())
        images.append(image)
    return images  # paletted ("P" mode) Pillow images


def distinct_codes(codes: np.ndarray) -> np.ndarray:
    """The colour codes that occur, in increasing order (np.unique's answer, without a sort)."""
    present = np.zeros(COLOUR_CODES, dtype=bool)
    present[codes] = True
    return np.flatnonzero(present)


def nearest_entries(colours: np.ndarray, palette: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """For each colour (k, 3), the index of the nearest palette entry (m, 3), in exact integers.
    ‖c − p‖² = ‖c‖² − 2 c·p + ‖p‖², and ‖c‖² is the same for every entry, so the nearest entry
    minimises ‖p‖² − 2 c·p (the first one on a tie)."""
    squares = (palette ** 2).sum(axis=1)  # (m,)
    found = [np.argmin(squares[None, :] - 2 * (colours[start:start + chunk] @ palette.T), axis=1)
             for start in range(0, len(colours), chunk)]  # each (≤ chunk,)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def colour_codes(frame: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 -> (H*W,) integers r·65536 + g·256 + b (uint32: sorts fast)."""
    channels = frame.reshape(-1, 3)
    # code = r·2¹⁶ + g·2⁸ + b
    codes = channels[:, 0].astype(np.uint32) << 16
    codes |= channels[:, 1].astype(np.uint32) << 8
    codes |= channels[:, 2]
    return codes


def code_colours(codes: np.ndarray) -> np.ndarray:
    """(k,) colour codes -> (k, 3) integers, the inverse of colour_codes."""
    return np.column_stack([codes >> 16, (codes >> 8) & 255, codes & 255])


def save_bytes(data: bytes, path: Path) -> None:
    """Save a data asset (exported weights, JSON) exactly as given."""
    if not isinstance(data, bytes):
        raise TypeError(f"{path.name}: a 'files' figure must return bytes, got {type(data).__name__}")
    write_atomically(path, lambda temporary: temporary.write_bytes(data))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
