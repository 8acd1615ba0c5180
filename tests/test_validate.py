"""The validator, fed a valid fixture and a catalogue of broken copies of it.

Each case breaks one thing in a copy of tests/fixtures/valid, runs `make validate DATA=<copy>`
as a contributor would, and checks the exit code and that the message names the file, the record
(line or id) and the field, without a traceback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from chipsite import paths
from chipsite.facts import DataError, load

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
SOURCES = "sources.yaml"
MARKET = "facts/hbm_market.yaml"
TECH = "facts/hbm_technology.yaml"


def validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "validate", f"DATA={folder}"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def replace(path: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        target = root / path
        text = target.read_text()
        assert old in text, f"fixture changed: {old!r} not in {path}"
        target.write_text(text.replace(old, new, count))

    return mutate


def append(path: str, text: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        with open(root / path, "a") as handle:
            handle.write(text)

    return mutate


def delete(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


def empty(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).write_text("")


EXTRA_POINT = """- id: hbm_share_sk_hynix_2023_again
  claim: A second copy of the same point.
  value: 50
  unit: percent
  period: 2023
  status: forecast
  metric: market_share
  series: hbm_supplier_share
  entity: SK hynix
  source_id: example_hbm_share_forecast
  excerpt: SK hynix is expected to hold 53% of the HBM market in 2023
"""


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Path], None]
    file: str
    where: str  # a line number or record id that must appear
    field: str | None
    words: str  # a fragment of the explanation


CASES = [
    Case(
        "dangling source id",
        replace(
            MARKET,
            "source_id: example_hbm_share_forecast\n  excerpt: followed",
            "source_id: nowhere_to_be_found\n  excerpt: followed",
        ),
        MARKET,
        "hbm_share_samsung_2023_forecast",
        "source_id",
        "not in sources.yaml",
    ),
    Case(
        "duplicate id",
        replace(TECH, "- id: hbm3_standard_name", "- id: hbm3_bandwidth_per_stack"),
        TECH,
        "hbm3_bandwidth_per_stack",
        "id",
        "duplicate id",
    ),
    Case(
        "bad slug",
        replace(TECH, "- id: hbm3_standard_name", "- id: HBM3-Standard Name"),
        TECH,
        "HBM3-Standard Name",
        "id",
        "lowercase",
    ),
    Case(
        "text where a number belongs",
        replace(MARKET, "value: 53\n", "value: fifty-three\n"),
        MARKET,
        "hbm_share_sk_hynix_2023_forecast",
        "value",
        "not a number",
    ),
    Case(
        "share of 140",
        replace(MARKET, "value: 38\n", "value: 140\n"),
        MARKET,
        "hbm_share_samsung_2023_forecast",
        "value",
        "outside 0-100",
    ),
    Case(
        "future date",
        replace(SOURCES, "accessed: 2026-11-28", "accessed: 2999-01-01"),
        SOURCES,
        "example_hbm_share_forecast",
        "accessed",
        "in the future",
    ),
    Case(
        "malformed URL",
        replace(SOURCES, "url: https://example.org/hbm3-standard", "url: example dot org"),
        SOURCES,
        "example_hbm3_spec",
        "url",
        "URL",
    ),
    Case(
        "missing excerpt",
        replace(MARKET, "  excerpt: and Micron at 8-10%\n", ""),
        MARKET,
        "hbm_share_micron_2023_forecast",
        "excerpt",
        "is missing",
    ),
    Case(
        "unknown unit",
        replace(TECH, "unit: gb_per_s", "unit: gigabytes_per_second"),
        TECH,
        "hbm3_bandwidth_per_stack",
        "unit",
        "not a known unit",
    ),
    Case(
        "unknown status",
        replace(TECH, "status: actual", "status: rumoured"),
        TECH,
        "hbm3_standard_published",
        "status",
        "actual",
    ),
    Case(
        "duplicate series point",
        append(MARKET, EXTRA_POINT),
        MARKET,
        "hbm_share_sk_hynix_2023_again",
        "period",
        "same series/entity/metric/period/source",
    ),
    Case(
        "breakdown over 100", replace(MARKET, "value: 38\n", "value: 60\n"), MARKET, "hbm_share", "value", "add up to"
    ),
    Case("YAML syntax error", replace(TECH, "  unit: text\n", "  unit: [text\n"), TECH, ":", None, "YAML syntax error"),
    Case("empty file", empty(TECH), TECH, TECH, None, "file is empty"),
    Case("missing sources file", delete(SOURCES), SOURCES, SOURCES, None, "file is missing"),
    Case(
        "excerpt too long",
        replace(MARKET, "excerpt: and Micron at 8-10%", "excerpt: " + "word " * 31),
        MARKET,
        "hbm_share_micron_2023_forecast",
        "excerpt",
        "at most 30",
    ),
    Case(
        "range upside down",
        replace(MARKET, "{low: 8, high: 10}", "{low: 10, high: 8}"),
        MARKET,
        "hbm_share_micron_2023_forecast",
        "value",
        "above high",
    ),
    Case(
        "unknown field",
        replace(TECH, "  status: actual\n", "  status: actual\n  colour: blue\n"),
        TECH,
        "hbm3_standard_published",
        "colour",
        "not a known field",
    ),
    Case(
        "source cited by nothing",
        append(
            SOURCES,
            """- id: example_unused
  publisher: Example
  title: Unused
  url: https://example.org/unused
  published: 2024
  accessed: 2026-01-02
  kind: news
""",
        ),
        SOURCES,
        "example_unused",
        "id",
        "no fact cites",
    ),
    Case(
        "relayed figure without producer",
        replace(SOURCES, "  original_producer: TrendForce\n", ""),
        SOURCES,
        "example_hbm_share_forecast",
        "original_producer",
        "required",
    ),
    Case(
        "actual for a future period",
        replace(TECH, "  period: 2022-01\n  status: actual\n  series", "  period: 2999-01\n  status: actual\n  series"),
        TECH,
        "hbm3_bandwidth_per_stack",
        "status",
        "has not started",
    ),
    Case(
        "reported target for a period ended before the report",
        replace(MARKET, "period: 2023\n  status: forecast", "period: 2022\n  status: reported_target"),
        MARKET,
        "hbm_share_sk_hynix_2023_forecast",
        "status",
        "had ended before",
    ),
    Case(
        "unknown topic file",
        lambda root: (root / MARKET).rename(root / "facts/hbm_gossip.yaml"),
        "facts/hbm_gossip.yaml",
        "hbm_gossip.yaml",
        None,
        "unknown topic",
    ),
    Case(
        "bad period",
        replace(
            TECH,
            "period: 2022-01\n  status: actual\n  source_id: example_hbm3_spec\n  excerpt: HBM3 (",
            "period: early 2022\n  status: actual\n  source_id: example_hbm3_spec\n  excerpt: HBM3 (",
        ),
        TECH,
        "hbm3_standard_name",
        "period",
        "not a period",
    ),
    Case(
        "second value in one record",
        replace(MARKET, "  value: 53\n", "  value: 53\n  unit: percent\n  value: 35\n"),
        MARKET,
        ":6:",
        "value",
        "written twice",
    ),
    Case("base-60 number", replace(MARKET, "value: 53\n", "value: 3:1\n"), MARKET, ":4:", "value", "not a number"),
    Case("infinite value", replace(MARKET, "value: 53\n", "value: .inf\n"), MARKET, ":4:", "value", "not a finite"),
    Case("not a number value", replace(MARKET, "value: 53\n", "value: .nan\n"), MARKET, ":4:", "value", "finite"),
    Case(
        "infinite end of a range",
        replace(MARKET, "{low: 8, high: 10}", "{low: 8, high: .inf}"),
        MARKET,
        ":26:",
        "value",
        "not a finite",
    ),
    Case(
        "Latin-1 byte",
        lambda root: (root / MARKET).write_bytes(
            (root / MARKET).read_bytes().replace(b"SK hynix is expected", b"SK hynix est pr\xe9vu")
        ),
        MARKET,
        ":12:",
        None,
        "not UTF-8",
    ),
    Case(
        "date that does not exist",
        replace(TECH, "value: 2022-01-27", "value: 2022-02-30"),
        TECH,
        "hbm3_standard_published",
        "value",
        "not a real calendar date",
    ),
    Case(
        "month 13",
        replace(
            TECH, "  period: 2022-01\n  status: actual\n  source_id", "  period: 2024-13\n  status: actual\n  source_id"
        ),
        TECH,
        "hbm3_standard_published",
        "period",
        "not a real period",
    ),
    Case(
        "actual date in the future",
        replace(TECH, "value: 2022-01-27", "value: 2999-01-27"),
        TECH,
        "hbm3_standard_published",
        "status",
        "in the future",
    ),
    Case(
        "list where an id belongs",
        replace(MARKET, "source_id: example_hbm_share_forecast\n  excerpt: SK", "source_id: [a, b]\n  excerpt: SK"),
        MARKET,
        "hbm_share_sk_hynix_2023_forecast",
        "source_id",
        "valid string",
    ),
    Case(
        "URL with a space",
        replace(SOURCES, "url: https://example.org/hbm3-standard", "url: https://example.org/hbm3 standard"),
        SOURCES,
        "example_hbm3_spec",
        "url",
        "contains a space",
    ),
    Case(
        "javascript URL",
        replace(SOURCES, "url: https://example.org/hbm3-standard", "url: javascript:alert(1)"),
        SOURCES,
        "example_hbm3_spec",
        "url",
        "not http(s)",
    ),
    Case(
        "huge notes",
        replace(SOURCES, "  kind: spec\n", "  kind: spec\n  notes: " + "x" * 5000 + "\n"),
        SOURCES,
        "example_hbm3_spec",
        "notes",
        "at most 2000",
    ),
    Case(
        "formula in a claim",
        replace(TECH, "claim: The HBM3 standard allows", "claim: =HYPERLINK(1) The HBM3 standard allows"),
        TECH,
        "hbm3_bandwidth_per_stack",
        "claim",
        "formula",
    ),
    Case(
        "hidden bidirectional control",
        replace(TECH, "claim: The HBM3 standard allows", "claim: The HBM3 \u202estandard allows"),
        TECH,
        "hbm3_bandwidth_per_stack",
        "claim",
        "U+202E",
    ),
    Case(
        "Markdown link in a claim",
        replace(
            TECH,
            "claim: The HBM3 standard allows",
            "claim: The [HBM3 standard](https://example.org/jesd238) allows",
        ),
        TECH,
        ":11:",
        "claim",
        "contains a Markdown link, but the site shows this text as typed, never as a link or markup (write plain "
        "words; the address belongs in the fact's source record, 'example_hbm3_spec' in sources.yaml",
    ),
    Case(
        "HTML in a claim",
        replace(TECH, "claim: The HBM3 standard allows", "claim: The <b>HBM3</b> standard allows"),
        TECH,
        "hbm3_bandwidth_per_stack",
        "claim",
        "contains HTML <b>",
    ),
    Case(
        "HTML link in notes",
        replace(TECH, "  entity: HBM3\n", '  entity: HBM3\n  notes: See <a href="https://example.org">the spec</a>.\n'),
        TECH,
        "hbm3_bandwidth_per_stack",
        "notes",
        "contains HTML <a>",
    ),
    Case(
        "alias",
        replace(
            MARKET,
            "  metric: market_share\n  series: hbm_supplier_share\n  entity: Samsung",
            "  metric: &m market_share\n  series: hbm_supplier_share\n  entity: *m",
        ),
        MARKET,
        ":19:",
        None,
        "aliases",
    ),
    Case(
        "publisher in Chinese characters",
        replace(SOURCES, "publisher: Example Trade Press", "publisher: 工商時報"),
        SOURCES,
        "example_hbm_share_forecast",
        "publisher",
        "empty boxes where a reader's fonts lack it (write the name in Latin letters",
    ),
    Case(
        "entity in Korean letters",
        replace(MARKET, "  entity: Samsung", "  entity: 삼성전자"),
        MARKET,
        "hbm_share_samsung_2023_forecast",
        "entity",
        "U+C0BC",
    ),
    Case(
        "refused host",
        replace(SOURCES, "url: https://example.org/hbm3-standard", "url: https://www.reddit.com/r/hardware/hbm3"),
        SOURCES,
        "example_hbm3_spec",
        "url",
        "host reddit.com is not admitted as a source: rule forum",
    ),
]


@pytest.fixture
def broken(tmp_path: Path):
    def make(case: Case) -> Path:
        folder = tmp_path / "data"
        shutil.copytree(FIXTURE, folder)
        case.mutate(folder)
        return folder

    return make


def test_fixture_is_valid():
    result = validate(FIXTURE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^ok: 6 facts .* citing 2 sources", result.stdout, re.M)


def test_a_reported_target_for_a_period_to_come_is_valid(broken):
    """The rule above refuses only targets for periods already over: an aim reported in April 2023
    for the year 2023 passes."""
    target = replace(MARKET, "period: 2023\n  status: forecast", "period: 2023\n  status: reported_target")
    result = validate(broken(Case("target", target, "", "", None, "")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_real_data_is_valid():
    result = validate(paths.DATA)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")


def test_catalogue_is_large_enough():
    assert len({c.name for c in CASES}) >= 40


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_broken_copy_is_reported(case: Case, broken):
    folder = broken(case)
    result = validate(folder)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    lines = [line for line in result.stdout.splitlines() if case.file in line and case.where in line]
    assert lines, f"no line names {case.file} and {case.where}:\n{out}"
    line = next((ln for ln in lines if case.words in ln), None)
    assert line, f"no line explains {case.words!r}:\n{out}"
    if case.field:
        assert f": {case.field}: " in line, line
    # Every problem line follows <file>:<line>: ... and ends with a fix in parentheses.
    for problem in result.stdout.splitlines():
        assert re.match(r"^\S+?(:\d+)?: .+\(.+\)$", problem), problem


def test_every_problem_in_one_run(broken):
    def two_mistakes(root: Path) -> None:
        CASES[3].mutate(root)
        CASES[8].mutate(root)

    folder = broken(Case("two", two_mistakes, "", "", None, ""))
    result = validate(folder)
    assert "not a number" in result.stdout and "not a known unit" in result.stdout


def test_missing_folder_is_reported(tmp_path: Path):
    result = validate(tmp_path / "nope")
    assert result.returncode != 0
    assert "data folder not found" in result.stdout


def test_loader_round_trip():
    fb = load(FIXTURE)
    assert list(fb.facts) == [
        "hbm_share_sk_hynix_2023_forecast",
        "hbm_share_samsung_2023_forecast",
        "hbm_share_micron_2023_forecast",
        "hbm3_standard_published",
        "hbm3_bandwidth_per_stack",
        "hbm3_standard_name",
    ]
    micron = fb.fact("hbm_share_micron_2023_forecast")
    assert (micron.low, micron.high, micron.topic, micron.entity) == (8, 10, "hbm_market", "Micron")
    assert fb.fact("hbm3_standard_published").value.isoformat() == "2022-01-27"
    assert fb.fact("hbm3_standard_name").value == "JESD238"
    assert fb.source_of(micron).original_producer == "TrendForce"
    frame = fb.series("hbm_supplier_share")
    assert list(frame["entity"]) == ["SK hynix", "Samsung", "Micron"]
    assert list(frame["value"]) == [53, 38, 9]
    assert set(frame["source_producer"]) == {"TrendForce"}
    assert [f.id for f in fb.select(topic="hbm_technology", unit="date")] == ["hbm3_standard_published"]
    assert fb.last_checked(["hbm3_standard_name"]).isoformat() == "2026-11-28"


def test_loader_raises_with_every_problem(broken):
    folder = broken(CASES[0])
    with pytest.raises(DataError) as caught:
        load(folder)
    assert "nowhere_to_be_found" in str(caught.value)
    assert all(p.path.endswith("hbm_market.yaml") for p in caught.value.problems)


def test_unreadable_file_does_not_cascade(broken):
    """A syntax error in one fact file must not make its sources look unused."""
    folder = broken(next(c for c in CASES if c.name == "YAML syntax error"))
    result = validate(folder)
    problems = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(problems) == 1 and "YAML syntax error" in problems[0], problems


# --- source policy -------------------------------------------------------------------------------

POLICY = """rules:
  forum: discussion forums and community boards, where anyone can post
hosts:
  - {host: reddit.com, rule: forum}
"""


def test_policy_matches_whole_host_names_only(broken):
    """notreddit.com is not reddit.com; old.reddit.com is."""
    folder = broken(Case("x", lambda root: (root / "source_policy.yaml").write_text(POLICY), "", "", None, ""))
    sources = folder / SOURCES
    text = sources.read_text()
    sources.write_text(text.replace("https://example.org/hbm3-standard", "https://notreddit.com/hbm3"))
    assert validate(folder).returncode == 0
    sources.write_text(text.replace("https://example.org/hbm3-standard", "https://old.reddit.com/r/x"))
    result = validate(folder)
    assert result.returncode != 0
    assert re.search(
        r"sources\.yaml:15: example_hbm3_spec: url: host reddit\.com is not admitted .*rule forum", result.stdout
    )
    assert "cite the original producer, or a wire, newspaper or trade press of record" in result.stdout


@pytest.mark.parametrize(
    "policy, line, words",
    [
        (POLICY.replace("rule: forum}", "rule: gossip}"), 4, "'gossip' is not a rule"),
        (POLICY.replace("host: reddit.com", "host: https://reddit.com/"), 4, "String should match pattern"),
        (POLICY + "  - {host: reddit.com, rule: forum}\n", 5, "listed twice"),
        (POLICY.replace("rules:\n  forum:", "rules:\n  Forum Rule:"), 2, "slug id"),
        (POLICY + "extra: 1\n", 5, "is not a known field"),
        (POLICY + "  - {host: a.org, rule: forum, rule: forum}\n", 5, "written twice"),
        ("hosts: []\n", None, "rules: is missing"),
    ],
)
def test_broken_policy_is_reported_with_its_line(broken, policy, line, words):
    folder = broken(Case("x", lambda root: (root / "source_policy.yaml").write_text(policy), "", "", None, ""))
    result = validate(folder)
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    where = f"source_policy.yaml:{line}: " if line else "source_policy.yaml: "
    assert any(where in ln and words in ln for ln in result.stdout.splitlines()), result.stdout


def test_project_policy_applies_to_a_folder_without_one(broken):
    folder = broken(next(c for c in CASES if c.name == "refused host"))
    assert not (folder / "source_policy.yaml").exists()
    assert "data/source_policy.yaml" in validate(folder).stdout


# --- strict reading ------------------------------------------------------------------------------


def test_bom_and_windows_line_ends_still_read(broken):
    def windows(root: Path) -> None:
        for path in [root / SOURCES, root / MARKET, root / TECH]:
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))

    result = validate(broken(Case("windows", windows, "", "", None, "")))
    assert result.returncode == 0, result.stdout


def test_text_that_yaml_1_1_would_change_stays_text(broken):
    """`yes`, 3:1, 1_000 and 0x10 are words here; a text value keeps exactly what was written."""
    folder = broken(Case("x", lambda root: None, "", "", None, ""))
    original = (folder / TECH).read_text()
    for written in ["3:1 yes 0x10", "yes", "1_000", "2024-01-02"]:
        (folder / TECH).write_text(original.replace("value: JESD238", f"value: {written}"))
        assert load(folder).fact("hbm3_standard_name").value == written


RECORD_BY_RECORD = {
    "comments and blank lines": "# a file comment\n\n- id: a\n  claim: one\n# between\n\n- id: b\n  claim: two\n",
    "a quoted text running past a new item": '- id: a\n  claim: "one\n- id: b"\n- id: c\n  claim: three\n',
    "a bracketed list running past a new item": "- id: a\n  tags: [x,\n- y]\n- id: b\n  claim: two\n",
    "a block text ended by a new item": "- id: a\n  notes: |\n    line one\n    line two\n- id: b\n  claim: two\n",
    "Windows line ends": "- id: a\r\n  claim: one\r\n-\r\n  id: b\r\n  claim: two\r\n",
    "an anchor used in the next record": "- id: a\n  claim: &c one\n- id: b\n  claim: *c\n",
    "a document marker": "---\n- id: a\n  claim: one\n",
}
# Texts not read record by record: the whole file is parsed (and reports its problems as ever).
RUNS_ON = {k for k in RECORD_BY_RECORD if k.startswith(("a quoted", "a bracketed", "an anchor", "a document"))}


@pytest.mark.parametrize("name", [*RECORD_BY_RECORD, "the fact base"])
def test_a_file_read_record_by_record_reads_as_the_whole_file(name: str, tmp_path: Path):
    """Under `make serve` a record is parsed on its own (records.py); it must read exactly as the
    whole file does: the same records, values and lines, and the same problems."""
    from chipsite import records

    if name == "the fact base":
        files = sorted(paths.DATA.rglob("*.yaml"))
    else:
        files = [tmp_path / "records.yaml"]
        files[0].write_bytes(RECORD_BY_RECORD[name].encode())
    for path in files:
        root, data, problems = records.read_document(path)
        whole = records.records_of(records.display_path(path), root, data) if isinstance(data, list) else None
        records._parsed_records.clear()
        for _ in range(2):  # parsed, then from the records parsed before
            read = records._read_record_by_record(records.display_path(path), records.decode(path.read_bytes()))
            assert read is None or (whole is not None and (read, []) == whole), path
        if name == "the fact base" and isinstance(data, list):
            assert read is not None, f"{path} is a plain list of records: it should be read record by record"
        if name in RUNS_ON:
            assert read is None, "what runs past a new item is read with the whole file"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("See [the standard](https://example.org/jesd238).", "a Markdown link"),
        ("A [link](javascript:alert(1)) with any address.", "a Markdown link"),
        ("An image ![chart](chart.png) here.", "a Markdown image"),
        ("An autolink <https://example.org> here.", "a Markdown autolink <...>"),
        ("[x]: https://example.org", "a Markdown link definition [label]: address"),
        ("Bold <b>HBM3</b> text.", "HTML <b>"),
        ("A tag <svg/onload=alert(1)> a browser reads.", "HTML <svg>"),
        ("A comment <!-- hidden --> here.", "HTML <!-- -->"),
        # Plain text, kept: brackets, comparisons, bare addresses and entities are not markup.
        ("TSMC held [...] 67.1% of revenue.", None),
        ("Below <5% and a < b, a > c.", None),
        ("The page https://example.org says so.", None),
        ("It said &lt;b&gt; literally.", None),
    ],
)
def test_markup_in_own_words_is_found(text: str, found: str | None):
    from chipsite import markup

    assert markup.find(text) == found


def test_planted_payloads_in_own_words_are_the_ones_the_validator_admits():
    """The planted-attack copy must stay valid: its claims carry only payloads that are not markup."""
    from payloads import ADMITTED, PAYLOADS

    refused = [p for p in PAYLOADS if p not in ADMITTED]
    assert len(ADMITTED) >= 4 and len(refused) >= 6, (ADMITTED, refused)
