"""Every widget on a 390-px phone: inside the screen, every control at least 44 px tall for a
finger (a checkbox counts with its label, which takes the tap), no developer detail on show,
and the latent explorer's map as wide as the text column (at least 320 px), under its digits.
"""
import pytest

WIDGETS = {  # page -> (widget class, the list the widget's script keeps of its instances)
    "latent-space/": (".latent-explorer", "latentExplorers"),
    "faces/": (".face-explorer", "faceExplorers"),
    "intrinsic-dimension/": (".intrinsic-widget", "intrinsicWidgets"),
    "conditional/": (".noise-split", "noiseSplits"),
}
TAP_PX = 44


def opened(phone_page, site_server, page_path: str):
    widget_class, instances = WIDGETS[page_path]
    page = phone_page(site_server + page_path)
    widget = page.locator(widget_class).first
    widget.scroll_into_view_if_needed()
    page.wait_for_function(f"window.{instances} && window.{instances}.length > 0")
    page.evaluate(f"window.{instances}[0].load().then(() => true)")
    return page, widget


@pytest.mark.browser
@pytest.mark.parametrize("page_path", sorted(WIDGETS))
def test_every_control_fits_a_finger_on_a_phone(phone_page, site_server, page_path):
    page, widget = opened(phone_page, site_server, page_path)
    box = widget.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    small = []
    for control in widget.locator("button, input, select").all():
        target = control.locator("xpath=ancestor::label[1]") if control.get_attribute("type") == "checkbox" \
            else control
        size = target.bounding_box()
        if size["height"] < TAP_PX or size["width"] < TAP_PX:
            small.append(f"{control.evaluate('e => e.outerHTML.slice(0, 80)')}: "
                         f"{size['width']:.0f}×{size['height']:.0f}")
    assert small == [], "\n".join(small)
    assert " ms" not in widget.inner_text()  # timings are for the benchmarks, not the reader


@pytest.mark.browser
def test_the_latent_map_is_as_wide_as_the_column_under_its_digits(phone_page, site_server):
    page, widget = opened(phone_page, site_server, "latent-space/")
    map_box = widget.locator(".latent-explorer__map").bounding_box()
    digits = widget.locator(".latent-explorer__digits").bounding_box()
    hint = widget.locator(".latent-explorer__hint").bounding_box()
    assert map_box["width"] >= 320
    assert digits["y"] + digits["height"] <= map_box["y"]  # a finger on the map leaves them seen
    assert hint["y"] >= map_box["y"] + map_box["height"]  # the hint covers no data
