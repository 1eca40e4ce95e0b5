"""Naming sections' roles from their headings, their parents and their text."""

from __future__ import annotations

import pytest

from safeguarding.documents.model import Block, Section
from safeguarding.documents.roles import assign_roles, heading_role, role_words, section_role


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("Introduction", "overview"),
        ("Foreword from the Independent Chair", "overview"),
        ("About us", "overview"),
        ("2. About the Health and Wellbeing Board", "overview"),
        ("Executive summary", "overview"),
        ("What we have achieved", "achievements"),
        ("Highlights of the year", "achievements"),
        ("Progress against our priorities", "achievements"),
        ("What has been difficult", "challenges"),
        ("Areas for development", "challenges"),
        ("Barriers", "challenges"),
        ("Looking ahead", "priorities"),
        ("2. Our priorities", "priorities"),
        ("Focus for 2025-26", "priorities"),
        ("The year ahead", "priorities"),
        ("Strategic priorities", "priorities"),
        ("Recommendations", "recommendations"),
    ],
)
def test_roles_from_heading_words(heading: str, role: str) -> None:
    assert heading_role(heading) == role


@pytest.mark.parametrize("heading", ["Neglect", "Case studies", "Prioritisation of work", ""])
def test_neutral_headings(heading: str) -> None:
    assert heading_role(heading) is None


def test_the_about_phrase_counts_only_at_the_start() -> None:
    assert heading_role("Learning about the voice of the child") is None


def test_content_cues_when_the_heading_is_neutral() -> None:
    assert section_role("Neglect", ["We will train staff.", "We will audit cases."]) == "priorities"
    assert section_role("Neglect", ["We have trained staff.", "We delivered audits."]) == (
        "achievements"
    )
    assert section_role("Learning from reviews", ["Agencies should share records."]) == (
        "recommendations"
    )
    assert section_role("Neglect", ["Neglect is common."]) == "other"


def test_a_tie_between_cues_says_nothing() -> None:
    assert section_role("Neglect", ["We will train staff.", "We delivered audits."]) == "other"


def test_the_heading_wins_over_content() -> None:
    assert section_role("Challenges", ["We will train staff."]) == "challenges"


def section(heading: str, *texts: str, children: list[Section] | None = None) -> Section:
    blocks = [Block(kind="paragraph", text=text) for text in texts]
    return Section(heading=heading, level=1, page=None, blocks=blocks, children=children or [])


def test_children_inherit_unless_their_heading_names_a_role() -> None:
    neglect = section("Neglect", "We delivered training.")
    risks = section("Risks to delivery")
    top = section("Our priorities for 2025-26", children=[neglect, risks])
    other = section("Case studies", "A story.", children=[section("Ben", "We will follow up.")])
    assign_roles([top, other])
    assert [s.role for s in top.walk()] == ["priorities", "priorities", "challenges"]
    # Under a section with no role, a child's own text decides.
    assert [s.role for s in other.walk()] == ["other", "priorities"]


def test_every_role_in_the_word_list_is_a_known_role() -> None:
    words = role_words()
    assert set(words.headings) == {
        "overview",
        "achievements",
        "challenges",
        "priorities",
        "recommendations",
        "other",  # headings that say a section is none of the rest (a strategy's measures)
    }
    assert set(words.content) <= set(words.headings)


@pytest.mark.parametrize(
    "heading",
    [
        "How we will know the plan is working",
        "5. How we will measure progress",
        "How we will work together",
        "Delivering this strategy",
        "Measuring success",
    ],
)
def test_measures_and_ways_of_working_are_not_priorities(heading: str) -> None:
    # Their text says "we will" ("We will report each year on ..."), which alone would make them
    # priorities; a strategy's measures are not among its priorities.
    assert heading_role(heading) == "other"
    section = Section(
        heading=heading,
        level=1,
        page=None,
        blocks=[Block("paragraph", "We will report to the Board each year.")],
    )
    child = Section(
        heading="Indicators",
        level=2,
        page=None,
        blocks=[Block("paragraph", "We will track smoking.")],
    )
    section.children.append(child)
    assign_roles([section])
    assert (section.role, child.role) == ("other", "other")
