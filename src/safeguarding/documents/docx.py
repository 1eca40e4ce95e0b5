"""Reading a Word document (.docx) into blocks: headings, paragraphs, list items, table rows.

Headings come from Word's heading styles and outline levels; a document written without them
(headings typed in bold or a bigger font) has its short bold or large paragraphs taken as
headings instead. The file is checked as a zip before python-docx opens it, so a zip bomb or a
password-protected file is refused with a message rather than read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from docx.table import Table
from docx.text.paragraph import Paragraph

from safeguarding.documents.limits import ReadingBudget, ReadLimits
from safeguarding.documents.model import Block, DocumentProblem, PageNote
from safeguarding.documents.text_rules import (
    clean_text,
    is_paragraph_number,
    marker_depth,
    split_marker,
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADING_STYLE = re.compile(r"^heading\s+([1-9])$", re.IGNORECASE)
LIST_STYLE = re.compile(r"^list (?:bullet|number|paragraph|continue)(?:\s+([2-9]))?$", re.I)
MAX_HEADING_WORDS = 14  # a typed heading is short; a bold sentence in the body is not
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class _Paragraph:
    """What the reader learned about one paragraph before headings are decided."""

    text: str
    heading_level: int | None  # from a style or outline level
    list_depth: int | None  # from Word's numbering
    list_marker: str | None
    bold: bool
    size: float | None  # in points, the largest of its runs
    typed: tuple[str, str] | None  # a list marker typed at its start (as written), and the rest
    is_title: bool = False  # in Word's "Title" style: the document's title, not a section


def read_docx(
    data: bytes, *, limits: ReadLimits
) -> tuple[list[Block], int | None, list[PageNote], str | None]:
    """The blocks of a .docx in reading order, no page count (Word has none), notes, title."""
    check_docx_container(data, limits)
    budget = ReadingBudget(limits)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        title = clean_text(document.core_properties.title or "") or None
        paragraphs = _read_body(document, budget)
        blocks = list(_decide_headings(paragraphs))
    except DocumentProblem:
        raise
    except Exception as error:  # python-docx and lxml fail in many ways on a damaged file
        raise DocumentProblem(
            f"The Word document could not be read; it looks damaged ({_reason(error)})."
        ) from None
    titled = (p.text for p in paragraphs if isinstance(p, _Paragraph) and p.is_title)
    title = (
        title or next(titled, None) or next((b.text for b in blocks if b.kind == "heading"), None)
    )
    return blocks, None, [], title


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:120] if text else type(error).__name__


def check_docx_container(data: bytes, limits: ReadLimits) -> None:
    """Refuse what is not a safe .docx: an encrypted or old Word file, a zip bomb, no body."""
    if data.startswith(OLE_SIGNATURE):
        raise DocumentProblem(
            "This Word file is password-protected or in the old .doc format; "
            "remove the password or save it as .docx, then try again."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise DocumentProblem(
            "The file is not a Word document (.docx): it is not a readable zip package."
        ) from None
    if len(entries) > limits.max_zip_entries:
        raise DocumentProblem(
            f"The Word document holds {len(entries):,} parts, more than the "
            f"{limits.max_zip_entries:,} allowed; it may be a zip bomb."
        )
    unzipped = sum(entry.file_size for entry in entries)
    if unzipped > limits.max_unzipped_bytes:
        raise DocumentProblem(
            f"The Word document would unpack to {unzipped / 2**20:,.0f} MB, more than the "
            f"{limits.max_unzipped_bytes / 2**20:,.0f} MB allowed; it may be a zip bomb."
        )
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise DocumentProblem("The file is a zip package but not a Word document (.docx).")


def _read_body(document: object, budget: ReadingBudget) -> list[_Paragraph | Block]:
    """The body's paragraphs (headings not yet decided) and table rows, in reading order."""
    items: list[_Paragraph | Block] = []
    numbering = _Numbering(document)
    for part in document.iter_inner_content():  # type: ignore[attr-defined]
        budget.check_time()
        if isinstance(part, Paragraph):
            found = _read_paragraph(part, numbering)
            if found is not None:
                budget.add_text(found.text)
                items.append(found)
        elif isinstance(part, Table):
            for row in _table_rows(part, budget):
                budget.add_text(row.text)
                items.append(row)
    return items


def _read_paragraph(paragraph: Paragraph, numbering: _Numbering) -> _Paragraph | None:
    text = clean_text(paragraph.text)
    if not text:
        return None
    depth, marker = numbering.list_position(paragraph)
    return _Paragraph(
        text=text,
        heading_level=_heading_level(paragraph),
        list_depth=depth,
        list_marker=marker,
        bold=_is_bold(paragraph),
        size=_font_size(paragraph),
        typed=_typed_marker(paragraph.text),
        is_title=_is_title(paragraph),
    )


def _typed_marker(raw: str) -> tuple[str, str] | None:
    """A marker typed at the start, kept as written so that its depth can be told."""
    found = split_marker(raw)
    if found is None or not clean_text(found[1]):
        return None
    return found[0], clean_text(found[1])


def _style_chain(paragraph: Paragraph) -> Iterator[object]:
    """The paragraph's style, then the styles it is based on (a loop in a damaged file ends)."""
    style = paragraph.style
    seen: set[int] = set()
    while style is not None and id(style) not in seen and len(seen) < 20:
        seen.add(id(style))
        yield style
        style = style.base_style


def _is_title(paragraph: Paragraph) -> bool:
    style = paragraph.style
    return style is not None and (style.name or "").strip().lower() == "title"


def _heading_level(paragraph: Paragraph) -> int | None:
    """The heading level its style or outline level gives, or None for a body paragraph."""
    for style in _style_chain(paragraph):
        name = (style.name or "").strip()  # type: ignore[attr-defined]
        if found := HEADING_STYLE.match(name):
            return int(found.group(1))
    for element in (paragraph._p, *(s.element for s in _style_chain(paragraph))):  # type: ignore[attr-defined]
        level = _outline_level(element)
        if level is not None:
            return level
    return None


def _outline_level(element: object) -> int | None:
    found = element.find(f"{_W}pPr/{_W}outlineLvl")  # type: ignore[attr-defined]
    if found is None:
        return None
    value = found.get(f"{_W}val", "")
    # Outline level 9 is Word's "body text"; 0 to 8 are heading levels 1 to 9.
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


def _is_bold(paragraph: Paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    style_bold = next(
        (s.font.bold for s in _style_chain(paragraph) if s.font.bold is not None),  # type: ignore[attr-defined]
        False,
    )
    return all(run.bold if run.bold is not None else style_bold for run in runs)


def _font_size(paragraph: Paragraph) -> float | None:
    sizes = [run.font.size.pt for run in paragraph.runs if run.text.strip() and run.font.size]
    if sizes:
        return max(sizes)
    for style in _style_chain(paragraph):
        if style.font.size is not None:  # type: ignore[attr-defined]
            return float(style.font.size.pt)  # type: ignore[attr-defined]
    return None


def _table_rows(table: Table, budget: ReadingBudget) -> Iterator[Block]:
    """One block a row, its cells' text joined by " | " (a merged cell counted once)."""
    for row in table.rows:
        budget.check_time()
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(clean_text(cell.text))
        if any(cells):
            yield Block(kind="table_row", text=" | ".join(cells))


def _decide_headings(items: list[_Paragraph | Block]) -> Iterator[Block]:
    """Blocks from paragraphs: styled headings, or else ones that look like headings."""
    paragraphs = [item for item in items if isinstance(item, _Paragraph)]
    styled = any(p.heading_level is not None for p in paragraphs)
    looks = {} if styled else _typed_heading_levels(paragraphs)
    for item in items:
        if isinstance(item, Block):
            yield item
            continue
        if item.is_title:  # the title is the document's, given back separately
            continue
        level = item.heading_level if styled else looks.get(id(item))
        yield _to_block(item, level)


def _to_block(paragraph: _Paragraph, heading_level: int | None) -> Block:
    if heading_level is not None:
        return Block(kind="heading", text=paragraph.text, level=heading_level)
    typed = paragraph.typed
    if paragraph.list_depth is not None:
        marker, text = paragraph.list_marker, paragraph.text
        if marker is None and typed is not None:  # a list style with the bullet typed in
            marker, text = clean_text(typed[0]), typed[1]
        return Block(kind="list_item", text=text, level=paragraph.list_depth, marker=marker)
    if typed is not None and is_paragraph_number(typed[0]):
        return Block(kind="paragraph", text=typed[1], marker=typed[0])
    if typed is not None:
        marker, rest = typed
        return Block(
            kind="list_item", text=rest, level=marker_depth(marker), marker=clean_text(marker)
        )
    return Block(kind="paragraph", text=paragraph.text)


def _typed_heading_levels(paragraphs: list[_Paragraph]) -> dict[int, int]:
    """Heading levels for short paragraphs set larger than the body text or in bold."""
    sizes = Counter(p.size for p in paragraphs if p.size is not None)
    body = sizes.most_common(1)[0][0] if sizes else None
    larger = sorted({s for s in sizes if body is not None and s > body}, reverse=True)
    levels: dict[int, int] = {}
    for paragraph in paragraphs:
        if not _short_line(paragraph) or paragraph.list_depth is not None:
            continue
        if paragraph.size is not None and paragraph.size in larger:
            levels[id(paragraph)] = larger.index(paragraph.size) + 1
        elif paragraph.bold:
            levels[id(paragraph)] = len(larger) + 1
    return levels


def _short_line(paragraph: _Paragraph) -> bool:
    text = paragraph.text
    return len(text.split()) <= MAX_HEADING_WORDS and not text.endswith((".", ";", ","))


class _Numbering:
    """Word's list numbering: the depth of each numbered paragraph and the marker it shows."""

    def __init__(self, document: object) -> None:
        self._formats = _numbering_formats(document)
        self._counters: dict[str, list[int]] = {}

    def list_position(self, paragraph: Paragraph) -> tuple[int | None, str | None]:
        """(depth, marker) for a paragraph in a Word list, or (None, None)."""
        found = _num_properties(paragraph)
        if found is None:
            return _list_style_depth(paragraph), None
        num_id, level = found
        # "List Number 2" and the like say their depth in their name while their numbering
        # starts at level 0 of a list of its own.
        depth = max(level + 1, _list_style_depth(paragraph) or 1)
        return depth, self._marker(num_id, level)

    def _marker(self, num_id: str, level: int) -> str:
        counters = self._counters.setdefault(num_id, [0] * 9)
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        kind, pattern = self._formats.get((num_id, level), ("decimal", f"%{level + 1}."))
        if kind == "bullet":
            return "•"
        marker = pattern
        for depth in range(level + 1):
            shown = _number_as(max(counters[depth], 1), self._formats.get((num_id, depth)))
            marker = marker.replace(f"%{depth + 1}", shown)
        return clean_text(marker) or "•"


def _num_properties(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph's own numbering or its style's; None if not a list."""
    for element in (paragraph._p, *(s.element for s in _style_chain(paragraph))):  # type: ignore[attr-defined]
        num_pr = element.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            continue
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        value = num_id.get(f"{_W}val", "0") if num_id is not None else "0"
        if value == "0":  # numId 0 switches numbering off for this paragraph
            return None
        depth = ilvl.get(f"{_W}val", "0") if ilvl is not None else "0"
        return value, min(int(depth), 8) if depth.isdigit() else 0
    return None


def _list_style_depth(paragraph: Paragraph) -> int | None:
    for style in _style_chain(paragraph):
        if found := LIST_STYLE.match((style.name or "").strip()):  # type: ignore[attr-defined]
            return int(found.group(1) or 1)
    return None


def _numbering_formats(document: object) -> dict[tuple[str, int], tuple[str, str]]:
    """(numId, level) -> (numFmt, lvlText) from the numbering part, where there is one."""
    try:
        root = document.part.numbering_part.element  # type: ignore[attr-defined]
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, tuple[str, str]]] = {}
    for definition in root.iterfind(f"{_W}abstractNum"):
        levels: dict[int, tuple[str, str]] = {}
        for lvl in definition.iterfind(f"{_W}lvl"):
            ilvl = lvl.get(f"{_W}ilvl", "")
            fmt = lvl.find(f"{_W}numFmt")
            text = lvl.find(f"{_W}lvlText")
            if ilvl.isdigit():
                levels[int(ilvl)] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                )
        abstract[definition.get(f"{_W}abstractNumId", "")] = levels
    formats: dict[tuple[str, int], tuple[str, str]] = {}
    for num in root.iterfind(f"{_W}num"):
        link = num.find(f"{_W}abstractNumId")
        levels = abstract.get(link.get(f"{_W}val", "") if link is not None else "", {})
        for level, value in levels.items():
            formats[(num.get(f"{_W}numId", ""), level)] = value
    return formats


def _number_as(count: int, fmt: tuple[str, str] | None) -> str:
    """``count`` written in the list level's number format."""
    kind = fmt[0] if fmt else "decimal"
    if kind in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (count - 1) % 26)
        return letter.upper() if kind == "upperLetter" else letter
    if kind in ("lowerRoman", "upperRoman"):
        roman = _roman(count)
        return roman.upper() if kind == "upperRoman" else roman
    return str(count)


def _roman(count: int) -> str:
    if count >= 40:  # lists that long are numbered in digits in practice
        return str(count)
    numerals = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    written = ""
    for value, numeral in numerals:
        while count >= value:
            written += numeral
            count -= value
    return written
