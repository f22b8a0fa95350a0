"""MkDocs hook: put the generated figures/ folder into the site and fill in measured numbers.

- figures/ sits beside docs/ (it is the generator's output), so mkdocs would not see it.
  on_files adds every figure as a site file *before* mkdocs-static-i18n runs, so that
  `name.ko.png` / `name.en.png` become one localized `name.png` for each language.
- Pages quote measured numbers as `{{ metric: figure_name.key.subkey }}` (floats get three
  decimals unless a format follows, e.g. `{{ metric: name.key :.1f }}`, or `:.0%` for a
  share shown as a percentage); on_page_markdown
  replaces each with the value stored in figures/manifest.json, so the text can never
  disagree with the figures. An unknown name stops the build. A backslash before the
  braces (\\{{ metric: ... }}) shows the placeholder itself instead.

This hook only reads figures/; it never trains or renders anything.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "figures"
METRIC = re.compile(r"(?<!\\)\{\{\s*metric:\s*([\w./-]+)\s*(?::\s*([.\d]+[f%]))?\s*\}\}")
ESCAPED = "\\{{"  # write \{{ metric: ... }} to show the placeholder itself


@event_priority(100)  # before mkdocs-static-i18n (-100) localizes the files
def on_files(files, config):
    for path in sorted(FIGURES.rglob("*")):
        if path.is_file() and path.suffix in (".png", ".gif", ".svg", ".webp", ".json", ".gz"):
            if path.name == "manifest.json":
                continue
            relative = path.relative_to(ROOT).as_posix()  # figures/chapter/name.ko.png
            files.append(File(relative, str(ROOT), config["site_dir"], config["use_directory_urls"]))
    # The executed notebooks are pages, at notebooks/<name>.<lang>.ipynb. i18n only localizes
    # files inside docs_dir, so each is announced as if it were there; hooks/notebooks.py points
    # it back at figures/notebooks/ once i18n is done.
    for path in sorted((FIGURES / "notebooks").glob("*.ipynb")):
        files.append(File(f"notebooks/{path.name}", config["docs_dir"], config["site_dir"],
                          config["use_directory_urls"]))
    return files


def load_metrics() -> dict:
    manifest = FIGURES / "manifest.json"
    if not manifest.exists():
        raise PluginError("figures/manifest.json is missing: run `python -m generator build`")
    return {name: entry.get("metrics", {})
            for name, entry in json.loads(manifest.read_text(encoding="utf-8"))["figures"].items()}


def lookup(metrics: dict, dotted: str):
    value = metrics
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise PluginError(f"unknown metric '{dotted}' (not in figures/manifest.json)")
        value = value[part]
    return value


def on_page_markdown(markdown, page, config, files):
    if "metric:" not in markdown:
        return markdown
    metrics = load_metrics()

    def replace(match):
        value = lookup(metrics, match.group(1))
        spec = match.group(2) or ".3f"  # {{ metric: name.key :.1f }} picks the decimals
        text = f"{value:,}" if isinstance(value, int) else format(value, spec)
        if text.startswith("-") and float(text.rstrip("%")) == 0:
            text = text[1:]  # −0.2 shown with no decimals is 0, not "−0"
        text = text.replace("-", "−")
        return f'<span class="metric" data-metric="{match.group(1)}">{text}</span>'

    return METRIC.sub(replace, markdown).replace(ESCAPED, "{{")


def on_serve(server, config, builder):
    server.watch(str(FIGURES))
    return server
