"""The project is an installed package: `make setup` installs chipsite editable from pyproject.toml,
and the MkDocs hooks and the notebooks' kernel import it from there, with no path edits."""

from __future__ import annotations

import json
import site
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
from chipsite import paths
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

INIT = (paths.ROOT / "scripts/chipsite/__init__.py").resolve()
REPORT = "import chipsite, json, sys; print(json.dumps([chipsite.__file__, sys.executable]))"


def test_chipsite_is_installed_editable_from_this_checkout():
    dist = metadata.distribution("chipsite")
    direct = json.loads(dist.read_text("direct_url.json"))
    assert direct["dir_info"].get("editable") is True
    assert Path(direct["url"].removeprefix("file://")).resolve() == paths.ROOT.resolve()
    # The old way, a chipsite.pth written by the Makefile, is gone.
    assert not any((Path(d) / "chipsite.pth").exists() for d in site.getsitepackages())


def test_mkdocs_hooks_import_the_installed_package(tmp_path: Path):
    """Loaded as MkDocs loads hooks (by file path), in isolated mode, from another folder."""
    load = (
        "import importlib.util, json\n"
        f"spec = importlib.util.spec_from_file_location('site_hooks', {str(paths.ROOT / 'scripts/site_hooks.py')!r})\n"
        "hooks = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(hooks)\n"
        "import chipsite, sys\n"
        "print(json.dumps([chipsite.__file__, hooks.on_page_markdown.__module__, sys.path]))\n"
    )
    result = subprocess.run([sys.executable, "-I", "-c", load], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    where, module, path = json.loads(result.stdout)
    assert Path(where).resolve() == INIT
    assert module == "chipsite.site.hooks"
    assert str(paths.ROOT / "scripts") not in path[: path.index(next(p for p in path if "site-packages" in p))]


def test_notebook_kernel_imports_the_installed_package(tmp_path: Path):
    nb = new_notebook(cells=[new_code_cell(REPORT)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    where, executable = json.loads(nb.cells[0].outputs[0]["text"])
    assert Path(where).resolve() == INIT
    assert Path(executable).parent == Path(sys.executable).parent
    nbformat.validate(nb)
