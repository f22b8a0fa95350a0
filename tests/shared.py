"""What tests in several folders need to know, as plain names: where the repository is, which
pages the site has, and the exact command that builds it. (Things to set up, such as a
browser or the built site, are fixtures in conftest.py.)"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The exact command the GitHub Pages workflow runs to build the site (test_workflows checks that).
SITE_BUILD_COMMAND = ["mkdocs", "build", "--strict"]
# every page of the site by its name ("index", "manifold", …), Korean sources only
PAGES = sorted(p.relative_to(ROOT / "docs").as_posix()[: -len(".md")]
               for p in (ROOT / "docs").rglob("*.md") if not p.name.endswith(".en.md"))
# the notebooks the build ran, shown as pages at notebooks/<name>/
PAGES += sorted(f"notebooks/{p.name.split('.')[0]}"
                for p in (ROOT / "figures" / "notebooks").glob("*.ko.ipynb"))


def url_path(page: str, language: str) -> str:
    """'index' -> '' ; 'manifold' -> 'manifold/' ; with 'en/' in front for English."""
    path = "" if page == "index" else f"{page}/"
    return ("en/" if language == "en" else "") + path


def quiet_network(page, quiet_ms: int = 150, timeout_ms: int = 30_000):
    """Start watching `page`'s requests; returns settle(): it waits until no request has been in
    flight for `quiet_ms`. Playwright's "networkidle" waits a fixed 500 ms of quiet on every
    page; a local server answers in milliseconds, so a shorter quiet catches the same requests
    (a widget's next fetch starts within a frame or two of the last one ending)."""
    import time

    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))

    def settle():
        deadline, quiet_since = time.monotonic() + timeout_ms / 1000, None
        while True:
            now = time.monotonic()
            if in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= quiet_ms / 1000:
                return
            if now > deadline:
                raise TimeoutError(f"requests still in flight after {timeout_ms} ms: "
                                   f"{sorted(r.url for r in in_flight)[:3]}")
            page.wait_for_timeout(20)

    return settle
