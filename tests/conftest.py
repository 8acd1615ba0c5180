"""Shared fixtures: the built site, a local web server, and Chromium driven by Playwright.

`make test` runs the tests on several workers (pytest-xdist, `--dist loadgroup`), and the tests
that use the built site are spread over all of them (they are most of the run's time). Each worker
builds its own copy of the site, served on its own port, since the site's address is built into
it. The builds take turns: the first fills build/ (it runs the notebooks), the others build from a
copy of build/ and run none, so no build writes files another test is reading. Tests sharing an
expensive fixture of their own stay on one worker (an `xdist_group` mark in their module).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from chipsite import paths

SUBPATH = "chipsite"  # the browser tests also serve the site under /chipsite/, like a project site
CHROMIUM_HELP = (
    "No Chromium found for the browser tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) "
    "or point CHROMIUM at a Chromium or Chrome binary (e.g. CHROMIUM=/usr/bin/google-chrome make test)."
)


def find_chromium() -> str:
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    try:  # Playwright's own browser, where its download works
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.executable_path
        if own and Path(own).is_file():
            return own
    except Exception:
        pass
    pytest.fail(CHROMIUM_HELP, pytrace=False)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


# Tests that run builds of their own, started first so that they are not the last to finish.
LONGEST_FIRST = ["test_two_clean_builds_are_identical", "test_planted_payloads_stay_text_in_the_browser"]


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: getattr(item, "originalname", item.name) not in LONGEST_FIRST)


@contextlib.contextmanager
def one_at_a_time(lock_file: Path):
    """An exclusive lock shared by the workers of one run (they are processes)."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_site(site_dir: Path, site_url: str, build_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_URL": site_url}
    if build_dir:
        env["CHIPSITE_BUILD"] = str(build_dir)
        # The notebook-page cache too, so builds running at the same time share no files.
        env["CHIPSITE_JUPYTER_CACHE"] = str(build_dir / "mkdocs-jupyter")
    return subprocess.run(
        [str(Path(os.sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    """The site built with `mkdocs build --strict`, under a sub-path, into a temporary folder."""
    root = tmp_path_factory.mktemp("web")
    site = root / SUBPATH
    server = serve(root)
    url = f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    if worker_id == "master":  # one process: nothing to share
        result = build_site(site, url)
    else:
        run_folder = tmp_path_factory.getbasetemp().parent  # shared by this run's workers
        with one_at_a_time(run_folder / "site-build.lock"):
            done = run_folder / "site-build.done"
            if done.exists():
                build_dir = root / "build"
                shutil.copytree(paths.BUILD, build_dir, ignore=shutil.ignore_patterns("cache", "bench-tools"))
                result = build_site(site, url, build_dir)
            else:
                result = build_site(site, url)
                if result.returncode == 0:
                    done.touch()
    if result.returncode != 0:
        server.shutdown()
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}", pytrace=False)
    (site / ".url").write_text(url)
    yield site
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> str:
    return (built_site / ".url").read_text()


@pytest.fixture(scope="session")
def pages(built_site: Path) -> list[str]:
    """Every HTML page of the site, as a path relative to the site root ('' for home)."""
    found = []
    for path in sorted(built_site.rglob("index.html")):
        rel = path.parent.relative_to(built_site).as_posix()
        found.append("" if rel == "." else rel + "/")
    return found


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Visit:
    """A browser context that blocks every request to another host and records problems."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.external: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def make(**options) -> Visit:
        v = Visit(browser, **options)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()
