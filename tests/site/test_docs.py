"""The pages: both languages, every figure used and explained, every link resolves."""
import json
import re
from pathlib import Path

import pytest
import yaml
from shared import PAGES as SITE_PAGES, ROOT, url_path

DOCS = ROOT / "docs"
MANIFEST = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
PAGES = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md"))


def english_twin(page: Path) -> Path:
    return page.with_name(page.name[: -len(".md")] + ".en.md")


def page_id(page):
    return page.relative_to(DOCS).as_posix()


def figure_link(output: str) -> str:
    """figures/x/name.ko.png -> the language-free link a page uses: figures/x/name.png"""
    return "figures/" + re.sub(r"\.(ko|en)\.", ".", output)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_page_has_an_english_twin(page):
    assert english_twin(page).is_file()


def test_no_english_page_without_a_korean_one():
    for page in DOCS.rglob("*.en.md"):
        assert page.with_name(page.name.replace(".en.md", ".md")).is_file(), page


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_twins_show_the_same_figures(page):
    korean = [link for _, link in IMAGE.findall(page.read_text(encoding="utf-8"))]
    english = [link for _, link in IMAGE.findall(english_twin(page).read_text(encoding="utf-8"))]
    assert korean == english


def all_pages():
    for page in PAGES:
        yield page
        yield english_twin(page)


def test_every_figure_in_the_manifest_is_used_by_a_page():
    text = "\n".join(p.read_text(encoding="utf-8") for p in all_pages())
    unused = {figure_link(o) for entry in MANIFEST["figures"].values() for o in entry["outputs"]}
    # an exported weights file is read through its JSON description, which the page names
    # a notebook is a page of its own, listed in the nav as notebooks/<name>.ipynb
    text += (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "notebooks/", "figures/notebooks/")
    # a widget's data files are read through its JSON description, which the page names
    named = {link for link in re.findall(r"figures/[\w/.-]+\.json", text)}
    for description in named:
        path = ROOT / description
        if path.is_file():
            folder = description.rsplit("/", 1)[0]
            data = json.loads(path.read_text(encoding="utf-8"))
            text += " ".join(f"{folder}/{value}" for value in
                             (data.get("weights"), data.get("nearest", {}).get("atlas")) if value)
    # a phone layout (name.narrow.webp) is served in place of its wide sibling (hooks/figures.py),
    # and an animation's sheet and description are read by the player of its still (frame-player.js)
    unused = {link for link in unused
              if re.sub(r"\.frames\.(webp|json)$", ".webp", link.replace(".narrow.", ".")) not in text}
    assert not unused, f"figures no page shows: {sorted(unused)}"


@pytest.mark.parametrize("page", list(all_pages()), ids=page_id)
def test_images_resolve_have_alt_text_and_say_how_they_were_made(page):
    text = page.read_text(encoding="utf-8")
    produced = {figure_link(o): name for name, entry in MANIFEST["figures"].items()
                for o in entry["outputs"]}
    for alt, link in IMAGE.findall(text):
        target = (page.parent / link).relative_to(DOCS).as_posix() if not link.startswith("/") else link
        assert target in produced or (DOCS / target).is_file(), f"{link} resolves to nothing"
        assert len(alt) > 15, f"{link}: alt text too short to describe the figure"
        if target in produced:
            name = produced[target]
            assert f"python -m generator build {name}</code>" in text, \
                f"{page.name}: figure {name} has no 'how this figure was made' line"


def test_measured_numbers_come_from_the_manifest():
    """Pages quote metrics through placeholders, and every placeholder exists."""
    placeholder = re.compile(r"(?<!\\)\{\{\s*metric:\s*([\w./-]+)\s*(?::\s*[.\d]+[f%])?\s*\}\}")
    for page in all_pages():
        for dotted in placeholder.findall(page.read_text(encoding="utf-8")):
            value = {name: e["metrics"] for name, e in MANIFEST["figures"].items()}
            for part in dotted.split("."):
                value = value[part]
            assert isinstance(value, (int, float, str)), dotted


def test_site_builds_strictly_and_shows_the_measured_numbers(built_site):
    html = (built_site / "manifold" / "index.html").read_text(encoding="utf-8")
    isomap = MANIFEST["figures"]["swiss_roll_unrolled"]["metrics"]["isomap"]["distances"]
    assert f'data-metric="swiss_roll_unrolled.isomap.distances">{isomap:.3f}<' in html
    assert "{{ metric" not in html
    for language in ("", "en/"):
        assert (built_site / language / "index.html").is_file()


def test_built_pages_link_only_to_existing_files(built_site):
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for link in re.findall(r'<img[^>]+src="([^"]+)"', text):
            if link.startswith(("http:", "https:", "data:")):
                continue
            assert (html.parent / link).resolve().is_file(), f"{html}: {link}"


@pytest.mark.parametrize("chapter", ["conditional/", "en/faces/"])
def test_nothing_but_the_first_screen_loads_before_the_page_has(built_site, chapter):
    """On a slow phone connection every byte fetched early delays the first screen's text (what
    Lighthouse times as the largest contentful paint): figures load lazily (all but the first,
    which loads at once when it is on a phone's first screen: test_browser.py checks where it is),
    no font is preloaded, scripts are fetched only after the load event, and the theme's own
    script is deferred."""
    html = (built_site / chapter / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="[^"]*figures/[^"]+"[^>]*>', html)
    assert images and all('loading="lazy"' in image for image in images[1:])
    assert 'rel="preload"' not in html
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert len(scripts) == 1 and "/bundle." in scripts[0]  # the theme's own
    assert re.search(r'<script src="[^"]*/bundle\.[0-9a-f]+\.min\.js" defer>', html), \
        "Material's script must be deferred, or the first paint waits for it"
    widget = "prompt-playground.js" if chapter == "conditional/" else "face-explorer.js"
    assert re.search(r'addEventListener\("load",function\(\)\{var s=\[[^\]]*' + widget, html)


def test_no_external_requests_in_the_built_pages(built_site):
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "cdn.jsdelivr" not in text, html


def test_each_language_shows_its_own_figures(built_site):
    """i18n silently falls back to the Korean file when an English one is missing."""
    for html in built_site.rglob("*.html"):
        language = "en" if html.relative_to(built_site).parts[0] == "en" else "ko"
        text = html.read_text(encoding="utf-8")
        for link in re.findall(r'<img[^>]+src="([^"]+\.(?:ko|en)\.\w+)"', text):
            assert f".{language}." in link, f"{html.relative_to(built_site)} shows {link}"


# --- credits: every source carries a link; glossary: both languages, same terms, links resolve ---

CREDITS_SECTIONS = {  # the credits headings whose every bullet must link to its source
    "credits.md": ["데이터", "방법과 논문", "소프트웨어와 글꼴"],
    "credits.en.md": ["Data", "Methods and papers", "Software and fonts"],
}
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def markdown_sections(text: str) -> dict[str, list[str]]:
    """'## heading' -> its list items, each item with its indented continuation lines joined."""
    sections: dict[str, list[str]] = {}
    items = None
    for line in text.splitlines():
        if line.startswith("#"):
            items = sections.setdefault(line.lstrip("#").strip(), []) if line.startswith("## ") else None
        elif items is not None and line.startswith("- "):
            items.append(line)
        elif items is not None and items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
    return sections


def credits_sections(name: str) -> list[list[str]]:
    sections = markdown_sections((DOCS / name).read_text(encoding="utf-8"))
    for heading in CREDITS_SECTIONS[name]:
        assert sections.get(heading), f"{name}: section '## {heading}' is missing or has no list items"
    return [sections[heading] for heading in CREDITS_SECTIONS[name]]


@pytest.mark.parametrize("name", sorted(CREDITS_SECTIONS))
def test_credits_every_paper_data_set_and_software_has_a_link(name):
    for items in credits_sections(name):
        for item in items:
            assert "](http" in item or re.search(r"\]\([\w-]+\.md(#[\w-]+)?\)", item), \
                f"{name}: no link in {item[:100]!r}"


def test_credits_both_languages_link_the_same_sources():
    korean, english = (credits_sections(name) for name in ("credits.md", "credits.en.md"))
    for heading, ko_items, en_items in zip(CREDITS_SECTIONS["credits.md"], korean, english):
        assert len(ko_items) == len(en_items), f"'{heading}': {len(ko_items)} vs {len(en_items)} items"
        for ko_item, en_item in zip(ko_items, en_items):
            assert set(MARKDOWN_LINK.findall(ko_item)) == set(MARKDOWN_LINK.findall(en_item)), \
                f"'{heading}': the twins link different sources:\n{ko_item[:90]}\n{en_item[:90]}"


GLOSSARY_TERM = re.compile(r"^- \*\*(.+?)\*\*", re.MULTILINE)


def glossary_terms(name: str) -> list[str]:
    """The list items of the glossary, one per term; each is '- **term** ... → [chapter](page.md)'."""
    text = (DOCS / name).read_text(encoding="utf-8")
    return [item for items in markdown_sections(text).values() for item in items]


def test_glossary_exists_in_both_languages_with_the_same_terms():
    korean, english = glossary_terms("glossary.md"), glossary_terms("glossary.en.md")
    assert len(korean) >= 25, f"only {len(korean)} terms"
    assert len(korean) == len(english), f"{len(korean)} Korean terms, {len(english)} English ones"
    for ko_item, en_item in zip(korean, english):
        assert GLOSSARY_TERM.match(ko_item) and GLOSSARY_TERM.match(en_item), (ko_item[:60], en_item[:60])
        # the twins send the reader to the same chapters, in the same order
        ko_pages = [link for link in MARKDOWN_LINK.findall(ko_item) if not link.startswith("http")]
        en_pages = [link for link in MARKDOWN_LINK.findall(en_item) if not link.startswith("http")]
        assert ko_pages == en_pages, f"{ko_item[:40]!r} and {en_item[:40]!r} link different chapters"


def heading_ids(page: Path) -> set[str]:
    """The ids MkDocs gives the page's headings: Python-Markdown's toc extension, as mkdocs.yml uses it."""
    import markdown
    from mkdocs.utils.meta import get_data

    body, _ = get_data(page.read_text(encoding="utf-8"))  # without the front matter
    html = markdown.markdown(body, extensions=["toc", "attr_list", "md_in_html"])
    return set(re.findall(r'<h[1-6][^>]*\sid="([^"]+)"', html))


@pytest.mark.parametrize("name", ["glossary.md", "glossary.en.md"])
def test_glossary_links_resolve_to_existing_pages(name):
    for item in glossary_terms(name):
        pages = [link for link in MARKDOWN_LINK.findall(item) if not link.startswith(("http:", "https:"))]
        assert pages, f"{name}: {item[:60]!r} links to no chapter"
        for link in pages:
            path, _, anchor = link.partition("#")
            target = (DOCS / path).resolve()
            assert target.is_file() and DOCS in target.parents, f"{name}: {link} is not a page in docs/"
            # like the chapters, both languages link the Korean file name; i18n serves the right language
            assert not path.endswith(".en.md"), f"{name}: link {link} names the English file"
            if anchor:
                assert anchor in heading_ids(target), f"{name}: {path} has no heading #{anchor}"


def test_math_is_never_left_raw_in_the_built_pages(built_site):
    """Every \\( … \\) in a built page sits inside an arithmatex span (captions included),
    which is what hooks/math.py typesets; anything else would print as raw LaTeX."""
    for html in built_site.rglob("*.html"):
        text = re.sub(r'<span class="arithmatex">.*?</span>', "", html.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"<(script|code|pre)\b.*?</\1>", "", text, flags=re.S)
        assert "\\(" not in text, f"raw math in {html.relative_to(built_site)}"


SHARE = re.compile(r"share|accuracy|inside|read_own|found_share|asked|shares")


def test_shares_are_printed_as_percentages(built_site):
    """A proportion on a page reads 96.8 %, never 0.968."""
    for html in built_site.rglob("*.html"):
        for name, value in re.findall(r'data-metric="([^"]+)">([^<]*)<', html.read_text(encoding="utf-8")):
            if SHARE.search(name):
                assert value.endswith("%"), f"{html.relative_to(built_site)}: {name} shown as {value}"


def test_how_each_figure_was_made_is_folded_away(built_site):
    html = (built_site / "diffusion" / "index.html").read_text(encoding="utf-8")
    assert '<span class="figure-source">' not in html
    assert html.count('<details class="figure-source">') >= 5
    assert "<summary>이 그림을 만든 방법</summary>" in html
    english = (built_site / "en" / "diffusion" / "index.html").read_text(encoding="utf-8")
    assert "<summary>How this figure was made</summary>" in english


def site_validation() -> dict:
    """The `validation` section of mkdocs.yml (read without MkDocs' !ENV tags)."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader)["validation"]


@pytest.mark.parametrize("link, complaint", [("other.md#no-such-heading", "no-such-heading"),
                                             ("/other/", "absolute"), ("missing.md", "missing.md")])
def test_broken_links_fail_the_strict_build(tmp_path, link, complaint):
    """The site's validation settings turn a missing anchor, an absolute link or a link to a
    missing page into a failed `mkdocs build --strict`."""
    import subprocess
    import sys

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"# Home\n\n[a link]({link})\n", encoding="utf-8")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## A heading\n", encoding="utf-8")
    config = {"site_name": "t", "strict": True, "validation": site_validation(),
              "nav": ["index.md", "other.md"]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build"],  # not -q: it hides warnings
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0 and complaint in (result.stdout + result.stderr).lower()


def test_a_formula_katex_cannot_read_fails_the_build_naming_page_and_fix():
    import importlib.util

    spec = importlib.util.spec_from_file_location("math_hook", ROOT / "hooks" / "math.py")
    math_hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(math_hook)
    assert 'class="katex"' in math_hook.typeset(r"x \in \mathbb{R}^{d}", False, "page.md")
    assert "<math" in math_hook.typeset(r"\frac{a}{b}", True, "page.md")  # MathML for screen readers
    with pytest.raises(ValueError, match=r"page\.md: KaTeX cannot typeset .*Fix the formula"):
        math_hook.typeset(r"\frac{a}{", False, "page.md")


DURATION = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:minutes?|seconds?|hours?|ms)\b|under a minute|in seconds"
                      r"|a few minutes|\d+\s*(?:분|초)\s*(?:이|안|만|가|정도|뒤|걸|동안)|몇 분 걸")


def test_no_page_quotes_how_long_our_models_take():
    """A duration depends on the machine (and the day): pages and notebooks say steps, epochs
    and sizes instead. (Ratios such as "a sixth of the epochs" are fine.)"""
    import jupytext

    texts = {page.name: page.read_text(encoding="utf-8") for page in DOCS.rglob("*.md")}
    texts["hooks/notebooks.py"] = (ROOT / "hooks" / "notebooks.py").read_text(encoding="utf-8")  # its boxes
    for source in (ROOT / "generator" / "notebooks").glob("[a-z]*.py"):
        cells = jupytext.read(source, fmt="py:percent").cells
        texts[source.name] = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    quoted = {name: DURATION.findall(text) for name, text in texts.items() if DURATION.search(text)}
    assert not quoted, quoted


def test_no_number_lands_inside_math_or_alt_text(built_site):
    """A {{ metric: … }} inside \\( … \\) or an image's alt text comes out as escaped HTML
    ("<span class=metric …>" shown as text): write \\(w\\) = {{ metric: … }} instead."""
    for html in built_site.rglob("*.html"):
        assert "&lt;span class=&quot;metric" not in html.read_text(encoding="utf-8"), html


SWITCH = re.compile(r'<a [^>]*hreflang="en"[^>]*>')


@pytest.mark.parametrize("name", SITE_PAGES)
def test_language_switch_keeps_the_page(built_site, name):
    """Each Korean page's language menu leads to the same page in English (the theme writes the
    link; the English page itself is opened in a browser by tests/site/test_browser.py)."""
    from urllib.parse import urljoin

    page = built_site / url_path(name, "ko") / "index.html"
    links = SWITCH.findall(page.read_text(encoding="utf-8"))
    assert len(links) == 1 and "md-select__link" in links[0], links
    href = re.search(r'href="([^"]*)"', links[0]).group(1)
    target = urljoin("http://127.0.0.1/" + url_path(name, "ko"), href)
    assert target == "http://127.0.0.1/" + url_path(name, "en"), (href, target)
    english = built_site / url_path(name, "en") / "index.html"
    assert '<html lang="en"' in english.read_text(encoding="utf-8")
