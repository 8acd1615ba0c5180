"""The source policy: hosts the fact base does not admit as sources, each with the rule it breaks.

A data folder's own `source_policy.yaml` applies to it; a folder without one (a test fixture, a
contributor's scratch copy) is held to the project's policy in data/. A source is refused when the
host of its `url` is a listed host or a subdomain of one (www.reddit.com falls under reddit.com,
notreddit.com does not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import StringConstraints, TypeAdapter, ValidationError

from . import paths
from .records import Problem, RawRecord, display_path, read_document, records_of
from .schema import Record, Slug, text

FILE_NAME = "source_policy.yaml"
FIX = "cite the original producer, or a wire, newspaper or trade press of record"
HOST = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"
Host = Annotated[str, StringConstraints(pattern=HOST, max_length=253)]
_RULE_ID = TypeAdapter(Slug)
_REASON = TypeAdapter(text(300))


class HostRule(Record):
    host: Host
    rule: Slug


@dataclass
class Policy:
    path: str
    rules: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)  # host -> rule

    def refusal(self, url: str) -> tuple[str, str] | None:
        """(listed host, rule) that refuses this address, or None if it is admitted."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        for listed, rule in self.hosts.items():
            if host == listed or host.endswith("." + listed):
                return listed, rule
        return None


def policy_path(data_dir: Path) -> Path:
    own = data_dir / FILE_NAME
    return own if own.is_file() else paths.ROOT / "data" / FILE_NAME


def load_policy(data_dir: Path) -> tuple[Policy, list[Problem]]:
    """The policy that applies to a data folder, and every problem in its file."""
    path = policy_path(data_dir)
    shown = display_path(path)
    root, data, problems = read_document(path)
    policy = Policy(shown)
    if problems:
        return policy, problems
    if not isinstance(data, dict):
        return policy, [
            Problem(shown, 1, None, None, "expected a mapping with 'rules:' and 'hosts:' (see data/README.md)")
        ]
    lines = {key.value: key.start_mark.line + 1 for key, _ in root.value}
    nodes = {key.value: value for key, value in root.value}
    for name in sorted(set(data) - {"rules", "hosts"}):
        problems.append(
            Problem(shown, lines.get(name), None, name, "is not a known field (write rules: and hosts: only)")
        )
    for name in ("rules", "hosts"):
        if name not in data:
            problems.append(Problem(shown, None, None, name, "is missing (add the field)"))

    rules = data.get("rules")
    if rules is not None and not isinstance(rules, dict):
        problems.append(
            Problem(shown, lines["rules"], None, "rules", "must map a rule id to its reason (rule_id: why)")
        )
    elif isinstance(rules, dict):
        rule_lines = {key.value: key.start_mark.line + 1 for key, _ in nodes["rules"].value}
        for rule, reason in rules.items():
            try:
                policy.rules[_RULE_ID.validate_python(rule)] = _REASON.validate_python(reason)
            except ValidationError:
                problems.append(
                    Problem(
                        shown,
                        rule_lines.get(rule),
                        str(rule),
                        "rules",
                        "a rule needs a slug id and a one-line reason (write e.g. forum: discussion forums)",
                    )
                )

    hosts = data.get("hosts")
    if hosts is not None and not isinstance(hosts, list):
        problems.append(Problem(shown, lines["hosts"], None, "hosts", "must be a list of {host: ..., rule: ...}"))
    elif isinstance(hosts, list):
        records, found = records_of(shown, nodes["hosts"], hosts)
        problems += found
        for raw in records:
            problems += _add_host(policy, raw)
    return policy, problems


def _add_host(policy: Policy, raw: RawRecord) -> list[Problem]:
    label = str(raw.data.get("host", f"record #{raw.line}"))[:80]
    try:
        entry = HostRule.model_validate(raw.data)
    except ValidationError as err:
        problems = []
        for item in err.errors():
            name = str(item["loc"][0]) if item["loc"] else None
            hint = {
                "host": "write a lowercase host name such as example.org, without https:// or a path",
                "rule": "write the id of a rule listed under rules:",
            }.get(name or "", "write only host: and rule:")
            problems.append(Problem(raw.path, raw.line_of(name), label, name, f"{item['msg']} ({hint})"))
        return problems
    if entry.rule not in policy.rules:
        return [
            Problem(
                raw.path,
                raw.line_of("rule"),
                label,
                "rule",
                f"{entry.rule!r} is not a rule (use one of: {', '.join(policy.rules) or 'none listed'})",
            )
        ]
    if entry.host in policy.hosts:
        return [Problem(raw.path, raw.line_of("host"), label, "host", "listed twice (keep one entry)")]
    policy.hosts[entry.host] = entry.rule
    return []
