"""Find where a drawn matplotlib figure collides with itself: text on text, or a line, arrow,
marker, image or outline running through a text that has no opaque backing.

`collisions(figure)` lays the figure out as a draw would (Agg, at its own dpi, painting no
pixels) and returns one short line per collision, such as 'text "σ = 0.1" overlaps text
"σ = 0.03"' or 'Line2D crosses text "(1, 0)"'.
The builder records them for every image it saves; the tests ask for none in every figure, layout
and language. A text may sit on a line, marker or image only on an opaque box of its own
(`bbox=dict(facecolor="white", edgecolor="none", alpha=0.9)`), which hides what is under it:
what is drawn before it (a lower or equal zorder), not what is drawn over it.

What counts: every visible, non-empty text (titles, labels, tick labels, legend entries,
annotations); every visible line (its stroke and its markers), patch (its outline only: a text
inside a filled box is fine), collection (scatter markers, quiver arrows, line collections),
image, and annotation arrow. Not counted: the axes' background and spines, grid lines and tick
marks, a legend's frame and handles (a legend with an opaque frame backs its texts), an
annotation's arrow against its own text, and artists fainter than FAINT (background, not data).
"""
from __future__ import annotations

import numpy as np

SHRINK_PX = 1.5  # text boxes shrink by this much: glyph boxes that merely touch are no collision
FAINT = 0.25     # an artist more transparent than this is background, not data
OPAQUE = 0.8     # a text's own box at least this opaque hides what is under it


def collisions(figure) -> list[str]:
    """Every collision in `figure`, as sorted one-line descriptions (empty: none)."""
    from matplotlib.legend import Legend

    figure.draw_without_rendering()  # layout, ticks and text boxes as a draw sets them, no pixels
    renderer = figure.canvas.get_renderer()
    legends = figure.findobj(Legend)
    legend_backed = {id(text) for legend in legends if opaque_frame(legend)
                     for text in (*legend.texts, legend.get_title())}
    texts = [(text, shrunk(text.get_window_extent(renderer))) for text in visible_texts(figure)]
    found: set[str] = set()
    for i, (text, box) in enumerate(texts):  # text on text
        for other, other_box in texts[i + 1:]:
            if box.overlaps(other_box):
                found.add(f"text {label(text)} overlaps text {label(other)}")
    for artist, shapes in drawn_shapes(figure, renderer, legends):  # strokes, marks, images on text
        clip = artist.get_clip_box() if artist.get_clip_on() else None
        for text, box in texts:
            if getattr(text, "arrow_patch", None) is artist:
                continue
            # an opaque box hides only what is drawn before the text (a lower zorder)
            if (backed(text) or id(text) in legend_backed) and artist.get_zorder() <= text.get_zorder():
                continue
            seen = box if clip is None else intersection(box, clip)
            if seen is not None and any(hits(shape, seen) for shape in shapes):
                found.add(f"{type(artist).__name__} crosses text {label(text)}")
    return sorted(found)


def visible_texts(figure) -> list:
    """The texts a reader sees. An axis keeps a pool of ticks, some outside the view with stale
    labels; only the ticks the axis draws (Axis._update_ticks, as Axis.draw uses it) count."""
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    pooled, drawn, unseen = set(), set(), hidden(figure)
    for axis in figure.findobj(Axis):
        for tick in (*axis.majorTicks, *axis.minorTicks):
            pooled.update(id(child) for child in tick.findobj(Text))
        for tick in axis._update_ticks():
            drawn.update(id(child) for child in tick.findobj(Text))
    return [text for text in figure.findobj(Text)
            if text.get_text().strip() and text.get_alpha() != 0 and text.get_visible()
            and id(text) not in unseen
            and (id(text) not in pooled or id(text) in drawn)]


def hidden(figure) -> set[int]:
    """The ids of every artist that is not drawn although it says it is visible: everything in
    an invisible axes, and the ticks and labels of an axis that is off (`ax.axis("off")`)."""
    found = set()
    for axes in figure.axes:
        if not axes.get_visible():
            found.update(id(a) for a in axes.findobj())
        for axis in (axes.xaxis, axes.yaxis):
            if not axes.axison or not axis.get_visible():
                found.update(id(a) for a in axis.findobj())
    return found


def faint(artist) -> bool:
    from matplotlib.collections import Collection

    alpha = artist.get_alpha()
    if alpha is None and isinstance(artist, Collection):  # per-item colours carry the alpha
        colours = [c for c in (artist.get_facecolor(), artist.get_edgecolor()) if len(c)]
        alpha = max(float(np.max(c[:, 3])) for c in colours) if colours else 0.0
    return alpha is not None and alpha < FAINT


def shrunk(box):
    from matplotlib.transforms import Bbox

    (x0, y0), (x1, y1) = box.get_points()
    return Bbox([[x0 + SHRINK_PX, y0 + SHRINK_PX], [x1 - SHRINK_PX, y1 - SHRINK_PX]])


def intersection(box, clip):
    """The part of `box` inside `clip`, or None if they do not meet (Bbox.intersection's
    answer, on plain floats: it runs for every pair of a text and a clipped artist)."""
    from matplotlib.transforms import Bbox

    (ax0, ay0), (ax1, ay1) = box.get_points().tolist()
    (bx0, by0), (bx1, by1) = clip.get_points().tolist()
    x0, x1 = max(min(ax0, ax1), min(bx0, bx1)), min(max(ax0, ax1), max(bx0, bx1))
    y0, y1 = max(min(ay0, ay1), min(by0, by1)), min(max(ay0, ay1), max(by0, by1))
    return Bbox([[x0, y0], [x1, y1]]) if x0 <= x1 and y0 <= y1 else None


def label(text) -> str:
    words = " ".join(text.get_text().split())
    return '"' + (words if len(words) <= 40 else words[:37] + "…") + '"'


def backed(text) -> bool:
    """True if the text sits on a box of its own that hides what is under it."""
    patch = text.get_bbox_patch()
    if patch is None or not patch.get_visible() or not patch.get_fill():
        return False
    return patch.get_facecolor()[3] >= OPAQUE - 1e-6  # (the face colour's alpha includes the patch's)


def opaque_frame(legend) -> bool:
    frame = legend.get_frame()
    return legend.get_frame_on() and frame.get_facecolor()[3] >= OPAQUE - 1e-6


def drawn_shapes(figure, renderer, legends) -> list:
    """[(artist, shapes)] for every stroke, outline, marker set and image that could cross a
    text. A shape is ("path", (n, 2) pixels), ("disc", (n, 2) centres, radius) or ("box", Bbox)."""
    from matplotlib.collections import Collection
    from matplotlib.image import AxesImage, BboxImage
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Annotation

    skipped = {id(figure.patch)}
    for legend in legends:  # a legend's frame and handles sit beside its own texts
        skipped.update(id(a) for a in legend.findobj())
    for axes in figure.axes:
        skipped.update(id(a) for a in (axes.patch, *axes.spines.values()))
        for axis in (axes.xaxis, axes.yaxis):
            skipped.update(id(a) for a in (*axis.get_gridlines(), *axis.get_ticklines(minor=False),
                                           *axis.get_ticklines(minor=True)))
    skipped |= hidden(figure)
    artists = [a for a in figure.findobj() if id(a) not in skipped]
    artists += [a.arrow_patch for a in figure.findobj(Annotation) if a.arrow_patch is not None]
    shapes = []
    for artist in artists:
        if not artist.get_visible() or faint(artist):
            continue
        if isinstance(artist, Line2D):
            shapes.append((artist, line_shapes(artist, figure.dpi)))
        elif isinstance(artist, Patch) and artist.get_edgecolor()[3] > 0 and artist.get_linewidth() > 0:
            path = artist.get_transform().transform_path(artist.get_path())
            shapes.append((artist, [("path", polygon) for polygon in path.to_polygons(closed_only=False)]))
        elif isinstance(artist, Collection):
            shapes.append((artist, collection_shapes(artist)))
        elif isinstance(artist, (AxesImage, BboxImage)):
            shapes.append((artist, [("box", artist.get_window_extent(renderer))]))
    return [(artist, found) for artist, found in shapes if found]


def line_shapes(line, dpi: float) -> list:
    """A line's stroke (if it has one) and its markers (if any), in pixels."""
    points = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))  # (n, 2)
    points = points[np.isfinite(points).all(axis=1)]
    shapes = []
    if line.get_linestyle() not in ("None", "", " ", "none") and line.get_linewidth() > 0 and len(points) > 1:
        shapes.append(("path", points))
    if line.get_marker() not in ("None", "", " ", "none", None) and len(points):
        shapes.append(("disc", points, line.get_markersize() / 2 * dpi / 72))
    return shapes


def collection_shapes(collection) -> list:
    """Each item of a collection (scatter marker, quiver arrow, line, polygon) as a path in
    pixels: its own transform, the collection's, then moved to its offset, as matplotlib draws it."""
    from matplotlib.transforms import Affine2D

    paths, own = collection.get_paths(), collection.get_transforms()  # own: (k, 3, 3) or empty
    offsets = np.asarray(collection.get_offsets(), dtype=float).reshape(-1, 2)
    if offsets.size:
        offsets = collection.get_offset_transform().transform(offsets)
    count = max(len(paths), len(offsets)) if len(paths) else 0
    master, shapes = collection.get_transform(), []
    drawn = {}  # (path, own transform) -> its vertices in pixels: a scatter's markers share one
    for i in range(count):
        key = (i % len(paths), i % len(own) if len(own) else -1)
        if key not in drawn:
            transform = (Affine2D(own[key[1]]) if len(own) else Affine2D()) + master
            drawn[key] = transform.transform(paths[key[0]].vertices)
        vertices = drawn[key]
        if len(offsets):
            vertices = vertices + offsets[i % len(offsets)]
        vertices = vertices[np.isfinite(vertices).all(axis=1)]
        if len(vertices):
            shapes.append(("path", vertices))
    return shapes


def hits(shape, box) -> bool:
    """Does the shape draw anything inside the box?"""
    from matplotlib.path import Path

    (x0, y0), (x1, y1) = box.get_points()
    if shape[0] == "box":
        return box.overlaps(shape[1])
    if shape[0] == "disc":
        centres, radius = shape[1], shape[2]
        # the distance from each centre to the box is at most the marker's radius
        dx = np.maximum(np.maximum(x0 - centres[:, 0], centres[:, 0] - x1), 0)
        dy = np.maximum(np.maximum(y0 - centres[:, 1], centres[:, 1] - y1), 0)
        return bool(np.any(dx * dx + dy * dy <= radius * radius))
    vertices = shape[1]
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    if high[0] < x0 or low[0] > x1 or high[1] < y0 or low[1] > y1:  # far apart: skip the exact test
        return False
    return bool(Path(vertices).intersects_bbox(box, filled=False))
