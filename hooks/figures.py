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

- Each caption's "how this figure was made" line (`<span class="figure-source">`) is folded
  into a closed <details> element in the built page.

This hook only reads figures/; it never trains or renders anything.
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "figures"
METRIC = re.compile(r"(?<!\\)\{\{\s*metric:\s*([\w./-]+)\s*(?::\s*([.\d]+[f%]))?\s*\}\}"
                    r"(?:\((으|이|을|은|과)\)(로|었|를|는|와|가|다))?")
# a Korean particle after a number depends on how the number is read: "7.3(으)로" is "7.3으로"
# (삼: a final consonant), "7.2(으)로" is "7.2로" (이: none), "7.1(으)로" is "7.1로" (일: ㄹ)
FINAL_CONSONANT = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}  # 영 일 삼 육 칠 팔
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


_published = {}  # the manifest this build reads, checked once per build (on_pre_build)


def on_pre_build(config):
    """Read figures/manifest.json and check it before any page is made: every file it records
    is in figures/ with the recorded bytes, and every figure's numbers match the digest the
    builder wrote beside them. A missing or edited figure, or a number changed by hand, stops
    the build with one line that names the fix (the site would otherwise show a wrong file or
    number: i18n even falls back to the Korean figure when an English one is missing)."""
    from generator.engine.errors import GeneratorError
    from generator.engine.manifest import Manifest

    try:
        manifest = Manifest.load(FIGURES / "manifest.json")
    except GeneratorError as error:
        raise PluginError(str(error)) from None
    if not manifest.figures:
        raise PluginError("figures/manifest.json is missing or records no figure: restore it "
                          "(git checkout -- figures/manifest.json) or run `python -m generator build`")
    problems = manifest.problems(sorted(manifest.figures))
    if problems:
        more = f" (and {len(problems) - 1} more: python -m generator check --sources)" if len(problems) > 1 else ""
        raise PluginError(f"{problems[0].strip()}{more}")
    _published["figures"] = manifest.figures


def load_metrics() -> dict:
    return {name: entry["metrics"] for name, entry in _published["figures"].items()}


def lookup(metrics: dict, dotted: str):
    value = metrics
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise PluginError(f"unknown metric '{dotted}' (not in figures/manifest.json)")
        value = value[part]
    return value


def particle(text: str, match) -> str:
    """The Korean particle written after a number as "(으)로", "(이)었", "(과)와"…, chosen by the
    sound the printed number ends in ("%" reads 퍼센트, with no final consonant)."""
    if not match.group(3):
        return ""
    final = FINAL_CONSONANT.get(text[-1], "")  # "", or the final consonant of the last digit
    with_consonant, without = match.group(3), match.group(4)
    if without == "로":  # 으로 after a final consonant other than ㄹ; 로 otherwise
        return "으로" if final and final != "ㄹ" else "로"
    if without in ("었", "다"):
        return ("이" + without) if final else ("였" if without == "었" else "다")
    return with_consonant if final else without


def on_page_markdown(markdown, page, config, files):
    # captions are Markdown too, so that math (\( … \)) and `code` in them render like the text
    markdown = markdown.replace("<figcaption>", '<figcaption markdown="span">')
    if "metric:" not in markdown:
        return markdown
    metrics = load_metrics()

    def replace(match):
        value = lookup(metrics, match.group(1))
        spec = match.group(2) or ".3f"  # {{ metric: name.key :.1f }} picks the decimals
        if isinstance(value, str):  # a measured reading such as "9 → 4 → 6 → 0"
            return f'<span class="metric" data-metric="{match.group(1)}">{value}</span>'
        text = f"{value:,}" if isinstance(value, int) else format(value, spec)
        if text.startswith("-") and float(text.rstrip("%")) == 0:
            text = text[1:]  # −0.2 shown with no decimals is 0, not "−0"
        text = text.replace("-", "−")
        return f'<span class="metric" data-metric="{match.group(1)}">{text}</span>' + particle(text, match)

    return METRIC.sub(replace, markdown).replace(ESCAPED, "{{")


IMAGE = re.compile(r'<img ([^>]*?)src="([^"]*?figures/)([^"]+\.webp)"([^>]*)>')
NARROW_MEDIA = "(max-width: 600px)"  # phones get the narrow layout of a figure that has one


def on_post_page(output, page, config):
    """Give every figure its pixel size (no layout shift while it loads), and serve the phone
    layout of a figure that has one, through <picture>."""
    if "figures/" not in output:
        return output
    layout = {path: size for entry in _published["figures"].values()
              for path, size in entry.get("layout", {}).items()}

    def serve(match):
        attributes, base, relative, rest = match.groups()
        size = layout.get(relative)
        if size is None:
            return match.group(0)
        given = re.search(r'width="(\d+)"', attributes + rest)  # a page may ask for a display width
        width = int(given.group(1)) if given else size["width"]
        height = round(width * size["height"] / size["width"])
        others = re.sub(r'\s*width="\d+"', "", attributes + " " + rest).strip()
        image = f'<img {others} src="{base}{relative}" width="{width}" height="{height}">'.replace("  ", " ")
        narrow = re.sub(r"\.((?:ko|en)\.)?webp$", lambda m: f".narrow.{m.group(1) or ''}webp", relative)
        if narrow not in layout:
            return image
        return (f'<picture><source media="{NARROW_MEDIA}" srcset="{base}{narrow}" '
                f'width="{layout[narrow]["width"]}" height="{layout[narrow]["height"]}">{image}</picture>')

    return IMAGE.sub(serve, output)


SOURCE = re.compile(r'<(span|p) class="figure-source">(.*?)</\1>', re.S)
SOURCE_SUMMARY = {"ko": "이 그림을 만든 방법", "en": "How this figure was made"}


def on_page_content(html, page, config, files):
    """Fold each "how this figure was made" line (figure name, command, source files) into a
    closed <details>: there for the curious, out of the way of the caption."""
    summary = SOURCE_SUMMARY.get(str(config["theme"]["language"]), SOURCE_SUMMARY["en"])
    return SOURCE.sub(lambda m: f'<details class="figure-source"><summary>{summary}</summary>'
                               f'<p>{m.group(2).strip()}</p></details>', html)


def on_serve(server, config, builder):
    server.watch(str(FIGURES))
    return server
