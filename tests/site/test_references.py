"""The references page: one entry per cited work in both languages, each with a link a reader can
follow, and every citation in a chapter pointing at an entry that exists (and back)."""
import re

import pytest
from shared import ROOT

DOCS = ROOT / "docs"
ENTRY = re.compile(r'^- <span id="([\w-]+)"></span>(.*)$', re.MULTILINE)
CITATION = re.compile(r"\]\(references\.md#([\w-]+)\)")
CITED_IN = re.compile(r"\]\(([\w-]+)\.md\)")


def entries(name: str) -> dict:
    """key -> the entry's text, in page order."""
    return dict(ENTRY.findall((DOCS / name).read_text(encoding="utf-8")))


def test_both_languages_list_the_same_works_in_the_same_order():
    korean, english = entries("references.md"), entries("references.en.md")
    assert len(korean) >= 18
    assert list(korean) == list(english)


@pytest.mark.parametrize("name", ["references.md", "references.en.md"])
def test_every_entry_names_a_year_and_links_to_the_work(name):
    for key, text in entries(name).items():
        assert re.search(r"\]\(https?://", text), f"{name}#{key}: no link to the work"
        assert re.search(r"\b(19|20)\d\d\b", text) or "github.com" in text or "Online note" in text, \
            f"{name}#{key}: no year"


def test_every_citation_in_a_chapter_points_at_an_entry():
    known = set(entries("references.md"))
    for page in sorted(DOCS.glob("*.md")):
        for key in CITATION.findall(page.read_text(encoding="utf-8")):
            assert key in known, f"{page.name} cites references.md#{key}, which has no entry"


@pytest.mark.parametrize("name", ["references.md", "references.en.md"])
def test_every_entry_is_cited_where_it_says(name):
    """'cited in: chapter' is true: that chapter (in the same language) links to the entry."""
    suffix = ".en.md" if name.endswith(".en.md") else ".md"
    for key, text in entries(name).items():
        pages = CITED_IN.findall(text.split("—")[-1])
        assert pages, f"{name}#{key}: names no chapter that cites it"
        for page in pages:
            chapter = (DOCS / f"{page}{suffix}").read_text(encoding="utf-8")
            assert f"references.md#{key})" in chapter, f"{page}{suffix} does not cite {key}"
