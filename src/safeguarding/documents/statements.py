"""Splitting sections into statements: one list item, one short paragraph, or one sentence of a
long paragraph, each with the section's role, its heading and its page. Headings, table
captions, page numbers and contents lines are not statements; nor are table rows, except the
data rows of a table in a priorities, achievements, challenges or recommendations section, where
a table ("Priority | What we will do | Lead") is a list written in columns: each data row is one
statement, its cells joined as sentences.

Some statements are kept but say nothing about a theme: a lead-in ("The partners have agreed
the following priorities:") or a sentence about the plan itself ("Each priority has an action
plan and a lead"), found by ``is_lead_in``; and a context figure ("One in six adults has a common
mental health problem"), found by ``is_context_figure``. The shared-priorities analysis does not
count them as a source's priorities.

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
# In these sections a table lists what the section is about (one priority, one achievement a
# row); elsewhere tables are figures ("Measure | 2023-24 | 2024-25") that say nothing alone.
TABLE_STATEMENT_ROLES = ("priorities", "achievements", "challenges", "recommendations")
# A table's first row is its header when every cell is this short: column names ("Priority",
# "What we will do", "Lead") are a few words, a priority written in a cell is a sentence.
MAX_HEADER_CELL_WORDS = 4
# A later cell this short is labelled with its column's name ("Lead: Director of Public
# Health") so that the joined row reads as text; a longer cell stands as its own sentence.
MAX_LABELLED_CELL_WORDS = 6
# A statement about the plan itself is short: a longer one usually goes on to commit to
# something after its first sentence, and is kept as a priority.
MAX_LEAD_IN_WORDS = 40
# The plan's noun and its verb are this close ("agreed the following priorities", "each
# objective will be reported"): further apart, the verb belongs to a commitment of its own.
PLAN_VERB_GAP = 5

_SENTENCE_END = re.compile(r"([.!?][\"'\u201d\u2019)]?)\s+(?=[A-Z0-9\"'\u201c\u2018(])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|no|dr|mr|mrs|ms|st|cf|approx|incl)\.$", re.I)
_CONTENTS_LINE = re.compile(r"(?:\.{4,}|…{2,})\s*\d{1,4}$")  # "Introduction ...... 3"
_WORD = re.compile(r"[^\W\d_]{2,}")
_CELL_END = (".", "!", "?", ":", ";")
_TABLE_CELL = re.compile(r"\s*\|\s*")

# --- Lead-ins and sentences about the plan itself ---------------------------------------------
# The plan's own nouns: its priorities as things that are agreed, led, reported on...
_PLAN_ITEMS = (
    r"(?:priorit(?:y|ies)|ambitions?|objectives?|(?:delivery|action|business|strategic|"
    r"improvement)\s+plans?|work\s*streams?)"
)
_COUNTED = r"(?:a|an|each|every|all|both|these|those|the|our|its|their|following|new|" + (
    r"one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
)
_PLAN_REFERENCE = re.compile(
    rf"\b{_COUNTED}\s+(?:(?:strategic|key|main|agreed|overarching|partnership's|board's)\s+)?"
    rf"{_PLAN_ITEMS}\b",
    re.IGNORECASE,
)
# ...by verbs of governance: choosing, agreeing, leading, owning, reporting, delivering.
_PLAN_VERBS = re.compile(
    r"\b(?:agreed|agree|agrees|chosen|chose|choose|selected|identified|set\s+out|reviewed|"
    r"shaped|informed|led|owned|overseen|oversee|monitored|reported|report|published|"
    r"sponsor|sponsored|deliver|delivered|progress)\b",
    re.IGNORECASE,
)
# "Each priority has a lead officer", "Every ambition is owned by ...".
_EACH_ITEM = re.compile(
    rf"\b(?:each|every)\s+(?:one\s+)?(?:of\s+(?:the|our|these)\s+)?{_PLAN_ITEMS}\s+"
    r"(?:has|have|is|are|will)\b",
    re.IGNORECASE,
)
# The document speaking about itself: "This report sets out ...", "This is our strategy ...";
# not "The plan is to halve ...", which commits to something.
_DOCUMENT_ITSELF = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:this\s+(?:annual\s+)?(?:report|strategy|document|plan)"
    r"|the\s+(?:annual\s+)?report)\s+"
    r"(?:sets\s+out|describes|explains|summarises|covers|shows|looks|is|was|has|brings|builds)\b"
    r"|^(?:\d+(?:\.\d+)*\.?\s+)?this\s+is\s+(?:the|our)\b[^.]*\b(?:report|strategy|plan)\b",
    re.IGNORECASE,
)

# --- Context figures ---------------------------------------------------------------------------
_FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*%|\bper\s*cent\b|\b\d{1,3}(?:,\d{3})+\b|\b\d+\.\d+\b|\bper\s+[\d,]+"
    r"|\bone\s+(?:\w+\s+)?in\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\b"
    r"|\b(?:a|one)\s+(?:quarter|third|fifth|half)\b|\bhalf\s+of\b|\bdoubled\b|\btrebled\b",
    re.IGNORECASE,
)
# A statement that commits to something, even one holding a figure ("Cut smoking to 10%").
_COMMITMENT = re.compile(
    r"\b(?:will|shall|should|must|aim|aims|aiming|intend|plan\s+to|want\s+to|commit|committed|"
    r"going\s+to|by\s+20\d\d)\b",
    re.IGNORECASE,
)
# Verbs that start a priority written as an instruction ("Reduce ...", "Make sure ...",
# "Recognise and support ..."): the verbs plans are written in, with both spellings where
# British and American differ. Words as often nouns at the start of a sentence ("Progress",
# "Focus", "Plan", "Value") are left out, so that "Progress has been slow: one in four ..."
# stays context.
_PLAN_IMPERATIVES = frozenset(
    """
    accelerate address adopt agree align assure bring broaden build celebrate champion check
    commission connect continue coordinate create cut deepen deliver demonstrate design develop
    educate eliminate embed empower enable encourage end engage enhance ensure equip eradicate
    establish evaluate expand explore extend foster give grow halt halve harness hear help
    identify implement improve increase integrate introduce invest involve keep launch lead learn
    listen lower maintain make maximise maximize minimise minimize mobilise mobilize modernise
    modernize narrow nurture offer pilot prepare prevent prioritise prioritize promote protect
    provide publish put raise reach recognise recognize recruit redesign reduce reform remove
    reshape respond restore retain review roll safeguard secure share simplify stop strengthen
    support sustain tackle target test train transform understand upskill use widen work
    """.split()
)
_LABEL = re.compile(r"^[^.:;!?]{1,60}[.:]\s+(?=\S)")  # "Domestic abuse. ", "Priority 2: "


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
    rows = _table_statements(section) if section.role in TABLE_STATEMENT_ROLES else {}
    sayable = [
        (b, rows.get(i, b.text))
        for i, b in enumerate(section.blocks)
        if i in rows or _worth_saying(section.blocks, i)
    ]
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


# --- Tables ----------------------------------------------------------------------------------


def _table_statements(section: Section) -> dict[int, str]:
    """Each data row of the section's tables as a statement text, by the row's block index."""
    found: dict[int, str] = {}
    blocks = section.blocks
    start = 0
    while start < len(blocks):
        if blocks[start].kind != "table_row":
            start += 1
            continue
        end = start
        while end < len(blocks) and blocks[end].kind == "table_row":
            end += 1
        table = [_cells(block.text) for block in blocks[start:end]]
        header = table[0] if len(table) > 1 and _is_header(table[0]) else None
        for offset, cells in enumerate(table):
            if header is not None and offset == 0:
                continue
            if _is_figures_row(cells):
                continue  # "Contacts to the front door | 8,920 | 9,614": figures, not a statement
            found[start + offset] = row_text(cells, header)
        start = end
    return found


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in _TABLE_CELL.split(text.strip().strip("|"))]


def _is_header(cells: list[str]) -> bool:
    """Column names: every cell a few words, none a sentence."""
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(
        _word_count(cell) <= MAX_HEADER_CELL_WORDS and not cell.endswith(_CELL_END)
        for cell in filled
    )


def _is_figures_row(cells: list[str]) -> bool:
    """A row whose cells are mostly numbers, dates or blanks."""
    worded = sum(1 for cell in cells if _WORD.search(cell))
    return worded * 2 <= len(cells) or worded == 0


def row_text(cells: list[str], header: list[str] | None = None) -> str:
    """A table row's cells as sentences; a short later cell is labelled with its column name.

    ``["Neglect", "Spot neglect sooner", "DCS"]`` under ``["Priority", "What we will do",
    "Lead"]`` reads "Neglect. Spot neglect sooner. Lead: DCS."
    """
    parts: list[str] = []
    for column, cell in enumerate(cells):
        if not cell:
            continue
        name = header[column] if header is not None and column < len(header) else ""
        if parts and name and _word_count(cell) <= MAX_LABELLED_CELL_WORDS:
            cell = f"{name.rstrip(':')}: {cell}"
        parts.append(cell if cell.endswith(_CELL_END) else f"{cell}.")
    return " ".join(parts)


# --- Lead-ins --------------------------------------------------------------------------------


def _with_lead_ins(blocks: list[tuple[Block, str]]) -> list[_Piece]:
    """Each block as a piece; a list item prefixed with the items above it that end ":"."""
    pieces: list[_Piece] = []
    open_items: list[tuple[int, _Piece]] = []  # (depth, piece) of the items above this one
    for index, (block, text) in enumerate(blocks):
        piece = _Piece(block=block, text=text)
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
            following = blocks[index + 1][0] if index + 1 < len(blocks) else None
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


# --- What a statement is for -----------------------------------------------------------------


def is_lead_in(text: str) -> bool:
    """Whether a statement introduces or describes the plan rather than committing to anything.

    A line ending ":" ("Our priorities for next year are:"), the document describing itself
    ("This report sets out ..."), or a short sentence about the priorities as things that are
    agreed, led, owned or reported on ("Each priority has a lead officer", "The Board has agreed
    three priorities").
    """
    text = text.strip()
    if not text:
        return False
    if text.endswith(":") or _DOCUMENT_ITSELF.search(text):
        return True
    if _word_count(text) > MAX_LEAD_IN_WORDS:
        return False
    sentences = split_sentences(text)
    first = next((s for s in sentences if not _is_label(s)), "")
    return _about_the_plan(first)


def _about_the_plan(sentence: str) -> bool:
    """A sentence whose priorities are the thing agreed, led or reported ("The board agreed
    four priorities"), not the setting of a commitment ("Across both priorities we will ...")."""
    if _EACH_ITEM.search(sentence) or _DOCUMENT_ITSELF.search(sentence):
        return True
    references = [_word_span(sentence, m) for m in _PLAN_REFERENCE.finditer(sentence)]
    verbs = [_word_span(sentence, m) for m in _PLAN_VERBS.finditer(sentence)]
    return any(
        verb_start - ref_end <= PLAN_VERB_GAP and ref_start - verb_end <= PLAN_VERB_GAP
        for ref_start, ref_end in references
        for verb_start, verb_end in verbs
    )


def _word_span(text: str, match: re.Match[str]) -> tuple[int, int]:
    """The match's first and last word, counted in words from the start of ``text``."""
    start = len(text[: match.start()].split())
    return start, start + max(len(match.group(0).split()), 1) - 1


def is_context_figure(text: str) -> bool:
    """Whether a statement gives a figure about the place rather than committing to anything.

    "One in six adults has a common mental health problem" and "Homelessness has risen by a third
    since 2021" are context; "Cut smoking to 10% by 2030" and "We will halve waiting times" are
    commitments that happen to hold a figure.
    """
    if not _FIGURE.search(text) or _COMMITMENT.search(text):
        return False
    return not starts_with_instruction(text)


def starts_with_instruction(text: str) -> bool:
    """Whether a statement, after at most two short labels ("Priority 2: Neglect."), is an
    instruction such as "Reduce ..." or "Make sure ..."."""
    rest = text.strip()
    for _ in range(3):
        first = re.match(r"[^\W\d_]+", rest)
        if first is not None and first.group(0).casefold() in _PLAN_IMPERATIVES:
            return True
        label = _LABEL.match(rest)
        if label is None:
            return False
        rest = rest[label.end() :]
    return False


def _is_label(sentence: str) -> bool:
    """A sentence of a few words with no verb of its own, such as "Priority 3." or "Neglect."."""
    return _word_count(sentence) <= MAX_HEADER_CELL_WORDS
