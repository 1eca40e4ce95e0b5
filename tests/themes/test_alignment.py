"""The shared-priorities analysis on small invented reports whose shared themes are known."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from safeguarding.documents.extract import read_document
from safeguarding.documents.model import SECTION_ROLES, Document, Statement
from safeguarding.themes import alignment
from safeguarding.themes.alignment import (
    HOLD_MIN_SCORE,
    SECOND_LOOK_HOLDER_SCORE,
    AlignmentProblem,
    Source,
    align,
    alignment_json,
    check_sources,
    classify_sources,
    holding_statements,
    holdings,
    holds,
    strength_of,
    validate_alignment,
)
from safeguarding.themes.classify import ClassifiedStatement, ThemeScore
from safeguarding.themes.model import SentenceEmbedder
from safeguarding.themes.summary import FRAME_WORDS, words
from safeguarding.themes.taxonomy import Taxonomy, taxonomy_from_yaml
from tests.themes.alignment_reports import (
    ADULTS,
    FOCUS,
    SHARED,
    SINGLE_SOURCE,
    TAXONOMY_YAML,
    write_reports,
)

MOMENT = datetime(2025, 12, 8, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def small_taxonomy() -> Taxonomy:
    return taxonomy_from_yaml(TAXONOMY_YAML)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Source]:
    paths = write_reports(tmp_path_factory.mktemp("reports"))
    return [
        Source(name, kind, read_document(paths[name], name), file=paths[name].name)
        for name, kind in (("LSCP", "partnership"), ("LSAB", "partnership"), ("HWS", "strategy"))
    ]


@pytest.fixture(scope="module")
def result(
    sources: list[Source], small_taxonomy: Taxonomy, embedder: SentenceEmbedder
) -> dict[str, Any]:
    return align(sources, small_taxonomy, embedder, generated_at=MOMENT)


def _statement(number: int, section: str, text: str, source: str = "LSCP") -> Statement:
    return Statement(f"{source}-{number}", source, section, section.title(), text, 1)  # type: ignore[arg-type]


def _document(source: str, statements: list[Statement]) -> Document:
    return Document(source, f"{source.lower()}.md", "markdown", None, None, [], statements)


# --- Which themes are shared -----------------------------------------------------------------


def test_the_themes_all_three_hold_are_shared(result: dict[str, Any]) -> None:
    shared = {entry["theme"]: entry for entry in result["shared_themes"]}
    assert set(shared) == SHARED
    for entry in shared.values():
        assert entry["sources"] == ["LSCP", "LSAB", "HWS"]


def test_a_theme_the_strategy_lacks_is_a_focus_area_not_shared(result: dict[str, Any]) -> None:
    focus = {entry["theme"]: entry for entry in result["additional_focus_areas"]}
    assert set(focus) == FOCUS
    assert focus["domestic_abuse"]["sources"] == ["LSCP", "LSAB"]
    assert focus["domestic_abuse"]["label"] == "Domestic abuse"


def test_a_theme_held_by_one_source_is_never_shared(result: dict[str, Any]) -> None:
    listed = {entry["theme"] for entry in result["shared_themes"]}
    listed |= {entry["theme"] for entry in result["additional_focus_areas"]}
    assert not listed & SINGLE_SOURCE
    # ...though the statements themselves were classified to them.
    assigned = {theme["theme"] for s in result["statements"] for theme in s["themes"]}
    assert SINGLE_SOURCE <= assigned


def test_the_strategy_and_one_partnership_do_not_make_a_shared_theme(
    sources: list[Source], small_taxonomy: Taxonomy, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    adults = tmp_path / "lsab.md"
    adults.write_text(
        ADULTS + "- Reduce homelessness and help more residents into safe, affordable homes.\n",
        encoding="utf-8",
    )
    changed = [sources[0], Source("LSAB", "partnership", read_document(adults, "LSAB")), sources[2]]
    data = align(changed, small_taxonomy, embedder, generated_at=MOMENT)
    focus = {entry["theme"]: entry["sources"] for entry in data["additional_focus_areas"]}
    assert focus["housing"] == ["LSAB", "HWS"]
    assert "housing" not in {entry["theme"] for entry in data["shared_themes"]}


def test_a_weak_shared_theme_becomes_a_focus_area(
    sources: list[Source],
    small_taxonomy: Taxonomy,
    embedder: SentenceEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(alignment, "SHARED_MIN_STRENGTH", 0.99)
    data = align(sources, small_taxonomy, embedder, generated_at=MOMENT)
    assert data["shared_themes"] == []
    assert {entry["theme"] for entry in data["additional_focus_areas"]} == SHARED | FOCUS


def test_shared_themes_are_ranked_by_strength(result: dict[str, Any]) -> None:
    for key in ("shared_themes", "additional_focus_areas"):
        strengths = [entry["strength"] for entry in result[key]]
        assert strengths == sorted(strengths, reverse=True)
        assert all(0 < value <= 1 for value in strengths)


# --- The JSON --------------------------------------------------------------------------------


def test_the_json_has_the_keys_and_types_of_the_spec(result: dict[str, Any]) -> None:
    assert json.loads(json.dumps(result)) == result
    assert set(result) == {
        "generated_at",
        "model",
        "sources",
        "statements",
        "shared_themes",
        "additional_focus_areas",
    }
    assert result["generated_at"] == "2025-12-08T10:00:00Z"
    assert result["model"] == {"embedder": "all-MiniLM-L6-v2-int8", "taxonomy_version": "test-1"}
    assert [(s["name"], s["kind"], s["file"]) for s in result["sources"]] == [
        ("LSCP", "partnership", "lscp.md"),
        ("LSAB", "partnership", "lsab.md"),
        ("HWS", "strategy", "hws.md"),
    ]
    for source in result["sources"]:
        assert set(source) == {"name", "kind", "file", "sections"}
        assert set(source["sections"]) <= set(SECTION_ROLES)
        assert all(isinstance(count, int) and count > 0 for count in source["sections"].values())
    assert result["sources"][0]["sections"]["priorities"] == 4
    for statement in result["statements"]:
        assert set(statement) == {"id", "source", "section", "heading", "text", "page", "themes"}
        assert re.fullmatch(rf"{statement['source']}-\d+", statement["id"])
        assert statement["section"] in SECTION_ROLES and isinstance(statement["heading"], str)
        for theme in statement["themes"]:
            assert set(theme) == {"theme", "score", "evidence"}
            assert 0 < theme["score"] <= 1 and theme["evidence"]
    for source in result["sources"]:
        listed = [s for s in result["statements"] if s["source"] == source["name"]]
        assert sum(source["sections"].values()) == len(listed)
    for entry in result["shared_themes"]:
        assert set(entry) == {"theme", "label", "sources", "strength", "evidence", "summary"}
    for entry in result["additional_focus_areas"]:
        assert set(entry) == {"theme", "label", "sources", "strength"}


def test_the_priorities_are_where_statements_say(result: dict[str, Any]) -> None:
    by_id = {statement["id"]: statement for statement in result["statements"]}
    assert by_id["LSCP-5"]["section"] == "priorities"
    assert by_id["LSCP-5"]["themes"][0]["theme"] == "transitions"
    assert by_id["LSCP-2"]["section"] == "achievements"  # neglect: an achievement only


def test_evidence_is_quoted_exactly_from_every_source_named(result: dict[str, Any]) -> None:
    by_id = {statement["id"]: statement for statement in result["statements"]}
    for entry in result["shared_themes"]:
        per_source: dict[str, int] = {}
        for quoted in entry["evidence"]:
            statement = by_id[quoted["statement"]]
            assert quoted["source"] == statement["source"]
            assert quoted["text"] and quoted["text"] in statement["text"]
            assert entry["theme"] in {theme["theme"] for theme in statement["themes"]}
            assert statement["section"] == "priorities"  # each source has priorities here
            per_source[quoted["source"]] = per_source.get(quoted["source"], 0) + 1
        assert set(per_source) == set(entry["sources"])
        assert all(1 <= count <= alignment.MAX_EVIDENCE_PER_SOURCE for count in per_source.values())


def test_summaries_hold_only_words_of_the_evidence_and_the_frame(result: dict[str, Any]) -> None:
    for entry in result["shared_themes"]:
        allowed = set(FRAME_WORDS)
        for name in entry["sources"]:
            allowed |= {name.lower(), f"{name.lower()}'s"}
        for quoted in entry["evidence"]:
            allowed |= set(words(quoted["text"]))
        summary = entry["summary"]
        assert set(words(summary)) <= allowed, summary
        for name in entry["sources"]:
            assert name in summary
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", summary)) <= 2


def test_generated_at_is_utc_with_a_z(
    sources: list[Source], small_taxonomy: Taxonomy, embedder: SentenceEmbedder
) -> None:
    moment = datetime(2025, 6, 1, 12, 30, tzinfo=timezone(timedelta(hours=1)))
    data = align(sources, small_taxonomy, embedder, generated_at=moment)
    assert data["generated_at"] == "2025-06-01T11:30:00Z"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", align(sources, small_taxonomy, embedder)["generated_at"]
    )


def test_statements_are_renamed_after_their_source(
    small_taxonomy: Taxonomy, embedder: SentenceEmbedder
) -> None:
    texts = ["Improve transitions into adulthood.", "Tackle domestic abuse."]
    documents = {
        name: _document(
            "doc", [_statement(n, "priorities", t, "doc") for n, t in enumerate(texts, 1)]
        )
        for name in ("CP", "AB", "HS")
    }
    data = align(
        [
            Source("CP", "partnership", documents["CP"]),
            Source("AB", "partnership", documents["AB"]),
            Source("HS", "strategy", documents["HS"]),
        ],
        small_taxonomy,
        embedder,
    )
    assert [s["id"] for s in data["statements"]] == ["CP-1", "CP-2", "AB-1", "AB-2", "HS-1", "HS-2"]
    assert {s["source"] for s in data["statements"]} == {"CP", "AB", "HS"}
    assert [entry["theme"] for entry in data["shared_themes"]][:1] == ["transitions"]


# --- Holding a theme -------------------------------------------------------------------------


def test_strength_grows_with_support_and_saturates() -> None:
    one, two, many = strength_of([0.8]), strength_of([0.8, 0.8]), strength_of([0.8] * 20)
    assert 0 < one < two < many <= 0.8
    assert many == pytest.approx(0.8, abs=1e-4)
    assert strength_of([0.8, 0.3]) < two  # a weak second statement adds less
    assert strength_of([]) == 0.0
    assert 0 <= strength_of([1.5, 2.0]) <= 1


def test_without_priorities_a_source_holds_its_strongest_statements(
    small_taxonomy: Taxonomy, embedder: SentenceEmbedder
) -> None:
    texts = [
        "We disrupted county lines and the criminal exploitation of children with the police.",
        "Our refuge partners supported 200 families affected by domestic abuse.",
        "The partnership met four times in the town hall.",
        "The car park at the civic centre was resurfaced.",
        "The annual budget was agreed in March.",
        "We published the minutes of every meeting.",
        "Practitioners learned to recognise neglect in the early years.",
    ]
    statements = [_statement(n, "achievements", text) for n, text in enumerate(texts, 1)]
    source = Source("LSCP", "partnership", _document("LSCP", statements))
    classified = classify_sources([source], small_taxonomy, embedder)["LSCP"]
    themed = [item for item in classified if item.themes]
    pool = holding_statements(source, classified)
    assert len(pool) == max(alignment.STRONGEST_AT_LEAST, -(-len(themed) * 4 // 10))
    assert all(item.themes for item in pool)
    weakest_kept = min(item.themes[0].score for item in pool)
    assert all(item.themes[0].score <= weakest_kept for item in themed if item not in pool)
    held = holds(source, "exploitation", pool)
    assert held is not None and 0 < held.strength <= 1
    assert held.support[0].classified.statement.id == "LSCP-1"
    assert holds(source, "housing", pool) is None


def test_priorities_outweigh_the_rest_of_a_report(
    sources: list[Source], small_taxonomy: Taxonomy, embedder: SentenceEmbedder
) -> None:
    classified = classify_sources(sources[:1], small_taxonomy, embedder)["LSCP"]
    pool = holding_statements(sources[0], classified)
    assert {item.statement.section for item in pool} == {"priorities"}
    assert holds(sources[0], "neglect", pool) is None  # only among its achievements


PRIORITY = "priorities"


def _classified(
    source: str, rows: list[tuple[str, str, dict[str, float]]]
) -> tuple[Source, list[ClassifiedStatement]]:
    """A source whose statements (section, text, {theme: score}) are classified by hand."""
    statements = [
        _statement(n, section, text, source) for n, (section, text, _) in enumerate(rows, 1)
    ]
    classified = [
        ClassifiedStatement(
            statement,
            tuple(
                ThemeScore(theme, score, "by hand")
                for theme, score in sorted(themes.items(), key=lambda item: -item[1])
            ),
        )
        for statement, (_, _, themes) in zip(statements, rows, strict=True)
    ]
    kind = "strategy" if source == "HWS" else "partnership"
    return Source(source, kind, _document(source, statements)), classified  # type: ignore[arg-type]


def test_lead_ins_sentences_about_the_plan_and_figures_are_not_priorities() -> None:
    source, classified = _classified(
        "LSCP",
        [
            (PRIORITY, "The partnership has agreed four priorities for next year.", {"rule": 0.6}),
            (PRIORITY, "Every priority has a lead agency and an action plan.", {"rule": 0.7}),
            (PRIORITY, "One child in five lives in a cold or damp home.", {"housing": 0.7}),
            (PRIORITY, "Help families living in cold and damp homes.", {"housing": 0.65}),
        ],
    )  # fmt: skip
    pool = holding_statements(source, classified)
    assert [item.statement.id for item in pool] == ["LSCP-4"]
    assert holds(source, "rule", pool) is None
    assert holds(source, "housing", pool) is not None


def test_a_strategy_holds_its_priorities_not_its_introduction() -> None:
    rows = [
        ("overview", "Residents told us that loneliness worries them most.", {"loneliness": 0.7}),
        ("recommendations", "Services should be closer to home.", {"access": 0.6}),
        ("priorities", "Give every child the best start in life.", {"early_years": 0.7}),
    ]
    source, classified = _classified("HWS", rows)
    pool = holding_statements(source, classified)
    assert [item.statement.section for item in pool] == ["priorities"]
    # With no priorities section, its overview and what it recommends are its aims.
    source, classified = _classified("HWS", rows[:2])
    pool = holding_statements(source, classified)
    assert {item.statement.section for item in pool} == {"overview", "recommendations"}
    assert holds(source, "loneliness", pool) is not None


def test_a_theme_only_brushed_by_priorities_is_not_held() -> None:
    weak = {"carers": HOLD_MIN_SCORE - 0.05}
    source, classified = _classified(
        "LSAB",
        [
            (PRIORITY, "Stop fraud against older people, with carers.", {"fraud": 0.7, **weak}),
            (PRIORITY, "Train staff in every agency to spot fraud.", {"fraud": 0.6, **weak}),
            (PRIORITY, "Support people who look after a relative.", {"carers": HOLD_MIN_SCORE}),
        ],
    )  # fmt: skip
    pool = holding_statements(source, classified)
    assert holds(source, "fraud", pool) is not None
    assert holds(source, "carers", pool[:2]) is None  # two weak matches are not a commitment
    held = holds(source, "carers", pool)  # one clear statement is
    assert held is not None and held.support[0].classified.statement.id == "LSAB-3"


def _with_runners_up(
    classified: list[ClassifiedStatement], runners_up: dict[str, dict[str, float]]
) -> list[ClassifiedStatement]:
    """The statements with runners-up ({statement id: {theme: score}}) added by hand."""
    return [
        replace(
            item,
            runners_up=tuple(
                ThemeScore(theme, score, "by hand")
                for theme, score in runners_up.get(item.statement.id, {}).items()
            ),
        )
        for item in classified
    ]


def _three_sources(
    lsab_score: float, hws_themes: dict[str, float], hws_runners_up: dict[str, float]
) -> tuple[list[Source], dict[str, list[ClassifiedStatement]]]:
    """Two partnerships holding exploitation (the adults' board at ``lsab_score``) and a
    strategy whose one priority is about violence, with exploitation as given."""
    lscp = _classified(
        "LSCP", [(PRIORITY, "Keep teenagers safe from exploitation.", {"exploitation": 0.7})]
    )
    lsab = _classified(
        "LSAB", [(PRIORITY, "Protect adults who are exploited.", {"exploitation": lsab_score})]
    )
    hws_source, hws = _classified(
        "HWS",
        [(PRIORITY, "Cut serious violence among young people.", {"violence": 0.7, **hws_themes})],
    )
    hws = _with_runners_up(hws, {"HWS-1": hws_runners_up})
    sources = [lscp[0], lsab[0], hws_source]
    return sources, {"LSCP": lscp[1], "LSAB": lsab[1], "HWS": hws}


def test_a_theme_two_sources_hold_clearly_is_found_in_the_third_on_a_second_look(
    small_taxonomy: Taxonomy,
) -> None:
    sources, classified = _three_sources(0.6, {}, {"exploitation": 0.35})
    found = holdings(sources, classified)
    assert [h.source.name for h in found["exploitation"]] == ["LSCP", "LSAB", "HWS"]
    assert [h.second_look for h in found["exploitation"]] == [False, False, True]
    data = alignment_json(sources, classified, small_taxonomy, "test", MOMENT)
    (shared,) = [entry for entry in data["shared_themes"] if entry["theme"] == "exploitation"]
    assert {"source": "HWS", "statement": "HWS-1"} in [
        {"source": e["source"], "statement": e["statement"]} for e in shared["evidence"]
    ]
    # The statement quoted lists the theme, saying how it was found.
    (statement,) = [s for s in data["statements"] if s["id"] == "HWS-1"]
    assert [t["theme"] for t in statement["themes"]] == ["violence", "exploitation"]
    assert statement["themes"][1]["evidence"].startswith("second look: held clearly by LSCP, LSAB")
    validate_alignment(data)


def test_a_theme_assigned_weakly_is_held_on_a_second_look() -> None:
    # Assigned by the classifier but under HOLD_MIN_SCORE: the second look accepts it.
    sources, classified = _three_sources(0.6, {"exploitation": HOLD_MIN_SCORE - 0.1}, {})
    assert holds(sources[2], "exploitation", classified["HWS"]) is None
    held = {h.source.name: h for h in holdings(sources, classified)["exploitation"]}
    assert held["HWS"].second_look and held["HWS"].support[0].classified.statement.id == "HWS-1"


def test_no_second_look_without_two_clear_holders_or_a_near_theme() -> None:
    # The adults' board holds exploitation, but not clearly: only one source does.
    weak = SECOND_LOOK_HOLDER_SCORE - 0.05
    assert weak >= HOLD_MIN_SCORE
    sources, classified = _three_sources(weak, {}, {"exploitation": 0.45})
    assert [h.source.name for h in holdings(sources, classified)["exploitation"]] == [
        "LSCP",
        "LSAB",
    ]
    # Two clear holders, but the strategy's statement does not nearly have the theme.
    sources, classified = _three_sources(0.6, {}, {"carers": 0.45})
    found = holdings(sources, classified)
    assert [h.source.name for h in found["exploitation"]] == ["LSCP", "LSAB"]
    assert "carers" not in found


def test_priorities_set_out_in_a_table_are_held(
    sources: list[Source], small_taxonomy: Taxonomy, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    table = ADULTS.split("## Priorities for 2025-26")[0] + (
        "## Priorities for 2025-26\n\n"
        "| Priority | What we will do | Lead |\n"
        "|---|---|---|\n"
        "| Moving on | Support young people moving into adulthood, with a focus on transitions "
        "from children's services. | Director of adult services |\n"
        "| Wellbeing | Improve the response to adults with mental ill-health and poor emotional "
        "wellbeing. | Mental health trust |\n"
        "| Home safety | Strengthen the response to domestic abuse, including for older victims. "
        "| Police |\n"
    )
    adults = tmp_path / "lsab.md"
    adults.write_text(table, encoding="utf-8")
    changed = [sources[0], Source("LSAB", "partnership", read_document(adults, "LSAB")), sources[2]]
    data = align(changed, small_taxonomy, embedder, generated_at=MOMENT)
    assert {entry["theme"] for entry in data["shared_themes"]} == SHARED
    quoted = [
        item["text"]
        for entry in data["shared_themes"]
        for item in entry["evidence"]
        if item["source"] == "LSAB"
    ]
    assert any("Moving on. Support young people moving into adulthood" in text for text in quoted)


# --- Refusing sources that cannot be aligned -------------------------------------------------


def _with(sources: list[Source], **changes: Any) -> list[Source]:
    from dataclasses import replace

    return [replace(sources[0], **changes), *sources[1:]]


@pytest.mark.parametrize(
    ("change", "words_in_message"),
    [
        (lambda s: s[1:], "at least 2 partnerships"),
        (lambda s: [*s, Source("HWS2", "strategy", s[2].document)], "exactly one strategy"),
        (lambda s: s[:2], "exactly one strategy"),
        (lambda s: _with(s, name="LSAB"), "both named LSAB"),
        (lambda s: _with(s, name="a=b"), "cannot name a source"),
        (lambda s: _with(s, document=_document("LSCP", [])), "No statements were found"),
    ],
)
def test_sources_that_cannot_be_aligned_are_refused(
    sources: list[Source], change: Callable[[list[Source]], list[Source]], words_in_message: str
) -> None:
    with pytest.raises(AlignmentProblem, match=words_in_message):
        check_sources(change(sources))


# --- Checking a file read back ---------------------------------------------------------------


def test_the_analysis_passes_its_own_check(
    result: dict[str, Any], small_taxonomy: Taxonomy
) -> None:
    read_back = json.loads(json.dumps(result))
    assert validate_alignment(read_back, small_taxonomy) == result
    assert validate_alignment(copy.deepcopy(result)) == result


def _first_evidence(data: dict[str, Any]) -> dict[str, Any]:
    return data["shared_themes"][0]["evidence"][0]


def _break(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change that sets ``value`` at a dotted ``path`` (numbers index lists)."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = data
        for key in parents:
            target = target[key]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return change


_DELETE = object()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_break("statements", _DELETE), "missing 'statements'"),
        (_break("generated_at", "yesterday"), "generated_at: 'yesterday' is not a date"),
        (_break("model.embedder", 7), "model.embedder: should be text"),
        (_break("sources.0.kind", "council"), "not partnership or strategy"),
        (_break("sources.1.name", "LSCP"), "named twice"),
        (_break("sources.0.sections.summary", 3), "'summary' is not a section role"),
        (_break("statements.0.id", "LSCP-2"), "used twice"),
        (_break("statements.0.source", "Elsewhere"), "there is no source 'Elsewhere'"),
        (_break("statements.0.section", "gossip"), "not a section role"),
        (_break("statements.0.page", 0), "page number"),
        (_break("statements.0.text", "   "), "statements[0].text: is empty"),
        (_break("statements.4.themes.0.score", 1.5), "between 0 and 1"),
        (_break("statements.4.themes.0.score", True), "should be a number"),
        (_break("statements.4.themes.0.theme", "made_up"), "not in the taxonomy"),
        (_break("shared_themes.0.theme", "made_up"), "not in the taxonomy"),
        (_break("shared_themes.0.sources", ["LSCP", "Nowhere"]), "no source 'Nowhere'"),
        (_break("shared_themes.0.evidence.0.statement", "LSCP-999"), "no statement 'LSCP-999'"),
        (_break("shared_themes.0.evidence.0.statement", ["LSCP-1"]), "should be text"),
        (_break("shared_themes.0.evidence.0.statement", "LSAB-3"), "a statement of LSAB"),
        (_break("shared_themes.0.summary", _DELETE), "missing 'summary'"),
        (_break("shared_themes.1.theme", "transitions"), "listed twice"),
        (_break("additional_focus_areas.0.strength", "high"), "should be a number"),
        (
            _break(
                "additional_focus_areas.0.evidence",
                [{"source": "HWS", "statement": None, "text": "Added by a reviewer."}],
            ),
            "no source of this theme 'HWS'",
        ),
        (_break("shared_themes", {}), "shared_themes: should be a list"),
    ],
)
def test_broken_files_are_refused(
    result: dict[str, Any],
    small_taxonomy: Taxonomy,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    data = copy.deepcopy(result)
    assert data["shared_themes"][0]["theme"] == "transitions"
    assert data["statements"][4]["themes"]  # LSCP-5, a priority with a theme
    change(data)
    with pytest.raises(AlignmentProblem, match=re.escape(message)):
        validate_alignment(data, small_taxonomy)


def test_sizes_are_bounded(result: dict[str, Any]) -> None:
    data = copy.deepcopy(result)
    data["statements"][0]["text"] = "x" * (alignment.MAX_TEXT_CHARS + 1)
    with pytest.raises(AlignmentProblem, match="characters long"):
        validate_alignment(data)
    data = copy.deepcopy(result)
    data["sources"] = data["sources"] * (alignment.MAX_SOURCES // 3 + 1)
    with pytest.raises(AlignmentProblem, match="at most"):
        validate_alignment(data)


def test_a_theme_added_by_hand_in_the_review_is_accepted(
    result: dict[str, Any], small_taxonomy: Taxonomy
) -> None:
    data = copy.deepcopy(result)
    data["shared_themes"].append(
        {
            "theme": "carers",
            "label": "Carers",
            "sources": ["LSAB"],
            "strength": 0.0,
            "evidence": [{"source": "LSAB", "statement": None, "text": "Typed by a reviewer."}],
            "summary": "",
        }
    )
    with pytest.raises(AlignmentProblem, match="'carers' is not in the taxonomy"):
        validate_alignment(copy.deepcopy(data), small_taxonomy)
    data["review"] = {
        "reviewed_by": "a.officer",
        "reviewed_at": "2025-12-09T09:00:00Z",
        "changes": [
            {
                "action": "added",
                "theme": "carers",
                "statement": None,
                "before": None,
                "after": "Carers",
                "note": None,
            }
        ],
    }
    assert validate_alignment(data, small_taxonomy)["shared_themes"][-1]["theme"] == "carers"
    data["review"]["changes"][0]["action"] = "liked"
    with pytest.raises(AlignmentProblem, match="'liked' is not one of"):
        validate_alignment(data, small_taxonomy)


def test_an_older_file_without_headings_is_read(result: dict[str, Any]) -> None:
    data = copy.deepcopy(result)
    for statement in data["statements"]:
        del statement["heading"]
    assert all(s["heading"] == "" for s in validate_alignment(data)["statements"])


def test_not_an_object_is_refused() -> None:
    with pytest.raises(AlignmentProblem, match="should be an object, not a list"):
        validate_alignment([])
