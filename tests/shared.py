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
