"""Reading a report or strategy of any supported format into a ``Document``.

The format is told from the file's first bytes (a PDF, a Word zip package, HTML, text) and
checked against its name: a picture, a program, an archive or an old Word file is refused, and
so is a file whose extension names another format than its content (``report.pdf`` that is a
PNG). Text is read as HTML, Markdown or plain text by its start and its name. Each step is its own
module: a reader gives blocks, ``structure`` nests them into sections, ``roles`` names each
section's role and ``statements`` splits sections into statements.
"""

from __future__ import annotations

import codecs
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
    """ "pdf", "docx", "html", "markdown" or "text", from the content, checked against the name.

    Refuses, with ``DocumentProblem``, content that is not a format we read (a picture, a
    program, an archive, an old Word file) and content that is not what the file's extension
    says (``report.pdf`` holding a picture or a Word document), rather than read it as text.
    """
    named = _named_format(file_name)
    found, looks_like = _content_format(data)
    if found is None:
        lead = (
            f"{file_name} is not {_EXTENSION_NAMES[named]}"
            if named is not None
            else f"{file_name} cannot be read"
        )
        raise DocumentProblem(f"{lead}: it looks like {looks_like}. {ACCEPTED}")
    if found == "docx" and looks_like == _DAMAGED_ZIP and named not in (None, "docx"):
        raise DocumentProblem(f"{file_name} is not {_EXTENSION_NAMES[named]}: {looks_like}.")
    if named is not None and _family(named) != _family(found):
        raise DocumentProblem(
            f"{file_name} is not {_EXTENSION_NAMES[named]}: it looks like {looks_like}; "
            f"rename it to end in {_RENAME_TO[found]} and try again."
        )
    if found != "text":
        return found
    # Within the text family the content's own start says HTML; else the name decides.
    if named in ("html", "markdown"):
        return named
    return "text"


#: What the readers take, for messages that refuse anything else.
ACCEPTED = "We read PDF, Word (.docx), web page (.html), Markdown or plain text."
_SUFFIX_FORMATS = {
    ".pdf": "pdf",
    **dict.fromkeys((".docx", ".docm", ".dotx", ".dotm", ".doc"), "docx"),
    **dict.fromkeys(HTML_SUFFIXES, "html"),
    **dict.fromkeys(MARKDOWN_SUFFIXES, "markdown"),
    **dict.fromkeys((".txt", ".text"), "text"),
}
_EXTENSION_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document (.docx)",
    "html": "a web page",
    "markdown": "a Markdown file",
    "text": "a text file",
}
_CONTENT_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document (.docx)",
    "html": "a web page (HTML)",
    "text": "plain text",
}
_RENAME_TO = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}
# Magic numbers at the very start of formats people upload by mistake. A program's "MZ" is
# told apart from text that starts "MZ" by the binary check (see ``_content_format``).
_MAGIC: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((b"\x89PNG\r\n\x1a\n",), "a PNG image"),
    ((b"\xff\xd8\xff",), "a JPEG image"),
    ((b"GIF87a", b"GIF89a"), "a GIF image"),
    ((b"II*\x00", b"MM\x00*"), "a TIFF image (a scan?)"),
    ((b"\x7fELF",), "a program (an ELF executable)"),
    ((b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe"), "a program"),
    ((b"\x1f\x8b",), "a compressed (gzip) file"),
    ((b"7z\xbc\xaf\x27\x1c",), "a 7-Zip archive"),
    ((b"Rar!\x1a\x07",), "a RAR archive"),
    ((b"{\\rtf",), "a Rich Text (.rtf) file; save it as .docx or PDF"),
    ((b"%!PS",), "a PostScript file; save it as PDF"),
    (
        (OLE_SIGNATURE,),
        "an old Word (.doc) file or a password-protected Office file; "
        "save it as .docx without a password",
    ),
)
_ZIP_SIGNATURES = (ZIP_SIGNATURE, b"PK\x05\x06", b"PK\x07\x08")
# Parts that name what a zip package other than a Word document holds.
_ZIP_KINDS = (
    (b"xl/workbook", "an Excel workbook (.xlsx)"),
    (b"ppt/presentation", "a PowerPoint presentation (.pptx)"),
    (b"application/vnd.oasis.opendocument.text", "an OpenDocument text file (.odt)"),
    (b"application/vnd.oasis.opendocument", "an OpenDocument file"),
)
_DAMAGED_ZIP = "it is a damaged zip package"
SNIFF_BYTES = 4096  # how much of the start the binary check looks at
# Control characters that plain text does have: tab, line ends, form feed (a page break),
# vertical tab and Ctrl-Z (an old end-of-file mark).
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1a")


def _named_format(file_name: str) -> str | None:
    """The format the file's extension names, or None (no extension, or one we do not know)."""
    return _SUFFIX_FORMATS.get(Path(file_name).suffix.lower())


def _family(document_format: str) -> str:
    """HTML, Markdown and plain text are all text, and each reader copes with the others."""
    return "text" if document_format in ("html", "markdown", "text") else document_format


def _content_format(data: bytes) -> tuple[str | None, str]:
    """What the content is: "pdf", "docx", "html" or "text" (with how to name it), or None
    with a name for what it looks like instead."""
    for signatures, looks_like in _MAGIC:
        if data.startswith(signatures):
            return None, looks_like
    if data.startswith(_ZIP_SIGNATURES):
        return _zip_format(data)
    if b"%PDF-" in data[:1024]:  # the PDF standard lets a header sit anywhere in the first KB
        return "pdf", _CONTENT_NAMES["pdf"]
    head = data[:SNIFF_BYTES]
    if not _looks_like_text(head):
        if data.startswith(b"MZ"):
            return None, "a Windows program (.exe or .dll)"
        return None, "binary data (a program, picture or archive), not text"
    start = decode_bytes(data[:2048]).lstrip().lower()
    if start.startswith(HTML_STARTS):
        return "html", _CONTENT_NAMES["html"]
    return "text", _CONTENT_NAMES["text"]


def _zip_format(data: bytes) -> tuple[str | None, str]:
    """A Word document, or what other zip package it is. A damaged zip goes to the Word reader,
    which says it is damaged; the bytes are only searched, the zip is not opened here."""
    # Part names are stored as plain bytes in each entry's header and in the directory.
    if b"word/document" in data:
        return "docx", _CONTENT_NAMES["docx"]
    if b"PK\x05\x06" not in data[-(65_536 + 22) :]:  # no end-of-directory record: damaged
        return "docx", _DAMAGED_ZIP
    for marker, looks_like in _ZIP_KINDS:
        if marker in data:
            return None, looks_like
    return None, "a zip archive, not a Word document"


def _looks_like_text(head: bytes) -> bool:
    """Whether the file's first bytes read as text: no NUL bytes (unless UTF-16 with a byte
    order mark) and few control characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode(
            "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be", errors="replace"
        )
    elif b"\x00" in head:
        return False
    else:
        try:  # an incremental decoder, since the cut may fall inside a character
            text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            text = head.decode("cp1252", errors="replace")
    odd = sum(
        1
        for character in text
        if character == "\ufffd"
        or (character < " " and character not in _TEXT_CONTROLS)
        or character == "\x7f"
    )
    return odd < 4 or odd <= 0.05 * len(text)


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
