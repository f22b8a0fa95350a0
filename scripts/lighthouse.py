"""Lighthouse (mobile preset) over every page of the site in both languages: the median of three
runs per page for performance, accessibility and best practices, from a server that gzips text
the way GitHub Pages does.

Usage: .venv/bin/python scripts/lighthouse.py [--runs N] [--plain] [--inline-notebook-css]
                                              [--before CHECKOUT] [PAGE_PATH ...]
       (default: every page, Korean and English; PAGE_PATH like `manifold/` or `en/faces/`)
  --before CHECKOUT      also measure the site of another checkout, page by page in the same
                         run (e.g. `git worktree add /tmp/before <commit>`), and print both
  --plain                serve without compression (what `python -m http.server` does)
  --inline-notebook-css  notebook pages with all of mkdocs-jupyter's CSS inline, to compare
Needs Lighthouse 12.8.2 from npm (13.x needs Node 22): `npm install --prefix /tmp/lh
lighthouse@12.8.2`, or set LIGHTHOUSE to its path. Runs offline with Debian Chromium. Prints one
line per page, then the lowest median of each category and the pages below the targets
(performance ≥ 95, accessibility 100, best practices ≥ 95); exits 1 if any page misses one.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from served_site import served_site

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "/tmp/lh/node_modules/.bin/lighthouse")
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 95}  # targets


def every_page() -> list[str]:
    """Site paths of every Markdown page and executed notebook, Korean first, then English."""
    names = sorted(p.relative_to(ROOT / "docs").as_posix()[: -len(".md")]
                   for p in (ROOT / "docs").rglob("*.md") if not p.name.endswith(".en.md"))
    names += sorted(f"notebooks/{p.name.split('.')[0]}"
                    for p in (ROOT / "figures" / "notebooks").glob("*.ko.ipynb"))
    paths = ["" if name == "index" else f"{name}/" for name in names]
    return paths + [f"en/{path}" for path in paths]


def page_exists(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url):
            return True
    except urllib.error.HTTPError:
        return False


def run_once(url: str, report: Path) -> dict[str, float]:
    subprocess.run([LIGHTHOUSE, url, "--only-categories=" + ",".join(CATEGORIES),
                    "--output=json", f"--output-path={report}", "--quiet",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                   env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"), check=True)
    result = json.loads(report.read_text())
    scores = {name: result["categories"][name]["score"] * 100 for name in CATEGORIES}
    audits = result["audits"]
    scores["lcp_s"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    scores["tbt_ms"] = audits["total-blocking-time"]["numericValue"]
    scores["kb"] = audits["total-byte-weight"]["numericValue"] / 1024
    counted = {ref["id"] for name in CATEGORIES for ref in result["categories"][name]["auditRefs"]
               if ref.get("weight", 0) > 0}  # the audits that make up the three scores
    scores["failed"] = sorted(key for key in counted
                              if audits[key].get("score") is not None and audits[key]["score"] < 0.9)
    return scores


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("pages", nargs="*")
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--plain", action="store_true")
    options.add_argument("--inline-notebook-css", action="store_true")
    options.add_argument("--before", type=Path)
    args = options.parse_args()
    if not Path(LIGHTHOUSE).exists():
        print(f"no Lighthouse at {LIGHTHOUSE}: npm install --prefix /tmp/lh lighthouse@12.8.2")
        return 2
    pages = args.pages or every_page()
    medians = {}
    with contextlib.ExitStack() as stack:
        sites = {"": stack.enter_context(served_site(args.inline_notebook_css, compress=not args.plain))}
        if args.before:
            sites = {"before ": stack.enter_context(served_site(args.inline_notebook_css, not args.plain,
                                                               args.before.resolve())),
                     "after  ": sites[""]}
        reports = stack.enter_context(tempfile.TemporaryDirectory())
        for path in pages:
            for label, base in sites.items():
                if not page_exists(base + path):  # e.g. a chapter the older checkout lacks
                    print(f"{label}{path or '/':<38} (no such page)", flush=True)
                    continue
                runs = [run_once(base + path, Path(reports) / f"{k}.json") for k in range(args.runs)]
                median = {key: statistics.median(run[key] for run in runs)
                          for key in list(CATEGORIES) + ["lcp_s", "tbt_ms", "kb"]}
                failed = sorted({audit for run in runs for audit in run["failed"]})
                if label.strip() != "before":
                    medians[path or "/"] = median
                print(f"{label}{path or '/':<38} perf {median['performance']:3.0f} · a11y "
                      f"{median['accessibility']:3.0f} · best {median['best-practices']:3.0f} · LCP "
                      f"{median['lcp_s']:.1f} s · TBT {median['tbt_ms']:.0f} ms · {median['kb']:.0f} KB"
                      + (f" · below 90: {', '.join(failed)}" if failed else ""), flush=True)
    missed = [f"{page} {name} {values[name]:.0f}" for page, values in medians.items()
              for name, target in CATEGORIES.items() if values[name] < target]
    lowest = {name: min(values[name] for values in medians.values()) for name in CATEGORIES}
    print(f"{len(medians)} pages, median of {args.runs} runs; lowest: "
          + ", ".join(f"{name} {value:.0f}" for name, value in lowest.items()))
    if missed:
        print("below target: " + "; ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
