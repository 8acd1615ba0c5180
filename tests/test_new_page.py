"""The page scaffold: any title gives valid YAML in the page and the nav, the page passes every page
check once its template sentences are replaced, and a page that still has them fails the build
with a message saying what to replace."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from chipsite import new_page, paths
from chipsite.facts import load
from chipsite.site import placeholders, shortcodes
from chipsite.site.hooks import ALLOWED_NUMBER_PHRASES
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import yaml_load

CONFIG = (paths.ROOT / "mkdocs.yml").read_text()
STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})

# Titles that broke the scaffold or could: YAML syntax, Markdown syntax, HTML, unicode, YAML keywords.
TITLES = [
    "Power and data centres",
    "HBM: the bottleneck",
    'The "sold out" claim',
    "It's complicated: 'single' and \"double\" quotes",
    "C# and #hashtags #",
    "Ünïcode — chips, naïveté and 半导体",
    "R&D <b>not bold</b> {braces} [brackets] *stars* _under_ `code`",
    "- starts like a list item: and ends with a colon:",
    "yes",
    "null",
]


def fill_in(text: str, fact_id: str) -> str:
    """What a contributor does next: replace every template sentence with real text."""
    return (
        text.replace(
            placeholders.DESCRIPTION,
            "How much power the data centres behind AI chips draw, and what that means for supply.",
        )
        .replace(placeholders.TAKEAWAY, f"One plan reaches {{fact: {fact_id}}}.")
        .replace(placeholders.SECOND_TAKEAWAY, "Plans are not built capacity.")
        .replace(placeholders.BODY, "Short paragraphs for a curious reader.")
    )


def front_matter(text: str) -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, text[:200]
    strict = yaml.safe_load(match.group(1))  # MkDocs would silently drop front matter that does not parse
    _, meta = get_data(text)
    assert meta == strict
    return meta


@pytest.fixture(scope="module")
def fb():
    return load()


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """docs/ and mkdocs.yml copied; the rest linked, so a build of the copy is a build of the site."""
    shutil.copytree(paths.DOCS, tmp_path / "docs")
    shutil.copy(paths.ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for name in ("scripts", "data", "notebooks"):
        (tmp_path / name).symlink_to(paths.ROOT / name)
    return tmp_path


def test_page_goes_before_the_timeline():
    updated = new_page.add_to_nav(CONFIG, "Power and data centres", "power-and-data-centres.md", None)
    nav = updated[updated.index("\nnav:") :]
    assert nav.index("- Power and data centres: power-and-data-centres.md") < nav.index("- Timeline: timeline.md")
    assert updated.count("power-and-data-centres.md") == 1


def test_page_goes_into_a_named_section():
    updated = new_page.add_to_nav(CONFIG, "Export rules", "export-rules.md", "Reference")
    section = updated[updated.index("  - Reference:") :]
    assert section.splitlines()[1].strip() == "- Export rules: export-rules.md"


def test_unknown_section_is_refused():
    with pytest.raises(new_page.ScaffoldError, match="no nav section 'Nowhere'"):
        new_page.add_to_nav(CONFIG, "X", "x.md", "Nowhere")


def test_template_passes_the_page_checks():
    text = new_page.render("Power and data centres")
    assert shortcodes.hand_typed_numbers(text, ALLOWED_NUMBER_PHRASES) == []
    shortcodes.expand_facts(text, load(), "power-and-data-centres.md", "", shortcodes.PageUse())
    assert new_page.slugify("Power & data centres!") == "power-data-centres"


@pytest.mark.parametrize("title", TITLES)
def test_any_title_gives_valid_yaml_and_passes_the_page_checks(title: str, site_copy: Path, fb):
    page = new_page.scaffold(title, None, None, site_copy / "docs", site_copy / "mkdocs.yml")
    text = page.read_text(encoding="utf-8")

    meta = front_matter(text)
    assert html.unescape(meta["title"]) == title
    assert meta["description"] == placeholders.DESCRIPTION
    # The page's own heading shows the title literally once Markdown has read it.
    assert f"\n{new_page.heading(title)}\n" in text

    nav = yaml_load((site_copy / "mkdocs.yml").read_text())["nav"]
    old_nav = yaml_load(CONFIG)["nav"]
    added = [entry for entry in nav if entry not in old_nav]
    assert [{html.unescape(k): v for k, v in entry.items()} for entry in added] == [{title: page.name}]
    assert nav.index(added[0]) == old_nav.index({"Timeline": "timeline.md"})

    # As scaffolded: every template sentence is reported, each with what to write instead.
    problems = placeholders.find(text, page.name)
    assert len(problems) == len(placeholders.REPLACE_WITH), problems
    assert all(f"{page.name}:" in p and "(replace it with " in p for p in problems)

    # Filled in: the checks of tests/test_pages.py and of the build pass.
    done = fill_in(text, next(iter(fb.facts)))
    assert placeholders.find(done, page.name) == []
    assert re.search(r"^description: .{40,}", done, re.M)
    assert shortcodes.hand_typed_numbers(done, ALLOWED_NUMBER_PHRASES) == []
    body, _ = get_data(done)
    shortcodes.expand_facts(body, fb, page.name, "", shortcodes.PageUse())


@pytest.mark.parametrize(
    ("title", "slug", "message"),
    [
        ("  ", "", "give a title"),
        ("Why 90% of HBM is sold out", "", "types a number by hand: '90%'"),
        ("半导体", "", "cannot make a file name from '半导体' (add one: make new-page TITLE=... SLUG="),
        ("Power", "Power_Plants", "slug 'Power_Plants' must be lowercase"),
        ("HBM market", "hbm-market", "docs/hbm-market.md or docs/hbm-market/ already exists"),
        ("Methods", "", "docs/methods.md or docs/methods/ already exists"),
        ("Two\nlines", "", "one line of text"),
    ],
)
def test_unusable_title_or_slug_is_refused_with_the_fix(title, slug, message, site_copy, monkeypatch, capsys):
    monkeypatch.setattr(paths, "DOCS", site_copy / "docs")
    monkeypatch.setattr(paths, "ROOT", site_copy)
    before = (site_copy / "mkdocs.yml").read_text()
    assert new_page.main(["--title", title, "--slug", slug]) == 1
    assert message in capsys.readouterr().out
    assert (site_copy / "mkdocs.yml").read_text() == before


def test_title_without_latin_letters_works_with_a_slug(site_copy):
    page = new_page.scaffold("半导体", None, "semiconductors", site_copy / "docs", site_copy / "mkdocs.yml")
    assert page.name == "semiconductors.md"
    assert front_matter(page.read_text(encoding="utf-8"))["title"] == "半导体"


def test_scaffolded_pages_build_and_template_text_fails_the_build(site_copy: Path, built_site: Path, fb):
    """A strict build of the site with every title scaffolded: filled-in pages build and show their
    titles; the one page left as scaffolded stops the build, naming each sentence to replace.

    Needs `built_site` for its executed notebooks (build/, copied), so this build does not run them again."""
    pages = {}
    for title in TITLES:
        page = new_page.scaffold(title, None, None, site_copy / "docs", site_copy / "mkdocs.yml")
        page.write_text(fill_in(page.read_text(encoding="utf-8"), next(iter(fb.facts))), encoding="utf-8")
        pages[title] = page
    unfinished = new_page.scaffold("Not written yet", "Reference", None, site_copy / "docs", site_copy / "mkdocs.yml")

    # A copy of the executed notebooks: other tests read build/ while this build writes its own.
    # Not the caches (other tests' builds write them meanwhile) nor the benchmark's tools.
    shutil.copytree(paths.BUILD, site_copy / "build", ignore=shutil.ignore_patterns("cache", "bench-tools"))
    env = {**os.environ, "SITE_URL": "http://127.0.0.1:8000/", "CHIPSITE_BUILD": str(site_copy / "build")}
    env["CHIPSITE_JUPYTER_CACHE"] = str(site_copy / "build/mkdocs-jupyter")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(site_copy / "site")],
        cwd=site_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    log = result.stdout + result.stderr
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert result.returncode != 0
    assert f"Aborted with {len(placeholders.REPLACE_WITH)} warnings in strict mode" in log, log[-3000:]
    for placeholder in placeholders.REPLACE_WITH:
        assert any(f"{unfinished.name}:" in w and repr(placeholder) in w and "replace it with" in w for w in warnings)
    assert all(unfinished.name in w for w in warnings), warnings

    home = (site_copy / "site" / "index.html").read_text(encoding="utf-8")
    for title, page in pages.items():
        built = (site_copy / "site" / page.stem / "index.html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", built, re.S).group(1)
        # Straight quotes come out curly (the house style), as typographers set them.
        shown = html.unescape(re.sub(r"<[^>]+>", "", h1)).strip()
        assert shown.translate(STRAIGHT) == title.translate(STRAIGHT)
        assert f"<title>{html.escape(title, quote=False)} - " in built
        link = re.search(rf'<a href="{page.stem}/" class="md-nav__link">(.*?)</a>', home, re.S)
        assert link, f"{page.name} is not in the nav"
        assert html.unescape(re.sub(r"<[^>]+>", "", link.group(1))).strip() == title
