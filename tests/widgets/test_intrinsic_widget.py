"""The k slider of the intrinsic-dimension chapter in Chromium: it shows the precomputed estimates."""
import json

import pytest

from shared import ROOT


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_k_slider_shows_the_precomputed_estimates(browser, open_page, site_server, language):
    data = json.loads((ROOT / "figures" / "intrinsic_dimension" / "intrinsic_widget.json").read_text())
    page, errors = open_page(site_server + ("en/" if language == "en" else "") + "intrinsic-dimension/")
    page.wait_for_function("window.intrinsicWidgets && window.intrinsicWidgets.length === 1")
    page.evaluate("window.intrinsicWidgets[0].load().then(() => true)")
    slider = page.locator(".intrinsic-widget__slider input")
    slider.scroll_into_view_if_needed()
    slider.focus()
    page.keyboard.press("End")  # the keyboard reaches the largest k
    index = data["k"].index(50)
    text = page.locator(".intrinsic-widget__readout").inner_text()
    assert f"{data['local'][index]:.2f}" in text and f"{data['overall'][index]:.2f}" in text
    assert page.evaluate("window.intrinsicWidgets[0].instance.lens()") is None  # k = 50: the circle is seen
    page.evaluate("window.intrinsicWidgets[0].instance.setK(3)")
    assert f"{data['overall'][0]:.2f}" in page.locator(".intrinsic-widget__readout").inner_text()
    # at k = 3 the circle would hide under the point: a lens in a corner shows it magnified
    assert page.evaluate("window.intrinsicWidgets[0].instance.lens().zoom") >= 3
    assert data["overall"][0] > data["overall"][-1]  # close up the noisy spiral looks wider than a curve
    assert errors == []
    page.close()
