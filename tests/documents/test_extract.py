"""Reading any supported document end to end: the format told from its bytes, the limits, the
JSON round trip, and the invented corpus of reports read against what it should give."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from safeguarding.documents.extract import (
    document_from_json,
    document_to_json,
    read_document,
    read_document_bytes,
    sniff_format,
)
from safeguarding.documents.limits import ReadLimits
from safeguarding.documents.model import Block, DocumentProblem
from safeguarding.documents.structure import lift_title
from tests.documents.builders import styled_report

CORPUS = Path(__file__).parent / "corpus"

MARKDOWN = b"""# Larkhaven Safeguarding Children Partnership Annual Report 2024 to 2025

## Introduction

This is our report for the year.

## What we achieved

- We trained 400 staff.
- We opened a single front door.

## Our priorities for 2025-26

### Neglect

- embed the neglect toolkit

## Case studies
"""


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "report.bin", "pdf"),
        (b"\n\n%PDF-1.4", "report", "pdf"),
        (b"PK\x03\x04rest word/document.xml", "report.docx", "docx"),
        (b"PK\x03\x04rest word/document.xml", "report", "docx"),
        (b"PK\x03\x04 damaged, no directory", "report.docx", "docx"),  # the Word reader says
        (b"  <!DOCTYPE html><p>x</p>", "report.txt", "html"),
        (b"<html><body>x</body></html>", "report", "html"),
        (b"Just words", "page.htm", "html"),
        (b"# Heading", "notes.md", "markdown"),
        (b"# Heading", "notes.markdown", "markdown"),
        (b"# Heading", "notes.txt", "text"),
        (b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "page", "html"),
    ],
)
def test_the_format_is_told_from_content_then_name(data: bytes, name: str, expected: str) -> None:
    assert sniff_format(data, name) == expected


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 60
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zip_package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def refusal(data: bytes, name: str) -> str:
    """The one-line message ``sniff_format`` refuses the file with."""
    with pytest.raises(DocumentProblem) as raised:
        sniff_format(data, name)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(name)
    return message


ACCEPTED = "We read PDF, Word (.docx), web page (.html), Markdown or plain text."


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (PNG, "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
        (b"II*\x00\x08\x00", "a TIFF image"),
        (ELF, "a program"),
        (WINDOWS_PROGRAM, "a Windows program"),
        (OLE, "an old Word (.doc) file or a password-protected Office file"),
        (zip_package({"xl/workbook.xml": b"<workbook/>"}), "an Excel workbook"),
        (zip_package({"ppt/presentation.xml": b"<p/>"}), "a PowerPoint presentation"),
        (zip_package({"notes.txt": b"just notes"}), "a zip archive, not a Word document"),
        (b"{\\rtf1\\ansi Our priorities}", "a Rich Text (.rtf) file"),
        (b"\x00\x01\x02\x03" * 100, "binary data"),
        (bytes(range(1, 32)) * 40 + b"words", "binary data"),
    ],
)
def test_content_that_is_not_a_format_we_read_is_refused(data: bytes, looks_like: str) -> None:
    for name in ("upload", "upload.bin"):  # no extension, or one that names no format
        message = refusal(data, name)
        assert message.startswith(f"{name} cannot be read: it looks like {looks_like}")
        assert message.endswith(ACCEPTED)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PNG, "report.pdf", "report.pdf is not a PDF: it looks like a PNG image. " + ACCEPTED),
        (ELF, "report.pdf", "report.pdf is not a PDF: it looks like a program"),
        (WINDOWS_PROGRAM, "report.pdf", "report.pdf is not a PDF: it looks like a Windows program"),
        (PNG, "report.docx", "report.docx is not a Word document (.docx): it looks like a PNG"),
        (PNG, "notes.txt", "notes.txt is not a text file: it looks like a PNG image"),
        (PNG, "notes.md", "notes.md is not a Markdown file: it looks like a PNG image"),
        (OLE, "old.doc", "old.doc is not a Word document (.docx): it looks like an old Word"),
        (
            zip_package({"notes.txt": b"x"}),
            "report.docx",
            "report.docx is not a Word document (.docx): it looks like a zip archive",
        ),
        (
            zip_package({"word/document.xml": b"<w:document/>"}),
            "report.pdf",
            "report.pdf is not a PDF: it looks like a Word document (.docx); rename it to end "
            "in .docx and try again.",
        ),
        (
            b"%PDF-1.7\n...",
            "report.docx",
            "report.docx is not a Word document (.docx): it looks like a PDF; rename it to end "
            "in .pdf and try again.",
        ),
        (b"%PDF-1.7\n...", "notes.txt", "notes.txt is not a text file: it looks like a PDF"),
        (
            b"Our priorities\n\nWe will reduce neglect.",
            "report.pdf",
            "report.pdf is not a PDF: it looks like plain text; rename it to end in .txt",
        ),
        (b"<html><p>x</p></html>", "report.docx", "it looks like a web page (HTML)"),
        (b"PK\x03\x04 damaged", "report.pdf", "report.pdf is not a PDF: it is a damaged zip"),
    ],
)
def test_content_that_is_not_what_its_extension_says_is_refused(
    data: bytes, name: str, message: str
) -> None:
    assert message in refusal(data, name)


@pytest.mark.parametrize("name", ["notes.txt", "notes.md", "notes", "notes.TXT", "notes.csv"])
@pytest.mark.parametrize(
    "data",
    [
        "Our priorities\n\n\u2022 Neglect \u2013 train staff\n".encode(),
        "\u201cQuoted\u201d caf\u00e9 text, cut mid-character: \u00e9".encode()[:-1],
        "Windows text: caf\u00e9 \u2013 \u201cquoted\u201d\r\n\x0c7\r\n".encode("cp1252"),
        "\ufeffUTF-16 text with its byte order mark".encode("utf-16"),
        b"MZ is where the text starts, and it is still text.",
    ],
)
def test_text_is_still_read_whatever_its_extension(data: bytes, name: str) -> None:
    expected = "markdown" if name.endswith(".md") else "text"
    assert sniff_format(data, name) == expected


def test_a_long_text_full_of_curly_quotes_is_text() -> None:
    # every cut through the first few KB falls somewhere inside a three-byte character
    data = ("\u201cWe will\u201d \u2013 " * 600).encode()
    for shift in range(3):
        assert sniff_format(b"x" * shift + data, "a.txt") == "text"


def test_a_picture_named_as_a_document_is_refused_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "annual-report.docx"
    path.write_bytes(PNG * 20)
    with pytest.raises(DocumentProblem, match=r"annual-report.docx is not a Word document"):
        read_document(path)
    with pytest.raises(DocumentProblem, match=r"program"):
        read_document_bytes(ELF, "report.pdf", "X")


def test_a_markdown_report_end_to_end() -> None:
    document = read_document_bytes(MARKDOWN, "lscp.md", "LSCP")
    assert (document.source, document.file_name, document.format) == ("LSCP", "lscp.md", "markdown")
    assert (
        document.title == "Larkhaven Safeguarding Children Partnership Annual Report 2024 to 2025"
    )
    headings = [(s.heading, s.level, s.role) for root in document.sections for s in root.walk()]
    assert headings == [
        ("Introduction", 1, "overview"),
        ("What we achieved", 1, "achievements"),
        ("Our priorities for 2025-26", 1, "priorities"),
        ("Neglect", 2, "priorities"),
        ("Case studies", 1, "other"),
    ]
    assert [(s.id, s.section, s.text) for s in document.statements] == [
        ("LSCP-1", "overview", "This is our report for the year."),
        ("LSCP-2", "achievements", "We trained 400 staff."),
        ("LSCP-3", "achievements", "We opened a single front door."),
        ("LSCP-4", "priorities", "embed the neglect toolkit"),
    ]
    assert document.section_counts() == {"overview": 1, "achievements": 2, "priorities": 1}


def test_a_word_report_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "brindle-vale.docx"
    path.write_bytes(styled_report())
    document = read_document(path)
    assert document.source == "brindle-vale"
    assert document.format == "docx" and document.pages is None
    assert document.title == "Brindle Vale Safeguarding Children Partnership 2024-25"
    by_text = {s.text: s for s in document.statements}
    assert by_text["We trained 400 staff in spotting neglect."].section == "achievements"
    assert (
        by_text["Priority 1: Neglect, we will: embed the neglect toolkit"].section == "priorities"
    )
    assert "Priority 1: Neglect, we will:" not in by_text
    empty = [
        s for root in document.sections for s in root.walk() if s.heading == "Partner contributions"
    ]
    assert empty and empty[0].blocks == [] and empty[0].children == []


def test_the_json_round_trip() -> None:
    document = read_document_bytes(MARKDOWN, "lscp.md", "LSCP")
    data = json.loads(json.dumps(document_to_json(document)))
    assert set(data) == {
        "source",
        "file",
        "format",
        "pages",
        "title",
        "notes",
        "sections",
        "statements",
    }
    assert data["sections"][2]["children"][0]["blocks"][0] == {
        "kind": "list_item",
        "text": "embed the neglect toolkit",
        "page": None,
        "level": 1,
        "marker": "-",
    }
    assert data["statements"][0] == {
        "id": "LSCP-1",
        "source": "LSCP",
        "section": "overview",
        "heading": "Introduction",
        "text": "This is our report for the year.",
        "page": None,
        "list_item": False,
    }
    again = document_from_json(data)
    assert document_to_json(again) == data
    assert again.statements == document.statements


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="odt"), "unknown format"),
        (lambda d: d["sections"][0].update(role="vision"), "role"),
        (lambda d: d["statements"][0].update(page="3"), "whole-number page"),
        (lambda d: d["sections"][0]["blocks"][0].update(kind="image"), "unknown kind"),
        (lambda d: d.pop("statements"), "list of statements"),
        (lambda d: d["statements"][0].update(list_item="yes"), "true/false"),
    ],
)
def test_json_that_is_not_a_document_is_refused(change: Any, message: str) -> None:
    data = document_to_json(read_document_bytes(MARKDOWN, "lscp.md", "LSCP"))
    change(data)
    with pytest.raises(DocumentProblem, match=message):
        document_from_json(data)


def test_a_zero_byte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(DocumentProblem, match=r"empty \(0 bytes\)"):
        read_document(path)


@pytest.mark.parametrize("name", ["blank.txt", "blank.md", "blank.html"])
def test_a_file_with_no_text_is_refused(name: str) -> None:
    with pytest.raises(DocumentProblem, match=r"no text|empty"):
        read_document_bytes(b" \n\n \t\n", name, "X")


def test_an_empty_word_document_is_refused() -> None:
    import docx

    from tests.documents.builders import docx_bytes

    with pytest.raises(DocumentProblem, match="no text"):
        read_document_bytes(docx_bytes(docx.Document()), "empty.docx", "X")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 2000)
    with pytest.raises(DocumentProblem, match="more than the"):
        read_document(path, limits=ReadLimits(max_bytes=1000))
    with pytest.raises(DocumentProblem, match="more than the"):
        read_document_bytes(path.read_bytes(), "huge.pdf", "X", limits=ReadLimits(max_bytes=1000))


def test_a_missing_file_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(DocumentProblem, match="Cannot open"):
        read_document(tmp_path / "nowhere.docx")


def test_too_much_text_is_refused() -> None:
    with pytest.raises(DocumentProblem, match="characters"):
        read_document_bytes(b"Words. " * 1000, "a.txt", "X", limits=ReadLimits(max_text_chars=100))


def test_html_with_scripts_gives_no_script_text_anywhere() -> None:
    page = b"""<html><head><script>steal("SECRET")</script></head><body>
    <h2>Our priorities</h2><p>We will reduce neglect.</p><script>alert("SECRET")</script>
    <ul><li>Train staff<script>x="SECRET"</script></li></ul></body></html>"""
    document = read_document_bytes(page, "page.html", "P")
    assert "SECRET" not in json.dumps(document_to_json(document))
    assert [s.text for s in document.statements] == ["We will reduce neglect.", "Train staff"]


def test_lift_title_moves_sections_up_under_a_lone_title() -> None:
    blocks = [
        Block(kind="heading", text="Annual report 2024 to 2025", level=1),
        Block(kind="heading", text="Introduction", level=2),
        Block(kind="heading", text="Detail", level=3),
    ]
    lifted, title = lift_title(blocks)
    assert title == "Annual report 2024 to 2025"
    assert [(b.text, b.level) for b in lifted] == [("Introduction", 1), ("Detail", 2)]


def test_lift_title_keeps_a_first_heading_that_is_a_real_section() -> None:
    blocks = [
        Block(kind="heading", text="Our priorities", level=1),
        Block(kind="heading", text="Neglect", level=2),
        Block(kind="heading", text="Exploitation", level=2),
    ]
    assert lift_title(blocks) == (blocks, None)


# -- the invented corpus (written by scripts/make_document_corpus.py) ----------------------------


def corpus_files(*suffixes: str) -> list[Path]:
    return sorted(
        path
        for path in CORPUS.glob("*")
        if path.suffix in suffixes and Path(f"{path}.expected.yaml").exists()
    )


NON_PDF = corpus_files(".docx", ".html", ".md")


def expected(path: Path) -> dict[str, Any]:
    return yaml.safe_load(Path(f"{path}.expected.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_there() -> None:
    assert {path.suffix for path in NON_PDF} == {".docx", ".html", ".md"}


@pytest.mark.parametrize("path", NON_PDF, ids=lambda path: path.name)
def test_corpus_documents_read_as_expected(path: Path) -> None:
    want = expected(path)
    document = read_document(path, want["source"])
    assert document.format == want["format"]
    assert document.title == want["title"]
    sections = [s for root in document.sections for s in root.walk()]
    assert [(s.heading, s.level, s.role) for s in sections] == [
        (h["text"], h["level"], h["role"]) for h in want["headings"]
    ]
    assert [s.heading for s in sections if not s.blocks and not s.children] == want[
        "empty_headings"
    ]
    assert dict(Counter(s.section for s in document.statements)) == want["statements"]
    texts = [s.text for s in document.statements]
    for text in want["named_statements"].values():
        assert text in texts
    for marker, text in want["numbered_paragraphs"].items():
        assert any(s.text == text for s in document.statements), marker
    rows = [b.text for s in sections for b in s.blocks if b.kind == "table_row"]
    assert rows == want["table_rows"]


@pytest.mark.parametrize("path", corpus_files(".pdf"), ids=lambda path: path.name)
def test_corpus_pdfs_give_the_expected_sections_and_roles(path: Path) -> None:
    want = expected(path)
    document = read_document_bytes(path.read_bytes(), path.name, want["source"])
    assert document.format == "pdf"
    assert document.pages == want["pages"]
    assert document.title == want["title"]
    sections = [s for root in document.sections for s in root.walk()]
    assert [(s.heading, s.role) for s in sections] == [
        (h["text"], h["role"]) for h in want["headings"]
    ]
    priorities = [s.text for s in document.statements if s.section == "priorities"]
    assert want["named_statements"]["priority_1"] in priorities
