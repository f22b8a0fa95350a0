"""The latent explorer: the exported decoder (Python) and its JavaScript forward pass (browser)."""
import gzip
import json

import numpy as np
import pytest
import torch
from PIL import Image
from shared import ROOT

from generator.engine.contexts import FigureContext
from generator.figures.latent_explorer import decode_exported, mnist_decoder
from generator.networks.export import forward, unpack_layers
from generator.networks.vae import vae_from_artifact

EXPORT = ROOT / "figures" / "latent_explorer"
FIXED_Z = np.array([[0.0, 0.0], [-1.2, 0.3], [0.7, -1.9], [2.5, 2.5], [-3.0, -3.0]], np.float32)


@pytest.fixture(scope="module")
def smoke_models(smoke_trained):
    return {name: smoke_trained(name) for name in ("mnist_vae", "mnist_classifier")}


@pytest.fixture(scope="module")
def smoke_export(smoke_models):
    files = mnist_decoder(FigureContext("mnist_decoder", None, True, smoke_models))
    return smoke_models["mnist_vae"], json.loads(files["json"]), files["f16.gz"]


def test_numpy_decoding_of_the_export_matches_torch(smoke_export):
    artifact, description, weights = smoke_export
    with torch.no_grad():
        expected = torch.sigmoid(vae_from_artifact(artifact).decode(torch.from_numpy(FIXED_Z))).numpy()
    got = decode_exported(description, weights, FIXED_Z)
    assert got.shape == (len(FIXED_Z), 784)
    assert np.abs(got - expected).max() <= 1e-3


def test_export_is_byte_stable(smoke_models, smoke_export):
    _, _, weights = smoke_export
    again = mnist_decoder(FigureContext("mnist_decoder", None, True, smoke_models))
    assert again["f16.gz"] == weights


def test_published_export_is_small_and_complete():
    description = json.loads((EXPORT / "mnist_decoder.json").read_text())
    weights = (EXPORT / description["weights"]).read_bytes()
    assert len(weights) <= 1_050_000  # the decoder (≈ 987 KB) and the classifier (≈ 15 KB)
    assert (EXPORT / description["nearest"]["atlas"]).stat().st_size <= 120_000
    assert len(description["nearest"]["training_index"]) == description["nearest"]["count"]
    assert [label[2] for label in description["map"]["labels"]] == list(range(10))
    assert len(gzip.decompress(weights)) == 2 * description["values"]
    assert [layer["activation"] for layer in description["layers"]][-1] == "sigmoid"
    assert len(description["map"]["points"]) == 500
    digits = decode_exported(description, weights, FIXED_Z)
    assert 0 <= digits.min() and digits.max() <= 1 and digits.mean() < 0.5  # mostly white paper


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_explorer_in_the_browser(browser, open_page, site_server, language):
    url = site_server + ("en/" if language == "en" else "") + "latent-space/"
    page, errors = open_page(url)
    page.wait_for_function("window.latentExplorers && window.latentExplorers.length === 1")
    page.evaluate("window.latentExplorers[0].load().then(() => true)")
    # 1. the JavaScript forward pass equals the numpy reference on the published files
    description = json.loads((EXPORT / "mnist_decoder.json").read_text())
    reference = decode_exported(description, (EXPORT / description["weights"]).read_bytes(), FIXED_Z)
    got = np.array(page.evaluate(
        "zs => window.latentExplorers[0].load().then(e => zs.map(z => Array.from(e.decode(z))))",
        FIXED_Z.tolist()))
    error = np.abs(got - reference).max()
    print(f"\nJS vs numpy max abs error ({language}): {error:.2e}")
    assert error <= 1e-3
    # ... and mlp.js's forward pass on its own, a batch at once, against export.py's
    layers = unpack_layers(description["layers"], (EXPORT / description["weights"]).read_bytes())
    batch = np.array(page.evaluate(
        """([url, zs]) => window.ManifoldMlp.load(url).then(net => Array.from(
             window.ManifoldMlp.forward(net.layers, Float32Array.from(zs.flat()), zs.length)))""",
        [site_server + "figures/latent_explorer/mnist_decoder.json", FIXED_Z.tolist()]))
    assert np.abs(batch.reshape(len(FIXED_Z), -1) - forward(layers, FIXED_Z)).max() <= 1e-4
    timing = page.evaluate("""() => window.latentExplorers[0].load().then(e => {
        const start = performance.now();
        for (let i = 0; i < 200; i++) e.decode([Math.sin(i), Math.cos(i)]);
        return (performance.now() - start) / 200; })""")
    print(f"\nms per decode in Chromium ({language}): {timing:.3f}")
    # 2. dragging the handle changes the digit and the coordinates
    explorer = page.locator(".latent-explorer__map")
    explorer.scroll_into_view_if_needed()
    before = page.evaluate("window.latentExplorers[0].load().then(e => e.pixels())")
    box = explorer.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2, steps=5)
    page.mouse.up()
    z = page.evaluate("window.latentExplorers[0].load().then(e => e.getZ())")
    assert z[0] > 1.5 and z[1] > 1.5
    assert page.evaluate("window.latentExplorers[0].load().then(e => e.pixels())") != before
    # 3. arrow keys move it
    explorer.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    moved = page.evaluate("window.latentExplorers[0].load().then(e => e.getZ())")
    assert moved[0] == pytest.approx(z[0] - 0.1, abs=1e-6) and moved[1] == pytest.approx(z[1] - 0.1, abs=1e-6)
    assert "z = (" in page.locator(".latent-explorer__readout").inner_text()
    # 4. the classifier and the nearest training digit agree with numpy, at a few places
    from generator.measures.scores import nearest_training

    weights = (EXPORT / description["weights"]).read_bytes()
    classifier = unpack_layers([description["classifier"]], weights)
    atlas = np.asarray(Image.open(EXPORT / description["nearest"]["atlas"]), dtype=np.float32) / 255
    columns = description["nearest"]["columns"]
    shipped = np.stack([atlas[(k // columns) * 28:(k // columns + 1) * 28, (k % columns) * 28:(k % columns + 1) * 28].ravel()
                        for k in range(description["nearest"]["count"])])
    for z_point in FIXED_Z[:3]:
        found = page.evaluate("""z => window.latentExplorers[0].load().then(e => {
            const pixels = e.decode(z); const n = e.nearest(pixels);
            return [e.probabilities(pixels), n.index, n.distance]; })""", z_point.tolist())
        pixels = decode_exported(description, weights, z_point[None, :])
        assert np.abs(np.array(found[0]) - forward(classifier, pixels)[0]).max() < 1e-4
        index, distance = nearest_training(pixels, shipped)
        assert found[1] == index[0] and found[2] == pytest.approx(distance[0], abs=1e-3)
    # 5. it starts on a clear 9, and "follow 9 → 6 → 0" walks the path to the 0
    page.reload()
    page.wait_for_function("window.latentExplorers.length === 1")
    start = page.evaluate("window.latentExplorers[0].load().then(e => e.getZ())")
    assert start == pytest.approx(description["map"]["labels"][9][:2], abs=1e-6)
    page.bring_to_front()  # animation frames run only in the page in front
    page.locator(".latent-explorer__button").click()
    page.wait_for_function("!window.latentExplorers[0].instance.playing()", polling=100, timeout=20_000)
    end = page.evaluate("window.latentExplorers[0].instance.getZ()")
    assert end == pytest.approx(description["map"]["path"][-1], abs=1e-3)
    assert errors == []
    page.close()
