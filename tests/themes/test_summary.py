"""Excerpts and summaries quote the sources exactly and add only the connecting frame."""

from __future__ import annotations

from safeguarding.themes.summary import (
    FRAME_WORDS,
    MAX_CLAUSE_WORDS,
    SummaryPart,
    clause,
    excerpt,
    theme_summary,
    words,
)

TRANSITIONS = (
    "Strengthen support for young people moving into adulthood, so that nobody loses help at "
    "eighteen, and make transitions between children's and adult services seamless."
)


def test_a_short_statement_is_quoted_whole() -> None:
    text = "Improve transitions from children's to adult services."
    assert excerpt(text, ["transitions"]) == text


def test_a_long_statement_is_cut_to_its_sentence_about_the_theme() -> None:
    padding = "The partnership met quarterly and its subgroups reported to it. " * 4
    wanted = "We will make transitions to adult services safer for care leavers."
    text = padding + wanted + " " + "Its budget was agreed in March by all three partners. " * 3
    quoted = excerpt(text, ["transitions", "care leavers"], max_chars=200)
    assert quoted == wanted
    assert quoted in text


def test_an_enormous_sentence_is_cut_at_a_clause_and_stays_exact() -> None:
    text = ", ".join(f"clause number {n} about transitions" for n in range(60)) + "."
    quoted = excerpt(text, ["transitions"], max_chars=120)
    assert len(quoted) <= 120 and quoted in text
    assert not quoted.endswith(",")


def test_clause_prefers_the_clauses_about_the_theme() -> None:
    chosen = clause(TRANSITIONS, ["transitions", "adult services"])
    assert chosen in TRANSITIONS
    assert "transitions" in chosen
    assert len(chosen.split()) <= MAX_CLAUSE_WORDS


def test_clause_cuts_a_single_overlong_clause_at_a_word() -> None:
    text = " ".join(["safeguarding"] * 40)
    chosen = clause(text, ["safeguarding"], max_words=10)
    assert chosen.endswith("\u2026")
    assert len(chosen.rstrip("\u2026").split()) == 10


def test_summary_names_every_source_and_holds_no_invented_words() -> None:
    parts = [
        SummaryPart("LSCP", "partnership", "priorities", TRANSITIONS),
        SummaryPart(
            "LSAB",
            "partnership",
            "challenges",
            "Young adults leaving care often fall between services when they turn eighteen.",
        ),
        SummaryPart("HWS", "strategy", "overview", "Live well: smooth moves into adulthood."),
    ]
    summary = theme_summary(parts, ["transitions", "adulthood"])
    assert summary.startswith("LSCP's priorities include \u201c")
    assert "LSAB's report says" in summary  # not a priorities statement, so not called one
    assert "The strategy, HWS, also says" in summary
    allowed = FRAME_WORDS | {"lscp", "lsab", "hws", "lscp's", "lsab's"}
    for part in parts:
        allowed |= set(words(part.text))
    assert set(words(summary)) <= allowed
    assert summary.count(".") <= 3  # one sentence for the partnerships, one for the strategy


def test_a_summary_of_one_source_reads_on_its_own() -> None:
    summary = theme_summary([SummaryPart("HWS", "strategy", "priorities", "Age well at home.")])
    assert summary == "The strategy, HWS, says \u201cAge well at home\u201d."
