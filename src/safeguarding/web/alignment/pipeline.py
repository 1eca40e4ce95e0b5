"""The web app's side of the pipeline: the taxonomy in use, reading an upload, gathering an
analysis's sources and running the alignment over them. The reading, classifying and aligning
are the libraries' (``safeguarding.documents``, ``safeguarding.themes``)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from importlib import resources
from typing import Any

from django.conf import settings

from safeguarding.documents.limits import DEFAULT_LIMITS, ReadLimits
from safeguarding.documents.model import Document, DocumentProblem
from safeguarding.web.alignment.models import SharedPrioritiesAnalysis, ThemeTaxonomy

#: File name endings of the documents the analysis reads.
DOCUMENT_EXTENSIONS = ("pdf", "docx", "html", "htm", "md", "markdown", "txt")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Page notes kept for a source (pages with no text and the like), to show on its page.
NOTES_KEPT = 10


class SourceProblem(ValueError):
    """A source that cannot be added to an analysis, with a message fit to show."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_limits() -> ReadLimits:
    return replace(DEFAULT_LIMITS, max_bytes=max_upload_bytes())


# -- the taxonomy in use --------------------------------------------------------------------------


def latest_taxonomy() -> ThemeTaxonomy | None:
    """The newest saved version of the taxonomy, if any has been saved."""
    return ThemeTaxonomy.objects.order_by("-created_at", "-pk").first()


def catalogue_taxonomy_text() -> str:
    """The catalogue's own ``themes.yaml``, comments and all."""
    found = resources.files("safeguarding.catalogue").joinpath("themes.yaml")
    if found.is_file():
        return found.read_text(encoding="utf-8")
    from safeguarding.themes.taxonomy import load_taxonomy, taxonomy_to_yaml

    return taxonomy_to_yaml(load_taxonomy())


def taxonomy_text() -> tuple[str, ThemeTaxonomy | None]:
    """The YAML of the taxonomy in use, and the saved version it comes from (None for the
    catalogue's)."""
    saved = latest_taxonomy()
    if saved is not None:
        return saved.text, saved
    return catalogue_taxonomy_text(), None


def current_taxonomy() -> Any:
    """The taxonomy in use: the newest saved version, or the catalogue's."""
    from safeguarding.themes.taxonomy import load_taxonomy, taxonomy_from_yaml

    saved = latest_taxonomy()
    if saved is not None:
        return taxonomy_from_yaml(saved.text)
    return load_taxonomy()


# -- sources --------------------------------------------------------------------------------------


def read_upload(data: bytes, file_name: str, name: str) -> Document:
    """The document in an uploaded file, or ``DocumentProblem``. The bytes are not kept."""
    from safeguarding.documents.extract import read_document_bytes

    document = read_document_bytes(data, file_name, name, limits=upload_limits())
    if not document.statements:
        raise DocumentProblem(
            f"No statements were found in {file_name}: it may be a scanned document with no "
            "text, or hold no headings, paragraphs or lists."
        )
    return document


def add_source(
    analysis: SharedPrioritiesAnalysis,
    document: Document,
    *,
    kind: str,
    origin: str,
    file: str | None = None,
    data: bytes | None = None,
    record_id: int | None = None,
    record: str | None = None,
) -> dict[str, Any]:
    """Add ``document`` to the analysis's sources (not yet saved): its provenance and its
    statements. ``data`` (an upload's bytes) gives the SHA-256 and size and is not kept."""
    from safeguarding.documents.extract import document_to_json

    name = document.source
    if name in analysis.source_names():
        raise SourceProblem(f"There is already a source called {name}. Give this one another name.")
    if kind == "strategy" and analysis.count_of("strategy"):
        raise SourceProblem(
            "The analysis already has a strategy. Remove it first to read against another."
        )
    if origin != "upload" and any(
        s["origin"] == origin and s.get("record_id") == record_id for s in analysis.sources
    ):
        raise SourceProblem(f"{record} is already one of the sources.")
    entry: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "origin": origin,
        "statements": len(document.statements),
        "sections": document.section_counts(),
        "title": document.title or "",
        "pages": document.pages,
        "notes": [f"Page {n.page}: {n.message}" for n in document.notes[:NOTES_KEPT]],
    }
    if data is not None:
        entry.update(file=file, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    else:
        entry.update(record_id=record_id, record=record)
    analysis.sources = [*analysis.sources, entry]
    analysis.documents = {**analysis.documents, name: document_to_json(document)}
    return entry


def remove_source(analysis: SharedPrioritiesAnalysis, name: str) -> None:
    """Take a source out of the analysis (not yet saved)."""
    analysis.sources = [s for s in analysis.sources if s["name"] != name]
    analysis.documents = {k: v for k, v in analysis.documents.items() if k != name}


def missing_sources(analysis: SharedPrioritiesAnalysis) -> list[str]:
    """What the analysis still needs before it can run, in words; empty when ready."""
    missing = []
    if not analysis.count_of("strategy"):
        missing.append("Add a strategy to read the partnerships against.")
    partnerships = analysis.count_of("partnership")
    if partnerships < 2:
        needed = 2 - partnerships
        missing.append(
            f"Add {'two partnerships' if needed == 2 else 'one more partnership'}: "
            "the analysis looks for priorities shared by two or more."
        )
    return missing


def run(analysis: SharedPrioritiesAnalysis) -> dict[str, Any]:
    """The alignment of the analysis's sources against the taxonomy in use, or
    ``AlignmentProblem`` / ``SourceProblem``."""
    from safeguarding.documents.extract import document_from_json
    from safeguarding.themes.alignment import Source, align

    missing = missing_sources(analysis)
    if missing:
        raise SourceProblem(" ".join(missing))
    sources = [
        Source(
            name=entry["name"],
            kind=entry["kind"],
            document=document_from_json(analysis.documents[entry["name"]]),
            file=entry.get("file"),
        )
        for entry in analysis.sources
    ]
    return align(sources, taxonomy=current_taxonomy())
