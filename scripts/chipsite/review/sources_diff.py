"""Sources added, changed and removed, each with the source policy's verdict on its host
(data/source_policy.yaml, chipsite.policy): refused with the rule it breaks, or not on the list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..facts import FactBase
from ..policy import load_policy
from ..schema import Source


@dataclass
class SourceChange:
    id: str
    kind: str  # "added", "changed" or "removed"
    old: Source | None
    new: Source | None
    fields: list[str] = field(default_factory=list)
    verdict: str = ""  # the policy's word on the new address
    refused: bool = False
    cited_by: list[str] = field(default_factory=list)  # facts citing it (new side)

    @property
    def source(self) -> Source:
        return self.new or self.old  # type: ignore[return-value]


def verdict(data_dir: Path, url: str) -> tuple[bool, str]:
    policy, _problems = load_policy(data_dir)
    refusal = policy.refusal(url)
    if refusal:
        host, rule = refusal
        return True, f"refused: host {host} is listed under rule {rule} ({policy.rules.get(rule, '')})"
    return False, "host not on the refused list (the list names known bad hosts only: open the page and read it)"


def diff_sources(old: FactBase, new: FactBase, data_dir: Path) -> list[SourceChange]:
    """`data_dir`: the pull request's data folder, whose policy applies."""
    changes = []
    for source_id, source in new.sources.items():
        before = old.sources.get(source_id)
        if before is None:
            change = SourceChange(source_id, "added", None, source)
        else:
            a, b = before.model_dump(mode="json"), source.model_dump(mode="json")
            differing = [k for k in b if a.get(k) != b.get(k)]
            if not differing:
                continue
            change = SourceChange(source_id, "changed", before, source, differing)
        change.refused, change.verdict = verdict(data_dir, str(source.url))
        change.cited_by = [f.id for f in new.facts.values() if f.source_id == source_id]
        changes.append(change)
    changes += [SourceChange(i, "removed", s, None) for i, s in old.sources.items() if i not in new.sources]
    return changes
