"""Reading a report or strategy of any supported format into a ``Document``.

The format is told from the file's first bytes (a PDF, a zip or an old Office file, HTML) and
then from its name (.md for Markdown); anything else is read as plain text. Each step is its own
module: a reader gives blocks, ``structure`` nests them into sections, ``roles`` names each
section's role and ``statements`` splits sections into statements.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from safeguarding.documents.limits import DEFAULT_LIMITS, ReadLimits, check_size
from safeguarding.documents.model import Block, Document, DocumentProblem, PageNote
from safeguarding.documents.roles import assign_roles
from safeguarding.documents.serialise import FORMATS, document_from_json, document_to_json
from safeguarding.documents.statements import split_statements
from safeguarding.documents.structure import build_sections, lift_title
from safeguarding.documents.text_rules import decode_bytes

__all__ = [
    "FORMATS",
    "document_from_json",
    "document_to_json",
    "read_document",
    "read_document_bytes",
    "sniff_format",
]

Reader = Callable[..., tuple[list[Block], int | None, list[PageNote], str | None]]
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_STARTS = ("<!doctype html", "<html", "<head", "<body", "<meta", "<title")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def read_document(
    path: Path, source: str | None = None, *, limits: ReadLimits = DEFAULT_LIMITS
) -> Document:
    """Read the file at ``path``; ``source`` names it in statement ids (default: its stem)."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DocumentProblem(f"Cannot open {path}: {error.strerror or error}.") from None
    if not path.is_file():
        raise DocumentProblem(f"{path} is not a file.")
    check_size(size, limits)  # before reading, so a huge file costs nothing
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentProblem(f"Cannot read {path}: {error.strerror or error}.") from None
    return read_document_bytes(data, path.name, source or path.stem, limits=limits)


def read_document_bytes(
    data: bytes, file_name: str, source: str, *, limits: ReadLimits = DEFAULT_LIMITS
) -> Document:
    """Read a document given as bytes (an upload, say); ``file_name`` helps tell its format."""
    check_size(len(data), limits)
    if not data:
        raise DocumentProblem(f"{file_name} is empty (0 bytes).")
    source = source.strip() or Path(file_name).stem or "document"
    document_format = sniff_format(data, file_name)
    blocks, pages, notes, title = _reader(document_format)(data, limits=limits)
    _check_read(blocks, pages, notes, file_name, limits)
    blocks, lifted = lift_title(blocks)
    sections = build_sections(blocks)
    assign_roles(sections)
    return Document(
        source=source,
        file_name=file_name,
        format=document_format,  # type: ignore[arg-type]
        pages=pages,
        title=title or lifted,
        sections=sections,
        statements=split_statements(sections, source),
        notes=notes,
    )


def sniff_format(data: bytes, file_name: str) -> str:
    """ "pdf", "docx", "html", "markdown" or "text", from the content first, then the name."""
    head = data[:1024]
    if b"%PDF-" in head:  # the PDF standard lets a header sit anywhere in the first kilobyte
        return "pdf"
    if head.startswith((ZIP_SIGNATURE, OLE_SIGNATURE)):
        return "docx"  # the Word reader refuses other zips and encrypted files by name
    start = decode_bytes(data[:2048]).lstrip().lower()
    suffix = Path(file_name).suffix.lower()
    if start.startswith(HTML_STARTS) or suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def _reader(document_format: str) -> Reader:
    if document_format == "pdf":
        from safeguarding.documents.pdf import read_pdf  # pdfplumber is slow to import

        return read_pdf
    if document_format == "docx":
        from safeguarding.documents.docx import read_docx

        return read_docx
    if document_format == "html":
        from safeguarding.documents.html import read_html

        return read_html
    if document_format == "markdown":
        from safeguarding.documents.markdown import read_markdown

        return read_markdown
    from safeguarding.documents.text import read_text

    return read_text


def _check_read(
    blocks: list[Block],
    pages: int | None,
    notes: list[PageNote],
    file_name: str,
    limits: ReadLimits,
) -> None:
    """Refuse what a reader gave back that is past the limits or holds nothing at all."""
    if pages is not None and pages > limits.max_pages:
        raise DocumentProblem(
            f"{file_name} has {pages:,} pages, more than the {limits.max_pages:,} allowed."
        )
    if sum(len(block.text) for block in blocks) > limits.max_text_chars:
        raise DocumentProblem(
            f"{file_name} holds more than the {limits.max_text_chars:,} characters of text "
            "allowed for one report."
        )
    if not blocks and not notes:  # a scanned PDF has notes saying so, and is returned as read
        raise DocumentProblem(f"{file_name} has no text in it.")
