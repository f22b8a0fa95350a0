"""Every figure can be read where it is shown: its smallest text is at least as large as the
captions' text, on a desktop and on a 390-px phone.

The builder records each image's pixel size and the font size of its smallest text
(figures/manifest.json → layout). A figure drawn 8 inches wide at 150 dpi is 1,200 pixels, shown
at most as wide as the text column: its 11-point labels are 11 × 150/72 × 688/1200 ≈ 13 px on a
desktop and half that on a phone, which is why wide figures have a phone layout of their own.
"""
import json
import re

import pytest
from shared import ROOT

CAPTION_PX = 16 * 0.85  # .md-typeset figcaption: 0.85em of the 16-px text (docs/assets/stylesheets/extra.css)
COLUMN_PX = {"desktop": 688, "phone": 358}  # the text column at 1280 and at 390 px (Chromium)
DPI = 150
MANIFEST = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
IMAGE = re.compile(r"!\[[^\]]*\]\((figures/[^)]+\.webp)\)(\{[^}]*\})?")


def declared_widths() -> dict:
    """figures/x/name.webp -> the display width a page asks for ({ width=560 }), if any."""
    found = {}
    for page in (ROOT / "docs").glob("*.md"):
        for link, attributes in IMAGE.findall(page.read_text(encoding="utf-8")):
            width = re.search(r"width=(\d+)", attributes or "")
            if width:
                found[link] = int(width.group(1))
    return found


def cases():
    widths = declared_widths()
    for name, entry in sorted(MANIFEST["figures"].items()):
        layout = entry.get("layout", {})
        for relative, size in sorted(layout.items()):
            if ".narrow." in relative:
                continue
            link = "figures/" + re.sub(r"\.(ko|en)\.webp$", ".webp", relative)
            narrow = re.sub(r"\.((?:ko|en)\.)?webp$", lambda m: f".narrow.{m.group(1) or ''}webp", relative)
            yield pytest.param(relative, size, layout.get(narrow), widths.get(link), id=relative)


def shown_text_px(size: dict, column: int, declared: int | None) -> float:
    shown = min(column, declared or size["width"], size["width"])
    # a point is 1/72 inch; the image has DPI pixels per inch and is scaled to `shown` pixels
    dpi = size.get("dpi", DPI)  # an animation's frames record their own (engine/animation.py)
    return size["min_text_pt"] * dpi / 72 * shown / size["width"]


@pytest.mark.parametrize("relative, wide, narrow, declared", list(cases()))
def test_figure_text_is_as_large_as_the_captions(relative, wide, narrow, declared):
    if wide["min_text_pt"] == 0:
        return  # a picture with no text on it (an animation of faces)
    desktop = shown_text_px(wide, COLUMN_PX["desktop"], declared)
    phone = shown_text_px(narrow or wide, COLUMN_PX["phone"], declared)
    assert desktop >= CAPTION_PX - 0.05, f"{relative}: smallest text {desktop:.1f} px on a desktop"
    assert phone >= CAPTION_PX - 0.05, (f"{relative}: smallest text {phone:.1f} px on a phone"
                                        + ("" if narrow else " (it has no phone layout)"))
