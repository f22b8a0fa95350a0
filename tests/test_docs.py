"""The pages: both languages, every figure used and explained, every link resolves."""
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITE_BUILD_COMMAND

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
    unused = {link for link in unused
              if link not in text and not (link.endswith(".f16.gz")
                                           and link.replace(".f16.gz", ".json") in text)}
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
            assert isinstance(value, (int, float)), dotted


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


def test_pages_workflow_builds_with_the_tested_command():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(" ".join(SITE_BUILD_COMMAND) in run for run in runs)
    assert not any("generator build" in run for run in runs), \
        "the workflow must publish the committed figures, not regenerate them"


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


def test_pages_workflow_pins_match_the_project():
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    for pin in re.findall(r"(mkdocs[\w-]*(?:==|>=)[^\s\"]+)", workflow):
        assert pin in pyproject, f"the workflow pins {pin}, pyproject.toml does not"
