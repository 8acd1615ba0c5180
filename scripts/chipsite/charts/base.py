"""What every chart is: an id, the facts it plots, the rows it shapes, the spec it encodes and the
description it writes, plus the registry that collects the charts of this package.

A chart is a subclass of `Chart` in its own module (named after its id, `-` written `_`), decorated
with `@register`. Its docstring is the chart's title (first line) and a one-sentence reading (the
paragraph after it). It does not write files (chipsite.artifacts does) or read the data folder
(chipsite.facts does).
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from ..facts import FactBase


@dataclass(frozen=True)
class Layout:
    """The width a chart is drawn for (its whole box, padding included), and the rules that follow.

    Text is FONT_SIZE px at the drawn width in both layouts: the site shows the narrow drawing on
    screens narrower than the wide one, so on screen it is never scaled below about 11 px.
    """

    name: str
    width: int
    narrow: bool
    ticks: int  # about how many ticks a continuous axis gets
    label_chars: int  # longest category label before it is shortened or wrapped


WIDE = Layout("wide", 680, narrow=False, ticks=8, label_chars=34)
NARROW = Layout("narrow", 320, narrow=True, ticks=4, label_chars=18)
LAYOUTS = (WIDE, NARROW)
FONT_SIZE = 12

REGISTRY: dict[str, Chart] = {}


class Chart:
    """One chart of the site. Subclasses set `id`, `notebook`, `name` and override the four steps."""

    id: str = ""
    notebook: str = ""  # the notebook in notebooks/ that draws it (without .ipynb)
    name: str = ""  # a short label for generated lists ("HBM supplier shares, report by report")
    order: int = 100  # place in generated lists (the site's reading order)
    height: int = 330
    # Subtitle: the unit and scope, e.g. "Share of HBM revenue or shipments (%), by research firm";
    # the period the data runs through is added from the plotted rows.
    scope: str = ""

    def headline(self, rows: pd.DataFrame) -> str:
        """The title: the finding the rows show, in words (by default the docstring's first line).
        Charts compute it from the rows so that it stays true when the facts change."""
        return (self.__doc__ or "").strip().split("\n")[0].rstrip(".")

    def through(self, rows: pd.DataFrame) -> str:
        """The subtitle's period, when 'data through ...' would not be true (e.g. days deals were
        announced); '' for the usual 'data through ...; forecasts to ...'."""
        return ""

    def dated(self, rows: pd.DataFrame) -> set[str] | None:
        """The ids of the facts drawn at their own period, where some facts drawn are not (a study's
        growth rate, drawn as the slope of a line across other dates): the chart's data runs through
        the newest of these periods, as its subtitle and citation say. None: every fact drawn is."""
        return None

    def facts(self, fb: FactBase) -> dict[str, pd.DataFrame]:
        """The fact frames the chart plots, by name: exactly the facts drawn or computed from."""
        raise NotImplementedError

    def rows(self, **frames: pd.DataFrame) -> pd.DataFrame:
        """The plotted rows, shaped from the fact frames (one row per mark or label)."""
        raise NotImplementedError

    def encode(self, rows: pd.DataFrame, layout: Layout) -> alt.TopLevelMixin:
        """The Altair chart for the shaped rows, drawn for a layout (no title, no theme)."""
        raise NotImplementedError

    def describe(self, rows: pd.DataFrame) -> str:
        """The chart's text alternative, computed from the rows."""
        raise NotImplementedError

    def table(self, rows: pd.DataFrame) -> dict | None:
        """The figure's data table, for a chart whose items the plotted facts alone do not name: one
        row per item drawn, {"columns": [...], "rows": [{"cells": [...], "ids": [fact ids]}]} (a
        computed value lists the facts it is computed from). None: the table lists the plotted
        facts (chipsite.site.figures.table_items)."""
        return None

    def __call__(self, layout: Layout = WIDE, **frames: pd.DataFrame) -> alt.TopLevelMixin:
        """The chart for these fact frames, with its description."""
        return self.draw(self.rows(**frames), layout)

    def draw(self, rows: pd.DataFrame, layout: Layout = WIDE) -> alt.TopLevelMixin:
        """The chart for rows already shaped (on a copy, so one shaping serves every layout)."""
        rows = rows.copy()
        return self.encode(rows, layout).properties(description=self.describe(rows))

    def build(self, fb: FactBase, layout: Layout = WIDE) -> tuple[alt.TopLevelMixin, pd.DataFrame]:
        """(chart, plotted fact rows) from the fact base."""
        frames = self.facts(fb)
        return self(layout, **frames), plotted(frames)

    @property
    def module(self) -> str:
        return self.id.replace("-", "_")


def register(cls: type[Chart]) -> type[Chart]:
    """Add a chart class to the registry; its module must be named after its id."""
    chart = cls()
    if not chart.id or not chart.notebook or not chart.name or not chart.scope:
        raise ValueError(f"{cls.__name__}: set id, notebook, name and scope")
    if cls.__module__.rsplit(".", 1)[-1] != chart.module:
        raise ValueError(f"{cls.__name__}: chart {chart.id!r} must live in charts/{chart.module}.py")
    if chart.id in REGISTRY:
        raise ValueError(f"chart id {chart.id!r} is registered twice")
    REGISTRY[chart.id] = chart
    return cls


def plotted(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every fact row a chart draws or computes from, once: the frame save_chart publishes."""
    parts = [f for f in frames.values() if f is not None and not f.empty]
    return pd.concat(parts, ignore_index=True).drop_duplicates("id").reset_index(drop=True)


def optional(fb: FactBase, name: str, **fields) -> pd.DataFrame | None:
    try:
        return fb.series(name, **fields)
    except KeyError:
        return None


def require(frame: pd.DataFrame | None, name: str) -> None:
    if frame is None or frame.empty:
        raise ValueError(
            f"{name}: no rows (check the series in data/facts; a chart selects facts by series, metric or "
            "fact id, never by a display name such as an entity's, so a renamed entity cannot empty it)"
        )
