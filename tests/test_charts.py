"""Charts as specs: every chart builds from the real fact base, validates, round-trips as JSON, carries a
description, tooltips and a source id on every data row; save_chart writes its six files."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from chipsite import artifacts, charts, theme
from chipsite.facts import load
from chipsite.site import format as fmt


@pytest.fixture(scope="module")
def fb():
    return load()


def _units(spec: dict):
    """Every unit (non-composite) view of a spec, however deeply layered."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "concat", "hconcat", "vconcat"):
        for child in spec.get(key, []):
            yield from _units(child)
    if "spec" in spec:
        yield from _units(spec["spec"])


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_chart_builds_a_valid_sourced_spec(chart_id: str, fb):
    chart, frame = charts.build(chart_id, fb)
    spec = chart.properties(width=artifacts.STATIC_WIDTH).to_dict(validate=True)
    assert json.loads(json.dumps(spec)) == spec
    assert "title" not in spec, "the site's caption carries the title"
    description = spec.get("description", "")
    assert len(description) > 40 and any(ch.isdigit() for ch in description), description

    rows = [row for values in spec.get("datasets", {}).values() for row in values]
    assert rows, "the spec has no inline data"
    assert all(row.get("source_id") for row in rows), "a plotted row has no source_id"
    # The rows passed to save_chart are facts (with ids), and every plotted source is among them.
    assert frame["id"].is_unique and frame["source_id"].notna().all()
    plotted_sources = {s.strip() for row in rows for s in str(row["source_id"]).split(",")}
    assert plotted_sources <= set(frame["source_id"])

    tooltips = [u["encoding"]["tooltip"] for u in _units(spec) if "tooltip" in u.get("encoding", {})]
    assert tooltips, "no layer has a tooltip"
    fields = {t["field"] for tips in tooltips for t in tips}
    # Tooltips give the period as readers write it ("Q4 2024", field `when`), not the ISO period.
    assert {"shown", "when", "status_label", "source_producer"} <= fields or {
        "bandwidth_shown",
        "when",
        "status_label",
        "source_producer",
    } <= fields
    titles = {t.get("title", t["field"]) for tips in tooltips for t in tips}
    assert not titles & {"shown", "period", "status_label", "source_producer", "metric"}, titles

    title, reading = artifacts.describe(charts.REGISTRY[chart_id])
    assert title and reading and not title.endswith(".")


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_spec_works_at_container_width(chart_id: str, fb):
    """The site sets width "container": every chart must be a single or layered view, never a concat."""
    chart, _ = charts.build(chart_id, fb)
    spec = chart.to_dict()
    assert not {"concat", "hconcat", "vconcat", "facet", "repeat"} & spec.keys()
    spec["width"] = "container"
    kind = alt.LayerChart if "layer" in spec else alt.Chart
    assert kind.from_dict(spec, validate=True).to_dict()["width"] == "container"


def test_theme_has_light_and_dark_and_entity_colours():
    light, dark = theme.config("light"), theme.config("dark")
    assert light["background"] == dark["background"] == "transparent"
    assert light["axis"]["labelColor"] != dark["axis"]["labelColor"]
    assert theme.ENTITY_COLORS["SK hynix"] != theme.ENTITY_COLORS["Samsung"] != theme.ENTITY_COLORS["Micron"]
    domain, colors = theme.entity_colors(["TSMC", "Someone new"])
    assert colors[0] == theme.ENTITY_COLORS["TSMC"] and colors[1] != colors[0]
    with pytest.raises(ValueError):
        theme.config("sepia")


def test_save_chart_writes_its_files(tmp_path: Path, fb):
    chart_id = "accelerator-memory"
    chart, frame = charts.build(chart_id, fb)
    saved = artifacts.save_chart(
        chart, chart_id, frame, fb, builder=charts.REGISTRY[chart_id], notebook="test", out_dir=tmp_path
    )
    files = {p.name for p in tmp_path.iterdir()}
    # The page's pictures (light, dark), the spec, data and metadata, and the framed downloads.
    six = (".vl.json", ".csv", ".svg", ".dark.svg", ".png", ".download.svg", ".meta.json")
    narrow = (".narrow.vl.json", ".narrow.svg", ".narrow.dark.svg")
    # Where the pictures' tooltips are (for a tap before the interactive chart loads).
    tips = (".tips.json", ".narrow.tips.json")
    assert files == {f"{chart_id}{ext}" for ext in six + narrow + tips}
    svg = (tmp_path / f"{chart_id}.svg").read_text()
    assert svg.startswith("<svg") and len(svg) > 1000
    assert (tmp_path / f"{chart_id}.dark.svg").read_text() != svg
    assert (tmp_path / f"{chart_id}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(tmp_path / f"{chart_id}.csv")
    assert len(table) == len(frame) and table["source_id"].notna().all()
    meta = json.loads((tmp_path / f"{chart_id}.meta.json").read_text())
    assert meta["title"] == saved.title and meta["description"] and meta["sources"]
    assert set(meta["layouts"]) == {"wide", "narrow"}
    assert 300 <= meta["layouts"]["narrow"]["width"] <= 340 and 640 <= meta["layouts"]["wide"]["width"] <= 720
    assert meta["subtitle"].endswith(".") and meta["data_through"] in meta["subtitle"]
    producers = meta["source_line"].partition("; via ")[0]
    assert sorted(producers.split(", ")) == sorted(set(s["producer"] for s in meta["sources"]))
    assert f'data-chart-id="{chart_id}"' in saved._repr_html_()
    narrow_spec = json.loads((tmp_path / f"{chart_id}.narrow.vl.json").read_text())
    assert narrow_spec["width"] == 320 and narrow_spec["autosize"]["contains"] == "padding"


def test_source_line_names_each_producer_once(fb):
    sources = [fb.source(i) for i in fb.series("hbm_supplier_share")["source_id"]]
    line = artifacts.source_line(sources)
    producers, _, relays = line.partition("; via ")
    names = producers.split(", ")
    assert len(names) == len(set(names)) and "TrendForce" in names
    assert all(relays.count(r) == 1 for r in relays.split(", ") if r)
    # A short line: at most three outlets named; more are counted and listed in the Sources view.
    assert len(relays.split(", ")) <= 3, line
    many = [
        s.model_copy(update={"publisher": f"Outlet {n}", "original_producer": "TrendForce"})
        for n, s in enumerate(sources)
    ]
    assert artifacts.source_line(many) == f"TrendForce; via {len(many)} outlets (see Sources)"


def test_data_through_names_the_newest_period_that_happened(fb):
    frame = fb.series("hbm_supplier_share")
    happened, planned = artifacts.data_through(frame)
    newest = max((fmt.Period(p) for p in frame[~frame["status"].isin(["forecast"])]["period"]), key=lambda p: p.end)
    assert happened == newest.long_label
    assert artifacts.subtitle("Share (%)", frame).startswith("Share (%); data through ")


def test_builder_without_docstring_or_description_is_refused(tmp_path: Path, fb):
    frame = fb.series("hbm_bandwidth_per_stack")

    def undocumented(frame):
        return (
            alt.Chart(frame[["entity", "value", "source_id"]])
            .mark_bar()
            .encode(x="entity", y="value")
            .properties(description="A chart.")
        )

    with pytest.raises(ValueError, match="no docstring"):
        artifacts.save_chart(
            undocumented(frame), "test-chart", frame, fb, builder=undocumented, notebook="t", out_dir=tmp_path
        )

    def undescribed(frame):
        """A title

        A reading."""
        return alt.Chart(frame[["entity", "value", "source_id"]]).mark_bar().encode(x="entity", y="value")

    with pytest.raises(ValueError, match="no description"):
        artifacts.save_chart(
            undescribed(frame), "test-chart", frame, fb, builder=undescribed, notebook="t", out_dir=tmp_path
        )


def test_rows_without_source_are_refused(tmp_path: Path, fb):
    chart, frame = charts.build("openai-compute-commitments", fb)
    with pytest.raises(ValueError, match="source_id"):
        artifacts.save_chart(
            chart,
            "openai-compute-commitments",
            frame.assign(source_id=None),
            fb,
            builder=charts.REGISTRY["openai-compute-commitments"],
            notebook="t",
            out_dir=tmp_path,
        )
    frames = charts.frames_for("openai-compute-commitments", fb)
    with pytest.raises(ValueError, match="source_id"):
        charts.REGISTRY["openai-compute-commitments"](**{k: v.assign(source_id=None) for k, v in frames.items()})


def test_values_are_written_with_their_unit():
    assert fmt.amount(819.0, 819.0, 819.0, "gb_per_s") == "819 GB/s"
    assert fmt.amount(47.5, 46.0, 49.0, "percent") == "46–49%"
    assert fmt.amount(18.2, 18.2, 18.2, "usd_billion") == "$18.2 billion"
    assert fmt.period_date("2024-Q4") == "2024-11-15"
    assert fmt.period_date("1998/2023") == "2023-07-01"
    assert fmt.period_label("2025-11") == "Nov 2025"


def test_one_period_type_reads_every_kind_of_period():
    assert fmt.Period("2024-H2").start.isoformat() == "2024-07-01" and fmt.Period("2024-H2").end.day == 31
    assert fmt.Period("2024-02").end.isoformat() == "2024-02-29"
    assert fmt.Period("2023-06/2024-01").start.isoformat() == "2023-06-01"
    assert fmt.Period("2025-10-06").label == "6 Oct 2025" and fmt.Period("2025-10-06").kind == "day"
    assert fmt.Period("2025-11").long_label == "November 2025"


@pytest.mark.parametrize("chart_id", sorted(charts.REGISTRY))
def test_chart_text_equals_prose_text_for_every_fact(chart_id: str, fb):
    """A fact's value reads the same in a chart's labels and tooltips as in the prose ({fact: id})."""
    chart = charts.REGISTRY[chart_id]
    rows = chart.rows(**chart.facts(fb))
    pairs = [("id", "shown"), ("id", "bandwidth_shown"), ("id_capacity", "capacity_shown")]
    checked = 0
    for id_column, text_column in pairs:
        if id_column not in rows or text_column not in rows:
            continue
        for fact_id, text in zip(rows[id_column], rows[text_column], strict=True):
            if isinstance(fact_id, str) and fact_id in fb.facts:
                assert text == fmt.value(fb.fact(fact_id)), (chart_id, fact_id, text)
                checked += 1
    assert checked, f"{chart_id}: no plotted row names its fact"


def test_a100_bandwidth_reads_the_same_in_chart_and_prose(fb):
    rows = charts.REGISTRY["accelerator-memory"].rows(**charts.frames_for("accelerator-memory", fb))
    a100 = rows[rows["entity"].str.contains("A100")]
    assert any(text == fmt.value(fb.fact(i)) for i, text in zip(a100["id"], a100["bandwidth_shown"], strict=True))


def test_registry_finds_every_chart_module_and_its_notebook():
    modules = {p.stem for p in (Path(charts.__file__).parent).glob("*.py")} - {"__init__", "base", "encodings"}
    assert {c.module for c in charts.REGISTRY.values()} == modules
    notebooks = Path(charts.__file__).parents[3] / "notebooks"
    for chart in charts.REGISTRY.values():
        text = (notebooks / f"{chart.notebook}.ipynb").read_text()
        assert f'charts.save(\\"{chart.id}\\", fb, notebook=\\"{chart.notebook}\\")' in text, chart.id


def test_a_chart_saved_from_the_wrong_notebook_is_refused(fb, tmp_path: Path):
    with pytest.raises(ValueError, match="is drawn by notebook 'foundry'"):
        charts.save("cowos-capacity", fb, notebook="openai", out_dir=tmp_path)


def test_generated_chart_lists_name_every_chart(fb):
    from chipsite.site import tables

    data_table = tables.TABLES["charts"](fb, "../")
    methods_table = tables.TABLES["chart-notebooks"](fb, "../")
    for chart in charts.REGISTRY.values():
        assert f'href="../charts/{chart.id}.csv"' in data_table
        assert chart.name.replace("'", "&#x27;") in methods_table
        assert f'href="../methods/{chart.notebook}/"' in methods_table


def test_the_openai_chart_ties_figures_by_facts_that_exist(fb):
    """The chart's note that two figures are one deal names them by fact id: a renamed or removed fact
    would drop the note without a word, so each id must be a fact the chart draws."""
    from chipsite.charts.openai_compute_commitments import SAME_DEAL

    drawn = set(pd.concat(charts.frames_for("openai-compute-commitments", fb).values())["id"])
    for pair in SAME_DEAL:
        missing = [fact_id for fact_id in pair if fact_id not in drawn]
        assert not missing, f"SAME_DEAL in charts/openai_compute_commitments.py names facts not drawn: {missing}"
