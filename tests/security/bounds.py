"""Running a reader on hostile input under a time and a memory bound.

The reader runs in a daemon thread: a reader that never returns fails the test instead of
hanging the suite (the thread is left behind, which is acceptable in a failing run). Memory is
the growth of the process's peak resident size while the reader runs, which counts what Arrow,
DuckDB, lxml and calamine allocate outside Python as well as Python's own objects. Linux lets a
process reset its peak (``/proc/self/clear_refs``); where it cannot, only time is bounded. (The
reset also lowers what ``getrusage`` reports as this process's peak: no test here relies on it.)

(tracemalloc is not used: on Python 3.11 it crashes the process when Arrow's own threads call
back into Python, as the CSV reader does for each row it cannot split.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

SECONDS = 10.0  # far above what any reader needs for the few kilobytes the tests give it
MEGABYTES = 256  # far above what they need too; a bomb or a runaway loop needs gigabytes
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


class BoundExceeded(AssertionError):
    """The reader ran too long or used too much memory."""


@dataclass
class Outcome(Generic[T]):
    """What the reader did: returned ``value`` or raised ``error``; and how much memory the
    process's peak grew by while it ran (0 where that cannot be told)."""

    value: T | None
    error: BaseException | None
    grew_bytes: int


def _kilobytes(field: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Set the process's peak resident size to its current size, where Linux allows it."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def bounded(
    call: Callable[[], T], *, seconds: float = SECONDS, megabytes: float = MEGABYTES
) -> Outcome[T]:
    """Run ``call``; raise BoundExceeded when it runs past ``seconds`` or ``megabytes``."""
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = call()
        except BaseException as error:  # every exception is reported to the caller
            result["error"] = error

    before = _kilobytes("VmRSS") if _reset_peak() else None
    worker = threading.Thread(target=run, daemon=True, name="bounded reader")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise BoundExceeded(f"the reader was still running after {seconds:g} s")
    peak = _kilobytes("VmHWM")
    grew = max(peak - before, 0) * 1024 if before is not None and peak is not None else 0
    if grew > megabytes * 1024 * 1024:
        raise BoundExceeded(
            f"the reader took {grew / 2**20:,.0f} MB more memory than the {megabytes:g} MB allowed"
        )
    error = result.get("error")
    return Outcome(
        value=result.get("value"),  # type: ignore[arg-type]
        error=error if isinstance(error, BaseException) else None,
        grew_bytes=grew,
    )


def loads_or_refuses(
    call: Callable[[], T],
    refusal: type[BaseException] | tuple[type[BaseException], ...],
    **limits: float,
) -> Outcome[T]:
    """Run ``call`` within bounds; it must return, or raise ``refusal`` with a clear message."""
    outcome = bounded(call, **limits)
    if outcome.error is not None:
        if not isinstance(outcome.error, refusal):
            raise AssertionError(
                f"the reader raised {type(outcome.error).__name__}, not its refusal: "
                f"{outcome.error!r}"
            ) from outcome.error
        assert_clear(str(outcome.error))
    return outcome


def assert_clear(message: str) -> None:
    """A refusal a person can read: some words, not a traceback or a bare exception name."""
    assert message.strip(), "the refusal has no message"
    assert len(message.split()) >= 3, f"the refusal says too little: {message!r}"
    assert "Traceback" not in message, message
