"""The corrections log: real bad files are refused with located messages, and the page matches the log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from chipsite import corrections

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_project_log_is_valid_and_the_page_is_generated_from_it():
    known = corrections.known_fact_ids(ROOT / "data")
    entries, problems = corrections.load(ROOT / "data" / "corrections.yaml", known)
    assert problems == []
    assert entries, "the log should not be empty"
    page = (ROOT / "docs" / "corrections.md").read_text(encoding="utf-8")
    assert page == corrections.render(entries), "docs/corrections.md is stale: run python -m chipsite.corrections --write"


def test_unknown_fact_future_date_and_unknown_kind_are_reported(tmp_path):
    path = _write(
        tmp_path,
        """corrections:
- date: 2026-01-02
  ids: [no_such_fact]
  kind: source
  what: Source replaced.
  why: A forum.
- date: 2099-01-01
  ids: [real_fact]
  kind: correction
  what: Value fixed.
  why: Typo.
- date: 2026-01-02
  ids: [real_fact]
  kind: rumour
  what: x
  why: y
""",
    )
    entries, problems = corrections.load(path, {"real_fact"}, today=dt.date(2026, 11, 30))
    text = "\n".join(problems)
    assert "entry 1: ids: 'no_such_fact' is not in the fact base" in text
    assert "entry 2: date: 2099-01-01 is in the future" in text
    assert "entry 3: kind:" in text
    assert len(entries) == 2


def test_removed_facts_may_be_named_but_must_be_ids(tmp_path):
    path = _write(
        tmp_path,
        """corrections:
- date: 2026-01-02
  ids: [gone_fact, "Not An Id"]
  kind: removal
  what: Removed.
  why: Weak source.
""",
    )
    _, problems = corrections.load(path, set(), today=dt.date(2026, 11, 30))
    assert problems == [f"{path}: entry 1: ids: 'Not An Id' is not a fact id or page name"]


def test_log_text_is_escaped_not_rendered(tmp_path):
    path = _write(
        tmp_path,
        """corrections:
- date: 2026-01-02
  ids: [real_fact]
  kind: correction
  what: "<script>alert(1)</script> and **bold** [link](http://x)"
  why: "A | pipe"
""",
    )
    entries, problems = corrections.load(path, {"real_fact"}, today=dt.date(2026, 11, 30))
    assert problems == []
    page = corrections.render(entries)
    assert "<script>" not in page
    assert "**bold**" not in page and "[link](http://x)" not in page
    assert "\\*\\*bold\\*\\*" in page


def test_check_mode_fails_on_a_hand_edited_page(tmp_path):
    data = tmp_path / "data"
    (data / "facts").mkdir(parents=True)
    (data / "facts" / "t.yaml").write_text("- id: real_fact\n", encoding="utf-8")
    (data / "corrections.yaml").write_text(
        "corrections:\n- date: 2026-01-02\n  ids: [real_fact]\n  kind: correction\n  what: a\n  why: b\n",
        encoding="utf-8",
    )
    page = tmp_path / "corrections.md"
    assert corrections.main(["--data", str(data), "--page", str(page), "--write"]) == 0
    assert corrections.main(["--data", str(data), "--page", str(page), "--check"]) == 0
    page.write_text(page.read_text(encoding="utf-8") + "\nTyped by hand.\n", encoding="utf-8")
    assert corrections.main(["--data", str(data), "--page", str(page), "--check"]) == 1
