"""Splitting sections into statements: list items, short paragraphs whole, long ones by
sentence, lead-ins, and leaving out what says nothing."""

from __future__ import annotations

import pytest

from safeguarding.documents.model import Block, Section
from safeguarding.documents.statements import (
    is_context_figure,
    is_lead_in,
    row_text,
    split_sentences,
    split_statements,
    starts_with_instruction,
)


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


# --- Tables ----------------------------------------------------------------------------------


def test_a_table_of_priorities_gives_a_statement_a_row_without_its_header() -> None:
    blocks = [
        para("Next year the board will concentrate on three areas."),
        row("Priority | What we will do | Lead"),
        row("Scams | Work with banks so that older people lose less to fraud. | Trading standards"),
        row("Hoarding | Offer every person who hoards a plan they agree to. | Adult social care"),
        row("Carers | 2026 | 2027"),  # only figures besides its name: nothing to say
        para("Progress is reported twice a year."),
    ]
    assert texts([section("Our priorities", blocks, role="priorities")]) == [
        "Next year the board will concentrate on three areas.",
        "Scams. Work with banks so that older people lose less to fraud. Lead: Trading standards.",
        "Hoarding. Offer every person who hoards a plan they agree to. Lead: Adult social care.",
        "Progress is reported twice a year.",
    ]


def test_a_table_whose_first_row_is_a_sentence_has_no_header() -> None:
    blocks = [
        row("Reduce the number of children excluded from school. | Schools forum"),
        row("Publish a neglect strategy with health visitors. | Public health"),
    ]
    assert texts([section("Challenges", blocks, role="challenges")]) == [
        "Reduce the number of children excluded from school. Schools forum.",
        "Publish a neglect strategy with health visitors. Public health.",
    ]


def test_tables_of_figures_and_tables_in_other_sections_give_no_statements() -> None:
    figures = [row("Measure | 2024 | 2025"), row("Concerns received | 3,120 | 3,406")]
    words = [
        row("Agency | Role"),
        row("Fellbridge Council | Hosts the board and its business unit"),
    ]
    assert texts([section("Our year in numbers", figures, role="achievements")]) == []
    assert texts([section("Who we are", words, role="overview")]) == []


def test_row_text_joins_cells_as_sentences_and_labels_short_cells() -> None:
    header = ["Theme", "Action", "Owner", "By"]
    cells = [
        "Online safety",
        "Train every school's safeguarding lead in online harms.",
        "Schools",
        "",
    ]
    assert row_text(cells, header) == (
        "Online safety. Train every school's safeguarding lead in online harms. Owner: Schools."
    )
    assert row_text(["Neglect", "Spot it sooner"]) == "Neglect. Spot it sooner."


# --- Lead-ins, sentences about the plan, context figures -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Over the next twelve months our work will centre on the following:",
        "This strategy explains how partners will work together until 2030.",
        "This is the second annual report of the Fellbridge board.",
        "The executive group chose three priorities after a workshop in March.",
        "Every priority has a named sponsor among the statutory partners.",
        "Each of our ambitions is overseen by a member of the Board.",
        "Progress on each objective will be reported to the Board twice a year.",
        "Our delivery plan for 2026 will be published in the autumn.",
        "We cannot deliver these priorities without the voluntary sector.",
    ],
)
def test_lead_ins_and_sentences_about_the_plan(text: str) -> None:
    assert is_lead_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Reduce the number of older people who lose money to scams.",
        "Across both priorities we will make sure that young carers are identified early.",
        "Priority 2: Neglect. Improve how health visitors recognise neglect in babies.",
        "Make domestic abuse a priority for every agency, with training for GPs and schools.",
        "Our first priority is to cut the time children wait for a mental health assessment.",
        "The plan is to halve the number of people sleeping rough.",
        "",
    ],
)
def test_commitments_are_not_lead_ins(text: str) -> None:
    assert not is_lead_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Around one in five children in the borough lives in a cold home.",
        "Hospital admissions for self-harm rose by 14% in two years.",
        "Why this matters. Rough sleeping has doubled since the pandemic.",
        "Life expectancy is 76.2 years for men in the most deprived ward.",
        "We received 4,310 safeguarding concerns, a quarter of them about care homes.",
        # "Progress" is as often a noun, so it does not make the sentence an instruction.
        "Progress has been slow: one in four families still waits more than a month.",
    ],
)
def test_context_figures(text: str) -> None:
    assert is_context_figure(text)


@pytest.mark.parametrize(
    "text",
    [
        "Cut the proportion of adults who smoke to 10%.",
        "Alcohol. Halve alcohol-related admissions among people over 65.",
        "We will reduce the number of children in temporary accommodation by 200.",
        "Protect children who go missing from home, working with the police.",  # no figure
        "Increase uptake of the two-year-old health check to 95% by 2028.",
        # Priorities written with the wider vocabulary of plans, holding a figure.
        "Recognise and support the district's 8,500 unpaid carers, young and old.",
        "Champion the 1,200 volunteers who run lunch clubs across the district.",
        "Prioritise the 3.5% of households in the worst housing for repairs.",
    ],
)
def test_commitments_with_or_without_figures_are_not_context(text: str) -> None:
    assert not is_context_figure(text)


def test_an_instruction_may_follow_short_labels() -> None:
    assert starts_with_instruction(
        "Priority 3: Safer homes. Tackle damp and mould in rented homes."
    )
    assert starts_with_instruction("Support carers to take a break.")
    assert not starts_with_instruction("Carers told us they rarely get a break.")
