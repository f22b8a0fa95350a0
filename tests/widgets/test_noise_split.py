"""The noise-split widget in Chromium: its denoiser against the numpy reference on the
published files, the move it splits, its controls by mouse, keys and touch, and its speed."""
import json

import numpy as np
import pytest

from generator.networks.export import edm_denoise, unpack_layers
from shared import ROOT

EXPORT = ROOT / "figures" / "conditional_curves"
PROMPTS = np.eye(3, dtype=np.float32)  # inner arm, outer arm, no prompt
READY = "window.noiseSplits && window.noiseSplits.length === 1"


def published():
    description = json.loads((EXPORT / "arms_denoiser.json").read_text(encoding="utf-8"))
    return description, unpack_layers(description["layers"], (EXPORT / description["weights"]).read_bytes())


def reference_move(description, layers, x, sigma, prompt, w):
    """D_w(x; σ, prompt) − x in numpy: classifier-free guidance around the exported denoiser."""
    with_prompt = edm_denoise(description, layers, x, sigma, PROMPTS[prompt])
    if prompt == 2 or w == 0:
        return with_prompt - x
    without = edm_denoise(description, layers, x, sigma, PROMPTS[2])
    return without + (1 + w) * (with_prompt - without) - x


def open_widget(open_page, site_server, language="ko"):
    page, errors = open_page(site_server + ("en/" if language == "en" else "") + "conditional/")
    page.wait_for_function(READY)
    page.evaluate("window.noiseSplits[0].load().then(() => true)")
    return page, errors


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_noise_split_in_the_browser(browser, open_page, site_server, language):
    page, errors = open_widget(open_page, site_server, language)
    description, layers = published()
    x = np.random.default_rng(3).uniform(-1.5, 1.5, (20, 2)).astype(np.float32)
    # 1. the JavaScript denoiser (mlp.js) equals numpy on the published files
    for sigma, prompt in ((0.04, 0), (0.3, 1), (2.0, 2)):
        expected = edm_denoise(description, layers, x, sigma, PROMPTS[prompt])
        got = np.array(page.evaluate(
            """([x, sigma, c]) => window.noiseSplits[0].load().then(i => Array.from(
                 window.ManifoldMlp.edmDenoiser(i.model.description, i.layers)
                   (Float32Array.from(x), x.length / 2, sigma, Float32Array.from(c))))""",
            [x.ravel().tolist(), sigma, PROMPTS[prompt].tolist()])).reshape(expected.shape)
        assert np.abs(got - expected).max() <= 1e-4, (sigma, prompt)
    # ... and so do the widget's guided moves
    for sigma, prompt, w in ((0.2, 0, 2.0), (0.05, 1, 0.0)):
        expected = reference_move(description, layers, x, sigma, prompt, w)
        got = np.array(page.evaluate(
            """([x, sigma, prompt, w]) => window.noiseSplits[0].load().then(i =>
                 Array.from(i.model.moves(Float32Array.from(x), x.length / 2, sigma, prompt, w)))""",
            [x.ravel().tolist(), sigma, prompt, w])).reshape(expected.shape)
        assert np.abs(got - expected).max() <= 1e-4, (sigma, prompt, w)
    # 2. a point near the inner arm at a small σ: its move runs across the curve, not along it
    page.evaluate("window.noiseSplits[0].instance.setSigma(0.04)")
    page.evaluate("window.noiseSplits[0].instance.moveProbe([0.66, 0.02])")
    split = page.evaluate("window.noiseSplits[0].instance.split()")
    assert split["across"] > 5 * abs(split["along"])
    assert ("가로질러" if language == "ko" else "across") in page.evaluate("window.noiseSplits[0].instance.readout()")
    # 3. the arrow keys move the point; a drag puts it under the pointer
    canvas = page.locator(".noise-split__map")
    canvas.scroll_into_view_if_needed()
    canvas.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Shift+ArrowLeft")
    probe = page.evaluate("window.noiseSplits[0].instance.state.probe")
    assert probe == pytest.approx([0.66 - 0.1, 0.02 + 0.02], abs=1e-6)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25, steps=4)
    page.mouse.up()
    probe = page.evaluate("window.noiseSplits[0].instance.state.probe")
    assert probe[0] > 0.7 and probe[1] > 0.7
    # 4. new noise: a point of the prompted arm plus noise of the current σ
    page.locator(".noise-split__button").first.click()
    state = page.evaluate("window.noiseSplits[0].instance.state")
    assert np.linalg.norm(np.subtract(state["probe"], state["clean"])) < 6 * state["sigma"]
    # 5. the reverse process ends on the prompted arm; the scrubber goes back to pure noise
    page.evaluate("window.noiseSplits[0].instance.setSigma(0.2)")
    page.evaluate("window.noiseSplits[0].instance.reverse()")
    last = np.array(page.evaluate(
        "(() => { const i = window.noiseSplits[0].instance; i.setStep(i.model.description.sampler.steps);"
        " return Array.from(i.state.path[i.state.step]); })()")).reshape(-1, 2)
    inner = np.array(description["arms"][0])
    distance = np.sqrt(((last[:, None, :] - inner[None]) ** 2).sum(-1)).min(1)
    assert np.mean(distance < 0.05) >= 0.9
    slider = page.locator(".noise-split__slider input").nth(2)
    slider.fill("0")
    assert page.evaluate("window.noiseSplits[0].instance.state.step") == 0
    # 6. a whole redraw (the field at a new σ: 121 points, with guidance twice) is quick
    page.evaluate("window.noiseSplits[0].instance.setGuidance(2)")
    times = page.evaluate("""() => { const i = window.noiseSplits[0].instance, t = [];
        for (let k = 0; k < 15; k++) t.push(i.setSigma(0.05 + 0.05 * k)); return t; }""")
    print(f"\nnoise-split redraw in Chromium ({language}): fastest {min(times):.1f} ms, median {sorted(times)[7]:.1f} ms")
    assert min(times) <= 50
    assert errors == []
    page.close()


@pytest.mark.browser
def test_noise_split_fits_a_phone_and_its_targets_fit_a_finger(phone_page, site_server):
    page = phone_page(site_server + "conditional/")
    page.wait_for_function(READY)
    page.evaluate("window.noiseSplits[0].load().then(() => true)")
    widget = page.locator(".noise-split")
    widget.scroll_into_view_if_needed()
    box = widget.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    for target in page.locator(".noise-split button, .noise-split input").all():
        assert target.bounding_box()["height"] >= 44
    canvas = page.locator(".noise-split__map")
    size = canvas.bounding_box()
    canvas.tap(position={"x": size["width"] * 0.25, "y": size["height"] * 0.25})
    probe = page.evaluate("window.noiseSplits[0].instance.state.probe")
    assert probe[0] < 0 < probe[1]  # the point went to the upper left, where the finger was


@pytest.mark.browser
def test_a_small_split_is_shown_magnified_where_it_hides_nothing(phone_page, site_server):
    """At a small σ the noise and the move are a few pixels on a phone: a lens in a corner shows
    them magnified, in the corner away from the point; at a large σ the map alone shows them."""
    page = phone_page(site_server + "conditional/")
    page.wait_for_function(READY)
    found = page.evaluate("""() => window.noiseSplits[0].load().then(i => {
        i.setSigma(0.04); i.newNoise(); const small = Object.assign({}, i.state.lens);
        const here = i.state.probe;
        i.setSigma(1.0); i.moveProbe([0.9, 0.9]); const large = i.state.lens;
        return {small, large, here}; })""")
    assert found["small"]["zoom"] >= 3 and found["large"] is None
    # the lens sits in the half of the map away from the point (x to the right of the centre: lens on the left)
    here_right = found["here"][0] > 0
    assert (found["small"]["left"] < 50) == here_right


@pytest.mark.browser
def test_the_legend_names_only_what_is_drawn(phone_page, site_server):
    """Before new noise there is no clean point and no noise to split: the legend does not name
    them. After it, it does; and the lens is named only while it is shown."""
    page = phone_page(site_server + "conditional/")
    page.wait_for_function(READY)
    shown = """() => Array.from(document.querySelectorAll('.noise-split__key'))
        .filter(k => !k.hidden).map(k => k.textContent)"""
    before = page.evaluate(f"""() => window.noiseSplits[0].load().then(i => {{
        i.setSigma(1.0); i.moveProbe([0.9, 0.9]); return ({shown})(); }})""")
    after = page.evaluate(f"""() => window.noiseSplits[0].load().then(i => {{
        i.setSigma(0.04); i.newNoise(); return ({shown})(); }})""")
    assert not any("노이즈를 더하기 전" in text for text in before) and len(before) == 2
    assert any("노이즈를 더하기 전" in text for text in after) and any("확대" in text for text in after)
