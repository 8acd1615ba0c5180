"""Notebook execution: the real notebooks run, a broken one is named with its cell, and the cache
re-runs only notebooks whose inputs changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from chipsite import paths
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

FIXTURE = Path(__file__).parent / "fixtures" / "valid"

SHARES = '''import altair as alt
from chipsite.artifacts import save_chart
from chipsite.facts import load

fb = load()
frame = fb.series("{series}")


def small_chart(frame):
    """A test chart.

    One bar per entity."""
    return alt.Chart(frame[["entity", "value", "source_id"]]).mark_bar().encode(x="entity", y="value").properties(
        description="Test chart", height=100)


save_chart(small_chart(frame), "{chart}", frame, fb, builder=small_chart, notebook="{name}")'''


def write_notebook(folder: Path, name: str, *code: str) -> Path:
    nb = new_notebook(cells=[new_markdown_cell(f"# {name}")] + [new_code_cell(c) for c in code])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def run(notebooks: Path, build: Path, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHIPSITE_BUILD": str(build), "CHIPSITE_DATA": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "chipsite.notebooks", "--notebooks", str(notebooks)],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_broken_notebook_names_notebook_and_cell(tmp_path: Path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(folder, "broken", "x = 1", "y = undefined_name + 1")
    result = run(folder, tmp_path / "build", FIXTURE)
    assert result.returncode == 1
    assert "broken.ipynb: cell 3 (id" in result.stdout
    assert "NameError: name 'undefined_name' is not defined" in result.stdout
    assert "(fix that cell" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cache_reruns_only_notebooks_whose_inputs_changed(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    folder = tmp_path / "notebooks"
    folder.mkdir()
    build = tmp_path / "build"
    write_notebook(folder, "shares", SHARES.format(series="hbm_supplier_share", chart="test-shares", name="shares"))
    write_notebook(
        folder, "bandwidth", SHARES.format(series="hbm_bandwidth_per_stack", chart="test-bandwidth", name="bandwidth")
    )

    first = run(folder, build, data)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.count("ran in") == 2
    assert (build / "charts/test-shares.svg").is_file() and (build / "methods/shares.ipynb").is_file()
    manifest = json.loads((build / "notebooks.json").read_text())
    assert manifest["shares"]["series"] == ["hbm_supplier_share"]

    second = run(folder, build, data)
    assert second.stdout.count("unchanged, not re-run") == 2, second.stdout

    market = data / "facts/hbm_market.yaml"
    market.write_text(market.read_text().replace("value: 38\n", "value: 37\n").replace("at 38%", "at 37%"))
    third = run(folder, build, data)
    assert "notebook shares: ran" in third.stdout, third.stdout
    assert "notebook bandwidth: unchanged" in third.stdout, third.stdout
    assert "37" in (build / "charts/test-shares.csv").read_text()


def test_real_notebooks_are_stored_without_outputs():
    notebooks = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
    assert len(notebooks) >= 5
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name}: stored with outputs"


def test_real_notebooks_execute_and_save_charts(built_site: Path):
    """The strict build executed every notebook (allow_errors is false); each saved its charts."""
    manifest = json.loads((paths.BUILD / "notebooks.json").read_text())
    assert set(manifest) == {p.stem for p in paths.NOTEBOOKS.glob("*.ipynb")}
    charts = [c for entry in manifest.values() for c in entry["charts"]]
    assert len(charts) >= 10 and len(set(charts)) == len(charts)
    for chart in charts:
        assert (built_site / "charts" / f"{chart}.vl.json").is_file()


def test_editing_one_chart_module_reruns_only_the_notebook_that_draws_it(tmp_path: Path, monkeypatch):
    """The cache key of a notebook covers the shared code and the modules of its own charts only."""
    from chipsite import charts, notebooks
    from chipsite.facts import load

    package = tmp_path / "chipsite"
    shutil.copytree(notebooks.PACKAGE, package)
    monkeypatch.setattr(notebooks, "PACKAGE", package)
    monkeypatch.setattr(notebooks, "CHARTS_PACKAGE", package / "charts")
    fb = load()
    entries = {}
    for chart in charts.REGISTRY.values():
        entries.setdefault(chart.notebook, {"charts": []})["charts"].append(chart.id)

    def keys() -> dict[str, str]:
        code = notebooks.code_hash()
        return {name: notebooks._key(paths.NOTEBOOKS / f"{name}.ipynb", code, fb, e) for name, e in entries.items()}

    before = keys()
    module = package / "charts" / "cowos_capacity.py"
    module.write_text(module.read_text() + "\n# an edit\n")
    after = keys()
    assert [n for n in before if before[n] != after[n]] == ["foundry"]

    shared = package / "charts" / "encodings.py"
    shared.write_text(shared.read_text() + "\n# an edit\n")
    shared_edit = keys()
    assert all(before[n] != v for n, v in shared_edit.items()), "a shared chart module re-runs every notebook"
    formatter = package / "site" / "format.py"
    formatter.write_text(formatter.read_text() + "\n# an edit\n")
    assert all(shared_edit[n] != v for n, v in keys().items()), "the formatter re-runs every notebook"
    page_code = package / "site" / "tables.py"
    latest = keys()
    page_code.write_text(page_code.read_text() + "\n# an edit\n")
    assert keys() == latest, "page-only code does not re-run notebooks"
