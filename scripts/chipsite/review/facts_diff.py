"""Facts added, changed and removed between two fact bases, and the conflict groups (figures from
different producers for the same thing, subject and period) each one joins or leaves."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..facts import FactBase
from ..schema import Fact

# Fields shown as "old → new"; `value` is shown as the site writes it (fmt.value).
FIELDS = ["value", "unit", "period", "status", "claim", "source_id", "excerpt", "metric", "series", "entity"]
FIELDS += ["notes", "checked", "verdict", "value_read_from", "topic"]


@dataclass
class FactChange:
    id: str
    kind: str  # "added", "changed" or "removed"
    old: Fact | None
    new: Fact | None
    fields: list[str] = field(default_factory=list)  # the fields that differ (changed facts)
    joins: list[str] = field(default_factory=list)  # facts of the conflict group it joins
    leaves: list[str] = field(default_factory=list)  # facts of the conflict group it leaves

    @property
    def fact(self) -> Fact:
        return self.new or self.old  # type: ignore[return-value]


def _dump(fact: Fact) -> dict:
    return {**fact.model_dump(mode="json"), "topic": fact.topic}


def diff_facts(old: FactBase, new: FactBase) -> list[FactChange]:
    """Every fact that differs, in the new base's file order, then the removed ones."""
    changes = []
    for fact_id, fact in new.facts.items():
        before = old.facts.get(fact_id)
        if before is None:
            changes.append(FactChange(fact_id, "added", None, fact))
            continue
        a, b = _dump(before), _dump(fact)
        differing = [name for name in FIELDS if a.get(name) != b.get(name)]
        differing += sorted(k for k in a.keys() | b.keys() if k not in FIELDS and a.get(k) != b.get(k))
        if differing:
            changes.append(FactChange(fact_id, "changed", before, fact, differing))
    changes += [FactChange(i, "removed", f, None) for i, f in old.facts.items() if i not in new.facts]
    for change in changes:
        change.joins, change.leaves = group_moves(change.id, old, new)
    return changes


def _group(fb: FactBase, fact_id: str) -> tuple[tuple | None, list[str]]:
    for key, ids in fb.conflict_groups.items():
        if fact_id in ids:
            return key, [i for i in ids if i != fact_id]
    return None, []


def group_moves(fact_id: str, old: FactBase, new: FactBase) -> tuple[list[str], list[str]]:
    """(the other facts of the group it joins, of the group it leaves): empty when it stays put."""
    old_key, old_others = _group(old, fact_id)
    new_key, new_others = _group(new, fact_id)
    if old_key == new_key and old_key is not None:
        # Same group: it joins whoever arrived and leaves whoever went.
        return [i for i in new_others if i not in old_others], [i for i in old_others if i not in new_others]
    return new_others, old_others
