"""The alignment evaluation's scoring rules, and the integrity of its boroughs (no model needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import docx
import pytest

from safeguarding.themes.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]


def _load_runner() -> ModuleType:
    # evaluation/ is a folder of scripts, not a package: load the runner from its file.
    spec = importlib.util.spec_from_file_location(
        "run_alignment", ROOT / "evaluation" / "run_alignment.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


run = _load_runner()
CASES = [*run.load_cases(held_out=False), *run.load_cases(held_out=True)]


# --- matching -------------------------------------------------------------------------------


def test_normalise_ignores_case_punctuation_whitespace_and_apostrophe_style() -> None:
    assert run.normalise("  Children\u2019s  services:\nthe FRONT door! ") == (
        "childrens services the front door"
    )
    assert run.normalise("children's") == run.normalise("childrens")


def test_evidence_matches_the_same_sentence_despite_formatting() -> None:
    expected = "Tackle domestic abuse and violence against women and girls, so that help comes."
    assert run.evidence_matches(
        "tackle domestic abuse and violence against women and girls, so that help comes", expected
    )
    assert run.evidence_matches(
        "**Tackle** domestic  abuse and violence against women and girls - so that help comes.",
        expected,
    )


def test_evidence_matches_a_part_or_a_whole_that_contains_it() -> None:
    expected = "Reduce serious violence and the exploitation of young people by criminal gangs."
    assert run.evidence_matches("the exploitation of young people by criminal gangs", expected)
    assert run.evidence_matches(
        "Priority 3. Reduce serious violence and the exploitation of young people by criminal "
        "gangs. We will work with the police.",
        expected,
    )


def test_evidence_does_not_match_short_fragments_partial_words_or_other_text() -> None:
    expected = "Support unpaid carers, recognising the strain that caring can place on families."
    assert not run.evidence_matches("unpaid carers", expected)  # too short to count
    assert not run.evidence_matches("", expected)
    # Whole words only: "carer" inside "carers" is not the same run of words.
    assert not run.evidence_matches(
        "Support unpaid carer recognising the strain that caring can place", expected
    )
    assert not run.evidence_matches("Support young carers in schools and colleges", expected)


# --- scoring ----------------------------------------------------------------------------------


def test_score_ids_counts_hits_predictions_and_expectations() -> None:
    counts = run.score_ids(["a", "b", "c", "c"], ["b", "c", "d", "e"])
    assert (counts.correct_predicted, counts.predicted, counts.expected) == (2, 3, 4)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(0.5)


def test_precision_and_recall_are_none_with_nothing_to_divide_by() -> None:
    counts = run.score_ids([], [])
    assert counts.precision is None and counts.recall is None
    assert run.score_ids([], ["a"]).recall == 0.0


EXPECTED_EVIDENCE = {
    "exploitation": {
        "CSCP": [
            "Protect children from exploitation and harm outside the home.",
            "Extend contextual safeguarding to parks and transport hubs.",
        ],
        "SAB": ["Improve the response to adults whose homes are taken over by drug dealers."],
    },
    "carers": {"SAB": ["Support unpaid carers and young carers in the borough."]},
}


def test_score_evidence_on_a_hand_made_case() -> None:
    item = run.EvidenceItem
    predicted = [
        item("exploitation", "CSCP", "Protect children from exploitation and harm"),  # part: ok
        item("exploitation", "CSCP", "Protect children from exploitation and harm"),  # repeat
        item("exploitation", "SAB", "Protect children from exploitation and harm"),  # wrong source
        item("exploitation", "SAB", "Improve the response to adults whose homes are taken over"),
        item("carers", "CSCP", "Support unpaid carers and young carers in the borough."),  # source
        item("online_safety", "CSCP", "Keep children safe online at home and school."),  # theme
    ]
    counts = run.score_evidence(predicted, EXPECTED_EVIDENCE)
    # Five distinct items, two of them right; four expected sentences, two of them found.
    assert (counts.correct_predicted, counts.predicted) == (2, 5)
    assert (counts.found_expected, counts.expected) == (2, 4)


def test_one_long_predicted_statement_can_find_two_expected_sentences() -> None:
    paragraph = (
        "Protect children from exploitation and harm outside the home. Extend contextual "
        "safeguarding to parks and transport hubs."
    )
    counts = run.score_evidence(
        [run.EvidenceItem("exploitation", "CSCP", paragraph)], EXPECTED_EVIDENCE
    )
    assert (counts.correct_predicted, counts.predicted) == (1, 1)
    assert counts.found_expected == 2


def test_score_borough_scores_each_measure_and_says_what_went_wrong() -> None:
    alignment = {
        "shared_themes": [
            {
                "theme": "exploitation",
                "evidence": [
                    {
                        "source": "SAB",
                        "statement": "SAB-3",
                        "text": EXPECTED_EVIDENCE["exploitation"]["SAB"][0],
                    },
                ],
            },
            {
                "theme": "neglect",
                "evidence": [{"source": "SAB", "statement": "SAB-9", "text": "Neglect in care."}],
            },
        ],
        "additional_focus_areas": [{"theme": "carers"}, {"theme": "online_safety"}],
    }
    expected = {
        "shared_themes": ["exploitation", "carers"],
        "additional_focus_areas": ["neglect", "online_safety"],
        "evidence": EXPECTED_EVIDENCE,
    }
    score = run.score_borough("Testford", alignment, expected)
    assert (score.shared.precision, score.shared.recall) == (0.5, 0.5)
    assert (score.evidence.correct_predicted, score.evidence.predicted) == (1, 2)
    assert (score.evidence.found_expected, score.evidence.expected) == (1, 4)
    assert (score.focus.precision, score.focus.recall) == (0.5, 0.5)
    # Only the exploitation theme was both predicted and expected: 1 of its 3 sentences found.
    assert (score.evidence_on_hits.found_expected, score.evidence_on_hits.expected) == (1, 3)
    assert "missed shared theme carers (reported as a focus area)" in score.notes
    assert "extra shared theme neglect (expected as a focus area)" in score.notes


def test_meets_target_needs_all_four_figures_at_or_above_it() -> None:
    good = run.Counts(8, 10, 8, 10)
    weak = run.Counts(7, 10, 7, 10)
    assert run.meets_target(run.BoroughScore("x", good, good, weak, weak))
    assert not run.meets_target(run.BoroughScore("x", good, weak, good, good))
    assert not run.meets_target(run.BoroughScore("x", run.Counts(), good, good, good))


# --- the boroughs themselves ----------------------------------------------------------------


def test_there_are_six_development_and_two_held_out_boroughs_named_in_the_readme() -> None:
    development = run.load_cases(held_out=False)
    held_out = run.load_cases(held_out=True)
    assert len(development) == 6 and len(held_out) == 2
    readme = (ROOT / "evaluation" / "alignment" / "README.md").read_text(encoding="utf-8")
    for case in [*development, *held_out]:
        assert case.borough in readme
    # Each held-out borough's table row names its held_out/ folder.
    for case in held_out:
        assert f"`held_out/{case.folder.name}`" in readme


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.folder.name)
def test_expected_themes_follow_from_what_each_source_holds(case: object) -> None:
    expected = case.expected  # type: ignore[attr-defined]
    sources = [d.source for d in case.documents]  # type: ignore[attr-defined]
    held = expected["held"]
    assert sorted(held) == sorted(sources)
    strategy = next(d.source for d in case.documents if d.kind == "strategy")  # type: ignore[attr-defined]
    others = [s for s in sources if s != strategy]
    shared = {t for t in held[strategy] if sum(t in held[s] for s in others) >= 2}
    assert set(expected["shared_themes"]) == shared
    counts = {t: sum(t in held[s] for s in sources) for s in sources for t in held[s]}
    assert set(expected["additional_focus_areas"]) == {
        t for t, n in counts.items() if n >= 2 and t not in shared
    }
    # Every theme id is one of the taxonomy's, and every shared theme has evidence from every
    # source.
    known = {theme.id for theme in load_taxonomy().themes}
    assert {t for themes in held.values() for t in themes} <= known
    assert sorted(expected["evidence"]) == sorted(shared)
    for theme, by_source in expected["evidence"].items():
        assert sorted(by_source) == sorted(sources), theme
        assert all(by_source[s] for s in sources), theme


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.folder.name)
def test_every_expected_evidence_sentence_is_quoted_verbatim_from_its_document(
    case: object,
) -> None:
    documents = {d.source: d for d in case.documents}  # type: ignore[attr-defined]
    for theme, by_source in case.expected["evidence"].items():  # type: ignore[attr-defined]
        for source, sentences in by_source.items():
            text = run.plain_text(documents[source].path)
            for sentence in sentences:
                assert " ".join(sentence.split()) in text, f"{theme}/{source}: {sentence}"


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if any(d.convert_to for d in c.documents)],
    ids=lambda c: c.folder.name,
)
def test_documents_kept_as_word_files_keep_their_quotes_and_structure(
    case: object, tmp_path: Path
) -> None:
    for item in case.documents:  # type: ignore[attr-defined]
        if item.convert_to != "docx":
            continue
        out = tmp_path / f"{item.path.stem}.docx"
        run.markdown_to_docx(item.path.read_text(encoding="utf-8"), out)
        word = docx.Document(str(out))
        paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
        assert paragraphs[0][0] == "Heading 1"
        assert any(style == "List Bullet" or style == "List Number" for style, _ in paragraphs)
        assert all("**" not in text for _, text in paragraphs)
        cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
        text = " ".join(" ".join([t for _, t in paragraphs] + cells).split())
        for by_source in case.expected["evidence"].values():  # type: ignore[attr-defined]
            for sentence in by_source.get(item.source, []):
                assert sentence in text
