"""What the fuzzing harnesses share: how an input names its file, a scratch folder, Django.

Each harness is run by ``run.py`` as ``python fuzz/fuzz_<reader>.py [libFuzzer options]
CORPUS``; atheris hands it one input at a time. Readers that take several kinds of file read
the first byte of the input as the kind (``ADULT_SUFFIXES[byte % 3]`` and so on) and the rest
as the file, and ``run.py`` writes its seeds the same way. This module imports no reader, so
that the harnesses can import the readers inside ``atheris.instrument_imports()``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

ADULT_SUFFIXES = (".csv", ".parquet", ".xlsx")
POPULATION_SUFFIXES = ADULT_SUFFIXES
SSDA903_FILES = ("header.csv", "episodes.csv", "missing.csv")
TIDY_SUFFIXES = (".csv", ".parquet")


def choose(data: bytes, options: tuple[str, ...]) -> tuple[str, bytes]:
    """The option the first byte picks, and the rest of the input."""
    if not data:
        return options[0], b""
    return options[data[0] % len(options)], data[1:]


def seed(option: str, options: tuple[str, ...], content: bytes) -> bytes:
    """An input that ``choose`` reads as ``option`` and ``content``."""
    return bytes([options.index(option)]) + content


@cache
def scratch() -> Path:
    """A folder of this process's own for the files the readers are given."""
    folder = Path(tempfile.mkdtemp(prefix="safeguarding-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def refused(error: BaseException) -> None:
    """A refusal must say why in words; an empty or bare one counts as a crash."""
    message = str(error).strip()
    if len(message.split()) < 3 or "Traceback" in message:
        raise AssertionError(f"unclear refusal {type(error).__name__}: {message!r}")


def set_up_django() -> None:
    """Django's settings and apps, for the indicator upload, which builds unsaved model rows.

    No database is touched; the signing key is a stand-in so that no key file is written.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.web.settings")
    os.environ.setdefault("SAFEGUARDING_SECRET_KEY", "fuzzing-only-not-a-secret")
    import django

    django.setup()
