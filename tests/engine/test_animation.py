"""Animations are saved as players (generator/engine/animation.py): a still of the first frame,
a sprite sheet with every distinct frame once, and a description of the sequence with one label
per entry. Each published animation weighs no more than the GIF it replaced."""
import json

import numpy as np
import pytest
from PIL import Image
from shared import ROOT

from generator.engine import registry
from generator.engine.animation import Animation, save_animation, sequence

# the bytes of each GIF the site showed before (commit 76f05e5): a player must not weigh more
GIF_BYTES = {"conditional/conditional_reverse.en": 485916, "conditional/conditional_reverse.ko": 480108,
             "diffusion/diffusion_reverse": 213625, "faces_interpolation/face_interpolation_walk": 557987,
             "mnist_latent/mnist_latent_walk": 468250, "swiss_roll/swiss_roll_animation": 337555}


def frame(value: int) -> np.ndarray:
    image = np.full((6, 8, 3), 255, dtype=np.uint8)
    image[2:4, value % 8] = (value * 30 % 256, 0, 0)
    return image


def test_runs_merge_and_repeated_frames_are_stored_once():
    animation = Animation(frames=[frame(0), frame(0), frame(1), frame(2), frame(1), frame(0)],
                          labels=["a", "a", "b", ("c", "C"), "b", "a"])
    distinct, entries, labels = sequence(animation, 100)
    assert len(distinct) == 3  # 0, 1, 2 once each
    assert entries == [[0, 200], [1, 100], [2, 100], [1, 100], [0, 100]]
    assert labels["ko"] == ["a", "b", "c", "b", "a"] and labels["en"][2] == "C"


def test_a_saved_animation_plays_back_the_frames_it_was_given(tmp_path):
    frames = [frame(k) for k in range(7)]
    animation = Animation(frames=frames, labels=[f"step {k}" for k in range(7)])
    layout = save_animation(animation, tmp_path / "a.webp", tmp_path / "a.frames.webp",
                            tmp_path / "a.frames.json", 90, 64)
    description = json.loads((tmp_path / "a.frames.json").read_text(encoding="utf-8"))
    sheet = np.asarray(Image.open(tmp_path / "a.frames.webp").convert("RGB"))
    still = np.asarray(Image.open(tmp_path / "a.webp").convert("RGB"))
    w, h, columns = description["frame_width"], description["frame_height"], description["columns"]
    for k, (index, ms) in enumerate(description["frames"]):
        r, c = divmod(index, columns)
        assert np.array_equal(sheet[r * h:(r + 1) * h, c * w:(c + 1) * w], frames[k]) and ms == 90
    assert np.array_equal(still, frames[0]) and layout["width"] == 8 and layout["height"] == 6
    assert description["labels"]["en"][3] == "step 3"


def test_frames_of_different_sizes_are_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="H×W×3"):
        save_animation(Animation(frames=[frame(0), np.zeros((5, 5, 3), np.uint8)], labels=["a", "b"]),
                       tmp_path / "a.webp", tmp_path / "b.webp", tmp_path / "c.json", 90, 64)


def test_every_animation_weighs_no_more_than_its_gif_did():
    registry.load_all()
    names = {name for name, spec in registry.FIGURES.items() if spec.kind == "animation"}
    assert len(names) == 5
    for base, budget in GIF_BYTES.items():
        files = [ROOT / "figures" / f"{base}{suffix}" for suffix in (".webp", ".frames.webp", ".frames.json")]
        weight = sum(path.stat().st_size for path in files)
        assert weight <= budget, f"{base}: {weight:,} bytes, the GIF was {budget:,}"
