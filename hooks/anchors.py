"""MkDocs hook: every link to a place in a page (`#name`) must find that place.

MkDocs checks the anchors of Markdown links (`validation: anchors` in mkdocs.yml), but not
those of links written as raw HTML (`<a href="#missing">` in a page, or in a caption), which
would send a reader to the top of a page instead. After the site is written, this hook reads
every built page once, collects the ids it holds, and checks every `href` with a `#` that
points inside the site. A broken one stops the build, with the page and the link.
"""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

HREF = re.compile(r'<a\b[^>]*?\shref="([^"]*#[^"]*)"')
TARGET = re.compile(r'\s(?:id|name)="([^"]+)"')


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built the other languages
def on_post_build(config):
    site = Path(config["site_dir"])
    pages = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
             for path in site.rglob("*.html")}
    ids = {page: set(map(html.unescape, TARGET.findall(text))) for page, text in pages.items()}
    broken = []
    for page, text in pages.items():
        for href in map(html.unescape, HREF.findall(text)):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue  # another site, or only "#" (a script's link)
            target = page if not parts.path else resolve(page, parts.path)
            fragment = unquote(parts.fragment)
            if target in ids and fragment not in ids[target]:
                broken.append(f"{page}: {href}")
    if broken:
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        raise PluginError(f"a link points to a place that does not exist: {broken[0]}{more}. "
                          f"Link to an existing heading or id, or fix the name after '#'.")


def resolve(page: str, path: str) -> str:
    """The built file a relative link from `page` leads to (a folder means its index.html)."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
    return joined if joined.endswith(".html") else posixpath.normpath(posixpath.join(joined, "index.html"))
