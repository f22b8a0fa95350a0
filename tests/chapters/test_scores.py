import numpy as np
import pytest

from generator.data.swiss_roll import arc_length, make_swiss_roll, roll_sheet
from generator.engine.seeding import numpy_stream
from generator.measures.scores import along_roll_correlation, distance_correlation


def sheet_and_truth(n=400):
    rng = numpy_stream("test/scores")
    t = rng.uniform(0, 10, n)
    h = rng.uniform(0, 3, n)
    return np.column_stack([t, h]), t


def test_truth_itself_scores_one():
    sheet, t = sheet_and_truth()
    assert along_roll_correlation(sheet, t) > 1 - 1e-9
    assert distance_correlation(sheet, sheet) > 1 - 1e-9


def test_rotation_mirror_and_monotone_stretch_are_not_penalised():
    sheet, t = sheet_and_truth()
    angle = np.radians(90)  # one of the 180 tested directions
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    turned = sheet @ rotation.T * np.array([1, -1])  # rotated and mirrored
    assert along_roll_correlation(turned, t) > 0.999
    assert distance_correlation(turned * 7.0, sheet) > 0.999
    stretched = np.column_stack([np.exp(sheet[:, 0] / 3), sheet[:, 1]])  # monotone along t
    assert along_roll_correlation(stretched, t) > 0.999


def test_random_embedding_scores_near_zero():
    sheet, t = sheet_and_truth()
    noise = numpy_stream("test/scores/noise").standard_normal(sheet.shape)
    assert along_roll_correlation(noise, t) < 0.2
    assert abs(distance_correlation(noise, sheet)) < 0.1


def test_squashing_a_direction_lowers_the_shape_score_only():
    sheet, t = sheet_and_truth()
    squashed = sheet * np.array([1.0, 0.0])  # height flattened away
    assert along_roll_correlation(squashed, t) > 1 - 1e-9
    assert distance_correlation(squashed, sheet) < 0.99


def test_fully_rolled_sheet_is_the_swiss_roll():
    roll = make_swiss_roll(200, numpy_stream("test/roll"))
    assert np.allclose(roll_sheet(roll.t, roll.h, 1.0), roll.points, atol=1e-3)


def test_rolling_never_stretches_the_sheet():
    t = np.linspace(1.5 * np.pi, 4.5 * np.pi, 3000)
    h = np.zeros_like(t)
    expected = arc_length(t)[-1]
    for amount in (0.0, 0.3, 0.7, 1.0):
        curve = roll_sheet(t, h, amount)
        length = np.linalg.norm(np.diff(curve, axis=0), axis=1).sum()
        assert abs(length - expected) / expected < 1e-3


def test_sheet_proportions_tell_a_rectangle_from_a_squashed_wedge():
    from generator.measures.scores import sheet_proportions

    rng = np.random.default_rng(0)
    along, across = rng.random(4000), rng.random(4000)
    rectangle = np.column_stack([4 * along, across])  # 4 long, 1 wide
    shape = sheet_proportions(rectangle, along)
    assert shape["length_to_width"] == pytest.approx(4, rel=0.05)
    assert shape["wedge"] == pytest.approx(1, abs=0.2)
    # wide at the start, narrow at the end, and shortened: LLE's picture of the roll
    wedge = np.column_stack([0.8 * along, (1.2 - along) * (across - 0.5)])
    found = sheet_proportions(wedge @ np.array([[0.6, 0.8], [-0.8, 0.6]]), along)  # rotated
    assert found["length_to_width"] < 1.5 and found["wedge"] > 4
