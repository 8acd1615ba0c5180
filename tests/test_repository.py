"""Repository hygiene: the lock matches its inputs, and builds are reproducible."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

from chipsite import paths
from packaging.requirements import Requirement

LOCK = paths.ROOT / "requirements/requirements.lock"
INPUT = paths.ROOT / "requirements/requirements.in"


def pins() -> dict[str, str]:
    return {
        m.group(1).lower().replace("_", "-"): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", LOCK.read_text(), re.M)
    }


def test_lock_satisfies_every_direct_requirement():
    locked = pins()
    stale = []
    for line in INPUT.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        req = Requirement(line)
        name = req.name.lower().replace("_", "-")
        if name not in locked or not req.specifier.contains(locked[name], prereleases=True):
            stale.append(f"{req} (locked: {locked.get(name, 'missing')})")
    assert not stale, "the lock is stale, run `make lock`: " + "; ".join(stale)


def test_lock_has_hashes_and_policy_pins():
    text = LOCK.read_text()
    assert text.count("--hash=sha256:") >= len(pins())
    locked = pins()
    assert locked["mkdocs"].startswith("1.") and locked["mkdocs-material"].startswith("9.")
    assert tuple(int(x) for x in locked["click"].split(".")[:2]) >= (8, 4)


def test_builds_are_reproducible(built_site: Path, clean_site: Path):
    """The shared site (built with build/'s notebook outputs) equals one built from empty folders."""
    comparison = filecmp.dircmp(built_site, clean_site)
    differing = []

    def walk(cmp, prefix=""):
        differing.extend(prefix + f for f in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differing.extend(prefix + f for f in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(comparison)
    assert len(list(built_site.rglob("*.html"))) > 20
    assert not differing, differing[:20]


# How the project's facts were gathered is the editors' business; readers and contributors see the
# sources themselves. Words about the tools, or paths of the machine the work was done on, are slips.
SLIPS = re.compile(r"/work/|/tmp/factcheck|stored pages?\b|stored cop(?:y|ies)\b|search tool|\bsubagent", re.I)


def test_no_workshop_paths_or_tool_words_in_data_or_pages():
    found = []
    for folder in (paths.DATA, paths.DOCS):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".md", ".html", ".css", ".js"):
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                    if SLIPS.search(line):
                        found.append(f"{path.relative_to(paths.ROOT)}:{number}: {SLIPS.search(line).group(0)!r}")
    assert not found, "\n".join(found)


def test_a_build_without_site_url_carries_the_published_address(monkeypatch):
    """Citations, embed codes, canonical links and the sitemap of a plain local build point readers to
    the published site, never to the machine that built it."""
    from mkdocs.config import load_config

    monkeypatch.delenv("SITE_URL", raising=False)
    config = load_config(str(paths.ROOT / "mkdocs.yml"))
    assert config.site_url.startswith("https://") and not re.search(r"127\.0\.0\.1|localhost", config.site_url)
    makefile = (paths.ROOT / "Makefile").read_text()
    assert 'SITE_URL="$${SITE_URL:-http://$(ADDR)/}" $(BIN)/mkdocs serve' in makefile
