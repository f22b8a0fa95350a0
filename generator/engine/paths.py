"""Every filesystem location the project uses, in one place.

Other modules import these names instead of building paths themselves, so moving a folder
is a one-line change here. Nothing is created at import time.
"""
from __future__ import annotations

import os
from pathlib import Path

# The repository root: the folder that holds generator/, docs/ and figures/.
ROOT = Path(__file__).resolve().parents[2]  # generator/engine/paths.py -> the root

# Generated outputs, committed to git and read by mkdocs.
FIGURES = ROOT / "figures"
MANIFEST = FIGURES / "manifest.json"

# Trained models, kept out of git (see .gitignore). GENERATOR_CACHE moves it, e.g. in tests.
MODEL_CACHE = Path(os.environ.get("GENERATOR_CACHE", ROOT / ".cache" / "models"))

# The site sources.
DOCS = ROOT / "docs"
MKDOCS_YML = ROOT / "mkdocs.yml"

# The package itself, used to hash the source files that a model or figure depends on.
PACKAGE = ROOT / "generator"
