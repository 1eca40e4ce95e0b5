"""How much a document reader may take on before it refuses: size, pages, time and text."""

from __future__ import annotations

import time
from dataclasses import dataclass

from safeguarding.documents.model import DocumentProblem

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """The bounds every reader works within; a document past any of them is refused."""

    max_bytes: int = 100 * MEGABYTE  # the file as given
    max_pages: int = 1000
    max_seconds: float = 60.0  # wall-clock time for reading one document
    max_text_chars: int = 5_000_000  # text found, all blocks together
    max_unzipped_bytes: int = 200 * MEGABYTE  # a DOCX's parts once decompressed
    max_zip_entries: int = 2000  # a DOCX has a few dozen parts; thousands means a bomb


DEFAULT_LIMITS = ReadLimits()


class ReadingBudget:
    """What one reading of one document has left of its time and text allowances."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self._deadline = time.monotonic() + limits.max_seconds
        self._chars = 0

    def check_time(self) -> None:
        """Refuse the document once reading it has taken longer than allowed."""
        if time.monotonic() > self._deadline:
            raise DocumentProblem(
                f"Reading the document took longer than the {self.limits.max_seconds:g} "
                "seconds allowed; it may be damaged or far larger than a report."
            )

    def add_text(self, text: str) -> None:
        """Count ``text`` against the allowance; refuse the document once it is used up."""
        self._chars += len(text)
        if self._chars > self.limits.max_text_chars:
            raise DocumentProblem(
                f"The document holds more than the {self.limits.max_text_chars:,} characters "
                "of text allowed for one report."
            )


def check_size(size: int, limits: ReadLimits) -> None:
    """Refuse a file larger than ``limits.max_bytes`` before any of it is read."""
    if size > limits.max_bytes:
        raise DocumentProblem(
            f"The file is {size / MEGABYTE:,.1f} MB, more than the "
            f"{limits.max_bytes / MEGABYTE:,.0f} MB allowed for a document."
        )
