"""Extractive wording for the shared-priorities analysis: excerpts and short summaries.

Nothing here writes a word of its own about what a source says: an excerpt is an exact piece of a
statement, and a summary is the sources' own clauses, quoted, inside a fixed connecting frame
(``FRAME_WORDS``). A reviewer can then trust that every claim in a summary is in a source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

# Evidence longer than this is cut down to its most relevant sentence: a board paper quotes a
# priority, not a page, and 350 characters is about three lines of a printed table.
MAX_EXCERPT_CHARS = 350
# A summary quotes at most this many words from each source: enough for a clause such as
# "strengthen victim support and transitions by improving pathways from youth to adult
# services" (13 words), short enough that two or three sources still make one readable sentence.
MAX_CLAUSE_WORDS = 20
# A clause shorter than this ("Camden", "In 2025") says nothing on its own, so the next clause is
# taken with it.
MIN_CLAUSE_WORDS = 4

# The only words a summary may hold besides the quoted clauses and the sources' names (which may
# take a possessive 's).
FRAME_WORDS = frozenset(
    {"priorities", "include", "report", "says", "and", "the", "strategy", "its", "also"}
)

# Where a clause ends: punctuation followed by a space, or an opening bracket or dash.
_DASHES = "\u2013\u2014"  # en and em dash
_CLAUSE_END = re.compile(rf"(?<=[,;:.!?])\s+|\s+(?=[({_DASHES}])|(?<=[){_DASHES}])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9“\"'(])")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_TRAILING = " ,;:.-(\t" + _DASHES


@dataclass(frozen=True)
class SummaryPart:
    """One source's best evidence for a theme, as the summary quotes it."""

    source: str
    kind: Literal["partnership", "strategy"]
    section: str
    text: str


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, apostrophes kept inside words ("children's")."""
    return [word.lower() for word in _WORD.findall(text)]


def _stem(word: str) -> str:
    # Six letters is crude but enough to match "transition" with "transitions" and
    # "safeguard" with "safeguarding" without a stemming library.
    return word[:6]


def excerpt(text: str, focus: Iterable[str], max_chars: int = MAX_EXCERPT_CHARS) -> str:
    """An exact piece of ``text`` to quote: all of it if short, else its sentence on ``focus``.

    ``focus`` is the words that describe the theme (its label, keywords and the classifier's
    evidence); the sentence sharing most of them wins, the earliest on a tie.
    """
    text = text.strip()
    if len(text) <= max_chars:
        return text
    wanted = _stems(focus)
    best, best_overlap = "", -1
    for sentence in _SENTENCE_END.split(text):
        overlap = len(wanted & _stems([sentence]))
        if overlap > best_overlap and sentence.strip():
            best, best_overlap = sentence.strip(), overlap
    if len(best) > max_chars:
        best = _cut_at_clause(best, max_chars)
    return best


def _cut_at_clause(text: str, max_chars: int) -> str:
    """The longest run of whole clauses from the start of ``text`` that fits in ``max_chars``."""
    kept = ""
    for match in _CLAUSE_END.finditer(text):
        candidate = text[: match.start()].rstrip(_TRAILING)
        if len(candidate) > max_chars:
            break
        kept = candidate
    if not kept:
        # One enormous clause: cut at the last space that fits, still an exact piece of the text.
        kept = text[:max_chars].rsplit(" ", 1)[0].rstrip(_TRAILING)
    return kept


def _clause_spans(text: str) -> list[tuple[int, int]]:
    """Where each clause of ``text`` starts and ends, closing punctuation left out."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for end in [*(match.start() for match in _CLAUSE_END.finditer(text)), len(text)]:
        piece = text[begin:end]
        stripped = piece.rstrip(_TRAILING)
        if stripped.strip(_TRAILING):
            spans.append((begin, begin + len(stripped)))
        match = _CLAUSE_END.match(text, end)
        begin = match.end() if match else end
    return spans


def clause(text: str, focus: Iterable[str] = (), max_words: int = MAX_CLAUSE_WORDS) -> str:
    """The run of whole clauses of ``text`` (at most ``max_words`` words) most about ``focus``.

    Runs of at least ``MIN_CLAUSE_WORDS`` words come first, then those sharing most words with
    ``focus``, then the earliest, then the longest; a clause longer than ``max_words`` on its own
    is cut at a word and marked with an ellipsis.
    """
    text = " ".join(text.split())
    if not text:
        return ""
    wanted = _stems(focus)
    spans = _clause_spans(text) or [(0, len(text))]
    best: tuple[bool, int, int, int] | None = None
    chosen = ""
    for first in range(len(spans)):
        for last in range(first, len(spans)):
            run = text[spans[first][0] : spans[last][1]]
            count = len(run.split())
            if count > max_words:
                break
            rank = (count >= MIN_CLAUSE_WORDS, len(wanted & _stems([run])), -first, count)
            if best is None or rank > best:
                best, chosen = rank, run
    # A clause too long to quote whole is cut at a word when nothing shorter is about the theme.
    pieces = [text[begin:end] for begin, end in spans]
    longest = max(pieces, key=lambda piece: len(wanted & _stems([piece])))
    if not chosen or (best is not None and best[1] == 0 and wanted & _stems([longest])):
        chosen = " ".join(longest.split()[:max_words]).rstrip(_TRAILING) + "\u2026"
    return chosen


def _stems(phrases: Iterable[str]) -> set[str]:
    return {_stem(word) for phrase in phrases for word in words(phrase) if len(word) > 2}


def theme_summary(parts: Sequence[SummaryPart], focus: Iterable[str] = ()) -> str:
    """One or two sentences saying, in each source's own words, how it approaches a theme.

    The partnerships share the first sentence ("CSCP's priorities include “...”; and SAPB's
    priorities include “...”."), the strategy has the second ("The strategy, HWS, says “...”.").
    Each quotes the clauses of the source's best evidence most about ``focus``.
    """
    focus = list(focus)

    def quoted(part: SummaryPart) -> str:
        return f"\u201c{clause(part.text, focus)}\u201d"

    partnerships = [part for part in parts if part.kind == "partnership"]
    strategies = [part for part in parts if part.kind == "strategy"]
    sentences: list[str] = []
    if partnerships:
        phrases = [
            f"{part.source}'s priorities include {quoted(part)}"
            if part.section == "priorities"
            else f"{part.source}'s report says {quoted(part)}"
            for part in partnerships
        ]
        joined = (
            phrases[-1] if len(phrases) == 1 else f"{'; '.join(phrases[:-1])}; and {phrases[-1]}"
        )
        sentences.append(joined + ".")
    says = "also says" if partnerships else "says"
    for part in strategies:
        sentences.append(f"The strategy, {part.source}, {says} {quoted(part)}.")
    return " ".join(sentences)
