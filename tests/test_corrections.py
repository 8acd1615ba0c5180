"""The corrections log: real bad files are refused with located messages, and the page matches the log."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from html import escape as html_escape
from pathlib import Path

import pytest
from chipsite import corrections

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_project_log_is_valid_and_the_page_is_built_from_it():
    known = corrections.known_fact_ids(ROOT / "data")
    entries, problems = corrections.load(ROOT / "data" / "corrections.yaml", known)
    assert problems == []
    assert entries, "the log should not be empty"
    html = corrections.page_table(ROOT / "data")
    # Every entry is listed, at least once (under each page that shows its facts), in words: no ids.
    assert html.count("<li>") >= len(entries)
    for entry in entries:
        assert html_escape(entry.what) in html
    assert "<code>" not in html
    page = (ROOT / "docs" / "corrections.md").read_text(encoding="utf-8")
    assert "{table: corrections}" in page


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
    assert problems == [
        f"{path}:3: entry 1: ids: 'Not An Id' is not a fact id or page name (write the id or the page's file stem)"
    ]


def test_log_text_is_escaped_not_rendered(tmp_path):
    path = _write(
        tmp_path,
        """corrections:
- date: 2026-01-02
  ids: [real_fact]
  kind: correction
  what: "<script>alert(1)</script> and <b>bold</b>"
  why: "A & B"
""",
    )
    entries, problems = corrections.load(path, {"real_fact"}, today=dt.date(2026, 11, 30))
    assert problems == []
    html = corrections.render_html(entries)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B" in html


def test_an_invalid_log_stops_the_page_with_the_located_problem(tmp_path):
    data = tmp_path / "data"
    (data / "facts").mkdir(parents=True)
    (data / "facts" / "t.yaml").write_text("- id: real_fact\n", encoding="utf-8")
    (data / "corrections.yaml").write_text(
        "corrections:\n- date: 2026-01-02\n  ids: [typo_fact]\n  kind: correction\n  what: a\n  why: b\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="entry 1: ids: 'typo_fact' is not in the fact base"):
        corrections.page_table(data)
    assert corrections.main([str(data)]) == 1


def test_a_duplicate_key_in_the_log_is_a_located_error(tmp_path):
    path = _write(
        tmp_path,
        "corrections:\n- date: 2026-01-02\n  ids: [real_fact]\n  kind: correction\n  what: a\n  what: b\n  why: c\n",
    )
    entries, problems = corrections.load(path, {"real_fact"}, today=dt.date(2026, 11, 30))
    assert entries == []
    assert len(problems) == 1 and problems[0].startswith(f"{path}:6: ") and "written twice" in problems[0]


def test_make_validate_checks_the_log(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid", data)
    (data / "corrections.yaml").write_text(
        "corrections:\n- date: 2026-01-02\n  ids: [typo_fact]\n  kind: correction\n  what: a\n  why: b\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "chipsite.validate", str(data)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 1
    assert "corrections.yaml:3: entry 1: ids: 'typo_fact' is not in the fact base" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
