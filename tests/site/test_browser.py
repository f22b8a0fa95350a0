"""Real browser (Debian Chromium through Playwright): what a reader sees, in both languages."""
import json
import re

import pytest
from shared import PAGES, url_path

pytestmark = pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_all_images_and_no_errors(browser, site_server, name, language, open_page):
    page, errors = open_page(site_server + url_path(name, language))
    assert page.locator("html").get_attribute("lang") == language
    page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    broken = page.evaluate("[...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)")
    assert broken == []
    assert errors == []
    if language == "ko":
        assert re.search("[가-힣]", page.locator("article").inner_text())
    page.close()


PHONE = {"width": 412, "height": 823}  # the screen Lighthouse's mobile preset emulates


def test_figures_on_a_phones_first_screen_load_at_once_and_the_rest_lazily(browser, site_server):
    """A figure the reader sees without scrolling is fetched at once (lazy loading would wait
    for layout and delay the first screen); one more than a screen further down waits until
    the reader scrolls near it, so that it does not compete with the first screen."""
    page = browser.new_page(viewport=PHONE)
    wrong = []
    for name in PAGES:
        for language in ("ko", "en"):
            page.goto(site_server + url_path(name, language))
            images = page.evaluate("""() => [...document.querySelectorAll('article img')].map(
                i => [i.getAttribute('src'), i.getBoundingClientRect().top, i.loading])""")
            for source, top, loading in images:
                if top < PHONE["height"] and loading == "lazy":
                    wrong.append(f"{url_path(name, language)} {source}: on the first screen, lazy")
                if top > 2 * PHONE["height"] and loading != "lazy":
                    wrong.append(f"{url_path(name, language)} {source}: far below, not lazy")
    page.close()
    assert not wrong, wrong


@pytest.mark.parametrize("query", ["스위스롤", "픽셀"])
def test_korean_search_finds_pages(browser, site_server, query, open_page):
    page, _ = open_page(f"{site_server}?q={query}")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert results.count() > 0
    assert query in page.locator(".md-search-result").inner_text()
    page.close()


def test_search_index_is_written_as_utf8(built_site):
    raw = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    # Hangul as itself, not as \\uXXXX escapes (twice the bytes)
    assert re.search("[가-힣]", raw) and not re.search(r"\\u(a[c-f]|b[0-9a-f]|c[0-9a-f]|d[0-7])", raw, re.I)
    assert len(json.loads(raw)["docs"]) > 50


def test_math_arrives_typeset_with_no_math_script(browser, site_server, open_page):
    page, errors = open_page(site_server + "manifold/")
    assert page.locator(".katex .katex-html").count() > 3  # KaTeX's markup, made at build time
    assert page.locator(".katex math").count() > 3  # and MathML for screen readers
    assert page.locator("script[src*='katex']").count() == 0
    # KaTeX's fonts load: a typeset variable is drawn in KaTeX_Math, not a fallback font
    assert page.evaluate("document.fonts.check('16px KaTeX_Math')")
    assert errors == []
    page.close()
