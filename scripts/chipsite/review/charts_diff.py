"""Charts whose published files changed between two builds: the spec (code and styling), the data
(the CSV of plotted rows), the picture, the title and subtitle. Their before and after pictures are
copied next to the report; their rows are compared by fact id."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

# A row of a chart's CSV is one plotted fact: its id names it (with entity and period if repeated).
KEY_COLUMNS = ["id", "entity", "period"]


@dataclass
class RowChange:
    key: str
    fields: list[tuple[str, str, str]]  # (column, old, new)


@dataclass
class ChartChange:
    id: str
    kind: str  # "added", "changed" or "removed"
    title: str
    what: list[str] = field(default_factory=list)  # "data", "spec", "picture", "title", "subtitle", ...
    before_png: str | None = None  # relative to the report folder
    after_png: str | None = None
    rows_added: list[dict] = field(default_factory=list)
    rows_removed: list[dict] = field(default_factory=list)
    rows_changed: list[RowChange] = field(default_factory=list)
    notebook: str = ""


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _meta(folder: Path, chart_id: str) -> dict:
    path = folder / f"{chart_id}.meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _without_data(spec: bytes | None) -> dict | None:
    """The spec less its inline data: what is left is the chart's code and styling."""
    if spec is None:
        return None
    data = json.loads(spec)
    data.pop("datasets", None)
    data.pop("data", None)
    return data


def rows(text: bytes | None) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.decode("utf-8")))) if text else []


def _keyed(table: list[dict]) -> dict[str, dict]:
    keyed: dict[str, dict] = {}
    for row in table:
        key = row.get("id", "")
        if key in keyed or not key:
            key = " / ".join(row.get(c, "") for c in KEY_COLUMNS)
        keyed[key] = row
    return keyed


def diff_rows(old: list[dict], new: list[dict]) -> tuple[list[dict], list[dict], list[RowChange]]:
    """(rows added, rows removed, rows changed with their changed columns)."""
    a, b = _keyed(old), _keyed(new)
    added = [row for key, row in b.items() if key not in a]
    removed = [row for key, row in a.items() if key not in b]
    changed = []
    for key in a.keys() & b.keys():
        columns = [(c, a[key].get(c, ""), b[key].get(c, "")) for c in b[key] if a[key].get(c) != b[key].get(c)]
        if columns:
            changed.append(RowChange(key, columns))
    changed.sort(key=lambda change: list(b).index(change.key))
    return added, removed, changed


def modules_changed(old_root: Path, new_root: Path) -> set[str]:
    """Chart ids whose own module (scripts/chipsite/charts/<chart_id>.py) differs between two trees."""
    old_dir, new_dir = (root / "scripts" / "chipsite" / "charts" for root in (old_root, new_root))
    names = {p.name for folder in (old_dir, new_dir) for p in folder.glob("*.py")}
    return {
        Path(name).stem.replace("_", "-")
        for name in names
        if _read(old_dir / name) != _read(new_dir / name) and not name.startswith("_")
    }


def diff_charts(
    before: Path,
    after: Path,
    out_dir: Path,
    notebooks_changed: set[str] = frozenset(),
    code_changed: set[str] = frozenset(),
) -> list[ChartChange]:
    """Compare the chart folders of two builds; copy the pictures of changed charts to out_dir/charts/.
    A chart whose notebook or module changed is listed even if its files came out the same."""
    ids = sorted({p.name.removesuffix(".meta.json") for folder in (before, after) for p in folder.glob("*.meta.json")})
    changes = []
    for chart_id in ids:
        old_meta, new_meta = _meta(before, chart_id), _meta(after, chart_id)
        kind = "added" if not old_meta else "removed" if not new_meta else "changed"
        what = []
        old_spec, new_spec = _read(before / f"{chart_id}.vl.json"), _read(after / f"{chart_id}.vl.json")
        old_csv, new_csv = _read(before / f"{chart_id}.csv"), _read(after / f"{chart_id}.csv")
        if old_csv != new_csv:
            what.append("data")
        if _without_data(old_spec) != _without_data(new_spec):
            what.append("code or styling")
        for name in ("title", "subtitle", "reading", "source_line", "data_through"):
            if old_meta.get(name) != new_meta.get(name):
                what.append(name.replace("_", " "))
        if _read(before / f"{chart_id}.png") != _read(after / f"{chart_id}.png"):
            what.append("picture")
        notebook = new_meta.get("notebook") or old_meta.get("notebook") or ""
        if notebook in notebooks_changed:
            what.append("its notebook")
        if chart_id in code_changed:
            what.append("its chart module")
        if kind == "changed" and not what:
            continue
        change = ChartChange(chart_id, kind, new_meta.get("title") or old_meta.get("title", chart_id), what)
        change.notebook = notebook
        change.before_png = _copy(before / f"{chart_id}.png", out_dir, f"{chart_id}.before.png")
        change.after_png = _copy(after / f"{chart_id}.png", out_dir, f"{chart_id}.after.png")
        change.rows_added, change.rows_removed, change.rows_changed = diff_rows(rows(old_csv), rows(new_csv))
        changes.append(change)
    return changes


def _copy(picture: Path, out_dir: Path, name: str) -> str | None:
    if not picture.is_file():
        return None
    (out_dir / "charts").mkdir(parents=True, exist_ok=True)
    shutil.copy2(picture, out_dir / "charts" / name)
    return f"charts/{name}"
