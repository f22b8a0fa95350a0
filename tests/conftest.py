"""Shared fixtures: the smoke builds and the built site (once per test run), a local web
server for the site, Chromium, a page opener that collects errors, and the scripts tests use."""
from __future__ import annotations

import fcntl
import functools
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from shared import ROOT, SITE_BUILD_COMMAND, quiet_network

# The order in which the workers (pytest-xdist, one file at a time) take the test files, so that
# the two cores stay busy: the builder's tests first, since they start the smoke builds (about
# half of all the work); meanwhile the other worker takes the files that do not need them, the
# longest first; the other files that read the smoke builds come last, when the builds are done.
STARTS_THE_SMOKE_BUILDS = ("test_builder.py",)
LONGEST = ("test_workflows.py", "test_safety.py", "test_draw_train.py", "test_accessibility.py")
READ_THE_SMOKE_BUILDS = ("test_notebooks.py", "test_collisions.py")


def pytest_collection_modifyitems(items):
    """Sort the files into the order above (pyproject.toml keeps xdist from re-sorting them)."""
    def place(item) -> tuple:
        name = item.path.name
        if name in STARTS_THE_SMOKE_BUILDS:
            return (0, 0)
        if name in READ_THE_SMOKE_BUILDS:
            return (2, 0)
        return (1, LONGEST.index(name) if name in LONGEST else len(LONGEST))

    items.sort(key=place)  # stable: otherwise as collected


@pytest.fixture(scope="session")
def smoke_builds(tmp_path_factory, worker_id):
    """Two cold smoke builds of every figure, each with its own empty model cache: [(folder,
    summary), …], the figures in folder / "figures". Made once per test run even with several
    workers (pytest-xdist's recipe): the first worker to ask builds them, holding a lock, and
    the others wait for it and read them. The builder's and the notebooks' tests both use them."""
    from generator.engine import builder

    def build_twice(root: Path) -> list:
        return [(root / run, builder.build(smoke=True, figures_dir=root / run / "figures",
                                           cache_dir=root / run / "models", quiet=True))
                for run in ("first", "second")]

    if worker_id == "master":  # no workers: nothing to share
        return build_twice(tmp_path_factory.mktemp("smoke-builds"))
    root = tmp_path_factory.getbasetemp().parent / "smoke-builds"  # shared by this run's workers
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "summaries.pickle"
        if not done.exists():
            done.write_bytes(pickle.dumps(build_twice(root)))
        return pickle.loads(done.read_bytes())


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    """The site built from the committed figures into a temporary folder: once per test run,
    shared by the workers as the smoke builds are (the first to ask builds it)."""
    def build(site: Path) -> None:
        mkdocs = Path(sys.executable).with_name("mkdocs")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1/")
        result = subprocess.run([str(mkdocs), *SITE_BUILD_COMMAND[1:], "--site-dir", str(site)],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"

    if worker_id == "master":
        site = tmp_path_factory.mktemp("site")
        build(site)
        return site
    root = tmp_path_factory.getbasetemp().parent / "built-site"  # shared by this run's workers
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "done").exists():
            build(root / "site")
            (root / "done").touch()
    return root / "site"


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


@pytest.fixture
def open_page(browser):
    """open_page(url) -> (page, errors): a desktop-sized page at `url`, and a list that fills
    with every problem seen there."""

    def opener(url):
        """Open `url`; return the page and every problem seen: console errors, uncaught
        exceptions, failed requests and HTTP errors. Material asks for each language's
        sitemap.xml, which an i18n build does not have: those 404s alone are expected."""
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors = []
        # Chromium logs every HTTP error as "Failed to load resource" without the URL; the
        # response handler below reports those with their URL instead.
        page.on("console", lambda m: errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: errors.append(f"failed request {r.url}"))
        page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/sitemap.xml") else None)
        settle = quiet_network(page)
        page.goto(url)
        page.bring_to_front()  # animation frames run only in the page in front
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        settle()  # (after two frames: the widgets on the first screen have asked for their data)
        return page, errors

    return opener


@pytest.fixture(scope="session")
def fault_probes():
    """scripts/fault_probes.py as a module: how it finds a build's processes and copies a checkout."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import fault_probes as module

    return module


@pytest.fixture(scope="session")
def smoke_trained(smoke_builds):
    """smoke_trained(name) -> the model called `name` with its smoke config: the one the first
    smoke build trained, read from its model cache (so a test that trains it again checks that a
    model trained in another process is the same, bit for bit). Tests only read it."""
    from generator.engine import registry
    from generator.engine.jobs import cached_model, model_path
    from generator.engine.keys import full_model_key

    cache = smoke_builds[0][0] / "models"
    loaded = {}

    def load(name: str):
        if name not in loaded:
            registry.load_all()
            loaded[name] = cached_model(model_path(name, True, cache), full_model_key(name, True))
            assert loaded[name] is not None, f"the smoke build left no {name} in {cache}"
        return loaded[name]

    return load


@pytest.fixture
def phone_page(browser):
    """phone_page(url) -> a page at `url` on a 390-px touch screen, like a phone's (closed after
    the test)."""
    contexts = []

    def opener(url):
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        page.bring_to_front()  # animation frames run only in the page in front
        return page

    yield opener
    for context in contexts:
        context.close()
