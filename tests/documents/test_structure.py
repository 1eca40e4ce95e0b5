"""Sections nested by heading level, from blocks in reading order."""

from __future__ import annotations

from safeguarding.documents.model import Block
from safeguarding.documents.structure import build_sections


def heading(text: str, level: int, page: int | None = None) -> Block:
    return Block(kind="heading", text=text, level=level, page=page)


def para(text: str, page: int | None = None) -> Block:
    return Block(kind="paragraph", text=text, page=page)


def test_headings_nest_by_level() -> None:
    sections = build_sections(
        [
            heading("Annual report", 1, 1),
            para("About the year.", 1),
            heading("Priorities", 2, 2),
            heading("Neglect", 3, 2),
            para("We will train staff.", 2),
            heading("Exploitation", 3, 3),
            heading("Achievements", 2, 4),
            heading("Appendix", 1, 5),
        ]
    )
    assert [s.heading for s in sections] == ["Annual report", "Appendix"]
    top = sections[0]
    assert [b.text for b in top.blocks] == ["About the year."]
    assert [c.heading for c in top.children] == ["Priorities", "Achievements"]
    priorities = top.children[0]
    assert [c.heading for c in priorities.children] == ["Neglect", "Exploitation"]
    assert priorities.children[0].blocks[0].text == "We will train staff."
    assert priorities.children[1].page == 3


def test_text_before_the_first_heading_has_a_section_of_its_own() -> None:
    sections = build_sections([para("Foreword text."), heading("Part two", 2), para("Body.")])
    assert [(s.heading, s.level) for s in sections] == [("", 1), ("Part two", 2)]
    assert sections[0].blocks[0].text == "Foreword text."
    assert sections[0].children == []
    assert sections[1].blocks[0].text == "Body."


def test_headings_with_nothing_under_them_are_kept() -> None:
    sections = build_sections([heading("Empty", 1), heading("Also empty", 1)])
    assert [(s.heading, s.blocks, s.children) for s in sections] == [
        ("Empty", [], []),
        ("Also empty", [], []),
    ]


def test_a_deeper_heading_first_then_a_shallower_one_are_siblings() -> None:
    sections = build_sections([heading("Deep", 3), heading("Top", 1), heading("Mid", 2)])
    assert [s.heading for s in sections] == ["Deep", "Top"]
    assert [c.heading for c in sections[1].children] == ["Mid"]


def test_no_blocks_no_sections() -> None:
    assert build_sections([]) == []


def test_walk_visits_every_section_in_reading_order() -> None:
    sections = build_sections([heading("A", 1), heading("B", 2), heading("C", 3), heading("D", 2)])
    assert [s.heading for s in sections[0].walk()] == ["A", "B", "C", "D"]
