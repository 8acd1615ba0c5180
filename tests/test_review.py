"""The review report (`make review`): for each kind of change a pull request makes, the report names
it fully. Each test commits a base and a change in a throwaway copy of the repository; most compare
the two commits without building the sites (`--no-build`), and the charts' and pages' comparisons
are tested on two small built trees. One test runs the real command end to end, builds included."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from chipsite import bench_scale, paths
from chipsite.review import charts_diff, pages_diff, report, run
from chipsite.review.build import seed
from chipsite.review.markdown import text

FACT = "hbm_share_sk_hynix_2022_trendforce"  # 50% in 2022; on hbm-market.md and story-checked.md
CITED = "tsmc_foundry_share_2023_q4_trendforce"  # cited by a `source` entry of the corrections log
CHART = "hbm-supplier-shares"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's sources, committed once as the base."""
    root = bench_scale.make_copy(tmp_path / "repo", 1)
    shutil.copy(paths.ROOT / ".gitignore", root / ".gitignore")  # build outputs and caches stay untracked
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "base")
    return root


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    content = file.read_text(encoding="utf-8")
    assert old in content, (path, old)
    file.write_text(content.replace(old, new, 1), encoding="utf-8")


def _remove_fact(repo: Path, fact_id: str) -> None:
    for file in (repo / "data" / "facts").glob("*.yaml"):
        content = file.read_text(encoding="utf-8")
        shorter = re.sub(rf"^- id: {fact_id}\n(?:  .*\n)*", "", content, flags=re.M)
        if shorter != content:
            file.write_text(shorter, encoding="utf-8")
            return
    raise AssertionError(f"{fact_id} not found")


def _review(repo: Path) -> tuple[report.Review, str]:
    """The last commit reviewed against the one before it, without building the sites."""
    out = repo / "build" / "review"
    result = run.review(repo, "HEAD~1", out, repo / "build" / "review-sites", build_sites=False)
    return result, (out / run.REPORT).read_text(encoding="utf-8")


SECTIONS = ["Warnings a reviewer should weigh", "Facts", "Sources", "Charts", "Notebooks", "Pages"]


def _section(markdown: str, heading: str) -> str:
    """One section of the report (nbdime's own '## modified' lines inside a block are not headings)."""
    start = markdown.index(f"\n## {heading}\n")
    ends = [markdown.find(f"\n## {other}\n", start + 1) for other in SECTIONS if other != heading]
    return markdown[start : min((e for e in ends if e > start), default=len(markdown))]


def _change_value(repo: Path) -> None:
    _edit(
        repo,
        "data/facts/hbm_market.yaml",
        "market at 50% in 2022.\n  value: 50\n",
        "market at 48% in 2022.\n  value: 48\n",
    )
    _edit(
        repo, "data/facts/hbm_market.yaml", "with 50%, 40%, and 10% market share", "with 48%, 40%, and 10% market share"
    )


def test_a_changed_value_is_reported_with_its_source_and_where_it_shows(repo: Path):
    # The chart that plots the fact, as a build leaves its metadata.
    charts = repo / "build" / "charts"
    charts.mkdir(parents=True)
    (charts / f"{CHART}.meta.json").write_text(json.dumps({"id": CHART, "fact_ids": [FACT]}), encoding="utf-8")
    _change_value(repo)
    _commit(repo, "SK hynix 2022 share corrected")

    result, markdown = _review(repo)

    assert [(c.id, c.kind) for c in result.facts] == [(FACT, "changed")]
    facts = _section(markdown, "Facts")
    assert f"### Changed: `{FACT}`" in facts
    assert "**Value:** 50% → 48%" in facts
    assert "`percent`, 2022; **status:** estimate" in facts
    assert "I-Connect007 (original: TrendForce)" in facts and "published 2023-04-20" in facts
    assert "`https://iconnect007.com/article/136045/" in facts
    shown = next(line for line in facts.splitlines() if line.startswith("- **Shown on:**"))
    assert "The HBM market (`hbm-market.md`)" in shown and "`story-checked.md`" in shown
    assert f"charts `{CHART}`" in shown
    warnings = _section(markdown, "Warnings a reviewer should weigh")
    assert f"**not an outcome** `{FACT}`: status estimate" in warnings
    assert "| Facts | 1 changed |" in markdown


def test_an_added_fact_is_reported_with_the_conflict_group_it_joins(repo: Path):
    # Another producer's figure for the same series, entity and period.
    record = (
        "- id: hbm_share_sk_hynix_2022_other_estimate\n"
        "  claim: Another firm put SK hynix's share of the HBM market at 53% in 2022.\n"
        '  value: 53\n  unit: percent\n  period: "2022"\n  status: forecast\n  metric: market_share\n'
        "  series: hbm_supplier_share\n  entity: SK hynix\n"
        "  source_id: iconnect007_trendforce_hbm_share_2023_04_20\n"
        '  excerpt: "SK hynix held 53% of the market."\n'
    )
    path = repo / "data" / "facts" / "hbm_market.yaml"
    path.write_text(path.read_text(encoding="utf-8") + record, encoding="utf-8")
    _commit(repo, "A second estimate of SK hynix's 2022 share")

    result, markdown = _review(repo)

    added = [c for c in result.facts if c.kind == "added"]
    assert [c.id for c in added] == ["hbm_share_sk_hynix_2022_other_estimate"]
    assert FACT in added[0].joins
    facts = _section(markdown, "Facts")
    assert "### Added: `hbm_share_sk_hynix_2022_other_estimate`" in facts
    assert "**Value:** 53%" in facts and "**status:** forecast" in facts
    assert f"**Joins the conflict group of:** `{FACT}`" in facts
    # The fact it joins now has a new neighbour, but did not change: it is not listed.
    assert f"### Changed: `{FACT}`" not in facts
    warnings = _section(markdown, "Warnings a reviewer should weigh")
    assert "**shown nowhere** `hbm_share_sk_hynix_2022_other_estimate`" in warnings
    assert "**not an outcome** `hbm_share_sk_hynix_2022_other_estimate`: status forecast" in warnings


def test_a_removed_fact_still_cited_in_the_corrections_log_is_a_warning(repo: Path):
    _remove_fact(repo, CITED)
    _commit(repo, "Remove TrendForce's Q4 2023 TSMC share")

    result, markdown = _review(repo)

    assert [(c.id, c.kind) for c in result.facts] == [(CITED, "removed")]
    facts = _section(markdown, "Facts")
    assert f"### Removed: `{CITED}`" in facts and "**Value:** 61.2%" in facts
    shown = next(line for line in facts.splitlines() if line.startswith("- **Was shown on:**"))
    assert "`foundry-and-taiwan.md`" in shown and "`index.md`" in shown
    warnings = _section(markdown, "Warnings a reviewer should weigh")
    line = next(line for line in warnings.splitlines() if f"`{CITED}`" in line and "removed but cited" in line)
    assert "the corrections log still cites it: 2026-12-07 (correction)" in line
    assert "It has no removal entry" in line


def test_a_source_on_a_refused_host_is_reported_with_the_policy_verdict(repo: Path):
    source = (
        "- id: reddit_hbm_thread_2024_05_01\n  publisher: Reddit\n  title: HBM thread\n"
        "  url: https://www.reddit.com/r/hardware/comments/abc/hbm/\n  published: 2024-05-01\n"
        "  accessed: 2026-11-28\n  kind: news\n"
        "  original_producer: TrendForce\n  original_published: 2024-04-30\n"
        "  original_not_cited: The firm's note is for subscribers.\n"
    )
    fact = (
        "- id: hbm_share_sk_hynix_2024_reddit\n  claim: A thread put SK hynix's HBM share at 52% in 2024.\n"
        '  value: 52\n  unit: percent\n  period: "2024"\n  status: estimate\n'
        '  source_id: reddit_hbm_thread_2024_05_01\n  excerpt: "SK hynix has 52% of HBM"\n'
    )
    for path, record in (("data/sources.yaml", source), ("data/facts/hbm_market.yaml", fact)):
        file = repo / path
        file.write_text(file.read_text(encoding="utf-8") + record, encoding="utf-8")
    _commit(repo, "A source from a forum")

    result, markdown = _review(repo)

    assert [(c.id, c.kind, c.refused) for c in result.sources] == [("reddit_hbm_thread_2024_05_01", "added", True)]
    sources = _section(markdown, "Sources")
    assert "### Added: `reddit_hbm_thread_2024_05_01`" in sources
    assert "**Refused by the source policy.** refused: host reddit.com is listed under rule forum" in sources
    assert "`https://www.reddit.com/r/hardware/comments/abc/hbm/`" in sources
    assert "**Cited by:** `hbm_share_sk_hynix_2024_reddit`" in sources
    warnings = _section(markdown, "Warnings a reviewer should weigh")
    assert "**relay** `reddit_hbm_thread_2024_05_01`: Reddit relays TrendForce's report of 2024-04-30" in warnings
    assert "**validator** `reddit_hbm_thread_2024_05_01`" in warnings and "not admitted" in warnings


def test_a_notebook_edit_is_shown_cell_by_cell_not_as_json(repo: Path):
    path = repo / "notebooks" / "hbm-market.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "markdown" and "\n" in c.source)
    first_line = cell.source.splitlines()[0]
    cell.source = cell.source.replace(first_line, first_line + " (edited)", 1)
    nbformat.write(notebook, path)
    _commit(repo, "Notebook prose edited")

    result, markdown = _review(repo)

    assert [(n.name, n.kind) for n in result.notebooks] == [("hbm-market", "changed")]
    notebooks = _section(markdown, "Notebooks")
    assert "### Changed: `notebooks/hbm-market.ipynb`" in notebooks
    assert f"-  {first_line}\n" in notebooks and f"+  {first_line} (edited)\n" in notebooks
    assert '"cell_type"' not in notebooks


def test_a_number_typed_by_hand_in_a_page_is_a_warning(repo: Path):
    _edit(
        repo,
        "docs/hbm-explained.md",
        "An AI accelerator is only as fast",
        "The stack holds 64 GB. An AI accelerator is only as fast",
    )
    _commit(repo, "A typed number")

    _, markdown = _review(repo)

    line = next(
        i
        for i, text_line in enumerate((repo / "docs/hbm-explained.md").read_text().splitlines(), 1)
        if "64 GB" in text_line
    )
    warnings = _section(markdown, "Warnings a reviewer should weigh")
    assert f"**number typed by hand** `docs/hbm-explained.md:{line}`: '64 GB' is typed by hand" in warnings


def _chart_files(folder: Path, rows: list[dict], picture: bytes, color: str = "#1f77b4") -> None:
    folder.mkdir(parents=True)
    (folder / f"{CHART}.meta.json").write_text(
        json.dumps(
            {"id": CHART, "title": "SK hynix leads", "notebook": "hbm-market", "fact_ids": [r["id"] for r in rows]}
        ),
        encoding="utf-8",
    )
    spec = {"mark": {"type": "bar", "color": color}, "datasets": {"d": rows}}
    (folder / f"{CHART}.vl.json").write_text(json.dumps(spec), encoding="utf-8")
    header = "id,entity,period,value\n"
    body = "".join(f"{r['id']},{r['entity']},{r['period']},{r['value']}\n" for r in rows)
    (folder / f"{CHART}.csv").write_text(header + body, encoding="utf-8")
    (folder / f"{CHART}.png").write_bytes(picture)


def test_a_chart_whose_data_changed_shows_both_pictures_and_its_rows(tmp_path: Path):
    kept = {"id": "hbm_share_samsung_2022_trendforce", "entity": "Samsung", "period": "2022", "value": "40"}
    before = [{"id": FACT, "entity": "SK hynix", "period": "2022", "value": "50"}, kept]
    after = [{"id": FACT, "entity": "SK hynix", "period": "2022", "value": "48"}, kept]
    after.append({"id": "hbm_share_micron_2022_trendforce", "entity": "Micron", "period": "2022", "value": "10"})
    _chart_files(tmp_path / "old", before, b"old picture")
    _chart_files(tmp_path / "new", after, b"new picture")
    out = tmp_path / "review"

    changes = charts_diff.diff_charts(tmp_path / "old", tmp_path / "new", out)

    assert [(c.id, c.kind) for c in changes] == [(CHART, "changed")]
    change = changes[0]
    assert change.what == ["data", "picture"], "the spec less its data (code and styling) did not change"
    assert (out / change.before_png).read_bytes() == b"old picture"
    assert (out / change.after_png).read_bytes() == b"new picture"
    assert [r["id"] for r in change.rows_added] == ["hbm_share_micron_2022_trendforce"]
    assert change.rows_removed == []
    assert [(r.key, r.fields) for r in change.rows_changed] == [(FACT, [("value", "50", "48")])]

    review = report.Review("a base", "a change", None, None, charts=changes)  # type: ignore[arg-type]
    charts = _section(report.render(review), "Charts")
    assert f"### Changed: SK hynix leads (`{CHART}`)" in charts
    assert "What changed: data, picture." in charts
    assert f"| ![{CHART} before](charts/{CHART}.before.png) | ![{CHART} after](charts/{CHART}.after.png) |" in charts
    assert "**1 row added:**" in charts and "entity: Micron" in charts
    assert f"`{FACT}`: value 50 → 48" in charts

    # Styling alone: the rows are the same, the spec is not.
    _chart_files(tmp_path / "restyled", before, b"old picture", color="#d62728")
    restyled = charts_diff.diff_charts(tmp_path / "old", tmp_path / "restyled", tmp_path / "review2")
    assert restyled[0].what == ["code or styling"] and not restyled[0].rows_changed

    # A chart module edited: the chart is listed even if its files came out the same.
    for name, body in (("old-tree", "A = 1\n"), ("new-tree", "A = 2\n")):
        module = tmp_path / name / "scripts" / "chipsite" / "charts" / "hbm_supplier_shares.py"
        module.parent.mkdir(parents=True)
        module.write_text(body, encoding="utf-8")
    edited = charts_diff.modules_changed(tmp_path / "old-tree", tmp_path / "new-tree")
    assert edited == {CHART}
    same = charts_diff.diff_charts(tmp_path / "old", tmp_path / "old", tmp_path / "review3", code_changed=edited)
    assert [(c.id, c.what) for c in same] == [(CHART, ["its chart module"])]


def _page(site: Path, stem: str, body: str) -> None:
    folder = site / stem
    folder.mkdir(parents=True)
    html = (
        f"<html><body><nav><a href='../x/'>Menu</a></nav><article><h1 id='{stem}'>HBM explained</h1>{body}"
        "<span class='fact-card'>card text</span></article></body></html>"
    )
    (folder / "index.html").write_text(html, encoding="utf-8")


def test_an_edited_page_is_shown_in_words_with_its_new_links_and_anchors(tmp_path: Path):
    for name in ("old", "new"):
        (tmp_path / name / "docs").mkdir(parents=True)
        (tmp_path / name / "docs" / "hbm-explained.md").write_text("text", encoding="utf-8")
    _page(tmp_path / "old-site", "hbm-explained", "<p>An AI accelerator is only as <em>fast</em> as its memory.</p>")
    _page(
        tmp_path / "new-site",
        "hbm-explained",
        "<p>An AI accelerator is only ever as <em>fast</em> as the memory that feeds it "
        "(see <a href='../glossary/#hbm'>the glossary</a>).</p><h2 id='why'>Why</h2>",
    )

    changes = pages_diff.diff_pages(tmp_path / "old", tmp_path / "new", tmp_path / "old-site", tmp_path / "new-site")

    assert [(c.stem, c.kind, c.title) for c in changes] == [("hbm-explained", "changed", "HBM explained")]
    change = changes[0]
    assert change.new_links == ["/glossary/#hbm"], "links outside the article (the menu) are not the page's"
    assert change.new_anchors == ["why"]
    assert [(e.removed, e.added) for e in change.edits] == [
        ("", "ever"),
        ("its memory.", "the memory that feeds it (see the glossary). Why"),
    ]

    review = report.Review("a base", "a change", None, None, pages=changes)  # type: ignore[arg-type]
    pages = _section(report.render(review), "Pages")
    assert "### Changed: HBM explained (`docs/hbm-explained.md`)" in pages
    assert "- …HBM explained An AI accelerator is only **ever** as fast as the memory that feeds it…" in pages
    assert "~~its memory.~~ **the memory that feeds it (see the glossary). Why**" in pages
    assert "- **New links:** `/glossary/#hbm`" in pages and "- **New anchors:** `#why`" in pages
    assert "card text" not in pages


def test_text_from_a_pull_request_cannot_become_markup():
    assert text("[click](javascript:alert(1)) <img src=x>") == r"\[click\](javascript:alert(1)) \<img src=x\>"


def _seed_build(root: Path) -> None:
    """The built site's notebook outputs, so only the notebook the change affects runs again."""
    seed(root, paths.BUILD)


@pytest.mark.xdist_group("review")
def test_make_review_end_to_end_builds_both_sides(repo: Path, built_site: Path):
    _seed_build(repo)
    _change_value(repo)
    _edit(repo, "docs/hbm-explained.md", "An AI accelerator is only as fast", "An AI accelerator is only ever as fast")
    _commit(repo, "A value and a sentence")
    env = {k: v for k, v in bench_scale.os.environ.items() if not k.startswith("CHIPSITE_")}
    env.update(PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")

    done = subprocess.run(
        [sys.executable, "-m", "chipsite.review", "--base", "HEAD~1"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )

    assert done.returncode == 0, done.stderr[-4000:]
    markdown = (repo / "build" / "review" / "report.md").read_text(encoding="utf-8")
    assert done.stdout.startswith(markdown.splitlines()[0]), "the report is printed"
    assert "**Value:** 50% → 48%" in markdown
    charts = _section(markdown, "Charts")
    assert f"(`{CHART}`)" in charts and "What changed: data" in charts
    for picture in (f"{CHART}.before.png", f"{CHART}.after.png"):
        assert (repo / "build" / "review" / "charts" / picture).read_bytes().startswith(b"\x89PNG")
    assert f"`{FACT}`: value 50.0 → 48.0" in charts
    pages = _section(markdown, "Pages")
    assert "only **ever** as fast" in pages
    assert "TrendForce put SK hynix at ~~50%,~~ **48%,**" in pages
    # The contributor's tree is untouched and the temporary worktree is gone.
    assert _git(repo, "status", "--porcelain") == ""
    assert len(_git(repo, "worktree", "list").splitlines()) == 1


def test_seeding_leaves_behind_the_charts_of_notebooks_that_differ(tmp_path):
    """A chart a pull request adds to a notebook must not appear in the base's build as if it had
    been there all along (the base runs that notebook again and draws only its own charts)."""
    from chipsite.review import build

    head, base = tmp_path / "head", tmp_path / "base"
    for root in (head, base):
        (root / "notebooks").mkdir(parents=True)
    (head / "notebooks" / "same.ipynb").write_text("{}")
    (base / "notebooks" / "same.ipynb").write_text("{}")
    (head / "notebooks" / "changed.ipynb").write_text('{"cells": ["new chart"]}')
    (base / "notebooks" / "changed.ipynb").write_text("{}")
    charts = head / "build" / "charts"
    charts.mkdir(parents=True)
    for chart in ("kept-chart", "new-chart"):
        for suffix in (".meta.json", ".narrow.tips.json", ".png"):
            (charts / f"{chart}{suffix}").write_text("x")
    manifest = {"same": {"charts": ["kept-chart"]}, "changed": {"charts": ["new-chart"]}}
    (head / "build" / "notebooks.json").write_text(json.dumps(manifest))
    build.seed(base, head / "build")
    seeded = sorted(p.name for p in (base / "build" / "charts").iterdir())
    assert seeded == ["kept-chart.meta.json", "kept-chart.narrow.tips.json", "kept-chart.png"]


def test_a_fact_nobody_has_read_a_second_time_is_a_caution():
    from chipsite.facts import load
    from chipsite.review.cautions import unread
    from chipsite.review.facts_diff import FactChange

    fact = next(iter(load().facts.values()))
    fresh = fact.model_copy(update={"checked": None})
    found = unread([FactChange(fact.id, "added", None, fresh), FactChange(fact.id, "changed", fact, fact)])
    assert [(c.kind, c.subject) for c in found] == [("not yet read a second time", fact.id)]
