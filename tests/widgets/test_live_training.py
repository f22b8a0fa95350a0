"""The in-page trainer (docs/assets/javascripts/train-core.js) against torch: the same network,
the same batch, the same noise levels and noise give the same loss, the same gradients and,
after Adam, the same weights (to 1e-4 relative; both run in float64)."""
import numpy as np
import pytest
import torch

from shared import ROOT

SCRIPTS = ROOT / "docs" / "assets" / "javascripts"
CORE = SCRIPTS / "train-core.js"  # needs widget-kit.js (its seeded generator) first
CONFIG = {"sigmaData": 0.5, "frequencies": 4, "learningRate": 2e-3, "logSigmaMean": -1.2, "logSigmaStd": 1.2}
HIDDEN, LAYERS, BATCH = 32, 3, 64


@pytest.fixture
def core_page(browser):
    page = browser.new_page()
    page.add_script_tag(path=str(SCRIPTS / "widget-kit.js"))
    page.add_script_tag(path=str(CORE))
    yield page
    page.close()


def torch_twin(layers: list, conditions: int):
    """The diffusion chapter's Denoiser in float64, holding the JS network's weights."""
    from generator.networks.diffusion import Denoiser

    denoiser = Denoiser(HIDDEN, LAYERS, CONFIG["frequencies"], CONFIG["sigmaData"], conditions).double()
    linears = [m for m in denoiser.net if isinstance(m, torch.nn.Linear)]
    assert len(linears) == len(layers)
    with torch.no_grad():
        for linear, layer in zip(linears, layers):
            linear.weight.copy_(torch.tensor(layer["weight"], dtype=torch.float64).reshape(layer["rows"], layer["cols"]))
            linear.bias.copy_(torch.tensor(layer["bias"], dtype=torch.float64))
    return denoiser, linears


def relative(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-12))


@pytest.mark.browser
@pytest.mark.parametrize("conditions", [0, 3])  # plain, and two colours + "none" with condition dropout
def test_a_training_step_in_the_page_is_torchs(core_page, conditions):
    from generator.networks.live_training import train_step

    config = dict(CONFIG, conditions=conditions, dropout=0.2)
    found = core_page.evaluate("""([config, sizes, batchSize]) => {
        const T = window.TrainCore, rng = T.random(7);
        const layers = T.createNetwork(sizes, rng);
        const copy = layers.map(l => ({rows: l.rows, cols: l.cols, weight: Array.from(l.weight), bias: Array.from(l.bias)}));
        const data = new Float64Array(400), labels = config.conditions ? new Int32Array(200) : null;
        for (let i = 0; i < 200; i++) { const t = 3 * rng.uniform(); data[2*i] = t * Math.cos(2*t) / 3; data[2*i+1] = t * Math.sin(2*t) / 3;
                                        if (labels) labels[i] = t < 1.5 ? 0 : 1; }
        const batches = [], losses = [], moments = {};
        let gradients = null;
        for (let s = 0; s < 3; s++) {
          const b = T.batch(data, 200, batchSize, rng, config, labels);
          if (s === 0) gradients = T.lossAndGradients(layers, b.x0, b.sigma, b.noise, batchSize, config, b.labels).gradients
              .map(g => ({weight: Array.from(g.weight), bias: Array.from(g.bias)}));
          losses.push(T.trainStep(layers, moments, b.x0, b.sigma, b.noise, batchSize, config, b.labels));
          batches.push({x0: Array.from(b.x0), sigma: Array.from(b.sigma), noise: Array.from(b.noise),
                        labels: b.labels ? Array.from(b.labels) : null});
        }
        const after = layers.map(l => ({weight: Array.from(l.weight), bias: Array.from(l.bias)}));
        return {start: copy, batches, losses, gradients, after};
    }""", [config, [2 + 2 * CONFIG["frequencies"] + conditions] + [HIDDEN] * LAYERS + [2], BATCH])
    denoiser, linears = torch_twin(found["start"], conditions)
    optimiser = torch.optim.Adam(denoiser.parameters(), lr=CONFIG["learningRate"])
    for step, b in enumerate(found["batches"]):
        x0 = torch.tensor(b["x0"], dtype=torch.float64).reshape(-1, 2)
        sigma = torch.tensor(b["sigma"], dtype=torch.float64)
        noise = torch.tensor(b["noise"], dtype=torch.float64).reshape(-1, 2)
        condition = None if b["labels"] is None else \
            torch.nn.functional.one_hot(torch.tensor(b["labels"]), conditions).double()
        if condition is not None:
            assert 0 < (condition[:, -1] == 1).sum() < len(condition)  # some conditions were dropped
        loss = train_step(denoiser, optimiser, x0, sigma, noise, condition)
        assert relative(found["losses"][step], loss) < 1e-4
        if step == 0:  # the gradients of the first step, before Adam moved anything
            for linear, gradient in zip(linears, found["gradients"]):
                assert relative(gradient["weight"], linear.weight.grad.flatten()) < 1e-4
                assert relative(gradient["bias"], linear.bias.grad) < 1e-4
    for linear, layer in zip(linears, found["after"]):  # three Adam steps later
        assert relative(layer["weight"], linear.weight.detach().flatten()) < 1e-4
        assert relative(layer["bias"], linear.bias.detach()) < 1e-4
    assert found["losses"][0] > 0


@pytest.mark.browser
def test_the_seeded_generator_repeats_itself_and_looks_normal(core_page):
    found = core_page.evaluate("""() => {
        const a = window.TrainCore.random(3), b = window.TrainCore.random(3), c = window.TrainCore.random(4);
        const draws = Array.from({length: 20000}, () => a.normal());
        const again = Array.from({length: 20000}, () => b.normal());
        return {same: draws.every((v, i) => v === again[i]), other: c.normal() !== again[0] || c.normal() !== again[1],
                mean: draws.reduce((s, v) => s + v, 0) / draws.length,
                variance: draws.reduce((s, v) => s + v * v, 0) / draws.length};
    }""")
    assert found["same"] and found["other"]
    assert abs(found["mean"]) < 0.03 and abs(found["variance"] - 1) < 0.04


def test_the_widgets_score_is_the_nearest_distance_python_measures(core_page):
    """The readout's score, meanNearest(samples, data): each sample's distance to its nearest
    drawn point, averaged; the same as generator/measures/scores.py's nearest_training."""
    from generator.measures.scores import nearest_training

    rng = np.random.default_rng(3)
    points, data = rng.normal(size=(150, 2)), rng.uniform(-1, 1, size=(400, 2))
    found = core_page.evaluate("([p, d]) => window.TrainCore.meanNearest(Float64Array.from(p), Float64Array.from(d))",
                               [points.ravel().tolist(), data.ravel().tolist()])
    assert found == pytest.approx(float(nearest_training(points, data)[1].mean()), rel=1e-9)
