"""No figure collides with itself: no text on text, no line, arrow, marker or image through a
text that has no opaque box of its own (generator/engine/collisions.py, which the builder runs
on every image it saves and records in the manifest's layout).

First the checker itself, on small figures where the answer is known, so that it can fail;
then every registered figure, in every layout and language: the smoke builds of the test run,
and the published figures in figures/manifest.json.
"""
import json

import matplotlib
import pytest
from shared import ROOT

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from generator.engine.collisions import collisions  # noqa: E402

BACKING = {"facecolor": "white", "edgecolor": "none", "alpha": 0.9}


def drawn(draw) -> list[str]:
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set(xlim=(0, 1), ylim=(0, 1))
    draw(ax)
    try:
        return collisions(fig)
    finally:
        plt.close(fig)


FOUND = {  # each of these must be reported, with the kind of artist named
    "text on text": (lambda ax: (ax.text(0.5, 0.5, "hello"), ax.text(0.53, 0.5, "world")), "overlaps"),
    "a line through a text": (lambda ax: (ax.plot([0, 1], [0.52, 0.52]), ax.text(0.4, 0.5, "label")), "Line2D"),
    "markers under a text": (lambda ax: (ax.scatter([0.45], [0.52], s=200), ax.text(0.4, 0.5, "label")),
                             "PathCollection"),
    "an arrow through a text": (lambda ax: (ax.annotate("", (0.9, 0.52), (0.1, 0.52),
                                                        arrowprops={"arrowstyle": "->"}),
                                            ax.text(0.4, 0.5, "label")), "FancyArrowPatch"),
    "quiver arrows through a text": (lambda ax: (ax.quiver([0.3], [0.52], [0.5], [0], angles="xy",
                                                           scale_units="xy", scale=1, width=0.02),
                                                 ax.text(0.4, 0.5, "label")), "Quiver"),
    "an image under a text": (lambda ax: (ax.imshow([[0, 1], [1, 0]], extent=(0.3, 0.7, 0.3, 0.7)),
                                          ax.text(0.4, 0.5, "label"), ax.set(xlim=(0, 1), ylim=(0, 1))),
                              "AxesImage"),
    "a box's edge through a text": (lambda ax: (ax.add_patch(plt.Rectangle((0.45, 0.2), 0.4, 0.6, fill=False)),
                                                ax.text(0.4, 0.5, "label")), "Rectangle"),
    "a translucent box is no backing": (lambda ax: (ax.plot([0, 1], [0.52, 0.52]),
                                                    ax.text(0.4, 0.5, "label", bbox={**BACKING, "alpha": 0.4})),
                                        "Line2D"),
}

CLEAR = {  # and none of these
    "texts apart": lambda ax: (ax.text(0.1, 0.1, "one"), ax.text(0.6, 0.8, "two")),
    "a text on an opaque box over a line": lambda ax: (ax.plot([0, 1], [0.52, 0.52]),
                                                      ax.text(0.4, 0.5, "label", bbox=BACKING)),
    "a text inside a filled box": lambda ax: (ax.add_patch(plt.Rectangle((0.2, 0.2), 0.6, 0.6, color="#eee")),
                                              ax.text(0.4, 0.5, "label")),
    "a legend over its own handles": lambda ax: (ax.plot([0, 1], [0, 1], label="a line"), ax.legend(),
                                                 ax.set(title="title", xlabel="x", ylabel="y")),
    "an annotation's own arrow": lambda ax: ax.annotate("note", (0.8, 0.8), xytext=(0.1, 0.1),
                                                        arrowprops={"arrowstyle": "->"}),
    "a faint cloud under a label": lambda ax: (ax.scatter([0.45] * 5, [0.52] * 5, s=200, alpha=0.1),
                                               ax.text(0.4, 0.5, "label")),
    "ticks of an axis that is off": lambda ax: (ax.axis("off"), ax.text(0.0, 0.0, "corner")),
}


@pytest.mark.parametrize("case", sorted(FOUND))
def test_the_checker_reports_a_collision(case):
    draw, kind = FOUND[case]
    found = drawn(draw)
    assert found and any(kind in line for line in found), found


@pytest.mark.parametrize("case", sorted(CLEAR))
def test_the_checker_leaves_a_clear_figure_alone(case):
    assert drawn(CLEAR[case]) == []


def image_layouts(manifest: dict):
    for name, entry in sorted(manifest["figures"].items()):
        for relative, layout in sorted((entry.get("layout") or {}).items()):
            yield relative, layout


def test_no_figure_collides_with_itself_in_the_smoke_builds(smoke_builds):
    """Every registered figure, every layout and language, drawn by this test run."""
    base, _ = smoke_builds[0]
    manifest = json.loads((base / "figures" / "manifest.json").read_text(encoding="utf-8"))
    checked = list(image_layouts(manifest))
    assert len(checked) > 40  # every image, not a few
    found = [f"{relative}: {line}" for relative, layout in checked for line in layout["collisions"]]
    assert found == [], "\n".join(found)


def test_no_published_figure_collides_with_itself():
    """The figures the site shows, as the last full build drew them."""
    manifest = json.loads((ROOT / "figures" / "manifest.json").read_text(encoding="utf-8"))
    found = [f"{relative}: {line}" for relative, layout in image_layouts(manifest)
             for line in layout["collisions"]]
    assert found == [], "\n".join(found)
