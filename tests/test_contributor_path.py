"""Where first contributions stumbled, each kept fixed: `make lint` says how to fix what it finds, and
CONTRIBUTING.md asks for what the pull-request form asks for (the CHANGELOG line).

Also tested elsewhere: "did you mean" for a mistyped fact id on a page (test_pages.py), a source id
or a metric (test_fact_desk.py); raw HTML in pages (test_page_html.py); one unit per series
(test_fact_desk.py); an error while previewing (test_serve.py); hooks offline (test_precommit.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from checkout import env, make_checkout
from chipsite import paths


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return make_checkout(tmp_path_factory.mktemp("lint"))


def _lint(root: Path) -> subprocess.CompletedProcess:
    # -o: the environment is this one (linked), never re-created from the lock.
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "lint"],
        cwd=root,
        env=env(root),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_lint_passes_then_says_how_to_fix_formatting_and_spelling(checkout: Path):
    assert _lint(checkout).returncode == 0

    module = checkout / "scripts" / "chipsite" / "badly_formatted.py"
    module.write_text('def f( a ):\n    return {"a":a}\n', encoding="utf-8")
    result = _lint(checkout)
    assert result.returncode != 0
    assert "Fix it with: .venv/bin/ruff format scripts tests notebooks" in result.stdout + result.stderr
    module.unlink()

    page = checkout / "docs" / "glossary.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good + "\nThe colour of the chart.\n", encoding="utf-8")
    result = _lint(checkout)
    page.write_text(good, encoding="utf-8")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"docs/glossary\.md:\d+: colour ==> color", out), out[-2000:]
    assert "Fix spelling as shown (American English" in out


def test_contributing_asks_for_the_changelog_line_the_pull_request_form_asks_for():
    template = (paths.ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    contributing = (paths.ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    changelog = (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    asked = [line for line in template.splitlines() if "CHANGELOG.md" in line]
    assert asked and '"Unreleased"' in asked[0], "the form asks for a CHANGELOG line under Unreleased"
    section = contributing.split("## Pull requests", 1)[1].split("\n## ", 1)[0]
    assert "`CHANGELOG.md`" in section and '"Unreleased"' in section and "anything a reader would notice" in section
    assert "anything a reader would notice" in asked[0], "the form and the guide say the same"
    assert "## [Unreleased]" in changelog, "the section both point to exists"
