"""`make bench`: build synthetic datasets and Pelican's own pipeline in the same run, and print the figures.

Timings vary with the machine; the ratios to Pelican, measured in the same run, are what to compare.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import write_dataset

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TIMELINEJS = PROJECT / "tests" / ".cache" / "timelinejs" / "node_modules" / "@knight-lab" / "timelinejs" / "dist"


def measure(kind: str, *arguments: str, environment: dict | None = None) -> dict:
    # Every measurement starts with the disk's write-back done: otherwise the files the step before wrote (a dataset
    # of 10,000 records, or a site) are flushed during the next build and slow whichever one comes after them.
    os.sync()
    result = subprocess.run(
        [PYTHON, str(PROJECT / "bench" / "measure.py"), kind, *arguments],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, **(environment or {})},
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"{kind} {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(lines[-1])


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def folder_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def pelican_articles(folder: Path, count: int) -> Path:
    """The same number of plain Markdown articles, for Pelican's own pipeline with its default theme."""
    content = folder / "content"
    content.mkdir(parents=True)
    for number in range(count):
        day = f"{2000 + number % 26}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        (content / f"article-{number}.md").write_text(
            f"Title: Article {number}\nDate: {day}\nCategory: bench\n\n"
            + " ".join(["Plain Markdown text of a benchmark article."] * 12)
            + "\n",
            encoding="utf-8",
        )
    settings = folder / "pelicanconf.py"
    settings.write_text(
        f'PATH = "{content}"\nSITENAME = "bench"\nFEED_ALL_ATOM = None\nCACHE_CONTENT = False\n', encoding="utf-8"
    )
    return settings


def browser_figures(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(PROJECT / "tests"))
    from site_server import CHROMIUM_ARGS, serve

    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url + "/")
        page.wait_for_load_state("load")
        # Chromium can file the paint entry a moment after the load event on a large page.
        page.wait_for_function(
            "performance.getEntriesByType('paint').some(e => e.name === 'first-contentful-paint')", timeout=10_000
        )
        paint = page.evaluate(
            "performance.getEntriesByType('paint').filter(e => e.name === 'first-contentful-paint').map(e => e.startTime)[0]"
        )
        if paint is None:
            entries = page.evaluate("performance.getEntriesByType('paint').map(e => e.name)")
            raise SystemExit(f"no first-contentful-paint entry for {url}/ (paint entries: {entries})")
        loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        page.wait_for_load_state("networkidle")
        # The first filter loads the deferred older years; measure once every card is in the page.
        page.select_option("#filter-stance", index=1)
        for _ in range(600):
            if page.evaluate("document.querySelectorAll('[data-year-url]').length") == 0:
                break
            page.wait_for_timeout(50)
        cards = page.evaluate("document.querySelectorAll('main article[data-type]').length")
        page.select_option("#filter-stance", index=0)
        page.wait_for_timeout(500)
        # Script time, and time until the next frame is ready (style, layout and paint included).
        filter_script, filter_frame = page.evaluate(
            """async () => { const select = document.querySelector('#filter-type');
            const value = select.options[1].value; const script = [], frame = [];
            for (const choice of [value, '', value, '', value]) {
              await new Promise(done => setTimeout(done, 300));
              const start = performance.now(); select.value = choice;
              select.dispatchEvent(new Event('change', {bubbles: true}));
              script.push(performance.now() - start);
              await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
              frame.push(performance.now() - start); }
            script.sort((a, b) => a - b); frame.sort((a, b) => a - b); return [script[2], frame[2]]; }"""
        )
        search_ms = page.evaluate(
            """() => { const form = document.querySelector('form.filters'); const start = performance.now();
            form.elements.q.value = 'cotton vote'; form.dispatchEvent(new Event('submit', {cancelable: true}));
            document.body.offsetHeight; return performance.now() - start; }"""
        )
        browser.close()
    return {
        "first_paint_ms": paint,
        "load_ms": loaded,
        "filter_ms": filter_script,
        "filter_frame_ms": filter_frame,
        "search_ms": search_ms,
        "cards": cards,
    }


def page_bytes(site: Path) -> dict:
    event_page = next((site / "events").iterdir()) / "index.html"
    css = site / "theme" / "css" / "main.css"
    scripts = sorted((site / "theme" / "js").glob("*.js"))
    home_transfer = [
        site / "index.html",
        css,
        site / "theme" / "js" / "filter.js",
        site / "theme" / "js" / "embed-panel.js",
        site / "theme" / "js" / "embed-host.js",
        site / "theme" / "favicon.svg",
    ]
    embed_transfer = [
        site / "embed" / "index.html",
        css,
        site / "theme" / "js" / "filter.js",
        site / "theme" / "js" / "embed.js",
    ]
    event_embed = [next((site / "embed" / "events").iterdir()) / "index.html", css, site / "theme" / "js" / "embed.js"]
    return {
        "home": (site / "index.html").stat().st_size,
        "home_gz": gzipped(site / "index.html"),
        "event": event_page.stat().st_size,
        "event_gz": gzipped(event_page),
        "embed": (site / "embed" / "index.html").stat().st_size,
        "embed_gz": gzipped(site / "embed" / "index.html"),
        "home_transfer_gz": sum(gzipped(path) for path in home_transfer),
        "overview_transfer_gz": sum(
            gzipped(path) for path in [site / "overview" / "index.html", css, site / "theme" / "favicon.svg"]
        ),
        "embed_transfer_gz": sum(gzipped(path) for path in embed_transfer),
        "event_embed_transfer_gz": sum(gzipped(path) for path in event_embed),
        "js_gz": sum(gzipped(path) for path in scripts),
        "css_gz": gzipped(css),
    }


def kib(value: float) -> str:
    return f"{value / 1024:,.1f} KiB"


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]


def run(sizes: list[int], with_browser: bool, repeats: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    # As a first run would on most machines: Python compiles the plugin once and keeps the bytecode, as pip did for
    # Pelican's. Where PYTHONDONTWRITEBYTECODE is set (this project's machines), every build compiled it again.
    compileall.compile_dir(PROJECT / "plugins", quiet=1)
    environment = {"SOURCE_DATE_EPOCH": str(int(time.time()))}
    rows = []
    try:
        bundled = measure(
            "timeline",
            "build",
            "--output",
            str(work / "bundled"),
            "--set",
            f"TIMELINE_CACHE_PATH={work / 'cache-bundled'}",
            environment=environment,
        )
        figures = page_bytes(work / "bundled")
        print(
            f"Bundled dataset: build {bundled['wall']:.2f} s; home page {kib(figures['home'])} "
            f"({kib(figures['home_gz'])} gzipped), total transfer {kib(figures['home_transfer_gz'])} gzipped "
            f"(budget 100 KiB); overview total transfer {kib(figures['overview_transfer_gz'])} gzipped (budget 150 KiB); "
            f"JavaScript {kib(figures['js_gz'])} (budget 15 KiB), CSS {kib(figures['css_gz'])} (budget 20 KiB) gzipped."
        )
        if TIMELINEJS.exists():
            library = gzipped(TIMELINEJS / "js" / "timeline.js") + gzipped(TIMELINEJS / "css" / "timeline.css")
            same_events = library + gzipped(work / "bundled" / "data" / "timelinejs" / "timeline.json")
            print(
                f"TimelineJS: library {kib(library)} gzipped before any data, {kib(same_events)} with the bundled "
                f"events (plus its web fonts); our /embed/ of the same events: {kib(figures['embed_transfer_gz'])} "
                f"({figures['embed_transfer_gz'] / same_events:.0%}); one event's embed: {kib(figures['event_embed_transfer_gz'])}."
            )
        for count in sizes:
            events = work / f"events-{count}"
            start = time.perf_counter()
            write_dataset(events, count, PROJECT / "events" / "registry")
            generated = time.perf_counter() - start
            # A cache of its own for each size: the first validation and build start without one, as a fresh
            # checkout does; the second validation and the rebuild after one changed record use what they left.
            cache = f"TIMELINE_CACHE_PATH={work / f'cache-{count}'}"
            validate = ["validate", "--events", str(events), "--set", f"TIMELINE_CACHE_PATH={work / f'checks-{count}'}"]
            validation = measure("timeline", *validate, environment=environment)
            validation_again = measure("timeline", *validate, environment=environment)
            settings = pelican_articles(work / f"pelican-{count}", count)
            # Full builds alternate with Pelican's, each into a folder of its own (deleting one slows the disk for
            # minutes); the median of each is compared. The first of ours is the one the rebuilds start from.
            ours_runs, theirs_runs = [], []
            for repeat in range(repeats):
                ours_runs.append(
                    measure(
                        "timeline",
                        "build",
                        "--events",
                        str(events),
                        "--output",
                        str(work / f"site-{count}" if repeat == 0 else work / f"site-{count}-{repeat}"),
                        "--set",
                        f"TIMELINE_CACHE_PATH={work / f'cache-{count}' if repeat == 0 else work / f'cache-{count}-{repeat}'}",
                        environment=environment,
                    )
                )
                theirs_runs.append(
                    measure(
                        "pelican",
                        str(settings.parent / "content"),
                        "-s",
                        str(settings),
                        "-o",
                        str(work / f"pelican-out-{count}-{repeat}"),
                        "-q",
                    )
                )
            ours, theirs = median_run(ours_runs), median_run(theirs_runs)
            build = ["build", "--events", str(events), "--output", str(work / f"site-{count}"), "--set", cache]
            changed = next((events / "2010").glob("*.yaml"))
            original = changed.read_text(encoding="utf-8")
            # As many rebuilds as full builds, each after another edit of the same record, and the median compared
            # as for full builds. At 10,000 events the first comes a minute after the cache was written: some machines
            # (this project's) have dropped its files from memory by then, and it reads them back from the disk.
            rebuild_runs = []
            for repeat in range(repeats):
                changed.write_text(original.replace('title: "', f'title: "Changed {repeat + 1}: '), encoding="utf-8")
                rebuild_runs.append(measure("timeline", *build, environment=environment))
            rebuild = median_run(rebuild_runs)
            serving = measure(
                "serving",
                str(events),
                str(work / f"site-{count}"),
                str(work / f"cache-{count}"),
                str(changed),
                environment=environment,
            )
            sizes_now = page_bytes(work / f"site-{count}")
            row = {
                "events": count,
                "generate_s": generated,
                "validate_s": validation["wall"],
                "validate_again_s": validation_again["wall"],
                "build_s": ours["wall"],
                "per_event_ms": ours["wall"] / count * 1000,
                "peak_mib": max(run["peak_mib"] for run in ours_runs),
                "build_runs": [run["wall"] for run in ours_runs],
                "pelican_runs": [run["wall"] for run in theirs_runs],
                "pelican_s": theirs["wall"],
                "pelican_per_article_ms": theirs["wall"] / count * 1000,
                "pelican_peak_mib": max(run["peak_mib"] for run in theirs_runs),
                "ratio": ours["wall"] / theirs["wall"],
                "rebuild_s": rebuild["wall"],
                "rebuild_runs": [run["wall"] for run in rebuild_runs],
                "rebuild_share": rebuild["wall"] / ours["wall"],
                "serving_s": serving["wall"],
                "serving_share": serving["wall"] / ours["wall"],
                "output": folder_size(work / f"site-{count}"),
                **sizes_now,
            }
            if with_browser and count == 10000:
                row.update(browser_figures(work / f"site-{count}"))
            rows.append(row)
        print()
        print(
            "| events | validate | validate again | build | per event | peak memory | Pelican build | per article | Pelican peak | ratio | one-record rebuild | the same while serving | output |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            print(
                f"| {row['events']:,} | {row['validate_s']:.2f} s | {row['validate_again_s']:.2f} s | {row['build_s']:.2f} s | {row['per_event_ms']:.2f} ms | "
                f"{row['peak_mib']:.0f} MiB | {row['pelican_s']:.2f} s | {row['pelican_per_article_ms']:.2f} ms | "
                f"{row['pelican_peak_mib']:.0f} MiB | {row['ratio']:.2f} | {row['rebuild_s']:.2f} s ({row['rebuild_share']:.0%}) | "
                f"{row['serving_s']:.2f} s ({row['serving_share']:.0%}) | "
                f"{row['output'] / 2**20:,.0f} MiB |"
            )
        print()
        for row in rows:
            rebuilds = ", ".join(f"{wall:.2f} s ({wall / row['build_s']:.0%})" for wall in row["rebuild_runs"])
            print(
                f"{row['events']:,} events, full builds in the order run (medians above): ours "
                f"{', '.join(f'{wall:.2f}' for wall in row['build_runs'])} s; Pelican's "
                f"{', '.join(f'{wall:.2f}' for wall in row['pelican_runs'])} s; one-record rebuilds {rebuilds}."
            )
        print()
        print(
            "| events | home page | gzipped | event page | gzipped | embed page | gzipped | first paint | filter | search |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            browser = (
                f"{row['first_paint_ms']:.0f} ms | {row['filter_ms']:.1f} ms script, {row['filter_frame_ms']:.0f} ms to the next frame "
                f"({row['cards']:,} cards) | {row['search_ms']:.1f} ms"
                if "filter_ms" in row
                else "– | – | –"
            )
            print(
                f"| {row['events']:,} | {kib(row['home'])} | {kib(row['home_gz'])} | {kib(row['event'])} | {kib(row['event_gz'])} | "
                f"{kib(row['embed'])} | {kib(row['embed_gz'])} | {browser} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--with-50k", action="store_true", help="also build 50,000 events")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--repeats", type=int, default=3, help="full builds of each (ours and Pelican's, alternating), then rebuilds"
    )
    options = parser.parse_args()
    run(options.sizes + ([50000] if options.with_50k else []), not options.no_browser, options.repeats)
