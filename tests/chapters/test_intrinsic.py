"""The intrinsic-dimension estimators against known answers, and the published measurements."""
import json

import numpy as np
import pytest
from shared import ROOT

from generator.engine.seeding import numpy_stream
from generator.measures.intrinsic import (
    in_cube,
    mle_dimension,
    neighbour_distances,
    on_sphere,
    twonn_dimension,
)

MANIFEST = json.loads((ROOT / "figures" / "manifest.json").read_text())


@pytest.mark.parametrize("d", [2, 5, 10])
def test_both_estimators_find_the_dimension_of_a_sphere(d):
    """2,000 points on the d-sphere, turned into 30 dimensions: both estimates within 10 % of d."""
    points = on_sphere(2000, d, 30, numpy_stream(f"test/intrinsic/sphere/{d}"))
    distances = neighbour_distances(points, 10)
    assert mle_dimension(points, 10, distances) == pytest.approx(d, rel=0.1)
    assert twonn_dimension(points, distances) == pytest.approx(d, rel=0.1)


@pytest.mark.parametrize("d", [2, 5])
def test_both_estimators_find_the_dimension_of_a_cube(d):
    """A cube has edges, where a point has fewer neighbours on one side; at d = 2 and 5 both
    estimators still land within 10 % (at d = 10, 2,000 points are mostly near an edge)."""
    points = in_cube(2000, d, 30, numpy_stream(f"test/intrinsic/cube/{d}"))
    assert mle_dimension(points, 10) == pytest.approx(d, rel=0.1)
    assert twonn_dimension(points) == pytest.approx(d, rel=0.1)


def test_the_estimate_does_not_depend_on_scale_or_ambient_dimension():
    points = on_sphere(1000, 3, 8, numpy_stream("test/intrinsic/scale"))
    wide = np.pad(points, ((0, 0), (0, 500)))
    assert mle_dimension(points * 1000) == pytest.approx(mle_dimension(points))
    assert twonn_dimension(wide) == pytest.approx(twonn_dimension(points))


def test_too_few_points_name_the_fix():
    with pytest.raises(ValueError, match="fewer neighbours"):
        mle_dimension(np.zeros((5, 3)), k=10)


def test_published_dimensions_tell_the_chapter_story():
    found = MANIFEST["figures"]["intrinsic_headline"]["metrics"]["intrinsic_dimension"]
    assert found["swiss_roll"]["mle"] == pytest.approx(2, rel=0.1)
    assert found["mnist"]["mle"] < 20 < found["mnist"]["ambient"]  # about a dozen of 784
    assert 6 <= found["faces"]["mle"] <= 12  # six named factors and three unnamed ones
    metrics = MANIFEST["figures"]["intrinsic_headline"]["metrics"]
    assert (metrics["digit_lowest"], metrics["digit_highest"]) == (1, 8)  # the page names these two
    noise = MANIFEST["figures"]["intrinsic_headline"]["metrics"]["noise_by_n"]
    assert list(noise.values()) == sorted(noise.values())  # noise keeps rising with n
    for entry in found.values():
        assert set(entry) == {"mle", "twonn", "k", "n", "ambient"}
