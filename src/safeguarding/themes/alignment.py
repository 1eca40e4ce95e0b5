"""The shared-priorities analysis: which themes the partnerships and the strategy hold in common.

Every statement of every source is classified to the taxonomy's themes; a source *holds* a theme
when the statements it gives as priorities support it (``holding_statements``, ``holds``) or, once
at least two other sources hold it clearly, when one of those statements nearly has it
(``second_look``). A theme held by the strategy and at least two other sources is *shared*; one
held by two or more sources but not shared is an *additional focus area*. ``align`` writes the
JSON of ``shared/specs/alignment.md``; ``validate_alignment`` checks such a JSON when it comes
back from a file or from a person's review. Nothing here imports Django.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from safeguarding.documents.model import SECTION_ROLES, Document, Statement
from safeguarding.documents.statements import is_context_figure, is_lead_in
from safeguarding.themes.summary import SummaryPart, excerpt, theme_summary

if TYPE_CHECKING:
    from safeguarding.themes.classify import ClassifiedStatement, ThemeScore
    from safeguarding.themes.model import SentenceEmbedder
    from safeguarding.themes.taxonomy import Taxonomy, Theme

SourceKind = Literal["partnership", "strategy"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("partnership", "strategy")

# --- What counts as a source holding a theme -------------------------------------------------

# A partnership's priorities are what it commits to next year; its achievements and challenges
# describe the past and would make every theme it ever touched look like a shared priority.
PARTNERSHIP_HOLDING_ROLES: tuple[str, ...] = ("priorities",)
# A strategy's priorities (or ambitions) and the commitments under them. Its introduction,
# context figures and what residents said mention many themes it does not commit to.
STRATEGY_HOLDING_ROLES: tuple[str, ...] = ("priorities",)
# Strategies are sometimes written as a vision under an overview heading, or as aims read as
# recommendations ("every child should ..."), with no section called priorities: only then do
# those sections count.
STRATEGY_FALLBACK_ROLES: tuple[str, ...] = ("overview", "recommendations")
# A source holds a theme only when at least one of its priority statements leans clearly
# towards it. The classifier keeps a second or third theme down to its threshold (0.28) so
# that a reviewer sees it, but a theme that only brushes a priority ("residents, carers and
# community groups" in a prevention priority scores carers about 0.3-0.35) is not a
# commitment. Paraphrases of a theme score about 0.25-0.6 and statements naming it 0.6-0.85
# (see classify.py); 0.4 is the classifier's own floor for putting back a theme named in a
# clause, and still keeps a theme named in a list of three ("safe from abuse, neglect and
# exploitation" gives neglect about 0.41). Higher values drop such lists; the main failure of
# the method so far has been finding too little, not too much.
HOLD_MIN_SCORE = 0.4
# Failing a priorities section, a source holds the themes of its strongest statements: the top
# 40% by their best theme score keeps what the document dwells on and drops passing mentions,
# and at least 3 so that a short document is not judged on a single sentence.
STRONGEST_SHARE = 0.4
STRONGEST_AT_LEAST = 3
# How a source's strength on a theme grows with the number of its statements that support it:
# one statement gives 70% of its score, two 85%, three 92.5%, saturating at the best score. One
# clear priority is worth a lot; repeating it adds a little, never more than the best evidence.
# Each statement counts in proportion to its score against the best, so a theme that only
# brushes another priority (a third theme at a low score) adds little.
SINGLE_STATEMENT_DISCOUNT = 0.3
# A shared theme weaker than this (the mean strength over the sources holding it) is listed as an
# additional focus area instead. The classifier keeps only assignments over its own threshold,
# so this only drops themes resting on weak, single statements in every source.
SHARED_MIN_STRENGTH = 0.3
# The strategy plus at least two other sources: one partnership agreeing with the strategy is a
# bilateral link, not a shared priority of the board's partnerships.
SHARED_MIN_OTHER_SOURCES = 2
# Two sources are the least that can share anything.
FOCUS_MIN_SOURCES = 2
# A second look (``second_look``). A theme that other sources hold clearly is more plausible in
# the one that seems not to: one weak classification should not turn a shared theme into a
# focus area. So once at least SECOND_LOOK_MIN_HOLDERS sources each have a priority statement
# scoring SECOND_LOOK_HOLDER_SCORE or more for a theme (a clear match: statements naming a theme
# score about 0.6-0.85, passing mentions about 0.3-0.45), any other source holds it too when
# one of its holding statements has it at all: assigned at any score, or as a runner-up (one of
# the statement's two leading themes, or the leading theme of one of its clauses; see
# classify.RUNNER_UP_RANKS). The bar is relative to each statement, not an absolute score that
# depends on how long and how plainly it is written. What a source holds on its own is still
# decided by the classifier and HOLD_MIN_SCORE.
SECOND_LOOK_MIN_HOLDERS = 2
SECOND_LOOK_HOLDER_SCORE = 0.5

# --- Evidence --------------------------------------------------------------------------------

# At most three statements from each source: enough to show the theme is not a passing mention,
# few enough for a reviewer to read them all.
MAX_EVIDENCE_PER_SOURCE = 3
# Further statements are quoted only if nearly as strong as the source's best: weaker ones are
# usually another theme that brushed past this one.
EVIDENCE_RELATIVE_SCORE = 0.8

# --- Bounds on a file read back (validate_alignment) -----------------------------------------

MAX_SOURCES = 20
MAX_STATEMENTS = 50_000
MAX_TEXT_CHARS = 10_000
MAX_NAME_CHARS = 80
MAX_THEMES_PER_STATEMENT = 100
MAX_THEMES = 1_000
MAX_EVIDENCE = 200
MAX_SUMMARY_CHARS = 4_000
MAX_REVIEW_CHANGES = 10_000
# A source's name starts its statements' ids ("CSCP-17"), so it is kept short and plain: letters
# (any script), digits, spaces and a little punctuation, never "=" (the CLI's NAME=FILE).
SOURCE_NAME = re.compile(r"^[^\W_][\w .&'()-]{0,79}$")
THEME_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
REVIEW_ACTIONS = ("accepted", "rejected", "edited", "added")


class AlignmentProblem(ValueError):
    """Sources that cannot be aligned, or an alignment file that is not right, said plainly."""


@dataclass(frozen=True)
class Source:
    """One document in the analysis: a partnership's report or plan, or the strategy."""

    name: str
    kind: SourceKind
    document: Document
    file: str | None = None


@dataclass(frozen=True)
class Support:
    """One statement's support for one theme."""

    classified: ClassifiedStatement
    score: ThemeScore


@dataclass(frozen=True)
class Holding:
    """A source holding a theme: how strongly, and the statements that show it, best first."""

    source: Source
    theme: str
    strength: float
    support: tuple[Support, ...]
    # Found by the second look (``second_look``): the statements support the theme only weakly
    # or as a runner-up, and count because other sources hold it clearly.
    second_look: bool = False


# --- Steps -----------------------------------------------------------------------------------


def check_sources(sources: Sequence[Source]) -> None:
    """Refuse a set of sources that cannot be aligned, with a message saying what to change."""
    if len(sources) > MAX_SOURCES:
        raise AlignmentProblem(f"Align at most {MAX_SOURCES} documents at once.")
    seen: set[str] = set()
    for source in sources:
        if not SOURCE_NAME.match(source.name):
            raise AlignmentProblem(
                f"{source.name!r} cannot name a source: use a short name of letters and digits, "
                "such as CSCP."
            )
        if source.name.casefold() in seen:
            raise AlignmentProblem(f"Two documents are both named {source.name}: name each once.")
        seen.add(source.name.casefold())
        if source.kind not in SOURCE_KINDS:
            raise AlignmentProblem(
                f"{source.name} is a {source.kind!r}: a source is a partnership or a strategy."
            )
        if not source.document.statements:
            raise AlignmentProblem(
                f"No statements were found in {source.file or source.document.file_name} "
                f"({source.name}): is it a scanned document or empty?"
            )
    strategies = [source for source in sources if source.kind == "strategy"]
    partnerships = len(sources) - len(strategies)
    if len(strategies) != 1:
        raise AlignmentProblem(
            f"Give exactly one strategy to align the partnerships with, not {len(strategies)}."
        )
    if partnerships < SHARED_MIN_OTHER_SOURCES:
        raise AlignmentProblem(
            f"Give at least {SHARED_MIN_OTHER_SOURCES} partnerships' documents to find the "
            f"priorities they share; there {'is' if partnerships == 1 else 'are'} {partnerships}."
        )


def source_statements(source: Source) -> list[Statement]:
    """The source's statements, named after it (``CSCP-17``) whatever the reader called them."""
    statements = source.document.statements
    if all(statement.source == source.name for statement in statements) and all(
        statement.id.startswith(f"{source.name}-") for statement in statements
    ):
        return list(statements)
    return [
        replace(statement, source=source.name, id=f"{source.name}-{number}")
        for number, statement in enumerate(statements, start=1)
    ]


def classify_sources(
    sources: Sequence[Source],
    taxonomy: Taxonomy,
    embedder: SentenceEmbedder | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, list[ClassifiedStatement]]:
    """Every source's statements classified to the taxonomy's themes, by source name.

    ``progress`` is told the name of each source as its statements are classified.
    """
    from safeguarding.themes.classify import classify_statements

    classified: dict[str, list[ClassifiedStatement]] = {}
    for source in sources:
        if progress is not None:
            progress(source.name)
        classified[source.name] = list(
            classify_statements(source_statements(source), taxonomy, embedder)
        )
    return classified


def holding_statements(
    source: Source, classified: Sequence[ClassifiedStatement]
) -> list[ClassifiedStatement]:
    """The statements that say what ``source`` holds as its priorities.

    Its priorities section; for a strategy with none, its overview and recommendations; failing
    those, or when none of their statements has a theme, its strongest statements. Lead-ins and
    sentences about the plan itself (``is_lead_in``) and context figures
    (``is_context_figure``) never count: they commit the source to nothing.
    """
    usable = [item for item in classified if commits(item.statement)]
    choices = [_holding_roles(source)]
    if source.kind == "strategy":
        choices.append(STRATEGY_FALLBACK_ROLES)
    for roles in choices:
        pool = [item for item in usable if item.statement.section in roles]
        if any(item.themes for item in pool):
            return pool
    themed = [item for item in usable if item.themes]
    themed.sort(key=lambda item: -item.themes[0].score)  # stable: reading order on a tie
    keep = max(STRONGEST_AT_LEAST, math.ceil(len(themed) * STRONGEST_SHARE))
    return themed[:keep]


def commits(statement: Statement) -> bool:
    """Whether a statement could commit its source to a theme: not a lead-in, not a figure."""
    return not (is_lead_in(statement.text) or is_context_figure(statement.text))


def _holding_roles(source: Source) -> tuple[str, ...]:
    return STRATEGY_HOLDING_ROLES if source.kind == "strategy" else PARTNERSHIP_HOLDING_ROLES


def strength_of(scores: Sequence[float]) -> float:
    """A source's strength on a theme (0..1) from the scores of the statements supporting it."""
    best = min(max(scores, default=0.0), 1.0)
    if best <= 0:
        return 0.0
    count = sum(min(max(score, 0.0), best) / best for score in scores)
    return best * (1 - SINGLE_STATEMENT_DISCOUNT * 0.5 ** (count - 1))


def holds(source: Source, theme: str, statements: Sequence[ClassifiedStatement]) -> Holding | None:
    """How strongly ``source`` holds ``theme`` among ``statements`` (its holding statements).

    None when no statement supports it, or none scores at least ``HOLD_MIN_SCORE``.
    """
    support = [
        Support(item, score) for item in statements for score in item.themes if score.theme == theme
    ]
    if not support or max(found.score.score for found in support) < HOLD_MIN_SCORE:
        return None
    roles = _holding_roles(source)
    if source.kind == "strategy":
        roles = (*roles, *STRATEGY_FALLBACK_ROLES)
    # Priorities first (the order of ``roles``), then the strongest.
    support.sort(
        key=lambda found: (
            _role_rank(found.classified.statement.section, roles),
            -found.score.score,
        )
    )
    strength = strength_of([found.score.score for found in support])
    return Holding(source, theme, strength, tuple(support))


def _role_rank(section: str, roles: Sequence[str]) -> int:
    return roles.index(section) if section in roles else len(roles)


def holdings(
    sources: Sequence[Source], classified: Mapping[str, Sequence[ClassifiedStatement]]
) -> dict[str, list[Holding]]:
    """Every theme held by any source: theme id -> the holdings, in the order of ``sources``.

    Each source's own holdings first (``holds``), then the second look (``second_look``).
    """
    pools = {source.name: holding_statements(source, classified[source.name]) for source in sources}
    found: dict[str, list[Holding]] = {}
    for source in sources:
        pool = pools[source.name]
        themes = sorted({score.theme for item in pool for score in item.themes})
        for theme in themes:
            holding = holds(source, theme, pool)
            if holding is not None:
                found.setdefault(theme, []).append(holding)
    return second_look(sources, pools, found)


def second_look(
    sources: Sequence[Source],
    pools: Mapping[str, Sequence[ClassifiedStatement]],
    found: Mapping[str, Sequence[Holding]],
) -> dict[str, list[Holding]]:
    """``found`` with the holdings a second look adds: a theme held clearly by at least
    ``SECOND_LOOK_MIN_HOLDERS`` sources is held by another source too when one of its holding
    statements (``pools``) has the theme, as an assignment or a runner-up (``near_score``)."""
    order = {source.name: number for number, source in enumerate(sources)}
    result: dict[str, list[Holding]] = {}
    for theme, theme_holdings in found.items():
        result[theme] = list(theme_holdings)
        clear = [
            holding.source.name
            for holding in theme_holdings
            if max(item.score.score for item in holding.support) >= SECOND_LOOK_HOLDER_SCORE
        ]
        if len(clear) < SECOND_LOOK_MIN_HOLDERS:
            continue
        holders = {holding.source.name for holding in theme_holdings}
        note = f"second look: held clearly by {', '.join(clear)}"
        for source in sources:
            if source.name in holders:
                continue
            support = [
                Support(item, replace(score, evidence=f"{note}; {score.evidence}"))
                for item in pools[source.name]
                if (score := near_score(item, theme)) is not None
            ]
            if support:
                support.sort(key=lambda item: -item.score.score)
                strength = strength_of([item.score.score for item in support])
                result[theme].append(
                    Holding(source, theme, strength, tuple(support), second_look=True)
                )
        result[theme].sort(key=lambda holding: order.get(holding.source.name, len(order)))
    return result


def near_score(item: ClassifiedStatement, theme: str) -> ThemeScore | None:
    """The statement's score for ``theme`` if it has the theme or nearly has it (a runner-up)."""
    for score in (*item.themes, *item.runners_up):
        if score.theme == theme:
            return score
    return None


def theme_words(taxonomy: Taxonomy, theme_id: str) -> list[str]:
    """The words that describe a theme: its label and keywords (used to pick what to quote)."""
    theme = _theme(taxonomy, theme_id)
    return [theme.label, *theme.keywords] if theme is not None else [theme_id.replace("_", " ")]


def _theme(taxonomy: Taxonomy, theme_id: str) -> Theme | None:
    try:
        return taxonomy.get(theme_id)
    except KeyError:
        return None


def _evidence(holding: Holding, taxonomy: Taxonomy) -> list[tuple[Support, str]]:
    """The source's best 1-3 statements for the theme, each with the exact text to quote."""
    best = max(found.score.score for found in holding.support)
    chosen: list[tuple[Support, str]] = []
    for found in holding.support:
        if len(chosen) == MAX_EVIDENCE_PER_SOURCE:
            break
        if chosen and found.score.score < EVIDENCE_RELATIVE_SCORE * best:
            continue
        focus = [found.score.evidence, *theme_words(taxonomy, holding.theme)]
        chosen.append((found, excerpt(found.classified.statement.text, focus)))
    return chosen


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _label(taxonomy: Taxonomy, theme_id: str) -> str:
    theme = _theme(taxonomy, theme_id)
    return theme.label if theme is not None else theme_id


def shared_and_focus(
    found: Mapping[str, Sequence[Holding]], taxonomy: Taxonomy
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The shared themes (with evidence and summary) and the additional focus areas, ranked."""
    shared: list[dict[str, Any]] = []
    focus: list[dict[str, Any]] = []
    for theme, theme_holdings in found.items():
        if len(theme_holdings) < FOCUS_MIN_SOURCES:
            continue  # one source alone never shares a theme
        strength = round(_mean(holding.strength for holding in theme_holdings), 3)
        names = [holding.source.name for holding in theme_holdings]
        has_strategy = any(holding.source.kind == "strategy" for holding in theme_holdings)
        others = sum(holding.source.kind != "strategy" for holding in theme_holdings)
        entry: dict[str, Any] = {
            "theme": theme,
            "label": _label(taxonomy, theme),
            "sources": names,
            "strength": strength,
        }
        if not (
            has_strategy and others >= SHARED_MIN_OTHER_SOURCES and strength >= SHARED_MIN_STRENGTH
        ):
            focus.append(entry)
            continue
        evidence: list[dict[str, Any]] = []
        parts: list[SummaryPart] = []
        for holding in theme_holdings:
            quoted = _evidence(holding, taxonomy)
            for found_support, text in quoted:
                evidence.append(
                    {
                        "source": holding.source.name,
                        "statement": found_support.classified.statement.id,
                        "text": text,
                    }
                )
            best_support, best_text = quoted[0]
            parts.append(
                SummaryPart(
                    holding.source.name,
                    holding.source.kind,
                    best_support.classified.statement.section,
                    best_text,
                )
            )
        entry["evidence"] = evidence
        entry["summary"] = theme_summary(parts, theme_words(taxonomy, theme))
        shared.append(entry)

    def rank(entry: dict[str, Any]) -> tuple[float, int, str]:
        return (-entry["strength"], -len(entry["sources"]), entry["theme"])

    return sorted(shared, key=rank), sorted(focus, key=rank)


def _utc_stamp(moment: datetime | None) -> str:
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # a naive time is taken to be UTC already
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _statement_json(item: ClassifiedStatement, added: Sequence[ThemeScore] = ()) -> dict[str, Any]:
    statement = item.statement
    themes = sorted((*item.themes, *added), key=lambda score: -score.score)
    return {
        "id": statement.id,
        "source": statement.source,
        "section": statement.section,
        "heading": statement.heading,
        "text": statement.text,
        "page": statement.page,
        "themes": [
            {"theme": score.theme, "score": round(score.score, 3), "evidence": score.evidence}
            for score in themes
        ],
    }


def alignment_json(
    sources: Sequence[Source],
    classified: Mapping[str, Sequence[ClassifiedStatement]],
    taxonomy: Taxonomy,
    embedder_name: str,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """The alignment JSON from statements already classified (``classify_sources``)."""
    check_sources(sources)
    found = holdings(sources, classified)
    shared, focus = shared_and_focus(found, taxonomy)
    # A theme the second look found on a statement is listed on it, so that a reviewer sees
    # why the statement is quoted.
    added: dict[str, list[ThemeScore]] = {}
    for theme_holdings in found.values():
        for holding in theme_holdings:
            if holding.second_look:
                for support in holding.support:
                    if all(s.theme != support.score.theme for s in support.classified.themes):
                        added.setdefault(support.classified.statement.id, []).append(support.score)
    return {
        "generated_at": _utc_stamp(generated_at),
        "model": {"embedder": embedder_name, "taxonomy_version": taxonomy.version},
        "sources": [
            {
                "name": source.name,
                "kind": source.kind,
                "file": source.file if source.file is not None else source.document.file_name,
                "sections": source.document.section_counts(),
            }
            for source in sources
        ],
        "statements": [
            _statement_json(item, added.get(item.statement.id, ()))
            for source in sources
            for item in classified[source.name]
        ],
        "shared_themes": shared,
        "additional_focus_areas": focus,
    }


def align(
    sources: Sequence[Source],
    taxonomy: Taxonomy | None = None,
    embedder: SentenceEmbedder | None = None,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """The shared-priorities analysis of ``sources`` (partnerships and one strategy), as JSON.

    The taxonomy defaults to the catalogue's, the embedder to the installed model.
    """
    check_sources(sources)
    if taxonomy is None:
        from safeguarding.themes.taxonomy import load_taxonomy

        taxonomy = load_taxonomy()
    if embedder is None:
        from safeguarding.themes.model import load_embedder

        embedder = load_embedder()
    classified = classify_sources(sources, taxonomy, embedder)
    return alignment_json(sources, classified, taxonomy, embedder.name, generated_at)


# --- Checking a file read back ---------------------------------------------------------------


def _fail(where: str, message: str) -> AlignmentProblem:
    return AlignmentProblem(f"{where}: {message}" if where else message)


def _dict(value: Any, where: str, required: Iterable[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, f"should be an object, not {_kind(value)}.")
    missing = [key for key in required if key not in value]
    if missing:
        raise _fail(where, f"is missing {', '.join(repr(key) for key in missing)}.")
    return value


def _list(value: Any, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, f"should be a list, not {_kind(value)}.")
    if len(value) > limit:
        raise _fail(where, f"has {len(value):,} entries; at most {limit:,} are allowed.")
    return value


def _text(value: Any, where: str, limit: int, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise _fail(where, f"should be text, not {_kind(value)}.")
    if not empty and not value.strip():
        raise _fail(where, "is empty.")
    if len(value) > limit:
        raise _fail(where, f"is {len(value):,} characters long; at most {limit:,} are allowed.")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise _fail(where, f"should be a number, not {_kind(value)}.")
    if not 0 <= value <= 1:
        raise _fail(where, f"should be between 0 and 1, not {value}.")
    return float(value)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    other = "a number" if isinstance(value, int | float) else "something else"
    return names.get(type(value), other)


def _theme_id(value: Any, where: str, known: set[str] | None) -> str:
    theme = _text(value, where, 100)
    if not THEME_ID.match(theme):
        raise _fail(where, f"{theme!r} is not a theme id (letters, digits, '_', '-' or '.').")
    if known is not None and theme not in known:
        raise _fail(where, f"the theme {theme!r} is not in the taxonomy and was not added by hand.")
    return theme


def _check_review(value: Any, known_statements: set[str]) -> set[str]:
    """Check the review block; return the theme ids a person added by hand."""
    review = _dict(value, "review", ["reviewed_by", "reviewed_at", "changes"])
    # Both are empty while a review has been started but not yet saved.
    _text(review["reviewed_by"], "review.reviewed_by", MAX_NAME_CHARS, empty=True)
    if review["reviewed_at"] != "":
        _timestamp(review["reviewed_at"], "review.reviewed_at")
    added: set[str] = set()
    for number, change in enumerate(_list(review["changes"], "review.changes", MAX_REVIEW_CHANGES)):
        where = f"review.changes[{number}]"
        change = _dict(change, where, ["action", "theme"])
        if change["action"] not in REVIEW_ACTIONS:
            raise _fail(
                f"{where}.action",
                f"{change['action']!r} is not one of {', '.join(REVIEW_ACTIONS)}.",
            )
        theme = _theme_id(change["theme"], f"{where}.theme", None)
        if change["action"] == "added":
            added.add(theme)
        if change.get("statement") is not None:
            _member(change["statement"], f"{where}.statement", known_statements, "statement")
        for key in ("before", "after", "note"):
            if change.get(key) is not None:
                _text(change[key], f"{where}.{key}", MAX_TEXT_CHARS, empty=True)
    return added


def _member(value: Any, where: str, known: Iterable[str], what: str) -> str:
    """``value`` as text, refused unless it is one of ``known``."""
    text = _text(value, where, 200)
    if text not in known:
        raise _fail(where, f"there is no {what} {text!r}.")
    return text


def _timestamp(value: Any, where: str) -> str:
    text = _text(value, where, 40)
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        example = "2025-12-08T10:00:00Z"
        raise _fail(where, f"{text!r} is not a date and time such as {example}.") from None
    return text


def validate_alignment(data: Any, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """Check an alignment JSON read back from a file or edited by a person; return it.

    Types and sizes are checked, every statement and source an entry names must exist, and every
    theme id must be in ``taxonomy`` (when given) or added by hand in the review; without a
    taxonomy, a theme id must at least appear on a statement or be added by hand. A statement
    with no ``heading`` (an older file) gets an empty one.
    """
    data = _dict(
        data,
        "",
        [
            "generated_at",
            "model",
            "sources",
            "statements",
            "shared_themes",
            "additional_focus_areas",
        ],
    )
    _timestamp(data["generated_at"], "generated_at")
    model = _dict(data["model"], "model", ["embedder", "taxonomy_version"])
    _text(model["embedder"], "model.embedder", MAX_NAME_CHARS)
    _text(model["taxonomy_version"], "model.taxonomy_version", MAX_NAME_CHARS)

    source_kinds: dict[str, str] = {}
    for number, source in enumerate(_list(data["sources"], "sources", MAX_SOURCES)):
        where = f"sources[{number}]"
        source = _dict(source, where, ["name", "kind", "sections"])
        name = _text(source["name"], f"{where}.name", MAX_NAME_CHARS)
        if name in source_kinds:
            raise _fail(f"{where}.name", f"the source {name!r} is named twice.")
        if source["kind"] not in SOURCE_KINDS:
            raise _fail(f"{where}.kind", f"{source['kind']!r} is not partnership or strategy.")
        source_kinds[name] = source["kind"]
        if source.get("file") is not None:
            _text(source["file"], f"{where}.file", 1000)
        sections = _dict(source["sections"], f"{where}.sections", [])
        for role, count in sections.items():
            if role not in SECTION_ROLES:
                raise _fail(f"{where}.sections", f"{role!r} is not a section role.")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise _fail(f"{where}.sections.{role}", "should be a count (0 or more).")
    if not source_kinds:
        raise _fail("sources", "is empty.")

    taxonomy_ids = {theme.id for theme in taxonomy.themes} if taxonomy is not None else None
    statement_sources: dict[str, str] = {}
    statement_themes: set[str] = set()
    statements = _list(data["statements"], "statements", MAX_STATEMENTS)
    for number, statement in enumerate(statements):
        where = f"statements[{number}]"
        statement = _dict(statement, where, ["id", "source", "section", "text", "page", "themes"])
        statement_id = _text(statement["id"], f"{where}.id", 200)
        if statement_id in statement_sources:
            raise _fail(f"{where}.id", f"the statement id {statement_id!r} is used twice.")
        statement_sources[statement_id] = _member(
            statement["source"], f"{where}.source", source_kinds, "source"
        )
        if statement["section"] not in SECTION_ROLES:
            raise _fail(f"{where}.section", f"{statement['section']!r} is not a section role.")
        statement.setdefault("heading", "")
        _text(statement["heading"], f"{where}.heading", MAX_TEXT_CHARS, empty=True)
        _text(statement["text"], f"{where}.text", MAX_TEXT_CHARS)
        page = statement["page"]
        if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 1):
            raise _fail(f"{where}.page", "should be a page number (1 or more) or null.")
        themes = _list(statement["themes"], f"{where}.themes", MAX_THEMES_PER_STATEMENT)
        for theme_number, assigned in enumerate(themes):
            theme_where = f"{where}.themes[{theme_number}]"
            assigned = _dict(assigned, theme_where, ["theme", "score"])
            statement_themes.add(_theme_id(assigned["theme"], f"{theme_where}.theme", None))
            _number(assigned["score"], f"{theme_where}.score")
            if assigned.get("evidence") is not None:
                _text(assigned["evidence"], f"{theme_where}.evidence", MAX_TEXT_CHARS, empty=True)

    added = (
        _check_review(data["review"], set(statement_sources))
        if data.get("review") is not None
        else set()
    )
    known = (taxonomy_ids if taxonomy_ids is not None else statement_themes) | added
    if taxonomy_ids is not None:
        for number, statement in enumerate(statements):
            for theme_number, assigned in enumerate(statement["themes"]):
                _theme_id(
                    assigned["theme"], f"statements[{number}].themes[{theme_number}].theme", known
                )

    listed: set[str] = set()
    for key in ("shared_themes", "additional_focus_areas"):
        for number, entry in enumerate(_list(data[key], key, MAX_THEMES)):
            where = f"{key}[{number}]"
            required = ["theme", "label", "sources", "strength"]
            if key == "shared_themes":
                required += ["evidence", "summary"]
            entry = _dict(entry, where, required)
            theme = _theme_id(entry["theme"], f"{where}.theme", known)
            if theme in listed:
                raise _fail(f"{where}.theme", f"the theme {theme!r} is listed twice.")
            listed.add(theme)
            _text(entry["label"], f"{where}.label", MAX_TEXT_CHARS)
            _number(entry["strength"], f"{where}.strength")
            names = _list(entry["sources"], f"{where}.sources", MAX_SOURCES)
            for name in names:
                _member(name, f"{where}.sources", source_kinds, "source")
            if len(set(names)) != len(names):
                raise _fail(f"{where}.sources", "names a source twice.")
            # A reviewer may add evidence to a focus area too; it is checked the same way.
            if "evidence" in entry:
                _check_evidence(entry, where, set(names), statement_sources)
            if "summary" in entry:
                _text(entry["summary"], f"{where}.summary", MAX_SUMMARY_CHARS, empty=True)
    return data


def _check_evidence(
    entry: dict[str, Any], where: str, names: set[str], statement_sources: Mapping[str, str]
) -> None:
    for number, quoted in enumerate(_list(entry["evidence"], f"{where}.evidence", MAX_EVIDENCE)):
        quoted_where = f"{where}.evidence[{number}]"
        quoted = _dict(quoted, quoted_where, ["source", "statement", "text"])
        _member(quoted["source"], f"{quoted_where}.source", names, "source of this theme")
        statement = quoted["statement"]
        # Evidence a person added by hand may quote no statement of the analysis (null).
        if statement is not None:
            _member(statement, f"{quoted_where}.statement", statement_sources, "statement")
            if statement_sources[statement] != quoted["source"]:
                raise _fail(
                    f"{quoted_where}.statement",
                    f"{statement} is a statement of {statement_sources[statement]}, "
                    f"not of {quoted['source']}.",
                )
        _text(quoted["text"], f"{quoted_where}.text", MAX_TEXT_CHARS)
