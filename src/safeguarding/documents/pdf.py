"""Reading a PDF report into blocks: headings, paragraphs, list items and table rows, with pages.

Most partnership reports are Word documents exported to PDF: no bookmarks, no tags, headings
told apart only by their size or weight, bullets drawn from the Symbol font, running headers and
page numbers on every page, now and then two columns or a scanned page. So the reader works
from the words and where they sit:

- pypdfium2 (PDFium, in C) opens the file, counts pages, finds the words with their font and
  position, and looks at each page's drawing objects; it is fast enough for a 100-page report
  in a fraction of a second. pdfplumber (pdfminer.six) is about thirty times slower, so it is
  used only on pages that have ruling lines, to find tables with ``find_tables``.
- Lines that repeat in the top or bottom margin on most pages, and lines that are only a page
  number, are running headers and footers and are dropped.
- A page whose lines leave a vertical gutter free is read left column first, then right.
- The body size is the most common font size (counted by characters); short lines set larger,
  or in bold, that do not end in a full stop are headings, ranked by size into levels, even
  when they start with a number ("10. Our work on neglect"), which stays in the heading.
- Lines are joined into paragraphs while they are close and alike; a line starting with a
  bullet or number starts a list item, and the lines under it stay in it.
- A page with no text but a picture is reported as scanned; nothing is made up for it.
"""

from __future__ import annotations

import ctypes
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pypdfium2
import pypdfium2.raw as pdfium_c

from safeguarding.documents.limits import ReadingBudget, ReadLimits, check_size
from safeguarding.documents.model import Block, DocumentProblem, PageNote
from safeguarding.documents.text_rules import (
    SPACED_BULLETS,
    SYMBOL_BULLETS,
    clean_text,
    is_page_number,
    split_marker,
)

# A report page has a few thousand drawing objects at most; far more is a hostile or broken
# page that PDFium would take long to lay out, so it is skipped with a note.
MAX_PAGE_OBJECTS = 100_000
# A page of tables has a few hundred ruling lines; thousands are a drawing, not a table.
MAX_TABLE_EDGES = 4_000
MARGIN_BAND = 0.1  # the share of the page height at top and bottom where running text sits
PAGE_NUMBER_BAND = 0.15
MAX_HEADING_WORDS = 25
MAX_HEADING_CHARS = 200
SCANNED_NOTE = "Page {page} has no text layer (a scanned image?); nothing was read from it."
DAMAGED_PAGE_NOTE = "Page {page} is damaged and could not be read; nothing was read from it."
_UNTITLED = re.compile(
    r"^(untitled|document\d*|microsoft word\b.*|.*\.(docx?|pdf|rtf|odt))$", re.IGNORECASE
)
# A numbered line set this much larger than the body is a heading, not a list item.
HEADING_NUMBER_SIZE = 1.5
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", ";")
_HYPHEN_MARKS = ("\x02", "\ufffe")  # what PDFium gives for a hyphen that ended a line


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    baseline: float  # from the top of the page
    size: float  # in points, as printed
    bold: bool


@dataclass
class _Line:
    """A run of words on one baseline (within one column once columns are known)."""

    words: list[_Word]
    page: int
    right_edge: float = 0.0  # the right edge of the column the line sits in

    @cached_property
    def x0(self) -> float:
        return self.words[0].x0

    @cached_property
    def x1(self) -> float:
        return max(word.x1 for word in self.words)

    @cached_property
    def baseline(self) -> float:
        return self.words[0].baseline

    @cached_property
    def size(self) -> float:
        """The size most of the line's characters are set in."""
        sizes: Counter[float] = Counter()
        for word in self.words:
            sizes[word.size] += len(word.text)
        return sizes.most_common(1)[0][0]

    @cached_property
    def bold(self) -> bool:
        bold = sum(len(w.text) for w in self.words if w.bold)
        return bold * 2 > sum(len(w.text) for w in self.words)

    @cached_property
    def top(self) -> float:
        return self.baseline - 0.8 * self.size

    @cached_property
    def bottom(self) -> float:
        return self.baseline + 0.25 * self.size

    @cached_property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass
class _Table:
    rows: list[str]
    page: int
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)


def read_pdf(
    data: bytes, *, limits: ReadLimits
) -> tuple[list[Block], int, list[PageNote], str | None]:
    """The blocks of a PDF in reading order, its page count, notes about pages, and its title."""
    check_size(len(data), limits)
    if b"%PDF-" not in data[:1024]:
        raise DocumentProblem("The file is not a PDF (it does not start as one).")
    budget = ReadingBudget(limits)
    document = _open(data)
    try:
        page_count = len(document)
        if page_count == 0:
            raise DocumentProblem("The PDF has no pages.")
        if page_count > limits.max_pages:
            raise DocumentProblem(
                f"The PDF has {page_count:,} pages, more than the {limits.max_pages:,} "
                "allowed for one report."
            )
        metadata_title = _metadata_title(document)
        notes: list[PageNote] = []
        pages = [_read_page(document, index, notes, budget) for index in range(page_count)]
    finally:
        document.close()
    _drop_running_lines(pages)
    blocks = list(_blocks(pages))
    title = metadata_title or _first_page_title(blocks)
    return blocks, page_count, notes, title


def _open(data: bytes) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentProblem(
                "The PDF is protected by a password; save a copy without the password and "
                "try again."
            ) from None
        # PDFium refuses a page tree with no pages as a format error; say what is wrong
        if re.search(rb"/Count\s+0\b", data) and not re.search(rb"/Type\s*/Page(?!s)", data):
            raise DocumentProblem("The PDF has no pages.") from None
        raise DocumentProblem("The PDF could not be opened; it looks damaged.") from None


def _metadata_title(document: pypdfium2.PdfDocument) -> str | None:
    """The Title the PDF declares, unless it is empty or a placeholder such as a file name."""
    try:
        title = clean_text(document.get_metadata_dict().get("Title", ""))
    except pypdfium2.PdfiumError:
        return None
    if len(title) < 4 or _UNTITLED.match(title):
        return None
    return title


# ---------------------------------------------------------------------------------------------
# One page: its words, lines and tables


def _read_page(
    document: pypdfium2.PdfDocument,
    index: int,
    notes: list[PageNote],
    budget: ReadingBudget,
) -> _Page:
    budget.check_time()
    number = index + 1
    try:
        page = document[index]
    except pypdfium2.PdfiumError:
        # a damaged page object: say so and read the rest, rather than refuse the whole report
        notes.append(PageNote(number, DAMAGED_PAGE_NOTE.format(page=number)))
        return _Page(number, 0.0, 0.0)
    try:
        found = _Page(number, page.get_width(), page.get_height())
        objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        if objects > MAX_PAGE_OBJECTS:
            notes.append(
                PageNote(
                    number,
                    f"Page {number} has {objects:,} drawing objects, far more than a report "
                    "page; it was skipped.",
                )
            )
            return found
        pictures, rules = _drawing_objects(page, objects)
        words = _words(page, found.height)
        if not words:
            if pictures:
                notes.append(PageNote(number, SCANNED_NOTE.format(page=number)))
            return found
        for word in words:
            budget.add_text(word.text)
        if rules >= 3:
            found.tables = _tables(page, objects, found.height, words)
            for table in found.tables:
                table.page = number
            words = [w for w in words if not _inside_table(w, found.tables)]
        found.lines = _segments(words, number)
        return found
    finally:
        page.close()


def _drawing_objects(page: pypdfium2.PdfPage, count: int) -> tuple[int, int]:
    """How many pictures (images or forms) and how many thin ruling lines the page draws."""
    pictures = rules = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    for i in range(count):
        handle = get_object(page.raw, i)
        kind = get_type(handle)
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            pictures += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and rules < 3:
            pdfium_c.FPDFPageObj_GetBounds(
                handle, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                ctypes.byref(top),
            )  # fmt: skip
            width, height = right.value - left.value, top.value - bottom.value
            # a table border: long and thin (or a cell box, which pdfplumber reads as edges)
            if (min(width, height) < 3 and max(width, height) > 20) or (width > 20 and height > 8):
                rules += 1
    return pictures, rules


def _words(page: pypdfium2.PdfPage, height: float) -> list[_Word]:
    """The page's words with position, printed size and weight, in PDFium's text order."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        if count <= 0:
            return []
        text = _page_text(raw, count)
        if text.isspace():
            return []
        box, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        name = ctypes.create_string_buffer(96)
        flags = ctypes.c_int()
        box_ref, matrix_ref, x_ref, y_ref = (ctypes.byref(v) for v in (box, matrix, x, y))
        flags_ref = ctypes.byref(flags)
        loose_box, origin = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
        get_matrix, font_size = pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetFontSize
        font_info = pdfium_c.FPDFText_GetFontInfo
        fonts: dict[bytes, bool] = {}
        words: list[_Word] = []
        for found in re.finditer(r"[^\s\x00-\x1f\ufffe\uffff]+", text):
            first, last = found.start(), found.end() - 1
            loose_box(raw, first, box_ref)
            x0 = box.left
            loose_box(raw, last, box_ref)
            x1 = box.right
            origin(raw, first, x_ref, y_ref)
            get_matrix(raw, first, matrix_ref)
            # the font size is in text space; the matrix scales it to what is printed
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
            size = round(font_size(raw, first) * scale * 2) / 2
            font_info(raw, first, name, 96, flags_ref)
            font = name.value
            bold = fonts.get(font)
            if bold is None:
                bold = bool(_BOLD_FONT.search(font.decode("latin-1"))) or bool(
                    flags.value & (1 << 18)  # ForceBold
                )
                fonts[font] = bold
            word = found.group()
            if text[found.end() : found.end() + 1] in _HYPHEN_MARKS:
                word += "-"  # the lines are joined, and the word mended, later
            words.append(_Word(word, x0, x1, height - y.value, size, bold))
        return words
    finally:
        textpage.close()


def _page_text(raw: object, count: int) -> str:
    """The page's characters, one for each of PDFium's character indexes."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[: max(0, written - 1) * 2].decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    # PDFium left characters out or the text has surrogate pairs: ask one index at a time
    get_unicode = pdfium_c.FPDFText_GetUnicode
    return "".join([chr(get_unicode(raw, i)) for i in range(count)])


def _tables(page: pypdfium2.PdfPage, count: int, height: float, words: list[_Word]) -> list[_Table]:
    """Tables drawn with ruling lines, found by pdfplumber's table finder.

    pdfplumber's own ``find_tables`` would parse the page again with pdfminer, which takes a
    third of a second a page; the ruling lines PDFium already has are given to the same steps
    (merge the edges, find where they cross, make cells, group cells into tables) instead.
    """
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    edges = _ruling_edges(page, count, height)
    if len(edges) < 4:
        return []
    edges = merge_edges(edges, 3, 3, 3, 3)
    edges = [e for e in edges if e["width" if e["orientation"] == "h" else "height"] >= 3]
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    tables: list[_Table] = []
    for table_cells in cells_to_tables(cells):
        rows: dict[float, list[tuple[float, float, float, float]]] = {}
        for cell in table_cells:
            rows.setdefault(round(cell[1], 1), []).append(cell)
        texts: list[str] = []
        for top in sorted(rows):
            cells_text = []
            for x0, cell_top, x1, bottom in sorted(rows[top]):
                inside = sorted(
                    (
                        w
                        for w in words
                        if x0 <= (w.x0 + w.x1) / 2 <= x1 and cell_top <= w.baseline <= bottom
                    ),
                    key=lambda w: (round(w.baseline), w.x0),
                )
                cells_text.append(clean_text(" ".join(w.text for w in inside)))
            if any(cells_text):
                texts.append(" | ".join(cells_text))
        if texts:
            x0 = min(c[0] for c in table_cells)
            x1 = max(c[2] for c in table_cells)
            top = min(c[1] for c in table_cells)
            bottom = max(c[3] for c in table_cells)
            tables.append(_Table(texts, 0, x0, x1, top, bottom))
    return tables


def _ruling_edges(page: pypdfium2.PdfPage, count: int, height: float) -> list[dict[str, object]]:
    """The horizontal and vertical lines the page draws, as pdfplumber's edge records."""
    edges: list[dict[str, object]] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(count):
        handle = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(handle) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetBounds(
            handle, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
            ctypes.byref(top),
        )  # fmt: skip
        x0, x1 = left.value, right.value
        y0, y1 = height - top.value, height - bottom.value
        if x1 - x0 < 3 and y1 - y0 < 3:
            continue
        if y1 - y0 < 3:  # a horizontal rule
            edges.append(_edge("h", x0, x1, (y0 + y1) / 2, (y0 + y1) / 2))
        elif x1 - x0 < 3:  # a vertical rule
            edges.append(_edge("v", (x0 + x1) / 2, (x0 + x1) / 2, y0, y1))
        else:  # a box: its four sides, as pdfplumber takes a rectangle's
            edges += [
                _edge("h", x0, x1, y0, y0),
                _edge("h", x0, x1, y1, y1),
                _edge("v", x0, x0, y0, y1),
                _edge("v", x1, x1, y0, y1),
            ]
        if len(edges) > MAX_TABLE_EDGES:
            return []
    return edges


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, object]:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }


def _inside_table(word: _Word, tables: list[_Table]) -> bool:
    middle = (word.x0 + word.x1) / 2
    return any(
        t.x0 - 1 <= middle <= t.x1 + 1 and t.top - 1 <= word.baseline <= t.bottom + 1
        for t in tables
    )


def _segments(words: list[_Word], page: int) -> list[_Line]:
    """Words grouped into lines by baseline, each split where a wide gap (a gutter) falls."""
    words = sorted(words, key=lambda w: (w.baseline, w.x0))
    rows: list[list[_Word]] = []
    for word in words:
        if rows and abs(word.baseline - rows[-1][0].baseline) <= 0.3 * word.size:
            rows[-1].append(word)
        else:
            rows.append([word])
    segments: list[_Line] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        current = [row[0]]
        for word in row[1:]:
            gap = word.x0 - current[-1].x1
            lone_marker = len(current) == 1 and split_marker(current[0].text + " x") is not None
            if gap > 1.5 * word.size and not lone_marker:
                segments.append(_Line(current, page))
                current = [word]
            else:
                current.append(word)
        segments.append(_Line(current, page))
    return segments


# ---------------------------------------------------------------------------------------------
# Across pages: running headers and footers


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop lines that repeat in the margins on most pages, and page numbers near them."""
    with_text = [page for page in pages if page.lines]
    seen: Counter[str] = Counter()
    for page in with_text:
        keys = {_running_key(line.text) for line in page.lines if _in_band(line, page, MARGIN_BAND)}
        seen.update(keys)
    needed = max(2, math.ceil(0.5 * len(with_text)))
    running = {key for key, n in seen.items() if n >= needed}
    for page in with_text:
        page.lines = [
            line
            for line in page.lines
            if not (
                (_in_band(line, page, MARGIN_BAND) and _running_key(line.text) in running)
                or (_in_band(line, page, PAGE_NUMBER_BAND) and is_page_number(line.text))
            )
        ]


def _in_band(line: _Line, page: _Page, share: float) -> bool:
    return line.bottom <= page.height * share or line.top >= page.height * (1 - share)


# ---------------------------------------------------------------------------------------------
# Reading order on a page: one column, or two with a gutter


_Item = _Line | _Table


def _reading_order(page: _Page) -> list[_Item]:
    """The page's lines and tables in reading order, a two-column part left column first."""
    items: list[_Item] = [*page.lines, *page.tables]
    gutter = _gutter(items, page.width)
    if gutter is None:
        ordered = sorted(items, key=lambda item: item.top)
        return _merge_rows(ordered, _right_edge(page.lines))
    # A line ending short of the right column's start is the left column's, even where it
    # runs into the gutter past the lines beside the right column (as ragged lines do).
    left_end = gutter[1] - 4
    right_start = gutter[1]
    result: list[_Item] = []
    left: list[_Item] = []
    right: list[_Item] = []
    left_edge = _right_edge([ln for ln in page.lines if ln.x1 <= left_end])
    right_edge = _right_edge([ln for ln in page.lines if ln.x0 >= right_start])
    full_edge = _right_edge(page.lines)

    def flush() -> None:
        if right:
            band_bottom = max(item.bottom for item in right) + 2
            above = [item for item in left if item.top <= band_bottom]
            below = [item for item in left if item.top > band_bottom]
            # the left column's last paragraph may run on below the right column's end
            run_on = _run_on(above, below)
            above, below = above + below[:run_on], below[run_on:]
            result.extend(_merge_rows(above, left_edge))
            result.extend(_merge_rows(right, right_edge))
            result.extend(_merge_rows(below, full_edge))
        else:
            result.extend(_merge_rows(left, full_edge))
        left.clear()
        right.clear()

    for item in sorted(items, key=lambda item: item.top):
        if item.x1 <= left_end:
            left.append(item)
        elif item.x0 >= right_start:
            right.append(item)
        else:  # spanning the gutter: the columns above it end here
            flush()
            result.extend(_merge_rows([item], full_edge))
    flush()
    return result


def _run_on(column: list[_Item], below: list[_Item]) -> int:
    """How many of the lines below the columns' shared bottom carry on the column's last
    paragraph: each starts at the column's left edge (or a list item's hanging indent), is set
    like the line before and follows it at the paragraph's own line spacing."""
    lines = [item for item in column if isinstance(item, _Line)]
    if not lines or not below:
        return 0
    start = min(line.x0 for line in lines)
    edge = _right_edge(lines)
    previous = max(lines, key=lambda line: line.baseline)
    count = 0
    for item in sorted(below, key=lambda item: item.top):
        if not isinstance(item, _Line) or not _runs_on(previous, item, start, edge):
            break
        previous = item
        count += 1
    return count


def _runs_on(previous: _Line, line: _Line, start: float, edge: float) -> bool:
    """Whether ``line``, the next in a column, carries on ``previous``'s paragraph."""
    if not start - 2 <= line.x0 <= start + 3 * line.size or split_marker(line.text):
        return False
    if abs(line.size - previous.size) >= 0.6 or line.bold != previous.bold:
        return False
    if not 0 < line.baseline - previous.baseline <= 1.5 * max(line.size, previous.size):
        return False
    # a short line ending a sentence ends its paragraph, as in ``_continues``
    short = previous.x1 < edge - 3 * previous.size
    return not (short and previous.text.rstrip().endswith((".", "!", "?")))


def _right_edge(lines: list[_Line]) -> float:
    return max((line.x1 for line in lines), default=0.0)


def _gutter(items: list[_Item], width: float) -> tuple[float, float] | None:
    """Where a vertical gutter splits the page into two columns, or None."""
    lines = [item for item in items if isinstance(item, _Line)]
    starts = Counter(
        round(line.x0 / 2) * 2 for line in lines if 0.3 * width < line.x0 < 0.7 * width
    )
    if not starts:
        return None
    start, count = starts.most_common(1)[0]
    if count < 3:
        return None
    right = [ln for ln in lines if ln.x0 >= start - 2]
    left = [ln for ln in lines if ln.x1 <= start - 6]
    if len(left) < 3 or len(right) < 3:
        return None
    # columns are wide and side by side; right-aligned figures or short labels are not columns
    if statistics.median(ln.x1 - ln.x0 for ln in right) < 0.2 * width:
        return None
    if statistics.median(ln.x1 - ln.x0 for ln in left) < 0.2 * width:
        return None
    top = max(min(ln.top for ln in left), min(ln.top for ln in right))
    bottom = min(max(ln.bottom for ln in left), max(ln.bottom for ln in right))
    if bottom - top < 3 * statistics.median(ln.size for ln in right):
        return None
    left_end = max(ln.x1 for ln in left if ln.bottom >= top and ln.top <= bottom)
    return left_end + 0.5, start - 2


def _merge_rows(items: list[_Item], right_edge: float) -> list[_Item]:
    """Segments on one baseline in the same column joined into one line, in top order."""
    merged: list[_Item] = []
    for item in sorted(items, key=lambda i: i.top):
        if isinstance(item, _Table):
            merged.append(item)
            continue
        previous = merged[-1] if merged else None
        if isinstance(previous, _Line) and abs(previous.baseline - item.baseline) <= 0.3 * (
            item.size
        ):
            words = sorted([*previous.words, *item.words], key=lambda w: w.x0)
            merged[-1] = _Line(words, previous.page, right_edge)
        else:
            item.right_edge = right_edge
            merged.append(item)
    return merged


# ---------------------------------------------------------------------------------------------
# Blocks: headings, paragraphs, list items, table rows


@dataclass
class _Open:
    """A block being built from lines."""

    kind: str
    lines: list[_Line]
    marker: str | None = None
    marker_x: float = 0.0
    depth: int = 0
    text: str = ""


def _blocks(pages: list[_Page]) -> Iterator[Block]:
    ordered: list[_Item] = []
    for page in pages:
        ordered.extend(_reading_order(page))
    lines = [item for item in ordered if isinstance(item, _Line)]
    body = _body_size(lines)
    compounds = frozenset(
        word.text.lower().rstrip(".,;:!?)")
        for line in lines
        for word in line.words
        if re.fullmatch(r"[A-Za-z]+-[A-Za-z]+[.,;:!?)]*", word.text)
    )
    heading_levels = _heading_levels(ordered, body)
    current: _Open | None = None
    depths: list[float] = []  # marker positions of the list items open above, outermost first
    index = 0
    while index < len(ordered):
        item = ordered[index]
        if isinstance(item, _Table):
            if current is not None:
                yield _finish(current, compounds)
                current = None
            depths.clear()
            yield from (Block(kind="table_row", text=row, page=item.page) for row in item.rows)
            index += 1
            continue
        group = _heading_group(ordered, index, body)
        if group:
            if current is not None:
                yield _finish(current, compounds)
                current = None
            depths.clear()
            first = group[0]
            yield Block(
                kind="heading",
                text=clean_text(" ".join(line.text for line in group)),
                page=first.page,
                level=heading_levels[_style(first)],
                font_size=first.size,
                bold=first.bold,
            )
            index += len(group)
            continue
        marker = _marker(item, current)
        if marker is not None:
            if current is not None:
                yield _finish(current, compounds)
            current = _Open("list_item", [item], marker=marker, marker_x=item.x0)
            current.depth = _depth(depths, item.x0)
        elif current is not None and _continues(current, item):
            current.lines.append(item)
        else:
            if current is not None:
                yield _finish(current, compounds)
            if current is None or current.kind != "list_item" or item.x0 < current.marker_x - 2:
                depths.clear()
            current = _Open("paragraph", [item])
        index += 1
    if current is not None:
        yield _finish(current, compounds)


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        for word in line.words:
            sizes[word.size] += len(word.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _style(line: _Line) -> tuple[float, bool]:
    return (line.size, line.bold)


def _looks_like_heading(line: _Line, body: float) -> bool:
    """Whether the line is set like a heading: larger than the body text, or bold.

    A number at the start ("10. Our work on neglect", "2.1 What we achieved") does not stop a
    line set larger than the body from being a heading: list items and numbered paragraphs are
    set in the body size. A bold numbered line needs its words bold too, not only its number.
    A bullet always makes a list item, whatever its size.
    """
    larger = line.size >= body + 1.0
    bold = line.bold and line.size >= body - 0.5
    if not (larger or bold):
        return False
    found = split_marker(line.text)
    if found is None:
        return True
    if found[0] in SPACED_BULLETS or found[0][0] in SYMBOL_BULLETS:
        return False
    return line.size >= body + HEADING_NUMBER_SIZE or _bold_after_number(line)


def _bold_after_number(line: _Line) -> bool:
    """Whether the words after a line's number are bold (the number alone may be)."""
    words = line.words[1:] if split_marker(line.words[0].text + " x") is not None else line.words
    return bool(words) and all(word.bold for word in words)


def _heading_group(items: list[_Item], index: int, body: float) -> list[_Line]:
    """The lines of the heading that starts at ``index`` (one or more), or none."""
    first = items[index]
    if not isinstance(first, _Line) or not _looks_like_heading(first, body):
        return []
    if _in_bold_numbered_list(items, index, body):
        return []
    group = [first]
    for item in items[index + 1 :]:
        previous = group[-1]
        if (
            not isinstance(item, _Line)
            or _style(item) != _style(first)
            or item.page != first.page
            or not 0 < item.baseline - previous.baseline <= 1.6 * first.size
            or split_marker(item.text) is not None  # the next numbered heading, not a wrap
        ):
            break
        group.append(item)
    text = " ".join(line.text for line in group)
    if (
        text.rstrip().endswith(".")
        or len(text.split()) > MAX_HEADING_WORDS
        or len(text) > MAX_HEADING_CHARS
    ):
        return []
    return group


def _in_bold_numbered_list(items: list[_Item], index: int, body: float) -> bool:
    """Whether a numbered line in the body size, bold, sits in a run of lines like it: a list
    whose items are all bold ("1. Neglect", "2. Exploitation"), not a heading."""
    line = items[index]
    if (
        not isinstance(line, _Line)
        or line.size >= body + HEADING_NUMBER_SIZE
        or split_marker(line.text) is None
    ):
        return False
    for neighbour in (index - 1, index + 1):
        if 0 <= neighbour < len(items):
            other = items[neighbour]
            if (
                isinstance(other, _Line)
                and _style(other) == _style(line)
                and split_marker(other.text) is not None
                and abs(other.baseline - line.baseline) <= 2 * line.size
            ):
                return True
    return False


def _heading_levels(items: list[_Item], body: float) -> dict[tuple[float, bool], int]:
    """Levels 1..n for the looks headings have: larger first, bold before plain at one size."""
    styles = {
        _style(item)
        for item in items
        if isinstance(item, _Line) and _looks_like_heading(item, body)
    }
    ranked = sorted(styles, key=lambda style: (-style[0], not style[1]))
    return {style: level for level, style in enumerate(ranked, start=1)}


def _marker(line: _Line, current: _Open | None) -> str | None:
    """The list marker or paragraph number that starts a new item on this line, if any."""
    found = split_marker(line.text)
    if found is None:
        return None
    marker = found[0]
    if marker[0] in SYMBOL_BULLETS:
        return marker
    if current is None:
        return marker
    previous = current.lines[-1]
    # a number at the start of a wrapped line inside a sentence is not a new item
    gap = line.baseline - previous.baseline
    if previous.text.rstrip().endswith(_SENTENCE_END) or gap > 1.5 * previous.size:
        return marker
    # short items with no full stop ("1. Neglect", "2. Exploitation"): the next number in
    # the list, under the open item's own number, starts the next item
    if (
        current.kind == "list_item"
        and abs(line.x0 - current.marker_x) <= 2
        and _follows(current.marker or "", marker)
    ):
        return marker
    return None


def _follows(previous: str, marker: str) -> bool:
    """Whether ``marker`` is the number after ``previous``: "1." then "2.", "2.4" then "2.5",
    "a)" then "b)"."""
    before, after = previous.strip("(.)").split("."), marker.strip("(.)").split(".")
    if len(before) != len(after) or before[:-1] != after[:-1]:
        return False
    last, this = before[-1], after[-1]
    if last.isdigit() and this.isdigit():
        return int(this) == int(last) + 1
    return len(last) == len(this) == 1 and last.isalpha() and ord(this) == ord(last) + 1


def _depth(depths: list[float], x: float) -> int:
    """The list depth of an item whose marker sits at ``x``, from the items open above it."""
    while depths and x < depths[-1] - 4:
        depths.pop()
    if not depths or x > depths[-1] + 4:
        depths.append(x)
    return len(depths)


def _continues(block: _Open, line: _Line) -> bool:
    """Whether ``line`` carries on the paragraph or list item being built."""
    previous = block.lines[-1]
    if line.page != previous.page or line.baseline < previous.baseline:
        # a paragraph carried over a page or column break: the sentence did not end, and the
        # next line goes on in lower case
        return (
            block.kind == "paragraph"
            and abs(line.size - previous.size) < 0.6
            and not previous.text.rstrip().endswith(_SENTENCE_END)
            and line.text[:1].islower()
        )
    gap = line.baseline - previous.baseline
    if not 0 < gap <= 1.5 * max(previous.size, line.size):
        return False
    if abs(line.size - previous.size) >= 0.6 or line.bold != previous.bold:
        return False
    # a list item's own lines hang under its text, or start at its number (numbered
    # paragraphs); a line further left is the paragraph after the list
    if block.kind == "list_item" and line.x0 < block.marker_x - 2:
        return False
    # a short line that ends a sentence ends its paragraph when paragraphs are not spaced out
    short = previous.right_edge and previous.x1 < previous.right_edge - 3 * previous.size
    return not (short and previous.text.rstrip().endswith((".", "!", "?")))


def _join_lines(lines: list[_Line], compounds: frozenset[str]) -> str:
    """The lines' text joined, with words broken by a hyphen at a line end made whole again.

    A hyphen is kept where the document writes the same compound unbroken elsewhere
    ("long-term"), and where the next part does not start in lower case ("COVID-19").
    """
    text = ""
    for line in lines:
        part = line.text.strip()
        broken = re.search(r"([A-Za-z]+)[-\u00ad]$", text)
        if not text:
            text = part
        elif broken and part[:1].islower():
            following = part.split(" ", 1)[0]
            compound = f"{broken.group(1)}-{following}".lower().rstrip(".,;:!?)")
            text = text[:-1] + ("-" if compound in compounds else "") + part
        elif broken:
            text += part
        else:
            text = f"{text} {part}"
    return text


def _finish(block: _Open, compounds: frozenset[str]) -> Block:
    text = _join_lines(block.lines, compounds)
    first = block.lines[0]
    if block.kind == "list_item":
        found = split_marker(text)
        rest = found[1] if found else text
        return Block(
            kind="list_item",
            text=clean_text(rest),
            page=first.page,
            level=block.depth or 1,
            font_size=first.size,
            bold=first.bold,
            marker=clean_text(block.marker or "") or block.marker,
        )
    return Block(
        kind="paragraph",
        text=clean_text(text),
        page=first.page,
        font_size=first.size,
        bold=first.bold,
    )


def _first_page_title(blocks: list[Block]) -> str | None:
    """The largest text on the first page that has any."""
    if not blocks:
        return None
    first_page = blocks[0].page
    candidates = [b for b in blocks if b.page == first_page and b.font_size]
    if not candidates:
        return None
    return max(candidates, key=lambda b: b.font_size or 0).text
