"""Which pages a rebuild renders again: only those whose inputs changed (`make serve`).

MkDocs renders every page on every rebuild unless it builds "dirty"; then it asks each file's
`is_modified()`, which compares modification times. That misses a page whose text did not change
but whose facts, charts or generated tables did, and it renders generated pages (the chart pages)
every time. Here each page gets a key instead: a hash of everything its HTML is made from.

- Every page: the settings and navigation (mkdocs.yml and the list of pages), the templates,
  includes and assets under docs/, the site's code, the theme's version and the site address.
- A written page: its text, the facts it cites (with their sources), the charts it embeds (their
  saved files and facts) and the HTML of the generated tables it places (cheap to make, and
  exactly what the page will show).
- A Methods page: its executed notebook and the charts it shows.

A page is rendered when its key differs from the one recorded when it was last written into the
same site folder, or when its file is missing. A data edit therefore renders the pages that show
the changed facts; a prose edit, the page edited. The keys are saved after each build, and only
for pages rendered without a warning, so a page with a problem is rendered and reported again.

What a dirty build leaves to a clean one: links from pages not rendered are not re-checked
(`make build` checks every link).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
from functools import cached_property
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError

from .. import corrections, memo, paths
from ..facts import FactBase
from . import chart_lists, citations, shortcodes, tables, usage

PACKAGE = paths.ROOT / "scripts" / "chipsite"
CHART_REF = re.compile(r'data-chart-id=\\?"([a-z0-9-]+)')
THEME_PACKAGES = ["mkdocs", "mkdocs-material", "mkdocs-jupyter", "markdown", "pymdown-extensions"]
# MkDocs warns on every dirty build that navigation may be inaccurate; here it is not (see above),
# and in strict mode that warning alone would stop `make serve --dirty`.
DIRTY_WARNING = "A 'dirty' build is being performed"


def _digest(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


class DirtyWarningFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


class Inputs:
    """The inputs of every page in one build, each hashed once."""

    def __init__(self, config, doc_files, fb: FactBase, bundle: str):
        self.config = config
        self.doc_files = doc_files
        self.fb = fb
        self.bundle = bundle
        self.texts = {f.src_uri: f.content_string for f in doc_files}
        self._facts = _FACT_DIGESTS.of(fb)
        self._charts: dict[str, str] = {}
        self._tables: dict[tuple[str, str], str] = {}

    @cached_property
    def site(self) -> str:
        config_file = Path(self.config.config_file_path or paths.ROOT / "mkdocs.yml")
        code = [p for p in PACKAGE.rglob("*.py") if p.parent.name != "charts"]
        code += [paths.ROOT / "scripts" / "site_hooks.py", paths.ROOT / "CITATION.cff"]
        theme = [p for p in paths.DOCS.rglob("*") if p.is_file() and p.suffix not in {".md", ".ipynb"}]
        theme += list((paths.DOCS / "includes").glob("*.md"))
        versions = [f"{name}=={_version(name)}" for name in THEME_PACKAGES]
        # Every page's title is in every page's navigation (chart pages are left out of it).
        pages = [
            f.src_uri if f.inclusion.is_not_in_nav() else f"{f.src_uri}={heading(self.texts[f.src_uri], f.src_uri)}"
            for f in self.doc_files
        ]
        return _digest(
            config_file.read_bytes(),
            str(self.config.get("site_url") or ""),
            self.bundle,
            memo.files_digest([p for p in code if p.is_file()], paths.ROOT),
            memo.files_digest(theme, paths.DOCS),
            *versions,
            *pages,
        )

    def fact(self, fact_id: str) -> str:
        if fact_id not in self._facts:
            self._facts[fact_id] = _fact_digest(self.fb, fact_id)
        return self._facts[fact_id]

    def derived(self, derived_id: str) -> str:
        known = shortcodes.DERIVED.get(derived_id)
        return _digest(*(self.fact(i) for i in known.inputs)) if known else "missing"

    def chart(self, chart_id: str) -> str:
        if chart_id not in self._charts:
            meta_path = paths.CHARTS_OUT / f"{chart_id}.meta.json"
            if not meta_path.is_file():
                self._charts[chart_id] = "missing"
            else:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                saved = self._saved_charts.get(chart_id, [])
                facts = [self.fact(i) for i in meta.get("fact_ids", [])]
                self._charts[chart_id] = _digest(memo.files_digest(saved, paths.CHARTS_OUT), *facts)
        return self._charts[chart_id]

    @cached_property
    def _saved_charts(self) -> dict[str, list[Path]]:
        """Each chart's saved specs, tables and metadata, from one listing of the folder (a listing
        per chart took a quarter of a second at ten times today's size)."""
        saved: dict[str, list[Path]] = {}
        for path in paths.CHARTS_OUT.iterdir() if paths.CHARTS_OUT.is_dir() else []:
            if path.suffix in {".json", ".csv"}:
                saved.setdefault(path.name.split(".", 1)[0], []).append(path)
        return saved

    def table(self, name: str, base: str) -> str:
        """The digest of a generated table's own HTML: exactly what the page will show."""
        if (name, base) not in self._tables:
            if name not in tables.TABLES:
                self._tables[name, base] = "missing"
            elif name in chart_lists.TABLES:  # hashed, not made: making them loads every chart module
                self._tables[name, base] = _digest(name, base, self._chart_lists)
            else:
                self._tables[name, base] = _digest(self.table_html(name, base))
        return self._tables[name, base]

    @cached_property
    def _chart_lists(self) -> str:
        """What the lists of charts are made from: the chart registry's code and the notebooks."""
        made_from = [*(PACKAGE / "charts").glob("*.py"), *paths.NOTEBOOKS.glob("*.ipynb")]
        return memo.files_digest(made_from, paths.ROOT)

    @cached_property
    def _shown(self) -> str:
        return _shown_key()

    def table_html(self, name: str, base: str) -> str:
        """A generated table's HTML, for the page's key and the page: made once per build, and once
        per fact base for those that show nothing else (or nothing else that changed)."""
        if name in FACT_BASE_ONLY:
            return _TABLES.html_of(name, base, self.fb, "")
        if name in FACT_BASE_AND_PLACES:
            return _TABLES.html_of(name, base, self.fb, self._shown)
        return tables.render(name, self.fb, base)

    def page(self, file) -> str:
        text = self.texts[file.src_uri]
        parts = [self.site, file.src_uri, text]
        if file.src_uri.endswith(".ipynb"):
            parts += [self.chart(c) for c in sorted(set(CHART_REF.findall(text)))]
            return _digest(*parts)
        base = "../" * file.url.removeprefix("./").count("/")  # as MkDocs' page.url: "" for home
        for kind, item_id, _ in shortcodes.FACT.findall(text):
            parts.append(self.fact(item_id) if kind == "fact" else self.derived(item_id))
        for kind, name, _ in shortcodes.BLOCK.findall(text):
            parts.append(self.chart(name) if kind == "chart" else self.table(name, base))
        return _digest(*parts)


def _fact_digest(fb: FactBase, fact_id: str) -> str:
    fact = fb.facts.get(fact_id)
    if fact is None:
        return "missing"
    records = [fact.model_dump(mode="json"), fact.topic, fb.source_of(fact).model_dump(mode="json")]
    return _digest(json.dumps(records, sort_keys=True, default=str))


class _DigestsOfOneFactBase:
    """Each fact's digest, for one fact base (under `make serve` an unchanged one is the very same object)."""

    def __init__(self) -> None:
        self.made_from = None
        self.digests: dict[str, str] = {}

    def of(self, fb: FactBase) -> dict[str, str]:
        if self.made_from is not fb:
            self.made_from, self.digests = fb, {}
        return self.digests


_FACT_DIGESTS = _DigestsOfOneFactBase()


def prepare(fb: FactBase) -> None:
    """Work for the coming page keys that needs the fact base alone: done while the notebook
    kernels draw charts after a data edit, when this process would otherwise wait (at ten times
    today's size it took a third of a second after them)."""
    digests = _FACT_DIGESTS.of(fb)
    for fact_id in fb.facts:
        if fact_id not in digests:
            digests[fact_id] = _fact_digest(fb, fact_id)
    _TABLES.prepare(fb)


# Generated tables made from the fact base alone (and today's date): nothing else they show can change.
# At ten times today's size, making them again for every rebuild's page keys took a prose edit's
# budget; under `make serve` an unchanged fact base is the very same object (facts.load_cached).
FACT_BASE_ONLY = {"timeline", "dateline", "data-dictionary", "fact-counts"}
# Generated tables made from the fact base and from where the site shows each fact, the pages'
# titles and the corrections log (_shown_key): made again only when one of those changes.
FACT_BASE_AND_PLACES = {"bibliography", "unsupported", "corrections"}


def _shown_key() -> str:
    """Everything besides the fact base that the FACT_BASE_AND_PLACES tables are made from."""
    log = paths.DATA / corrections.FILE_NAME
    return _digest(
        repr(citations.fact_places()),
        repr(usage.pages_showing()),
        repr(usage.page_titles()),
        log.read_bytes() if log.is_file() else b"",
    )


class _TablesOfOneFactBase:
    """Generated tables' HTML for one fact base and day, each made once: for its page's key and for
    the page itself."""

    def __init__(self) -> None:
        self.made_from: tuple = (None, None)
        self.html: dict[tuple[str, str], tuple[str, str]] = {}  # (name, base) -> (shown key, HTML)
        # The tables the last pages asked for: the next fact base's are made ahead (prepare).
        self.asked: set[tuple[str, str]] = set()

    def html_of(self, name: str, base: str, fb: FactBase, shown: str) -> str:
        today = dt.date.today()
        if self.made_from[0] is not fb or self.made_from[1] != today:
            self.made_from, self.html = (fb, today), {}
        self.asked.add((name, base))
        made = self.html.get((name, base))
        if made is None or made[0] != shown:
            made = self.html[name, base] = (shown, tables.render(name, fb, base))
        return made[1]

    def prepare(self, fb: FactBase) -> None:
        if self.made_from[0] is fb:
            return  # the same fact base (a prose edit): the page keys make what changed, once
        # Made with the chart lists as they are before the kernels write theirs: a chart whose list
        # of facts changes makes a new key, and its tables are made again when the pages ask.
        shown = _shown_key()
        for name, base in sorted(self.asked):
            # A bad corrections log is reported, with its lines, when the page asks for the table.
            with contextlib.suppress(PluginError):
                self.html_of(name, base, fb, shown if name in FACT_BASE_AND_PLACES else "")


_TABLES = _TablesOfOneFactBase()


FRONT_TITLE = re.compile(r"\A---\s*\n(?:.*\n)*?title:\s*(.*)\n(?:.*\n)*?---", re.M)
H1 = re.compile(r"^#\s+(.+)$", re.M)


def heading(text: str, src_uri: str) -> str:
    """What a page's title is made from, read without rendering: the front matter's title or the
    first level-one heading (of the first Markdown cell, for a notebook)."""
    if src_uri.endswith(".ipynb"):
        try:
            cells = json.loads(text).get("cells", [])
        except ValueError:
            return ""
        text = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    found = FRONT_TITLE.search(text) or H1.search(text)
    return found.group(1).strip() if found else ""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


class Tracker:
    """Decides, page by page, what a dirty build renders, and records what it wrote."""

    def __init__(self, site_dir: str):
        self.keys_path = paths.BUILD / "cache" / f"pages-{_digest(os.path.abspath(site_dir))[:16]}.json"
        saved = self._load()
        self.previous: dict[str, str] = saved.get("keys", {})
        # The title each page had when last rendered: a page a dirty build does not render still
        # names itself in the navigation of those it does.
        self.titles: dict[str, str] = saved.get("titles", {})
        self.current: dict[str, str] = {}
        self.rendered: set[str] = set()
        self.asked = False
        self.warned = False

    def _load(self) -> dict:
        try:
            saved = json.loads(self.keys_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return saved if isinstance(saved, dict) else {}

    def track(self, files, inputs: Inputs) -> None:
        """Give every page a key, and MkDocs' dirty build the answer to 'render this page?'."""
        for file in files:
            self.current[file.src_uri] = inputs.page(file)
            # MkDocs asks File.is_modified() in dirty builds only; the default compares file times.
            file.is_modified = self._asker(file)

    def _asker(self, file):
        def is_modified() -> bool:
            self.asked = True
            return self.must_render(file)

        return is_modified

    def must_render(self, file) -> bool:
        if not os.path.isfile(file.abs_dest_path) or file.src_uri not in self.titles:
            return True
        return self.previous.get(file.src_uri) != self.current.get(file.src_uri)

    def rendered_page(self, page) -> None:
        self.rendered.add(page.file.src_uri)
        self.titles[page.file.src_uri] = page.title

    def save(self) -> None:
        """Record the keys of the pages now in the site folder; a page rendered with a warning is
        left out, so the next build renders (and reports) it again."""
        kept = {}
        for uri, key in self.current.items():
            if uri in self.rendered:
                if not self.warned:
                    kept[uri] = key
            elif uri in self.previous:
                kept[uri] = self.previous[uri]
        titles = {uri: self.titles[uri] for uri in kept if uri in self.titles}
        self.keys_path.parent.mkdir(parents=True, exist_ok=True)
        saved = {"keys": kept, "titles": titles}
        self.keys_path.write_text(json.dumps(saved, indent=0, sort_keys=True), encoding="utf-8")


class WarningSeen(logging.Handler):
    """Notes that the build logged a warning (MkDocs' strict mode stops on it after the build)."""

    def __init__(self, tracker: Tracker):
        super().__init__(logging.WARNING)
        self.tracker = tracker

    def emit(self, record: logging.LogRecord) -> None:
        self.tracker.warned = True


def merge_search_index(site_dir: str, previous: dict | None, doc_files, rendered_urls: set[str]) -> None:
    """After a dirty build the search plugin has indexed only the pages it rendered: keep the
    previous entries of every other page, in page order, as a clean build would list them."""
    path = Path(site_dir) / "search" / "search_index.json"
    if previous is None or not path.is_file():
        return
    fresh = json.loads(path.read_text(encoding="utf-8"))

    def by_page(entries: list[dict]) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for entry in entries:
            grouped.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        return grouped

    new, old = by_page(fresh["docs"]), by_page(previous.get("docs", []))
    docs = []
    for file in doc_files:
        # The home page's address is "./", its entries' location "".
        url = file.url.removeprefix("./")
        docs += new.get(url, []) if file.url in rendered_urls else old.get(url, [])
    fresh["docs"] = docs
    path.write_text(json.dumps(fresh, separators=(",", ":"), default=str), encoding="utf-8")
