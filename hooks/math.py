"""MkDocs hook: typeset every equation while the site is built, so readers download no math script.

pymdownx.arithmatex (generic mode) leaves each equation as LaTeX inside
<span class="arithmatex">\\( … \\)</span> (inline) or <div class="arithmatex">\\[ … \\]</div>
(display). This hook runs the vendored KaTeX (docs/assets/vendor/katex/katex.min.js) once per
equation in an embedded V8 (the mini-racer package) and puts KaTeX's HTML in its place: the same
markup KaTeX would have written in the reader's browser, plus MathML for screen readers. The page
then needs only KaTeX's stylesheet and fonts (hooks/scripts.py adds the stylesheet), and the
reader's phone spends no time typesetting.

A formula KaTeX cannot parse fails the build with its message and the page it is on.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

KATEX = Path(__file__).resolve().parent.parent / "docs" / "assets" / "vendor" / "katex" / "katex.min.js"
INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)

_engine = None  # one V8 context with KaTeX loaded, made on first use


def engine():
    global _engine
    if _engine is None:
        from py_mini_racer import MiniRacer

        _engine = MiniRacer()
        _engine.eval(KATEX.read_text(encoding="utf-8"))
    return _engine


def typeset(latex: str, display: bool, where: str) -> str:
    """KaTeX's HTML (and MathML) for one equation; latex arrives HTML-escaped from Markdown."""
    source = html.unescape(latex)
    try:
        return engine().call("katex.renderToString", source,
                             {"displayMode": display, "throwOnError": True, "output": "htmlAndMathml"})
    except Exception as error:  # KaTeX's ParseError names the position in the formula
        message = str(error).splitlines()[0]
        raise ValueError(f"{where}: KaTeX cannot typeset {source!r}: {message}. "
                         "Fix the formula in the page's Markdown.") from None


def on_post_page(output, page, config):
    # after the search plugin has read the page, so search keeps the plain LaTeX
    where = page.file.src_uri
    output = DISPLAY.sub(lambda m: '<div class="arithmatex">' + typeset(m.group(1), True, where) + "</div>",
                         output)
    return INLINE.sub(lambda m: '<span class="arithmatex">' + typeset(m.group(1), False, where) + "</span>",
                      output)
