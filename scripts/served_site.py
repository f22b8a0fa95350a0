"""Build the site into a temporary folder and serve it on loopback, for the measuring scripts
(page_weight.py, lighthouse.py). Usage:

    with served_site(inline_notebook_css=False) as base:   # base = "http://127.0.0.1:PORT/"
        ...
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served_site(inline_notebook_css: bool = False):
    """inline_notebook_css=True builds notebook pages the way mkdocs-jupyter does by itself
    (NOTEBOOK_CSS=inline in hooks/notebooks.py), to measure the difference."""
    with tempfile.TemporaryDirectory() as site:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1/")
        if inline_notebook_css:
            env["NOTEBOOK_CSS"] = "inline"
        subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--quiet",
                        "--site-dir", site], cwd=ROOT, env=env, check=True)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=site))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
