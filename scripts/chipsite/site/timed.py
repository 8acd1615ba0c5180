"""Reports MkDocs' own steps and the plugins' events to the build's time recorder (timings.py).

MkDocs has events around pages but none around the work between them (rendering Markdown, filling
templates, writing files), so those functions are wrapped here, once per process; a wrapper only
times the call it passes on, and outside a recorded build it only passes it on. Plugin events are
wrapped per build, in the configuration's own list of events: the search plugin's count as
"search", every other plugin's and hook's as "hooks" (the site's hooks name finer phases inside).
"""

from __future__ import annotations

import functools

from mkdocs import utils
from mkdocs.commands import build
from mkdocs.structure.files import File

from .. import timings

# MkDocs' steps: (owner, attribute, phase). The build module looks its helpers up at call time.
STEPS = [
    (build, "_populate_page", "markdown"),
    (build, "_build_page", "templates"),
    (build, "_build_theme_template", "templates"),
    (build, "_build_extra_template", "templates"),
    (utils, "write_file", "write"),
    (File, "copy_file", "write"),
]
# Events run before the recorder starts or after a build: not timed.
UNTIMED_EVENTS = {"startup", "shutdown", "serve", "config", "build_error"}


def _timed(function, name: str):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with timings.phase(name):
            return function(*args, **kwargs)

    wrapper.chipsite_timed = True
    return wrapper


def wrap_steps() -> None:
    for owner, attribute, name in STEPS:
        function = getattr(owner, attribute)
        if not getattr(function, "chipsite_timed", False):
            setattr(owner, attribute, _timed(function, name))


def wrap_events(plugins) -> None:
    """Each plugin's events in this configuration, timed as search or hooks."""
    origins = plugins._event_origins  # MkDocs keeps each event method's plugin name here
    for event, methods in plugins.events.items():
        if event in UNTIMED_EVENTS:
            continue
        for index, method in enumerate(methods):
            if getattr(method, "chipsite_timed", False):
                continue
            origin = origins.get(method, "")
            wrapper = _timed(method, "search" if origin.endswith("search") else "hooks")
            # Keep MkDocs' priority order and its record of where the event comes from.
            wrapper.mkdocs_priority = getattr(method, "mkdocs_priority", 0)
            origins[wrapper] = origin
            methods[index] = wrapper
