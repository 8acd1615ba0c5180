"""The site's charts, one module per chart, collected into REGISTRY when this package is imported.

Add a chart: write charts/<chart_id>.py with a `@register`ed subclass of `base.Chart` (see any
module here), then one cell in a notebook that calls `save(<chart-id>, fb, notebook=...)`.
"""

from __future__ import annotations

import importlib
import pkgutil

import altair as alt
import pandas as pd

from ..facts import FactBase
from .base import REGISTRY, WIDE, Chart, Layout, plotted

_SHARED = {"base", "encodings"}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    if _info.name not in _SHARED and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")
# Generated lists show the charts in reading order, not in file order.
_ordered = sorted(REGISTRY.values(), key=lambda c: (c.order, c.id))
REGISTRY.clear()
REGISTRY.update((c.id, c) for c in _ordered)


def get(chart_id: str) -> Chart:
    try:
        return REGISTRY[chart_id]
    except KeyError:
        raise KeyError(f"unknown chart id {chart_id!r} (known: {', '.join(REGISTRY)})") from None


def frames_for(chart_id: str, fb: FactBase) -> dict[str, pd.DataFrame]:
    """The fact frames a chart plots, as keyword arguments of its builder: exactly the rows drawn."""
    return get(chart_id).facts(fb)


def build(chart_id: str, fb: FactBase, layout: Layout = WIDE) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
    """(chart, plotted rows) for a chart id, from the fact base."""
    return get(chart_id).build(fb, layout)


def save(chart_id: str, fb: FactBase, *, notebook: str, **options):
    """Build a chart from the fact base and write its files; returns what the notebook cell shows."""
    from ..artifacts import save_registered

    return save_registered(get(chart_id), fb, notebook=notebook, **options)


__all__ = ["REGISTRY", "WIDE", "Chart", "Layout", "build", "frames_for", "get", "plotted", "save"]
