"""Generated lists of the site's charts, from the chart registry (chipsite.charts).

    {table: charts}           the data page's table: each chart with its CSV, images and spec
    {table: chart-notebooks}  the methods index: each notebook with the charts it draws

`base` is the relative URL of the site root from the page (ending with /).
"""

from __future__ import annotations

import html
import json
from collections import defaultdict

from .. import paths
from ..facts import FactBase


def charts_table(fb: FactBase, base: str) -> str:
    from .. import charts  # the chart modules load Altair and pandas: only a page showing the list needs them

    rows = []
    for chart in charts.REGISTRY.values():
        files = f"{base}charts/{chart.id}"
        rows.append(
            f"<tr><td>{html.escape(chart.name)}</td>"
            f'<td><a href="{files}.csv">CSV</a></td>'
            f'<td><a href="{files}.svg">SVG</a>, <a href="{files}.png">PNG</a></td>'
            f'<td><a href="{files}.vl.json">Vega-Lite</a></td></tr>'
        )
    head = "<thead><tr><th>Chart</th><th>Data</th><th>Images</th><th>Specification</th></tr></thead>"
    return f"<table>{head}<tbody>{''.join(rows)}</tbody></table>"


def notebook_title(name: str) -> str:
    """The notebook's first heading, without the leading '#'."""
    path = paths.NOTEBOOKS / f"{name}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"] if path.is_file() else []
    for cell in cells:
        text = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown" and text.startswith("# "):
            return text.splitlines()[0][2:].strip()
    return name


def notebooks_table(fb: FactBase, base: str) -> str:
    from .. import charts

    by_notebook: dict[str, list[str]] = defaultdict(list)
    for chart in charts.REGISTRY.values():
        by_notebook[chart.notebook].append(chart.name)
    rows = "".join(
        f'<tr><td><a href="{base}methods/{name}/">{html.escape(notebook_title(name))}</a></td>'
        f"<td>{html.escape('; '.join(names))}</td></tr>"
        for name, names in by_notebook.items()
    )
    return f"<table><thead><tr><th>Notebook</th><th>Charts</th></tr></thead><tbody>{rows}</tbody></table>"


TABLES = {"charts": charts_table, "chart-notebooks": notebooks_table}
