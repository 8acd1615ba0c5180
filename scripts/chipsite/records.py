"""Reads YAML record files strictly and remembers the line of every record and field.

Strict means a file reads the way a reviewer reads it: a key written twice is an error (not "the
last one wins"), scalars follow the YAML 1.2 core schema (so `3:1` stays text instead of becoming
181, and dates stay text until the schema checks them), anchors, aliases and tags other than the
plain ones are refused, and bytes that are not UTF-8 are reported with their line. A UTF-8 byte
order mark and Windows line ends are accepted.

Problems are collected, never raised one by one, so a contributor sees every mistake in one run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import BaseResolver

from . import memo

# A data file is a few hundred kilobytes; anything far larger is a mistake or an attack on the build.
MAX_FILE_BYTES = 2_000_000


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


_PLAIN_ID = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


@dataclass
class RawRecord:
    path: str
    line: int
    data: dict[str, Any]
    field_lines: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The record's id, or where it starts when the id is not a plain word (it may be anything)."""
        rid = self.data.get("id")
        return rid if isinstance(rid, str) and _PLAIN_ID.match(rid) else f"record #{self.line}"

    def line_of(self, name: str | None) -> int:
        return self.field_lines.get(name or "", self.line)


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class LoadError(Exception):
    """A problem found while reading, with the 1-based line it is on (and its record and field)."""

    def __init__(self, line: int | None, message: str, record: str | None = None, field: str | None = None):
        self.line = line
        self.message = message
        self.record = record
        self.field = field
        super().__init__(message)


def _line(mark) -> int | None:
    return mark.line + 1 if mark is not None else None


# --- YAML 1.2 core schema ---------------------------------------------------------------------------
# PyYAML implements YAML 1.1, where `yes` is true, `3:1` is the base-60 number 181, `0123` is octal,
# `1_000` is a thousand and `2024-02-30` is a date (or a crash). Here only the core schema's plain
# forms are typed; everything else is text, and the schema decides what text may be.

_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


class CoreResolver(BaseResolver):
    yaml_implicit_resolvers: dict = {}


for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:bool", _BOOL, "tTfF"),
    ("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", _INT, "-+0123456789"),
    ("tag:yaml.org,2002:float", _FLOAT, "-+.0123456789"),
    ("tag:yaml.org,2002:float", _SPECIAL_FLOAT, "-+."),
]:
    CoreResolver.add_implicit_resolver(_tag, _pattern, list(_first))


class StrictConstructor(SafeConstructor):
    yaml_constructors: dict = {}

    def construct_strict_int(self, node) -> int:
        text = self.construct_scalar(node)
        if not _INT.match(text):
            raise LoadError(_line(node.start_mark), f"{text!r} is not a whole number (write digits, e.g. 12)")
        return int(text)

    def construct_strict_float(self, node) -> float:
        text = self.construct_scalar(node)
        if _SPECIAL_FLOAT.match(text):
            return math.nan if "nan" in text.lower() else (-math.inf if text.startswith("-") else math.inf)
        if not _FLOAT.match(text):
            raise LoadError(_line(node.start_mark), f"{text!r} is not a number (write digits, e.g. 12.5)")
        return float(text)

    def construct_strict_bool(self, node) -> bool:
        text = self.construct_scalar(node)
        if not _BOOL.match(text):
            raise LoadError(_line(node.start_mark), f"{text!r} is not true or false (remove the tag)")
        return text.lower() == "true"

    def construct_mapping(self, node, deep=False) -> dict:
        if not isinstance(node, yaml.MappingNode):
            raise LoadError(_line(node.start_mark), "expected a mapping of fields")
        mapping: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise LoadError(_line(key_node.start_mark), "a field name must be a plain word (write 'name: value')")
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                key = key_node.value  # `2024: x` names a field "2024"; the schema reports it as unknown
            line = _line(key_node.start_mark)
            if key in mapping:
                raise LoadError(
                    line,
                    f"written twice in one record, first at line {first_line[key]} "
                    "(keep one; a reviewer reads the first, YAML would keep the last)",
                    record=_record_id(node),
                    field=str(key)[:80],
                )
            first_line[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_strict_map(self, node):
        data: dict = {}
        yield data
        data.update(self.construct_mapping(node))

    def construct_refused(self, node):
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise LoadError(
            _line(node.start_mark),
            f"the tag {tag!r} is not allowed (remove it; write plain text, numbers, lists and mappings)",
        )


for _tag, _method in [
    ("tag:yaml.org,2002:null", SafeConstructor.construct_yaml_null),
    ("tag:yaml.org,2002:bool", StrictConstructor.construct_strict_bool),
    ("tag:yaml.org,2002:int", StrictConstructor.construct_strict_int),
    ("tag:yaml.org,2002:float", StrictConstructor.construct_strict_float),
    ("tag:yaml.org,2002:str", SafeConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:seq", SafeConstructor.construct_yaml_seq),
    ("tag:yaml.org,2002:map", StrictConstructor.construct_strict_map),
    (None, StrictConstructor.construct_refused),
]:
    StrictConstructor.add_constructor(_tag, _method)


# libyaml's parser is about ten times faster and keeps line marks; fall back to pure Python without it.
if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class StrictLoader(CParser, StrictConstructor, CoreResolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            StrictConstructor.__init__(self)
            CoreResolver.__init__(self)

else:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class StrictLoader(Reader, Scanner, Parser, Composer, StrictConstructor, CoreResolver):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            StrictConstructor.__init__(self)
            CoreResolver.__init__(self)


def _record_id(node) -> str | None:
    """The id written in a mapping node, to name the record in a message about it."""
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
            return value.value if _PLAIN_ID.match(value.value) else None
    return None


def _refuse_aliases(root) -> None:
    """An alias makes one place in the file silently repeat another: write values out instead."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise LoadError(
                _line(node.start_mark),
                "anchors and aliases (&name, *name) are not allowed (write the value out in full)",
            )
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def decode(raw: bytes) -> str:
    """UTF-8 text of a file (a leading byte order mark is dropped), or LoadError with the line."""
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(
            None, f"file is {len(raw):,} bytes; at most {MAX_FILE_BYTES:,} (split it, or shorten the notes)"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise LoadError(
            line,
            f"byte 0x{raw[err.start]:02x} at column {column} is not UTF-8 "
            "(save the file as UTF-8; most editors offer it under 'Save with encoding')",
        ) from None


def parse(path: Path) -> tuple[Any, Any]:
    """(root node, data) of one YAML document, or LoadError naming the line."""
    return parse_text(decode(path.read_bytes()))


def parse_text(text: str) -> tuple[Any, Any]:
    """(root node, data) of one YAML document's text, or LoadError naming the line."""
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _refuse_aliases(root)
        return root, loader.construct_document(root)
    except yaml.reader.ReaderError as err:
        line = text.encode("utf-8")[: err.position].count(b"\n") + 1
        code = err.character if isinstance(err.character, int) else ord(err.character)
        raise LoadError(line, f"control character U+{code:04X} is not allowed (delete it)") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise LoadError(
            _line(mark),
            f"YAML syntax error: {reason} (check indentation, colons and quotes near this line)",
        ) from None
    except RecursionError:
        raise LoadError(None, "the YAML is nested too deeply (records are one level of fields)") from None
    finally:
        loader.dispose()


def read_document(path: Path) -> tuple[Any, Any, list[Problem]]:
    """(root node, data, problems) for a file; on a problem, node and data are None."""
    shown = display_path(path)
    if not path.is_file():
        return None, None, [Problem(shown, None, None, None, "file is missing (restore it from git, or create it)")]
    try:
        root, data = parse(path)
    except LoadError as err:
        return None, None, [Problem(shown, err.line, err.record, err.field, err.message)]
    if data is None:
        return None, None, [Problem(shown, None, None, None, "file is empty (add records, or delete the file)")]
    return root, data, []


def records_of(shown: str, node, items) -> tuple[list[RawRecord], list[Problem]]:
    """One RawRecord per mapping in a sequence node, with field lines; a problem for anything else."""
    records, problems = [], []
    for item_node, item in zip(node.value, items, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(
                Problem(shown, line, None, None, "a record must be a mapping of fields (write 'field: value' lines)")
            )
            continue
        lines = {key.value: key.start_mark.line + 1 for key, _ in item_node.value}
        records.append(RawRecord(shown, line, item, lines))
    return records, problems


# An item of a file's top-level list starts a line with "- " (or is a lone "-").
_ITEM_START = re.compile(r"^-(?:[ \t]|\r?$)", re.M)
_COMMENT_OR_BLANK = re.compile(r"[ \t]*(?:#.*)?\r?")
# Each record's text, as parsed before in this process: (line, data, field lines), lines counted from
# the record's first line. Only records that parsed without a problem are kept.
_parsed_records: dict[str, tuple[int, dict[str, Any], dict[str, int]]] = {}
_PARSED_AT_MOST = 200_000


def _parse_record(text: str) -> tuple[int, dict[str, Any], dict[str, int]] | None:
    try:
        root, data = parse_text(text)
    except LoadError:
        return None
    if not isinstance(data, list) or len(data) != 1:
        return None
    records, problems = records_of("", root, data)
    if problems:
        return None
    return records[0].line, records[0].data, records[0].field_lines


def _read_record_by_record(shown: str, text: str) -> list[RawRecord] | None:
    """The records of a file that is a plain list of records, each record's text parsed on its own
    and only once per process: under `make serve` an edit parses the record edited, not the whole
    file (a third of a second at ten times today's size). None when the file is not such a list,
    or any record has a problem: then the whole file is parsed and its problems reported as ever.

    A record read on its own reads as in the whole file: a record ends where a line starts a new
    item in column 0, which ends any block in it, and what could run on past that line (a quoted
    text, a bracketed list) leaves its own record unreadable on its own; anchors are refused."""
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if not starts or not all(_COMMENT_OR_BLANK.fullmatch(line) for line in text[: starts[0]].split("\n")[:-1]):
        return None
    if len(_parsed_records) > _PARSED_AT_MOST:
        _parsed_records.clear()
    records, lines_before, counted_to = [], 0, 0
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:end]
        parsed = _parsed_records.get(chunk)
        if parsed is None:
            parsed = _parse_record(chunk)
            if parsed is None:
                return None
            _parsed_records[chunk] = parsed
        lines_before += text.count("\n", counted_to, begin)
        counted_to = begin
        line, data, field_lines = parsed
        shifted = {name: at + lines_before for name, at in field_lines.items()}
        records.append(RawRecord(shown, line + lines_before, data, shifted))
    return records


def read_records(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Parse a YAML file holding a list of mappings (a file read before without problems is not
    parsed again, nor a record read before)."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
        cache_key = memo.key(shown, raw)
    except OSError:
        raw, cache_key = None, None  # read_document reports it
    if cache_key and (cached := memo.get("records", cache_key)) is not None:
        return cached, []
    try:
        records = _read_record_by_record(shown, decode(raw)) if raw is not None else None
    except LoadError:
        records = None  # read_document reports it
    if records is not None:
        if cache_key:
            memo.put("records", cache_key, records)
        return records, []
    root, data, problems = read_document(path)
    if problems:
        return [], problems
    if not isinstance(data, list):
        return [], [Problem(shown, 1, None, None, "expected a list of records (start each record with '- id: ...')")]
    records, problems = records_of(shown, root, data)
    if cache_key and not problems:
        memo.put("records", cache_key, records)
    return records, problems
