"""The builder: every figure renders (smoke configs), deterministically, and failures are safe."""
import json
import subprocess
import sys

import pytest

from generator import builder, registry, save
from generator.cli import main
from generator.errors import MissingDataError, require_package
from generator.manifest import Manifest

ROOT = builder.paths.ROOT


@pytest.fixture(scope="module")
def smoke_builds(tmp_path_factory):
    """Two cold smoke builds of every figure, each with its own empty model cache."""
    folders = []
    for run in ("first", "second"):
        base = tmp_path_factory.mktemp(run)
        summary = builder.build(smoke=True, figures_dir=base / "figures",
                                cache_dir=base / "models", quiet=True)
        folders.append((base, summary))
    return folders


def test_every_registered_figure_renders(smoke_builds):
    base, summary = smoke_builds[0]
    registry.load_all()
    assert sorted(summary.built) == sorted(registry.FIGURES)
    manifest = Manifest.load(base / "figures" / "manifest.json")
    for spec in registry.FIGURES.values():
        for relative in spec.outputs().values():
            path = base / "figures" / relative
            assert path.stat().st_size > 1000, f"{relative} is missing or empty"
            assert manifest.files[relative] == save.sha256_of(path)


def test_two_cold_builds_are_byte_identical(smoke_builds):
    (first, _), (second, _) = smoke_builds
    a = json.loads((first / "figures" / "manifest.json").read_text())["files"]
    b = json.loads((second / "figures" / "manifest.json").read_text())["files"]
    assert a == b


def test_second_build_is_a_no_op(smoke_builds):
    base, _ = smoke_builds[0]
    again = builder.build(smoke=True, figures_dir=base / "figures", cache_dir=base / "models",
                          quiet=True)
    assert again.built == [] and again.trained == []
    assert sorted(again.up_to_date) == sorted(registry.FIGURES)


def test_a_changed_output_file_is_rebuilt(smoke_builds):
    base, _ = smoke_builds[0]
    target = base / "figures" / registry.FIGURES["pixel_line"].outputs()["en"]
    target.write_bytes(b"damaged")
    again = builder.build(["pixel_line"], smoke=True, figures_dir=base / "figures",
                          cache_dir=base / "models", quiet=True)
    assert again.built == ["pixel_line"]
    assert target.read_bytes().startswith(b"\x89PNG")


def test_unknown_figure_name_is_a_clear_error(capsys):
    assert main(["build", "pixel_cub"]) == 2
    error = capsys.readouterr().err
    assert "unknown figure 'pixel_cub'" in error and "pixel_cube" in error
    assert "generator list" in error


def test_corrupt_cache_stops_with_the_fix(tmp_path, monkeypatch, capsys):
    cache_dir = tmp_path / "models"
    builder.build(["swiss_roll_3d"], smoke=True, figures_dir=tmp_path / "f", cache_dir=cache_dir,
                  quiet=True)
    (cached,) = cache_dir.glob("swiss_roll-*.npz")
    cached.write_bytes(b"corrupt")
    monkeypatch.setattr(builder.paths, "MODEL_CACHE", cache_dir)
    monkeypatch.setattr(builder, "SMOKE_FIGURES", tmp_path / "f2")
    assert main(["build", "--smoke", "swiss_roll_unrolled"]) == 2
    assert "generator clean" in capsys.readouterr().err


def test_interrupted_build_leaves_no_half_written_file(tmp_path, monkeypatch):
    figures = tmp_path / "figures"
    builder.build(["pixel_line"], smoke=True, figures_dir=figures, cache_dir=tmp_path, quiet=True)
    before = {p.name: p.read_bytes() for p in figures.rglob("*.png")}

    def write_half_then_fail(path, write):
        def half(temporary):
            write(temporary)
            temporary.write_bytes(temporary.read_bytes()[:100])
            raise KeyboardInterrupt  # the user pressed Ctrl-C in the middle of a write

        return original(path, half)

    original = save.write_atomically
    monkeypatch.setattr(save, "write_atomically", write_half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        builder.build(["pixel_line", "pixel_square"], force=True, smoke=True,
                      figures_dir=figures, cache_dir=tmp_path, quiet=True)
    after = {p.name: p.read_bytes() for p in figures.rglob("*.png")}
    assert after == before  # old files intact, nothing new and half-written
    assert not list(figures.rglob("*.tmp"))
    assert Manifest.load(figures / "manifest.json").is_current(
        "pixel_line", builder.figure_key(registry.FIGURES["pixel_line"], True))


def test_missing_data_package_names_the_fix():
    with pytest.raises(MissingDataError, match="make setup"):
        require_package("no_such_data_package_xyz", "Test data")


def test_command_line_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "generator", "list"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "swiss_roll_animation" in result.stdout


def test_published_manifest_matches_committed_files():
    """figures/ must be what the builder recorded: no hand-edited or stale file."""
    manifest = Manifest.load(ROOT / "figures" / "manifest.json")
    registry.load_all()
    assert set(manifest.figures) == set(registry.FIGURES)
    for relative, digest in manifest.files.items():
        assert save.sha256_of(ROOT / "figures" / relative) == digest, relative


def test_png_with_a_palette_is_small_exact_on_white_and_stable(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    def draw():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.scatter(np.linspace(0, 1, 200), np.linspace(0, 1, 200) ** 2,
                   c=np.linspace(0, 1, 200), cmap="viridis")
        return fig

    save.save_png(draw(), tmp_path / "a.png", colours=16)
    save.save_png(draw(), tmp_path / "b.png", colours=16)
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    image = Image.open(tmp_path / "a.png")
    assert image.mode == "P" and len(image.getcolors()) <= 16
    assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)
