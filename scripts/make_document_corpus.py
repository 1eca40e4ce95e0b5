"""Make the document-reading test corpus from the invented reports in scripts/document_corpus.

For each report it writes, into tests/documents/corpus/ (or --out):

- ``<slug>.docx``: python-docx, real Word list numbering (a Symbol-font bullet, U+F0B7, and
  decimal numbers), a bordered table, a running header and a "Page X of Y" footer; headings in
  Word's heading styles, or, for a report with ``heading_styles=False``, only in bold larger type;
- ``<slug>.lo.pdf``: that DOCX converted by LibreOffice (``soffice --headless``), as a Word
  export would be: Symbol bullets kept, no bookmarks;
- ``<slug>.wp.pdf``: HTML printed by WeasyPrint with a running header and page numbers in the
  page margins, headings that differ only by font size (``<p class>``), one section in two
  columns, a table, and a last page that is only a picture of text (a "scanned" page);
- ``<slug>.html`` and ``<slug>.md``;
- ``<file>.expected.yaml`` for each: what a careful reader records, worked out from the source
  text (never from running the reader).

    .venv/bin/python scripts/make_document_corpus.py [--out DIR] [--soffice PATH]
"""

from __future__ import annotations

import argparse
import html
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from document_corpus import REPORTS
from document_corpus.model import (
    Bullets,
    Numbered,
    Para,
    Report,
    Section,
    Table,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "documents" / "corpus"
SYMBOL_BULLET = "\uf0b7"


# ---------------------------------------------------------------------------------------------
# What a careful reader records


def _statement_texts(section: Section) -> list[str]:
    """Statements in a section: each list item (sub-items too) and each paragraph that is not
    only a lead-in to a list (ending in a colon)."""
    found: list[str] = []
    for item in section.content:
        if isinstance(item, Para) and not item.text.endswith(":"):
            found.append(item.text)
        elif isinstance(item, Bullets):
            for bullet in item.items:
                found.append(bullet.text)
                found.extend(bullet.children)
        elif isinstance(item, Numbered):
            found.extend(item.items)
    return found


def expected(report: Report, file_name: str, fmt: str, **extra: Any) -> dict[str, Any]:
    """The expected-reading record for one rendering of ``report``."""
    counts: dict[str, int] = {}
    named: dict[str, str] = {}
    numbered_paragraphs: dict[str, str] = {}
    table_rows: list[str] = []
    bullets = nested = numbered = 0
    for section in report.sections:
        texts = _statement_texts(section)
        if texts:
            counts[section.role] = counts.get(section.role, 0) + len(texts)
        for item in section.content:
            if isinstance(item, Numbered):
                numbered += len(item.items)
                for n, text in enumerate(item.items, start=1):
                    named[f"{item.name}_{n}"] = text
            elif isinstance(item, Bullets):
                bullets += len(item.items)
                nested += sum(len(b.children) for b in item.items)
                named.setdefault(f"{section.role}_first_bullet", item.items[0].text)
            elif isinstance(item, Para) and item.number:
                numbered_paragraphs[item.number] = item.text
            elif isinstance(item, Table):
                table_rows.append(" | ".join(item.header))
                table_rows.extend(" | ".join(row) for row in item.rows)
    record: dict[str, Any] = {
        "file": file_name,
        "format": fmt,
        "title": report.title,
        "source": report.source,
        "headings": [
            {"text": s.heading, "level": s.level, "role": s.role} for s in report.sections
        ],
        "empty_headings": [s.heading for s in report.sections if not s.content],
        "statements": counts,
        "named_statements": named,
        "numbered_paragraphs": numbered_paragraphs,
        "list_items": {"bullets": bullets, "nested_bullets": nested, "numbered": numbered},
        "table_rows": table_rows,
    }
    record.update(extra)
    return record


STATEMENT_RULE = (
    "# Expected reading, written from the source text in scripts/document_corpus (not from the\n"
    "# reader). Statements: one per list item (second-level items too) and one per paragraph,\n"
    "# except a lead-in paragraph ending in a colon; headings and table rows are not statements.\n"
    "# Heading levels are the outline levels of the source (the title is not among them).\n"
)


def write_expected(path: Path, record: dict[str, Any]) -> None:
    text = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(STATEMENT_RULE + text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# HTML and Markdown


def _html_content(item: object) -> str:
    if isinstance(item, Para):
        number = f"{item.number} " if item.number else ""
        return f"<p>{html.escape(number + item.text)}</p>"
    if isinstance(item, Bullets):
        lis = []
        for bullet in item.items:
            inner = ""
            if bullet.children:
                inner = "<ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in bullet.children)
                inner += "</ul>"
            lis.append(f"<li>{html.escape(bullet.text)}{inner}</li>")
        return "<ul>" + "".join(lis) + "</ul>"
    if isinstance(item, Numbered):
        return "<ol>" + "".join(f"<li>{html.escape(t)}</li>" for t in item.items) + "</ol>"
    if isinstance(item, Table):
        head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in item.header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in item.rows
        )
        return (
            f"<table><caption>{html.escape(item.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )
    raise TypeError(item)


def to_html(report: Report) -> str:
    """A plain web page with real heading elements, as a partnership's website would have."""
    body = [f"<h1>{html.escape(report.title)}</h1>"]
    for section in report.sections:
        tag = f"h{section.level + 1}"
        body.append(f"<{tag}>{html.escape(section.heading)}</{tag}>")
        body.extend(_html_content(item) for item in section.content)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(report.title)}</title></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


PRINT_CSS = """
@page { size: A4; margin: 2.4cm 2.2cm;
  @top-center { content: "%(header)s"; font-size: 8.5pt; color: #444; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8.5pt; } }
@page scanned { margin: 0; @top-center { content: none; } @bottom-center { content: none; } }
body { font-family: "Liberation Sans", sans-serif; font-size: 11pt; line-height: 1.3; }
p { margin: 0 0 7pt 0; }
p.title { font-size: 22pt; line-height: 1.2; margin-bottom: 18pt; }
p.h1 { font-size: 16pt; margin: 16pt 0 8pt 0; }
p.h2 { font-size: 13.5pt; margin: 12pt 0 6pt 0; }
ul, ol { margin: 0 0 7pt 0; padding-left: 22pt; }
li { margin-bottom: 4pt; }
ul ul { list-style-type: circle; margin: 4pt 0 0 0; }
.columns { column-count: 2; column-gap: 28pt; }
table { border-collapse: collapse; margin: 6pt 0 10pt 0; width: 100%%; }
caption { text-align: left; font-size: 11pt; margin-bottom: 4pt; }
th, td { border: 0.75pt solid #333; padding: 3pt 5pt; text-align: left; font-size: 10pt; }
.scan { page: scanned; break-before: page; margin: 0; }
.scan img { width: 210mm; height: 297mm; display: block; }
"""


def to_print_html(report: Report, scan_png: str | None) -> str:
    """The HTML WeasyPrint prints: headings told apart only by their size, one section in
    columns, a picture-only last page."""
    css = PRINT_CSS % {"header": report.running_header.replace('"', "'")}
    # a cover page with the title alone, as printed reports have
    body = [f"<p class='title' style='break-after: page'>{html.escape(report.title)}</p>"]
    for section in report.sections:
        style = " style='break-before: page'" if section.new_page else ""
        body.append(f"<p class='h{section.level}'{style}>{html.escape(section.heading)}</p>")
        parts = [_html_content(item) for item in section.content]
        if section.columns:
            parts = ["<div class='columns'>", *parts, "</div>"]
        body.extend(parts)
    if scan_png:
        body.append(f"<div class='scan'><img src='{scan_png}' alt=''></div>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(report.title)}</title><style>{css}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    for section in report.sections:
        lines += [f"{'#' * (section.level + 1)} {section.heading}", ""]
        for item in section.content:
            if isinstance(item, Para):
                lines += [f"{item.number} {item.text}" if item.number else item.text, ""]
            elif isinstance(item, Bullets):
                for bullet in item.items:
                    lines.append(f"- {bullet.text}")
                    lines.extend(f"  - {child}" for child in bullet.children)
                lines.append("")
            elif isinstance(item, Numbered):
                lines += [f"{n}. {text}" for n, text in enumerate(item.items, start=1)]
                lines.append("")
            elif isinstance(item, Table):
                lines += [
                    f"*{item.caption}*",
                    "",
                    "| " + " | ".join(item.header) + " |",
                    "|" + "---|" * len(item.header),
                ]
                lines += ["| " + " | ".join(row) + " |" for row in item.rows]
                lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# DOCX


def _numbering(document: Any) -> tuple[int, Any]:
    """Adds a Symbol-bullet list definition; returns its numId and a maker of decimal lists."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    bullet_levels = (
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="{SYMBOL_BULLET}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="o"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"'
        ' w:hint="default"/></w:rPr></w:lvl>'
    )
    decimal_level = (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>'
    )
    counter = {"next": 90}

    def add(levels: str) -> int:
        counter["next"] += 1
        ident = counter["next"]
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ident}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
        )
        # abstractNum elements must all come before the num elements
        first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{ident}">'
                f'<w:abstractNumId w:val="{ident}"/></w:num>'
            )
        )
        return ident

    return add(bullet_levels), lambda: add(decimal_level)


def _list_paragraph(document: Any, text: str, num_id: int, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = document.add_paragraph(text, style="List Paragraph")
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def _add_page_field(paragraph: Any, instruction: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r>'
            "</w:fldSimple>"
        )
    )


def to_docx(report: Report) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    document.core_properties.title = ""  # a Word export often has none: the first big line is it
    header = section.header.paragraphs[0]
    header.text = report.running_header
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _add_page_field(footer, "PAGE")
    footer.add_run(" of ")
    _add_page_field(footer, "NUMPAGES")

    bullet_id, new_decimal = _numbering(document)
    sizes = {0: 22, 1: 16, 2: 13}

    def heading(text: str, level: int) -> None:
        if report.heading_styles:
            document.add_heading(text, level=level)  # level 0 is Word's Title style
        else:
            run = document.add_paragraph().add_run(text)
            run.bold = True
            run.font.size = Pt(sizes[level])

    heading(report.title, 0)
    document.add_page_break()  # a cover page with the title alone, as printed reports have
    for part in report.sections:
        if part.new_page:
            document.add_page_break()
        heading(part.heading, part.level)
        for item in part.content:
            if isinstance(item, Para):
                document.add_paragraph(f"{item.number} {item.text}" if item.number else item.text)
            elif isinstance(item, Bullets):
                for bullet in item.items:
                    _list_paragraph(document, bullet.text, bullet_id, 0)
                    for child in bullet.children:
                        _list_paragraph(document, child, bullet_id, 1)
            elif isinstance(item, Numbered):
                num_id = new_decimal()
                for text in item.items:
                    _list_paragraph(document, text, num_id, 0)
            elif isinstance(item, Table):
                document.add_paragraph(item.caption)
                table = document.add_table(rows=1 + len(item.rows), cols=len(item.header))
                table.style = "Table Grid"
                for r, row in enumerate((item.header, *item.rows)):
                    for c, text in enumerate(row):
                        table.cell(r, c).text = text
                document.add_paragraph()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# PDFs


def scanned_png(lines: tuple[str, ...], path: Path) -> None:
    """A greyscale picture of a printed page of text, as a scanner would give (no text layer)."""
    import pypdfium2
    import weasyprint

    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    pdf = weasyprint.HTML(
        string="<html><head><style>@page{size:A4;margin:3cm}"
        "body{font-family:'Liberation Serif',serif;font-size:13pt}</style></head>"
        f"<body>{paragraphs}</body></html>"
    ).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=90 / 72, grayscale=True).to_pil()
    image.convert("L").save(path, optimize=True)
    document.close()


def page_count(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def weasyprint_pdf(report: Report, path: Path, work: Path) -> int:
    """Prints the report with WeasyPrint; returns the page number of the scanned page."""
    import weasyprint

    png = work / f"{report.slug}-scan.png"
    scanned_png(report.scanned_text, png)
    weasyprint.HTML(string=to_print_html(report, png.name), base_url=str(work)).write_pdf(path)
    return page_count(path)  # the picture is the last page


def libreoffice_pdf(docx_path: Path, path: Path, soffice: str, work: Path) -> None:
    profile = work / "lo-profile"
    subprocess.run(  # noqa: S603 - a fixed command on our own files
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.move(work / (docx_path.stem + ".pdf"), path)


# ---------------------------------------------------------------------------------------------


def make(out: Path, soffice: str | None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        for report in REPORTS:
            slug = report.slug
            base = {"running_text": [report.running_header]}

            docx_path = out / f"{slug}.docx"
            docx_path.write_bytes(to_docx(report))
            write_expected(
                out / f"{slug}.docx.expected.yaml",
                expected(report, docx_path.name, "docx", heading_styles=report.heading_styles),
            )
            written.append(docx_path)

            if soffice:
                lo_path = out / f"{slug}.lo.pdf"
                libreoffice_pdf(docx_path, lo_path, soffice, work)
                write_expected(
                    out / f"{slug}.lo.pdf.expected.yaml",
                    expected(
                        report,
                        lo_path.name,
                        "pdf",
                        pages=page_count(lo_path),
                        scanned_pages=[],
                        symbol_bullets=True,
                        **base,
                    ),
                )
                written.append(lo_path)

            wp_path = out / f"{slug}.wp.pdf"
            scanned = weasyprint_pdf(report, wp_path, work)
            columns = next(s for s in report.sections if s.columns)
            write_expected(
                out / f"{slug}.wp.pdf.expected.yaml",
                expected(
                    report,
                    wp_path.name,
                    "pdf",
                    pages=scanned,
                    scanned_pages=[scanned],
                    scanned_text=list(report.scanned_text),
                    columns={
                        "heading": columns.heading,
                        "paragraphs": [p.text for p in columns.content if isinstance(p, Para)],
                    },
                    **base,
                ),
            )
            written.append(wp_path)

            html_path = out / f"{slug}.html"
            html_path.write_text(to_html(report), encoding="utf-8")
            write_expected(
                out / f"{slug}.html.expected.yaml", expected(report, html_path.name, "html")
            )
            md_path = out / f"{slug}.md"
            md_path.write_text(to_markdown(report), encoding="utf-8")
            write_expected(
                out / f"{slug}.md.expected.yaml", expected(report, md_path.name, "markdown")
            )
            written += [html_path, md_path]
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--soffice", default=shutil.which("soffice"))
    args = parser.parse_args()
    if not args.soffice:
        print(
            "LibreOffice (soffice) was not found, so the .lo.pdf files were not made; "
            "run `make document-corpus`, which installs it.",
            file=sys.stderr,
        )
    for path in make(args.out, args.soffice):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0 if args.soffice else 1


if __name__ == "__main__":
    raise SystemExit(main())
