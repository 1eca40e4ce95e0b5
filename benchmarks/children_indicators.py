"""Benchmark: CIN census XML parsed, and the children's indicators, at national scale.

Generates (or reuses, with ``--cache``) invented CIN census files, SSDA903 returns and the
population file for all 153 councils for one year (2024-25, about 600,000 referrals), then
measures, each step in a fresh child process so that its peak memory is its own, the median of
``--runs`` runs:

  (a) parsing: ``read_cin_census`` on every council's file, one after another, in MB/s;
  (b) flat memory: the smallest and the largest council file, and the largest repeated four
      times in one file, each parsed in its own process: peak memory against file size;
  (c) the full children's indicator set (``children_indicators`` on DuckDB) from the case
      tables (read once, then kept as Parquet next to the data so that every run starts from
      the same tables without parsing again);

and compares the reader with a straightforward ElementTree count of the headline figures
(referrals, assessments completed, section 47 enquiries and plans started, per council; below,
for comparison only), after checking that both give the same numbers.

    .venv/bin/python benchmarks/children_indicators.py [--cache DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

COUNCILS = 153
YEAR = "2024-25"
SEED = 7
FIRST_DAY, LAST_DAY = "2024-04-01", "2025-03-31"
CASE_TABLES = ("referrals", "assessments", "section47", "cp_plans", "episodes")
# The headline counts: the engine's indicator and the element whose date puts it in the year.
HEADLINE = {
    "children.referrals": "CINreferralDate",
    "children.assessments_completed": "AssessmentAuthorisationDate",
    "children.s47_enquiries": "S47ActualStartDate",
    "children.cp_plans_started": "CPPstartDate",
}


# -- the steps, each run in a child process ------------------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's ``VmHWM`` is the peak of this program alone; ``ru_maxrss`` can carry over the
    peak of the process that started it, which would hide a small step behind the driver.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cin_files(data: Path) -> list[Path]:
    return sorted((data / "cin").glob("cin_*.xml"))


def step_parse(data: Path) -> dict[str, float]:
    """Every council's CIN census file through the streaming reader, one after another."""
    from safeguarding.casedata.children.cin_reader import read_cin_census

    files = _cin_files(data)
    referrals = 0
    started = time.perf_counter()
    for path in files:
        referrals += read_cin_census(path).referral_count
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in files)
    return {"seconds": seconds, "megabytes": size / 1e6, "rows": referrals}


def step_parse_one(path: Path) -> dict[str, float]:
    """One file: the memory before parsing, the peak, and the size of the tables produced."""
    from safeguarding.casedata.children.cin_reader import read_cin_census

    before = _peak_mb()
    started = time.perf_counter()
    census = read_cin_census(path)
    seconds = time.perf_counter() - started
    tables = sum(table.nbytes for table in census.tables.values()) / 1e6
    return {
        "seconds": seconds,
        "megabytes": path.stat().st_size / 1e6,
        "before_mb": before,
        "tables_mb": tables,
        "rows": census.referral_count,
    }


def step_prepare(data: Path) -> dict[str, float]:
    """Read every CIN census file and SSDA903 return once and keep the case tables as Parquet."""
    import pyarrow.parquet as pq

    from safeguarding.casedata.children.cin_reader import read_cin_census
    from safeguarding.casedata.children.ssda903 import find_ssda903_folders, read_ssda903
    from safeguarding.indicators.children import children_case_tables

    started = time.perf_counter()
    census = (read_cin_census(path) for path in _cin_files(data))
    returns = [read_ssda903(folder) for folder in find_ssda903_folders(data / "ssda903")]
    tables = children_case_tables(census, returns)
    seconds = time.perf_counter() - started
    folder = data / "case-tables"
    folder.mkdir(exist_ok=True)
    for name in CASE_TABLES:
        pq.write_table(getattr(tables, name), folder / f"{name}.parquet")
    return {"seconds": seconds, "rows": tables.referrals.num_rows}


def _case_tables(data: Path) -> object:
    import pyarrow.parquet as pq

    from safeguarding.indicators.children import ChildrenCaseTables

    folder = data / "case-tables"
    return ChildrenCaseTables(
        **{name: pq.read_table(folder / f"{name}.parquet") for name in CASE_TABLES}
    )


def step_indicators(data: Path) -> dict[str, float]:
    """Every children's indicator on DuckDB, from the case tables."""
    from safeguarding.casedata.population import read_population
    from safeguarding.indicators.children_run import children_indicators

    tables = _case_tables(data)
    population, _ = read_population(data / "population.csv")
    started = time.perf_counter()
    run = children_indicators(tables, population, engine="duckdb")  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": tables.referrals.num_rows, "values": run.table.num_rows}  # type: ignore[attr-defined]


def step_headline_reader(data: Path) -> dict[str, float]:
    """The headline counts the platform's way: parse every file, then the engine on DuckDB."""
    from safeguarding.casedata.children.cin_reader import read_cin_census
    from safeguarding.indicators.children import children_case_tables
    from safeguarding.indicators.children_run import children_indicators

    started = time.perf_counter()
    tables = children_case_tables(read_cin_census(path) for path in _cin_files(data))
    children_indicators(tables, None, engine="duckdb", indicators=list(HEADLINE))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": tables.referrals.num_rows}


def step_headline_elementtree(data: Path) -> dict[str, float]:
    """The headline counts with the standard library's ElementTree."""
    started = time.perf_counter()
    counts = elementtree_headline(_cin_files(data))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": sum(c["children.referrals"] for c in counts.values())}


STEPS: dict[str, Callable[[Path], dict[str, float]]] = {
    "parse": step_parse,
    "parse-one": step_parse_one,
    "prepare": step_prepare,
    "indicators": step_indicators,
    "headline-reader": step_headline_reader,
    "headline-elementtree": step_headline_elementtree,
}


# -- the ElementTree comparison ------------------------------------------------------------------


def elementtree_headline(files: list[Path]) -> dict[str, dict[str, int]]:
    """Per council (DfE LA number): how many of each headline date fall in the year, written
    plainly: the whole file parsed into a tree, then every date element looked at."""
    counts: dict[str, dict[str, int]] = {}
    for path in files:
        root = ET.parse(path).getroot()  # noqa: S314 (our own generated files)
        la = root.findtext("Header/Source/LEA", "")
        found = dict.fromkeys(HEADLINE, 0)
        for indicator, tag in HEADLINE.items():
            for element in root.iter(tag):
                if FIRST_DAY <= (element.text or "").strip() <= LAST_DAY:
                    found[indicator] += 1
        counts[la] = found
    return counts


def check_same_numbers(data: Path) -> int:
    """Compare the ElementTree counts with the engine's council figures; the number of values
    compared (raises if any differs)."""
    import pyarrow.compute as pc

    from safeguarding.indicators.children_run import children_indicators

    ours = elementtree_headline(_cin_files(data))
    run = children_indicators(
        _case_tables(data),  # type: ignore[arg-type]
        None,
        engine="duckdb",
        indicators=list(HEADLINE),
    ).table
    rows = run.filter(
        pc.and_(pc.equal(run["geography_level"], "la"), pc.equal(run["breakdown"], "total"))
    )
    engine = {
        (row["geography_code"], row["indicator"]): round(row["value"])
        for row in rows.to_pylist()
        if row["period"] == YEAR
    }
    compared = 0
    for la, figures in ours.items():
        for indicator, expected in figures.items():
            found = engine.get((la, indicator), 0)
            if found != expected:
                raise AssertionError(f"{indicator} {la}: engine {found}, ElementTree {expected}")
            compared += 1
    if len(engine) > compared:
        raise AssertionError("the engine has council figures ElementTree has not")
    return compared


# -- the driver ----------------------------------------------------------------------------------


def run_child(step: str, path: Path) -> dict[str, float]:
    """Run one step in a fresh Python process and read back its result and peak memory."""
    output = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, __file__, "--step", step, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def median_of(runs: int, measure: Callable[[], dict[str, float]]) -> dict[str, float]:
    results = [measure() for _ in range(runs)]
    return {
        **results[0],
        "seconds": statistics.median(r["seconds"] for r in results),
        "peak_mb": statistics.median(r["peak_mb"] for r in results),
        "all_seconds": [round(r["seconds"], 2) for r in results],
    }


def generate(folder: Path) -> Path:
    if len(_cin_files(folder)) == COUNCILS and (folder / "population.csv").exists():
        print(f"Reusing {folder}")
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Generating {COUNCILS} councils x {YEAR} (seed {SEED}) into {folder} ...", flush=True)
    from safeguarding.casedata.synth.children import synth_children

    result = synth_children(COUNCILS, [YEAR], SEED, folder)
    print(f"  {result.referrals:,} referrals in the year.")
    return folder


def four_times(source: Path, target: Path) -> Path:
    """``source`` with its children written four times over, as one file (line by line, so
    that the driver stays small)."""

    def lines(part: str) -> Iterator[str]:
        with source.open(encoding="utf-8") as handle:
            where = "before"
            for line in handle:
                if where == "before" and line.strip() == "<Child>":
                    where = "children"
                elif where == "children" and line.strip() == "</Children>":
                    where = "after"
                if where == part:
                    yield line

    with target.open("w", encoding="utf-8") as out:
        out.writelines(lines("before"))
        for _ in range(4):
            out.writelines(lines("children"))
        out.writelines(lines("after"))
    return target


def report(name: str, result: dict[str, float]) -> None:
    speed = ""
    if result.get("megabytes"):
        speed = f"{result['megabytes'] / result['seconds']:>8.1f} MB/s"
    print(
        f"{name:<48} {result['seconds']:>7.2f} s {result['peak_mb']:>8,.0f} MB peak {speed}"
        f"   runs: {result['all_seconds']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="Keep the generated data here and reuse it.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per measurement (median).")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:  # a child process: one step, its result as JSON on the last line
        result = STEPS[args.step](args.path)
        print(json.dumps({**result, "peak_mb": _peak_mb()}))
        return

    with tempfile.TemporaryDirectory(prefix="sg-bench-") as scratch:
        data = generate(args.cache or Path(scratch))
        files = _cin_files(data)
        size = sum(path.stat().st_size for path in files) / 1e6
        print(f"{len(files)} CIN census files, {size:,.0f} MB.")
        print(f"{args.runs} runs each, median; each step in its own process.\n")

        parse = median_of(args.runs, lambda: run_child("parse", data))
        report(f"(a) parse every file ({parse['rows']:,} CINdetails)", parse)

        by_size = sorted(files, key=lambda path: path.stat().st_size)
        repeated = four_times(by_size[-1], Path(scratch) / f"4x-{by_size[-1].name}")
        print("\n(b) one file per process: peak memory against file size")
        print(f"{'file':<28} {'MB':>7} {'MB/s':>6} {'start':>7} {'peak':>7} {'tables':>7}")
        flat = []
        for path in (by_size[0], by_size[-1], repeated):
            one = median_of(args.runs, lambda path=path: run_child("parse-one", path))
            flat.append(one)
            rate = one["megabytes"] / one["seconds"]
            print(
                f"{path.name:<28} {one['megabytes']:>7.1f} {rate:>6.1f} {one['before_mb']:>7.0f}"
                f" {one['peak_mb']:>7.0f} {one['tables_mb']:>7.1f}"
            )
        working = [one["peak_mb"] - one["before_mb"] - one["tables_mb"] for one in flat]
        print(
            "Peak less memory at start less the tables produced: "
            + ", ".join(f"{mb:,.0f} MB" for mb in working)
        )

        prepared = run_child("prepare", data)
        print(f"\nCase tables prepared in {prepared['seconds']:.1f} s (not part of (c)).")
        indicators = median_of(args.runs, lambda: run_child("indicators", data))
        report(f"(c) full indicator set ({indicators['values']:,} values)", indicators)

        reader = median_of(args.runs, lambda: run_child("headline-reader", data))
        report("headline counts: reader + engine", reader)
        plain = median_of(args.runs, lambda: run_child("headline-elementtree", data))
        report("headline counts: plain ElementTree", plain)
        compared = check_same_numbers(data)
        print(f"\nElementTree and the engine agree ({compared:,} council figures compared).")
        print(
            f"Reader + engine vs ElementTree, headline counts: "
            f"{plain['seconds'] / reader['seconds']:.2f}x as fast "
            f"(peak {reader['peak_mb']:,.0f} MB vs {plain['peak_mb']:,.0f} MB)."
        )
        speed = parse["megabytes"] / parse["seconds"]
        print(
            f"Targets: parsing >= 30 MB/s: {'met' if speed >= 30 else 'NOT met'}"
            f" ({speed:.1f} MB/s);"
            f" full indicator set <= 15 s: {'met' if indicators['seconds'] <= 15 else 'NOT met'}"
            f" ({indicators['seconds']:.1f} s)."
        )


if __name__ == "__main__":
    main()
