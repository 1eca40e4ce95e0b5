"""Classifying statements to themes: sentence embeddings combined with the taxonomy's own words.

Each statement is scored against every theme by

    score = SEMANTIC_WEIGHT * semantic + KEYWORD_WEIGHT * keyword_bonus

where ``semantic`` blends the cosine similarity with the theme's nearest example statement (or its
label and description) and with the centroid of all of them, and ``keyword_bonus`` grows with the
number of the theme's keywords found in the statement as whole words. Themes scoring at least
``THRESHOLD`` and within ``MARGIN`` of the statement's best are kept, at most ``MAX_THEMES`` a
statement, each with the evidence that earned it.

A statement can name two themes in two clauses ("reduce serious violence and the exploitation
of young people"); scored whole, the stronger clause hides the other behind the margin. So a
theme left out only by the margin or the cap is put back when one clause of the statement,
scored alone, is mainly about it (``clauses``, ``CLAUSE_THRESHOLD``). A keyword inside a longer
keyword of another theme ("neglect" in "self-neglect") counts only for the longer one.

Each statement also keeps its *runners-up*, themes it nearly has: one of its ``RUNNER_UP_RANKS``
best themes that was not kept, or a theme that leads one of its clauses without reaching
``CLAUSE_THRESHOLD``. They are not assignments; the alignment takes a second look at them when
other sources hold the theme clearly (see ``alignment.second_look``).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from safeguarding.documents.model import Statement
from safeguarding.themes.model import SentenceEmbedder, load_embedder
from safeguarding.themes.taxonomy import Taxonomy

# How the constants were chosen: on the example, paraphrase and unrelated statements written in
# tests/themes/test_classify.py, never on the alignment evaluation set. Unrelated sentences
# ("The car park will be resurfaced") score at most about 0.25 against any theme, paraphrases
# of a theme in other words about 0.25-0.6. Blending the nearest example with the centroid
# half and half put the right theme first most often; the threshold sits a little above the
# unrelated sentences' best. Keywords count for a quarter: they lift short statements that
# name a theme outright ("county lines") without letting one word decide alone.
SEMANTIC_WEIGHT = 0.75
KEYWORD_WEIGHT = 0.25
NEAREST_WEIGHT = 0.5  # share of the semantic score from the nearest example...
CENTROID_WEIGHT = 0.5  # ...and from the centroid of all the theme's examples
KEYWORD_STEP = 0.5  # each keyword found halves what is left of the bonus: 1 -> 0.5, 2 -> 0.75
PHRASE_WEIGHT = 1.5  # a keyword of several words is stronger evidence than a single word
THRESHOLD = 0.28
MAX_THEMES = 3
# A theme far behind the statement's best one is more often noise than a second theme.
MARGIN = 0.2
MAX_KEYWORD_WORDS = 6
_CACHE_SIZE = 8
# Putting back a theme named in one clause. The clause must be mainly about the theme (its best
# theme, scoring at least CLAUSE_THRESHOLD: a clear match on the scale above, where paraphrases
# reach about 0.6 and unrelated text 0.25) and the whole statement must lean towards it too
# (RESTORE_MIN_SCORE, between the two), so that a fragment such as "parents, carers" in a list
# of who is helped does not make carers a theme of the statement. Unlike the constants above,
# these were set with the evaluation's development boroughs in view (docs/evaluation.md gives
# the figures and how they move with each value); the tests use statements written for them.
CLAUSE_THRESHOLD = 0.5
RESTORE_MIN_SCORE = 0.4
# A clause shorter than this ("and mould", "and girls") joins the one before it: alone it
# matches themes by a word or two.
MIN_CLAUSE_WORDS = 3
# Enough for one statement that names four or five themes in turn ("parents with mental
# ill-health, drug or alcohol problems, or who are victims of domestic abuse").
MAX_THEMES_WITH_CLAUSES = 5
# A statement's runners-up: themes not kept but among its RUNNER_UP_RANKS best by the whole-text
# score, or leading one of its clauses, at or over THRESHOLD either way. Two: a theme that is
# one of the two things a statement is about, not a word in passing (the third and fourth
# themes of a statement are most often those). Leading a clause is the same test as restoring
# a theme (``_clause_about``) without CLAUSE_THRESHOLD, so that the second look does not hang
# on that constant.
RUNNER_UP_RANKS = 2


@dataclass(frozen=True)
class ThemeScore:
    """One theme suggested for a statement, its score (0 to 1) and what earned it."""

    theme: str
    score: float
    evidence: str


@dataclass(frozen=True)
class ClassifiedStatement:
    """A statement with the themes it was classified to, best first."""

    statement: Statement
    themes: tuple[ThemeScore, ...]
    # Themes it nearly has (see RUNNER_UP_RANKS), best first: not assignments.
    runners_up: tuple[ThemeScore, ...] = ()


# --- Words -----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# Where a clause may end: after , ; : or a sentence's end, or before "and", "or" or "but".
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;:,])\s+|\s+(?=(?:and|or|but)\s)")


def _stem(word: str) -> str:
    """A crude stem that makes plurals and possessives match their singular."""
    word = word.replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("s'"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str, *, keep_case: bool = False) -> tuple[str, ...]:
    """The stemmed, lower-case words of a text; hyphens and punctuation separate words."""
    return tuple(_stem(w) for w in _WORD.findall(text if keep_case else text.casefold()))


def _is_acronym(keyword: str) -> bool:
    # "SEND", "MARAC", "CSE": matched in capitals only, so that "send" and "mash" are not them.
    letters = [c for c in keyword if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --- The themes, embedded once per taxonomy --------------------------------------------------


@dataclass(frozen=True)
class _ThemeIndex:
    theme_ids: tuple[str, ...]
    anchor_texts: tuple[str, ...]  # examples, then "label: description", grouped by theme
    anchor_is_example: tuple[bool, ...]
    anchor_vectors: np.ndarray  # (anchors, dim)
    starts: np.ndarray  # index of each theme's first anchor (anchors are grouped by theme)
    centroids: np.ndarray  # (themes, dim), L2-normalised
    # Per theme: (keyword as written, its words, whether it must match in capitals).
    keywords: tuple[tuple[tuple[str, tuple[str, ...], bool], ...], ...]
    # Each keyword's words, with whether they must match in capitals -> (theme, keyword) pairs.
    keyword_lookup: dict[tuple[tuple[str, ...], bool], tuple[tuple[int, str], ...]]


_indexes: OrderedDict[tuple[str, str, str], _ThemeIndex] = OrderedDict()
_indexes_lock = threading.Lock()


def _fingerprint(taxonomy: Taxonomy) -> str:
    # The version alone is not enough: a taxonomy edited in the web app may keep its version.
    digest = hashlib.sha256()
    for theme in taxonomy.themes:
        for part in (
            theme.id,
            theme.label,
            theme.description,
            *theme.examples,
            "|",
            *theme.keywords,
        ):
            digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _theme_keywords(keywords: Sequence[str]) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """Each keyword with its words; keywords that stem alike ("scam", "scams") count once."""
    found: dict[tuple[tuple[str, ...], bool], str] = {}
    for keyword in keywords:
        acronym = _is_acronym(keyword)
        kw_words = words(keyword, keep_case=acronym)
        if kw_words and len(kw_words) <= MAX_KEYWORD_WORDS:
            found.setdefault((kw_words, acronym), keyword)
    return tuple((keyword, kw_words, acronym) for (kw_words, acronym), keyword in found.items())


def _theme_index(taxonomy: Taxonomy, embedder: SentenceEmbedder) -> _ThemeIndex:
    key = (
        getattr(embedder, "name", type(embedder).__name__),
        taxonomy.version,
        _fingerprint(taxonomy),
    )
    with _indexes_lock:
        if key in _indexes:
            _indexes.move_to_end(key)
            return _indexes[key]
    texts: list[str] = []
    is_example: list[bool] = []
    starts: list[int] = []
    for theme in taxonomy.themes:
        starts.append(len(texts))
        texts.extend(theme.examples)
        is_example.extend([True] * len(theme.examples))
        texts.append(f"{theme.label}: {theme.description}")
        is_example.append(False)
    vectors = embedder.encode(texts)
    bounds = [*starts, len(texts)]
    centroids = np.stack(
        [vectors[bounds[i] : bounds[i + 1]].mean(axis=0) for i in range(len(starts))]
    )
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    keywords = tuple(_theme_keywords(theme.keywords) for theme in taxonomy.themes)
    lookup: dict[tuple[tuple[str, ...], bool], list[tuple[int, str]]] = {}
    for theme_number, theme_keywords in enumerate(keywords):
        for kw, kw_words, acronym in theme_keywords:
            lookup.setdefault((kw_words, acronym), []).append((theme_number, kw))
    index = _ThemeIndex(
        theme_ids=taxonomy.ids,
        anchor_texts=tuple(texts),
        anchor_is_example=tuple(is_example),
        anchor_vectors=vectors.astype(np.float32),
        starts=np.array(starts, dtype=np.intp),
        centroids=centroids.astype(np.float32),
        keywords=keywords,
        keyword_lookup={key: tuple(found) for key, found in lookup.items()},
    )
    with _indexes_lock:
        _indexes[key] = index
        while len(_indexes) > _CACHE_SIZE:
            _indexes.popitem(last=False)
    return index


# --- Scoring ---------------------------------------------------------------------------------


def _keyword_hits(text: str, index: _ThemeIndex) -> list[list[str]]:
    """For each theme, the keywords (as written in the taxonomy) found in the text.

    A keyword found only inside a longer keyword of another theme does not count: "neglect" in
    "self-neglect" is self-neglect's keyword, not neglect's.
    """
    # (theme, keyword, start, end) of every occurrence of every keyword: lower-case keywords
    # are looked for among the lower-case words, acronyms among the words as written.
    found: list[tuple[int, str, int, int]] = []
    for tokens, acronym in ((words(text), False), (words(text, keep_case=True), True)):
        for n in range(1, MAX_KEYWORD_WORDS + 1):
            for start in range(len(tokens) - n + 1):
                for theme, kw in index.keyword_lookup.get((tokens[start : start + n], acronym), ()):
                    found.append((theme, kw, start, start + n))
    counted: set[tuple[int, str]] = set()
    for theme, kw, start, end in found:
        inside_longer = any(
            other != theme and o_start <= start and end <= o_end and o_end - o_start > end - start
            for other, _, o_start, o_end in found
        )
        if not inside_longer:
            counted.add((theme, kw))
    # In the taxonomy's order, so that the evidence lists them the same way every time.
    return [
        [kw for kw, _, _ in keywords if (theme, kw) in counted]
        for theme, keywords in enumerate(index.keywords)
    ]


def keyword_bonus(hits: Sequence[str]) -> float:
    """0 with no keyword, rising towards 1 with each further keyword found."""
    weight = sum(PHRASE_WEIGHT if len(words(hit)) > 1 else 1.0 for hit in hits)
    return 1.0 - (1.0 - KEYWORD_STEP) ** weight


def _semantic(vectors: np.ndarray, index: _ThemeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Semantic scores (statements, themes) and, for each, the nearest anchor's index."""
    similarity = vectors @ index.anchor_vectors.T  # (statements, anchors)
    nearest = np.maximum.reduceat(similarity, index.starts, axis=1)
    bounds = [*index.starts.tolist(), similarity.shape[1]]
    nearest_at = np.stack(
        [
            similarity[:, bounds[i] : bounds[i + 1]].argmax(axis=1) + bounds[i]
            for i in range(len(index.starts))
        ],
        axis=1,
    )
    centroid = vectors @ index.centroids.T
    semantic = NEAREST_WEIGHT * nearest + CENTROID_WEIGHT * centroid
    return np.clip(semantic, 0.0, 1.0), nearest_at


def _evidence(hits: list[str], anchor: str, is_example: bool) -> str:
    parts = []
    if hits:
        parts.append("keywords: " + ", ".join(f'"{hit}"' for hit in hits))
    parts.append(f'nearest example: "{anchor}"' if is_example else f'theme description: "{anchor}"')
    return "; ".join(parts)


def clauses(text: str) -> list[str]:
    """The clauses of a statement: split after , ; : and sentence ends, and before "and", "or"
    and "but"; a piece shorter than ``MIN_CLAUSE_WORDS`` words ("and mould,") stays with the
    clause before it, or the one after it at the start."""
    found: list[str] = []
    carried = ""
    for piece in _CLAUSE_BREAK.split(text):
        piece = f"{carried} {piece}".strip() if carried else piece.strip()
        carried = ""
        if not piece:
            continue
        if len(piece.split()) >= MIN_CLAUSE_WORDS:
            found.append(piece)
        elif found:
            found[-1] = f"{found[-1]} {piece}"
        else:
            carried = piece
    if carried:
        found.append(carried)
    return found


def _scores(texts: Sequence[str], embedder: SentenceEmbedder, index: _ThemeIndex) -> _Scored:
    """Scores (texts, themes), each text's keyword hits and nearest anchors."""
    semantic, nearest_at = _semantic(embedder.encode(texts), index)
    hits = [_keyword_hits(text, index) for text in texts]
    bonus = np.array([[keyword_bonus(h) for h in row] for row in hits], dtype=np.float32)
    bonus = bonus.reshape(len(texts), len(index.theme_ids))
    return _Scored(SEMANTIC_WEIGHT * semantic + KEYWORD_WEIGHT * bonus, hits, nearest_at)


@dataclass(frozen=True)
class _Scored:
    scores: np.ndarray  # (texts, themes)
    hits: list[list[list[str]]]  # per text, per theme: the keywords found
    nearest_at: np.ndarray  # (texts, themes): index of the nearest anchor


def _kept(scores: np.ndarray) -> list[int]:
    """The themes a statement keeps by its whole-text scores: over the threshold, within the
    margin of the best, at most ``MAX_THEMES``, best first."""
    order = np.argsort(-scores, kind="stable")[:MAX_THEMES]
    kept: list[int] = []
    for t in order:
        if scores[t] < THRESHOLD or scores[t] < scores[order[0]] - MARGIN:
            break
        kept.append(int(t))
    return kept


def score_texts(
    texts: Sequence[str], taxonomy: Taxonomy, embedder: SentenceEmbedder | None = None
) -> list[tuple[ThemeScore, ...]]:
    """For each text, the themes over the threshold, best first: at most ``MAX_THEMES``, or
    ``MAX_THEMES_WITH_CLAUSES`` when clauses name more."""
    return [themes for themes, _ in score_texts_with_runners_up(texts, taxonomy, embedder)]


def score_texts_with_runners_up(
    texts: Sequence[str], taxonomy: Taxonomy, embedder: SentenceEmbedder | None = None
) -> list[tuple[tuple[ThemeScore, ...], tuple[ThemeScore, ...]]]:
    """For each text, its themes (as ``score_texts``) and its runners-up (``RUNNER_UP_RANKS``),
    each best first."""
    if not texts:
        return []
    embedder = embedder or load_embedder()
    index = _theme_index(taxonomy, embedder)
    # Reports repeat themselves (a priority in the summary and again in its chapter): each
    # distinct text is embedded and scored once.
    unique = list(dict.fromkeys(texts))
    whole = _scores(unique, embedder, index)
    kept = [_kept(row) for row in whole.scores]
    # Only a statement with a theme left out by the margin or the cap, yet near enough to
    # put back, has its clauses scored: most statements need no second look.
    candidates: dict[int, list[int]] = {}
    parts: dict[int, list[str]] = {}
    for row, text in enumerate(unique):
        left_out = [
            t
            for t in np.flatnonzero(whole.scores[row] >= RESTORE_MIN_SCORE).tolist()
            if t not in kept[row]
        ]
        pieces = clauses(text) if left_out else []
        if len(pieces) > 1:
            candidates[row], parts[row] = left_out, pieces
    clause_texts = list(dict.fromkeys(p for pieces in parts.values() for p in pieces))
    by_clause = _scores(clause_texts, embedder, index) if clause_texts else None
    clause_row = {text: n for n, text in enumerate(clause_texts)}

    def theme_score(row: int, t: int, clause: str = "") -> ThemeScore:
        anchor = int(whole.nearest_at[row, t])
        evidence = _evidence(
            whole.hits[row][t], index.anchor_texts[anchor], index.anchor_is_example[anchor]
        )
        if clause:
            evidence = f'{evidence}; clause: "{clause}"'
        return ThemeScore(
            theme=index.theme_ids[t], score=round(float(whole.scores[row, t]), 4), evidence=evidence
        )

    scored: dict[str, tuple[tuple[ThemeScore, ...], tuple[ThemeScore, ...]]] = {}
    for row, text in enumerate(unique):
        chosen = [(t, "") for t in kept[row]]
        near = [
            (t, "")
            for t in np.argsort(-whole.scores[row], kind="stable")[:RUNNER_UP_RANKS].tolist()
            if whole.scores[row, t] >= THRESHOLD
        ]
        for t in candidates.get(row, []):
            clause = _clause_about(t, parts[row], by_clause, clause_row, CLAUSE_THRESHOLD)
            if clause is not None:
                chosen.append((t, clause))
            elif (clause := _clause_about(t, parts[row], by_clause, clause_row)) is not None:
                near.append((t, clause))
        chosen.sort(key=lambda item: -whole.scores[row, item[0]])
        chosen = chosen[:MAX_THEMES_WITH_CLAUSES]
        themes = tuple(theme_score(row, t, clause) for t, clause in chosen)
        taken = {t for t, _ in chosen}
        runners_up: list[ThemeScore] = []
        for t, clause in sorted(near, key=lambda item: -whole.scores[row, item[0]]):
            if t not in taken:
                taken.add(t)
                runners_up.append(theme_score(row, t, clause))
        scored[text] = (themes, tuple(runners_up))
    return [scored[text] for text in texts]


def _clause_about(
    theme: int,
    pieces: list[str],
    by_clause: _Scored | None,
    clause_row: dict[str, int],
    at_least: float = THRESHOLD,
) -> str | None:
    """The first clause mainly about ``theme``: its best theme, scoring ``at_least``."""
    if by_clause is None:
        return None
    for piece in pieces:
        row = by_clause.scores[clause_row[piece]]
        if row[theme] >= at_least and row[theme] >= row.max():
            return piece
    return None


def classify_statements(
    statements: Sequence[Statement],
    taxonomy: Taxonomy,
    embedder: SentenceEmbedder | None = None,
) -> list[ClassifiedStatement]:
    """Each statement with the themes it belongs to (score and evidence), in the same order."""
    scored = score_texts_with_runners_up([s.text for s in statements], taxonomy, embedder)
    return [
        ClassifiedStatement(statement=s, themes=themes, runners_up=runners_up)
        for s, (themes, runners_up) in zip(statements, scored, strict=True)
    ]
