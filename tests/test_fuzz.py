"""Fuzzing the fact base: Hypothesis mutates real records, field by field.

1. Every invalid mutation (a non-finite number, a duplicate key, a Latin-1 byte, a date that does
   not exist, a list where a name belongs, a formula, a hidden character, a refused host, ...) makes
   the validator exit non-zero with a `file:line: ...` message on the mutated record, and never a
   traceback.
2. Every valid mutation (any text a contributor may write, any finite number in range) goes
   through the build's data steps (loading, derived numbers, downloads, tables, shortcodes on every
   page) without an exception.

The base is a copy of data/ whose source policy keeps only the hosts no current source breaks, so
the copy is valid and the policy can still be fuzzed.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from chipsite import derived, paths, publish, validate
from chipsite.facts import load
from chipsite.policy import load_policy
from chipsite.records import display_path
from chipsite.schema import FORMULA_START
from chipsite.site import format as fmt
from chipsite.site import shortcodes, tables
from chipsite.vocab import UNITS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# About a minute together; CHIPSITE_FUZZ_EXAMPLES=2000 runs a longer hunt.
INVALID_EXAMPLES = int(os.environ.get("CHIPSITE_FUZZ_EXAMPLES", 150))
VALID_EXAMPLES = max(INVALID_EXAMPLES // 12, 10)
PARTS = 2  # each runs every docs page through the shortcodes
PROBLEM_LINE = re.compile(r"^\S+?(:\d+)?: .+\(.+\)$")

LIMITS = {"claim": 400, "excerpt": 400, "notes": 2000, "title": 300, "publisher": 120}
LIMITS |= {"original_producer": 120, "entity": 120, "id": 80, "source_id": 80, "metric": 80, "series": 80}
SOURCE_REQUIRED = {"id", "publisher", "title", "url", "published", "accessed", "kind"}
FACT_REQUIRED = {"id", "claim", "value", "unit", "period", "status", "source_id", "excerpt"}
TEXT_FIELDS = {"claim", "excerpt", "notes", "title", "publisher", "original_producer", "entity"}


@dataclass(frozen=True)
class Target:
    """One field of one record: where its key and value are in the file."""

    file: str  # relative to the data folder
    record_start: int  # 1-based first and last line of the record
    record_end: int
    field: str
    key_index: int  # character offsets in the file's text
    value_start: int
    value_end: int
    indent: int
    record: dict = field(repr=False)


def _targets(base: Path) -> list[Target]:
    found = []
    files = ["sources.yaml", "source_policy.yaml"] + [
        f"facts/{p.name}" for p in sorted((base / "facts").glob("*.yaml"))
    ]
    for rel in files:
        text = (base / rel).read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # pure Python: character offsets
        data = yaml.safe_load(text)
        if rel == "source_policy.yaml":
            pairs = dict((k.value, v) for k, v in root.value)
            items = list(zip(pairs["hosts"].value, data["hosts"], strict=True))
        else:
            items = list(zip(root.value, data, strict=True))
        for node, record in items:
            for key, value in node.value:
                found.append(
                    Target(
                        rel,
                        node.start_mark.line + 1,
                        node.end_mark.line + (0 if node.end_mark.column == 0 else 1),
                        key.value,
                        key.start_mark.index,
                        value.start_mark.index,
                        value.end_mark.index,
                        key.start_mark.column,
                        record,
                    )
                )
    return found


@pytest.fixture(scope="session")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(paths.DATA, folder)
    policy, _ = load_policy(folder)
    fb_urls = [r for r in yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))]
    broken = {policy.refusal(s["url"])[0] for s in fb_urls if policy.refusal(s["url"])}
    kept = [f"  - {{host: {h}, rule: {r}}}" for h, r in policy.hosts.items() if h not in broken]
    rules = [f"  {k}: {v}" for k, v in policy.rules.items()]
    (folder / "source_policy.yaml").write_text(
        "rules:\n" + "\n".join(rules) + "\nhosts:\n" + "\n".join(kept) + "\n", encoding="utf-8"
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert validate.main([str(folder)]) == 0, out.getvalue()
    return folder


@pytest.fixture(scope="session")
def targets(base: Path) -> list[Target]:
    return _targets(base)


@pytest.fixture(scope="session")
def refused_hosts(base: Path) -> list[str]:
    return list(load_policy(base)[0].hosts)


def _is_number_fact(record: dict) -> bool:
    return UNITS.get(record.get("unit"), ("",))[0] == "number"


def invalid_replacements(target: Target, refused: list[str]) -> list[str | bytes]:
    """Values that make this field invalid, whatever the rest of the record says."""
    name, record = target.field, target.record
    found: list[str | bytes] = ["[a, b]", "{x: 1}", "*undefined_alias", "!!binary aGk=", '"x\\a"', b"caf\xe9"]
    found += ['"=HYPERLINK(\\"https://example.org\\")"', '"@SUM(1)"', '"x\\u202Ey"']
    if name in LIMITS:
        found.append('"' + "x" * (LIMITS[name] + 1) + '"')
    if name in ("id", "source_id", "metric", "series", "rule"):
        found += ['"Not A Slug"', "tsmc-share"]
    if name == "source_id":
        found.append("nowhere_to_be_found")
    if name == "host":
        found += ['"https://example.org/"', '"Example.ORG"']
    if name == "rule":
        found.append("not_a_listed_rule")
    if name in ("status", "kind", "unit"):
        found.append("rumoured")
    if name in ("url", "archive_url"):
        found += ["javascript:alert(1)", '"https://exa mple.org/x"', "ftp://example.org/x", "example.org/page"]
        found += ["https://user@example.org/x", '"https://"', "https://localhost/x"]
        if name == "url" and refused:
            found.append(f"https://www.{refused[0]}/item")
    if name in ("published", "accessed"):
        found += ["2024-02-30", "2024-13-01", "2999-01-01", "24-01-01", "2024/01/02", "yesterday"]
    if name == "accessed":
        found += ["2024-05", "20240102"]
    if name == "period":
        found += ["2024-13", "2024-Q5", "2024-02-30", "2025/2024", "3:1", "early 2022", "2024-H3"]
        if record.get("status") == "actual":
            found.append('"2999"')
    if name == "excerpt":
        found.append(" ".join(["word"] * 31))
    if name == "value":
        found += ["true", "yes and no" if _is_number_fact(record) else "{low: 1, high: 2}"]
        if _is_number_fact(record):
            found += [".inf", "-.inf", ".nan", "1e400", "3:1", "1_000", '"12"', "{low: 5, high: .inf}"]
            found += ["{low: .nan, high: 5}", "{low: 10, high: 5}", "{low: 1}", "1e300"]
            if record.get("unit") == "percent":
                found += ["140", "-1"]
        if record.get("unit") == "date":
            found += ["2024-02-30", "2024-13-01", "12.5"]
            if record.get("status") == "actual":
                found.append("2999-01-01")
    return found


def _mutations(target: Target, refused: list[str]) -> list[tuple[str, str | bytes]]:
    """(kind, replacement) pairs: replace the value, add a duplicate key or an unknown one, remove."""
    found: list[tuple[str, str | bytes]] = [("replace", r) for r in invalid_replacements(target, refused)]
    found += [("duplicate", ""), ("unknown field", "")]
    required = {"sources.yaml": SOURCE_REQUIRED, "source_policy.yaml": {"host", "rule"}}.get(target.file, FACT_REQUIRED)
    if target.field in required:
        found.append(("remove", ""))
    return found


def apply(base: Path, folder: Path, target: Target, kind: str, replacement: str | bytes) -> None:
    shutil.copytree(base, folder)
    text = (base / target.file).read_text(encoding="utf-8")
    before, value, after = (
        text[: target.value_start],
        text[target.value_start : target.value_end],
        text[target.value_end :],
    )
    pad = "\n" + " " * target.indent
    if kind == "replace":
        if isinstance(replacement, bytes):
            raw = before.encode() + replacement + after.encode()
            (folder / target.file).write_bytes(raw)
            return
        new = before + replacement + after
    elif kind == "duplicate":
        new = before + value + pad + f"{target.field}: " + value.replace("\n", pad) + after
    elif kind == "unknown field":
        new = before + value + pad + "colour: blue" + after
    else:  # remove the key and its value
        new = _remove(text, target)
    (folder / target.file).write_text(new, encoding="utf-8")


def _remove(text: str, target: Target) -> str:
    start = target.key_index
    # Keep a record's "- " marker when the removed field is its first.
    end = target.value_end
    if text[end : end + 1] == "\n" and text[start - 2 : start] != "- ":
        end += 1
        start = text.rfind("\n", 0, start) + 1
    return text[:start] + text[end:]


def run_validator(folder: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = validate.main([str(folder)])
        except BaseException as crash:  # noqa: BLE001 - any escape is the failure this test looks for
            pytest.fail(f"validator raised {crash!r}")
    return code, out.getvalue() + err.getvalue()


@st.composite
def invalid_mutation(draw, targets: list[Target], refused: list[str]):
    target = targets[draw(st.sampled_from(range(len(targets))))]
    kind, replacement = draw(st.sampled_from(_mutations(target, refused)))
    return target, kind, replacement


# The examples are shared out over parts (each draws its own), which workers take in parallel.
@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"part{part + 1}of{PARTS}")
@settings(
    max_examples=INVALID_EXAMPLES // PARTS,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_invalid_mutations_are_located_never_a_traceback(base, targets, refused_hosts, data, part):
    target, kind, replacement = data.draw(invalid_mutation(targets, refused_hosts))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        apply(base, folder, target, kind, replacement)
        code, output = run_validator(folder)
    case = f"{target.file}:{target.record_start} {target.field} {kind} {replacement!r}"
    assert code != 0, f"accepted: {case}"
    assert "Traceback" not in output, f"{case}\n{output}"
    shown = display_path(folder / target.file)
    located = [
        int(m.group(1)) for line in output.splitlines() if (m := re.match(rf"^{re.escape(shown)}:(\d+): ", line))
    ]
    assert any(target.record_start <= n <= target.record_end + 1 for n in located), (
        f"no problem located in lines {target.record_start}-{target.record_end} for {case}:\n{output}"
    )
    for line in output.splitlines()[:-1]:  # the last line is the summary on stderr
        assert PROBLEM_LINE.match(line), f"{case}: {line}"


# --- valid mutations ------------------------------------------------------------------------------

SAFE_TEXT = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"),
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(lambda t: t and not t.startswith(FORMULA_START))
)


def _yaml_scalar(value) -> str:
    return yaml.safe_dump(value, default_style='"', width=10_000).strip().removesuffix("...").strip()


@st.composite
def valid_mutation(draw, targets: list[Target]):
    """A field changed to another value the validator accepts: any text, any in-range number."""
    candidates = [
        t
        for t in targets
        if t.file.startswith("facts/")
        and (t.field in TEXT_FIELDS or (t.field == "value" and _is_number_fact(t.record)))
        or (t.file == "sources.yaml" and t.field in TEXT_FIELDS)
    ]
    target = candidates[draw(st.sampled_from(range(len(candidates))))]
    if target.field == "value":
        high = 100 if target.record.get("unit") == "percent" else 1e12
        low = 0 if target.record.get("unit") == "percent" else -1e6
        number = draw(st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False))
        if isinstance(target.record.get("value"), dict) and draw(st.booleans()):
            other = draw(st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False))
            return target, f"{{low: {min(number, other)!r}, high: {max(number, other)!r}}}"
        return target, repr(number)
    return target, _yaml_scalar(draw(SAFE_TEXT))


def build_data_steps(folder: Path, out: Path) -> None:
    """What the build does with the fact base before Markdown: every step that reads fact text."""
    fb = load(folder)
    derived.check_all(fb)
    publish.write(fb, out)
    for table in tables.TABLES.values():
        table(fb, "../sources/")
    for fact in fb.facts.values():
        for style in ("", "plain"):
            fmt.value(fact, style)
    for page in sorted(paths.DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        stash = shortcodes.Stash()
        expanded = shortcodes.expand_facts(text, fb, page.name, "../sources/", shortcodes.PageUse(), stash=stash)
        stash.restore(expanded, page.name)


@settings(
    max_examples=VALID_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_valid_mutations_build_without_an_exception(base, targets, data):
    target, replacement = data.draw(valid_mutation(targets))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        apply(base, folder, target, "replace", replacement)
        code, output = run_validator(folder)
        if code != 0:  # e.g. a new number breaks a breakdown's total: a located message, as above
            assert "Traceback" not in output and PROBLEM_LINE.match(output.splitlines()[0]), output
            return
        build_data_steps(folder, Path(tmp) / "out")
