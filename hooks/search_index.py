"""MkDocs hook: the search index written as UTF-8.

Every page fetches and parses search/search_index.json. The search plugin writes Hangul as
\\uXXXX escapes, six bytes for each syllable that UTF-8 stores in three; written as UTF-8 the
same index (the same JSON once parsed) is a quarter smaller. This runs after every other
post-build step (the search plugin writes the index in its own).
"""
from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-100)
def on_post_build(config):
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if path.is_file():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
