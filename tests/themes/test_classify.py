"""Classifying statements to themes: measured on statements written here, never on the
alignment evaluation set (the classifier's constants were chosen on these)."""

# ruff: noqa: E501  (the statement tables read best one statement a line)

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pytest

from safeguarding.documents.model import Statement
from safeguarding.themes import classify
from safeguarding.themes.alignment import HOLD_MIN_SCORE
from safeguarding.themes.classify import (
    MAX_THEMES_WITH_CLAUSES,
    RUNNER_UP_RANKS,
    THRESHOLD,
    ClassifiedStatement,
    classify_statements,
    clauses,
    keyword_bonus,
    score_texts,
    words,
)
from safeguarding.themes.model import SentenceEmbedder
from safeguarding.themes.taxonomy import Taxonomy, taxonomy_from_yaml

# The same ideas as a theme's examples, in other words (mostly without its keywords).
PARAPHRASES = [
    ("domestic_abuse", "Victims fleeing violence from their partners will get faster access to safe places to stay."),
    ("exploitation", "Young people groomed into selling drugs across the region are protected and diverted."),
    ("self_neglect", "Some older residents were living in squalor and would not let professionals in."),
    ("information_sharing", "Records held by different services were not joined up, so nobody saw the full picture of risk."),
    ("mental_capacity", "Whether the man could understand and weigh up the decision to refuse treatment was never formally tested."),
    ("suicide_prevention", "Fewer people will take their own lives in Larkhaven."),
    ("safe_homes", "Families were placed in bed and breakfast hotels for months."),
    ("education_attendance", "Too many pupils are missing lessons regularly since the pandemic."),
    ("early_years", "Expectant parents and newborns receive consistent support from midwives."),
    ("substance_misuse", "Parents who are dependent on heroin or crack cocaine are helped into recovery."),
    ("online_safety", "Children are being blackmailed after sending intimate pictures through apps."),
    ("financial_abuse", "A relative emptied an elderly man's bank account."),
    ("modern_slavery", "Workers were found living in cramped conditions and paid nothing at a factory."),
    ("workforce_training", "High turnover of social work staff means families often see a new worker."),
    ("carers", "Family members who look after a relative without pay are often exhausted."),
    ("loneliness_isolation", "Many older people told us they can go days without speaking to anyone."),
    ("healthy_weight", "More residents are walking, cycling and eating better."),
    ("poverty_cost_of_living", "Rising energy bills and rents mean more households cannot afford essentials."),
    ("neglect", "Children arrived at school hungry, unwashed and wearing dirty clothes."),
    ("community_safety", "Stabbings involving teenagers have increased in the town centre."),
    ("health_inequalities", "People in the poorest neighbourhoods die ten years earlier than those in the wealthiest."),
    ("send_disability", "Children with additional needs wait too long for their plans to be agreed."),
    ("learning_from_reviews", "Recommendations from the review into the death of a local toddler are being put into practice."),
    ("transitions_to_adulthood", "Support for vulnerable teenagers should not end abruptly on their eighteenth birthday."),
    ("voice_lived_experience", "We asked children what they thought of the help they received and changed our service."),
    ("professional_curiosity", "Workers accepted the mother's explanation without checking who the man in the house was."),
    ("organisational_abuse", "Residents of the nursing home were left in wet beds for hours because of staffing shortages."),
]  # fmt: skip

UNRELATED = [
    "The car park on the high street will be resurfaced next spring.",
    "The meeting room on the second floor has a new projector.",
    "The library will extend its opening hours on Saturdays.",
    "Planning permission was granted for a new supermarket.",
    "The weather in July was unusually warm and dry.",
    "Bus timetables changed on route 42.",
    "Recycling collections move to a fortnightly schedule.",
    "The council's annual accounts were signed off by the auditors.",
    "A new roundabout will ease congestion on the ring road.",
    "The football club won the regional cup final.",
]


class CountingEmbedder:
    """Wraps the real embedder, remembering each text's vector and counting what it encodes."""

    name = "counting"

    def __init__(self, inner: SentenceEmbedder) -> None:
        self.inner = inner
        self.vectors: dict[str, np.ndarray] = {}
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.encoded += len(missing)
            self.vectors.update(zip(missing, self.inner.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


class _FakeEmbedder:
    """Puts every text on one of a few fixed directions, for tests of the arithmetic."""

    name = "fake"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        for n, text in enumerate(texts):
            vectors[n, len(text) % 7] = 1.0
        return vectors


@pytest.fixture(scope="module")
def counting(embedder: SentenceEmbedder) -> CountingEmbedder:
    return CountingEmbedder(embedder)


def _statement(text: str, n: int = 1) -> Statement:
    return Statement(
        id=f"T-{n}", source="T", section="priorities", heading="Our priorities", text=text, page=1
    )


def test_each_example_is_found_again_when_its_theme_has_only_the_others(
    taxonomy: Taxonomy, counting: CountingEmbedder
) -> None:
    # Leave one out: with the example itself in the taxonomy this would be trivially true.
    first = top3 = total = 0
    for theme in taxonomy.themes:
        for example in theme.examples:
            others = tuple(e for e in theme.examples if e != example)
            reduced = Taxonomy(
                taxonomy.version,
                tuple(
                    dataclasses.replace(t, examples=others) if t.id == theme.id else t
                    for t in taxonomy.themes
                ),
            )
            (found,) = score_texts([example], reduced, counting)  # type: ignore[arg-type]
            ids = [s.theme for s in found]
            total += 1
            top3 += theme.id in ids
            first += bool(ids) and ids[0] == theme.id
    # Measured when the constants were chosen: 0.94 in the top 3, 0.83 first.
    assert top3 / total >= 0.85
    assert first / total >= 0.7


def test_each_example_classifies_to_its_own_theme(
    taxonomy: Taxonomy, counting: CountingEmbedder
) -> None:
    examples = [(theme.id, e) for theme in taxonomy.themes for e in theme.examples]
    results = score_texts([e for _, e in examples], taxonomy, counting)  # type: ignore[arg-type]
    own = [
        theme in [s.theme for s in found]
        for (theme, _), found in zip(examples, results, strict=True)
    ]
    assert sum(own) / len(own) >= 0.95


def test_statements_in_other_words_find_their_theme(
    taxonomy: Taxonomy, counting: CountingEmbedder
) -> None:
    results = score_texts([text for _, text in PARAPHRASES], taxonomy, counting)  # type: ignore[arg-type]
    found = [
        want in [s.theme for s in r] for (want, _), r in zip(PARAPHRASES, results, strict=True)
    ]
    # Measured when the constants were chosen: 20 of 27 (0.74).
    assert sum(found) / len(found) >= 0.65
    themes = {want for want, _ in PARAPHRASES}
    assert len(themes) >= 15


def test_unrelated_sentences_get_no_theme(taxonomy: Taxonomy, counting: CountingEmbedder) -> None:
    results = score_texts(UNRELATED, taxonomy, counting)  # type: ignore[arg-type]
    assert all(r == () for r in results), [r for r in results if r]


def test_classified_statements_keep_order_scores_and_evidence(
    taxonomy: Taxonomy, embedder: SentenceEmbedder
) -> None:
    statements = [
        _statement("Tackle county lines and the criminal exploitation of children.", 1),
        _statement("The car park will be resurfaced.", 2),
        _statement("Reduce the number of families living in temporary accommodation.", 3),
    ]
    classified = classify_statements(statements, taxonomy, embedder)
    assert [c.statement for c in classified] == statements
    assert all(isinstance(c, ClassifiedStatement) for c in classified)
    exploitation, car_park, housing = classified
    assert exploitation.themes[0].theme == "exploitation"
    assert '"county lines"' in exploitation.themes[0].evidence
    assert '"criminal exploitation"' in exploitation.themes[0].evidence
    assert "nearest example:" in exploitation.themes[0].evidence
    assert car_park.themes == ()
    assert housing.themes[0].theme == "safe_homes"
    for c in classified:
        scores = [s.score for s in c.themes]
        assert scores == sorted(scores, reverse=True) and len(scores) <= MAX_THEMES_WITH_CLAUSES
        assert all(THRESHOLD <= s <= 1.0 for s in scores)
    assert classify_statements([], taxonomy, embedder) == []


def test_keywords_match_whole_words_plurals_and_phrases_across_case_and_hyphens() -> None:
    assert words("Scams, MARAC's referrals and multi-agency audits") == (
        "scam",
        "marac",
        "referral",
        "and",
        "multi",
        "agency",
        "audit",
    )
    taxonomy = taxonomy_from_yaml(
        """
version: "k.1"
themes:
  - id: sexual_abuse
    label: Sexual abuse
    description: Sexual acts without consent.
    examples: [Survivors get specialist support.]
    keywords: [rape, county lines, multi-agency, scam, scams, MARAC, SEND]
"""
    )
    index = classify._theme_index(taxonomy, _FakeEmbedder())  # type: ignore[arg-type]
    hits = classify._keyword_hits
    assert hits("Grapes and drapes.", index) == [[]]  # whole words only
    assert hits("COUNTY LINES activity rose", index) == [["county lines"]]
    assert hits("Multi agency scams", index) == [["multi-agency", "scam"]]  # scams = scam, once
    assert hits("the county and its lines", index) == [[]]  # a phrase must be in one piece
    assert hits("MARACs met weekly; we will send letters", index) == [["MARAC"]]
    assert hits("the marac met", index) == [[]]  # an acronym counts in capitals only


def test_more_keywords_give_a_bigger_bonus_up_to_one() -> None:
    assert keyword_bonus([]) == 0.0
    one = keyword_bonus(["neglect"])
    two = keyword_bonus(["neglect", "hoarding"])
    phrase = keyword_bonus(["county lines"])
    assert 0 < one < phrase < two < keyword_bonus(["a", "b", "c", "d"]) < 1.0


def test_theme_vectors_are_computed_once_per_taxonomy(
    taxonomy: Taxonomy, embedder: SentenceEmbedder
) -> None:
    counting = CountingEmbedder(embedder)
    counting.name = "counting-cache-test"
    score_texts(["Improve school attendance."], taxonomy, counting)  # type: ignore[arg-type]
    after_first = counting.encoded
    counting.vectors.clear()  # so any second embedding of the themes would be counted
    score_texts(["Improve school attendance."], taxonomy, counting)  # type: ignore[arg-type]
    assert counting.encoded == after_first + 1  # only the statement again
    # An edited taxonomy keeping its version must not reuse the old theme vectors.
    edited = Taxonomy(
        taxonomy.version,
        (
            dataclasses.replace(taxonomy.themes[0], examples=("A brand new example.",)),
            *taxonomy.themes[1:],
        ),
    )
    counting.vectors.clear()
    score_texts(["Improve school attendance."], edited, counting)  # type: ignore[arg-type]
    assert counting.encoded > after_first + 1
    # So must one whose keywords alone changed.
    rekeyed = Taxonomy(
        taxonomy.version,
        tuple(
            dataclasses.replace(t, keywords=("improve",)) if t.id == "carers" else t
            for t in taxonomy.themes
        ),
    )
    index = classify._theme_index(rekeyed, counting)  # type: ignore[arg-type]
    carers = rekeyed.ids.index("carers")
    assert classify._keyword_hits("Improve carers' lives.", index)[carers] == ["improve"]


def test_a_keyword_inside_a_longer_keyword_of_another_theme_counts_only_for_that_one() -> None:
    taxonomy = taxonomy_from_yaml(
        """
version: "k.2"
themes:
  - id: neglect
    label: Neglect
    description: Needs not met.
    examples: [Children are fed and clothed.]
    keywords: [neglect]
  - id: self_neglect
    label: Self-neglect
    description: Adults not caring for themselves.
    examples: [Adults who hoard are helped.]
    keywords: [self-neglect, hoarding]
"""
    )
    index = classify._theme_index(taxonomy, _FakeEmbedder())  # type: ignore[arg-type]
    hits = classify._keyword_hits
    assert hits("Adults who self-neglect get a protocol.", index) == [[], ["self-neglect"]]
    # Said on its own as well, the shorter keyword counts too.
    assert hits("Self-neglect and child neglect both rose.", index) == [
        ["neglect"],
        ["self-neglect"],
    ]


def test_clauses_split_at_punctuation_and_conjunctions_and_join_scraps() -> None:
    assert clauses(
        "Cut knife crime and the grooming of teenagers by drug gangs, working with the police."
    ) == [
        "Cut knife crime",
        "and the grooming of teenagers by drug gangs,",
        "working with the police.",
    ]
    # "and girls," is too short to stand alone, so it stays with the clause before it; at the
    # start, a scrap joins the clause after it.
    assert clauses("Support women and girls, and every child who sees abuse.") == [
        "Support women and girls,",
        "and every child who sees abuse.",
    ]
    assert clauses("Neglect: spot it sooner in every agency.") == [
        "Neglect: spot it sooner in every agency."
    ]
    assert clauses("Neglect.") == ["Neglect."]


def test_a_theme_with_a_clause_of_its_own_is_kept_beyond_the_cap(
    taxonomy: Taxonomy, counting: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the cap at one theme a statement, the second theme can come back only through its
    # own clause.
    monkeypatch.setattr(classify, "MAX_THEMES", 1)
    two = "Work with landlords to end damp and mould, and with schools to raise attendance."
    (found,) = score_texts([two], taxonomy, counting)  # type: ignore[arg-type]
    assert {s.theme for s in found} == {"safe_homes", "education_attendance"}
    restored = [s for s in found if 'clause: "' in s.evidence]
    assert [s.theme for s in restored] == ["education_attendance"]
    assert 'clause: "and with schools to raise attendance."' in restored[0].evidence
    monkeypatch.setattr(classify, "CLAUSE_THRESHOLD", 2.0)  # no clause can reach it
    (alone,) = score_texts([two], taxonomy, counting)  # type: ignore[arg-type]
    assert [s.theme for s in alone] == ["safe_homes"]


def test_a_theme_named_only_in_a_list_of_people_is_not_put_back(
    taxonomy: Taxonomy, counting: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(classify, "MAX_THEMES", 1)
    text = "Give parents, carers and teachers the advice they need to keep children safe online."
    (found,) = score_texts([text], taxonomy, counting)  # type: ignore[arg-type]
    assert [s.theme for s in found] == ["online_safety"]


def test_a_theme_left_out_is_kept_as_a_runner_up(
    taxonomy: Taxonomy, counting: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With one theme a statement and no clause able to restore one, the second theme is left
    # out of the assignments but kept as a runner-up, with its score.
    monkeypatch.setattr(classify, "MAX_THEMES", 1)
    monkeypatch.setattr(classify, "CLAUSE_THRESHOLD", 2.0)
    text = "Work with landlords to end damp and mould, and with schools to raise attendance."
    (found,) = classify_statements([_statement(text, 1)], taxonomy, counting)  # type: ignore[arg-type]
    assert [s.theme for s in found.themes] == ["safe_homes"]
    assert "education_attendance" in [s.theme for s in found.runners_up]
    # The plain scoring is unchanged: runners-up are not assignments.
    (plain,) = score_texts([text], taxonomy, counting)  # type: ignore[arg-type]
    assert plain == found.themes


def test_runners_up_are_the_leading_themes_not_kept_or_clause_leaders(
    taxonomy: Taxonomy, counting: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [
        "Work with landlords to end damp and mould, and with schools to raise attendance.",
        "Tackle county lines and the criminal exploitation of children.",
        "Help older people who live alone to stay connected, and cut falls at home.",
        *UNRELATED[:3],
    ]
    classified = classify_statements(
        [_statement(text, n) for n, text in enumerate(texts, 1)],
        taxonomy,
        counting,  # type: ignore[arg-type]
    )
    for item in classified:
        kept = {s.theme for s in item.themes}
        scores = [s.score for s in item.runners_up]
        assert not kept & {s.theme for s in item.runners_up}
        assert scores == sorted(scores, reverse=True)
        assert all(score >= THRESHOLD for score in scores)
        assert len(item.runners_up) <= RUNNER_UP_RANKS or any(
            'clause: "' in s.evidence for s in item.runners_up
        )
    # A clause that leads a theme below CLAUSE_THRESHOLD makes it a runner-up, not a theme.
    monkeypatch.setattr(classify, "MAX_THEMES", 1)
    monkeypatch.setattr(classify, "CLAUSE_THRESHOLD", 2.0)
    monkeypatch.setattr(classify, "RUNNER_UP_RANKS", 0)
    (found,) = classify_statements([_statement(texts[0], 1)], taxonomy, counting)  # type: ignore[arg-type]
    (runner_up,) = [s for s in found.runners_up if s.theme == "education_attendance"]
    assert 'clause: "and with schools to raise attendance."' in runner_up.evidence


# The field's words for themes that the second version's taxonomy lacked, written here.
NEW_VOCABULARY = [
    ("exploitation", "Keep teenagers safe from harm outside the home, in parks and on buses."),
    ("carers", "Young adult carers are offered help before their caring responsibilities overwhelm them."),
    ("health_inequalities", "Check every service for disproportionality by ethnicity and act on what we find."),
    ("health_inequalities", "Make services equitable for residents who need an interpreter."),
    ("transitions_to_adulthood", "Care leavers keep a personal adviser and safe housing as they reach adulthood."),
]  # fmt: skip


@pytest.mark.parametrize(("theme", "text"), NEW_VOCABULARY)
def test_the_fields_wider_vocabulary_finds_its_theme(
    theme: str, text: str, taxonomy: Taxonomy, counting: CountingEmbedder
) -> None:
    (found,) = score_texts([text], taxonomy, counting)  # type: ignore[arg-type]
    assert found and found[0].theme == theme, [(s.theme, s.score) for s in found]
    assert found[0].score >= HOLD_MIN_SCORE  # clear enough for a source to hold it


def test_cuckooing_is_exploitation(taxonomy: Taxonomy, counting: CountingEmbedder) -> None:
    # Taking over a vulnerable person's home to deal drugs is criminal exploitation; the
    # money that may be taken too does not make it financial abuse.
    (found,) = score_texts(["Protect vulnerable tenants from cuckooing."], taxonomy, counting)  # type: ignore[arg-type]
    by_theme = {s.theme: s for s in found}
    assert "exploitation" in by_theme and "financial_abuse" not in by_theme
    assert '"cuckooing"' in by_theme["exploitation"].evidence
