"""How long each story page is, as a reader reads it: English words and Korean characters.

    python scripts/word_counts.py                 # the working copy
    python scripts/word_counts.py --against REV   # REV, the working copy, and the change in %

What counts is what a sighted reader reads: prose, lists, tables, admonitions and figure
captions. What does not: the front matter, image alt texts (a screen reader's stand-in for the
figure), the "how this figure was made" line under each caption, HTML tags, link targets and
code blocks. A metric placeholder counts as one word (it prints one number). English words are
runs of letters, digits, apostrophes and hyphens; Korean characters are every character that is
not white space.
"""
from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORY = ("index", "pixel-space", "manifold", "intrinsic-dimension", "latent-space", "faces",
         "diffusion", "conditional")

DROPS = (
    (re.compile(r"\A---\n.*?\n---\n", re.S), ""),  # front matter
    (re.compile(r"^```.*?^```", re.S | re.M), ""),  # code blocks
    (re.compile(r'<(span|p) class="figure-source">.*?</(span|p)>', re.S), ""),  # how a figure was made
    (re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?"), ""),  # images and their alt text
    (re.compile(r"\{\{\s*metric:[^}]*\}\}"), " 0 "),  # a number
    (re.compile(r"\]\([^)]*\)"), "]"),  # link targets
    (re.compile(r"[\[\]]"), ""),  # the brackets around a link's words
    (re.compile(r"\{[:.#][^}]*\}"), ""),  # attribute lists
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
)


def reader_text(markdown: str) -> str:
    for pattern, replacement in DROPS:
        markdown = pattern.sub(replacement, markdown)
    return markdown


def english_words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’\-]*", text))


def korean_characters(text: str) -> int:
    return len(re.sub(r"\s", "", re.sub(r"[#*_|`>\\-]", "", text)))


def read(page: str, english: bool, revision: str | None) -> str:
    name = f"docs/{page}.en.md" if english else f"docs/{page}.md"
    if revision is None:
        return (ROOT / name).read_text(encoding="utf-8")
    return subprocess.run(["git", "show", f"{revision}:{name}"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def counts(revision: str | None) -> dict:
    return {page: (english_words(reader_text(read(page, True, revision))),
                   korean_characters(reader_text(read(page, False, revision)))) for page in STORY}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="a git revision to compare with")
    options = parser.parse_args()
    now = counts(None)
    if not options.against:
        print("| page | English words | Korean characters |\n|---|---|---|")
        for page, (en, ko) in now.items():
            print(f"| {page} | {en:,} | {ko:,} |")
        print(f"| all | {sum(v[0] for v in now.values()):,} | {sum(v[1] for v in now.values()):,} |")
        return
    before = counts(options.against)
    print(f"| page | English words {options.against} → now | change | Korean characters → now | change |")
    print("|---|---|---|---|---|")
    rows = list(now) + ["all"]
    for page in rows:
        totals = [tuple(sum(v[i] for v in d.values()) for i in (0, 1)) for d in (before, now)]
        (en0, ko0), (en1, ko1) = totals if page == "all" else (before[page], now[page])
        print(f"| {page} | {en0:,} → {en1:,} | {100 * (en1 - en0) / en0:+.0f} % "
              f"| {ko0:,} → {ko1:,} | {100 * (ko1 - ko0) / ko0:+.0f} % |")


if __name__ == "__main__":
    main()
