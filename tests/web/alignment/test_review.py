"""A person's review of an alignment: each change is made to the JSON and listed with who made
it and when; the result still passes the alignment's own checks."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from safeguarding.themes.alignment import validate_alignment
from safeguarding.themes.taxonomy import load_taxonomy
from safeguarding.web.alignment import review

AT = "2025-12-08T10:00:00Z"


def _alignment() -> dict[str, Any]:
    """A small alignment as the pipeline writes it, by hand."""
    statements = [
        ("CSCP-1", "CSCP", "Strengthen  transitions to adult services."),
        ("SAPB-1", "SAPB", "Young adults move safely from children's services."),
        ("HWS-1", "HWS", "Safe transitions at every stage of life."),
        ("SAPB-2", "SAPB", "Respond to domestic abuse against older adults."),
    ]
    return {
        "generated_at": AT,
        "model": {"embedder": "all-MiniLM-L6-v2-int8", "taxonomy_version": "2026.1"},
        "sources": [
            {"name": "CSCP", "kind": "partnership", "file": "c.md", "sections": {"priorities": 1}},
            {"name": "SAPB", "kind": "partnership", "file": "s.md", "sections": {"priorities": 2}},
            {"name": "HWS", "kind": "strategy", "file": "h.md", "sections": {"priorities": 1}},
        ],
        "statements": [
            {
                "id": sid,
                "source": source,
                "section": "priorities",
                "heading": "Priorities",
                "text": text,
                "page": 2,
                "themes": [{"theme": theme, "score": 0.7}],
            }
            for (sid, source, text), theme in zip(
                statements, ["transitions_to_adulthood"] * 3 + ["domestic_abuse"], strict=True
            )
        ],
        "shared_themes": [
            {
                "theme": "transitions_to_adulthood",
                "label": "Transitions",
                "sources": ["CSCP", "SAPB", "HWS"],
                "strength": 0.8,
                "evidence": [
                    {"source": s, "statement": sid, "text": t} for sid, s, t in statements[:3]
                ],
                "summary": "All three plan for safe moves between services.",
            }
        ],
        "additional_focus_areas": [
            {
                "theme": "domestic_abuse",
                "label": "Domestic abuse",
                "sources": ["SAPB"],
                "strength": 0.4,
            }
        ],
    }


def _apply(data: dict[str, Any], form: review.ReviewForm) -> tuple[dict[str, Any], int]:
    return review.apply(data, form, by="officer", at=AT, taxonomy=load_taxonomy())


def test_accept_reject_and_edit_are_each_one_change() -> None:
    data = review.start(_alignment())
    form = review.ReviewForm(
        themes={"transitions_to_adulthood": "accepted", "domestic_abuse": "rejected"},
        evidence={
            ("transitions_to_adulthood", 0): review.EvidenceDecision(
                "accepted", "Strengthen transitions."
            ),
            ("transitions_to_adulthood", 1): review.EvidenceDecision("rejected", None),
            # The same text with its spaces tidied is not an edit.
            ("transitions_to_adulthood", 2): review.EvidenceDecision(
                "", "Safe  transitions at every\nstage of life."
            ),
        },
        note="Checked with the chairs",
    )
    reviewed, count = _apply(data, form)

    actions = [(c["action"], c["theme"], c["statement"]) for c in review.changes(reviewed)]
    assert actions == [
        ("edited", "transitions_to_adulthood", "CSCP-1"),
        ("accepted", "transitions_to_adulthood", "CSCP-1"),
        ("rejected", "transitions_to_adulthood", "SAPB-1"),
        ("accepted", "transitions_to_adulthood", None),
        ("rejected", "domestic_abuse", None),
    ]
    assert count == 5
    assert all(c["by"] == "officer" and c["at"] == AT for c in review.changes(reviewed))
    assert all(c["note"] == "Checked with the chairs" for c in review.changes(reviewed))
    theme = reviewed["shared_themes"][0]
    assert [e["statement"] for e in theme["evidence"]] == ["CSCP-1", "HWS-1"]
    assert theme["evidence"][0]["text"] == "Strengthen transitions."
    assert reviewed["additional_focus_areas"] == []
    assert reviewed["review"]["reviewed_by"] == "officer"
    assert review.theme_accepted(reviewed, "transitions_to_adulthood")
    assert review.evidence_accepted(reviewed, "transitions_to_adulthood", "CSCP-1")
    validate_alignment(copy.deepcopy(reviewed))

    # Accepting again records nothing new.
    again, count = _apply(
        reviewed, review.ReviewForm(themes={"transitions_to_adulthood": "accepted"})
    )
    assert count == 0 and len(review.changes(again)) == 5


def test_adding_a_theme_and_evidence() -> None:
    data = review.start(_alignment())
    reviewed, _ = _apply(
        data, review.ReviewForm(add_theme="mental_health_wellbeing", add_theme_summary="Both care.")
    )
    added = review.find_theme(reviewed, "mental_health_wellbeing")
    assert added is not None and added["label"] and added["summary"] == "Both care."
    reviewed, _ = _apply(
        reviewed,
        review.ReviewForm(evidence_theme="mental_health_wellbeing", evidence_statement="SAPB-2"),
    )
    reviewed, _ = _apply(
        reviewed,
        review.ReviewForm(
            evidence_theme="mental_health_wellbeing",
            evidence_source="HWS",
            evidence_text="Good mental health for everyone.",
        ),
    )
    theme = review.find_theme(reviewed, "mental_health_wellbeing")
    assert theme is not None
    assert theme["evidence"] == [
        {
            "source": "SAPB",
            "statement": "SAPB-2",
            "text": "Respond to domestic abuse against older adults.",
        },
        {"source": "HWS", "statement": None, "text": "Good mental health for everyone."},
    ]
    assert theme["sources"] == ["SAPB", "HWS"]
    assert [c["action"] for c in review.changes(reviewed)] == ["added", "added", "added"]
    validate_alignment(copy.deepcopy(reviewed))


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (review.ReviewForm(add_theme="no_such_theme"), "Choose a theme from the taxonomy"),
        (review.ReviewForm(add_theme="transitions_to_adulthood"), "already in the analysis"),
        (
            review.ReviewForm(evidence_theme="transitions_to_adulthood"),
            "Choose a statement or type",
        ),
        (
            review.ReviewForm(
                evidence_theme="transitions_to_adulthood", evidence_text="Typed, no source."
            ),
            "Choose the source",
        ),
        (
            review.ReviewForm(
                evidence_theme="transitions_to_adulthood", evidence_statement="CSCP-1"
            ),
            "already evidence",
        ),
        (
            review.ReviewForm(
                evidence={("transitions_to_adulthood", 9): review.EvidenceDecision("rejected")}
            ),
            "changed since the page was opened",
        ),
        (
            review.ReviewForm(
                evidence={("transitions_to_adulthood", 0): review.EvidenceDecision("", "  ")}
            ),
            "cannot be empty",
        ),
    ],
)
def test_a_change_that_cannot_be_made_changes_nothing(
    form: review.ReviewForm, message: str
) -> None:
    data = review.start(_alignment())
    before = copy.deepcopy(data)
    with pytest.raises(review.ReviewProblem, match=message):
        _apply(data, form)
    assert data == before
