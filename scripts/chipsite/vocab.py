"""Controlled vocabularies of the fact base: topics, units, statuses and source kinds.

The lists are the contract between contributors, the validator and the pages; add a value here
(and in data/README.md) before using it in a record.
"""

from typing import Literal

TOPICS: dict[str, str] = {
    "openai_chip_strategy": "OpenAI's chip strategy",
    "hbm_technology": "HBM technology",
    "gpu_memory_specs": "Accelerator memory specs",
    "hbm_market": "The HBM market",
    "foundry_geopolitics": "Foundry and geopolitics",
}

# unit id -> (kind of value it takes, how a value is written on the site: {v} is the value)
UNITS: dict[str, tuple[str, str]] = {
    "percent": ("number", "{v}%"),
    "percentage_points": ("number", "{v} percentage points"),
    "usd": ("number", "${v}"),
    "usd_million": ("number", "${v} million"),
    "usd_billion": ("number", "${v} billion"),
    "usd_trillion": ("number", "${v} trillion"),
    "krw_trillion": ("number", "{v} trillion won"),
    "gb": ("number", "{v} GB"),
    "tb": ("number", "{v} TB"),
    "gbit": ("number", "{v} Gb"),
    "gb_per_s": ("number", "{v} GB/s"),
    "tb_per_s": ("number", "{v} TB/s"),
    "gbit_per_s_per_pin": ("number", "{v} Gb/s per pin"),
    "pins": ("number", "{v} pins"),
    "dies_per_stack": ("number", "{v}-high"),
    "tflops": ("number", "{v} TFLOPS"),
    "pflops": ("number", "{v} PFLOPS"),
    "gw": ("number", "{v} GW"),
    "mw": ("number", "{v} MW"),
    "wafers_per_month": ("number", "{v} wafers per month"),
    "weeks": ("number", "{v} weeks"),
    "months": ("number", "{v} months"),
    "years": ("number", "{v} years"),
    "nm": ("number", "{v} nm"),
    "count": ("number", "{v}"),
    "multiple": ("number", "{v}×"),
    "flop_per_byte": ("number", "{v} FLOP per byte"),
    "date": ("date", "{v}"),
    "text": ("text", "{v}"),
}

Status = Literal["actual", "estimate", "forecast", "announced_plan", "reported", "reported_target"]
STATUSES: dict[str, str] = {
    "actual": "a measured or disclosed outcome",
    "estimate": "an outside estimate of something that happened (e.g. a research firm's share)",
    "forecast": "a projection made before the period ended",
    "announced_plan": "a plan, target or agreement announced but not (yet) carried out",
    "reported": "reported by the press, not confirmed by the parties",
    "reported_target": (
        "a party's aim for a period still to come, as the press reported it: neither a measure nor a confirmed plan"
    ),
}
# Statuses of figures the parties have not confirmed (a card, a chart and the data table say so).
UNCONFIRMED = frozenset({"reported", "reported_target"})

SourceKind = Literal[
    "primary",
    "government",
    "spec",
    "paper",
    "research_firm_via_press",
    "news",
    "trade_press",
    "reference",
]
SOURCE_KINDS: dict[str, str] = {
    "primary": "a company's own filing, press release or announcement",
    "government": "a government or regulator's document",
    "spec": "a standard or datasheet (JEDEC, vendor specifications)",
    "paper": "a peer-reviewed or preprint paper",
    "research_firm_via_press": "a research firm's figure as reported by an outlet",
    "news": "a news wire or newspaper",
    "trade_press": "specialist technology or industry press",
    "reference": "a reference table or notes compiled from primary sources",
}

# What a second reader found when checking a fact against its page; absent means confirmed.
# The corrections log says what changed because of it.
Verdict = Literal["wrong", "misleading", "stale", "unsupported", "minor"]
VERDICTS: dict[str, str] = {
    "wrong": "the record said something the page does not (value, unit, period, base or subject)",
    "misleading": "right number, but read as something else (a forecast as an outcome, a claim as a fact)",
    "stale": "a later figure for the same thing exists; the record stays as history beside the newer one",
    "unsupported": "no source of record carries the figure yet: it is shown marked as such, or removed",
    "minor": "right value, weak source or wording (now replaced)",
}

# Why an excerpt does not carry the fact's value as written: the reader can still check it.
ValueReadFrom = Literal["table", "chart", "computed", "words"]
VALUE_READ_FROM: dict[str, str] = {
    "table": "read from a table row the excerpt quotes",
    "chart": "read off a chart on the page",
    "computed": "computed from figures the excerpt gives",
    "words": "the page writes it in words (doubled, a third, over half)",
}
