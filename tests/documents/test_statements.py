"""Splitting sections into statements: list items, short paragraphs whole, long ones by
sentence, lead-ins, and leaving out what says nothing."""

from __future__ import annotations

from safeguarding.documents.model import Block, Section
from safeguarding.documents.statements import split_sentences, split_statements


def item(text: str, level: int = 1, page: int | None = None) -> Block:
    return Block(kind="list_item", text=text, level=level, page=page, marker="•")


def para(text: str, page: int | None = None) -> Block:
    return Block(kind="paragraph", text=text, page=page)


def row(text: str) -> Block:
    return Block(kind="table_row", text=text)


def section(heading: str, blocks: list[Block], role: str = "other", **more: object) -> Section:
    return Section(heading=heading, level=1, page=None, blocks=blocks, role=role, **more)  # type: ignore[arg-type]


def texts(sections: list[Section]) -> list[str]:
    return [s.text for s in split_statements(sections, "LSCP")]


def test_one_statement_per_list_item_with_ids_pages_and_roles() -> None:
    statements = split_statements(
        [
            section(
                "Priorities",
                [item("Tackle neglect.", page=3), item("Reduce exploitation.", page=4)],
                role="priorities",
            )
        ],
        "LSCP",
    )
    assert [(s.id, s.text, s.page, s.section, s.heading, s.list_item) for s in statements] == [
        ("LSCP-1", "Tackle neglect.", 3, "priorities", "Priorities", True),
        ("LSCP-2", "Reduce exploitation.", 4, "priorities", "Priorities", True),
    ]


def test_nested_items_keep_the_lead_in_of_a_parent_ending_with_a_colon() -> None:
    blocks = [
        item("Priority 1: Neglect \u2014 we will:"),
        item("embed the toolkit", level=2),
        item("measure its effect", level=2),
        item("Priority 2: Exploitation"),
        item("map contextual risks", level=2),
    ]
    assert texts([section("Priorities", blocks)]) == [
        "Priority 1: Neglect \u2014 we will: embed the toolkit",
        "Priority 1: Neglect \u2014 we will: measure its effect",
        "Priority 2: Exploitation",
        "map contextual risks",
    ]


def test_a_paragraph_introducing_a_list_is_not_a_statement() -> None:
    blocks = [para("Highlights of the year include:"), item("We trained 400 staff.")]
    assert texts([section("Achievements", blocks)]) == ["We trained 400 staff."]


def test_a_paragraph_ending_with_a_colon_and_no_list_after_it_is_kept() -> None:
    assert texts([section("A", [para("The board asked one question:")])]) == [
        "The board asked one question:"
    ]


def test_short_paragraphs_stay_whole_and_long_ones_split_into_sentences() -> None:
    short = "We trained staff. They said it helped. Audits agree."
    long = " ".join(
        [
            "The partnership met six times this year and agreed a new plan for neglect.",
            "Every agency, e.g. schools and health visitors, now uses the neglect toolkit.",
            "Audits found that plans were clearer and that children were seen more often.",
            "Waiting times for mental health assessments rose, which worries the partnership.",
            "Partners agreed to share records faster when a parent is admitted to hospital.",
            "We will report again next year. Done.",
        ]
    )
    assert texts([section("A", [para(short), para(long)])]) == [
        short,
        "The partnership met six times this year and agreed a new plan for neglect.",
        "Every agency, e.g. schools and health visitors, now uses the neglect toolkit.",
        "Audits found that plans were clearer and that children were seen more often.",
        "Waiting times for mental health assessments rose, which worries the partnership.",
        "Partners agreed to share records faster when a parent is admitted to hospital.",
        "We will report again next year. Done.",
    ]


def test_page_numbers_table_rows_captions_and_contents_lines_are_left_out() -> None:
    blocks = [
        para("7"),
        para("Page 3 of 40"),
        para("Introduction ........ 3"),
        para("Referrals in Larkhaven"),
        row("Measure | 2024"),
        row("Referrals to children's social care | 2,690"),
        para("Referrals fell slightly."),
        para("   "),
    ]
    assert texts([section("Numbers", blocks)]) == ["Referrals fell slightly."]


def test_headings_with_nothing_under_them_give_no_statements_but_numbering_runs_on() -> None:
    sections = [
        section("Empty", []),
        section("Full", [para("One thing.")], children=[section("Child", [para("Two.")])]),
    ]
    statements = split_statements(sections, "HWB")
    assert [(s.id, s.heading, s.text) for s in statements] == [
        ("HWB-1", "Full", "One thing."),
        ("HWB-2", "Child", "Two."),
    ]


def test_split_sentences_keeps_abbreviations_and_joins_scraps() -> None:
    assert split_sentences("See i.e. the plan. Yes. Then we met again today.") == [
        "See i.e. the plan. Yes.",
        "Then we met again today.",
    ]
    assert split_sentences('He said "We will." Then we met the board.') == [
        'He said "We will."',
        "Then we met the board.",
    ]
