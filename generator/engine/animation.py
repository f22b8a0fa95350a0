"""Animations as players: frames the reader can play, pause and scrub through
(docs/assets/javascripts/frame-player.js), instead of GIFs that can only loop.

A figure of kind="animation" returns an `Animation`: its frames (H×W×3 uint8, all one size),
one label per frame saying what the frame shows ("σ = 0.35 · step 24 of 80"), and the
collisions found while drawing them. The builder writes three files per language and layout:

- `name[.narrow][.lang].webp`: the first frame, a still the page shows before its script runs
  (and without script at all);
- `name[.narrow][.lang].frames.webp`: every distinct frame once, in a grid (a sprite sheet),
  lossless, on one shared palette;
- `name[.narrow][.lang].frames.json`: the grid's layout and the sequence to play:
  {"frame_width", "frame_height", "columns", "frames": [[sheet index, milliseconds], …],
   "labels": {"ko": […], "en": […]}, "bounce"}, one label per entry of "frames" ("bounce": play
   it forth and back).

Consecutive identical frames become one entry shown longer (a rest at the start or the end costs
no bytes), and a frame that comes back later (an animation that runs there and back) is stored
once in the sheet.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from generator.engine.output import shared_palette, write_atomically

WEBP_SIDE_LIMIT = 16383  # the largest width or height a WebP can have
CHECK_EVERY = 4  # the collision check draws a frame twice: every fourth frame (and the last)


@dataclass
class Animation:
    """What an animation figure returns. Add frames with `add`, or fill the lists directly.
    A label is one string (a localized figure) or a (Korean, English) pair."""

    frames: list = field(default_factory=list)  # each (H, W, 3) uint8
    labels: list = field(default_factory=list)  # each str or (ko, en)
    collisions: list = field(default_factory=list)  # "frame k: …" lines, from the drawn figures
    # the smallest text on any frame, in points at `dpi` pixels per inch (frames drawn without
    # matplotlib set them themselves: a 20-pixel font is 20 points at 72 dpi)
    min_text_pt: float = 0.0
    dpi: float = 72.0
    # played forth and back (A → B → A) rather than from the end back to the start: the frames
    # hold one pass, so the slider's ends are the two ends of the motion
    bounce: bool = False

    def add(self, figure, label, check: bool | None = None) -> None:
        """Draw a matplotlib figure as the next frame (then close it). Its collisions are
        checked on every CHECK_EVERY-th frame, or when `check` says so (the last frame)."""
        from generator.engine.collisions import collisions
        from generator.engine.output import smallest_text_points
        from generator.engine.style import figure_to_rgb

        smallest = smallest_text_points(figure)
        if smallest and (not self.min_text_pt or smallest < self.min_text_pt):
            self.min_text_pt, self.dpi = smallest, float(figure.dpi)
        if check if check is not None else len(self.frames) % CHECK_EVERY == 0:
            self.collisions += [f"frame {len(self.frames)}: {line}" for line in collisions(figure)]
        self.frames.append(figure_to_rgb(figure))
        self.labels.append(label)

    def hold(self, times: int, at_end: bool = True) -> None:
        """Show the last (or first) frame `times` times longer: a rest before it loops."""
        index = -1 if at_end else 0
        frame, label = self.frames[index], self.labels[index]
        for _ in range(times):
            if at_end:
                self.frames.append(frame)
                self.labels.append(label)
            else:
                self.frames.insert(0, frame)
                self.labels.insert(0, label)


def labels_in(label) -> dict:
    return {"ko": label, "en": label} if isinstance(label, str) else {"ko": label[0], "en": label[1]}


def sequence(animation: Animation, frame_ms: int) -> tuple[list[np.ndarray], list, dict]:
    """(distinct frames, [[sheet index, ms], …], {"ko": labels, "en": labels}): runs of one
    frame merged into one entry shown for the run's length; repeated frames stored once."""
    distinct, index_of, entries = [], {}, []
    labels = {"ko": [], "en": []}
    for frame, label in zip(animation.frames, animation.labels):
        digest = hashlib.sha256(np.ascontiguousarray(frame).tobytes()).hexdigest()
        if digest not in index_of:
            index_of[digest] = len(distinct)
            distinct.append(frame)
        index, words = index_of[digest], labels_in(label)
        if entries and entries[-1][0] == index and labels["en"][-1] == words["en"]:
            entries[-1][1] += frame_ms  # the same frame again: shown longer
            continue
        entries.append([index, frame_ms])
        for lang in labels:
            labels[lang].append(words[lang])
    return distinct, entries, labels


def save_animation(animation: Animation, still: Path, sheet: Path, description: Path,
                   frame_ms: int, colours: int) -> dict:
    """Write the still, the sprite sheet and its description (see the module's docstring);
    return the still's layout ({"width", "height", "collisions"})."""
    from PIL import Image

    frames = [np.asarray(frame, dtype=np.uint8) for frame in animation.frames]
    if not frames or len(animation.labels) != len(frames):
        raise ValueError(f"{still.name}: an animation needs frames and one label per frame")
    if len({frame.shape for frame in frames}) != 1 or frames[0].ndim != 3 or frames[0].shape[2] != 3:
        raise ValueError(f"{still.name}: frames must all be H×W×3, got {sorted({f.shape for f in frames})}")
    distinct, entries, labels = sequence(Animation(frames=frames, labels=animation.labels), frame_ms)
    height, width = distinct[0].shape[:2]
    # the grid: as square as it can be, within the WebP's side limit
    columns = max(1, min(int(np.ceil(np.sqrt(len(distinct) * height / width))), WEBP_SIDE_LIMIT // width))
    rows = int(np.ceil(len(distinct) / columns))
    if rows * height > WEBP_SIDE_LIMIT:
        raise ValueError(f"{still.name}: {len(distinct)} frames of {width}×{height} do not fit one sheet")
    grid = np.full((rows * height, columns * width, 3), 255, dtype=np.uint8)
    for k, frame in enumerate(distinct):
        r, c = divmod(k, columns)
        grid[r * height:(r + 1) * height, c * width:(c + 1) * width] = frame
    # one palette for the still and the sheet, chosen from every frame: no colour shifts
    sheet_image, still_image = shared_palette([grid, distinct[entries[0][0]]], colours)
    options = {"format": "WEBP", "lossless": True, "quality": 100, "method": 4, "exact": True}
    write_atomically(sheet, lambda temporary: sheet_image.convert("RGB").save(temporary, **options))
    write_atomically(still, lambda temporary: still_image.convert("RGB").save(temporary, **options))
    text = json.dumps({"frame_width": width, "frame_height": height, "columns": columns,
                       "frames": entries, "labels": labels, "bounce": animation.bounce},
                      ensure_ascii=False, indent=1)
    write_atomically(description, lambda temporary: temporary.write_text(text + "\n", encoding="utf-8"))
    return {"width": int(width), "height": int(height), "min_text_pt": round(animation.min_text_pt, 1),
            "dpi": animation.dpi, "collisions": list(animation.collisions)}
