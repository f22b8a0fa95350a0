"""The diffusion chapter's pieces: the spiral, distances to it, the denoiser and its samplers."""
import numpy as np
import pytest
import torch

from generator.data.spiral import DATA_NOISE, CurveDistance, make_spiral, spiral_curve
from generator.engine import registry
from generator.engine.contexts import ModelContext
from generator.engine.seeding import numpy_stream, torch_stream
from generator.measures.scores import mmd_squared, wasserstein_1
from generator.networks.diffusion import (
    SIGMA_MAX,
    SIGMA_MIN,
    Denoiser,
    denoiser_from_artifact,
    noise_levels,
    sample,
)


@pytest.fixture(scope="module")
def distance():
    return CurveDistance()


@pytest.fixture(scope="module")
def smoke_model(smoke_trained):
    return smoke_trained("spiral_diffusion")


def test_distance_to_the_curve_is_exact_where_we_know_it(distance):
    on_curve = spiral_curve(500)
    assert distance(on_curve).max() < 1e-6
    # the spiral r = t/10 starts at t = 1.5π, so the origin is 0.15π away from its inner end
    assert distance(np.zeros((1, 2)))[0] == pytest.approx(0.15 * np.pi, abs=1e-6)
    # step off the curve along its normal: the distance is the step
    tangent = np.gradient(on_curve, axis=0)
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    middle = slice(100, 400)  # away from the ends
    stepped = on_curve[middle] + 0.02 * normal[middle]
    assert np.allclose(distance(stepped), 0.02, atol=1e-5)


def test_the_data_lie_near_the_curve_with_the_stated_noise(distance):
    spiral = make_spiral(20_000, numpy_stream("test/diffusion/data"))
    # the mean of |N(0, σ²)| across a curve is σ √(2/π)
    assert distance(spiral.points).mean() == pytest.approx(DATA_NOISE * np.sqrt(2 / np.pi), rel=0.03)
    again = make_spiral(20_000, numpy_stream("test/diffusion/data"))
    assert np.array_equal(spiral.points, again.points)


def test_distribution_distances_know_same_from_different():
    rng = numpy_stream("test/diffusion/clouds")
    a, b = rng.standard_normal((400, 2)), rng.standard_normal((400, 2))
    assert abs(mmd_squared(a, b, 0.5)) < 0.01
    assert mmd_squared(a, b + 1.0, 0.5) > 0.05
    # moving a cloud by v costs exactly |v| per point: no pairing can do better
    assert wasserstein_1(a, a + np.array([0.3, 0.4])) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="same size"):
        wasserstein_1(a, b[:10])


def test_noise_levels_fall_from_the_top_to_zero():
    sigmas = noise_levels(20)
    assert sigmas.shape == (21,)
    assert sigmas[0] == pytest.approx(SIGMA_MAX) and sigmas[-2] == pytest.approx(SIGMA_MIN, rel=1e-5)
    assert sigmas[-1] == 0 and bool((sigmas[1:] < sigmas[:-1]).all())


def test_the_denoiser_leaves_an_almost_clean_point_alone():
    denoiser = Denoiser(hidden=16, layers=2, frequencies=4, sigma_data=0.7)
    denoiser.initialise(torch_stream("test/diffusion/init"))
    x = torch.randn(50, 2, generator=torch_stream("test/diffusion/x"))
    with torch.no_grad():  # c_skip → 1 and c_out → 0 as σ → 0
        assert torch.allclose(denoiser(x, torch.full((50,), 1e-6)), x, atol=1e-5)


def test_training_is_deterministic_and_learns_to_denoise(smoke_model, distance):
    spec = registry.MODELS["spiral_diffusion"]
    again = spec.train(spec.smoke, ModelContext("spiral_diffusion", smoke=True, quiet=True))
    for key, value in smoke_model.arrays.items():
        assert np.array_equal(value, again.arrays[key]), key
    denoiser = denoiser_from_artifact(smoke_model)
    clean = torch.from_numpy(make_spiral(2000, numpy_stream("test/diffusion/clean")).points).float()
    noisy = clean + 0.3 * torch.randn(clean.shape, generator=torch_stream("test/diffusion/noise"))
    with torch.no_grad():
        guess = denoiser(noisy, torch.full((len(clean),), 0.3))
    # only noise across the curve can be removed (along it, noise looks like data), so measure
    # the distance to the curve: the guesses must be clearly nearer than the noisy points
    # (an untrained network gets 0.88 of the way, the smoke model about 0.69)
    assert distance(guess.numpy()).mean() < 0.8 * distance(noisy.numpy()).mean()


@pytest.mark.parametrize("stochastic", [True, False])
def test_samplers_are_reproducible_and_end_nearer_the_curve(smoke_model, distance, stochastic):
    denoiser = denoiser_from_artifact(smoke_model)
    path = sample(denoiser, 300, 12, torch_stream("test/diffusion/sample"), stochastic)
    assert path.shape == (13, 300, 2)
    again = sample(denoiser, 300, 12, torch_stream("test/diffusion/sample"), stochastic)
    assert torch.equal(path, again)
    start, end = distance(path[0].numpy()).mean(), distance(path[-1].numpy()).mean()
    assert end < 0.5 * start
