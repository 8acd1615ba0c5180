"""The page scaffold: it lands in the nav and builds without typed numbers or broken shortcodes."""

from __future__ import annotations

import pytest
from chipsite import new_page, paths
from chipsite.facts import load
from chipsite.site import shortcodes
from chipsite.site.hooks import ALLOWED_NUMBER_PHRASES

CONFIG = (paths.ROOT / "mkdocs.yml").read_text()


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
    with pytest.raises(SystemExit, match="no nav section 'Nowhere'"):
        new_page.add_to_nav(CONFIG, "X", "x.md", "Nowhere")


def test_template_passes_the_page_checks():
    text = new_page.TEMPLATE.format(title="Power and data centres")
    assert shortcodes.hand_typed_numbers(text, ALLOWED_NUMBER_PHRASES) == []
    shortcodes.expand_facts(text, load(), "power-and-data-centres.md", "", shortcodes.PageUse())
    assert new_page.slugify("Power & data centres!") == "power-data-centres"
