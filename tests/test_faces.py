"""The faces chapter's pieces: the face renderer and its factors, the probes, the real and
cartoon face data."""
import numpy as np
import pytest

from generator.data.faces import FACTORS, make_faces
from generator.figures.faces import Probe
from generator.seeding import numpy_stream


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


def test_each_factor_changes_what_it_names():
    skin = one_factor_sweep("skin_tone")[:, 36:44, 14:20].mean(axis=(1, 2, 3))  # a cheek
    assert np.all(np.diff(skin) < 0)  # darker and darker
    hair = one_factor_sweep("hair")[:, 4:8, 28:36].mean(axis=(1, 2, 3))  # the crown
    assert hair[0] > hair[-1] + 0.1  # bald: skin (light) where hair (dark) would be
    eyes = one_factor_sweep("eye_size")
    changed = [np.abs(face - eyes[0])[24:40].sum() for face in eyes]  # the band of the eyes
    assert np.all(np.diff(changed) > 0)  # the bigger the eyes, the more of the band changes
    width = [(np.abs(face - face[0, 0]).sum(axis=2) > 0.1)[30].sum() for face in one_factor_sweep("face_width")]
    assert np.all(np.diff(width) >= 0) and width[-1] > width[0] + 5


def test_anime_style_is_outside_the_human_range():
    def eye_white(face):  # white pixels, counting each eye's white and its highlight
        return int((face > 0.97).all(axis=2).sum())

    human = [eye_white(f) for f in one_factor_sweep("eye_size")]
    anime = [eye_white(f) for f in one_factor_sweep("eye_size", style="anime")]
    assert min(anime) > 1.5 * max(human)
    with pytest.raises(ValueError, match="style"):
        make_faces(1, numpy_stream("test/faces"), style="cubist")


def test_probe_recovers_known_linear_factors():
    rng = numpy_stream("test/faces/probe")
    factors = rng.random((400, 6))
    mixing = rng.standard_normal((6, 10))
    z = factors @ mixing + 0.01 * rng.standard_normal((400, 10))
    probe = Probe(z[:300], factors[:300])
    assert probe.r_squared(z[300:], factors[300:]).min() > 0.99
    # moving along factor 2's attribute vector changes factor 2 and leaves the others
    moved = probe.move(z[0], 2, np.array([0.0, 1.0]), factors[0, 2])
    change = probe.predict(moved[1:]) - probe.predict(moved[:1])
    assert change[0, 2] == pytest.approx(1.0, abs=0.02)
    assert np.abs(np.delete(change[0], 2)).max() < 0.02


def test_real_faces_ship_with_scikit_image():
    from generator.data.lfw import load_lfw

    faces = load_lfw()
    assert faces.shape == (100, 625) and 0 <= faces.min() and faces.max() <= 1


def test_cartoon_faces_are_deterministic():
    from generator.data.avataaars import avatars

    first, again = avatars(2), avatars(2)
    assert first.shape == (2, 64, 64, 3) and np.array_equal(first, again)
    assert not np.array_equal(first[0], first[1])
