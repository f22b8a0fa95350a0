"""The look shared by every figure: fonts (with Hangul), colours, sizes, and small helpers.

`apply()` is called by the builder before rendering; importing this module changes nothing.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from generator.engine.errors import MissingDataError

# Colours: a calm ink for text and lines, one accent, and a perceptually even colour map
# for "position along the manifold".
INK = "#263238"
MUTED = "#546e7a"  # 5.4:1 on white: small grey text stays readable
ACCENT = "#e4572e"
GRID = "#cfd8dc"
MANIFOLD_CMAP = "viridis"

# Sizes that keep every figure readable where it is shown (tests/chapters/test_figures.py): a figure at
# most WIDE_IN inches wide fills the desktop text column (688 px), a phone layout at most
# NARROW_IN inches fills a phone's (358 px), and no text is smaller than SMALLEST_PT points;
# then every label is at least as large as the captions' text.
WIDE_IN = 8.0
NARROW_IN = 4.0
SMALLEST_PT = 11.5


def width(ctx, wide: float = WIDE_IN) -> float:
    """The figure width for this rendering: the phone layout's, or `wide`."""
    return NARROW_IN if getattr(ctx, "narrow", False) else wide


def korean_font_file(weight: str = "") -> Path:
    """NanumGothic (SIL Open Font License), shipped inside the koreanize-matplotlib wheel.

    We only read the font file; we do not import that package, which would change
    matplotlib's settings as a side effect.
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDataError("koreanize-matplotlib", "The Korean font for figures")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / f"NanumGothic{weight}.ttf"
    if not path.is_file():
        raise MissingDataError("koreanize-matplotlib", f"The Korean font file {path.name}")
    return path


def use_korean_font() -> None:
    """Let matplotlib write Hangul in NanumGothic, Latin in DejaVu Sans: the notebooks' one
    line of set-up (the site's figures get it, with the rest of the house style, from apply())."""
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(korean_font_file()))
    plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]


def apply() -> None:
    """Select the Agg backend, register the Korean font and set the shared rcParams."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    # NanumGothic has no 700-weight file; matplotlib's notice that it uses the 600 one is noise
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    from matplotlib import font_manager

    for weight in ("", "Bold"):
        font_manager.fontManager.addfont(str(korean_font_file(weight)))
    matplotlib.rcParams.update({
        # Latin glyphs and the minus sign from DejaVu Sans, Hangul from NanumGothic.
        "font.family": ["DejaVu Sans", "NanumGothic"],
        "font.size": 12,
        "axes.titlesize": 12.5,
        "axes.labelsize": 12,
        "xtick.labelsize": SMALLEST_PT,
        "ytick.labelsize": SMALLEST_PT,
        "legend.fontsize": SMALLEST_PT,
        "legend.title_fontsize": SMALLEST_PT,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "axes.titlecolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "text.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "svg.hashsalt": "manifold-explainer",
        "path.simplify": False,
    })


def figure_to_rgb(figure) -> np.ndarray:
    """Draw a matplotlib Figure and return its pixels as an H×W×3 uint8 array, then close it."""
    import matplotlib.pyplot as plt

    figure.canvas.draw()
    rgba = np.asarray(figure.canvas.buffer_rgba())  # (H, W, 4)
    plt.close(figure)
    return rgba[:, :, :3].copy()
