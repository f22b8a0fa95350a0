"""The cache key must change when (and only when) something a model depends on changes."""
import shutil

import numpy as np
import pytest

from generator.engine import artifacts, keys, paths, registry
from generator.engine.errors import CorruptCacheError


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A throw-away copy of the generator package that the key functions read instead."""
    shutil.copytree(paths.PACKAGE, tmp_path / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    return tmp_path / "generator"


def swiss_roll_key(config=None):
    registry.load_all()
    spec = registry.MODELS["swiss_roll"]
    return keys.model_key(spec, config or spec.full)


def test_closure_follows_imports_and_nothing_else():
    closure = keys.source_closure("generator.models.swiss_roll")
    assert "generator.data.swiss_roll" in closure  # a helper the model imports
    assert "generator.measures.scores" in closure
    assert "generator.figures.pixel_space" not in closure  # an unrelated figure
    assert "generator.figures.swiss_roll" not in closure  # a figure that *uses* the model


def test_no_model_depends_on_a_figure_module():
    """A model's key covers every project file it imports: a model that imported a figure
    module would be retrained whenever that figure's drawing changed. Helpers that models and
    figures share live outside generator/figures/ (e.g. generator/pipelines/face_codes.py)."""
    registry.load_all()
    leaks = {name: [m for m in keys.source_closure(spec.module) if m.startswith("generator.figures")]
             for name, spec in registry.MODELS.items()}
    assert not {name: found for name, found in leaks.items() if found}


def test_key_is_the_same_in_another_process():
    """A key must not depend on anything that changes between runs (Python's salted str
    hashes, set order, the time): a fresh interpreter with another hash seed computes it again."""
    import os
    import subprocess
    import sys

    script = ("from generator.engine import keys, registry; registry.load_all(); "
              "spec = registry.MODELS['swiss_roll']; print(keys.model_key(spec, spec.full))")
    found = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            cwd=paths.ROOT, env=dict(os.environ, PYTHONHASHSEED=seed)).stdout.strip()
             for seed in ("1", "2")}
    assert found == {swiss_roll_key()}


def test_key_changes_with_config():
    registry.load_all()
    full = registry.MODELS["swiss_roll"].full
    assert swiss_roll_key(full) != swiss_roll_key({**full, "neighbours": 11})


def test_editing_a_helper_changes_the_key(package_copy):
    before = swiss_roll_key()
    helper = package_copy / "data" / "swiss_roll.py"
    helper.write_text(helper.read_text() + "\n# a changed helper\n")
    assert swiss_roll_key() != before


def test_editing_an_unrelated_figure_keeps_the_key(package_copy):
    before = swiss_roll_key()
    unrelated = package_copy / "figures" / "pixel_space.py"
    unrelated.write_text(unrelated.read_text() + "\n# a changed figure\n")
    assert swiss_roll_key() == before


def test_library_versions_are_part_of_the_key(monkeypatch):
    before = swiss_roll_key()
    versions = dict(keys.library_versions(), numpy="0.0.0")
    monkeypatch.setattr(keys, "library_versions", lambda: versions)
    assert swiss_roll_key() != before


def test_artifact_round_trip(tmp_path):
    artifact = artifacts.Artifact({"w": np.arange(6, dtype=np.float32).reshape(2, 3)}, {"loss": 1.5})
    artifacts.save_artifact(artifact, tmp_path / "m.npz", "k" * 64)
    loaded = artifacts.load_artifact(tmp_path / "m.npz", "k" * 64)
    assert np.array_equal(loaded.arrays["w"], artifact.arrays["w"])
    assert loaded.info == {"loss": 1.5}
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temp file left behind


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip"])
def test_corrupt_cache_gives_a_clear_error(tmp_path, damage):
    path = tmp_path / "m.npz"
    artifacts.save_artifact(artifacts.Artifact({"w": np.ones(1000)}, {}), path, "k" * 64)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = bytearray(b"not a zip file at all")
    else:
        data[len(data) // 3] ^= 0xFF  # one flipped byte inside the array data: CRC mismatch
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptCacheError, match=r"Delete that one file \(`rm .*m\.npz`\)"):
        artifacts.load_artifact(path, "k" * 64)
