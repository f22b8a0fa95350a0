"""axe-core (Deque's accessibility rules, the engine inside Lighthouse's accessibility score) on
every page in both languages, at a desktop and a phone width: zero violations allowed.

axe.min.js comes from the axe-playwright-python package (a test dependency); it is injected into
the page after the widgets have loaded, so their controls are checked too.
"""
from pathlib import Path

import pytest
from shared import PAGES, quiet_network, url_path

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": 1280, "phone": 390}
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
SCROLLERS_FOCUSABLE = """() => [...document.querySelectorAll(".md-typeset__scrollwrap")]
    .every(wrap => wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex"))"""


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def describe(violations: list[dict]) -> str:
    """One line per rule and element: what is wrong, where, and axe's own summary of the fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:4]:
            lines.append(f"  {violation['id']} ({violation['impact']}): {' '.join(node['target'])}"
                         f" — {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("page_name", PAGES)
def test_no_accessibility_violations(browser, site_server, page_name, language):
    page = browser.new_page(viewport={"width": WIDTHS["desktop"], "height": 900})
    settle = quiet_network(page)
    page.goto(site_server + url_path(page_name, language))
    settle()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # widgets load when near
    page.evaluate(NEXT_FRAMES)  # the page has seen where it is now: near widgets ask for data
    settle()
    page.add_script_tag(content=axe_source())
    # the theme's drawer and menus fade when the layout changes: axe checks where they end, so
    # they get there at once (no half-faded colours, and no waiting for them)
    page.add_style_tag(content=NO_MOTION)
    found = []
    for width in WIDTHS.values():  # one visit, both layouts: the phone one hides and moves things
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(NEXT_FRAMES)  # the new layout is drawn, and the theme's script has made
        page.wait_for_function(SCROLLERS_FOCUSABLE)  # each table that now scrolls reachable by key
        # resultTypes: details only for violations (passes are counted, not listed): half the time
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", RULES)
        if result["violations"]:
            found.append(f"at {width} px:\n" + describe(result["violations"]))
    page.close()
    assert not found, f"{url_path(page_name, language) or '/'} " + "\n".join(found)
