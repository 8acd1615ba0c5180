"""Validates a data folder: each record against the schema, then the records against each other."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from pathlib import Path

from pydantic import ValidationError

from . import markup, schema
from .excerpt_numbers import missing_from_excerpt
from .periods import Period
from .policy import FIX as POLICY_FIX
from .policy import Policy, load_policy
from .records import Problem, RawRecord, display_path, read_records
from .schema import Fact, Metric, Source, shown
from .vocab import TOPICS

SHARE_TOLERANCE = 0.5  # percentage points of rounding allowed when shares of a breakdown add up

_HINTS = {
    "missing": "add the field",
    "extra_forbidden": "remove it, or check its spelling against data/README.md",
    "string_pattern_mismatch": "use lowercase letters, digits and single underscores, e.g. tsmc_share_2024_q4",
    "url_parsing": "write a full URL starting with https://",
    "url_scheme": "write a full URL starting with https://",
    "date_from_datetime_parsing": "write an ISO date, YYYY-MM-DD",
    "date_parsing": "write an ISO date, YYYY-MM-DD",
    "date_type": "write an ISO date, YYYY-MM-DD",
    "literal_error": "use one of the listed values",
    "string_type": "write text",
    "string_too_short": "write text",
    "string_too_long": "shorten it; detail belongs in notes, and the full text in the source",
    "finite_number": "write the figure itself, e.g. 12.5",
    "float_parsing": "write a number, e.g. 12.5",
    "float_type": "write a number, e.g. 12.5",
    "model_type": "write a mapping, e.g. {low: 10, high: 15}",
    "missing_keyword_argument": "add the field",
}


def _messages(err: ValidationError) -> list[tuple[str | None, str]]:
    """One (field, message) per field, in words a contributor can act on."""
    found: dict[str | None, str] = {}
    errors = err.errors()
    # A broken range fails every branch of the value union; its own message is the useful one.
    errors.sort(key=lambda e: not (e["loc"][:1] == ("value",) and e["type"] == "value_error"))
    for item in errors:
        loc = item["loc"]
        name = str(loc[0]) if loc else None
        text = item["msg"].removeprefix("Value error, ")
        if name is None:
            match = re.match(r"^(\w+): (.*)$", text, re.S)
            if match:
                name, text = match.groups()
        if name in found:
            continue
        if name == "value" and len(loc) > 1 and item["type"] != "value_error":
            text = "is not a value (write a number, a range {low: 10, high: 15}, an ISO date or text)"
        hint = _HINTS.get(item["type"])
        if item["type"] == "missing":
            text = "is missing"
        elif item["type"] == "extra_forbidden":
            text = "is not a known field"
        elif item["type"] == "string_pattern_mismatch":
            text = f"{shown(item.get('input'))} is not a slug"
        if hint and not text.endswith(")"):
            text = f"{text} ({hint})"
        if not text.endswith(")"):  # every message ends with what to do
            text = f"{text} (see the field's format in data/README.md)"
        found[name] = text
    return list(found.items())


# Records that passed validation in this process, by what their result depends on: the model,
# today's date (some checks compare with it), the extra fields and the record's own fields. Under
# `make serve` the fact base is checked again after every edit, and validating every record again
# was a good part of a data edit's time at ten times today's size. Records with a problem are not
# kept: every problem is reported on every check. The records are frozen, so sharing them is safe.
_passed: dict[tuple, Source | Fact | Metric] = {}
_PASSED_AT_MOST = 200_000


def _validate(raw: RawRecord, model: type[Source] | type[Fact] | type[Metric], problems: list[Problem], **extra):
    key = (model, schema.today(), repr(sorted(extra.items())), repr(raw.data))
    if (known := _passed.get(key)) is not None:
        return known
    try:
        record = model.model_validate({**raw.data, **extra})
    except ValidationError as err:
        for name, text in _messages(err):
            problems.append(Problem(raw.path, raw.line_of(name), raw.label, name, text))
        return None
    if len(_passed) >= _PASSED_AT_MOST:
        _passed.clear()
    _passed[key] = record
    return record


def fact_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "facts").glob("*.yaml"))


METRICS_FILE = "metrics.yaml"


def check(data_dir: Path) -> tuple[dict[str, Source], dict[str, Fact], list[Problem]]:
    """Every problem in the folder, plus the sources and facts that passed."""
    sources, facts, _metrics, problems = check_all(data_dir)
    return sources, facts, problems


def check_all(data_dir: Path) -> tuple[dict[str, Source], dict[str, Fact], dict[str, Metric], list[Problem]]:
    """Every problem in the folder, plus the records that passed (metrics too)."""
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    facts: dict[str, Fact] = {}
    metrics: dict[str, Metric] = {}
    where: dict[str, RawRecord] = {}

    policy, found = load_policy(data_dir)
    problems += found
    raw_sources, found = read_records(data_dir / "sources.yaml")
    problems += found
    raw_metrics: list[RawRecord] = []
    if (data_dir / METRICS_FILE).is_file():
        raw_metrics, found = read_records(data_dir / METRICS_FILE)
        problems += found
    files = fact_files(data_dir)
    if not files:
        problems.append(
            Problem(display_path(data_dir / "facts"), None, None, None, "no fact files (add data/facts/<topic>.yaml)")
        )
    raw_facts: list[tuple[str, RawRecord]] = []
    facts_complete = True  # false when a fact file could not be read: then no source looks unused
    for path in files:
        topic = path.stem
        if topic not in TOPICS:
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    None,
                    None,
                    f"unknown topic {topic!r} (name the file after one of: {', '.join(TOPICS)})",
                )
            )
            continue
        records, found = read_records(path)
        problems += found
        facts_complete = facts_complete and not found
        raw_facts += [(topic, r) for r in records]

    def claim_id(raw: RawRecord) -> bool:
        rid = raw.data.get("id")
        if isinstance(rid, str) and rid in where:
            first = where[rid]
            problems.append(
                Problem(
                    raw.path,
                    raw.line_of("id"),
                    rid,
                    "id",
                    f"duplicate id, first used at {first.path}:{first.line} (choose a new id)",
                )
            )
            return False
        if isinstance(rid, str):
            where[rid] = raw
        return True

    for raw in raw_sources:
        if claim_id(raw) and (source := _validate(raw, Source, problems)):
            sources[source.id] = source
    for raw in raw_metrics:
        if claim_id(raw) and (metric := _validate(raw, Metric, problems)):
            metrics[metric.id] = metric
    for topic, raw in raw_facts:
        if claim_id(raw) and (fact := _validate(raw, Fact, problems, topic=topic)):
            facts[fact.id] = fact

    # Sources cited by records that failed validation still count as cited.
    cited = (
        {sid for _, raw in raw_facts if isinstance(sid := raw.data.get("source_id"), str)}
        if facts_complete
        else set(sources)
    ) | {sid for raw in raw_metrics if isinstance(sid := raw.data.get("source_id"), str)}
    problems += _policy_checks(sources, where, policy)
    # A source that failed its own checks still exists: its facts are not "citing nothing".
    known_sources = set(sources) | {rid for raw in raw_sources if isinstance(rid := raw.data.get("id"), str)}
    problems += _cross_checks(sources, facts, where, cited, known_sources if raw_sources else None)
    problems += _relay_checks(sources, where)
    problems += _metric_checks(metrics, facts, where, known_sources if raw_sources else None, data_dir)
    problems += _excerpt_checks(facts, where)
    problems += _series_unit_checks(facts, where)
    problems += _markup_checks(facts, where)
    problems += _target_checks(sources, facts, where)
    return sources, facts, metrics, problems


def _policy_checks(sources: dict[str, Source], where: dict[str, RawRecord], policy: Policy) -> list[Problem]:
    problems = []
    for source in sources.values():
        refusal = policy.refusal(str(source.url))
        if refusal:
            listed, rule = refusal
            raw = where[source.id]
            problems.append(
                Problem(
                    raw.path,
                    raw.line_of("url"),
                    source.id,
                    "url",
                    f"host {listed} is not admitted as a source: rule {rule}, {policy.rules[rule]} "
                    f"(see {policy.path}; {POLICY_FIX})",
                )
            )
    return problems


def located(where: dict[str, RawRecord], rid: str, name: str, text: str, line_of: str | None = None) -> Problem:
    """A problem with record `rid`'s field `name`, at that field's line (or at `line_of`'s)."""
    raw = where[rid]
    return Problem(raw.path, raw.line_of(line_of or name), rid, name, text)


def _cross_checks(sources, facts, where, cited, known_sources: set[str] | None) -> list[Problem]:
    problems = []

    def at(rid: str, name: str, text: str) -> None:
        problems.append(located(where, rid, name, text))

    for fact in facts.values():
        if known_sources is not None and fact.source_id not in known_sources:
            close = difflib.get_close_matches(fact.source_id, list(known_sources), n=1, cutoff=0.75)
            hint = f"did you mean {close[0]!r}? " if close else ""
            at(fact.id, "source_id", f"{fact.source_id!r} is not in sources.yaml ({hint}add the source, or fix the id)")

    for source_id in sources.keys() - cited:
        at(source_id, "id", "no fact cites this source (cite it from a fact, or remove it)")

    points: dict[tuple, str] = {}
    breakdowns: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts.values():
        if not fact.series:
            continue
        key = (fact.series, fact.entity, fact.metric, fact.period, fact.source_id)
        if key in points:
            at(
                fact.id,
                "period",
                f"same series/entity/metric/period/source as {points[key]} "
                "(merge the two, or set metric to tell them apart)",
            )
        else:
            points[key] = fact.id
        if fact.unit == "percent":
            breakdowns[(fact.series, fact.metric, fact.period, fact.source_id)].append(fact)

    for parts in breakdowns.values():
        total = sum(f.low for f in parts)
        if total > 100 + SHARE_TOLERANCE:
            names = ", ".join(f.id for f in parts)
            at(
                parts[-1].id,
                "value",
                f"shares of {parts[0].series} for {parts[0].period} add up to {total:g}% (> 100) across {names} "
                "(check the values, or give points of different breakdowns a different metric)",
            )
    return problems


def _relay_checks(sources: dict[str, Source], where: dict[str, RawRecord]) -> list[Problem]:
    """A relay (one outlet retelling another's report) is admitted only with its original named and
    dated, and a reason the original itself is not the page cited."""
    problems = []
    for source in sources.values():
        producer = source.original_producer
        if not producer or source.kind in OWN_WORDS or _same_house(producer, source.publisher):
            continue
        for name, fix in (
            ("original_published", f"the date {producer} published the original, YYYY-MM-DD or YYYY-MM"),
            (
                "original_not_cited",
                f"why {producer}'s own page is not cited: cite it instead if it is published and in reach",
            ),
        ):
            if getattr(source, name) is None:
                text = f"is missing: {source.publisher} relays {producer} (add {name}: {fix})"
                problems.append(located(where, source.id, name, text, line_of="original_producer"))
    return problems


# A company's, a government's or an author's own publication is not a relay, whoever hosts it.
OWN_WORDS = ("primary", "government", "paper")


def _same_house(producer: str, publisher: str) -> bool:
    """'NVIDIA' and 'NVIDIA Technical Blog', 'DIGITIMES Research' and 'DIGITIMES Asia': one house."""
    return producer.split()[0].casefold() in publisher.casefold()


def _metric_checks(metrics, facts, where, known_sources, data_dir: Path) -> list[Problem]:
    """Every metric a fact names is defined once in metrics.yaml, in the fact's unit."""
    problems = []
    for metric in metrics.values():
        if known_sources is not None and metric.source_id not in known_sources:
            text = f"{metric.source_id!r} is not in sources.yaml (add the source, or fix the id)"
            problems.append(located(where, metric.id, "source_id", text))
    for fact in facts.values():
        if not fact.metric:
            continue
        metric = metrics.get(fact.metric)
        if metric is None:
            close = difflib.get_close_matches(fact.metric, list(metrics), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            text = (
                f"{fact.metric!r} is not defined in {data_dir.name}/{METRICS_FILE} ({hint}define it there "
                "once: what it measures, its base, unit and the producer's own words)"
            )
            problems.append(located(where, fact.id, "metric", text))
        elif metric.unit != fact.unit:
            text = (
                f"{fact.unit!r}, but metric {metric.id!r} is measured in {metric.unit!r} "
                f"(convert the value to {metric.unit}, or use another metric)"
            )
            problems.append(located(where, fact.id, "unit", text))
    return problems


def _excerpt_checks(facts: dict[str, Fact], where: dict[str, RawRecord]) -> list[Problem]:
    problems = []
    for fact in facts.values():
        missing = missing_from_excerpt(fact)
        if missing:
            shown_values = " and ".join(f"{v:g}" for v in missing)
            text = (
                f"does not carry the value {shown_values} (quote the passage that gives it, or add "
                "value_read_from: table, chart, computed or words and say how in notes)"
            )
            problems.append(located(where, fact.id, "excerpt", text))
    return problems


def _series_unit_checks(facts: dict[str, Fact], where: dict[str, RawRecord]) -> list[Problem]:
    """The points of one series share a unit: a chart would draw a TB/s point on a GB/s axis."""
    problems = []
    by_series: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts.values():
        if fact.series:
            by_series[fact.series].append(fact)
    for series, members in by_series.items():
        units = [f.unit for f in members]
        usual = max(set(units), key=units.count)
        for fact in members:
            if fact.unit != usual:
                text = (
                    f"{fact.unit!r}, but the other points of series {series!r} are in {usual!r} "
                    f"(convert the value to {usual})"
                )
                problems.append(located(where, fact.id, "unit", text))
    return problems


# A fact's own words: the site shows them as typed, so markup in them would reach readers as is.
# (Excerpts are quotations and keep the source's characters.)
PLAIN_WORDS = ["claim", "notes", "value"]


def _markup_checks(facts: dict[str, Fact], where: dict[str, RawRecord]) -> list[Problem]:
    """No link or HTML in a claim, notes or text value: a link belongs in the fact's source record."""
    problems = []
    for fact in facts.values():
        for name in PLAIN_WORDS:
            text = getattr(fact, name)
            found = markup.find(text) if isinstance(text, str) else None
            if found:
                message = (
                    f"contains {found}, but the site shows this text as typed, never as a link or markup "
                    f"(write plain words; the address belongs in the fact's source record, {fact.source_id!r} "
                    "in sources.yaml, which readers reach from every number)"
                )
                problems.append(located(where, fact.id, name, message))
    return problems


def _target_checks(sources: dict[str, Source], facts: dict[str, Fact], where: dict[str, RawRecord]) -> list[Problem]:
    """A reported target is an aim for a period still to come when it was reported: for a period
    that had already ended, the figure says what happened (an estimate, an outcome or a report)."""
    problems = []
    for fact in facts.values():
        source = sources.get(fact.source_id)
        if fact.status != "reported_target" or source is None:
            continue
        # A relay reports what its original said: the original's date is when the aim was reported.
        made = source.original_published or source.published
        if Period(str(made)).start > Period(fact.period).end:
            text = (
                f"'reported_target' for a period ({fact.period}) that had ended before {fact.source_id!r} "
                f"reported it ({made}): an aim is set before its period ends (use estimate, actual or reported)"
            )
            problems.append(located(where, fact.id, "status", text))
    return problems
