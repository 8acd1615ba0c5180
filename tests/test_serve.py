"""`make serve` after a broken edit: the page answers at once with the error (file, line and the fix)
above the last good page, the terminal says the same, and the preview recovers when the edit is fixed.

Before, an unknown fact id made MkDocs' live-reload server wait for a good build before answering
any page request: the browser hung with nothing to read.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from chipsite import bench_scale, paths
from chipsite.review.build import seed
from chipsite.site.serve_errors import BANNER_ID, ServeErrors
from mkdocs.exceptions import Abort, PluginError

PAGE = "glossary.md"
FACT_ID = "hbm_share_sk_hynix_2022_trendforce"  # a real fact; the typo drops its last letter
STARTUP = 600  # seconds: a first build in a copy (notebooks are reused from the built site)
REBUILD = 180  # seconds: a dirty rebuild after one edit, on a busy machine


# --- The wrapper on its own: fast, no server ------------------------------------------------------


def _html_app(environ, start_response):
    body = b"<html><body class='x'><p>last good page</p></body></html>"
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
    return [body]


def _call(app) -> tuple[str, dict, bytes]:
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": "/"}, start_response))
    return seen["status"], seen["headers"], body


def test_a_failed_rebuild_is_recorded_shown_and_cleared_by_the_next_good_one():
    errors = ServeErrors()
    app = errors.app(_html_app)

    def broken():
        raise PluginError("docs.md:3: unknown fact id 'x' (did you mean 'y'? ...)")

    def aborted():
        import logging

        logging.getLogger("mkdocs.plugins.chipsite").error("page.md:7: unknown table 'z'")
        raise Abort("Aborted with a BuildError!")

    errors.guard(broken)()  # does not raise: the server must go on answering
    status, headers, body = _call(app)
    assert status == "200 OK" and BANNER_ID.encode() in body and b"last good page" in body
    assert b"docs.md:3: unknown fact id" in body and b"did you mean" in body
    assert headers["Content-Length"] == str(len(body))
    assert body.index(b"<body class='x'>") < body.index(BANNER_ID.encode())

    errors.guard(aborted)()
    _, _, body = _call(app)
    assert b"page.md:7: unknown table" in body and b"Aborted" not in body

    errors.guard(lambda: None)()
    assert _call(app)[2] == b"<html><body class='x'><p>last good page</p></body></html>"


def test_only_html_gets_the_banner():
    errors = ServeErrors()
    errors.messages = ["x.md:1: broken"]

    def css_app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/css")])
        return [b"body{}"]

    assert _call(errors.app(css_app))[2] == b"body{}"


# --- The real `mkdocs serve` on a copy of the repository -----------------------------------------


@pytest.fixture(scope="module")
def copy(built_site: Path, tmp_path_factory) -> Path:
    """A copy of the repository with the built site's notebook outputs, so the first build runs none."""
    root = bench_scale.make_copy(tmp_path_factory.mktemp("serve") / "repo", 1)
    seed(root, paths.BUILD)
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    """Status and text of a page; a request that hangs fails the test (the bug this guards against)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""


def _poll(url: str, done, deadline: float, log: Path, what: str) -> str:
    while True:
        try:
            status, text = _get(url)
        except (ConnectionError, urllib.error.URLError):
            status, text = 0, ""
        if status == 200 and done(text):
            return text
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not seen in time (last status {status}); server log:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def test_serve_shows_an_unknown_fact_id_with_its_line_and_fix_and_recovers(copy: Path, tmp_path: Path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    page = copy / "docs" / PAGE
    good = page.read_text(encoding="utf-8")
    line = good.rstrip("\n").count("\n") + 3  # the broken sentence: below the last line and an empty one
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPSITE_")}
    env.update(PYTHONPATH=str(copy / "scripts"), NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", SITE_URL=url)
    log = tmp_path / "serve.log"
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    command = [mkdocs, "serve", "--strict", "--livereload", "--dirty", "-a", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=copy, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        page_url = url + PAGE.removesuffix(".md") + "/"
        before = _poll(page_url, lambda t: "</html>" in t, time.monotonic() + STARTUP, log, "the first build")
        assert BANNER_ID not in before

        page.write_text(good.rstrip("\n") + f"\n\nA typo: {{fact: {FACT_ID[:-1]}}}.\n", encoding="utf-8")
        broken = _poll(page_url, lambda t: BANNER_ID in t, time.monotonic() + REBUILD, log, "the error banner")
        expected = f"{PAGE}:{line}: unknown fact id &#x27;{FACT_ID[:-1]}&#x27; (did you mean &#x27;{FACT_ID}&#x27;?"
        assert expected in broken, broken[broken.find(BANNER_ID) : broken.find(BANNER_ID) + 1500]
        assert "A typo" not in broken, "the page served is the last good one"
        assert f"{PAGE}:{line}: unknown fact id '{FACT_ID[:-1]}' (did you mean '{FACT_ID}'?" in log.read_text()
        # Every page says the site is out of date, and the server answers other files as before.
        assert BANNER_ID in _get(url)[1]
        assert _get(url + "assets/css/site.css")[0] == 200

        page.write_text(good, encoding="utf-8")
        fixed = _poll(page_url, lambda t: BANNER_ID not in t, time.monotonic() + REBUILD, log, "the recovered page")
        assert "</html>" in fixed
        assert server.poll() is None, "the server is still running"
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
