"""Page weight as a reader's browser sees it: every request a page makes, and their bytes.

Usage: .venv/bin/python scripts/page_weight.py [--inline-notebook-css] [PAGE_PATH ...]
       (default pages: latent-space/ en/latent-space/)
--inline-notebook-css builds the site the way mkdocs-jupyter does by itself (all its CSS inside
every notebook page), to compare with the shared, trimmed notebook.css of hooks/notebooks.py.
Builds the site into a temp folder, serves it on loopback, loads each page in Debian Chromium,
scrolls to the bottom so lazy images load, waits for the network to go quiet, and prints the
total bytes and the largest files.
"""
from __future__ import annotations

import sys

from served_site import served_site

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def main(pages: list[str], inline_notebook_css: bool = False) -> int:
    from playwright.sync_api import sync_playwright

    with served_site(inline_notebook_css) as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for path in pages:
                page = browser.new_page()
                sizes = {}
                page.on("requestfinished", lambda r: sizes.__setitem__(
                    r.url, r.sizes()["responseBodySize"]))
                page.goto(base + path)
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                total = sum(sizes.values())
                print(f"{path or '/'}: {total / 1024:.0f} KB in {len(sizes)} requests")
                for url, size in sorted(sizes.items(), key=lambda item: -item[1])[:6]:
                    print(f"  {size / 1024:7.0f} KB  {url.replace(base, '/')}")
                page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    inline = "--inline-notebook-css" in arguments
    pages = [a for a in arguments if a != "--inline-notebook-css"]
    sys.exit(main(pages or ["latent-space/", "en/latent-space/"], inline))
