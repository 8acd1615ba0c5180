"""The fact desk's rules, each fed a planted bad copy of the valid fixture, and the real fact base.

One definition per metric (in the fact's unit), relays named and dated with a reason, excerpts that
carry their number, one unit per series, and conflict groups that every number card offers.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from chipsite import checks, paths
from chipsite.excerpt_numbers import numbers_in
from chipsite.facts import load
from chipsite.site import shortcodes

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
MARKET = "facts/hbm_market.yaml"


def planted(tmp_path: Path, path: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    target = data / path
    text = target.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def problems(data: Path) -> list[str]:
    return [str(p) for p in checks.check(data)[2]]


def test_the_fixture_passes_every_desk_rule():
    assert problems(FIXTURE) == []


def test_an_undefined_metric_is_refused_with_a_suggestion(tmp_path):
    data = planted(tmp_path, MARKET, "metric: market_share\n  series: hbm_supplier_share\n  entity: Samsung",
                   "metric: market_shares\n  series: hbm_supplier_share\n  entity: Samsung")  # fmt: skip
    found = problems(data)
    assert len(found) == 1, found
    assert "facts/hbm_market.yaml:" in found[0] and "hbm_share_samsung_2023_forecast: metric:" in found[0]
    assert "did you mean 'market_share'" in found[0] and "metrics.yaml" in found[0]


def test_a_fact_in_another_unit_than_its_metric_is_refused(tmp_path):
    data = planted(tmp_path, "metrics.yaml", "unit: percent", "unit: percentage_points")
    found = problems(data)
    assert len(found) == 3 and all("unit: 'percent', but metric 'market_share'" in f for f in found), found


def test_a_series_point_in_another_unit_is_named(tmp_path):
    """A value in TB/s among GB/s points: the validator names the odd one out, not the majority."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    tech = data / "facts/hbm_technology.yaml"
    tech.write_text(
        tech.read_text()
        + """- id: odd_bandwidth_a
  claim: A bandwidth in GB/s.
  value: 819
  unit: gb_per_s
  period: 2022
  status: actual
  series: planted_bandwidth
  entity: A
  source_id: example_hbm3_spec
  excerpt: 819 GB/s
- id: odd_bandwidth_b
  claim: Another bandwidth in GB/s.
  value: 410
  unit: gb_per_s
  period: 2022
  status: actual
  series: planted_bandwidth
  entity: B
  source_id: example_hbm3_spec
  excerpt: 410 GB/s
- id: odd_bandwidth_c
  claim: A bandwidth in TB/s.
  value: 2
  unit: tb_per_s
  period: 2022
  status: actual
  series: planted_bandwidth
  entity: C
  source_id: example_hbm3_spec
  excerpt: 2 TB/s
"""
    )
    found = problems(data)
    assert len(found) == 1 and "odd_bandwidth_c: unit: 'tb_per_s'" in found[0] and "'gb_per_s'" in found[0], found


def test_a_relay_without_its_original_is_refused(tmp_path):
    data = planted(tmp_path, "sources.yaml", "  original_published: 2023-04-18\n", "")
    found = problems(data)
    assert len(found) == 1, found
    assert "sources.yaml:" in found[0] and "example_hbm_share_forecast: original_published: is missing" in found[0]
    assert "Example Trade Press relays TrendForce" in found[0]


def test_an_excerpt_without_the_number_is_refused_unless_the_record_says_why(tmp_path):
    data = planted(tmp_path, MARKET, "excerpt: followed by Samsung at 38%", "excerpt: followed by Samsung")
    found = problems(data)
    assert len(found) == 1 and "hbm_share_samsung_2023_forecast: excerpt: does not carry the value 38" in found[0]
    fixed = planted(
        tmp_path / "again",
        MARKET,
        "excerpt: followed by Samsung at 38%",
        "excerpt: followed by Samsung\n  value_read_from: table",
    )
    assert problems(fixed) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("69.9 percent", 69.9), ("$122.54 billion", 122.54), ("1,307.4 TFLOPS", 1307.4), ("46-49%", 49), ("twelve", 12)],
)
def test_excerpt_numbers_are_read_in_usual_writing(text, value):
    assert value in numbers_in(text)


def test_make_validate_names_the_planted_metric_without_a_traceback(tmp_path):
    data = planted(tmp_path, MARKET, "metric: market_share\n  series: hbm_supplier_share\n  entity: Micron",
                   "metric: nowhere_share\n  series: hbm_supplier_share\n  entity: Micron")  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "chipsite.validate", str(data)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "hbm_share_micron_2023_forecast: metric: 'nowhere_share' is not defined" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_every_fact_was_read_a_second_time():
    fb = load(paths.DATA)
    unread = [f.id for f in fb.facts.values() if f.checked is None]
    assert not unread, f"{len(unread)} facts without a second reading (checked:): {unread[:10]}"


def test_a_fact_with_a_verdict_is_in_the_corrections_log():
    from chipsite import corrections

    fb = load(paths.DATA)
    entries, found = corrections.load(paths.DATA / corrections.FILE_NAME, set(fb.facts))
    assert not found
    logged = {rid for entry in entries for rid in entry.ids}
    missing = [f.id for f in fb.facts.values() if f.verdict and f.id not in logged]
    assert not missing, f"facts with a verdict but no corrections entry: {missing}"


def conflict_findings(fb, page_html: str) -> list[str]:
    """A number shown alone: its card does not offer the other figures of its conflict group."""
    import re

    findings = []
    for fact_id in dict.fromkeys(re.findall(r'data-fact="([a-z0-9_]+)"', page_html)):
        others = fb.others_in_group(fact_id)
        if not others:
            continue
        card = re.search(rf'<span class="fact-card" id="fact-{fact_id}"[^>]*>(.*?)</span>', page_html, re.S)
        shown_on_page = {o.id for o in others if f'data-fact="{o.id}"' in page_html}
        offered = card and "Other figures for the same" in card.group(1)
        if not offered and len(shown_on_page) < len(others):
            findings.append(f"{fact_id}: shown without {sorted({o.id for o in others} - shown_on_page)}")
    return findings


def test_a_number_card_offers_the_other_figures_of_its_group():
    fb = load(FIXTURE)
    # Plant a second producer's figure for the same thing: the two now form a group.
    from chipsite.schema import Fact

    sibling = fb.fact("hbm_share_samsung_2023_forecast").model_copy(
        update={"id": "planted_other_producer", "value": 40.0, "source_id": "example_hbm3_spec", "metric": None}
    )
    grouped = type(fb)(facts={**fb.facts, sibling.id: sibling}, sources=fb.sources, metrics=fb.metrics)
    assert isinstance(sibling, Fact)
    page = shortcodes.expand_facts("{fact: hbm_share_samsung_2023_forecast}", grouped, "x.md", "", shortcodes.PageUse())
    assert "Other figures for the same: 40%" in page
    assert conflict_findings(grouped, page) == []
    # A card without the offer, and the sibling not on the page: the check fails.
    bare = page.replace("Other figures for the same", "Nothing else")
    assert conflict_findings(grouped, bare) == [
        "hbm_share_samsung_2023_forecast: shown without ['planted_other_producer']"
    ]


@pytest.mark.build
def test_no_page_shows_one_member_of_a_conflict_group_alone(built_site: Path, pages):
    fb = load(paths.DATA)
    findings = []
    for page in pages:
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        findings += [f"{page or 'home'}: {f}" for f in conflict_findings(fb, html)]
    assert not findings, "\n".join(findings)


def test_the_card_states_the_metric_definition():
    fb = load(FIXTURE)
    page = shortcodes.expand_facts("{fact: hbm_share_micron_2023_forecast}", fb, "x.md", "", shortcodes.PageUse())
    assert "Measure: Share of the HBM market. Base: The whole HBM market" in page


def chart_conflict_findings(fb, meta: dict) -> list[str]:
    """A chart that draws one member of a conflict group draws the others too."""
    drawn = set(meta["fact_ids"])
    return [
        f"{meta['id']}: draws {fact_id} without {missing}"
        for fact_id in meta["fact_ids"]
        if (missing := sorted(o.id for o in fb.others_in_group(fact_id) if o.id not in drawn))
    ]


@pytest.mark.build
def test_a_chart_drawing_one_member_of_a_group_draws_the_others(built_site: Path):
    import json

    fb = load(paths.DATA)
    metas = [json.loads(p.read_text()) for p in sorted((built_site / "charts").glob("*.meta.json"))]
    assert len(metas) >= 10
    findings = [f for meta in metas for f in chart_conflict_findings(fb, meta)]
    assert not findings, "\n".join(findings)
    # Planted: a chart that leaves out Reuters' reading of the same quarter.
    group = next(ids for ids in fb.conflict_groups.values())
    planted = {"id": "planted", "fact_ids": [group[0]]}
    assert chart_conflict_findings(fb, planted), "a chart drawing one member alone must be named"


def test_a_mistyped_source_id_gets_a_suggestion(tmp_path):
    data = planted(
        tmp_path,
        MARKET,
        "source_id: example_hbm_share_forecast\n  excerpt: followed",
        "source_id: example_hbm_share_forcast\n  excerpt: followed",
    )
    found = problems(data)
    assert any("did you mean 'example_hbm_share_forecast'" in f for f in found), found
