"""A partnership's and a strategy's records read as documents: their sections, roles and
statements, numbered as a reader would number them."""

from __future__ import annotations

from safeguarding.documents.extract import document_from_json, document_to_json
from safeguarding.web.alignment import adapter
from safeguarding.web.records import models as m
from tests.conftest import World


def test_a_partnerships_records_become_its_statements(world: World) -> None:
    world.children.description = "We keep children safe.\n\nWe listen to families."
    world.children.save()
    m.Achievement.objects.create(
        partnership=world.children,
        period=world.period,
        title="Neglect toolkit",
        description="Rolled out to 300 practitioners.",
    )
    m.Challenge.objects.create(
        partnership=world.children,
        period=world.period,
        title="Staffing",
        description="Social worker vacancies stayed high",
    )
    # An achievement of an earlier year is not this year's report.
    m.Achievement.objects.create(
        partnership=world.children,
        period=world.previous_period,
        title="Old work",
        description="Done long ago.",
    )

    document = adapter.partnership_document(world.children)

    assert document.source == "TSCP"
    assert [s.id for s in document.statements] == [f"TSCP-{n}" for n in range(1, 6)]
    by_section = {}
    for statement in document.statements:
        by_section.setdefault(statement.section, []).append(statement.text)
    assert by_section == {
        "overview": ["We keep children safe.", "We listen to families."],
        "priorities": ["Neglect. Spot neglect earlier."],
        "achievements": ["Neglect toolkit. Rolled out to 300 practitioners."],
        "challenges": ["Staffing. Social worker vacancies stayed high"],
    }
    assert [s.role for s in document.sections] == [
        "overview",
        "priorities",
        "achievements",
        "challenges",
    ]
    assert document.title == "Testbury Safeguarding Children Partnership 2024-25"
    assert document.section_counts()["priorities"] == 1


def test_a_partnership_with_nothing_recorded_has_no_statements(world: World) -> None:
    document = adapter.partnership_document(world.adults)
    assert document.statements == [] and document.sections == []


def test_a_strategy_and_its_themes_become_a_strategy_document(world: World) -> None:
    strategy = m.Strategy.objects.create(
        area=world.area,
        title="Health and Wellbeing Strategy",
        kind="health_and_wellbeing",
        start_year=2023,
        end_year=2030,
        summary="Start well, live well, age well.",
    )
    m.StrategyTheme.objects.create(strategy=strategy, order=2, title="Age well")
    m.StrategyTheme.objects.create(
        strategy=strategy, order=1, title="Start well", description="Every child thrives."
    )

    document = adapter.strategy_document(strategy)

    assert document.source == "HWS"
    assert [(s.id, s.section, s.text) for s in document.statements] == [
        ("HWS-1", "overview", "Start well, live well, age well."),
        ("HWS-2", "priorities", "Start well. Every child thrives."),
        ("HWS-3", "priorities", "Age well"),
    ]
    # The document survives being stored as JSON and read back, as the analysis keeps it.
    again = document_from_json(document_to_json(document))
    assert [s.text for s in again.statements] == [s.text for s in document.statements]


def test_source_names_are_made_safe() -> None:
    assert adapter.source_name("S A B") == "S-A-B"
    assert adapter.source_name("!!!") == "SOURCE"
    assert adapter.initials("The Health and Wellbeing Strategy for Larkhaven") == "HWSL"
    assert adapter.initials("2025") == "STRATEGY"
