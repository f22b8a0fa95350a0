"""MkDocs hook: each widget's scripts go only into the pages that show that widget.

A page that contains an element of class "latent-explorer" or "prompt-playground" gets that
widget's scripts, deferred (they run after the page is parsed, without blocking it), with
paths relative to the page so the site works under any base URL. Every other page loads none
of them.
"""
from __future__ import annotations

from mkdocs.utils import get_relative_url

SCRIPTS = "assets/javascripts/"
WIDGETS = {  # class of the widget's element -> its scripts, in load order
    "latent-explorer": ("mlp.js", "latent-explorer.js"),
    "prompt-playground": ("mlp.js", "prompt-playground.js"),
}


def scripts_for(html: str) -> list[str]:
    needed: list[str] = []
    for marker, scripts in WIDGETS.items():
        if f'class="{marker}"' in html:
            needed += [script for script in scripts if script not in needed]
    return needed


def on_post_page(output, page, config):
    needed = scripts_for(output)
    if not needed:
        return output
    tags = "".join(f'<script defer src="{get_relative_url(SCRIPTS + name, page.url)}"></script>'
                   for name in needed)
    return output.replace("</head>", tags + "</head>", 1)
