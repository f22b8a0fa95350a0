"""Shared fixtures: the built site (once per test session) and a local web server for it."""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The exact command the GitHub Pages workflow runs to build the site (test_docs checks that).
SITE_BUILD_COMMAND = ["mkdocs", "build", "--strict"]
SLOWEST_FIRST = ("test_builder.py", "test_workflows.py", "test_safety.py")  # longest files start first


def pytest_collection_modifyitems(items):
    """With several workers (pytest-xdist, one file each), files are handed out in this order."""
    items.sort(key=lambda item: item.path.name not in SLOWEST_FIRST)  # stable: otherwise as collected


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the site from the committed figures into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1/")
    result = subprocess.run([str(mkdocs), *SITE_BUILD_COMMAND[1:], "--site-dir", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    return site


@pytest.fixture(scope="session")
def site_server(built_site):
    """Serve the built site on a free loopback port; yields the base URL."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from served_site import Quiet, QuietServer  # the measuring scripts' server, uncompressed

    handler = functools.partial(Quiet, directory=str(built_site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Debian Chromium driven by Playwright (Playwright's own browser download fails offline)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `bash scripts/setup.sh --browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
