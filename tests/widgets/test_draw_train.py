"""Draw your own data (diffusion chapter) in Chromium: a preset trains in a Web Worker until its
samples lie on the data as the chapter's scorer asks, the page stays responsive meanwhile, and
the words for an empty or too small drawing are there, in both languages and by keyboard."""
import sys

import pytest

from shared import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import main_thread  # noqa: E402  (scripts/main_thread.py: the longest task, from a trace)

READY = "window.drawTrains && window.drawTrains.length === 1"
STEPS = 1500  # half of what 20 s of training reach on a desktop (scripts/bench_draw_train.py): enough here


def widget(page):
    page.wait_for_function(READY)
    page.evaluate("window.drawTrains[0].load().then(() => true)")
    return "window.drawTrains[0].instance"


@pytest.mark.browser
def test_a_preset_trains_in_a_worker_and_its_samples_land_on_it(open_page, site_server, browser):
    page, errors = open_page(site_server + "en/diffusion/")
    w = widget(page)
    page.evaluate(f"{w}.preset('spiral')")
    browser.start_tracing(page=page, categories=main_thread.CATEGORIES)  # the page's own work, below
    page.get_by_role("button", name="▶ Train").click()
    page.wait_for_function(f"{w}.state.step >= {STEPS}", timeout=180_000)
    page.get_by_role("button", name="Sample").click()
    page.wait_for_function(f"{w}.state.score !== undefined", timeout=60_000)
    # the chapter's baseline: fresh points of the same preset, against the data the model learned
    found = page.evaluate(f"""() => {{
        // (the spiral comes in two colours, its two arms: the samples were asked for the first)
        const arm = points => points.filter(p => p[2] === {w}.state.sampled).map(p => [p[0], p[1]]).flat();
        const fresh = arm({w}.presetPoints('spiral', 600, 12345)), data = arm({w}.state.points);
        return {{score: {w}.state.score, floor: window.TrainCore.meanNearest(Float64Array.from(fresh), Float64Array.from(data)),
                readout: document.querySelector('.draw-train__readout').textContent}};
    }}""")
    wall, work = main_thread.longest_task(browser.stop_tracing())
    assert found["score"] <= 2 * found["floor"], found
    # the work of the longest main-thread task while training and sampling (its wall time also
    # counts the waits for a core that other tests running beside this one cause)
    assert work < 50, f"a main-thread task of {work:.0f} ms work ({wall:.0f} ms wall) while training"
    assert "samples' mean distance" in found["readout"]
    assert errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_empty_or_small_drawing_is_named_and_a_keyboard_can_draw(phone_page, site_server, language):
    page = phone_page(site_server + ("en/" if language == "en" else "") + "diffusion/")
    w = widget(page)
    readout = page.locator(".draw-train__readout")
    assert ("First draw points" if language == "en" else "먼저 판에 점을") in readout.inner_text()
    assert page.locator(".draw-train__buttons button").first.is_disabled()
    board = page.locator(".draw-train__board")
    board.scroll_into_view_if_needed()
    board.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # a small cloud at the cross: too few to train on
    assert page.evaluate(f"{w}.state.points.length") == 12
    assert ("draw at least 30" if language == "en" else "30개 이상") in readout.inner_text()
    for _ in range(2):
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
    assert page.locator(".draw-train__buttons button").first.is_enabled()
    box = board.bounding_box()
    assert box["width"] >= 320  # the board takes the phone's width
    assert not page.locator(".draw-train__slider").nth(1).is_visible()  # guidance: one colour has none
    for control in page.locator(".draw-train button, .draw-train input").all():
        if control.is_visible():
            assert control.bounding_box()["height"] >= 44
    page.close()
