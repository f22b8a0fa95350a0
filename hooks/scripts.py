"""MkDocs hook: each page loads only the scripts it uses, none of them blocking the first paint.

- A page that contains an element of class "latent-explorer", "prompt-playground",
  "face-explorer", "intrinsic-widget", "noise-split" or "frame-player" (an animation) gets that
  widget's scripts; a page with math (pymdownx.arithmatex's "arithmatex" elements, already
  typeset by hooks/math.py) gets KaTeX's stylesheet. Every other page loads none of them.
- All of them, and the zoom script of mkdocs-glightbox, are fetched only after the page has
  loaded (after_load), so that they do not compete with the first screen's text and figures on
  a slow connection. (glightbox's own set-up code runs once its script has arrived.)
- Material's search dialog gets an accessible name in the page's language, and a page with
  code blocks, tables or equations gets page-a11y.js (it names each code block's copy-button
  <nav> and puts tables and equations that scroll sideways into the tab order).
- Material's own script is deferred: the first paint does not wait for it.
- Material asks every language's alternate page for a sitemap.xml next to it (it uses them to
  keep the reader on the same page when switching language); an i18n build has one per
  language root only, so each page folder gets a copy, and the browser logs no 404.
Paths are relative to the page, so the site works under any base URL.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from mkdocs.utils import get_relative_url

WIDGETS = {  # a class on the page -> the scripts it needs, in load order
    'class="latent-explorer"': ("assets/javascripts/widget-kit.js", "assets/javascripts/mlp.js",
                                "assets/javascripts/latent-explorer.js"),
    'class="prompt-playground"': ("assets/javascripts/widget-kit.js", "assets/javascripts/mlp.js",
                                  "assets/javascripts/prompt-model.js",
                                  "assets/javascripts/prompt-playground.js"),
    'class="face-explorer"': ("assets/javascripts/widget-kit.js", "assets/javascripts/mlp.js",
                              "assets/javascripts/face-explorer.js"),
    'class="intrinsic-widget"': ("assets/javascripts/widget-kit.js", "assets/javascripts/intrinsic-widget.js"),
    'class="frame-player"': ("assets/javascripts/widget-kit.js", "assets/javascripts/frame-player.js"),
    'class="noise-split"': ("assets/javascripts/widget-kit.js", "assets/javascripts/mlp.js",
                            "assets/javascripts/noise-split-model.js", "assets/javascripts/noise-split.js"),
    'class="draw-train"': ("assets/javascripts/widget-kit.js", "assets/javascripts/train-core.js",
                           "assets/javascripts/draw-train.js"),  # (train-worker.js: started when near)
    # names the copy buttons of code blocks; puts sideways-scrolling tables and equations in the tab order
    '<div class="highlight">': ("assets/javascripts/page-a11y.js",),
    "<table": ("assets/javascripts/page-a11y.js",),
    '<div class="arithmatex">': ("assets/javascripts/page-a11y.js",),
}
STYLES = {'class="arithmatex"': ("assets/vendor/katex/katex.min.css",)}
# KaTeX's fonts are not preloaded: the browser asks for each one when a formula needs it, and a
# preload would compete with the first screen's text and figures on a slow connection
GLIGHTBOX_SETUP = '<script id="init-glightbox">'
# A figure with a phone layout zooms into that layout on a phone: the zoom link of each
# <picture> follows the <source> the phone shows (the wide image's 7-px text helps no one there)
PHONE_ZOOM = ('document.querySelectorAll("a.glightbox").forEach(function (a) {'
              ' var s = a.querySelector("picture source[media]");'
              ' if (s && window.matchMedia(s.media).matches) a.href = s.srcset; });')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_NAME = {"ko": "사이트 검색", "en": "Search the site"}
# Material's own script sits at the end of <body> without `defer`: the parser stops there until
# it has arrived and run, and on a slow phone connection the first paint waits for it. Deferred,
# it still runs before DOMContentLoaded (when Material starts its work), in the same order.
MATERIAL_BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def needed(html: str, table: dict) -> list[str]:
    found: list[str] = []
    for marker, files in table.items():
        if marker in html:
            found += [name for name in files if name not in found]
    return found


def after_load(scripts: list[str], then: str) -> str:
    """JavaScript that fetches `scripts` (in order) only after the page has loaded, then runs
    `then`. The text and the figures of the first screen download first; widgets and the zoom
    are not needed before the reader scrolls or taps."""
    return ('addEventListener("load",function(){var s=' + json.dumps(scripts) + ',n=s.length;'
            's.forEach(function(u){var e=document.createElement("script");e.src=u;e.async=false;'
            'e.onload=e.onerror=function(){if(!--n){' + then + '}};document.head.appendChild(e)})})')


def on_post_page(output, page, config):
    def url(name):
        return get_relative_url(name, page.url)

    tags = "".join(f'<link rel="stylesheet" href="{url(name)}">' for name in needed(output, STYLES))
    scripts = [url(name) for name in needed(output, WIDGETS)]
    # Material's search dialog has no accessible name; screen readers announce this one
    name = SEARCH_NAME.get(str(config["theme"]["language"]), SEARCH_NAME["en"])
    output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)
    glightbox = f'<script src="{url("assets/javascripts/glightbox.min.js")}"></script>'
    setup = ""
    if glightbox in output:  # the zoom script loads with the others; its set-up runs once it has
        output = output.replace(glightbox, "", 1)
        scripts.insert(0, url("assets/javascripts/glightbox.min.js"))
        start = output.find(GLIGHTBOX_SETUP)
        if start >= 0:
            end = output.index("</script>", start)
            setup = PHONE_ZOOM + output[start + len(GLIGHTBOX_SETUP):end]
            output = output[:start] + output[end + len("</script>"):]
    if scripts:
        tags += f"<script>{after_load(scripts, setup)}</script>"
    output = output.replace("</head>", tags + "</head>", 1)
    return MATERIAL_BUNDLE.sub(r'<script src="\1" defer></script>', output, count=1)


def on_post_build(config):
    site = Path(config["site_dir"])
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return
    for page in site.rglob("index.html"):
        copy = page.parent / "sitemap.xml"
        if not copy.exists():
            shutil.copyfile(sitemap, copy)
