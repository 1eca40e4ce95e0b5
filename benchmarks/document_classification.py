"""Benchmark: loading the sentence model, and reading and classifying a 100-page report PDF.

Prints, against the issue's targets:

- model load: a fresh process importing ``safeguarding.themes.model`` and calling
  ``load_embedder()`` (the model file already prepared, as ``make`` does at install); the
  median of ``--runs`` processes, with the part spent in ``load_embedder`` alone. Target 1 s.
- read and classify: ``read_document`` on the invented 100-page report of
  ``document_reading.make_long_report_pdf`` (sections, roles, statements), then
  ``classify_statements`` against the platform's taxonomy; the median of ``--runs`` runs in one
  process after the model is loaded, with the first run (which also embeds the taxonomy) shown
  too. Target 5 s.
- the encoder alone on ``--statements`` short statements, for the record.

Every paragraph, sentence and list item of the invented report is different (a repeated text
is classified once, so a report that repeated itself would flatter the classifier); the count
of distinct statements is printed beside the count of statements. CPU seconds are shown beside
wall-clock ones because on a shared machine the wall clock also measures everyone else.

    .venv/bin/python benchmarks/document_classification.py [--pages 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from document_reading import make_long_report_pdf

from safeguarding.documents.extract import read_document
from safeguarding.documents.model import Document
from safeguarding.themes.classify import classify_statements
from safeguarding.themes.model import THREADS, load_embedder, prepare_model
from safeguarding.themes.taxonomy import load_taxonomy

LOAD_TARGET_SECONDS = 1.0
READ_AND_CLASSIFY_TARGET_SECONDS = 5.0

_LOAD = """
import json, time
started = time.perf_counter()
from safeguarding.themes import model
imported = time.perf_counter()
model.load_embedder()
done = time.perf_counter()
print(json.dumps({"total": done - started, "load_embedder": done - imported}))
"""


def time_model_loads(runs: int) -> list[dict[str, float]]:
    """Each run a fresh interpreter, so nothing is cached in the process."""
    results = []
    for _ in range(runs):
        output = subprocess.run(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-c", _LOAD],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


def time_read_and_classify(path: Path, runs: int) -> tuple[list[tuple[float, float]], Document]:
    """(wall, CPU) seconds of each run, and the document read."""
    taxonomy = load_taxonomy()
    embedder = load_embedder()
    times = []
    for _ in range(runs + 1):  # the first run also embeds the taxonomy's examples
        started, cpu = time.perf_counter(), time.process_time()
        document = read_document(path, "LSCP")
        classify_statements(document.statements, taxonomy, embedder)
        times.append((time.perf_counter() - started, time.process_time() - cpu))
    return times, document


def time_encoding(count: int) -> tuple[float, float]:
    embedder = load_embedder()
    topics = ("neglect", "county lines", "self-neglect", "school attendance", "carers", "housing")
    texts = [
        f"Priority {n}: partners in Larkhaven will improve the response to "
        f"{topics[n % len(topics)]} for families in ward {n % 23}."
        for n in range(count)
    ]
    embedder.encode(texts[:64])
    started, cpu = time.perf_counter(), time.process_time()
    embedder.encode(texts)
    return time.perf_counter() - started, time.process_time() - cpu


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--statements", type=int, default=2000)
    args = parser.parse_args()

    print(f"model file: {prepare_model()} (onnxruntime threads: {THREADS})")
    loads = time_model_loads(args.runs)
    total = statistics.median(r["total"] for r in loads)
    session = statistics.median(r["load_embedder"] for r in loads)
    print(
        f"model load, fresh process: median {total:.2f} s over {args.runs} "
        f"(of which load_embedder {session:.2f} s; runs: "
        + ", ".join(f"{r['total']:.2f}" for r in loads)
        + f" s); target {LOAD_TARGET_SECONDS:.0f} s: {_verdict(total, LOAD_TARGET_SECONDS)}"
    )

    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "long-report.pdf"
        pages = make_long_report_pdf(path, args.pages)
        times, document = time_read_and_classify(path, args.runs)
    median = statistics.median(wall for wall, _ in times[1:])
    median_cpu = statistics.median(cpu for _, cpu in times[1:])
    statements = len(document.statements)
    distinct = len({s.text for s in document.statements})
    print(
        f"read + classify {pages}-page PDF ({statements} statements, {distinct} distinct): "
        f"median {median:.2f} s over {args.runs} runs ("
        + ", ".join(f"{wall:.2f}" for wall, _ in times[1:])
        + f" s; first run {times[0][0]:.2f} s; CPU {median_cpu:.2f} s); "
        + f"target {READ_AND_CLASSIFY_TARGET_SECONDS:.0f} s: "
        + _verdict(median, READ_AND_CLASSIFY_TARGET_SECONDS)
    )
    wall, cpu = time_encoding(args.statements)
    print(f"encode {args.statements} short statements: {wall:.2f} s (CPU {cpu:.2f} s)")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} (2 cores; above 2 the figures are upper bounds)")


if __name__ == "__main__":
    main()
