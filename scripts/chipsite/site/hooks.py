"""MkDocs hooks: everything the site adds to MkDocs, in the order MkDocs calls it.

pre-build: validate the fact base, run changed notebooks, write downloads and the Vega bundle;
files: publish those generated files; nav: decide which pages a dirty build (`make serve`) renders
again (see incremental.py); page markdown: shortcodes (as placeholders) and the hand-typed number
check; page content: the shortcodes' HTML in place of the placeholders, after Markdown, so no fact
text is ever read as Markdown; post page: methods-page clean-up; post build: the notebook
stylesheet, the search index of a dirty build, the pages' keys; serve (after the first build of
`make serve`): a failed rebuild shows its error on the last good site (serve_errors.py). Errors
stop the build with a message naming file and line.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from .. import derived, notebooks, paths, publish, theme, timings, vendor
from ..facts import DataError, load_cached
from . import (
    abbreviations,
    chart_pages,
    editorial,
    figures,
    incremental,
    minify,
    notebook_pages,
    page_html,
    placeholders,
    serve_errors,
    shortcodes,
    table_boxes,
    tables,
    template_cache,
    timed,
)
from . import format as fmt

log = logging.getLogger("mkdocs.plugins.chipsite")

# Phrases that contain a unit but are not hand-typed figures: names and generations.
ALLOWED_NUMBER_PHRASES = ["12-high", "16-high", "8-high", "4-high", "24/7"]

# Generated files under build/, published at the same path in the site.
GENERATED = ["data/*", "charts/*", "assets/vendor/*.js", "assets/*.json", "methods/*.ipynb"]
_state: dict = {}
logging.getLogger("mkdocs.commands.build").addFilter(incremental.DirtyWarningFilter())


def on_startup(command, dirty) -> None:
    # `make serve` keeps a warm notebook kernel ready for the next data edit (see notebooks.py).
    notebooks.WARM.enabled = command == "serve"
    _state["serving"] = command == "serve"


def on_serve(server, config, builder):
    # A failed rebuild must not leave the preview hanging: see serve_errors.py.
    return serve_errors.ServeErrors().wire(server, builder)


def on_shutdown() -> None:
    notebooks.WARM.close()


def on_config(config):
    # Where this build's time goes (timings.py): MkDocs' steps and every plugin's events report in.
    timed.wrap_steps()
    timed.wrap_events(config.plugins)
    timings.start()
    # The footer is not rewritten per page: link the licenses with the site's absolute address.
    base = (config.get("site_url") or "/").rstrip("/") + "/"
    config["copyright"] = (
        f'Code: MIT license. Data and text: CC BY 4.0. See <a href="{base}about/#licenses">licenses</a>.'
    )
    _state["site"] = figures.Site.from_config(config)
    # Material merges its search index after a dirty rebuild of one page only; on_post_build below
    # merges it for any set of pages, so Material's own merge stays off.
    search = config.plugins.get("material/search")
    if search is not None:
        search.is_dirty = False
    return config


def on_pre_build(config) -> None:
    tracker = _state["tracker"] = incremental.Tracker(config["site_dir"])
    _state["warnings"] = incremental.WarningSeen(tracker)
    logging.getLogger("mkdocs").addHandler(_state["warnings"])
    _state["styles"] = notebook_pages.SharedStyles()
    try:
        with timings.phase("facts"):
            fb = load_cached()
    except DataError as err:
        raise PluginError("the fact base has problems:\n" + str(err)) from None
    try:
        # The fact base's downloads are written while the kernels run the notebooks.
        notebooks.run_all(fb, log=log.info, meanwhile=lambda: _meanwhile(fb))
    except notebooks.NotebookError as err:
        raise PluginError(str(err)) from None
    broken = derived.check_all(fb)
    if broken:
        raise PluginError("\n".join(broken))
    _state["bundle"] = vendor.write_bundle().name
    assets = paths.BUILD / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    themes = json.dumps({"light": theme.config("light"), "dark": theme.config("dark")}, sort_keys=True)
    target = assets / "chart-theme.json"
    if not target.is_file() or target.read_text() != themes:
        target.write_text(themes)


def _meanwhile(fb) -> None:
    """While the kernels draw charts: the fact base's downloads and what page keys need of it."""
    _publish(fb)
    incremental.prepare(fb)


def _publish(fb) -> None:
    """The fact base's downloads, written again only for another fact base: under `make serve` an
    unchanged one is the very same object (load_cached), and rewriting it took a prose edit's time."""
    written = _state.get("published")
    if written is None or written[0] is not fb or not all(path.is_file() for path in written[1]):
        _state["published"] = (fb, publish.write(fb))


@event_priority(100)  # before mkdocs-jupyter, so it converts the executed notebooks added here
def on_files(files: Files, config) -> Files:
    for pattern in GENERATED:
        for path in sorted(paths.BUILD.glob(pattern)):
            if path.is_file():
                uri = path.relative_to(paths.BUILD).as_posix()
                files.append(File(uri, str(paths.BUILD), config["site_dir"], config["use_directory_urls"]))
    return chart_pages.add(files, config)


def on_nav(nav, config, files):
    tracker: incremental.Tracker = _state["tracker"]
    pages = files.documentation_pages()
    _state["doc_files"] = pages
    inputs = _state["inputs"] = incremental.Inputs(config, pages, load_cached(), _state["bundle"])
    tracker.track(pages, inputs)
    for file in pages:
        # A page a dirty build does not render still gives its title and metadata to the
        # navigation of those it does (reading the metadata converts no Markdown).
        if file.page is None or tracker.must_render(file):
            continue
        if file.page.markdown is None and file.src_uri.endswith(".md"):
            file.page.read_source(config)
        file.page.title = tracker.titles[file.src_uri]
    return nav


def _base(page) -> str:
    return "../" * page.url.count("/")


def _warn_typed_numbers_in_notebook(page) -> None:
    """Notebook prose follows the page rule; the cells are read from the executed notebook."""
    notebook = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"], start=1):
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            for _, typed in shortcodes.hand_typed_numbers(text, ALLOWED_NUMBER_PHRASES):
                log.warning(
                    f"notebooks/{Path(page.file.src_uri).name}: cell {index}: number typed by hand: "
                    f"{typed!r} (describe it in words; the chart and its data carry the figures)"
                )


def front_matter_lines(page, markdown: str) -> int:
    """Lines MkDocs removed above `markdown` (the front matter), so errors name the file's real line."""
    source = getattr(page.file, "content_string", None)
    if not isinstance(source, str) or not source.endswith(markdown):
        return 0
    return source[: len(source) - len(markdown)].count("\n")


def _known_days(fb) -> set:
    """The days the fact base vouches for, once per fact base (every page asks)."""
    if _state.get("days_for") is not fb:
        _state["days_for"], _state["days"] = fb, editorial.known_days(fb)
    return _state["days"]


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        _warn_typed_numbers_in_notebook(page)
        return markdown
    fb = load_cached()
    src = page.file.src_uri
    base = _base(page)
    sources_url = f"{base}sources/"
    use = shortcodes.PageUse()
    for problem in placeholders.find(page.file.content_string, src):
        log.warning(problem)
    offset = front_matter_lines(page, markdown)
    unsafe = page_html.raw_html(markdown, src, offset)
    if unsafe:
        raise PluginError("raw HTML a page may not carry:\n" + "\n".join(unsafe))
    stash = _state.setdefault("stash", {})[src] = shortcodes.Stash()
    ids = set(fb.facts) | set(fb.sources) | figures.chart_ids()
    for problem in (
        editorial.article_shape(markdown, src, offset)
        + editorial.workshop_talk(markdown, src, ids, offset)
        + editorial.dated_lists(markdown, src, fb, offset)
        + editorial.typed_dates(markdown, src, fb, offset, _known_days(fb))
    ):
        log.warning(problem)
    for line, text in shortcodes.hand_typed_numbers(markdown, ALLOWED_NUMBER_PHRASES):
        log.warning(
            f"{src}:{line + offset}: number typed by hand: {text!r} (write it as {{fact: <fact_id>}} "
            "so it comes from the fact base)"
        )
    try:
        markdown = shortcodes.expand_facts(markdown, fb, src, sources_url, use, stash=stash, offset=offset)
    except shortcodes.ShortcodeError as err:
        raise PluginError(str(err)) from None

    def block(match: re.Match) -> str:
        kind, name, option = match.groups()
        line = shortcodes.line_of(markdown, match.start(), offset)
        if kind == "chart":
            try:
                meta = figures.chart_meta(name)
                # Above the first section heading, the chart is on the reader's first screen.
                first_screen = not re.search(r"^##\s", markdown[: match.start()], re.M)
                html = figures.figure(
                    meta,
                    base,
                    _state["bundle"],
                    site=_state.get("site"),
                    narrow_only=option == "narrow",
                    standalone=option == "standalone",
                    first_screen=first_screen,
                )
            except figures.UnknownChart as err:
                raise PluginError(f"{src}:{line}: {err}") from None
            use.facts += [i for i in meta["fact_ids"] if i not in use.facts]
            return stash.block(html)
        if name not in tables.TABLES:
            raise PluginError(f"{src}:{line}: unknown table {name!r} (use one of: {', '.join(tables.TABLES)})")
        if name == "dateline":  # dated by the facts the whole page shows: filled in below
            datelines.append(len(stash.items))
            return stash.block("")
        # The HTML made for the page's key in this build (on_nav), when it was made from this fact base.
        inputs = _state.get("inputs")
        made = inputs is not None and inputs.fb is fb
        return stash.block(inputs.table_html(name, base) if made else tables.render(name, fb, base))

    datelines: list[int] = []
    markdown = shortcodes.BLOCK.sub(block, markdown)
    for index in datelines:
        stash.items[index] = (tables.dateline(fb, fact_ids=use.facts), "")
    leftovers = shortcodes.leftover_shortcodes(markdown, src, offset)
    if leftovers:
        raise PluginError("\n".join(leftovers))
    if use.facts:
        checked = fb.last_checked(use.facts).isoformat()
        n_sources = len({fb.fact(i).source_id for i in use.facts})
        markdown += (
            f'\n\n<p class="last-checked">Facts on this page last checked {checked}: '
            f"{fmt.counted(len(use.facts), 'fact')} from {fmt.counted(n_sources, 'source')}. "
            f'<a href="{base}about/#corrections">Report a correction</a>.</p>\n'
        )
    return markdown


def _restore_toc(items, stash: shortcodes.Stash) -> None:
    for item in items:
        item.title = stash.restore_plain(item.title)
        _restore_toc(item.children, stash)


def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        # Keep notebook code and output out of the search index.
        page.meta["search"] = {"exclude": True}
        base = _base(page)

        def expand(match: re.Match) -> str:
            return figures.figure(figures.chart_meta(match.group(1)), base, _state["bundle"], site=_state.get("site"))

        html = re.sub(r'<div class="chart-ref" data-chart-id="([a-z0-9-]+)">[^<]*</div>', expand, html)
        return table_boxes.box_plain_tables(html)
    source = getattr(page.file, "content_string", "") or ""
    unsafe = list(dict.fromkeys(page_html.rendered_links(html, source, page.file.src_uri)))
    if unsafe:
        raise PluginError("an address a page may not carry:\n" + "\n".join(unsafe))
    html = abbreviations.first_use_only(html)
    stash = _state.get("stash", {}).pop(page.file.src_uri, None)
    if stash is None:
        return table_boxes.box_plain_tables(html)
    try:
        html = stash.restore(html, page.file.src_uri)
    except shortcodes.ShortcodeError as err:
        raise PluginError(str(err)) from None
    _restore_toc(page.toc or [], stash)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= stash.anchor_ids()
    return table_boxes.box_plain_tables(html)


def on_post_page(output: str, page, config) -> str:
    _state["tracker"].rendered_page(page)
    if page.file.src_uri.endswith(".ipynb"):
        output = _state["styles"].take(output, _base(page))
        output = notebook_pages.drop_external_loaders(output)
    return output


def on_env(env, config, files):
    tracker: incremental.Tracker = _state["tracker"]
    # Before any template is loaded: a rebuild reuses the compiled templates of the one before.
    template_cache.attach(env)
    # Read before the search plugin writes this build's index over it (on_post_build).
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    before = tracker.asked and index.is_file()
    _state["search_before"] = json.loads(index.read_text(encoding="utf-8")) if before else None
    return env


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config) -> None:
    tracker: incremental.Tracker = _state["tracker"]
    site_dir = Path(config["site_dir"])
    pages = [f for f in _state.get("doc_files", []) if f.page is not None]
    styles: notebook_pages.SharedStyles = _state["styles"]
    with timings.phase("hooks"):
        if tracker.asked:
            # The notebook stylesheet keeps the rules of the Methods pages this build did not render.
            for file in pages:
                if file.src_uri.endswith(".ipynb") and file.src_uri not in tracker.rendered:
                    styles.add_classes_from(Path(file.abs_dest_path))
            rendered_urls = {f.url for f in pages if f.src_uri in tracker.rendered}
            with timings.phase("search"):
                incremental.merge_search_index(str(site_dir), _state.get("search_before"), pages, rendered_urls)
        styles.write(site_dir, paths.BUILD / "cache")
        minify.minify_assets(site_dir)
        logging.getLogger("mkdocs").removeHandler(_state.pop("warnings"))
        tracker.save()
    figures = timings.finish()
    if figures:
        # Shown while serving, where a rebuild's time is felt; a plain build keeps its usual log.
        (log.info if _state.get("serving") else log.debug)("time by phase: " + timings.line(figures))
    # The next data edit's kernel starts warming up only now: during the build it would take a
    # core from the pages being rendered.
    notebooks.WARM.prepare(copy_to=str(Path(config["site_dir"]) / "charts"))


# This event closes the build's time record itself, so it is not wrapped as one more hook.
on_post_build.chipsite_timed = True


def on_build_error(error) -> None:
    timings.discard()
    if "warnings" in _state:
        logging.getLogger("mkdocs").removeHandler(_state.pop("warnings"))
