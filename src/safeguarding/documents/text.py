"""Reading plain text into blocks, guessing headings from how lines stand and look.

Plain text has no styles, so a heading is a short line standing alone (a blank line before and
after) with body text after it: "2. Our priorities", "OUR PRIORITIES", "Our priorities". Lines
starting with a bullet or number are list items, and the lines after one (until a blank line)
continue it. Form feeds, as text exported from a PDF has them, start new pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safeguarding.documents.limits import ReadingBudget, ReadLimits
from safeguarding.documents.model import Block, PageNote
from safeguarding.documents.text_rules import (
    SYMBOL_BULLETS,
    clean_text,
    decode_bytes,
    is_paragraph_number,
    marker_depth,
    split_marker,
)

MAX_HEADING_WORDS = 10
MAX_HEADING_CHARS = 90
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_NUMBERED_HEADING = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def read_text(
    data: bytes, *, limits: ReadLimits
) -> tuple[list[Block], int | None, list[PageNote], str | None]:
    """The blocks of a text file, its page count (when form feeds mark pages), no notes, title."""
    budget = ReadingBudget(limits)
    text = decode_bytes(data).replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    paged = len(pages) > 1
    chunks = [(number if paged else None, chunk) for number, chunk in enumerate(pages, start=1)]
    paragraphs = [(page, lines) for page, chunk in chunks for lines in _paragraphs(chunk)]
    blocks: list[Block] = []
    # Capitals mark a level above sentence-case headings only when used for more than a title.
    caps = sum(_is_caps(lines[0]) for _, lines in paragraphs if len(lines) == 1) > 1
    for index, (page, lines) in enumerate(paragraphs):
        budget.check_time()
        followed = index + 1 < len(paragraphs)
        for block in _paragraph_blocks(lines, page, followed=followed, caps=caps):
            budget.add_text(block.text)
            blocks.append(block)
    title = next((b.text for b in blocks if b.kind == "heading"), None)
    return blocks, len(pages) if paged else None, [], title


def _paragraphs(text: str) -> Iterator[list[str]]:
    """The runs of non-blank lines, as written (indents kept for list depth)."""
    for chunk in _BLANK_LINES.split(text):
        lines = [line.rstrip().expandtabs(4) for line in chunk.split("\n") if line.strip()]
        if lines:
            yield lines


def _paragraph_blocks(
    lines: list[str], page: int | None, *, followed: bool, caps: bool
) -> Iterator[Block]:
    """A heading, or paragraphs and list items (with the lines that continue them)."""
    if len(lines) == 1 and followed and (level := _heading_level(lines[0], caps)) is not None:
        yield Block(kind="heading", text=clean_text(lines[0]), page=page, level=level)
        return
    text: list[str] = []
    item: tuple[str, int] | None = None  # (marker, depth) of the open list item
    indents: list[int] = []
    for line in lines:
        found = split_marker(line)
        if found is None:
            text.append(line)
            continue
        yield from _finish(text, item, page)
        marker, rest = found
        depth = max(_indent_depth(indents, len(line) - len(line.lstrip())), marker_depth(marker))
        item, text = (clean_text(marker), depth), [rest]
    yield from _finish(text, item, page)


def _finish(text: list[str], item: tuple[str, int] | None, page: int | None) -> Iterator[Block]:
    words = clean_text(" ".join(text))
    text.clear()
    if not words:
        return
    if item is None:
        yield Block(kind="paragraph", text=words, page=page)
    elif is_paragraph_number(item[0]):  # "2.4 The board met ...": a numbered paragraph
        yield Block(kind="paragraph", text=words, page=page, marker=item[0])
    else:
        yield Block(kind="list_item", text=words, page=page, level=item[1], marker=item[0])


def _indent_depth(indents: list[int], indent: int) -> int:
    while indents and indent < indents[-1]:
        indents.pop()
    if not indents or indent > indents[-1]:
        indents.append(indent)
    return len(indents)


def _heading_level(line: str, caps: bool) -> int | None:
    """The level of a line standing alone that reads as a heading, or None."""
    text = clean_text(line)
    if not text or text[0] in SYMBOL_BULLETS or not _short(text):
        return None
    numbered = split_marker(text)
    if numbered is not None and _NUMBERED_HEADING.match(numbered[0]):
        rest = numbered[1]
        if rest[:1].isupper() and _short(rest):
            return min(len(numbered[0].strip(".").split(".")), 6)
        return None
    if numbered is not None:  # a bullet, or "a)": a one-line list, not a heading
        return None
    if _is_caps(text):
        return 1
    if text[0].isupper():
        return 2 if caps else 1
    return None


def _short(text: str) -> bool:
    return (
        len(text) <= MAX_HEADING_CHARS
        and len(text.split()) <= MAX_HEADING_WORDS
        and not text.endswith((".", ",", ";", ":"))
    )


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)
