"""Shared fixtures: the built site, a local web server, and Chromium driven by Playwright.

`make test` runs the tests on several workers (pytest-xdist, `--dist loadgroup`). The site is built
once per run, in the background while the tests that need no site run, and served at one address
to every worker (tests/shared_sites.py). Tests sharing an expensive fixture of their own stay on one
worker (an `xdist_group` mark in their module).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import shared_sites
from chipsite.bench import QuietServer

SERVERS = pytest.StashKey[list]()
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
    # The benchmark's server class: it does not print connections the browser drops.
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


# Tests that take longest, started first so that none of them is the last to finish.
LONGEST_FIRST = [
    "test_planted_payloads_stay_text_in_the_browser",
    "test_accessibility_no_serious_violations",
    "test_every_page_loads_clean_and_renders_its_charts",
    "test_invalid_mutations_are_located_never_a_traceback",
    "test_cache_reruns_only_notebooks_whose_inputs_changed",
]


@pytest.hookimpl(trylast=True)  # after pytest's temporary-folder set-up; before xdist starts workers
def pytest_configure(config):
    # The session's own process serves the shared sites; workers only use them.
    if not hasattr(config, "workerinput"):
        run_folder = config._tmp_path_factory.getbasetemp()  # what pytest-xdist's workers' folders sit in
        config.stash[SERVERS] = shared_sites.start_servers(run_folder, serve)


def pytest_unconfigure(config):
    for server in config.stash.get(SERVERS, []):
        server.shutdown()


def pytest_collection_modifyitems(config, items):
    """Tests that need no shared site first (they run while it builds), the longest first in each half."""

    def key(item):
        return (bool(shared_sites.needed([item])), getattr(item, "originalname", item.name) not in LONGEST_FIRST)

    items.sort(key=key)


def pytest_collection_finish(session):
    for name in shared_sites.needed(session.items):
        shared_sites.start(name)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site built with `mkdocs build --strict`, under a sub-path, once for the whole run."""
    return shared_sites.wait("site")


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> str:
    return shared_sites.url("site")


@pytest.fixture(scope="session")
def clean_site(built_site: Path) -> Path:
    """The same site built at the same address from empty build folders."""
    return shared_sites.wait("clean")


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


# True once Material has started (see docs/overrides/main.html); a page without Material is ready at once.
MATERIAL_STARTED = "() => window.chipsiteMaterialStarted !== false"


class Visit:
    """A browser context that blocks every request to another host and records problems."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.external: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self._javascript = options.get("java_script_enabled", True)
        # Material's bundle loads after the first paint: a test acts on the page once Material has
        # started, as a reader does a moment after the page appears.
        for name in ("goto", "reload"):
            setattr(self.page, name, self._then_wait_for_material(getattr(self.page, name)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))

    def _then_wait_for_material(self, load):
        def loaded(*args, **kwargs):
            response = load(*args, **kwargs)
            if self._javascript and kwargs.get("wait_until", "load") != "commit":
                self.page.wait_for_function(MATERIAL_STARTED, timeout=30_000)
            return response

        return loaded

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


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """Every chart's files, as the build writes them, drawn once for the chart-rule tests."""
    from chipsite import charts
    from chipsite.facts import load

    fb = load()
    out = tmp_path_factory.mktemp("published")
    for chart in charts.REGISTRY.values():
        charts.save(chart.id, fb, notebook=chart.notebook, out_dir=out)
    return out
