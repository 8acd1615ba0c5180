"""How the build grows: today's site and a synthetic copy with N times the facts, charts and pages.

    python -m chipsite.bench_scale [--factor 10] [--keep]

Both sites are built from fresh copies of the repository in a temporary folder, in the same run:
a cold build (`mkdocs build --strict` from nothing, notebooks included), then the rebuilds that
`make serve` does after one data edit and after one prose edit, and the peak memory of each.
Exits 1 when a budget is missed:

- a cold build grows at most linearly with the size (N times the content, at most N times the time),
  and takes at most 240 s at N times the size;
- a rebuild after one data edit takes at most 2 s, at both sizes; after one prose edit, 1.5 s at N
  times the size. A rebuild's figure is the median of `--repeat` runs; work it leaves running once
  its pages are written (the next warm kernel, a chart's downloads) is timed apart.

Then it prints where each build's time goes, phase by phase (timings.py), so the next bottleneck
shows without a profiler.

The synthetic copy k of a fact, source, series, chart or page has `_sk` / `-sk` appended to its id;
each copied chart module and notebook draws the copied series, so an edit to one copy re-runs one
notebook, as an edit does on the real site.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from mkdocs.utils.yaml import yaml_load

from . import paths, timings

COPIED = ["data", "docs", "notebooks", "scripts", "mkdocs.yml", "CITATION.cff"]
BUDGET_DATA_EDIT = 2.0
BUDGET_PROSE_EDIT = 1.5
BUDGET_COLD = 240.0
PROSE_EDIT = "\nA sentence added to measure the rebuild after a prose edit.\n"


# --- The synthetic copy -------------------------------------------------------------------------


def _suffix(text: str, names: set[str], k: int, sep: str) -> str:
    """Every quoted literal that is one of `names` gets the copy's suffix."""
    return re.sub(r'"([A-Za-z0-9_-]+)"', lambda m: f'"{m[1]}{sep}s{k}"' if m[1] in names else m[0], text)


def _multiply_data(data: Path, k_range: range) -> tuple[set[str], set[str]]:
    """Append copies of every source and fact; return (fact ids, series names) of the original."""
    sources_path = data / "sources.yaml"
    sources = yaml.safe_load(sources_path.read_text(encoding="utf-8"))
    fact_ids, series = set(), set()
    for path in sorted((data / "facts").glob("*.yaml")):
        facts = yaml.safe_load(path.read_text(encoding="utf-8"))
        fact_ids |= {f["id"] for f in facts}
        series |= {f["series"] for f in facts if f.get("series")}
        copies = []
        for k in k_range:
            for fact in facts:
                copy = {**fact, "id": f"{fact['id']}_s{k}", "source_id": f"{fact['source_id']}_s{k}"}
                if fact.get("series"):
                    copy["series"] = f"{fact['series']}_s{k}"
                copies.append(copy)
        _append_yaml(path, copies)
    _append_yaml(sources_path, [{**s, "id": f"{s['id']}_s{k}"} for k in k_range for s in sources])
    return fact_ids, series


class _PlainDumper(yaml.SafeDumper):
    """Writes shared values out in full: the fact base refuses YAML anchors and aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _append_yaml(path: Path, records: list[dict]) -> None:
    text = yaml.dump(records, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


# A chart may pick facts by the start of their id (korea-chip-exports: the stated yearly growth),
# which every copy's ids share: each copy, the original included, is kept to its own facts.
ID_PREFIX_TEST = re.compile(r"\b(\w+)\.id\.startswith\(([^()]*)\)")


def _own_facts_only(text: str, k: int, k_range: range) -> str:
    ends = f'"_s{k}"' if k > 1 else "not {0}.id.endswith(" + repr(tuple(f"_s{j}" for j in k_range)) + ")"

    def keep(m: re.Match) -> str:
        own = f"{m[1]}.id.endswith({ends})" if k > 1 else ends.format(m[1])
        return f"({m[0]} and {own})"

    return ID_PREFIX_TEST.sub(keep, text)


def _multiply_charts(root: Path, k_range: range, fact_ids: set[str], series: set[str]) -> dict[str, str]:
    """Copy every chart module and notebook; return {notebook name: nav title} of the originals."""
    package = root / "scripts/chipsite/charts"
    modules = [p for p in sorted(package.glob("*.py")) if p.name not in {"__init__.py", "base.py", "encodings.py"}]
    chart_ids = {re.search(r'^\s+id = "([a-z0-9-]+)"', p.read_text(), re.M)[1] for p in modules}
    for module in modules:
        text = module.read_text(encoding="utf-8")
        for k in k_range:
            copy = _suffix(_suffix(text, fact_ids | series, k, "_"), chart_ids, k, "-")
            copy = re.sub(r'^(\s+notebook = )"([a-z0-9-]+)"', rf'\1"\2-s{k}"', copy, flags=re.M)
            (package / f"{module.stem}_s{k}.py").write_text(_own_facts_only(copy, k, k_range), encoding="utf-8")
        module.write_text(_own_facts_only(text, 1, k_range), encoding="utf-8")
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        for k in k_range:
            copy = nbformat.from_dict(json.loads(json.dumps(nb)))
            for cell in copy.cells:
                if cell.cell_type == "code":
                    cell.source = _suffix(cell.source, chart_ids, k, "-")
                    cell.source = re.sub(r'notebook="([a-z0-9-]+)"', rf'notebook="\1-s{k}"', cell.source)
            nbformat.write(copy, notebook.with_name(f"{notebook.stem}-s{k}.ipynb"))
    return chart_ids


def _copy_shortcodes(text: str, k: int, fact_ids: set[str], chart_ids: set[str]) -> str:
    """A page's facts and charts, pointed at copy k of them."""

    def fact(m: re.Match) -> str:
        return f"{{fact: {m[1]}_s{k}" if m[1] in fact_ids else m[0]

    def chart(m: re.Match) -> str:
        return f"{{chart: {m[1]}-s{k}" if m[1] in chart_ids else m[0]

    return re.sub(r"\{chart: ([a-z0-9-]+)", chart, re.sub(r"\{fact: ([a-z0-9_]+)", fact, text))


def _multiply_pages(root: Path, k_range: range, fact_ids: set[str], chart_ids: set[str]) -> None:
    """Copy every written page (not one built around a generated table) and its nav entry."""
    config_path = root / "mkdocs.yml"
    config = config_path.read_text(encoding="utf-8")
    head, _, _ = config.partition("\nnav:\n")
    nav = yaml_load(config)["nav"]
    pages = {
        (title, name)
        for entry in nav
        for title, name in entry.items()
        # A page built around a generated table is not copied; an article's date line is not that.
        if isinstance(name, str)
        and not re.search(r"\{table: (?!dateline\})", (root / "docs" / name).read_text(encoding="utf-8"))
    }
    methods = next(entry["Methods"] for entry in nav if "Methods" in entry)
    notebooks = [(t, n) for entry in methods if isinstance(entry, dict) for t, n in entry.items()]
    for k in k_range:
        section = []
        for title, name in sorted(pages):
            text = (root / "docs" / name).read_text(encoding="utf-8")
            text = _copy_shortcodes(text, k, fact_ids, chart_ids)
            text = re.sub(r"^title: (.*)$", rf"title: \1 (copy {k})", text, count=1, flags=re.M)
            copy = f"{Path(name).stem}-s{k}.md"
            (root / "docs" / copy).write_text(text, encoding="utf-8")
            section.append({f"{title} (copy {k})": copy})
        methods += [{f"{t} (copy {k})": n.replace(".ipynb", f"-s{k}.ipynb")} for t, n in notebooks]
        nav.append({f"Copy {k}": section})
    dumped = yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False, width=200)
    config_path.write_text(head + "\n" + dumped, encoding="utf-8")


def make_copy(dest: Path, factor: int) -> Path:
    """A fresh copy of the repository's sources (no build output), with `factor` times the content."""
    dest.mkdir(parents=True)
    for name in COPIED:
        source = paths.ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, dest / name)
    if factor > 1:
        copies = range(2, factor + 1)
        fact_ids, series = _multiply_data(dest / "data", copies)
        chart_ids = _multiply_charts(dest, copies, fact_ids, series)
        _multiply_pages(dest, copies, fact_ids, chart_ids)
    return dest


# --- The measurements ---------------------------------------------------------------------------

# Runs inside the copy: what `make serve` does (`mkdocs serve --dirty`: the plugins' startup, a first
# build, then a dirty rebuild after each edit, with the configuration read again each time).
SERVE = """
import json, logging, resource, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

messages = []
handler = logging.Handler()
handler.emit = lambda record: messages.append(record.getMessage())
logging.getLogger("mkdocs").addHandler(handler)
logging.getLogger("mkdocs").setLevel(logging.INFO)

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime

def rebuild(first=False):
    start, start_cpu = time.perf_counter(), cpu()
    config = load_config("mkdocs.yml", strict=True, site_dir="site")
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
        rebuild.plugins = config.plugins
    build(config, dirty=True)
    return time.perf_counter() - start, cpu() - start_cpu

rebuild(first=True)
from chipsite import notebooks, timings  # the copy's own package: the one its hooks report into

# Work a rebuild leaves running once its pages are written (the next data edit's warm kernel, the
# downloads, see downloads.py): done before the next edit, as while an author types.
def settle():
    start = time.perf_counter()
    notebooks.WARM.wait()
    return time.perf_counter() - start

settle()

result = {}
for name, path, old, new in json.loads(sys.argv[1]):
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    messages.clear()
    seconds, cpu_seconds = rebuild()
    result.setdefault(name, []).append({
        "seconds": seconds,
        "cpu": cpu_seconds,
        "reruns": sum(": ran in" in m for m in messages),
        "phases": timings.last(),
        "after": settle(),
    })
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rebuild.plugins.on_shutdown()
print(json.dumps(result))
"""


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPSITE_")}
    # The copy's own package (and chart modules) comes first on the path, in the build and its kernels.
    env["PYTHONPATH"] = str(root / "scripts")
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(command: list[str], root: Path) -> tuple[subprocess.CompletedProcess, float, float, float]:
    """(result, seconds, CPU seconds, peak MB) of one command run in the copy: the process and those
    it waited for (notebook kernels outlive their wait, so they are not counted)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=root, env=_env(root), stdout=out, stderr=err, text=True)
        # wait4, not wait: it also returns the resource use of the process and of those it waited for.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())
    return result, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _data_edit(root: Path) -> tuple[str, str, str]:
    """Change one charted, non-share value of the original facts (drawn by one notebook)."""
    for path in sorted((root / "data/facts").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^- id: (\S+)\n((?:  .*\n)+)", text, re.M):
            body = match[2]
            value = re.search(r"^  value: (\d+(?:\.\d+)?)$", body, re.M)
            plain = not re.search(r"^  (?:unit: percent|value_read_from: )", body, re.M)
            if value and re.search(r"^  series: ", body, re.M) and plain:
                old = f"- id: {match[1]}\n{body[: value.end()]}"
                # The excerpt no longer carries the edited value: the record says so, as a real one must.
                new = old[: -len(value[1])] + str(float(value[1]) + 1) + "\n  value_read_from: computed"
                return str(path), old, new
    raise RuntimeError("no charted value to edit in the fact base")


def _prose_edit(root: Path) -> tuple[str, str, str]:
    """A sentence added at the end of the article's body, before its close ("Where to go next")."""
    page = root / "docs/hbm-explained.md"
    close = next(
        line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("## Where to go next")
    )
    return str(page), close, PROSE_EDIT.strip("\n") + "\n\n" + close


def _edits(root: Path, repeat: int) -> list[tuple[str, str, str, str]]:
    """`repeat` data edits and prose edits, alternating. Each changes the text again (the value goes
    up by one more, the sentence gets a number), so each rebuild has the same real work to do."""
    data_path, data_old, first_new = _data_edit(root)
    prose_path, close, _ = _prose_edit(root)
    value = re.search(r"^  value: (\S+)$", data_old, re.M)[1]
    record = first_new.replace(f"value: {float(value) + 1}", "value: {}")

    def sentence(n: int) -> str:
        return PROSE_EDIT.strip("\n") if n == 0 else PROSE_EDIT.strip("\n").replace(".", f" ({n + 1}).")

    steps = []
    for n in range(repeat):
        before = data_old if n == 0 else record.format(float(value) + n)
        steps.append(("data_edit", data_path, before, record.format(float(value) + n + 1)))
        if n == 0:
            steps.append(("prose_edit", prose_path, close, sentence(0) + "\n\n" + close))
        else:
            steps.append(("prose_edit", prose_path, sentence(n - 1), sentence(n)))
    return steps


def _phases(figures: dict | None, wall: float) -> dict[str, float]:
    """A build's time by phase (timings.py), with "other" taking up what the hooks could not see
    (loading the configuration, the process start), so the phases add up to the measured time."""
    phases = {name: (figures or {}).get(name, 0.0) for name in timings.PHASES}
    phases["other"] = max(0.0, wall - sum(v for k, v in phases.items() if k != "other"))
    return phases


def _median_run(runs: list[dict]) -> dict:
    """The run with the median time (the lower middle one of an even count): its figures, phases
    included, are one real run's, not a mix."""
    return sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]


def measure(root: Path, repeat: int = 3) -> dict:
    result, cold, cold_cpu, cold_peak = _run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", "site"], root
    )
    if result.returncode != 0:
        raise RuntimeError(f"cold build of {root} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    cold_phases = _phases(json.loads((root / "build/timings.json").read_text(encoding="utf-8")), cold)
    serve, *_ = _run([sys.executable, "-c", SERVE, json.dumps(_edits(root, repeat))], root)
    if serve.returncode != 0:
        raise RuntimeError(f"rebuilds of {root} failed:\n{serve.stderr[-4000:]}")
    times = json.loads(serve.stdout.strip().splitlines()[-1])
    data, prose = _median_run(times["data_edit"]), _median_run(times["prose_edit"])
    return {
        "facts": sum(len(yaml.safe_load(p.read_text())) for p in (root / "data/facts").glob("*.yaml")),
        "charts": len(list((root / "build/charts").glob("*.meta.json"))),
        "pages": len(list((root / "site").rglob("index.html"))),
        "cold": cold,
        "cold_cpu": cold_cpu,
        "data_edit": data["seconds"],
        "data_edit_cpu": data["cpu"],
        "data_edit_all": [r["seconds"] for r in times["data_edit"]],
        "data_edit_after": [r["after"] for r in times["data_edit"]],
        "prose_edit": prose["seconds"],
        "prose_edit_cpu": prose["cpu"],
        "prose_edit_all": [r["seconds"] for r in times["prose_edit"]],
        "peak_mb": max(cold_peak, times["peak_mb"]),
        "reruns": data["reruns"],
        "prose_reruns": prose["reruns"],
        "phases": {
            "cold build": cold_phases,
            "data edit": _phases(data["phases"], data["seconds"]),
            "prose edit": _phases(prose["phases"], prose["seconds"]),
        },
    }


# --- The report ---------------------------------------------------------------------------------


def report(rows: dict[int, dict], factor: int) -> tuple[str, list[str]]:
    lines = [
        "Wall time (CPU time of the MkDocs process, without notebook kernels): on a busy machine wall time",
        "grows with the load, CPU time hardly does. A rebuild's figure is the median of its runs (listed below).",
        "",
        "| size | facts | charts | pages | cold build | rebuild after data edit | rebuild after prose edit "
        "| peak memory (MkDocs) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, r in rows.items():
        lines.append(
            f"| x{size} | {r['facts']} | {r['charts']} | {r['pages']} | {r['cold']:.1f} s ({r['cold_cpu']:.1f} s) "
            f"| {r['data_edit']:.1f} s ({r['data_edit_cpu']:.1f} s; {r['reruns']} notebook re-run) "
            f"| {r['prose_edit']:.1f} s ({r['prose_edit_cpu']:.1f} s) | {r['peak_mb']:.0f} MB |"
        )
    lines += ["", *breakdown(rows)]
    small, large = rows[1], rows[factor]
    growth = large["cold"] / small["cold"]
    content = large["facts"] / small["facts"]
    checks = [
        (f"cold build grows at most linearly: x{growth:.1f} the time for x{content:.0f} the facts", growth <= content),
        (f"cold build at x{factor}: {large['cold']:.0f} s <= {BUDGET_COLD:.0f} s", large["cold"] <= BUDGET_COLD),
        *(
            (
                f"rebuild after one data edit at x{size}: {rows[size]['data_edit']:.1f} s <= {BUDGET_DATA_EDIT:.1f} s",
                rows[size]["data_edit"] <= BUDGET_DATA_EDIT,
            )
            for size in rows
        ),
        (
            f"rebuild after one prose edit at x{factor}: {large['prose_edit']:.1f} s <= {BUDGET_PROSE_EDIT:.1f} s",
            large["prose_edit"] <= BUDGET_PROSE_EDIT,
        ),
    ]
    lines.append("")
    lines += [f"{'ok    ' if ok else 'MISSED'} {text}" for text, ok in checks]
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores:
        lines.append(f"note: load average {load:.1f} on {cores} cores during this run; wall times are inflated")
    return "\n".join(lines), [text for text, ok in checks if not ok]


def breakdown(rows: dict[int, dict]) -> list[str]:
    """Where each build's time goes (timings.PHASES), so the next bottleneck shows without a profiler."""
    names = list(timings.PHASES)
    lines = [
        "Where the time goes, in seconds (rebuilds: the median run; phases in scripts/chipsite/timings.py):",
        "",
        "| size | build | " + " | ".join(names) + " | total |",
        "|---|---|" + "---|" * (len(names) + 1),
    ]
    for size, r in rows.items():
        for step, phases in r["phases"].items():
            cells = " | ".join(f"{phases[name]:.2f}" for name in names)
            lines.append(f"| x{size} | {step} | {cells} | {sum(phases.values()):.2f} |")
    lines.append("")
    for size, r in rows.items():
        every = ", ".join(f"{s:.1f}" for s in r["data_edit_all"])
        prose = ", ".join(f"{s:.1f}" for s in r["prose_edit_all"])
        after = ", ".join(f"{s:.1f}" for s in r["data_edit_after"])
        lines.append(
            f"x{size}: every data-edit rebuild: {every} s (then in the background, the page on screen: "
            f"{after} s); every prose-edit rebuild: {prose} s"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, default=10, help="how many times today's content (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the copies (their path is printed)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rebuilds after each kind of edit; the median is reported (default 3)"
    )
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="chipsite-scale-"))
    rows = {}
    try:
        for size in (1, args.factor):
            root = make_copy(folder / f"x{size}", size)
            print(f"x{size}: building a copy with {size} times the content ...", flush=True)
            rows[size] = measure(root, args.repeat)
    except RuntimeError as err:
        print(f"bench-scale: {err}")
        return 1
    finally:
        if args.keep:
            print(f"copies kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    text, missed = report(rows, args.factor)
    print(text)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
