"""Splitting sections into statements: one list item, one short paragraph, or one sentence of a
long paragraph, each with the section's role, its heading and its page. Headings, table rows,
table captions, page numbers and contents lines are not statements.

A nested list item keeps the words of the item that leads into it: "Priority 1: Neglect, we
will:" with "train staff" under it gives "Priority 1: Neglect, we will: train staff", and the
lead-in is not repeated as a statement of its own. A paragraph ending ":" that introduces a list
says nothing alone and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from safeguarding.documents.model import Block, Section, Statement
from safeguarding.documents.text_rules import is_page_number

LONG_PARAGRAPH_WORDS = 60  # shorter paragraphs are one statement, split no further
MAX_CAPTION_WORDS = 15
MIN_SENTENCE_WORDS = 4  # a shorter "sentence" is joined to the one before it

_SENTENCE_END = re.compile(r"([.!?][\"'\u201d\u2019)]?)\s+(?=[A-Z0-9\"'\u201c\u2018(])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|no|dr|mr|mrs|ms|st|cf|approx|incl)\.$", re.I)
_CONTENTS_LINE = re.compile(r"(?:\.{4,}|…{2,})\s*\d{1,4}$")  # "Introduction ...... 3"
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class _Piece:
    """One block's text ready to be a statement, with what leads into it."""

    block: Block
    text: str
    carried: bool = False  # its words lead into a later list item, so it is not said alone


def split_statements(sections: list[Section], source: str) -> list[Statement]:
    """Every statement of the sections, in reading order, numbered ``<source>-1`` onwards."""
    statements: list[Statement] = []
    for root in sections:
        for section in root.walk():
            for text, block in _section_texts(section):
                statements.append(
                    Statement(
                        id=f"{source}-{len(statements) + 1}",
                        source=source,
                        section=section.role,
                        heading=section.heading,
                        text=text,
                        page=block.page,
                        list_item=block.kind == "list_item",
                    )
                )
    return statements


def _section_texts(section: Section) -> Iterator[tuple[str, Block]]:
    """The statement texts of one section's own blocks (not its children's)."""
    sayable = [b for i, b in enumerate(section.blocks) if _worth_saying(section.blocks, i)]
    for piece in _with_lead_ins(sayable):
        if piece.carried:
            continue
        if piece.block.kind == "paragraph" and _word_count(piece.text) > LONG_PARAGRAPH_WORDS:
            for sentence in split_sentences(piece.text):
                yield sentence, piece.block
        else:
            yield piece.text, piece.block


def _worth_saying(blocks: list[Block], index: int) -> bool:
    """Whether a block is a statement: not a table row, caption, page number or contents line."""
    block = blocks[index]
    text = block.text.strip()
    if block.kind in ("heading", "table_row") or not _WORD.search(text):
        return False
    if is_page_number(text) or _CONTENTS_LINE.search(text):
        return False
    return not _is_caption(blocks, index)


def _is_caption(blocks: list[Block], index: int) -> bool:
    """A short line without a full stop just above or below a table names the table."""
    block = blocks[index]
    if block.kind != "paragraph" or block.text.rstrip().endswith((".", "!", "?", ":")):
        return False
    if _word_count(block.text) > MAX_CAPTION_WORDS:
        return False
    neighbours = blocks[max(index - 1, 0) : index] + blocks[index + 1 : index + 2]
    return any(neighbour.kind == "table_row" for neighbour in neighbours)


def _with_lead_ins(blocks: list[Block]) -> list[_Piece]:
    """Each block as a piece; a list item prefixed with the items above it that end ":"."""
    pieces: list[_Piece] = []
    open_items: list[tuple[int, _Piece]] = []  # (depth, piece) of the items above this one
    for index, block in enumerate(blocks):
        piece = _Piece(block=block, text=block.text)
        if block.kind == "list_item":
            depth = max(block.level, 1)
            while open_items and open_items[-1][0] >= depth:
                open_items.pop()
            leads = [lead for _, lead in open_items if _ends_with_colon(lead.block)]
            for lead in leads:
                lead.carried = True
            piece.text = " ".join([*(lead.block.text for lead in leads), block.text])
            open_items.append((depth, piece))
        else:
            open_items = []
            # "Next year we will focus on:" introduces the list after it and says nothing alone.
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            piece.carried = (
                block.kind == "paragraph"
                and _ends_with_colon(block)
                and following is not None
                and following.kind == "list_item"
            )
        pieces.append(piece)
    return pieces


def _ends_with_colon(block: Block) -> bool:
    return block.text.rstrip().endswith(":")


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph; a very short one stays with the sentence before it."""
    sentences: list[str] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        candidate = text[start : boundary.end(1)].strip()
        if _ABBREVIATION.search(candidate):
            continue
        sentences.append(candidate)
        start = boundary.end()
    sentences.append(text[start:].strip())
    joined: list[str] = []
    for sentence in filter(None, sentences):
        if joined and _word_count(sentence) < MIN_SENTENCE_WORDS:
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
    return joined


def _word_count(text: str) -> int:
    return len(text.split())
