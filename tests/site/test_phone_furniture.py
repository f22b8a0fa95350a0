"""Page furniture on a 390-px phone: the folded "how this figure was made" line starts at the
text's margin, a table wider than the screen says that it scrolls and keeps its first column in
view, and tapping a figure zooms into its phone layout, not into the wide one."""
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

EVERY_WIDE_TABLE_HINTED = """() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
  .filter(r => r.scrollWidth > r.clientWidth + 1)
  .every(r => r.previousElementSibling && r.previousElementSibling.classList.contains('table-scroll-hint'))"""


@pytest.mark.browser
@pytest.mark.parametrize("page_path", ["diffusion/", "en/intrinsic-dimension/"])
def test_phone_furniture_stays_in_the_margin_and_wide_tables_say_they_scroll(phone_page, site_server,
                                                                             page_path):
    page = phone_page(site_server + page_path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(800)  # page-a11y.js and the zoom's set-up run after the load event
    try:  # KaTeX may widen a table late on a busy machine; page-a11y.js then hints it 50 ms later
        page.wait_for_function(EVERY_WIDE_TABLE_HINTED, timeout=5000)
    except PlaywrightTimeout:
        pass  # the assertions below say what is missing
    found = page.evaluate("""() => {
      const margin = document.querySelector('.md-content .md-typeset p').getBoundingClientRect().x;
      const summaries = [...document.querySelectorAll('details.figure-source > summary')]
        .map(s => s.getBoundingClientRect().x);
      const wide = [...document.querySelectorAll('.md-typeset__scrollwrap')]
        .filter(r => r.scrollWidth > r.clientWidth + 1);
      const hinted = wide.filter(r => r.previousElementSibling && r.previousElementSibling.classList.contains('table-scroll-hint'));
      // the first column stays where it is while the rest scrolls under it (a sticky cell inside a
      // table that is a scroll box of its own would slide away with the wrapper)
      const sticky = wide.filter(r => {
        const cell = r.querySelector('td:first-child');
        if (!cell) return false;
        r.scrollLeft = r.scrollWidth;
        const shifted = Math.abs(cell.getBoundingClientRect().x - r.getBoundingClientRect().x);
        r.scrollLeft = 0;
        return r.scrollWidth > r.clientWidth + 1 && shifted < 1.5;
      });
      const zooms = [...document.querySelectorAll('a.glightbox')].filter(a => a.querySelector('picture'))
        .map(a => a.getAttribute('href'));
      return {margin, summaries, wide: wide.length, hinted: hinted.length, sticky: sticky.length, zooms};
    }""")
    assert found["summaries"] and min(found["summaries"]) >= found["margin"] - 0.5, found
    assert found["wide"] > 0 and found["hinted"] == found["wide"] == found["sticky"], found
    assert found["zooms"] and all(".narrow." in href for href in found["zooms"]), found["zooms"]
