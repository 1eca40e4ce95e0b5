"""Benchmark: the dashboards under load, on SQLite or PostgreSQL.

1. Fill: a fresh store with invented figures (every indicator and breakdown, 153 councils with
   their regions and England, ten years: 801,960 values in one computed load; see
   ``dashboard_fill.py``), and one area (the first council) with a children's partnership and an
   adults' board, each with three priorities and eight dashboard panels, ten statistical
   neighbours, and 20 board members, alternately of each partnership.
2. Serve: ``safeguarding serve`` (waitress, as in production, debug off) on a free loopback port,
   with its own secret key, on the same data directory and database.
3. Read: every reader signs in through the sign-in form, then asks for one page after another
   with no pause (a closed loop) for 60 seconds, each time a page type drawn by weight
   (``dashboard_traffic.PAGE_TYPES``: indicator page 4, dashboard 3, catalogue 2, indicator
   page with a breakdown 2, public dashboard, disproportionality (children's readers only) and
   CSV download 1 each) with a random indicator of their partnership's domain. One request of
   each page type per partnership is made first and not counted (a running server would have
   served them already).
4. Report: requests per second, median and 95th percentile latency overall and by page type,
   errors (anything but 200 OK) with examples, the server's peak memory and CPU, and whether the
   target was met: 95th percentile under 300 ms with no errors.

With no pause between pages, a reader always has a request waiting, so the median latency is
about readers divided by requests per second (Little's law): 20 readers within 300 ms need
the server to answer about 70 or more pages a second.

    .venv/bin/python benchmarks/dashboard_load.py [--duration 60] [--users 20] [--quick]
        [--database-url postgres://...] [--pages catalogue,indicator,...] [--think 0]
        [--json out.json] [--data-dir DIR]

SQLite unless ``--database-url`` or ``DATABASE_URL`` names another database, which must be empty
(``scripts/with-postgres`` makes one; ``make bench-dashboard-postgres``). On PostgreSQL the
tables are analysed after filling, as autovacuum would do at some moment of the run; SQLite is
left as a new installation has it. ``--data-dir`` keeps the data directory (and the SQLite
database in it) and reuses the store on the next run at the same scale, to skip filling.
``--pages overview,results`` reads pages older than the dashboards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import dashboard_fill as fill
import dashboard_traffic as traffic

TARGET_P95_MS = 300.0
BIN = Path(sys.executable).parent
SITE_FILE = "bench-site.json"
QUICK = {"councils": 3, "years": 2, "users": 5, "duration": 5.0}
FULL = {"councils": 153, "years": fill.YEARS, "users": 20, "duration": 60.0}


# -- the store -----------------------------------------------------------------------------------


def _set_up_django(data_dir: Path, database_url: str | None) -> str:
    """Point Django at the data directory and database; the database's vendor."""
    os.environ["SAFEGUARDING_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SAFEGUARDING_DEBUG", None)
    from safeguarding.commands.common import start_django

    start_django(data_dir)
    from django.db import connection

    return connection.vendor


def _scale_key(scale: fill.Scale) -> dict[str, Any]:
    return {
        "councils": [c.ons_code for c in scale.councils],
        "first_year": scale.first_year,
        "years": scale.years,
        "seed": scale.seed,
    }


def _reusable(data_dir: Path, scale: fill.Scale, users: int) -> fill.Site | None:
    """The store an earlier run filled in ``data_dir`` with the same scale, if it is there."""
    from safeguarding.web.results.models import IndicatorValue

    saved = data_dir / SITE_FILE
    if not saved.exists():
        return None
    kept = json.loads(saved.read_text())
    if kept["scale"] != _scale_key(scale) or len(kept["site"]["logins"]) < users:
        return None
    logins = [fill.Login(**login) for login in kept["site"]["logins"]]
    site = fill.Site(**{**kept["site"], "logins": logins})
    return site if IndicatorValue.objects.count() == site.rows else None


def prepare_store(data_dir: Path, scale: fill.Scale, users: int, *, keep: bool) -> fill.Site:
    """Migrate an empty database and fill it, or reuse one filled before (``keep``)."""
    from django.core.management import call_command
    from django.db import connection

    if keep and (data_dir / SITE_FILE).exists():
        call_command("migrate", interactive=False, verbosity=0)  # any migration added since
        if site := _reusable(data_dir, scale, users):
            print(f"Reusing the store filled before in {data_dir} ({site.rows:,} values).")
            return site
    if connection.introspection.table_names():
        raise SystemExit(
            "The database is not empty. The benchmark fills a database of its own: give an "
            "empty one (scripts/with-postgres makes one), no DATABASE_URL for SQLite, or a new "
            "--data-dir (one filled at another scale is not reused)."
        )
    print("Applying the migrations ...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print(
        f"Filling the store: {len(scale.councils)} councils, their regions and England, "
        f"{scale.years} years from {scale.first_year}, every indicator and breakdown ...",
        flush=True,
    )
    site = fill.fill_store(scale, users)
    print(
        f"Stored {site.rows:,} values in {site.seconds:.1f} s "
        f"({site.rows / site.seconds:,.0f} a second), in one load."
    )
    if keep:
        saved = data_dir / SITE_FILE
        saved.write_text(json.dumps({"scale": _scale_key(scale), "site": asdict(site)}))
        saved.chmod(0o600)  # it holds the invented readers' passwords
    return site


def check_addresses(page_types: Sequence[str], readers: Sequence[traffic.Reader]) -> list[str]:
    """The page types whose addresses the app does not know yet."""
    import random

    from django.urls import Resolver404, resolve

    missing = []
    for page_type in page_types:
        reader = next((r for r in readers if traffic.page_types_for(r, [page_type])), None)
        if reader is None:  # no reader asks for it
            continue
        path = traffic.page_path(page_type, reader, random.Random(0)).split("?")[0]
        try:
            resolve(path)
        except Resolver404:
            missing.append(f"{page_type} ({path})")
    return missing


# -- the server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``safeguarding serve`` on a free loopback port, answering; the process and the port."""
    port = _free_port()
    env = {**os.environ, "SAFEGUARDING_DATA_DIR": str(data_dir)}
    env["SAFEGUARDING_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("SAFEGUARDING_DEBUG", None)
    command = [str(BIN / "safeguarding"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 (the project's own command)
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    browser = traffic.Browser("127.0.0.1", port)
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped at start:\n{log.read_text()[-3000:]}")
        try:
            status, _, _ = browser.request("GET", traffic.SIGN_IN, signed_in=False)
            if status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise SystemExit(f"The server did not answer within 60 s:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    browser.close()
    return server, port


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class ServerWatch:
    """The server's CPU time over the run and its peak resident memory, over the server's
    process and its workers (gunicorn forks one a core)."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.peak_rss = 0
        self.cpu_at_start = 0.0
        self.cpu_seconds = 0.0
        self.workers = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _processes(self) -> list[Any]:
        return [self.process, *self.process.children(recursive=True)]

    def _cpu(self) -> float:
        total = 0.0
        for process in self._processes():
            times = process.cpu_times()
            total += times.user + times.system
        return total

    def _rss(self) -> int:
        return sum(process.memory_info().rss for process in self._processes())

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.peak_rss = max(self.peak_rss, self._rss())

    def start(self) -> None:
        self.cpu_at_start = self._cpu()
        self.workers = len(self._processes()) - 1
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu_seconds = self._cpu() - self.cpu_at_start
        self.peak_rss = max(self.peak_rss, self._rss())


# -- the report ----------------------------------------------------------------------------------


def _row(name: str, figures: traffic.Figures, seconds: float) -> str:
    return (
        f"{name:<20} {figures.requests:>8,} {figures.requests / seconds:>8.1f} "
        f"{figures.median_ms:>9.0f} {figures.p95_ms:>9.0f} {figures.max_ms:>9.0f} "
        f"{figures.mean_kb:>8.1f} {figures.errors:>7,}"
    )


def report_first_visits(outcomes: Sequence[traffic.Outcome]) -> None:
    """How long pages take to draw the first time after a load, one at a time."""
    figures = traffic.Figures.of(outcomes)
    total = sum(o.seconds for o in outcomes)
    print(
        f"First visits: {figures.requests:,} addresses in {total:.1f} s, one at a time; "
        f"median {figures.median_ms:.0f} ms, 95th percentile {figures.p95_ms:.0f} ms, "
        f"slowest {figures.max_ms:.0f} ms; {figures.errors:,} errors. Every later visit, until "
        "the next load, reads what these worked out."
    )


def report(
    outcomes: Sequence[traffic.Outcome],
    seconds: float,
    page_types: Sequence[str],
    warm: Sequence[traffic.Outcome],
) -> tuple[traffic.Figures, dict[str, traffic.Figures]]:
    print("\nWarm-up, one request of each page type before the clock started (not counted):")
    for outcome in warm:
        note = f"  {outcome.problem}" if outcome.problem else ""
        print(f"  {outcome.page_type:<20} {outcome.seconds * 1000:>7.0f} ms  {outcome.path}{note}")
    overall = traffic.Figures.of(outcomes)
    pages = traffic.by_page_type(outcomes, page_types)
    print(
        f"\n{'page type':<20} {'requests':>8} {'per s':>8} {'median ms':>9} {'p95 ms':>9} "
        f"{'max ms':>9} {'mean KB':>8} {'errors':>7}"
    )
    for name, figures in pages.items():
        print(_row(name, figures, seconds))
    print(_row("all", overall, seconds))
    if overall.errors:
        print(f"\n{overall.errors:,} errors; for example:")
        for example in traffic.error_examples(outcomes):
            print(f"  {example}")
    return overall, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, help="Seconds of load (60).")
    parser.add_argument("--users", type=int, help="Simulated readers side by side (20).")
    parser.add_argument("--councils", type=int, help="Councils to fill the store with (153).")
    parser.add_argument("--years", type=int, help="Years of figures (10, to 2024-25).")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="Seconds each reader pauses between pages (0: the next page as soon as the last "
        "arrived).",
    )
    parser.add_argument("--seed", type=int, default=fill.SEED)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="A few seconds' check: 3 councils, 2 years, 5 readers, 5 seconds.",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="An empty database."
    )
    parser.add_argument(
        "--pages",
        default=",".join(traffic.DASHBOARD_PAGES),
        help=f"Page types to read, from: {', '.join(traffic.PAGE_TYPES)}.",
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    parser.add_argument(
        "--no-first-visits",
        dest="first_visits",
        action="store_false",
        help="Start the clock without first visiting every address once (the pages are then "
        "drawn for the first time under load).",
    )
    parser.add_argument("--data-dir", type=Path, help="Keep the store here and reuse it.")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    councils = args.councils or sizes["councils"]
    users = args.users or sizes["users"]
    duration = args.duration or sizes["duration"]
    years = args.years or sizes["years"]
    page_types = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in page_types if p not in traffic.PAGE_TYPES]
    if unknown or not page_types:
        parser.error(f"unknown page types: {', '.join(unknown)}")
    if not 1 <= councils <= len(fill.councils()):
        parser.error(f"--councils must be from 1 to {len(fill.councils())}")
    scale = fill.Scale(
        tuple(fill.benchmark_councils(councils)),
        first_year=fill.FIRST_YEAR + fill.YEARS - years,
        years=years,
        seed=args.seed,
    )

    with tempfile.TemporaryDirectory(prefix="sg-dash-bench-") as scratch:
        data_dir = (args.data_dir or Path(scratch) / "data").resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        vendor = _set_up_django(data_dir, args.database_url)
        print(f"Database: {vendor}; data directory {data_dir}")
        site = prepare_store(data_dir, scale, users, keep=args.data_dir is not None)
        readers = [
            traffic.Reader(
                login.username,
                login.password,
                login.partnership,
                site.partnerships[login.partnership],
                site.indicators[login.partnership],
            )
            for login in site.logins[:users]
        ]
        if missing := check_addresses(page_types, readers):
            raise SystemExit(
                f"The app has no page at: {'; '.join(missing)}. Leave them out with --pages."
            )
        from django.db import connections

        connections.close_all()

        log = Path(scratch) / "server.log"
        server, port = start_server(data_dir, log)
        try:
            print(f"Server: safeguarding serve on 127.0.0.1:{port} (pid {server.pid}).")
            browsers = traffic.sign_in_all("127.0.0.1", port, readers)
            if args.first_visits:
                print("First visit of every address the readers can ask for ...", flush=True)
                firsts = traffic.first_visits(browsers, readers, page_types)
                report_first_visits(firsts)
            warm = traffic.warm_up(browsers, readers, page_types)
            watch = ServerWatch(server.pid)
            ours = resource.getrusage(resource.RUSAGE_SELF)
            load_before = os.getloadavg()[0]
            print(
                f"{len(readers)} readers signed in; reading {', '.join(page_types)} "
                f"for {duration:.0f} s, pausing {args.think:g} s between pages ...",
                flush=True,
            )
            outcomes, seconds = traffic.drive(
                browsers,
                readers,
                page_types,
                duration,
                args.seed,
                on_start=watch.start,
                think=args.think,
            )
            watch.stop()
            after = resource.getrusage(resource.RUSAGE_SELF)
            for browser in browsers:
                browser.close()
        finally:
            stop_server(server)

    overall, pages = report(outcomes, seconds, page_types, warm)
    driver_cpu = (after.ru_utime + after.ru_stime) - (ours.ru_utime + ours.ru_stime)
    met = overall.p95_ms < TARGET_P95_MS and overall.errors == 0 and overall.requests > 0
    print(
        f"\n{overall.requests:,} requests in {seconds:.1f} s: {overall.requests / seconds:.1f} "
        f"a second; median {overall.median_ms:.0f} ms, 95th percentile {overall.p95_ms:.0f} ms; "
        f"{overall.errors:,} errors."
    )
    print(
        f"Server: {max(watch.workers, 1)} worker process(es); peak memory "
        f"{watch.peak_rss / 2**20:,.0f} MB in all; CPU {watch.cpu_seconds:.1f} s "
        f"({watch.cpu_seconds / seconds:.2f} cores). The readers' own CPU: {driver_cpu:.1f} s. "
        f"Load average before the run: {load_before:.2f} on {os.cpu_count()} cores."
    )
    print(
        f"Target (95th percentile under {TARGET_P95_MS:.0f} ms, no errors) on {vendor}: "
        f"{'PASS' if met else 'FAIL'}"
    )
    if args.json:
        figures = {
            "database": vendor,
            "councils": len(scale.councils),
            "years": scale.years,
            "values": site.rows,
            "fill_seconds": round(site.seconds, 1),
            "users": len(readers),
            "think_s": args.think,
            "duration_s": round(seconds, 1),
            "page_types": page_types,
            "requests": overall.requests,
            "requests_per_s": round(overall.requests / seconds, 1),
            "median_ms": round(overall.median_ms, 1),
            "p95_ms": round(overall.p95_ms, 1),
            "max_ms": round(overall.max_ms, 1),
            "errors": overall.errors,
            "error_examples": traffic.error_examples(outcomes),
            "by_page_type": {name: asdict(f) for name, f in pages.items()},
            "warm_up_ms": {o.path: round(o.seconds * 1000, 1) for o in warm},
            "server_peak_rss_mb": round(watch.peak_rss / 2**20, 1),
            "server_cpu_s": round(watch.cpu_seconds, 1),
            "driver_cpu_s": round(driver_cpu, 1),
            "load_average_before": round(load_before, 2),
            "target_p95_ms": TARGET_P95_MS,
            "pass": met,
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"Figures written to {args.json}")


if __name__ == "__main__":
    main()
