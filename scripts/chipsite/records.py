"""Reads YAML record files and remembers the line of every record and field.

Problems are collected, never raised one by one, so a contributor sees every mistake in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        parts = [where]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts + [self.message])


@dataclass
class RawRecord:
    path: str
    line: int
    data: dict[str, Any]
    field_lines: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        rid = self.data.get("id")
        return str(rid) if isinstance(rid, str) and rid else f"record #{self.line}"

    def line_of(self, name: str | None) -> int:
        return self.field_lines.get(name or "", self.line)


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# libyaml's loader is about ten times faster and keeps line marks; fall back to pure Python without it.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_records(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Parse a YAML file holding a list of mappings."""
    shown = display_path(path)
    if not path.is_file():
        return [], [Problem(shown, None, None, None, "file is missing (restore it from git, or create it)")]
    text = path.read_text(encoding="utf-8")
    loader = FAST_LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        return [], [
            Problem(
                shown,
                line,
                None,
                None,
                f"YAML syntax error: {reason} (check indentation, colons and quotes near this line)",
            )
        ]
    finally:
        loader.dispose()
    if data is None:
        return [], [Problem(shown, None, None, None, "file is empty (add records, or delete the file)")]
    if not isinstance(data, list):
        return [], [Problem(shown, 1, None, None, "expected a list of records (start each record with '- id: ...')")]
    records, problems = [], []
    for node, item in zip(root.value, data, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(
                Problem(shown, line, None, None, "a record must be a mapping of fields (write 'field: value' lines)")
            )
            continue
        lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
        records.append(RawRecord(shown, line, item, lines))
    return records, problems
