"""Executes the chart notebooks, skipping those whose inputs did not change.

A notebook's inputs are its own text, the shared chipsite code, the modules of the charts it drew
last time (charts/<chart_id>.py) and the facts of the series it plotted (with their sources). A
data edit or a chart edit therefore re-runs only the notebooks that draw it. Executed copies go
to build/methods/ for the Methods pages; charts go to build/charts/. It does not render HTML
(mkdocs-jupyter does) and never edits notebooks/.

    python -m chipsite.notebooks [--force] [--notebooks DIR]
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client import KernelClient, KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from . import downloads, memo, paths, timings
from .facts import FactBase, load

MANIFEST = paths.BUILD / "notebooks.json"
METHODS_OUT = paths.BUILD / "methods"
# Not notebook code: the site layer, the tools, and the review report (which only reads builds).
CODE_EXCLUDE = {
    "site",
    "review",
    "bench.py",
    "bench_scale.py",
    "first_tap.py",
    "new_page.py",
    "validate.py",
    "corrections.py",
    "timings.py",
}
# The site layer is not notebook code, except the formatter that chart labels share with prose.
CODE_INCLUDE = {"site/format.py"}


class NotebookError(Exception):
    """A notebook failed; the message names the notebook, the cell and the fix."""


@dataclass
class Outcome:
    name: str
    ran: bool
    seconds: float
    charts: list[str]


PACKAGE = paths.ROOT / "scripts" / "chipsite"
CHARTS_PACKAGE = PACKAGE / "charts"
# Modules of the charts package every chart uses; the rest are one chart each.
CHARTS_SHARED = {"__init__.py", "base.py", "encodings.py"}


def chart_module(chart_id: str) -> Path:
    """The module that defines one chart (a chart id is kebab-case, its module snake_case)."""
    return CHARTS_PACKAGE / f"{chart_id.replace('-', '_')}.py"


def _is_chart_module(path: Path) -> bool:
    return path.parent == CHARTS_PACKAGE and path.name not in CHARTS_SHARED


def code_hash() -> str:
    """The shared code every notebook runs: the package without the site layer and the chart modules."""

    def shared(path: Path) -> bool:
        relative = path.relative_to(PACKAGE)
        excluded = relative.parts[0] in CODE_EXCLUDE and relative.as_posix() not in CODE_INCLUDE
        return not excluded and not _is_chart_module(path)

    return memo.files_digest(filter(shared, PACKAGE.rglob("*.py")), PACKAGE)


def charts_hash(chart_ids: list[str]) -> str:
    """The modules of the charts one notebook draws (a chart without a module, e.g. one defined in the
    notebook itself, adds nothing)."""
    digest = hashlib.sha256()
    for chart_id in sorted(chart_ids):
        module = chart_module(chart_id)
        digest.update(chart_id.encode())
        digest.update(module.read_bytes() if module.is_file() else b"")
    return digest.hexdigest()


class _Lookup:
    """One fact base's facts by series and by id, in file order, and each fact's record as it goes
    into a key: made once per build instead of once per notebook (at ten times today's size a
    rebuild asked every notebook's key of a scan of the whole fact base)."""

    def __init__(self, fb: FactBase) -> None:
        self.fb = fb
        self.facts = list(fb.facts.values())
        self.position = {f.id: n for n, f in enumerate(self.facts)}
        self.by_series: dict[str, list[int]] = {}
        for n, fact in enumerate(self.facts):
            if fact.series:
                self.by_series.setdefault(fact.series, []).append(n)
        self._records: dict[int, list] = {}

    def used(self, series: list[str], wanted: set[str]) -> list[int]:
        """Positions of the facts in `series` or in `wanted`, in file order."""
        found = {n for name in series for n in self.by_series.get(name, [])}
        return sorted(found | {self.position[i] for i in wanted if i in self.position})

    def record(self, n: int) -> list:
        if n not in self._records:
            f = self.facts[n]
            self._records[n] = [
                f.model_dump(mode="json"),
                f.topic,
                self.fb.source_of(f).model_dump(mode="json"),
                # A chart shows its facts' metric definitions under its subtitle.
                m.model_dump(mode="json") if (m := self.fb.metric_of(f)) else None,
            ]
        return self._records[n]


_lookup: list[_Lookup] = []


def _lookup_for(fb: FactBase) -> _Lookup:
    if not _lookup or _lookup[0].fb is not fb:
        _lookup[:] = [_Lookup(fb)]
    return _lookup[0]


def inputs_hash(fb: FactBase, series: list[str], fact_ids: list[str]) -> str:
    wanted = set(fact_ids)
    lookup = _lookup_for(fb)
    records = [lookup.record(n) for n in lookup.used(series, wanted)]
    # A fact that vanished changes the hash too.
    records.append(sorted(wanted - fb.facts.keys()))
    return hashlib.sha256(json.dumps(records, sort_keys=True, default=str).encode()).hexdigest()


def _key(path: Path, code: str, fb: FactBase, entry: dict) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(code.encode())
    digest.update(charts_hash(entry.get("charts", [])).encode())
    digest.update(inputs_hash(fb, entry.get("series", []), entry.get("fact_ids", [])).encode())
    return digest.hexdigest()


def _outputs_present(entry: dict, name: str, downloads_on_the_way: bool = False) -> bool:
    charts = entry.get("charts", [])
    charts_ok = all((paths.CHARTS_OUT / f"{c}.meta.json").is_file() for c in charts)
    # Downloads left for after a `make serve` build and that no warm kernel is drawing: the notebook
    # runs again. (A notebook that runs takes the warm kernel only once it has drawn them.)
    drawn = downloads_on_the_way or not downloads.pending(charts)
    return charts_ok and drawn and (METHODS_OUT / f"{name}.ipynb").is_file()


def _new_kernel() -> KernelManager:
    # IPC sockets keep kernel traffic off the network (and its warning out of the build log).
    sockets = Path(tempfile.mkdtemp(prefix="chipsite-kernel-")) / "kernel"  # one folder per kernel
    return KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets))


def _shut_down(manager: KernelManager, client: KernelClient | None = None) -> None:
    try:
        if client is not None:
            client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    finally:
        shutil.rmtree(Path(manager.ip).parent, ignore_errors=True)


_stopping: list[threading.Thread] = []


def _shut_down_later(manager: KernelManager, client: KernelClient | None) -> None:
    """A warm kernel's notebook has run: stop it while the build goes on (it took a tenth of a
    second of a data edit's rebuild). `make serve` waits for it before it exits (stopped())."""
    thread = threading.Thread(target=_shut_down, args=(manager, client), name="chipsite-kernel-stop")
    _stopping[:] = [t for t in _stopping if t.is_alive()]
    _stopping.append(thread)
    thread.start()


def stopped() -> None:
    """Until every kernel being shut down in the background is gone."""
    while _stopping:
        _stopping.pop().join()


def package_hash() -> str:
    """Every module of the package, chart modules included: what a warm kernel has imported."""
    return memo.files_digest(PACKAGE.rglob("*.py"), PACKAGE)


# Run in a warm kernel before any notebook cell: imports into a throwaway namespace (the notebook's
# own stays empty, as in a fresh kernel) and one drawing, which starts vl-convert's engine.
# Then it draws the downloads the last build left (downloads.py), or a dot if none.
WARM_UP = (
    "import altair, pandas, vl_convert, chipsite.artifacts, chipsite.charts, chipsite.downloads, chipsite.facts\n"
    "if not chipsite.downloads.finish({copy_to!r}):\n"
    '    vl_convert.vegalite_to_svg({{"mark": "point", "data": {{"values": [{{}}]}}}})\n'
)


def warm_up(copy_to: str = "") -> str:
    return f"exec({WARM_UP.format(copy_to=copy_to)!r}, {{}})"


@dataclass
class Ready:
    """A started kernel and a client connected to it. Connecting a client waits for the kernel to
    go quiet (a fifth of a second at least), so a warm kernel's client is connected beforehand."""

    manager: KernelManager
    client: KernelClient

    def is_alive(self) -> bool:
        return self.manager.is_alive()


class WarmKernel:
    """For `make serve`: a kernel started and warmed up while the author edits, so the notebook a
    data edit re-runs starts in a fraction of a second instead of about two. It is a fresh kernel
    in every way a notebook can see (empty namespace, repository root as working folder); one
    started before the package's code changed is shut down, never used."""

    def __init__(self) -> None:
        self.enabled = False
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._ready = None

    def prepare(self, copy_to: str = "") -> None:
        """Start one (if none is on its way); it draws the downloads left, copying them to `copy_to`."""
        if self.enabled and self._ready is None:
            # The code as it is before the kernel imports it: any later edit makes it stale.
            self._ready = self._pool.submit(self._start, package_hash(), copy_to)

    @staticmethod
    def _start(code: str, copy_to: str) -> tuple[Ready, str]:
        manager = _new_kernel()
        # A notebook run here leaves its charts' downloads for after the build (downloads.py).
        manager.start_kernel(cwd=str(paths.ROOT), env={**os.environ, downloads.LATER_ENV: "1"})
        # The kind of client nbclient would connect itself, kept connected for the notebook.
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(warm_up(copy_to), silent=True, store_history=False, timeout=120)
            if reply["content"]["status"] != "ok":  # then the downloads left are not drawn: see drawing()
                raise RuntimeError(f"warm-up failed: {reply['content'].get('evalue', '')}")
        except BaseException:
            _shut_down(manager, client)
            raise
        return Ready(manager, client), code

    def drawing(self) -> bool:
        """A kernel is on its way and has not failed: it draws the downloads the last build left."""
        ready = self._ready
        return ready is not None and (not ready.done() or ready.exception() is None)

    def wait(self) -> None:
        """Until the kernel being prepared is ready (or has failed): work left after a build."""
        if self._ready is not None:
            # A kernel that failed: take() finds out and the notebook starts a fresh one instead.
            with contextlib.suppress(Exception):
                self._ready.result(timeout=120)

    def take(self) -> Ready | None:
        ready, self._ready = self._ready, None
        if ready is None:
            return None
        try:
            kernel, code = ready.result(timeout=120)
        except Exception:  # a kernel that failed to warm up is no loss: the notebook starts its own
            return None
        if code != package_hash() or not kernel.is_alive():
            _shut_down(kernel.manager, kernel.client)
            return None
        return kernel

    def close(self) -> None:
        kernel = self.take()
        if kernel is not None:
            _shut_down(kernel.manager, kernel.client)
        stopped()
        self.enabled = False


WARM = WarmKernel()


def execute(path: Path, warm: Ready | None = None) -> nbformat.NotebookNode:
    """Run one notebook top to bottom in a fresh kernel (or a warm one, see WarmKernel), from the
    repository root; the kernel is shut down afterwards (a warm one in the background)."""
    nb = nbformat.read(path, as_version=4)
    manager = warm.manager if warm else _new_kernel()
    client = NotebookClient(
        nb,
        km=manager,
        timeout=600,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(paths.ROOT)}},
    )
    if warm:
        client.kc = warm.client  # nbclient connects a client only when it has none
        client.kc.allow_stdin = False  # as nbclient sets on the clients it connects
    try:
        client.execute()
    except CellExecutionError as err:
        index, cell = next(
            (
                (i, c)
                for i, c in enumerate(nb.cells)
                if any(o.get("output_type") == "error" for o in c.get("outputs", []))
            ),
            (None, None),
        )
        error = next((o for o in (cell or {}).get("outputs", []) if o.get("output_type") == "error"), {})
        what = f"{error.get('ename', 'Error')}: {error.get('evalue', '')}".strip() if error else str(err)[:300]
        where = f"cell {index + 1} (id {cell.get('id')})" if cell is not None else "a cell"
        raise NotebookError(
            f"{_shown(path)}: {where}: {what} (fix that cell, then build again; open the notebook "
            "in Jupyter to debug it)"
        ) from None
    except Exception as err:  # the kernel died or timed out
        raise NotebookError(f"{_shown(path)}: could not execute: {err} (check the kernel and the cell code)") from None
    finally:
        if warm:
            _shut_down_later(manager, warm.client)
        else:
            _shut_down(manager, client.kc)
    return nb


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


def _charts_in(nb: nbformat.NotebookNode) -> list[str]:
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            found += [part.split('"')[0] for part in html.split('data-chart-id="')[1:]]
    return found


def run_all(
    fb: FactBase | None = None,
    force: bool = False,
    notebooks_dir: Path = paths.NOTEBOOKS,
    log=print,
    meanwhile=None,
) -> list[Outcome]:
    """Run the notebooks whose inputs changed. `meanwhile`, if given, is called while they run (this
    process only waits for the kernels then), or at once if none runs."""
    fb = fb or load(paths.DATA)
    code = code_hash()
    manifest = json.loads(MANIFEST.read_text()) if MANIFEST.is_file() else {}
    METHODS_OUT.mkdir(parents=True, exist_ok=True)
    todo, outcomes = [], []
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        entry = manifest.get(path.stem, {})
        present = _outputs_present(entry, path.stem, WARM.drawing())
        if not force and entry.get("key") == _key(path, code, fb, entry) and present:
            outcomes.append(Outcome(path.stem, False, 0.0, entry.get("charts", [])))
        else:
            todo.append(path)

    warm = [WARM.take()] if todo else []

    def run(path: Path) -> Outcome:
        start = time.perf_counter()
        nb = execute(path, warm.pop() if warm else None)
        nbformat.write(nb, METHODS_OUT / path.name)
        charts = _charts_in(nb)
        metas = [json.loads((paths.CHARTS_OUT / f"{c}.meta.json").read_text()) for c in charts]
        fact_ids = sorted({i for m in metas for i in m["fact_ids"]})
        series = sorted({fb.facts[i].series for i in fact_ids if i in fb.facts and fb.facts[i].series})
        entry = {"charts": charts, "fact_ids": fact_ids, "series": series}
        entry["key"] = _key(path, code, fb, entry)
        manifest[path.stem] = entry
        return Outcome(path.stem, True, time.perf_counter() - start, charts)

    # Two kernels at a time: the build machine has two cores.
    if not todo and meanwhile is not None:
        meanwhile()
    with timings.phase("notebooks"):
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            running = pool.map(run, todo)
            if todo and meanwhile is not None:
                meanwhile()
            ran = list(running)
        _claim_chart_export(ran, time.perf_counter() - start)
    outcomes += ran
    for stale in set(manifest) - {p.stem for p in notebooks_dir.glob("*.ipynb")}:
        del manifest[stale]
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    for outcome in sorted(outcomes, key=lambda o: o.name):
        state = f"ran in {outcome.seconds:.1f}s" if outcome.ran else "unchanged, not re-run"
        log(f"notebook {outcome.name}: {state} ({len(outcome.charts)} charts)")
    return outcomes


def export_seconds(chart_id: str) -> float:
    """What the kernel reported for drawing and writing one chart (artifacts.save_registered)."""
    try:
        return float((paths.BUILD / "cache" / "charts" / f"{chart_id}.seconds").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0.0


def _claim_chart_export(ran: list[Outcome], wall: float) -> None:
    """Split the notebooks' wall time into running them and exporting their charts. Two kernels run
    at once, so each notebook's share of export is scaled to the wall time both took together."""
    busy = sum(o.seconds for o in ran)
    export = sum(export_seconds(c) for o in ran for c in o.charts)
    if busy > 0:
        timings.claim("charts", min(wall, export * wall / busy))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[args.index("--notebooks") + 1]) if "--notebooks" in args else paths.NOTEBOOKS
    try:
        run_all(force="--force" in args, notebooks_dir=folder)
    except NotebookError as err:
        print(err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
