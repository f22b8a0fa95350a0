"""Words that place a panel must be true in every layout. A figure with a phone layout stacks
its panels, so "on the left" / "왼쪽은" in its caption or alt text is false on a phone: such a
figure names its panels with letters drawn in it, (a), (b), …, and the words use the letters.

Directions inside a picture stay allowed ("leaning to the right", "왼쪽 위로 갑니다": toward the
upper left of a chart), because they are true in every layout.
"""
import json
import re

import pytest
from shared import ROOT

MANIFEST = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
FIGURE = re.compile(r"<figure[^>]*>(.*?)</figure>", re.S)
IMAGE = re.compile(r"!\[([^\]]*)\]\((figures/[^)]+)\)")
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
SOURCE = re.compile(r'<span class="figure-source">.*?</span>', re.S)
PLACES = re.compile(  # words that locate a panel; the look-aheads let directions through
    r"왼쪽(?!으로| 위로)|오른쪽(?!으로| 위로)|왼편|오른편"
    r"|\b(?:on|at|to) the (?:left|right)\b(?<!to the left)(?<!to the right)"
    r"|\b(?:left|right)(?: ones?| map| maps| panel| column| chart| half| side| image)\b"
    r"|\b(?:top|bottom|upper|lower)[- ](?:left|right)\b|^(?:left|right)\b|(?<=[.:;] )(?:left|right)\b",
    re.I | re.M)


# figures whose phone layout keeps the places their words name, and why
KEEPS_PLACES = {
    "conditional_pipeline": "its two columns stay side by side on a phone",
    "conditional_prompts": "each map keeps its decoded digits beside it on a phone",
    "conditional_guidance_tradeoff": "'right' runs along the variety axis of each chart",
    "face_grid": "places in one grid of faces, the same in every layout",
    "face_bald_edit": "the first column of one grid of faces, the same in every layout",
    "face_ood_errors": "left and right along the error axis of each histogram",
}


def phone_figures() -> set[str]:
    """figures/x/name.webp (as pages link it) for every figure drawn in a phone layout too."""
    found = set()
    for entry in MANIFEST["figures"].values():
        for output in entry["outputs"]:
            if ".narrow." in output and not any(f"/{name}." in output for name in KEEPS_PLACES):
                found.add("figures/" + re.sub(r"\.narrow(\.(?:ko|en))?\.webp$", ".webp", output))
    return found


def cases():
    phones = phone_figures()
    for page in sorted((ROOT / "docs").glob("*.md")):
        for block in FIGURE.findall(page.read_text(encoding="utf-8")):
            image = IMAGE.search(block)
            if image and image.group(2) in phones:
                caption = CAPTION.search(block)
                words = image.group(1) + "\n" + SOURCE.sub("", caption.group(1) if caption else "")
                yield pytest.param(image.group(2), words, id=f"{page.name}:{image.group(2)}")


@pytest.mark.parametrize("link, words", list(cases()))
def test_a_stacked_figure_names_panels_by_letter_not_by_place(link, words):
    places = sorted({m.group(0) for m in PLACES.finditer(words)})
    assert places == [], f"{link}: {places} is false on a phone, where the panels stack; use (a), (b)…"


def test_every_exception_is_a_figure_with_a_phone_layout():
    narrow = {name for name, entry in MANIFEST["figures"].items()
              if any(".narrow." in output for output in entry["outputs"])}
    assert set(KEEPS_PLACES) <= narrow, set(KEEPS_PLACES) - narrow  # a stale exception hides nothing


def test_the_rule_sees_a_place_and_lets_a_direction_through():
    assert PLACES.search("On the left, the MLP") and PLACES.search("오른쪽의 선형 격자")
    assert PLACES.search("Bottom left: share read") and PLACES.search("the right map makes 8")
    assert not PLACES.search("the slanted ones lean to the right")
    assert not PLACES.search("기울어진 쪽은 오른쪽으로 눕습니다; 점이 왼쪽 위로 갑니다")
