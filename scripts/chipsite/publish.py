"""Writes the fact base as downloads: facts.csv, sources.csv, datapackage.json and a README.txt.

The CSVs are flat views of the YAML records (one row each, sorted as in the files); the Data
Package describes both with field types and descriptions (it also drives the site's data
dictionary). It does not validate: callers load the fact base first.

No text cell of a published CSV can start a spreadsheet formula. The validator already refuses
text starting with = + - @ (schema.FORMULA_START); `safe_cells` is the second lock, following
OWASP's advice on CSV injection: such a text cell gets a leading apostrophe. Numbers are left
alone, so a negative number stays a number.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import memo, paths
from .facts import FACT_COLUMNS, FactBase
from .schema import FORMULA_START
from .vocab import SOURCE_KINDS, STATUSES, TOPICS, UNITS

if TYPE_CHECKING:  # imported where frames are made: a build that makes none never loads pandas
    import pandas as pd

DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

FACT_FIELDS = [
    ("id", "string", "Stable identifier of the fact (slug)."),
    ("topic", "string", f"Topic: one of {', '.join(TOPICS)}."),
    ("claim", "string", "The fact in one sentence, in the site's words."),
    ("value", "number", "Numeric value; for a range, the midpoint (see value_low and value_high)."),
    ("value_low", "number", "Low end of the value (equals value when it is not a range)."),
    ("value_high", "number", "High end of the value (equals value when it is not a range)."),
    ("value_text", "string", "The value when it is a date (ISO) or a short text."),
    ("unit", "string", f"Unit id: one of {', '.join(UNITS)}."),
    ("unit_label", "string", "How the unit is written on the site."),
    (
        "period",
        "string",
        "Period or date the value refers to: 2024, 2024-Q3, 2024-H1, 2024-05, 2024-05-17 or start/end.",
    ),
    ("metric", "string", "What kind of measure, where it matters (e.g. revenue_share vs shipment_share)."),
    ("status", "string", "; ".join(f"{k}: {v}" for k, v in STATUSES.items()) + "."),
    ("series", "string", "The plotted series the fact belongs to, if any."),
    ("entity", "string", "What a series point is about (company, product, region)."),
    ("source_id", "string", "Identifier of the source in sources.csv."),
    ("excerpt", "string", "At most 30 words quoted from the source that support the value."),
    ("notes", "string", "Caveats and context."),
]
SOURCE_FIELDS = [
    ("id", "string", "Stable identifier of the source (slug)."),
    ("publisher", "string", "Who published the page that was read (in Latin letters, as the charts name it)."),
    (
        "publisher_native",
        "string",
        "The publisher's name in its own script, where it is not written in Latin letters.",
    ),
    (
        "original_producer",
        "string",
        "Who produced the figure, when the publisher reports someone else's (e.g. TrendForce).",
    ),
    ("title", "string", "Title of the page."),
    ("url", "string", "Address of the page."),
    ("published", "string", "Publication date (ISO; month or year when only that is known)."),
    ("accessed", "date", "Date the page was read for this site."),
    ("kind", "string", "; ".join(f"{k}: {v}" for k, v in SOURCE_KINDS.items()) + "."),
    ("archive_url", "string", "An archived copy, if any."),
    ("notes", "string", "Notes on the source."),
]

README = """# Chips, memory and OpenAI: the fact base

Every number on the site, with its source.

- `facts.csv`: one row per fact ({facts} rows). Each row names its `source_id`.
- `sources.csv`: one row per source ({sources} rows).
- `datapackage.json`: a Frictionless Data Package describing both files, field by field.

License: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Cite as: Chips, memory and
OpenAI, fact base, version of {accessed}, with the site's address. Excerpts quoted from sources
remain the property of their publishers and are quoted for verification.
"""


def neutralise(cell):
    """A text cell that a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(neutralise)


def sources_frame(fb: FactBase) -> pd.DataFrame:
    import pandas as pd

    rows = [{**s.model_dump(mode="json"), "url": str(s.url)} for s in fb.sources.values()]
    return pd.DataFrame(rows).reindex(columns=[name for name, _, _ in SOURCE_FIELDS])


def datapackage(fb: FactBase) -> dict:
    def schema(fields, key):
        return {"fields": [{"name": n, "type": t, "description": d} for n, t, d in fields], "primaryKey": key}

    facts_schema = schema(FACT_FIELDS, "id")
    facts_schema["foreignKeys"] = [{"fields": "source_id", "reference": {"resource": "sources", "fields": "id"}}]
    newest = max(s.accessed for s in fb.sources.values()).isoformat()
    return {
        "name": "chipsite-facts",
        "title": "Chips, memory and OpenAI: fact base",
        "description": "Sourced facts on OpenAI's AI-chip strategy, HBM and chip-supply concentration.",
        "version": newest,
        "licenses": [DATA_LICENCE],
        "resources": [
            {
                "name": "facts",
                "path": "facts.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": facts_schema,
            },
            {
                "name": "sources",
                "path": "sources.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(SOURCE_FIELDS, "id"),
            },
        ],
    }


NAMES = ["facts.csv", "sources.csv", "datapackage.json", "README.txt"]


def write(fb: FactBase, out_dir: Path = paths.BUILD / "data") -> list[Path]:
    """The fact base's downloads; left as they are when written from the same fact base by this code
    (making them loaded pandas and took half a second of every build process)."""
    stamp = paths.BUILD / "cache" / "published" / memo.key(str(out_dir.resolve()))[:16]
    made_from = memo.key(fb.digest, Path(__file__).read_bytes()) if fb.digest else ""
    files = [out_dir / name for name in NAMES]
    if made_from and stamp.is_file() and stamp.read_text() == made_from and all(p.is_file() for p in files):
        return files
    out_dir.mkdir(parents=True, exist_ok=True)
    facts = fb.frame().reindex(columns=FACT_COLUMNS)
    written = {
        "facts.csv": safe_cells(facts).to_csv(index=False, lineterminator="\n"),
        "sources.csv": safe_cells(sources_frame(fb)).to_csv(index=False, lineterminator="\n"),
        "datapackage.json": json.dumps(datapackage(fb), indent=1) + "\n",
        "README.txt": README.format(
            facts=len(facts), sources=len(fb.sources), accessed=max(s.accessed for s in fb.sources.values()).isoformat()
        ),
    }
    for name, text in written.items():
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    if made_from:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(made_from)
    return files
