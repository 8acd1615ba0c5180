"""Charts select facts by series, metric or fact id, never by a name a reader sees.

A display name (an entity's "NVIDIA H100 SXM", a producer's name) can be reworded in the data at any
time; a chart that filtered on it would silently lose points. The test rewords every name at once, in
a copy of the fact base (each entity gains words before and after, each producer and publisher words
after, the same everywhere it appears), and checks that every chart still draws exactly the same
facts, in the same roles.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from chipsite import charts, paths
from chipsite.charts.base import plotted, require
from chipsite.facts import load
from chipsite.records import parse
from payloads import _dump as dump


@pytest.fixture(scope="module")
def real():
    return load()


def reword(data: Path, out: Path) -> Path:
    """A copy of `data` with every entity, producer and publisher reworded the same way everywhere."""
    shutil.copytree(data, out)
    _, sources = parse(out / "sources.yaml")
    for source in sources:
        for name in ("publisher", "original_producer"):
            if name in source:  # words after only: a relay's check compares the names' first words
                source[name] = f"{source[name]} (renamed)"
    dump(sources, out / "sources.yaml")
    for path in sorted((out / "facts").glob("*.yaml")):
        _, facts = parse(path)
        for fact in facts:
            if "entity" in fact:
                fact["entity"] = f"Renamed {fact['entity']} (renamed)"
        dump(facts, path)
    return out


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    return load(reword(paths.DATA, tmp_path_factory.mktemp("renamed") / "data"))


def _row_ids(rows: pd.DataFrame, flag: str | None = None) -> list[str]:
    if flag:
        rows = rows[rows[flag].astype(bool)]
    return sorted(str(i) for i in rows["id"]) if "id" in rows else []


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_a_renamed_entity_changes_nothing_a_chart_draws(chart_id: str, real, renamed):
    chart = charts.REGISTRY[chart_id]
    frames, frames_renamed = chart.facts(real), chart.facts(renamed)
    assert set(frames) == set(frames_renamed)
    assert sorted(plotted(frames)["id"]) == sorted(plotted(frames_renamed)["id"]), "a selection reads a display name"
    rows, rows_renamed = chart.rows(**frames), chart.rows(**frames_renamed)
    assert len(rows) == len(rows_renamed) and _row_ids(rows) == _row_ids(rows_renamed)
    for flag in ("leader", "main"):  # roles some charts give rows: the same facts keep them
        if flag in rows:
            assert _row_ids(rows, flag) == _row_ids(rows_renamed, flag), flag


def test_an_empty_selection_names_the_rule():
    with pytest.raises(ValueError, match="never by a display name"):
        require(pd.DataFrame(), "some_series")
    with pytest.raises(KeyError, match="never by a display name"):
        load().series("no_such_series")


# Code in a notebook only builds and saves charts; selecting rows belongs in the chart module, by id.
NOTEBOOK_FILTER = re.compile(r"\bentity\b|\.query\(|\.isin\(|\.str\.|\[\s*[\w\"']+\s*==")


def test_notebooks_do_not_select_rows_themselves():
    for path in sorted((paths.ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells, start=1):
            code = "".join(cell["source"])
            if cell["cell_type"] == "code" and NOTEBOOK_FILTER.search(code):
                pytest.fail(
                    f"{Path(path).name}: cell {index} selects rows ({NOTEBOOK_FILTER.search(code).group(0)!r}): "
                    "select in the chart module, by series, metric or fact id"
                )
