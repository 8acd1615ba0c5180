"""The pre-commit hooks work offline: every hook is local and runs a tool from the project's
environment, a run in a fresh clone with no network passes, and a bad file fails with a message.

Before, two hooks came from GitHub repositories that pre-commit downloads on first use, so a machine
that could not reach GitHub could not commit at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from checkout import env, git, make_checkout
from chipsite import file_checks, paths

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
# Any connection through these fails at once: a hook that downloads anything fails the run.
NO_NETWORK = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "all_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "no_proxy": "",
    "GIT_TERMINAL_PROMPT": "0",
}


def test_every_hook_is_local_and_runs_from_the_environment():
    config = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "a hook from another repository needs the network"
    for hook in config["repos"][0]["hooks"]:
        assert hook["language"] == "system", hook["id"]
        assert hook["entry"].startswith(".venv/bin/"), f"{hook['id']}: runs a tool from the lock, in .venv/"


def test_contributing_sets_up_the_hooks_without_an_online_step():
    text = (paths.ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert ".venv/bin/pre-commit install" in text
    assert "online" not in text.lower() and "SKIP=" not in text


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    return make_checkout(tmp_path_factory.mktemp("precommit"))


def _pre_commit(root: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--color=never", *args],
        cwd=root,
        env=env(root, **NO_NETWORK, PRE_COMMIT_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_run_over_every_file_passes_offline(clone: Path, tmp_path: Path):
    result = _pre_commit(clone, tmp_path / "home", "--all-files")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Passed" in result.stdout
    # Nothing was cloned into pre-commit's store: it only holds its own bookkeeping.
    assert not [p for p in (tmp_path / "home").iterdir() if p.is_dir()], list((tmp_path / "home").iterdir())


def test_bad_files_fail_with_a_message_and_are_fixed(clone: Path, tmp_path: Path):
    page = clone / "docs" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + "A line with trailing spaces.   \n", encoding="utf-8")
    notebook_path = clone / "notebooks" / "foundry.ipynb"
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    code = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 3
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["left over from a run\n"]}]
    notebook_path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    git(clone, "add", "docs/glossary.md", "notebooks/foundry.ipynb")

    result = _pre_commit(clone, tmp_path / "home", "--files", "docs/glossary.md", "notebooks/foundry.ipynb")
    assert result.returncode == 1, result.stdout
    line = page.read_text(encoding="utf-8").count("\n")
    assert f"docs/glossary.md:{line}: trailing whitespace" in result.stdout, result.stdout
    assert "notebooks stored without outputs" in result.stdout and "files were modified by this hook" in result.stdout
    assert page.read_text(encoding="utf-8").endswith("A line with trailing spaces.\n")
    assert "left over from a run" not in notebook_path.read_text(encoding="utf-8")


# --- The project's own file checks, directly --------------------------------------------------------


def test_file_checks_name_file_and_line(tmp_path: Path):
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("a: 1\nb: [2\n", encoding="utf-8")
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("[x]\na = 1\nb = \n", encoding="utf-8")
    conflict = tmp_path / "page.md"
    conflict.write_text("text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n", encoding="utf-8")
    no_end = tmp_path / "no_end.txt"
    no_end.write_text("one\ntwo", encoding="utf-8")

    assert file_checks.check_yaml(bad_yaml)[0].startswith(f"{bad_yaml}:3: YAML does not parse")
    assert file_checks.check_toml(bad_toml)[0].startswith(f"{bad_toml}:3: TOML does not parse")
    assert [p.split(": ")[0] for p in file_checks.check_merge_conflict(conflict)] == [f"{conflict}:2", f"{conflict}:6"]
    assert file_checks.fix_end_of_file(no_end) and no_end.read_text() == "one\ntwo\n"
    assert file_checks.fix_end_of_file(no_end) == []
    assert file_checks.main(["large-file", "--max-kb=0", str(no_end)]) == 1
    assert file_checks.main(["yaml", str(paths.ROOT / "data" / "sources.yaml")]) == 0
