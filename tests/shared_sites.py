"""Sites built once per test run, in the background, and served at one address to every worker.

A site's address is built into it (its sitemap, which instant navigation reads, and its canonical
links), so every worker must open it at the same address. The session's own process (pytest, or
pytest-xdist's controller, which lives until the last worker ends) therefore serves each site's
folder on a port of its own for the whole run, and tells the workers the ports and the run's
folder through an environment variable.

The first process to collect tests that need a site starts its build as a background process and
goes on with other tests; a test that needs the site waits for the build to end. So one build
serves every worker, and the tests that need no site run while it builds.

- `site`: the site as `mkdocs build --strict` makes it from this repository, using build/ (so it
  reuses and refreshes the notebooks' outputs there, which other tests copy).
- `clean`: the same address built from empty build folders, compared with `site` byte for byte.
  It is never served.
- `payload`: the site built from a copy of the fact base with an attack in every text field.

Builds that other tests do not wait for run at a lower CPU priority.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from chipsite import paths

SUBPATH = "chipsite"  # each site is served under /chipsite/, like a GitHub Pages project site
ENV = "CHIPSITE_TEST_SITES"
BUILD_TIMEOUT = 900  # seconds


@dataclass(frozen=True)
class Spec:
    served_by: str  # the server whose address the site is built for
    fixtures: frozenset[str]  # a test using any of these needs this site
    nice: int
    own_build_folder: bool
    planted: bool = False


SPECS = {
    "site": Spec("site", frozenset({"built_site", "site_url", "pages"}), nice=0, own_build_folder=False),
    "clean": Spec("site", frozenset({"clean_site"}), nice=10, own_build_folder=True),
    "payload": Spec(
        "payload", frozenset({"payload_site", "payload_data"}), nice=5, own_build_folder=True, planted=True
    ),
}
SERVERS = sorted({spec.served_by for spec in SPECS.values()})


# --- In the session's own process -------------------------------------------------------------


def start_servers(run_folder: Path, serve) -> list:
    """Serve each site folder on a port of its own; publish the ports for the workers."""
    servers, ports = [], {}
    for name in SERVERS:
        folder = run_folder / f"web-{name}"
        folder.mkdir(parents=True, exist_ok=True)
        server = serve(folder)
        servers.append(server)
        ports[name] = server.server_address[1]
    os.environ[ENV] = json.dumps({"run": str(run_folder), "ports": ports})
    return servers


# --- In any process that runs tests -----------------------------------------------------------


def _published() -> dict:
    if ENV not in os.environ:
        pytest.fail(f"{ENV} is not set: the sites are served by the session (see tests/conftest.py)", pytrace=False)
    return json.loads(os.environ[ENV])


def run_folder() -> Path:
    return Path(_published()["run"])


def url(name: str) -> str:
    port = _published()["ports"][SPECS[name].served_by]
    return f"http://127.0.0.1:{port}/{SUBPATH}/"


def site_folder(name: str) -> Path:
    spec = SPECS[name]
    if spec.served_by == name:
        return run_folder() / f"web-{name}" / SUBPATH
    return run_folder() / f"site-{name}"


def planted_data() -> Path:
    return run_folder() / "payload-data"


@contextlib.contextmanager
def _lock(name: str):
    with (run_folder() / f"{name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def needed(items) -> list[str]:
    """The sites the collected tests need, in the order they are best started."""
    wanted = set()
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        wanted |= {name for name, spec in SPECS.items() if used & spec.fixtures}
    return [name for name in SPECS if name in wanted]


def start(name: str) -> None:
    """Start the site's build in the background, unless this run already has."""
    spec = SPECS[name]
    folder = run_folder()
    with _lock(name):
        if (folder / f"{name}.started").exists():
            return
        env = {**os.environ, "SITE_URL": url(name)}
        if spec.planted:
            from payloads import plant  # tests/ is on the path of every test process

            env["CHIPSITE_DATA"] = str(plant(paths.DATA, planted_data()))
        if spec.own_build_folder:
            env["CHIPSITE_BUILD"] = str(folder / f"build-{name}")
            env["CHIPSITE_JUPYTER_CACHE"] = str(folder / f"build-{name}" / "mkdocs-jupyter")
        command = [
            "nice", "-n", str(spec.nice),
            str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(site_folder(name)),
        ]  # fmt: skip
        log, rc = (shlex.quote(str(folder / f"{name}.{suffix}")) for suffix in ("log", "rc"))
        # The exit status goes to a file, so that any process of the run can wait for it.
        script = f'"$@" > {log} 2>&1; echo $? > {rc}.part; mv {rc}.part {rc}'
        subprocess.Popen(["sh", "-c", script, "sh", *command], cwd=paths.ROOT, env=env)
        (folder / f"{name}.started").touch()


def wait(name: str) -> Path:
    """The built site's folder, once its build has ended; fails the test if the build failed."""
    start(name)
    folder = run_folder()
    rc, deadline = folder / f"{name}.rc", time.monotonic() + BUILD_TIMEOUT
    while not rc.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the {name!r} site took more than {BUILD_TIMEOUT} s to build; see {folder / name}.log")
        time.sleep(0.2)
    output = (folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")
    if rc.read_text().strip() != "0":
        pytest.fail(f"mkdocs build --strict of the {name!r} site failed:\n{output[-8000:]}", pytrace=False)
    if "Traceback" in output:
        pytest.fail(f"the {name!r} site built, but printed a traceback:\n{output[-8000:]}", pytrace=False)
    return site_folder(name)
