"""Rebuilds in `make serve` render only the pages whose inputs changed, and the site they leave is
the site a clean build makes, byte for byte. Also: the caches that make a data edit fast (parsed
fact files, the checked fact base, unchanged charts, the warm kernel) never serve stale results."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from chipsite import artifacts, bench_scale, memo, notebooks, paths, timings
from chipsite.review.build import seed
from nbformat.v4 import new_code_cell, new_notebook

# The repository copy is made once per worker that runs these tests: keep them on one.
pytestmark = pytest.mark.xdist_group("incremental")

# What `mkdocs serve --dirty` does, step by step, in a copy of the repository. Each step prints
# one JSON line: whether the build passed, the pages it rendered and the notebooks it re-ran.
SERVE = r"""
import json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from chipsite import timings
from chipsite.site import hooks

messages = []
handler = logging.Handler()
handler.emit = lambda record: messages.append(record.getMessage())
logging.getLogger("mkdocs").addHandler(handler)
logging.getLogger("mkdocs").setLevel(logging.INFO)
plugins = None
for path, old, new in json.loads(sys.argv[1]):
    if path:
        file = Path(path)
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    messages.clear()
    config = load_config("mkdocs.yml", strict=True, site_dir="served")
    if plugins is None:
        plugins = config.plugins
        plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        ok = True
    except Abort:
        ok = False
    print(json.dumps({
        "ok": ok,
        "rendered": sorted(hooks._state["tracker"].rendered),
        "reran": [m.split(":")[0].removeprefix("notebook ") for m in messages if ": ran in" in m],
        "warnings": [m for m in messages if "typed by hand" in m],
        "phases": timings.last() if ok else None,
        "logged": [m for m in messages if m.startswith("time by phase: ")],
        "pending": sorted(p.name for p in Path("build/cache/charts").glob("*.later.json")),
    }), flush=True)
plugins.on_shutdown()
"""


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPSITE_")}
    return {**env, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


@pytest.fixture(scope="module")
def copy(built_site: Path, tmp_path_factory) -> Path:
    """A copy of the repository with the built site's notebook outputs, so no notebook re-runs
    until an edit asks for it."""
    root = bench_scale.make_copy(tmp_path_factory.mktemp("incremental") / "repo", 1)
    seed(root, paths.BUILD)
    return root


def _run(root: Path, *command: str) -> subprocess.CompletedProcess:
    """A command in the copy, with the copy's package; fails the test if it fails."""
    result = subprocess.run(command, cwd=root, env=_env(root), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    return result


def _serve(root: Path, steps: list[tuple[str, str, str]]) -> list[dict]:
    result = _run(root, sys.executable, "-c", SERVE, json.dumps(steps))
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def _differences(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    different = sorted(str(p) for p in files_a & files_b if (a / p).read_bytes() != (b / p).read_bytes())
    return different + sorted(f"only in one: {p}" for p in files_a ^ files_b)


def test_dirty_rebuilds_render_what_changed_and_equal_a_clean_build(copy: Path):
    data_edit = bench_scale._data_edit(copy)
    fact_id = data_edit[1].split("\n", 1)[0].removeprefix("- id: ")
    prose_edit = bench_scale._prose_edit(copy)
    charts_before = {
        meta.name.removesuffix(".meta.json"): {
            suffix: meta.with_name(meta.name.replace(".meta.json", suffix)).read_bytes()
            for suffix in (".csv", ".svg", ".png", ".download.svg")
        }
        for meta in (copy / "build/charts").glob("*.meta.json")
    }
    # A fact cited on one more page: the sources page and the list of unconfirmed figures link to it
    # there, though neither page's text nor the fact base changed.
    page, close, _ = prose_edit
    cited = "tsmc_foundry_share_2025_q3_counterpoint"
    assert cited not in Path(page).read_text(encoding="utf-8")
    citation_edit = (page, close, f"Counterpoint's figure for that quarter: {{fact: {cited}}}.\n\n{close}")
    steps = [("", "", ""), ("", "", ""), data_edit, prose_edit, citation_edit]
    start, unchanged, data, prose, citation = _serve(copy, steps)

    assert start["ok"] and len(start["rendered"]) >= 20 and start["reran"] == []
    assert unchanged["ok"] and unchanged["rendered"] == [], "a rebuild with nothing changed renders nothing"
    citing = {
        p.relative_to(copy / "docs").as_posix() for p in (copy / "docs").rglob("*.md") if fact_id in p.read_text()
    }
    assert data["ok"] and len(data["reran"]) == 1, data
    notebook = data["reran"][0]
    assert citing | {f"methods/{notebook}.ipynb"} <= set(data["rendered"]), data
    assert len(data["rendered"]) <= 6, f"a value edit renders the pages showing it, not the site: {data}"
    assert prose["ok"] and prose["rendered"] == ["hbm-explained.md"] and prose["reran"] == []
    assert citation["ok"] and {"hbm-explained.md", "sources.md", "unconfirmed.md"} <= set(citation["rendered"])
    assert f"hbm-explained/#n-{cited}" in (copy / "served/sources/index.html").read_text(encoding="utf-8")

    # The data edit really re-ran its notebook: the chart's data has the new value, and its
    # downloads, drawn after the page was on screen, were drawn again before serve stopped.
    value = re.search(r"^  value: (\S+)$", data_edit[2], re.M)[1]
    chart = next(c for c in charts_before if fact_id in (copy / f"build/charts/{c}.csv").read_text())
    assert value in (copy / f"build/charts/{chart}.csv").read_text()
    drawn = json.loads((copy / "build/notebooks.json").read_text())[notebook]["charts"]
    assert f"{chart}.later.json" in data["pending"], "under serve the downloads come after the page"
    assert {p.removesuffix(".later.json") for p in data["pending"]} <= set(drawn), "only the re-run notebook's"
    assert not list((copy / "build/cache/charts").glob("*.later.json")), "and are drawn before serve stops"
    for suffix in (".csv", ".svg", ".png", ".download.svg"):
        assert (copy / f"build/charts/{chart}{suffix}").read_bytes() != charts_before[chart][suffix], suffix
        made = (copy / f"build/charts/{chart}{suffix}").read_bytes()
        assert (copy / f"served/charts/{chart}{suffix}").read_bytes() == made, suffix

    clean = _run(copy, str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", "clean")
    assert "ran in" not in clean.stderr, "the clean build found every notebook up to date"
    assert _differences(copy / "served", copy / "clean") == []
    index = (copy / "served/search/search_index.json").read_text(encoding="utf-8")
    assert bench_scale.PROSE_EDIT.strip() in index


def test_serve_reports_where_each_rebuild_spends_its_time(copy: Path):
    """Every rebuild under serve logs and records its time in every phase (timings.PHASES), adding
    up to the whole; a data edit's time shows in the fact base, the notebook, its chart and pages."""
    # Another value than the first test edited: the benchmark's edit picks one not edited yet.
    start, data = _serve(copy, [("", "", ""), bench_scale._data_edit(copy)])
    for step in (start, data):
        assert step["ok"] and set(step["phases"]) == {*timings.PHASES, "total"}, step
        assert len(step["logged"]) == 1 and all(f"{name} " in step["logged"][0] for name in timings.PHASES)
        assert abs(sum(step["phases"][name] for name in timings.PHASES) - step["phases"]["total"]) < 0.01
    assert data["reran"] and data["phases"]["notebooks"] > 0 and data["phases"]["charts"] > 0, data
    assert data["phases"]["markdown"] > 0 and data["phases"]["facts"] > 0, data
    assert start["phases"]["notebooks"] == start["phases"]["charts"] == 0, "nothing to run, nothing counted"


def test_a_page_with_a_warning_is_rendered_and_reported_again(copy: Path):
    page = "docs/hbm-explained.md"
    typed = "\nThe stack holds 64 GB.\n"
    text = (copy / page).read_text(encoding="utf-8")
    anchor = text.rstrip("\n").splitlines()[-1]
    first, warned, again, fixed = _serve(
        copy,
        [("", "", ""), (str(copy / page), anchor, anchor + "\n" + typed), ("", "", ""), (str(copy / page), typed, "")],
    )
    assert first["ok"]
    assert not warned["ok"] and warned["warnings"], warned
    # Nothing changed, yet the page is rendered again: its problem is reported until it is fixed.
    assert not again["ok"] and again["rendered"] == ["hbm-explained.md"] and again["warnings"], again
    assert fixed["ok"] and fixed["rendered"] == ["hbm-explained.md"], fixed


def test_fact_base_cache_follows_every_edit(tmp_path: Path, monkeypatch):
    from chipsite.facts import DataError, load

    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "valid", data)
    first = load(data)
    assert load(data) == first and any((tmp_path / "build/cache/factbase").iterdir())
    market = data / "facts/hbm_market.yaml"
    market.write_text(
        market.read_text().replace("value: 38\n", "value: 37\n").replace("Samsung at 38%", "Samsung at 37%")
    )
    edited = load(data)
    assert edited != first and 37 in {f.value for f in edited.facts.values()}
    market.write_text(market.read_text().replace("value: 37\n", "value: [37\n"))
    for _ in range(2):  # problems are never cached: reported on every run
        with pytest.raises(DataError, match="hbm_market.yaml"):
            load(data)


def test_memo_keys_change_with_the_code_that_reads_the_data(monkeypatch):
    before = memo.key("a file", b"its bytes")
    assert memo.key("a file", b"its bytes") == before
    assert memo.key("a file", b"other bytes") != before
    monkeypatch.setattr(memo, "code_version", lambda: "another version of the readers")
    assert memo.key("a file", b"its bytes") != before


def test_processes_pruning_the_same_cache_never_fail(tmp_path: Path, monkeypatch):
    """Parallel validators share build/cache: an entry another process removed is simply skipped."""
    monkeypatch.setattr(paths, "BUILD", tmp_path)
    for n in range(70):
        memo.put("records", f"{n:02d}", n)
    folder = tmp_path / "cache" / "records"
    gone = folder / "removed-by-another-process.pickle"
    real_glob, real_exists = Path.glob, Path.exists
    # Listed, and still there when checked, then removed before its time is read.
    monkeypatch.setattr(Path, "glob", lambda self, pattern: iter([*real_glob(self, pattern), gone]))
    monkeypatch.setattr(Path, "exists", lambda self, **kw: self == gone or real_exists(self, **kw))
    memo.put("records", "latest", "kept")
    assert memo.get("records", "latest") == "kept"
    monkeypatch.undo()
    assert len(list(folder.glob("*.pickle"))) <= 64


def test_unchanged_charts_are_not_redrawn(tmp_path: Path, monkeypatch):
    from chipsite import charts
    from chipsite.facts import load

    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    out = tmp_path / "charts"
    fb = load()
    chart = charts.get("cowos-capacity")
    charts.save(chart.id, fb, notebook=chart.notebook, out_dir=out)
    written = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert len(written) == len(artifacts.SAVED_SUFFIXES)
    charts.save(chart.id, fb, notebook=chart.notebook, out_dir=out)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == written, "unchanged inputs, same files"

    fact_id = chart.facts(fb)[next(iter(chart.facts(fb)))]["id"].iloc[0]
    fact = fb.facts[fact_id]
    changed = type(fb)(facts={**fb.facts, fact_id: fact.model_copy(update={"notes": "edited"})}, sources=fb.sources)
    charts.save(chart.id, changed, notebook=chart.notebook, out_dir=out)
    assert (out / f"{chart.id}.csv").stat().st_mtime_ns != written[f"{chart.id}.csv"], "an edited fact redraws"
    (out / f"{chart.id}.png").unlink()
    charts.save(chart.id, changed, notebook=chart.notebook, out_dir=out)
    assert (out / f"{chart.id}.png").is_file(), "a missing file redraws"


def _probe(folder: Path) -> Path:
    """A notebook that reports what a fresh kernel shows it: its names and its working folder."""
    code = "import os\nprint(sorted(k for k in globals() if not k.startswith('_')), os.getcwd())"
    nb = new_notebook(cells=[new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_warm_kernel_looks_fresh_and_a_stale_one_is_not_used(tmp_path: Path, monkeypatch):
    probe = _probe(tmp_path)
    cold = notebooks.execute(probe).cells[0].outputs[0]["text"]
    warm = notebooks.WarmKernel()
    warm.enabled = True
    warm.prepare()
    kernel = warm.take()
    assert kernel is not None and kernel.is_alive()
    assert notebooks.execute(probe, kernel).cells[0].outputs[0]["text"] == cold
    notebooks.stopped()
    assert not kernel.manager.has_kernel, "the kernel is shut down after its notebook"
    assert str(paths.ROOT) in cold

    warm.prepare()
    monkeypatch.setattr(notebooks, "package_hash", lambda: "the code changed meanwhile")
    assert warm.take() is None, "a kernel that imported older code is not used"
    warm.close()


def test_the_scale_benchmark_copy_is_a_valid_site_source(tmp_path: Path):
    """The synthetic copy `make bench-scale` builds: a valid fact base with every fact twice, every
    copied page in the navigation (the build itself is what the benchmark measures)."""
    from chipsite.facts import load
    from mkdocs.utils.yaml import yaml_load

    root = bench_scale.make_copy(tmp_path / "x2", 2)
    result = _run(root, sys.executable, "-m", "chipsite.validate", "data")
    assert result.stdout.startswith(f"ok: {2 * len(load().facts)} facts"), result.stdout
    copied = sorted(p.name for p in (root / "docs").glob("*-s2.md"))
    nav = json.dumps(yaml_load((root / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])
    assert copied and all(name in nav for name in copied)
    assert len(list((root / "notebooks").glob("*-s2.ipynb"))) == len(list(paths.NOTEBOOKS.glob("*.ipynb")))
