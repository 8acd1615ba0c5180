"""`make serve` after a failed rebuild: the last good site, the error on top, recovery on the next save.

MkDocs' live-reload server marks a rebuild as wanted before it runs it and as done only when it
succeeds; every page request waits for "done". A rebuild that fails (an unknown fact id, a strict-
mode warning) therefore left every request hanging until the next good build, with the error only
in the terminal. Here the server's builder is wrapped (MkDocs' `on_serve` event hands it over): a
failed rebuild is reported in the terminal and recorded, and then counts as done, so the browser
reloads at once. While an error is recorded, every HTML page the server sends carries it in a
banner above the page; the files in the site folder are never changed, so the next good build
(live reload fires again) shows the page without it.

What a failed build leaves in the site folder: a page error stops MkDocs before it writes any
page, so readers see the last good version; a strict-mode warning stops it after writing, so the
page is the new one, and the banner says what to fix.
"""

from __future__ import annotations

import html
import logging
import re
import traceback

log = logging.getLogger("mkdocs.plugins.chipsite")

BANNER_ID = "chipsite-build-error"
BODY_START = re.compile(rb"<body[^>]*>", re.I)
# Inline styles: the banner exists only in the preview server, never in a built page or its CSS.
BANNER = (
    f'<div id="{BANNER_ID}" role="alert" style="position:sticky;top:0;z-index:10000;margin:0;'
    "padding:.8rem 1rem;background:#8b0000;color:#fff;font:14px/1.45 system-ui,sans-serif;"
    'max-height:50vh;overflow:auto">'
    "<strong>The last rebuild failed.</strong> Fix the problem below and save: the page reloads by itself. "
    "Until then, the page below is the last one built."
    '<pre style="white-space:pre-wrap;margin:.5rem 0 0;font:13px/1.4 monospace;color:#fff;background:none">'
    "{messages}</pre></div>"
)


class Collector(logging.Handler):
    """The warnings and errors MkDocs and the hooks log during one build: what the terminal shows."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class ServeErrors:
    """The last rebuild's problems (empty once a rebuild succeeds), and the server wiring."""

    def __init__(self):
        self.messages: list[str] = []

    def guard(self, builder):
        """`builder` that never raises: a failure is logged and recorded instead."""

        def guarded(*args, **kwargs):
            collector = Collector()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(collector)
            try:
                builder(*args, **kwargs)
            except Exception as err:
                # MkDocs' Abort ("Aborted with a BuildError!") follows the located messages already
                # logged; anything else is a bug in a hook, shown with its traceback.
                if not isinstance(err, SystemExit):
                    traceback.print_exc()
                    collector.messages.append(f"{type(err).__name__}: {err}")
                elif not collector.messages:
                    collector.messages.append(str(err))
                self.messages = [m for m in collector.messages if m.strip()]
                log.error(
                    "The rebuild failed (see above). The preview shows the last good site with this error "
                    "on every page until a rebuild succeeds."
                )
                return
            finally:
                logger.removeHandler(collector)
            self.messages = []

        return guarded

    def page(self, content: bytes) -> bytes:
        """An HTML page with the banner right after <body>, if a rebuild has failed."""
        if not self.messages:
            return content
        banner = BANNER.format(messages=html.escape("\n".join(self.messages))).encode()
        start = BODY_START.search(content)
        at = start.end() if start else 0
        return content[:at] + banner + content[at:]

    def app(self, app):
        """A WSGI app that puts the banner into every HTML response of `app` while an error stands."""

        def banner_app(environ, start_response):
            if not self.messages:
                return app(environ, start_response)
            answer: dict = {}

            def hold(status, headers, exc_info=None):
                answer["status"], answer["headers"] = status, headers
                return lambda data: None  # the server returns bodies; it never calls write()

            body = app(environ, hold)
            headers = answer.get("headers", [])
            if not any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
                start_response(answer["status"], headers)
                return body
            try:
                content = self.page(b"".join(body))
            finally:
                if hasattr(body, "close"):
                    body.close()
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            start_response(answer["status"], [*headers, ("Content-Length", str(len(content)))])
            return [content]

        return banner_app

    def wire(self, server, builder):
        """Use the guarded builder for rebuilds and the banner for pages; returns `server`."""
        server.builder = self.guard(builder)
        server.set_app(self.app(server.get_app()))
        return server
