"""Every animation is a player (docs/assets/javascripts/frame-player.js): it plays and pauses,
the slider steps through it and shows that step's frame and words, it takes the phone layout on
a phone, and without its script the page still shows the first frame."""
import re

import pytest

# one page per kind of animation (a 3-D matplotlib one, a bouncing one, one with English labels;
# the phone test below takes the localized one with a phone layout): all share one player
PAGES = ["manifold/", "latent-space/", "en/diffusion/"]
READY = "window.framePlayers && window.framePlayers.length > 0"


def canvas_pixels(page) -> str:
    """The player's canvas as a PNG data URL: equal strings, equal pixels (and far fewer bytes to
    carry out of the page than the pixel array)."""
    return page.evaluate("document.querySelector('.frame-player-box__canvas').toDataURL()")


@pytest.mark.browser
@pytest.mark.parametrize("page_path", PAGES)
def test_each_animation_plays_pauses_and_steps(open_page, site_server, page_path):
    page, errors = open_page(site_server + page_path)
    page.wait_for_function(READY)
    found = page.evaluate("window.framePlayers[0].load().then(p => ({frames: p.state.loaded.description.frames.length, "
                          "playing: p.state.playing}))")
    assert found["frames"] > 5
    player = page.locator(".frame-player-box").first
    player.scroll_into_view_if_needed()
    page.wait_for_function("window.framePlayers[0].instance.state.playing")  # on screen: it plays
    page.locator(".frame-player-box__play").first.click()
    assert page.evaluate("window.framePlayers[0].instance.state.playing") is False
    slider = page.locator(".frame-player-box input[type=range]").first
    slider.focus()
    page.keyboard.press("Home")
    first, first_label = canvas_pixels(page), page.locator(".frame-player-box__label").first.inner_text()
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # the keyboard steps through it
    assert page.evaluate("window.framePlayers[0].instance.state.index") == 5
    later, later_label = canvas_pixels(page), page.locator(".frame-player-box__label").first.inner_text()
    assert first != later and first_label != later_label
    assert slider.get_attribute("aria-valuetext") == later_label  # what a screen reader hears
    turns = page.evaluate("""() => { const p = window.framePlayers[0].instance, d = p.state.loaded.description;
        if (!d.bounce) return null;  // a there-and-back animation holds one pass and turns at its ends
        const last = d.frames.length - 1; p.state.direction = 1; p.step(last); const back = p.following();
        p.step(0); return {back, last, forth: p.following()}; }""")
    if page_path == "latent-space/":
        assert turns == {"back": turns["last"] - 1, "last": turns["last"], "forth": 1}
    # the still has given way: only the player shows the animation, and its taps open no zoom
    assert page.locator("img.frame-player").first.is_visible() is False
    assert player.evaluate("b => b.closest('a') === null")
    page.locator(".frame-player-box__play").first.click()
    assert page.locator(".gslide, .glightbox-container").count() == 0
    assert errors == []


@pytest.mark.browser
def test_a_phone_gets_the_phone_layout_and_controls_for_a_finger(phone_page, site_server):
    page = phone_page(site_server + "conditional/")
    page.wait_for_function(READY)
    source = page.evaluate("window.framePlayers[0].load().then(p => p.state.loaded.source)")
    assert ".narrow." in source
    box = page.locator(".frame-player-box").first
    box.scroll_into_view_if_needed()
    for control in box.locator("button, input").all():
        size = control.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44
    canvas = box.locator("canvas").bounding_box()
    assert canvas["x"] >= 0 and canvas["x"] + canvas["width"] <= 390


def test_without_script_the_first_frame_is_an_image_in_the_page(built_site):
    html = (built_site / "conditional" / "index.html").read_text(encoding="utf-8")
    still = re.search(r'<img [^>]*class="frame-player"[^>]*>', html)
    assert still and 'src="../figures/conditional/conditional_reverse.ko.webp"' in still.group(0)
    assert "alt=" in still.group(0)

