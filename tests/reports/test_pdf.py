"""The annual report as PDF: readable, tagged, with bookmarks, metadata, page numbers and
pages that show something."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from safeguarding.reports import annual
from safeguarding.reports.html import sections
from safeguarding.reports.pdf import html_to_pdf, report_pdf, url_fetcher
from safeguarding.reports.sample import sample_report

# A page shows something when this many pixels of its body (between the running header and
# the footer) are not white, at 30 dots per inch.
BODY_INK = 40
WHITE = 240


@pytest.fixture(scope="module")
def report() -> annual.AnnualReport:
    return sample_report(priorities=2)


class Check:
    """Stands in for a legal checklist item: only its attributes matter."""

    element = "What each member did to carry out the strategy"
    law = "Care Act 2014, Schedule 2, paragraph 4(1)(b)"
    met = False
    gaps = ("No member agency has recorded its contribution to the strategy",)


@pytest.fixture(scope="module")
def pdf(report: annual.AnnualReport) -> bytes:
    return report_pdf(report, checklist=[Check()])


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    """The bookmarks as (depth, title), in order."""
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


def test_pypdf_reads_several_pages(pdf: bytes, reader: pypdf.PdfReader) -> None:
    assert pdf.startswith(b"%PDF-1.7")
    assert len(reader.pages) > 1


def test_metadata_title_and_language(reader: pypdf.PdfReader, report: annual.AnnualReport) -> None:
    assert reader.metadata is not None
    assert reader.metadata.title == report.title
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_tagged(reader: pypdf.PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data()


def test_bookmarks_are_the_headings(reader: pypdf.PdfReader, report: annual.AnnualReport) -> None:
    marks = outline(reader)
    assert marks[0] == (0, report.title)
    second_level = [title for depth, title in marks if depth == 1]
    expected = ["Contents"] + [section.title for section in sections(report, checklist=True)]
    assert second_level == expected
    third_level = [title for depth, title in marks if depth == 2]
    for priority in report.priorities:
        assert priority.title in third_level
    # h4 and below stay out of the outline.
    assert "What success looks like" not in [title for _, title in marks]
    assert max(depth for depth, _ in marks) == 2
    assert second_level[-1] == "Appendix: checking the report against the law"


def test_page_numbers_and_running_header(reader: pypdf.PdfReader) -> None:
    count = len(reader.pages)
    second = reader.pages[1].extract_text()
    assert f"Page 2 of {count}" in second
    assert "LSAB annual report 2025-26" in second
    assert f"Page {count} of {count}" in reader.pages[-1].extract_text()


def test_contents_gives_page_numbers(reader: pypdf.PdfReader) -> None:
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    assert "Foreword" in contents and "...... 3" in contents


def test_nothing_is_fetched() -> None:
    fetcher = url_fetcher()
    for address in ("http://127.0.0.1:9/x.png", "file:///etc/hostname", "https://example.org"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(address)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    # An image that would need fetching is left out, and the PDF is still made.
    made = html_to_pdf(
        '<html lang="en-GB"><title>T</title><img src="file:///etc/hostname" alt="x">'
    )
    assert made.startswith(b"%PDF")


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        message = "pdftoppm is missing: `make report-tools` installs poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    """A binary greyscale PGM (P5, 8-bit) as width, height and its pixels, row by row."""
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    position += 1  # the single whitespace after the maximum value
    magic, width, height, maximum = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic == b"P5" and maximum == 255
    return width, height, data[position : position + width * height]


def body_ink(path: Path) -> int:
    """Pixels that are not white between the top and bottom margins."""
    width, height, pixels = read_pgm(path)
    top, bottom = int(height * 0.1), int(height * 0.9)
    body = pixels[top * width : bottom * width]
    return sum(1 for value in body if value < WHITE)


def test_checklist_gaps_are_printed(reader: pypdf.PdfReader) -> None:
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Gaps found" in last
    assert "No member agency has recorded its contribution to the strategy" in last


def test_pages_are_not_blank(pdf: bytes, reader: pypdf.PdfReader, tmp_path: Path) -> None:
    program = _pdftoppm()
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [program, "-r", "30", "-gray", str(source), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) == len(reader.pages)
    ink = [body_ink(page) for page in pages]
    assert all(amount > BODY_INK for amount in ink), ink
    # A page with a chart carries far more ink than a page of text alone.
    chart_pages = [
        number
        for number, page in enumerate(reader.pages)
        if "Lines through the points show the 95% confidence interval" in page.extract_text()
    ]
    assert chart_pages
    assert max(ink[number] for number in chart_pages) > 4 * min(ink)


def test_read_pgm(tmp_path: Path) -> None:
    path = tmp_path / "tiny.pgm"
    path.write_bytes(b"P5\n3 2\n255\n" + bytes([255, 0, 255, 255, 255, 10]))
    assert read_pgm(path) == (3, 2, bytes([255, 0, 255, 255, 255, 10]))
