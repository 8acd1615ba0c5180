"""Generated page sections: the timeline, the bibliography and the data dictionary.

Each function takes the fact base and returns HTML; pages place them with {table: <name>}.
Every text from the fact base is escaped, and only http(s) addresses become links.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict

from mkdocs.exceptions import PluginError

from .. import corrections
from ..facts import FactBase
from ..publish import FACT_FIELDS, SOURCE_FIELDS
from ..vocab import SOURCE_KINDS, STATUSES, TOPICS, UNITS
from . import chart_lists
from . import format as fmt


def timeline(fb: FactBase, sources_url: str) -> str:
    """Every fact whose value is a date, oldest first, grouped by year."""
    dated = sorted((f for f in fb.facts.values() if isinstance(f.value, dt.date)), key=lambda f: (f.value, f.id))
    years: dict[int, list[str]] = defaultdict(list)
    for fact in dated:
        source = fb.source_of(fact)
        producer = html.escape(source.original_producer or source.publisher)
        status = "" if fact.status == "actual" else f' <span class="status">{fact.status.replace("_", " ")}</span>'
        years[fact.value.year].append(
            f'<li id="{fact.id}"><time datetime="{fact.value.isoformat()}">{fmt.date(fact.value)}</time> '
            f'<span class="topic">{html.escape(TOPICS[fact.topic])}</span> {html.escape(fact.claim)}{status} '
            f'<a class="cite" href="{sources_url}#{source.id}">{producer}</a></li>'
        )
    parts = [
        f'<h2 id="y{year}">{year}</h2>\n<ul class="timeline">\n' + "\n".join(items) + "\n</ul>"
        for year, items in sorted(years.items())
    ]
    return f'<p class="count">{len(dated)} dated events.</p>\n' + "\n".join(parts)


def _href(url) -> str:
    """A source address as an attribute value: http(s) only (the schema ensures it), escaped."""
    text = str(url)
    if not text.lower().startswith(("https://", "http://")):
        raise ValueError(f"refusing to link {text!r}: only http(s) addresses are linked")
    return html.escape(text)


def bibliography(fb: FactBase, timeline_url: str) -> str:
    """Sources grouped by kind, each with the facts that cite it."""
    cited: dict[str, list[str]] = defaultdict(list)
    for fact in fb.facts.values():
        cited[fact.source_id].append(fact.id)
    parts = []
    for kind, meaning in SOURCE_KINDS.items():
        sources = sorted((s for s in fb.sources.values() if s.kind == kind), key=lambda s: (s.publisher.lower(), s.id))
        if not sources:
            continue
        items = []
        for s in sources:
            producer = f"{html.escape(s.original_producer)}, reported by " if s.original_producer else ""
            facts = "; ".join(html.escape(fb.facts[i].claim) for i in cited[s.id])
            archive = f' (<a href="{_href(s.archive_url)}">archived</a>)' if s.archive_url else ""
            notes = f'<br><span class="notes">{html.escape(s.notes)}</span>' if s.notes else ""
            items.append(
                f'<li id="{s.id}">{producer}{html.escape(s.publisher)}. '
                f'<a href="{_href(s.url)}" rel="noopener">{html.escape(s.title)}</a>{archive}. '
                f"Published {s.published}; read {s.accessed.isoformat()}.{notes}"
                f"<details><summary>Cited by {len(cited[s.id])} fact(s)</summary><p>{facts}</p></details></li>"
            )
        parts.append(
            f'<h2 id="kind-{kind}">{html.escape(kind.replace("_", " ").capitalize())} '
            f'({len(sources)})</h2>\n<p>{html.escape(meaning.capitalize())}.</p>\n<ul class="bibliography">\n'
            + "\n".join(items)
            + "\n</ul>"
        )
    return "\n".join(parts)


def _rows(fields) -> str:
    return "".join(f"<tr><td><code>{n}</code></td><td>{t}</td><td>{html.escape(d)}</td></tr>" for n, t, d in fields)


def data_dictionary(fb: FactBase, _unused: str = "") -> str:
    head = "<thead><tr><th>Column</th><th>Type</th><th>Meaning</th></tr></thead>"
    units = "".join(
        f"<tr><td><code>{u}</code></td><td>{html.escape(label.format(v='…'))}</td></tr>"
        for u, (_, label) in UNITS.items()
    )
    statuses = "".join(f"<tr><td><code>{s}</code></td><td>{html.escape(m)}</td></tr>" for s, m in STATUSES.items())
    return (
        f'<h3 id="facts-csv">facts.csv</h3><table>{head}<tbody>{_rows(FACT_FIELDS)}</tbody></table>'
        f'<h3 id="sources-csv">sources.csv</h3><table>{head}<tbody>{_rows(SOURCE_FIELDS)}</tbody></table>'
        f'<h3 id="statuses">Statuses</h3><table><tbody>{statuses}</tbody></table>'
        f'<h3 id="units">Units</h3><table><tbody>{units}</tbody></table>'
    )


def counts(fb: FactBase, _unused: str = "") -> str:
    per_topic = defaultdict(int)
    for fact in fb.facts.values():
        per_topic[fact.topic] += 1
    rows = "".join(f"<tr><td>{html.escape(TOPICS[t])}</td><td>{per_topic[t]}</td></tr>" for t in TOPICS)
    return (
        f"<table><thead><tr><th>Topic</th><th>Facts</th></tr></thead><tbody>{rows}"
        f"<tr><td><strong>All topics</strong></td><td><strong>{len(fb.facts)}</strong></td></tr>"
        f"</tbody></table><p>{len(fb.sources)} sources.</p>"
    )


def corrections_log(fb: FactBase, _unused: str = "") -> str:
    try:
        # The loaded fact base's ids: re-reading every fact file here cost seconds per rebuild.
        return corrections.page_table(known=set(fb.facts))
    except ValueError as err:  # a bad log stops the build with its located problems, not a traceback
        raise PluginError(str(err)) from None


TABLES = {
    "timeline": timeline,
    "bibliography": bibliography,
    "data-dictionary": data_dictionary,
    "fact-counts": counts,
    "corrections": corrections_log,
    **chart_lists.TABLES,
}
