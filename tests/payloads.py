"""A copy of the real fact base with an attack planted in every text field of every record.

Each payload calls `xss(n)`, which the browser test defines to record that a script ran; the
Markdown and `javascript:` payloads would become live links if text were ever read as markup.
Payloads are appended (so ids, series and the start of every text stay as they are), kept within
the validator's limits, and rotated so that every field carries every kind across the records. A
fact's own words (claim, notes, text value) take only the payloads the validator lets through: it
refuses link and HTML markup there (chipsite.markup), so the rest could never reach a page.
"""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import yaml
from chipsite import markup
from chipsite.checks import PLAIN_WORDS
from chipsite.records import parse

PAYLOADS = [
    "<script>xss(1)</script>",
    "<img src=x onerror=xss(2)>",
    "[link](javascript:xss(3))",
    '" onmouseover="xss(4)" x="',
    "' onfocus='xss(5)' autofocus x='",
    '<a href="javascript:xss(6)">a</a>',
    "javascript:xss(7)",
    "<svg/onload=xss(8)>",
    '![i](x" onerror="xss(9))',
    "<details open ontoggle=xss(10)>",
    "<<b>x</b>> &lt;script&gt;xss(11)&lt;/script&gt;",
    "[x]: javascript:xss(12) [x]",
]

# What still passes the validator in a fact's own words: attribute break-outs, bare `javascript:`.
ADMITTED = [p for p in PAYLOADS if markup.find(f"Text {p}") is None]

SOURCE_TEXT = ["publisher", "title", "original_producer", "notes"]
FACT_TEXT = ["claim", "excerpt", "entity", "notes"]
EXCERPT_WORDS = 12  # real words kept in front of the payload, under the 30-word limit


def _planted(text: str, index: int, payloads: list[str] = PAYLOADS) -> str:
    return f"{text} {payloads[index % len(payloads)]}"


def _entity_payload(entity: str) -> str:
    # The same entity gets the same payload everywhere, so charts still group its points together.
    return _planted(entity, zlib.crc32(entity.encode()))


def _dump(records: list[dict], path: Path) -> None:
    path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")


def plant(data: Path, out: Path) -> Path:
    """Write a copy of `data` into `out` with payloads in every text field; return `out`."""
    shutil.copytree(data, out)
    # This copy tests text handling; the source policy has its own tests.
    (out / "source_policy.yaml").write_text("rules:\n  forum: discussion forums\nhosts: []\n", encoding="utf-8")
    _, sources = parse(out / "sources.yaml")
    for i, source in enumerate(sources):
        for offset, name in enumerate(SOURCE_TEXT):
            if name in source:
                source[name] = _planted(source[name], i + offset)
    _dump(sources, out / "sources.yaml")
    count = 0
    for path in sorted((out / "facts").glob("*.yaml")):
        _, facts = parse(path)
        for fact in facts:
            count += 1
            for offset, name in enumerate(FACT_TEXT):
                if name not in fact:
                    continue
                if name == "entity":
                    fact[name] = _entity_payload(fact[name])
                elif name == "excerpt":
                    words = fact[name].split()
                    fact[name] = _planted(" ".join(words[:EXCERPT_WORDS]), count + offset)
                    if len(words) > EXCERPT_WORDS:  # the cut may drop the number: the record says so
                        fact.setdefault("value_read_from", "words")
                else:
                    fact[name] = _planted(fact[name], count + offset, ADMITTED if name in PLAIN_WORDS else PAYLOADS)
            if fact.get("unit") == "text":
                fact["value"] = _planted(fact["value"], count + 7, ADMITTED)
        _dump(facts, path)
    return out
