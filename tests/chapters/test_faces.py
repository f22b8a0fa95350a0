"""The faces chapter: drawn faces, the labelled VAE, the published measurements, and the face
explorer's JavaScript decoder against torch."""
import gzip
import json

import numpy as np
import pytest
import torch
from shared import ROOT

from generator.data.faces import FACTORS, SIDE, ellipse, make_faces, soft, soft_ellipse
from generator.engine.contexts import FigureContext
from generator.engine.seeding import numpy_stream
from generator.figures.face_explorer import decode_exported, face_decoder

MANIFEST = json.loads((ROOT / "figures" / "manifest.json").read_text())
EXPORT = ROOT / "figures" / "face_explorer"


def one_factor_sweep(name: str, style: str = "human", steps: int = 5):
    factors = np.full((steps, len(FACTORS)), 0.5)
    factors[:, FACTORS.index(name)] = np.linspace(0, 1, steps)
    return make_faces(steps, numpy_stream("test/faces/sweep"), style=style, factors=factors).images


def test_faces_are_seeded_sized_and_varied():
    faces = make_faces(50, numpy_stream("test/faces"))
    again = make_faces(50, numpy_stream("test/faces"))
    assert faces.images.shape == (50, 64, 64, 3) and faces.factors.shape == (50, 6)
    assert np.array_equal(faces.images, again.images)
    assert 0.0 <= faces.images.min() and faces.images.max() <= 1.0
    flat = faces.images.reshape(50, -1)
    distances = np.linalg.norm(flat[:, None] - flat[None], axis=2)[np.triu_indices(50, 1)]
    assert distances.min() > 1.0  # no two alike
    # anti-aliased: edges have in-between values, not just the few flat colours of the shapes
    assert len(np.unique(faces.images[0].reshape(-1, 3), axis=0)) > 100


def test_a_shape_drawn_in_its_box_is_the_shape_drawn_everywhere():
    """soft_ellipse computes only near the shape; every value must be what the whole canvas gives,
    bit for bit, for big and tiny, round and flat shapes, edges of one pixel or of a soft width."""
    rng = np.random.default_rng(7)
    grid = (np.arange(SIDE) + 0.5) / SIDE * 2 - 1
    x, y = np.tile(grid[None, None, :], (20, 1, 1)), np.tile(grid[None, :, None], (20, 1, 1))
    for width in (2.0 / SIDE, 0.12):
        for _ in range(20):
            cx, cy = rng.uniform(-1.2, 1.2, (2, 20, 1, 1))
            rx, ry = np.exp(rng.uniform(np.log(5e-4), np.log(1.0), (2, 20, 1, 1)))
            everywhere = soft(ellipse(x, y, cx, cy, rx, ry), width)
            assert np.array_equal(soft_ellipse(x, y, cx, cy, rx, ry, width), everywhere)
        assert soft_ellipse(x, y, 0.0, 0.3, 0.05, 0.04, width).any()  # scalars work too


def test_each_factor_changes_what_it_names():
    skin = one_factor_sweep("skin_tone")[:, 36:44, 14:20].mean(axis=(1, 2, 3))  # a cheek
    assert np.all(np.diff(skin) < 0)  # darker and darker
    hair = one_factor_sweep("hair")[:, 10:14, 28:36].mean(axis=(1, 2, 3))  # the crown
    assert hair[0] > hair[-1] + 0.1  # bald: skin (light) where hair (dark) would be
    eyes = one_factor_sweep("eye_size")
    changed = [np.abs(face - eyes[0])[24:40].sum() for face in eyes]  # the band of the eyes
    assert np.all(np.diff(changed) > 0)  # the bigger the eyes, the more of the band changes
    width = [(np.abs(face - face[0, 0]).sum(axis=2) > 0.1)[30].sum() for face in one_factor_sweep("face_width")]
    assert np.all(np.diff(width) >= 0) and width[-1] > width[0] + 5


def test_anime_style_is_outside_the_human_range():
    def eye_white(face):  # white pixels, counting each eye's white and its highlight
        return int((face > 0.96).all(axis=2).sum())

    human = [eye_white(f) for f in one_factor_sweep("eye_size")]
    anime = [eye_white(f) for f in one_factor_sweep("eye_size", style="anime")]
    assert min(anime) > 1.5 * max(human)
    with pytest.raises(ValueError, match="style"):
        make_faces(1, numpy_stream("test/faces"), style="cubist")


def test_real_faces_ship_with_scikit_image():
    from generator.data.lfw import load_lfw

    faces = load_lfw()
    assert faces.shape == (100, 625) and 0 <= faces.min() and faces.max() <= 1


def test_cartoon_faces_are_deterministic():
    from generator.data.avataaars import avatars

    first, again = avatars(2), avatars(2)
    assert first.shape == (2, 64, 64, 3) and np.array_equal(first, again)
    assert not np.array_equal(first[0], first[1])
def test_probe_recovers_known_linear_factors():
    from generator.figures.faces import probe_r_squared

    rng = numpy_stream("test/faces/probe")
    factors = rng.random((400, 6))
    z = factors @ rng.standard_normal((6, 10)) + 0.01 * rng.standard_normal((400, 10))
    assert probe_r_squared(z[:300], factors[:300], z[300:], factors[300:]).min() > 0.99
    noise = rng.standard_normal((400, 10))  # codes that know nothing: R² near 0 or below
    assert probe_r_squared(noise[:300], factors[:300], noise[300:], factors[300:]).max() < 0.1


def test_every_factor_changes_the_drawing_at_both_ends():
    """At 0 and at 1, each factor draws a visibly different face (not a few pixels)."""
    base = make_faces(1, np.random.default_rng(0))
    for k, name in enumerate(FACTORS):
        ends = np.repeat(base.factors, 2, axis=0)
        ends[:, k] = [0.0, 1.0]
        low, high = base.redrawn(0, ends)
        changed = (np.abs(low - high).max(axis=2) > 0.1).sum()
        assert changed >= 40, f"{name}: only {changed} pixels change between 0 and 1"


def test_redrawn_face_is_the_same_face():
    faces = make_faces(3, np.random.default_rng(1))
    assert np.array_equal(faces.redrawn(2, faces.factors[2]), faces.images[2:3])


@pytest.fixture(scope="module")
def smoke_vae(smoke_trained):
    return smoke_trained("face_vae")


def test_exported_decoder_matches_torch_and_is_byte_stable(smoke_vae):
    from generator.networks.conv_vae import conv_vae_from_artifact

    files = face_decoder(FigureContext("face_decoder", None, True, {"face_vae": smoke_vae}))
    description = json.loads(files["json"])
    z = np.random.default_rng(2).normal(size=(3, description["latent"])).astype(np.float32)
    with torch.no_grad():
        expected = torch.sigmoid(conv_vae_from_artifact(smoke_vae).decode(torch.from_numpy(z))).numpy()
    got = decode_exported(description, files["f16.gz"], z)
    assert got.shape == (3, 64, 64, 3)
    assert np.abs(got - expected.transpose(0, 2, 3, 1)).max() <= 1e-2  # float16 weights
    again = face_decoder(FigureContext("face_decoder", None, True, {"face_vae": smoke_vae}))
    assert again["f16.gz"] == files["f16.gz"] and again["json"] == files["json"]


def test_published_axes_do_what_their_names_say():
    """The targets of the faces chapter, on the published model: every named axis moves the
    factor the reader sees (slope ≥ 0.8, R² ≥ 0.9) and a linear probe reads it (R² ≥ 0.9)."""
    metrics = MANIFEST["figures"]["face_axes"]["metrics"]
    for name in FACTORS:
        fidelity = metrics["edit_fidelity"][name]
        assert fidelity["slope"] >= 0.8 and fidelity["r2"] >= 0.9, (name, fidelity)
        assert metrics["r_squared"][name] >= 0.9, (name, metrics["r_squared"][name])
        assert metrics["reader_r_squared"][name] >= 0.95, name  # the reader itself is reliable
    # the text quotes the weakest axis: it must be the table's weakest
    assert metrics["edit_slope_min"] == min(metrics["edit_fidelity"][n]["slope"] for n in FACTORS)
    assert metrics["edit_r2_min"] == min(metrics["edit_fidelity"][n]["r2"] for n in FACTORS)
    bald = MANIFEST["figures"]["face_bald_edit"]["metrics"]
    assert bald["shown_hair_max"] <= 0.1 and bald["bald_share"] >= 0.9  # every face shown is bald


def test_published_export_is_small():
    description = json.loads((EXPORT / "face_decoder.json").read_text())
    weights = (EXPORT / description["weights"]).read_bytes()
    assert len(weights) <= 1_500_000
    assert len(gzip.decompress(weights)) == 2 * description["values"]
    assert [f["name"] for f in description["factors"]] == list(FACTORS)
