"""Reading Markdown into blocks: ATX and setext headings, nested lists, paragraphs, pipe tables.

Only the parts of Markdown that reports use are read; code blocks are left out (they are not
statements) and inline markup (emphasis, links, images) is reduced to its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from safeguarding.documents.limits import ReadingBudget, ReadLimits
from safeguarding.documents.model import Block, PageNote
from safeguarding.documents.text_rules import clean_text, decode_bytes, split_paragraph_number

ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
QUOTE = re.compile(r"^ {0,3}> ?")

_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # an image: its alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # a link: its words
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"<[^>\n]{1,200}>"), ""),  # inline HTML tags
)


def read_markdown(
    data: bytes, *, limits: ReadLimits
) -> tuple[list[Block], int | None, list[PageNote], str | None]:
    """The blocks of a Markdown file in reading order, no page count, no notes, its title."""
    reader = _Reader(ReadingBudget(limits))
    for line in decode_bytes(data).splitlines():
        reader.line(line.expandtabs(4))
    reader.flush()
    title = next((b.text for b in reader.blocks if b.kind == "heading" and b.level == 1), None)
    return reader.blocks, None, [], title


def plain_inline(text: str) -> str:
    """Text with Markdown's inline markup taken out."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return clean_text(text.replace("\\|", "|"))


@dataclass
class _Reader:
    """Reads line by line, holding the paragraph or list item not yet finished."""

    budget: ReadingBudget
    blocks: list[Block] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the open paragraph or list item
    item: tuple[int, str] | None = None  # (depth, marker) when the open text is a list item
    indents: list[int] = field(default_factory=list)  # the indents of the open lists
    fenced: str | None = None
    blank: bool = False  # whether the line before was blank
    pending_row: str | None = None  # a line with pipes that may be a table's header
    in_table: bool = False

    def line(self, raw: str) -> None:
        self.budget.check_time()
        if self.fence(raw):
            return
        text = QUOTE.sub("", raw)
        if self.table(text):
            return
        if not text.strip():
            self.blank = True
            if self.item is None:
                self.flush()
            return
        was_blank, self.blank = self.blank, False
        self.content(text, was_blank)

    def fence(self, raw: str) -> bool:
        """Skip fenced code blocks; whether this line was part of one."""
        found = FENCE.match(raw)
        if self.fenced is not None:
            if found is not None and found.group(1) == self.fenced:
                self.fenced = None
            return True
        if found is not None:
            self.flush()
            self.fenced = found.group(1)
            return True
        return False

    def content(self, text: str, was_blank: bool) -> None:
        if (heading := ATX.match(text)) is not None:
            self.flush()
            self.indents = []
            self.add("heading", heading.group(2) or "", level=len(heading.group(1)))
        elif (underline := SETEXT.match(text)) is not None and self.lines and self.item is None:
            level = 1 if underline.group(1).startswith("=") else 2
            words, self.lines = " ".join(self.lines), []
            self.add("heading", words, level=level)
        elif RULE.match(text):
            self.flush()
            self.indents = []
        elif (found := LIST_ITEM.match(text)) is not None:
            self.flush()
            indent = len(found.group(1))
            self.item = (self.depth(indent), found.group(2))
            self.lines = [found.group(3)]
        elif self.item is not None and was_blank and not text.startswith(" "):
            self.flush()  # an unindented paragraph after a blank line ends the list
            self.indents = []
            self.lines = [text]
        else:
            self.lines.append(text)

    def depth(self, indent: int) -> int:
        """The list depth of an item indented by ``indent`` columns (1 is the top)."""
        while self.indents and indent < self.indents[-1]:
            self.indents.pop()
        if not self.indents or indent > self.indents[-1]:
            self.indents.append(indent)
        return len(self.indents)

    def table(self, text: str) -> bool:
        """Pipe tables: a header line, a line of dashes, then rows; whether this line was one."""
        if self.in_table:
            if "|" in text:
                self.add_row(text)
                return True
            self.in_table = False
        if self.pending_row is not None:
            header, self.pending_row = self.pending_row, None
            if TABLE_SEPARATOR.match(text) and "-" in text:
                self.add_row(header)
                self.in_table = True
                return True
            self.content_line(header)
        if "|" in text and not self.lines and self.item is None:
            self.flush()
            self.pending_row = text
            return True
        return False

    def content_line(self, text: str) -> None:
        was_blank, self.blank = self.blank, False
        self.content(QUOTE.sub("", text), was_blank)

    def add_row(self, text: str) -> None:
        stripped = text.strip()
        stripped = stripped.removeprefix("|").removesuffix("|")
        cells = [plain_inline(cell) for cell in re.split(r"(?<!\\)\|", stripped)]
        if any(cells):
            self.add("table_row", " | ".join(cells))

    def flush(self) -> None:
        if self.pending_row is not None:
            header, self.pending_row = self.pending_row, None
            self.content_line(header)
        if self.lines:
            words, self.lines = " ".join(self.lines), []
            if self.item is not None:
                self.add("list_item", words, level=self.item[0], marker=self.item[1])
            elif (numbered := split_paragraph_number(words)) is not None:
                self.add("paragraph", numbered[1], marker=numbered[0])
            else:
                self.add("paragraph", words)
        if self.item is None:
            self.indents = []
        self.item = None

    def add(self, kind: str, text: str, *, level: int = 0, marker: str | None = None) -> None:
        text = plain_inline(text)
        if not text:
            return
        self.budget.add_text(text)
        self.blocks.append(Block(kind=kind, text=text, level=level, marker=marker))  # type: ignore[arg-type]
