"""Generated page sections: the timeline, the bibliography and the data dictionary.

Each function takes the fact base and returns HTML; pages place them with {table: <name>}.
Every text from the fact base is escaped, and only http(s) addresses become links.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict

from mkdocs.exceptions import PluginError

from .. import corrections
from ..facts import FactBase
from ..publish import FACT_FIELDS, SOURCE_FIELDS
from ..vocab import STATUSES, TOPICS, UNITS
from . import chart_lists, citations, usage
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


def bibliography(fb: FactBase, base: str) -> str:
    """Sources grouped by the topic they are cited for, one or two lines each: producer, title (a
    link to the source), date, and a folded list of the facts citing it, each linked to where the
    site shows it. Notes in the registry are for contributors and stay in the data download."""
    cited: dict[str, list[str]] = defaultdict(list)
    for fact in fb.facts.values():
        cited[fact.source_id].append(fact.id)
    places = citations.fact_places()
    groups: dict[str, list] = defaultdict(list)
    for source in fb.sources.values():
        topics = Counter(fb.facts[i].topic for i in cited[source.id])
        topic = max(TOPICS, key=lambda t: (topics[t], -list(TOPICS).index(t))) if topics else ""
        groups[topic].append(source)
    producers = sorted({_producer(s) for s in fb.sources.values()}, key=str.lower)
    producer_keys = {name: f"p{n}" for n, name in enumerate(producers)}
    parts = [_source_filter(fb, groups, producer_keys)]
    for topic in [*TOPICS, ""]:
        sources = sorted(groups.get(topic, []), key=lambda s: (_producer(s).lower(), s.id))
        if not sources:
            continue
        items = "\n".join(
            _source_entry(fb, s, cited[s.id], places, base, producer_keys[_producer(s)], topic) for s in sources
        )
        title = TOPICS.get(topic, "Not cited by any fact")
        slug = topic.replace("_", "-") or "uncited"
        parts.append(
            # Folded by topic: titles wrap in full on a phone, and the page stays short. A link to a
            # source (#id) opens its group: browsers unfold a <details> for the fragment they scroll to.
            f'<details class="bib-topic" data-topic="{slug}"><summary><h2 id="topic-{slug}">{html.escape(title)} '
            f"<small>({fmt.counted(len(sources), 'source')})</small></h2></summary>\n"
            f'<ul class="bibliography">\n{items}\n</ul></details>'
        )
    return "\n".join(parts)


def _producer(source) -> str:
    return source.original_producer or source.publisher


# Kinds of source as a reader would sort them.
KIND_GROUPS = {
    "primary": "Companies' own releases and filings",
    "government": "Governments",
    "spec": "Standards and datasheets",
    "paper": "Papers",
    "research_firm_via_press": "Research firms, as reported",
    "news": "Wires and newspapers",
    "trade_press": "Trade press",
    "reference": "Reference tables",
}


def _source_filter(fb: FactBase, groups: dict, producer_keys: dict[str, str]) -> str:
    """Three menus that narrow the list by topic, producer and kind, in CSS alone (:has): no script
    runs when the page loads, and without the menus' effect every source stays listed. Menu values
    are generated keys, never the data's text, so no record can write CSS."""
    facets = {
        "topic": [
            (t.replace("_", "-") or "uncited", TOPICS.get(t, "Not cited")) for t in [*TOPICS, ""] if groups.get(t)
        ],
        "producer": [(key, name) for name, key in producer_keys.items()],
        "kind": [(k, label) for k, label in KIND_GROUPS.items() if any(s.kind == k for s in fb.sources.values())],
    }
    labels = {"topic": "Topic", "producer": "Producer", "kind": "Kind of source"}
    menus, rules = [], []
    for facet, options in facets.items():
        choices = "".join(f'<option value="{value}">{html.escape(text)}</option>' for value, text in options)
        menus.append(
            f'<label>{labels[facet]} <select id="bib-{facet}" name="{facet}">'
            f'<option value="">All</option>{choices}</select></label>'
        )
        for value, _ in options:
            chosen = f'#bib-{facet} option[value="{value}"]:checked'
            rules.append(f'.md-typeset:has({chosen}) .bibliography > li:not([data-{facet}="{value}"])')
            if facet == "topic":
                rules.append(f'.md-typeset:has({chosen}) .bib-topic:not([data-topic="{value}"])')
    style = "<style>" + ",\n".join(rules) + " { display: none; }</style>"
    return f'<form class="bib-filter" aria-label="Filter the sources">{"".join(menus)}</form>{style}'


def _source_entry(fb: FactBase, s, fact_ids: list[str], places: dict, base: str, producer_key: str, topic: str) -> str:
    # The publisher as the charts name it, and in its own script where the data has that too.
    publisher = html.escape(s.publisher + (f" ({s.publisher_native})" if s.publisher_native else ""))
    producer = html.escape(s.original_producer) if s.original_producer else publisher
    via = f" via {publisher}" if s.original_producer else ""
    archive = f' <a class="archive" href="{_href(s.archive_url)}">archived</a>' if s.archive_url else ""
    facts = []
    for fact_id in fact_ids:
        fact = fb.facts[fact_id]
        shown = places.get(fact_id) or (
            [citations.Place(f"timeline/#{fact_id}", "Timeline")] if isinstance(fact.value, dt.date) else []
        )
        where = " ".join(f'<a href="{base}{p.url}">{html.escape(p.page)}</a>' for p in shown)
        where = where or f'<a href="{base}data/#fact-base">data download</a>'
        facts.append(f"{html.escape(fact.claim)} {where}")
    count = f"{len(facts)} fact" + ("s" if len(facts) != 1 else "")
    # One line per fact, kept by CSS (white-space: pre-line): the page has hundreds, so no list items.
    return (
        f'<li id="{s.id}" data-topic="{topic.replace("_", "-") or "uncited"}" data-producer="{producer_key}" '
        f'data-kind="{s.kind}"><span class="bib-title"><b>{producer}</b>{via}: '
        f'<a href="{_href(s.url)}" rel="noopener">{html.escape(s.title)}</a></span> '
        f"{html.escape(str(s.published))}{archive} · "
        f"<details data-search-exclude><summary>{count}</summary><p>{'&#10;'.join(facts)}</p></details></li>"
    )


def _period_end(period: str) -> tuple[dt.date, str] | None:
    """The last day a quarter, month or day falls in, and how to say it (a day counts as its month);
    None for years, halves and intervals."""
    if "/" in period:
        return None
    point = fmt.Period(period)
    if point.kind == "quarter":
        return point.end, f"Q{period[6]} {point.year}"
    if point.kind in ("month", "day"):
        end = fmt.Period(period[:7]).end
        return end, f"{fmt.MONTHS_SHORT[end.month - 1]} {end.year}"
    return None


def dateline(fb: FactBase, _unused: str = "", fact_ids: list[str] | None = None) -> str:
    """How recent the data is: the latest month or quarter an outcome or estimate covers, and when
    the facts were last checked; for a page, among the facts it shows (`fact_ids`). Plans and
    forecasts look ahead, so they do not count."""
    facts = [fb.fact(i) for i in fact_ids] if fact_ids else list(fb.facts.values())
    ends = [
        end
        for fact in facts
        # Outcomes, estimates of the past and press reports of events; a report about the future
        # (a period not yet begun) looks ahead like a plan.
        if fact.status in ("actual", "estimate", "reported")
        and fmt.Period(fact.period).start <= dt.date.today()
        and (end := _period_end(fact.period))
    ]
    if not ends:  # a page of plans only: date it by the whole fact base
        return dateline(fb) if fact_ids else ""
    (through, label), checked = max(ends), fb.last_checked([f.id for f in facts])
    return (
        f'<p class="dateline">Data through <time datetime="{through:%Y-%m}">{html.escape(label)}</time>'
        f' · checked <time datetime="{checked.isoformat()}">{checked.day} {fmt.MONTHS_SHORT[checked.month - 1]} '
        f"{checked.year}</time></p>"
    )


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
        return corrections.page_table(known=set(fb.facts), pages=usage.pages_showing(), titles=usage.page_titles())
    except ValueError as err:  # a bad log stops the build with its located problems, not a traceback
        raise PluginError(str(err)) from None


def unsupported(fb: FactBase, base: str) -> str:
    """The figures the site still shows that a second reading could not confirm on a source of
    record: each claim, the page it rests on, and where the site shows it."""
    places = citations.fact_places()
    items = []
    for fact in fb.facts.values():
        if fact.verdict != "unsupported":
            continue
        source = fb.source_of(fact)
        where = " ".join(f'<a href="{base}{p.url}">{html.escape(p.page)}</a>' for p in places.get(fact.id, []))
        items.append(
            f"<li>{html.escape(fact.claim)} <em>Rests on:</em> "
            f'<a href="{base}sources/#{source.id}">{html.escape(source.publisher)}</a>.'
            + (f" <em>Shown on:</em> {where}." if where else "")
            + "</li>"
        )
    if not items:
        return "<p>Every figure on the site is confirmed on a source of record.</p>"
    return '<ul class="unsupported">' + "".join(items) + "</ul>"


TABLES = {
    "timeline": timeline,
    "unsupported": unsupported,
    "bibliography": bibliography,
    "data-dictionary": data_dictionary,
    "fact-counts": counts,
    "dateline": dateline,
    "corrections": corrections_log,
    **chart_lists.TABLES,
}


def render(name: str, fb: FactBase, base: str) -> str:
    """The HTML of {table: name} on a page whose site root is at the relative URL `base`."""
    target = f"{base}sources/" if name == "timeline" else base
    return TABLES[name](fb, target)
