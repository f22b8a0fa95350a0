"""The builder: every figure renders (smoke configs), deterministically, and failures are safe."""
import json
import subprocess
import sys

import numpy as np
import pytest

from generator.engine import artifacts, builder, keys, output, paths, registry
from generator.engine.cli import main
from generator.engine.errors import MissingDataError, require_package
from generator.engine.manifest import Manifest

ROOT = paths.ROOT


def test_every_registered_figure_renders(smoke_builds):
    base, summary = smoke_builds[0]
    registry.load_all()
    assert sorted(summary.built) == sorted(registry.FIGURES)
    manifest = Manifest.load(base / "figures" / "manifest.json")
    for spec in registry.FIGURES.values():
        for relative in spec.outputs().values():
            path = base / "figures" / relative
            # (200 bytes: a smoke model's blurry face is a nearly uniform picture, 420 bytes)
            assert path.stat().st_size > 200, f"{relative} is missing or empty"
            assert manifest.files[relative] == output.sha256_of(path)


def test_two_cold_builds_are_byte_identical(smoke_builds):
    """Files and numbers alike: a number that depends on the machine's speed (a duration)
    or on anything but the code and the seed would differ here."""
    (first, _), (second, _) = smoke_builds
    a = json.loads((first / "figures" / "manifest.json").read_text())
    b = json.loads((second / "figures" / "manifest.json").read_text())
    assert a["files"] == b["files"]
    assert {name: entry["metrics"] for name, entry in a["figures"].items()} == \
        {name: entry["metrics"] for name, entry in b["figures"].items()}


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
    assert target.read_bytes()[8:12] == b"WEBP"


def test_unknown_figure_name_is_a_clear_error(capsys):
    assert main(["build", "pixel_cub"]) == 2
    error = capsys.readouterr().err
    assert "unknown figure 'pixel_cub'" in error and "pixel_cube" in error
    assert "generator list" in error


def test_a_broken_cache_entry_is_trained_again_alone(tmp_path, capsys):
    """A corrupt file, or another model's file under this model's name (a valid .npz with the
    wrong arrays): that one model is trained again, with a one-line notice, and the figure
    comes out the same."""
    figures, cache_dir = tmp_path / "f", tmp_path / "models"
    builder.build(["swiss_roll_3d"], smoke=True, figures_dir=figures, cache_dir=cache_dir, jobs=1,
                  quiet=True)
    before = Manifest.load(figures / "manifest.json").files
    (cached,) = cache_dir.glob("swiss_roll-*.npz")
    other = tmp_path / "other.npz"
    artifacts.save_artifact(artifacts.Artifact({"t": np.zeros(3)}, {}), other, "0" * 64)
    capsys.readouterr()
    for damage in (b"corrupt", other.read_bytes()):
        cached.write_bytes(damage)
        again = builder.build(["swiss_roll_3d"], force=True, smoke=True, figures_dir=figures, jobs=1,
                              cache_dir=cache_dir, quiet=True)
        assert again.trained == ["swiss_roll"] and again.built == ["swiss_roll_3d"]
        assert Manifest.load(figures / "manifest.json").files == before
        notice = capsys.readouterr().err
        assert notice.count("\n") == 1 and "deleted it, training that model again" in notice


def test_an_artifact_names_a_missing_array_and_the_fix(tmp_path):
    from generator.engine.errors import CorruptCacheError

    path = tmp_path / "m.npz"
    artifacts.save_artifact(artifacts.Artifact({"w": np.ones(2)}, {}), path, "k" * 64)
    artifact = artifacts.load_artifact(path, "k" * 64)
    with pytest.raises(CorruptCacheError, match=r"holds no array 't'.*rm .*m\.npz"):
        artifact.arrays["t"]
    with pytest.raises(CorruptCacheError, match="holds another model"):
        artifacts.load_artifact(path, "j" * 64)


def test_interrupted_build_leaves_no_half_written_file(tmp_path, monkeypatch):
    figures = tmp_path / "figures"
    builder.build(["pixel_line"], smoke=True, figures_dir=figures, cache_dir=tmp_path, quiet=True)
    before = {p.name: p.read_bytes() for p in figures.rglob("*.webp")}

    def write_half_then_fail(path, write):
        def half(temporary):
            write(temporary)
            temporary.write_bytes(temporary.read_bytes()[:100])
            raise KeyboardInterrupt  # the user pressed Ctrl-C in the middle of a write

        return original(path, half)

    original = output.write_atomically
    monkeypatch.setattr(output, "write_atomically", write_half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        builder.build(["pixel_line", "pixel_square"], force=True, smoke=True, jobs=1,  # patched here
                      figures_dir=figures, cache_dir=tmp_path, quiet=True)  # not in a worker
    after = {p.name: p.read_bytes() for p in figures.rglob("*.webp")}
    assert after == before  # old files intact, nothing new and half-written
    assert not list(figures.rglob("*.tmp"))
    assert Manifest.load(figures / "manifest.json").is_current(
        "pixel_line", keys.figure_key(registry.FIGURES["pixel_line"], True))


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
        assert output.sha256_of(ROOT / "figures" / relative) == digest, relative


def test_image_with_a_palette_is_exact_on_white_and_stable(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    def draw():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.scatter(np.linspace(0, 1, 200), np.linspace(0, 1, 200) ** 2,
                   c=np.linspace(0, 1, 200), cmap="viridis")
        ax.set_xlabel("x", fontsize=12)
        return fig

    first = output.save_image(draw(), tmp_path / "a.webp", colours=16)
    output.save_image(draw(), tmp_path / "b.webp", colours=16)
    assert (tmp_path / "a.webp").read_bytes() == (tmp_path / "b.webp").read_bytes()
    image = Image.open(tmp_path / "a.webp")
    assert image.format == "WEBP" and len(image.convert("RGB").getcolors()) <= 16
    assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)
    assert first["width"] == image.width and first["min_text_pt"] > 0  # it has text: its size


def test_palette_lookup_finds_the_colours_numpy_finds():
    """shared_palette finds a frame's colours with a table, not a sort: the same colours, in the
    same order, as np.unique; and each maps to its nearest palette entry."""
    import numpy as np

    rng = np.random.default_rng(3)
    frame = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    frame[:20] = 255  # a white half: the background
    codes = output.colour_codes(frame)
    wide = frame.reshape(-1, 3).astype(np.int64)
    assert np.array_equal(codes, (wide[:, 0] << 16) | (wide[:, 1] << 8) | wide[:, 2])
    assert np.array_equal(output.distinct_codes(codes), np.unique(codes))
    (image,) = output.shared_palette([frame], 16)
    palette = np.array(image.getpalette()[:48]).reshape(16, 3)
    drawn = palette[np.asarray(image)].reshape(-1, 3)
    nearest = ((wide[:, None, :] - palette[None]) ** 2).sum(axis=2).min(axis=1)
    assert np.array_equal(((wide - drawn) ** 2).sum(axis=1), nearest)
    assert tuple(palette[0]) == (255, 255, 255)


def test_no_published_figure_is_stale_or_edited():
    """CI fails when a figure's source (or a model it uses, or a library pin) changed without a
    rebuild, or when a committed figure file was edited by hand."""
    registry.load_all()
    published = Manifest.load(paths.MANIFEST)
    stale = [spec.name for spec in registry.FIGURES.values()
             if not published.is_current(spec.name, keys.figure_key(spec, smoke=False))]
    assert not stale, f"stale figures (run `python -m generator build`): {stale}"


def test_check_sources_names_a_stale_figure_and_an_edited_file(tmp_path, monkeypatch, capsys):
    """`check --sources` (what the Pages workflow runs) needs no models and names each problem."""
    import shutil

    from generator.engine import cli

    copy = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, copy)
    monkeypatch.setattr(paths, "FIGURES", copy)
    assert cli.main(["check", "--sources"]) == 0
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["figures"]["pixel_line"]["sources"] = "0" * 64  # as if its source had changed since
    (copy / "manifest.json").write_text(json.dumps(manifest))
    (copy / registry.FIGURES["pixel_square"].outputs()["en"]).write_bytes(b"edited by hand")
    assert cli.main(["check", "--sources"]) == 1
    out = capsys.readouterr().out
    assert "pixel_line: its source changed" in out and "pixel_square.en.webp: differs" in out
    (copy / "stray.png").write_bytes(b"left behind")  # a file no figure makes would be published
    assert cli.main(["check", "--sources"]) == 1
    assert "figures/stray.png: no figure makes it (remove: rm " in capsys.readouterr().out  # untracked


def test_leftover_temporary_files_are_removed(tmp_path):
    figures = tmp_path / "figures"
    (figures / "chapter").mkdir(parents=True)
    leftover = figures / "chapter" / ".name.ko.png.1234.tmp"
    leftover.write_bytes(b"half")
    summary = builder.build(["pixel_line"], smoke=True, figures_dir=figures,
                            cache_dir=tmp_path / "models", quiet=True)
    assert not leftover.exists() and summary.leftovers == [str(leftover)]
    assert "half-written" in summary.line()


def test_the_longest_chains_of_training_start_first(tmp_path):
    """From an empty cache every model is missing; the one whose chain (itself and what waits
    for it, by the seconds each `@model` expects) is longest starts first, so that no core sits
    idle at the end."""
    registry.load_all()
    missing = builder.missing_models(list(registry.FIGURES.values()), False, tmp_path)
    assert sorted(missing) == sorted(registry.MODELS)

    def chain(name):
        waiting = [m for m in registry.MODELS if name in registry.MODELS[m].needs]
        return registry.MODELS[name].expected_seconds + max(map(chain, waiting), default=0)

    seconds = [chain(name) for name in missing]
    assert seconds == sorted(seconds, reverse=True) and seconds[0] > seconds[-1]
