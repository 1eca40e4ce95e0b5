"""Run every fuzzing harness for a bounded time; fail if any finds a crash.

    python fuzz/run.py --seconds 20 [--only cin_census ...] [--workdir .safeguarding/fuzz]

Each harness (``fuzz/fuzz_<reader>.py``) runs in its own process under libFuzzer's limits: at
most ``--seconds`` in all, 10 s for any one input and 1,024 MB of resident memory. Its corpus
starts from the valid samples of the property tests (``tests/security/samples.py``) and is kept
in the work folder, so a later run starts where this one stopped. A crash, a slow input or one
that takes too much memory is written to ``<workdir>/artifacts/`` and fails the run; replay it
with ``python fuzz/fuzz_<reader>.py <artifact>``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from common import (  # noqa: E402
    ADULT_SUFFIXES,
    POPULATION_SUFFIXES,
    SSDA903_FILES,
    TIDY_SUFFIXES,
    seed,
)

RSS_LIMIT_MB = 1024
INPUT_TIMEOUT_SECONDS = 10
MAX_INPUT_BYTES = 64 * 1024  # larger inputs only slow the search
CORPUS = ROOT / "tests" / "documents" / "corpus"  # invented reports, the PDF seed


def _seeds() -> dict[str, Callable[[], list[bytes]]]:
    """Each harness's seed inputs, written as the harness reads them (see ``common``)."""
    from tests.documents import builders as documents
    from tests.security import samples

    def adults() -> list[bytes]:
        files = samples.all_samples()["adult_cases"]
        return [seed(s, ADULT_SUFFIXES, files[f"cases{s}"]) for s in ADULT_SUFFIXES]

    def population() -> list[bytes]:
        files = samples.all_samples()["population"]
        return [
            seed(s, POPULATION_SUFFIXES, files[f"population{s}"])
            for s in POPULATION_SUFFIXES
            if f"population{s}" in files
        ]

    def ssda903() -> list[bytes]:
        files = samples.ssda903_files()
        return [seed(name, SSDA903_FILES, files[name]) for name in SSDA903_FILES]

    def uploads() -> list[bytes]:
        files = {".csv": samples.tidy_table_csv(), ".parquet": samples.tidy_table_parquet()}
        return [seed(s, TIDY_SUFFIXES, files[s]) for s in TIDY_SUFFIXES]

    return {
        "adult_cases": adults,
        "population": population,
        "cin_census": lambda: [samples.cin_xml()],
        "ssda903": ssda903,
        "indicator_upload": uploads,
        "measures": lambda: [samples.measures_csv()],
        "sac": lambda: [samples.sac_csv()],
        "docx": lambda: [documents.styled_report()],
        "html": lambda: [documents.html_sample()],
        "pdf": lambda: [(CORPUS / "larkhaven-adults-board-2024-25.wp.pdf").read_bytes()],
    }


def harnesses() -> list[str]:
    return sorted(path.stem.removeprefix("fuzz_") for path in HERE.glob("fuzz_*.py"))


def write_seeds(corpus: Path, inputs: list[bytes]) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for data in inputs:
        (corpus / f"seed-{hashlib.sha256(data).hexdigest()[:16]}").write_bytes(data)


def run(name: str, seconds: int, workdir: Path) -> tuple[bool, str]:
    """Fuzz one harness; whether it found nothing, and a line saying what it did."""
    corpus = workdir / "corpus" / name
    artifacts = workdir / "artifacts" / name
    artifacts.mkdir(parents=True, exist_ok=True)
    write_seeds(corpus, _seeds()[name]())
    log = workdir / f"{name}.log"
    command = [
        sys.executable,
        str(HERE / f"fuzz_{name}.py"),
        f"-max_total_time={seconds}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-timeout={INPUT_TIMEOUT_SECONDS}",
        f"-max_len={MAX_INPUT_BYTES}",
        f"-artifact_prefix={artifacts}/",
        str(corpus),
    ]
    started = time.monotonic()
    with log.open("w") as output:
        # The harness is our own file, run with this interpreter: nothing here is untrusted.
        finished = subprocess.run(  # noqa: S603
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, check=False
        )
    took = time.monotonic() - started
    text = log.read_text(errors="replace")
    runs = re.findall(r"Done (\d+) runs", text) or re.findall(r"#(\d+)\s", text)
    count = f"{int(runs[-1]):,} inputs" if runs else "no inputs"
    if finished.returncode == 0:
        return True, f"{name}: {count} in {took:.0f} s, nothing found"
    found = sorted(path.name for path in artifacts.iterdir())
    tail = "\n".join(text.rstrip().splitlines()[-40:])
    return False, (
        f"{name}: FAILED (exit {finished.returncode}) after {count} in {took:.0f} s; "
        f"inputs kept in {artifacts}: {', '.join(found) or 'none'}\n{tail}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="time for each harness")
    parser.add_argument("--only", nargs="*", choices=harnesses(), help="harnesses to run")
    parser.add_argument(
        "--workdir", type=Path, default=ROOT / ".safeguarding" / "fuzz", help="corpus, logs"
    )
    args = parser.parse_args(argv)
    chosen = args.only or harnesses()
    failed = 0
    for name in chosen:
        ok, line = run(name, args.seconds, args.workdir)
        failed += not ok
        print(line, flush=True)
    print(f"fuzz: {len(chosen) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
