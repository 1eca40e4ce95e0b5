"""Benchmark: adult case files read and validated, and the adult indicators, at national scale.

Generates (or reuses, with ``--cache``) invented records for 153 councils over five years, about
three million concerns, then measures on DuckDB, each step in a fresh child process so its
peak memory is its own, the median of ``--runs`` runs:

  (a) reading and validating the case file (``read_adult_cases``);
  (b) the full adult indicator set from the validated tables (``adult_indicators``);
  (c) the whole command, ``safeguarding indicators adults``, as a user runs it;

and compares the engine with a straightforward pandas implementation of the headline
indicators (below, for comparison only), after checking that both give the same numbers: like
with like, the engine computing only the totals (``breakdowns=["total"]``, what pandas computes,
with regions and England as well), and also the engine's headline run with every breakdown.

    .venv/bin/python benchmarks/adult_indicators.py [--cache DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

COUNCILS = 153
YEARS = "2020-21:2024-25"
SEED = 7
HEADLINE = (
    "adults.concerns",
    "adults.s42_enquiries",
    "adults.other_enquiries",
    "adults.conversion_rate",
    "adults.concluded_s42",
    "adults.msp_asked_pct",
    "adults.msp_outcomes_achieved_pct",
)
BIN = Path(sys.executable).parent


# -- the steps, each run in a child process ------------------------------------------------------


def _peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(cases: Path) -> object:
    from safeguarding.casedata.adults.reader import read_adult_cases

    return read_adult_cases(cases).tables


def _load_engine() -> None:
    """Load Ibis's DuckDB backend before the clock starts, as the pandas step has pandas loaded
    before its clock starts: both are then timed on the work alone (about 0.2 s of imports)."""
    from safeguarding.indicators.engines import connect

    connect("duckdb").close()


def step_validate(cases: Path, _population: Path) -> dict[str, float]:
    """Read and validate the case file."""
    started = time.perf_counter()
    tables = _read(cases)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": tables.concern_count}


def step_indicators(cases: Path, population: Path) -> dict[str, float]:
    """Every adult indicator on DuckDB, from tables already read and validated."""
    from safeguarding.casedata.population import read_population
    from safeguarding.indicators.run import adult_indicators

    tables = _read(cases)
    people, _ = read_population(population)
    _load_engine()
    started = time.perf_counter()
    run = adult_indicators(tables, people, engine="duckdb")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": tables.concern_count, "values": run.table.num_rows}


def step_headline_engine(cases: Path, _population: Path) -> dict[str, float]:
    """The headline indicators with every breakdown, on DuckDB (much more than the pandas
    version computes: every breakdown, region and England, with intervals)."""
    from safeguarding.indicators.run import adult_indicators

    tables = _read(cases)
    _load_engine()
    started = time.perf_counter()
    adult_indicators(tables, None, engine="duckdb", indicators=HEADLINE)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": tables.concern_count}


def step_totals_engine(cases: Path, _population: Path) -> dict[str, float]:
    """The headline indicators' totals on DuckDB: the figures the pandas version computes (for
    each council and year), and the region and England totals."""
    from safeguarding.indicators.run import adult_indicators

    tables = _read(cases)
    _load_engine()
    started = time.perf_counter()
    adult_indicators(tables, None, engine="duckdb", indicators=HEADLINE, breakdowns=["total"])
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": tables.concern_count}


def step_headline_pandas(cases: Path, _population: Path) -> dict[str, float]:
    """The headline indicators in pandas, from the same validated tables."""
    tables = _read(cases)
    frame = tables.concerns.to_pandas()
    started = time.perf_counter()
    pandas_headline(frame)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": tables.concern_count}


STEPS: dict[str, Callable[[Path, Path], dict[str, float]]] = {
    "validate": step_validate,
    "indicators": step_indicators,
    "headline-engine": step_headline_engine,
    "totals-engine": step_totals_engine,
    "headline-pandas": step_headline_pandas,
}


# -- the pandas comparison -----------------------------------------------------------------------


def pandas_headline(concerns: object) -> object:
    """The headline indicators per council and financial year, written plainly in pandas:
    one column per indicator (percentages as numerator and denominator)."""
    import pandas as pd

    frame: pd.DataFrame = concerns  # type: ignore[assignment]

    def year(column: str) -> pd.Series:
        dates = pd.to_datetime(frame[column])
        start = (dates.dt.year - (dates.dt.month < 4)).astype("Int64")
        following = ((start + 1) % 100).astype(str).str.zfill(2)
        return (start.astype(str) + "-" + following).where(dates.notna())

    frame = frame.assign(
        concern_year=year("concern_date"),
        start_year=year("enquiry_start_date"),
        end_year=year("enquiry_end_date"),
    )
    s42 = frame["enquiry_type"] == "S42"
    other = frame["enquiry_type"] == "OTHER"
    concluded = frame[s42 & frame["enquiry_end_date"].notna()]
    expressed = concluded[concluded["msp_asked"] == "ASKED_EXPRESSED"]

    def count(rows: pd.DataFrame, year_column: str, name: str) -> pd.Series:
        counted = rows.groupby(["la_code", year_column]).size()
        return counted.rename_axis(["la", "year"]).rename(name)

    def flagged(rows: pd.DataFrame, flag: pd.Series, name: str) -> pd.Series:
        return (
            flag.astype(int)
            .groupby([rows["la_code"], rows["end_year"]])
            .sum()
            .rename_axis(["la", "year"])
            .rename(name)
        )

    parts = [
        count(frame, "concern_year", "concerns"),
        count(frame[s42], "start_year", "s42_enquiries"),
        count(frame[other], "start_year", "other_enquiries"),
        count(frame[s42 | other], "start_year", "enquiries"),
        count(concluded, "end_year", "concluded_s42"),
        flagged(
            concluded,
            concluded["msp_asked"].isin(["ASKED_EXPRESSED", "ASKED_NOT_EXPRESSED"]),
            "msp_asked",
        ),
        count(expressed, "end_year", "msp_expressed"),
        flagged(expressed, expressed["msp_outcome"].isin(["FULLY", "PARTIALLY"]), "msp_achieved"),
    ]
    table = pd.concat(parts, axis=1).fillna(0).astype("int64")
    table["conversion_rate"] = 100 * table["enquiries"] / table["concerns"]
    table["msp_asked_pct"] = 100 * table["msp_asked"] / table["concluded_s42"]
    table["msp_outcomes_achieved_pct"] = 100 * table["msp_achieved"] / table["msp_expressed"]
    return table


def check_same_numbers(cases: Path) -> int:
    """Compare the pandas figures with the engine's council totals, from both the totals-only
    run and the run with every breakdown; the number of values compared (raises if any
    differs)."""
    import pyarrow.compute as pc

    from safeguarding.indicators.run import adult_indicators

    tables = _read(cases)
    ours = pandas_headline(tables.concerns.to_pandas())
    compared = 0
    for breakdowns in (["total"], None):
        run = adult_indicators(
            tables, None, engine="duckdb", indicators=HEADLINE, breakdowns=breakdowns
        ).table
        engine = run.filter(
            pc.and_(pc.equal(run["geography_level"], "la"), pc.equal(run["breakdown"], "total"))
        )
        compared = _compare(ours, engine.to_pylist())
    return compared


def _compare(ours: object, engine: list[dict]) -> int:
    """Check the engine's council totals against pandas's; how many values were compared."""
    import pandas as pd

    assert isinstance(ours, pd.DataFrame)
    columns = {
        "adults.concerns": ("concerns", None),
        "adults.s42_enquiries": ("s42_enquiries", None),
        "adults.other_enquiries": ("other_enquiries", None),
        "adults.conversion_rate": ("enquiries", "concerns"),
        "adults.concluded_s42": ("concluded_s42", None),
        "adults.msp_asked_pct": ("msp_asked", "concluded_s42"),
        "adults.msp_outcomes_achieved_pct": ("msp_achieved", "msp_expressed"),
    }
    compared = 0
    seen: set[tuple[str, str, str]] = set()
    for row in engine:
        numerator_column, denominator_column = columns[row["indicator"]]
        key = (row["geography_code"], row["period"])
        figures = ours.loc[key]
        if denominator_column is None:
            expected = (int(figures[numerator_column]), None)
            found = (round(row["value"]), None)
        else:
            expected = (int(figures[numerator_column]), int(figures[denominator_column]))
            found = (row["numerator"], row["denominator"])
        if found != expected:
            raise AssertionError(f"{row['indicator']} {key}: engine {found}, pandas {expected}")
        seen.add((row["indicator"], *key))
        compared += 1
    # Every council and year pandas has a figure for must be in the engine's table too.
    for key, figures in ours.iterrows():
        for indicator, (numerator_column, _) in columns.items():
            if figures[numerator_column] and (indicator, *key) not in seen:
                raise AssertionError(f"{indicator} {key}: pandas has it, the engine does not")
    return compared


# -- the driver ----------------------------------------------------------------------------------


def run_child(step: str, cases: Path, population: Path) -> dict[str, float]:
    """Run one step in a fresh Python process and read back its time and peak memory."""
    output = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, __file__, "--step", step, str(cases), str(population)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def run_command(cases: Path, population: Path, out: Path) -> dict[str, float]:
    """The whole ``safeguarding indicators adults`` command, timed from outside."""
    started = time.perf_counter()
    command = [str(BIN / "safeguarding"), "indicators", "adults", "--cases", str(cases)]
    command += ["--population", str(population), "--out", str(out)]
    process = subprocess.Popen(  # noqa: S603 (the project's own command)
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError("safeguarding indicators adults failed")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024}


def median_of(runs: int, measure: Callable[[], dict[str, float]]) -> dict[str, float]:
    results = [measure() for _ in range(runs)]
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "peak_mb": statistics.median(r["peak_mb"] for r in results),
        "rows": results[0].get("rows", 0),
        "all_seconds": [round(r["seconds"], 2) for r in results],
    }


def generate(folder: Path) -> tuple[Path, Path]:
    cases = folder / "adults.parquet"
    population = folder / "adults-population.csv"
    if cases.exists() and population.exists():
        print(f"Reusing {cases}")
        return cases, population
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Generating {COUNCILS} councils x {YEARS} (seed {SEED}) into {folder} ...", flush=True)
    command = [str(BIN / "safeguarding"), "synth", "adults", "--las", str(COUNCILS)]
    command += ["--years", YEARS, "--seed", str(SEED), "--out", str(cases)]
    subprocess.run(  # noqa: S603 (the project's own command)
        command,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return cases, population


def report(name: str, result: dict[str, float]) -> None:
    rows = result.get("rows") or 0
    speed = f"{rows / result['seconds']:>12,.0f} rows/s" if rows else ""
    print(
        f"{name:<44} {result['seconds']:>7.2f} s {result['peak_mb']:>8,.0f} MB peak {speed}"
        f"   runs: {result['all_seconds']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="Keep the generated data here and reuse it.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per measurement (median).")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:  # a child process: one step, its result as JSON on the last line
        result = STEPS[args.step](*args.paths)
        print(json.dumps({**result, "peak_mb": _peak_mb()}))
        return

    with tempfile.TemporaryDirectory(prefix="sg-bench-") as scratch:
        folder = args.cache or Path(scratch)
        cases, population = generate(folder)
        print(f"{args.runs} runs each, median; each step in its own process.\n")
        validate = median_of(args.runs, lambda: run_child("validate", cases, population))
        report("(a) read and validate", validate)
        indicators = median_of(args.runs, lambda: run_child("indicators", cases, population))
        report(f"(b) full indicator set ({indicators['rows']:,} concerns)", indicators)
        out = Path(scratch) / "indicators.parquet"
        command = median_of(args.runs, lambda: run_command(cases, population, out))
        report("(c) whole command, read to written", command)
        engine = median_of(args.runs, lambda: run_child("headline-engine", cases, population))
        report("headline indicators, every breakdown, engine", engine)
        totals = median_of(args.runs, lambda: run_child("totals-engine", cases, population))
        report("headline totals only, engine (DuckDB)", totals)
        pandas = median_of(args.runs, lambda: run_child("headline-pandas", cases, population))
        report("headline totals, plain pandas", pandas)
        compared = check_same_numbers(cases)
        print(f"\nThe pandas and engine headline figures agree ({compared:,} values compared).")
        print(
            f"Engine vs pandas, like with like (headline totals): "
            f"{pandas['seconds'] / totals['seconds']:.1f}x faster; the engine's headline run "
            f"with every breakdown vs pandas: {pandas['seconds'] / engine['seconds']:.1f}x; "
            f"full set (every breakdown and level) vs pandas headline: "
            f"{pandas['seconds'] / indicators['seconds']:.1f}x."
        )
        print(
            f"Targets: full set <= 10 s: {'met' if indicators['seconds'] <= 10 else 'NOT met'}"
            f" ({indicators['seconds']:.1f} s; whole command {command['seconds']:.1f} s); "
            f"peak <= 2 GB: {'met' if command['peak_mb'] <= 2048 else 'NOT met'}"
            f" ({command['peak_mb']:,.0f} MB for the whole command); "
            f">= 10x pandas (like with like): "
            f"{'met' if pandas['seconds'] >= 10 * totals['seconds'] else 'NOT met'}."
        )


if __name__ == "__main__":
    main()
