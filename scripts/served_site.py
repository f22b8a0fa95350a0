"""Build the site into a temporary folder and serve it on loopback, for the measuring scripts
(page_weight.py, lighthouse.py). Usage:

    with served_site(inline_notebook_css=False) as base:   # base = "http://127.0.0.1:PORT/"
        ...
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
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


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser dropping connections it no longer needs (Lighthouse, a test) is no error


class Compressing(Quiet):
    """Gzips text the way GitHub Pages does (HTML, CSS, JS, JSON, SVG, XML), if the browser asks."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL with a slash
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in self.TEXT and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def served_site(inline_notebook_css: bool = False, compress: bool = False, root: Path = ROOT):
    """inline_notebook_css=True builds notebook pages the way mkdocs-jupyter does by itself
    (NOTEBOOK_CSS=inline in hooks/notebooks.py), to measure the difference. compress=True
    gzips text like GitHub Pages. `root` is the checkout to build (e.g. a `git worktree` of an
    older commit, to measure before and after in one run)."""
    with tempfile.TemporaryDirectory() as site:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1/")
        if inline_notebook_css:
            env["NOTEBOOK_CSS"] = "inline"
        subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--quiet",
                        "--site-dir", site], cwd=root, env=env, check=True)
        server = QuietServer(
            ("127.0.0.1", 0), functools.partial(Compressing if compress else Quiet, directory=site))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
