"""Lighthouse mobile performance of built pages, with and without the shared notebook CSS.

Usage: .venv/bin/python scripts/lighthouse.py [--inline-notebook-css] [PAGE_PATH ...]
       (default pages: notebooks/swiss_roll_notebook/ en/notebooks/mnist_vae_notebook/ diffusion/)
Needs Lighthouse 12.8.2 from npm (13.x needs Node 22): `npm install --prefix /tmp/lh
lighthouse@12.8.2`, or set LIGHTHOUSE to its path. Runs offline with Debian Chromium. Builds the
site into a temp folder (NOTEBOOK_CSS=inline with --inline-notebook-css: mkdocs-jupyter's own
way, all its CSS inside every notebook page), serves it on loopback and prints one line per page.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from served_site import served_site

LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "/tmp/lh/node_modules/.bin/lighthouse")


def main(pages: list[str], inline_notebook_css: bool) -> int:
    if not Path(LIGHTHOUSE).exists():
        print(f"no Lighthouse at {LIGHTHOUSE}: npm install --prefix /tmp/lh lighthouse@12.8.2")
        return 2
    with served_site(inline_notebook_css) as base, tempfile.TemporaryDirectory() as reports:
        for index, path in enumerate(pages):
            report = Path(reports) / f"{index}.json"
            subprocess.run([LIGHTHOUSE, base + path, "--only-categories=performance",
                            "--output=json", f"--output-path={report}", "--quiet",
                            "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                           env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"), check=True)
            result = json.loads(report.read_text())
            audits = result["audits"]
            print(f"{path}: performance {result['categories']['performance']['score'] * 100:.0f}"
                  f" · FCP {audits['first-contentful-paint']['displayValue']}"
                  f" · LCP {audits['largest-contentful-paint']['displayValue']}"
                  f" · TBT {audits['total-blocking-time']['displayValue']}"
                  f" · bytes {audits['total-byte-weight']['numericValue'] / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    inline = "--inline-notebook-css" in arguments
    chosen = [a for a in arguments if a != "--inline-notebook-css"]
    sys.exit(main(chosen or ["notebooks/swiss_roll_notebook/", "en/notebooks/mnist_vae_notebook/",
                             "diffusion/"], inline))
