"""Benchmark: build times, page weight and Lighthouse scores, checked against bench.toml.

    python -m chipsite.bench [--skip-lighthouse]

Prints one table per measurement and exits 1 if a budget is broken. It edits one page and one
fact to time rebuilds and restores both afterwards. It is a measurement, not a test: numbers vary
with the machine. Lighthouse needs Node.js and npm (lighthouse@12.2.3 is installed on first use
into build/bench-tools) and a Chromium ($CHROMIUM or /usr/bin/chromium).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

from . import first_tap, paths, timings

LIGHTHOUSE = "lighthouse@12.2.3"
TOOLS = paths.BUILD / "bench-tools"
SITE = paths.ROOT / "site"
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".csv", ".xml", ".txt", ".md")


def mkdocs_build(dirty: bool = False) -> tuple[float, str]:
    """Seconds for one `mkdocs build --strict` process; dirty: rendering only the pages whose inputs
    changed, as `make serve` does (here with the process start, which serve pays once)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *(["--dirty"] if dirty else [])],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    return seconds, result.stderr


def reran(log: str) -> list[str]:
    return [line.split("notebook ")[1].split(":")[0] for line in log.splitlines() if ": ran in " in line]


def timed_edit(path: Path, old: str, new: str) -> tuple[float, str]:
    original = path.read_text(encoding="utf-8")
    if old not in original:
        sys.exit(f"bench: {path} no longer contains {old!r}; update the benchmark")
    try:
        path.write_text(original.replace(old, new, 1), encoding="utf-8")
        return mkdocs_build(dirty=True)
    finally:
        path.write_text(original, encoding="utf-8")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when asked, like GitHub Pages."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # Lighthouse and Chromium drop connections they no longer need; that is not a finding.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(directory: Path):
    server = QuietServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit("bench: no Chromium (install chromium or set CHROMIUM)")


def page_weights(base_url: str, pages: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        for page_path in pages:
            context = browser.new_context()
            page = context.new_page()
            seen = []

            def finished(request, seen=seen):
                seen.append(request)

            page.on("requestfinished", finished)
            page.goto(base_url + page_path, wait_until="networkidle")
            raw = gz = js = 0
            vendor = False
            for request in seen:
                response = request.response()
                body = response.body() if response else b""
                size = len(body)
                raw += size
                gz += (
                    len(gzip.compress(body, mtime=0))
                    if request.url.endswith(COMPRESSIBLE) or request.url[-1:] == "/"
                    else size
                )
                if request.resource_type == "script":
                    js += size
                    vendor |= "/assets/vendor/" in request.url
            charts = page.locator(".chart__canvas").count()
            rows.append(
                {
                    "page": page_path or "(home)",
                    "requests": len(seen),
                    "raw_kb": raw / 1024,
                    "gzip_kb": gz / 1024,
                    "js_kb": js / 1024,
                    "charts": charts,
                    "vendor_js": vendor,
                }
            )
            context.close()
        browser.close()
    return rows


def lighthouse(url: str, preset: str) -> dict:
    npx = shutil.which("npx")
    if not npx:
        raise RuntimeError("Node.js/npx not found (install nodejs and npm to run Lighthouse)")
    TOOLS.mkdir(parents=True, exist_ok=True)
    binary = TOOLS / "node_modules/.bin/lighthouse"
    if not binary.is_file():
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(TOOLS), LIGHTHOUSE], check=True
        )
    args = [
        str(binary),
        url,
        "--output=json",
        "--quiet",
        f"--chrome-path={chromium()}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-1000:])
    report = json.loads(result.stdout)
    return {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}


def lighthouse_median(url: str, preset: str, runs: int) -> dict:
    """Each category's median over `runs` runs (one slow run on a busy machine does not decide)."""
    results = [lighthouse(url, preset) for _ in range(runs)]
    return {k: round(statistics.median(r.get(k, 0) for r in results)) for k in results[0]}


def table(rows: list[dict]) -> str:
    if not rows:
        return ""
    keys = list(rows[0])

    def cell(v):
        return f"{v:.1f}" if isinstance(v, float) else str(v)

    widths = {k: max(len(k), *(len(cell(r[k])) for r in rows)) for k in keys}
    lines = [" | ".join(k.ljust(widths[k]) for k in keys), "-+-".join("-" * widths[k] for k in keys)]
    lines += [" | ".join(cell(r[k]).ljust(widths[k]) for k in keys) for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    budgets = tomllib.loads((paths.ROOT / "bench.toml").read_text())
    broken: list[str] = []

    # A cold build: every cache goes, except the Lighthouse install kept in build/bench-tools.
    for folder in [*(c for c in paths.BUILD.glob("*") if c != TOOLS), paths.ROOT / ".cache", SITE]:
        shutil.rmtree(folder) if folder.is_dir() else folder.unlink(missing_ok=True)
    cold, log = mkdocs_build()
    cold_ran = reran(log)
    phases = {"cold build": timings.last()}
    prose, _ = timed_edit(paths.DOCS / "hbm-explained.md", "\n\n", "\n\nA sentence added by the benchmark.\n\n")
    phases["prose edit"] = timings.last()
    fact_file = paths.DATA / "facts" / "hbm_market.yaml"
    data_time, data_log = timed_edit(fact_file, "claim: ", "claim: (bench edit) ")
    phases["data edit"] = timings.last()
    # restore the site for the weight measurement
    mkdocs_build()
    build_rows = [
        {
            "step": "cold build",
            "seconds": cold,
            "notebooks re-run": len(cold_ran),
            "budget": budgets["build"]["cold_seconds"],
        },
        {
            "step": "rebuild after a prose edit (build --dirty)",
            "seconds": prose,
            "notebooks re-run": 0,
            "budget": budgets["build"]["prose_rebuild_seconds"],
        },
        {
            "step": "rebuild after a data edit (hbm_market, build --dirty)",
            "seconds": data_time,
            "notebooks re-run": ", ".join(reran(data_log)) or "none",
            "budget": "-",
        },
    ]
    print("\nBuild\n" + table(build_rows))
    # Where each build's time went (scripts/chipsite/timings.py), from its first hook to its last:
    # the process start and reading the configuration come before and are not in it.
    names = [*timings.PHASES, "total"]
    rows = [{"build": step, **{k: (figures or {}).get(k, 0.0) for k in names}} for step, figures in phases.items()]
    print("\nWhere the time goes (seconds)\n" + table(rows))
    if cold > budgets["build"]["cold_seconds"]:
        broken.append(f"cold build {cold:.1f}s > {budgets['build']['cold_seconds']}s")
    if prose > budgets["build"]["prose_rebuild_seconds"]:
        broken.append(f"prose rebuild {prose:.1f}s > {budgets['build']['prose_rebuild_seconds']}s")

    server = serve(SITE)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = sorted(
        "" if p.parent == SITE else p.parent.relative_to(SITE).as_posix() + "/" for p in SITE.rglob("index.html")
    )
    weights = page_weights(base, pages)
    print("\nPages (transfer before interaction)\n" + table(weights))
    for row in weights:
        if row["charts"] and row["gzip_kb"] > budgets["pages"]["chart_page_gzip_kb"]:
            broken.append(f"{row['page']}: {row['gzip_kb']:.0f} KB gzip > {budgets['pages']['chart_page_gzip_kb']} KB")
        if row["vendor_js"]:
            broken.append(f"{row['page']}: loads the Vega bundle before any interaction")
    index_kb = (SITE / "search/search_index.json").stat().st_size / 1024
    print(f"\nSearch index: {index_kb:.1f} KB (budget {budgets['pages']['search_index_kb']} KB)")
    if index_kb > budgets["pages"]["search_index_kb"]:
        broken.append(f"search index {index_kb:.0f} KB")

    tap = budgets["first_tap"]
    taps = first_tap.measure(base, tap["page"], tap["chart"], tap["runs"])
    print(f"\nFirst tap on {tap['chart']}, Lighthouse mobile profile, fresh visits\n" + table(taps))
    shipped = next(row for row in taps if row["candidate"] == first_tap.CANDIDATES[0])
    if shipped["first tap answered (ms)"] > tap["answer_ms"]:
        broken.append(f"first tap answered in {shipped['first tap answered (ms)']} ms > {tap['answer_ms']} ms")

    if "--skip-lighthouse" not in args:
        rows = []
        lh = budgets["lighthouse"]
        runs = lh.get("runs", 1)
        for page in lh["pages"]:
            for preset in ("mobile", "desktop"):
                try:
                    # Mobile carries the performance budget, so it gets the repeated runs.
                    n = runs if preset == "mobile" else 1
                    scores = lighthouse_median(base + page, preset, n)
                except Exception as err:  # measurement failure is reported, and fails the budget
                    broken.append(f"lighthouse {preset} {page or '(home)'}: {err}")
                    continue
                rows.append({"page": page or "(home)", "preset": preset, "runs": n, **scores})
                want = {"accessibility": lh["accessibility"], "best-practices": lh["best_practices"], "seo": lh["seo"]}
                if preset == "mobile":
                    want["performance"] = lh["mobile_performance"]
                broken += [
                    f"lighthouse {preset} {page or '(home)'}: {k} {scores.get(k)} < {v}"
                    for k, v in want.items()
                    if scores.get(k, 0) < v
                ]
        print(f"\nLighthouse (mobile: median of {runs} runs)\n" + table(rows))
    server.shutdown()

    if broken:
        print("\nBudgets broken:\n- " + "\n- ".join(broken))
        return 1
    print("\nAll budgets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
