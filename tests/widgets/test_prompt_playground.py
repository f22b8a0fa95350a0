"""The prompt playground in Chromium: its JavaScript sampler and prompt parser against the
Python reference on the published files, its messages, keyboard and touch."""
import json

import numpy as np
import pytest
import torch

from generator.engine import paths, seeding
from generator.figures.conditional_playground import sample_exported
from generator.networks.export import edm_denoise, unpack_layers
from generator.pipelines.prompts import UNCONDITIONAL, Condition, PromptError, parse_prompt
from generator.pipelines.text_to_digit import SIGMA_MAX


# true once the playground is built and its animation has drawn the last step
FINISHED = "(() => { const p = window.promptPlaygrounds[0].instance; return p !== null && p.done(); })()"
PARITY_PROMPTS = {"ko": ["굵은 7", "기울어진 1", "가는 똑바른 숫자 4", "", "7 7", "뚱뚱한 7", "가는 굵은 3", "7 8",
                         "굵은 7을 그려 줘", "일곱을 굵게", "비스듬히 하나", "보통 굵기 7", "이", "굵은 이", "칠",
                         "굵고 기울어진 7", "기타 기울기 3", "10"],
                  "en": ["a thick 7", "A Slanted, thin one", "upright 0", "", "a fat 7", "thin thick 7", "seven 8",
                         "draw me a thick seven", "regular thickness 7", "10", "thik 7"]}


def published_files() -> tuple[dict, bytes]:
    """The playground's published description and weights, exactly what the browser loads."""
    folder = paths.FIGURES / "conditional_playground"
    description = json.loads((folder / "prompt_denoiser.json").read_text(encoding="utf-8"))
    return description, (folder / "prompt_denoiser.f16.gz").read_bytes()


def published_sampler():
    """The numpy reference sampler on the published files. (That the reference equals torch is
    checked in tests/chapters/test_conditional.py, on smoke models: no full model is trained here.)"""
    description, compressed = published_files()
    return lambda start, condition, weight: sample_exported(description, compressed, start,
                                                            condition.vector(), weight)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_playground_in_the_browser(browser, open_page, site_server, language):
    url = site_server + ("en/" if language == "en" else "") + "conditional/"
    page, errors = open_page(url)
    page.wait_for_function("window.promptPlaygrounds && window.promptPlaygrounds.length === 1")
    page.evaluate("window.promptPlaygrounds[0].load().then(() => true)")
    page.wait_for_function(FINISHED)
    # 1. the JavaScript sampler equals the reference sampler (same float16 weights) on fixed start points
    sample = published_sampler()
    start = (SIGMA_MAX * torch.randn(12, 2, generator=seeding.torch_stream("test/browser"))).numpy()
    for condition, weight in ((Condition(7, 2), 3.0), (Condition(4), 8.0), (UNCONDITIONAL, 0.0)):
        expected = sample(start, condition, weight)
        got = np.array(page.evaluate(
            """([start, condition, w]) => window.promptPlaygrounds[0].load().then(p =>
                 p.model.sample(Float32Array.from(start), start.length / 2, Float32Array.from(condition), w)
                  .map(step => Array.from(step)))""",
            [start.ravel().tolist(), condition.vector().tolist(), weight])).reshape(expected.shape)
        error = np.abs(got - expected).max()
        print(f"\nJS vs reference (float16 weights), {condition}, w={weight}: max abs error {error:.2e}")
        assert error <= 1e-3
    # ... and one denoiser call on its own, at a small and a large noise level
    description, compressed = published_files()
    layers = unpack_layers(description["layers"], compressed)
    for sigma in (0.05, 2.0):
        expected = edm_denoise(description, layers, start, sigma, Condition(3).vector())
        got = np.array(page.evaluate(
            """([start, sigma, condition]) => window.promptPlaygrounds[0].load().then(p => Array.from(
                 p.model.denoise(Float32Array.from(start), start.length / 2, sigma, Float32Array.from(condition))))""",
            [start.ravel().tolist(), sigma, Condition(3).vector().tolist()])).reshape(expected.shape)
        assert np.abs(got - expected).max() <= 1e-4
    # 2. prompts parse exactly as in Python
    for text in PARITY_PROMPTS[language]:
        parsed = page.evaluate("t => window.promptPlaygrounds[0].load().then(p => { const r = p.model.parse(t);"
                               " return r.error ? null : Array.from(r.vector); })", text)
        try:
            expected = parse_prompt(text, language).vector().tolist()
        except PromptError:
            expected = None
        assert parsed == expected, text
    # 3. an unknown word keeps the last digits and says which words it knows
    playground = page.locator(".prompt-playground")
    playground.scroll_into_view_if_needed()
    before = page.evaluate("document.querySelector('.prompt-playground__grid').toDataURL()")
    prompt = playground.locator("input[type=text]")
    prompt.fill("뚱뚱한 7" if language == "ko" else "a fat 7")
    prompt.press("Enter")
    message = playground.locator(".prompt-playground__message[role=status]").inner_text()
    assert ("굵은" if language == "ko" else "thick") in message
    assert "prompt-playground__panel--stale" in playground.locator(".prompt-playground__panel").get_attribute("class")
    assert page.evaluate("document.querySelector('.prompt-playground__grid').toDataURL()") == before
    # ... and a typo is met with the nearest known word
    prompt.fill("기울어친 1" if language == "ko" else "a thik 7")
    prompt.press("Enter")
    assert ("혹시 ‘기울어진’" if language == "ko" else "did you mean ‘thick’") in playground.locator(
        ".prompt-playground__message[role=status]").inner_text()
    # an unknown word typed while a run still draws: the error stays, the run does not overwrite it
    playground.locator(".prompt-playground__chip").nth(1).click()
    prompt.fill("뚱뚱한 7" if language == "ko" else "a fat 7")
    prompt.press("Enter")
    page.wait_for_timeout(1500)
    message = playground.locator(".prompt-playground__message[role=status]").inner_text()
    assert ("뚱뚱한" if language == "ko" else "fat") in message
    assert "prompt-playground__panel--stale" in playground.locator(".prompt-playground__panel").get_attribute("class")
    # 5. the blue dots are the real digits that fit the whole prompt, style words included
    prompt.fill("굵은 7" if language == "ko" else "a thick 7")
    prompt.press("Enter")
    page.wait_for_function(FINISHED)
    points = json.loads((paths.FIGURES / "conditional_playground" / "prompt_denoiser.json").read_text())["map"]["points"]
    thick_sevens = sum(1 for p in points if p[2] == 7 and p[3] == 2)
    assert 0 < page.evaluate("window.promptPlaygrounds[0].instance.highlighted()") == thick_sevens
    # 6. after a run, the scrubber steps back through it; the probe's σ moves its arrow
    scrub = page.locator(".prompt-playground__slider input").nth(1)
    assert scrub.is_enabled()
    scrub.fill("0")
    assert page.evaluate("window.promptPlaygrounds[0].instance.state.step") == 0
    page.evaluate("window.promptPlaygrounds[0].instance.probeSigma.value = '-1'")
    page.evaluate("window.promptPlaygrounds[0].instance.probeSigma.dispatchEvent(new Event('input'))")
    assert "0.10" in playground.locator(".prompt-playground__slider output").first.inner_text()
    # 4. keyboard: a new prompt from the examples, then the probe moves with the arrow keys
    playground.locator(".prompt-playground__chip").nth(2).click()
    page.wait_for_function(FINISHED)
    assert page.evaluate("document.querySelector('.prompt-playground__grid').toDataURL()") != before
    map_canvas = playground.locator(".prompt-playground__map")
    map_canvas.focus()
    before_probe = page.evaluate("window.promptPlaygrounds[0].instance.state.probe")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Shift+ArrowLeft")
    probe = page.evaluate("window.promptPlaygrounds[0].instance.state.probe")
    assert probe == pytest.approx([before_probe[0] - 1, before_probe[1] + 0.25])
    assert errors == []
    page.close()


@pytest.mark.browser
def test_playground_works_by_touch_on_a_phone(phone_page, site_server):
    page = phone_page(site_server + "conditional/")
    page.wait_for_function("window.promptPlaygrounds && window.promptPlaygrounds.length === 1")
    playground = page.locator(".prompt-playground")
    playground.scroll_into_view_if_needed()
    page.wait_for_function(FINISHED)
    for target in playground.locator("button, input").all():  # every control fits a finger
        assert target.bounding_box()["height"] >= 44, target.evaluate("t => t.outerHTML")
    page.evaluate("window.scrollTo(0, 0)")
    playground.locator(".prompt-playground__chip").nth(1).tap()  # a run the reader asked for...
    page.wait_for_timeout(800)  # (the smooth scroll)
    map_canvas = playground.locator(".prompt-playground__map")
    map_box, grid_box = map_canvas.bounding_box(), playground.locator(".prompt-playground__grid").bounding_box()
    # ... brings the map and the digits into view together, both whole on the screen
    assert 0 <= map_box["y"] and grid_box["y"] + grid_box["height"] <= 844
    assert map_box["x"] + map_box["width"] <= 390 and grid_box["x"] + grid_box["width"] <= 390
    assert map_box["width"] >= 300 and grid_box["width"] >= 220
    page.wait_for_function(FINISHED)
    map_canvas.tap(position={"x": map_box["width"] * 0.25, "y": map_box["height"] * 0.25})
    probe = page.evaluate("window.promptPlaygrounds[0].load().then(p => p.state.probe)")
    assert probe[0] < 0 < probe[1]  # the dot went to the upper left, where the finger was
