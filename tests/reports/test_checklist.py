"""The legal checklist of the annual report: each check is met by a complete report and finds
its gaps, in plain words, in a report with something missing. Variants of the invented sample
report are made with ``dataclasses.replace``."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import replace
from typing import Any

import pytest

from safeguarding.reports import checklist
from safeguarding.reports.annual import (
    Achievement,
    Action,
    AnnualReport,
    Challenge,
    Member,
    Recommendation,
    Review,
)
from safeguarding.reports.checklist import CHECKS, check_report, checklists, ready_to_approve
from safeguarding.reports.sample import sample_report

PANEL_AND_FOUNDATIONS = (
    "the Child Safeguarding Practice Review Panel",
    "Foundations, the What Works Centre for Children and Families",
)


def _every_member_contributes(report: AnnualReport) -> AnnualReport:
    members = tuple(
        member if member.contribution else replace(member, contribution="Chaired the audits.")
        for member in report.members
    )
    return replace(report, members=members)


@pytest.fixture(scope="module")
def adults() -> AnnualReport:
    """The sample board's report with every element met."""
    return _every_member_contributes(sample_report())


@pytest.fixture(scope="module")
def children() -> AnnualReport:
    """The sample children's partnership's report with every element met."""
    report = _every_member_contributes(sample_report(kind="children"))
    return replace(report, recipients=PANEL_AND_FOUNDATIONS)


def gaps_of(report: AnnualReport, element_id: str) -> tuple[str, ...]:
    """The gaps of one element of the report's checklist."""
    item = next(item for item in check_report(report) if item.id == element_id)
    assert item.met is (not item.gaps)
    return item.gaps


def with_review(report: AnnualReport, name: str, **changes: Any) -> AnnualReport:
    reviews = tuple(
        replace(review, **changes) if review.name == name else review for review in report.reviews
    )
    return replace(report, reviews=reviews)


def review_named(report: AnnualReport, name: str) -> Review:
    return next(review for review in report.reviews if review.name == name)


def with_recommendation(
    report: AnnualReport, name: str, number: int, **changes: Any
) -> AnnualReport:
    recommendations = tuple(
        replace(r, **changes) if r.number == number else r
        for r in review_named(report, name).recommendations
    )
    return with_review(report, name, recommendations=recommendations)


def adding_recommendation(
    report: AnnualReport, name: str, recommendation: Recommendation
) -> AnnualReport:
    recommendations = (*review_named(report, name).recommendations, recommendation)
    return with_review(report, name, recommendations=recommendations)


def with_priority(report: AnnualReport, index: int, **changes: Any) -> AnnualReport:
    priorities = list(report.priorities)
    priorities[index] = replace(priorities[index], **changes)
    return replace(report, priorities=tuple(priorities))


# The checklist as data.


def test_every_check_the_checklist_names_exists() -> None:
    named = {element.check for elements in checklists().values() for element in elements}
    assert named <= set(CHECKS)


def test_every_check_is_used_by_the_checklist() -> None:
    named = {element.check for elements in checklists().values() for element in elements}
    assert set(CHECKS) - named == set()


def test_there_is_a_checklist_for_each_kind_of_statutory_partnership() -> None:
    assert set(checklists()) == {"adults", "children"}


@pytest.mark.parametrize("kind", ["adults", "children"])
def test_every_element_says_what_where_and_why(kind: str) -> None:
    elements = checklist.checklist(kind)
    assert len({element.id for element in elements}) == len(elements)
    for element in elements:
        assert element.element.strip() and element.source.strip()
        assert element.explanation.strip() and "\n" not in element.explanation
    assert any(element.statutory for element in elements)
    assert any(not element.statutory for element in elements)


def test_good_practice_elements_say_they_are_not_the_law() -> None:
    for elements in checklists().values():
        for element in elements:
            assert element.statutory is ("not a legal requirement" not in element.source)


def test_the_board_checklist_covers_every_paragraph_of_the_care_act() -> None:
    sources = " ".join(element.source for element in checklist.checklist("adults"))
    for paragraph in ("4(1)(a)", "4(1)(b)", "4(1)(c)", "4(1)(d)", "4(1)(e)", "4(1)(f)", "4(1)(g)"):
        assert f"Schedule 2, paragraph {paragraph}" in sources
    assert "paragraph 4(2)" in sources


def test_the_childrens_checklist_cites_working_together() -> None:
    statutory = [e for e in checklist.checklist("children") if e.statutory]
    assert all("Working Together to Safeguard Children 2023" in e.source for e in statutory)


def test_a_partnership_with_no_statutory_report_has_no_checklist(adults: AnnualReport) -> None:
    with pytest.raises(KeyError, match="there are: adults, children"):
        check_report(replace(adults, kind="other"))


def test_a_check_id_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="financial_year"):
        checklist.check("financial_year")(checklist.financial_year)


# The whole report.


def test_the_sample_board_report_waits_for_one_agency(adults: AnnualReport) -> None:
    items = check_report(sample_report())
    unmet = {item.id: item.gaps for item in items if not item.met}
    assert unmet == {
        "member_contributions": (
            "1 member agency has not recorded its contribution: Larkshire and Vale ICB.",
        )
    }
    assert not ready_to_approve(items)


def test_a_complete_board_report_meets_every_element(adults: AnnualReport) -> None:
    items = check_report(adults)
    assert [item.id for item in items] == [e.id for e in checklist.checklist("adults")]
    assert all(item.met and item.gaps == () for item in items)
    assert ready_to_approve(items)


def test_a_complete_childrens_report_meets_every_element(children: AnnualReport) -> None:
    items = check_report(children)
    assert [item.id for item in items] == [e.id for e in checklist.checklist("children")]
    assert all(item.met for item in items)
    assert ready_to_approve(items)


def test_an_item_carries_the_element_its_law_and_explanation(adults: AnnualReport) -> None:
    item = next(item for item in check_report(adults) if item.id == "review_findings")
    assert item.law == "Care Act 2014, Schedule 2, paragraph 4(1)(d)"
    assert item.element.startswith("The findings of the Safeguarding Adults Reviews")
    assert item.explanation.startswith("Every Safeguarding Adults Review concluded")
    assert item.statutory


def test_an_item_cannot_be_changed(adults: AnnualReport) -> None:
    item = check_report(adults)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.met = False  # type: ignore[misc]


def test_good_practice_gaps_do_not_stop_approval(adults: AnnualReport) -> None:
    report = replace(adults, figures_note="", feedback=())
    items = check_report(report)
    unmet = [item for item in items if not item.met]
    assert {item.id for item in unmet} == {"published_figures", "feedback"}
    assert ready_to_approve(items)


def test_a_statutory_gap_stops_approval(adults: AnnualReport) -> None:
    items = check_report(replace(adults, recipients=()))
    assert not ready_to_approve(items)


def test_no_items_is_nothing_to_stop_approval() -> None:
    assert ready_to_approve([])


# The three examples, word for word.


def test_concluded_reviews_without_findings_are_named(adults: AnnualReport) -> None:
    report = adults
    for name in ("Adult B", "Adult D"):
        report = with_review(report, name, concluded_in_year=True, in_progress=False, findings="")
    assert gaps_of(report, "review_findings") == (
        "2 Safeguarding Adults Reviews concluded in 2025-26 have no findings recorded: "
        "Adult B, Adult D.",
    )


def test_a_recommendation_not_implemented_without_a_reason(adults: AnnualReport) -> None:
    dropped = Recommendation(
        number=3,
        text="Review the hoarding pathway.",
        owner="Larkhaven Council",
        status="not_implemented",
        status_label="Not being implemented",
    )
    report = adding_recommendation(adults, "Adult D", dropped)
    assert gaps_of(report, "reasons_not_implemented") == (
        "Recommendation 3 of review 'Adult D' is marked not implemented without a reason.",
    )


def test_no_member_agency_has_recorded_its_contribution(adults: AnnualReport) -> None:
    members = tuple(replace(member, contribution="") for member in adults.members)
    assert gaps_of(replace(adults, members=members), "member_contributions") == (
        "No member agency has recorded its contribution to the strategy.",
    )


# One check at a time.


def test_financial_year(adults: AnnualReport) -> None:
    assert checklist.financial_year(adults) == ()
    calendar = replace(
        adults,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    assert checklist.financial_year(calendar) == (
        "The report covers 1 January 2025 to 31 December 2025, not a financial year "
        "(1 April to 31 March).",
    )


def test_twelve_month_period(children: AnnualReport) -> None:
    assert checklist.twelve_month_period(children) == ()
    two_years = replace(children, period_start=datetime.date(2024, 4, 1))
    assert checklist.twelve_month_period(two_years) == (
        "The report covers 1 April 2024 to 31 March 2026, which is more than 12 months.",
    )


def test_twelve_months_from_29_february_end_on_28_february(children: AnnualReport) -> None:
    leap = replace(children, period_start=datetime.date(2024, 2, 29))
    assert checklist.twelve_month_period(replace(leap, period_end=datetime.date(2025, 2, 28))) == ()
    assert checklist.twelve_month_period(replace(leap, period_end=datetime.date(2025, 3, 1)))


def test_a_period_that_ends_before_it_starts(children: AnnualReport) -> None:
    backwards = replace(children, period_end=datetime.date(2025, 3, 31))
    assert checklist.twelve_month_period(backwards) == (
        "The report's period ends on 31 March 2025, before it starts on 1 April 2025.",
    )


def test_partnership_activity(adults: AnnualReport, children: AnnualReport) -> None:
    assert checklist.partnership_activity(adults) == ()
    assert checklist.partnership_activity(replace(adults, governance=" ", achievements=())) == (
        "The report does not say how the partnership works: no governance is recorded.",
        "No achievements are recorded, so the report does not say what the board did in "
        "2025-26 to help and protect adults.",
    )
    assert checklist.partnership_activity(replace(children, achievements=())) == (
        "No achievements are recorded, so the report does not say what the partners did in "
        "2025-26 under the arrangements.",
    )


def test_strategy_delivery(adults: AnnualReport) -> None:
    assert checklist.strategy_delivery(adults) == ()
    assert checklist.strategy_delivery(replace(adults, priorities=())) == (
        "No priorities are recorded, so the report does not say how the strategy was put into "
        "practice.",
    )
    assert checklist.strategy_delivery(with_priority(adults, 1, actions=())) == (
        "1 priority has no actions recorded: 'Priority 2: safer transitions between services'.",
    )


def test_member_contributions(adults: AnnualReport, children: AnnualReport) -> None:
    assert checklist.member_contributions(adults) == ()
    assert checklist.member_contributions(replace(adults, members=())) == (
        "No member agencies are recorded.",
    )
    silent = (
        Member("Larkshire Fire and Rescue", "Relevant agency"),
        Member("Larkhaven Housing", "Relevant agency", contribution="  "),
    )
    assert checklist.member_contributions(replace(adults, members=adults.members + silent)) == (
        "2 member agencies have not recorded their contribution: Larkshire Fire and Rescue, "
        "Larkhaven Housing.",
    )
    assert checklist.member_contributions(replace(children, members=silent)) == (
        "No member agency has recorded its contribution to the partnership's priorities.",
    )


def test_review_findings(adults: AnnualReport, children: AnnualReport) -> None:
    assert checklist.review_findings(adults) == ()
    one = with_review(adults, "Adult C", findings="")
    assert checklist.review_findings(one) == (
        "1 Safeguarding Adults Review concluded in 2025-26 has no findings recorded: Adult C.",
    )
    assert checklist.review_findings(with_review(children, "Adult C", findings="")) == (
        "1 review concluded in 2025-26 has no findings recorded: Adult C.",
    )


def test_only_safeguarding_adults_reviews_are_a_boards_statutory_reviews(
    adults: AnnualReport,
) -> None:
    thematic = with_review(adults, "Adult C", findings="", kind="Thematic review")
    assert checklist.review_findings(thematic) == ()
    coded = with_review(adults, "Adult C", findings="", kind="sar_discretionary")
    assert checklist.review_findings(coded)
    labelled = with_review(
        adults, "Adult C", findings="", kind="Safeguarding Adults Review (mandatory)"
    )
    assert checklist.review_findings(labelled)


def test_reviews_in_progress(adults: AnnualReport) -> None:
    assert checklist.reviews_in_progress(adults) == ()
    both = with_review(adults, "Adult B", concluded_in_year=True)
    assert checklist.reviews_in_progress(both) == (
        "Review 'Adult B' is marked both in progress and concluded in 2025-26.",
    )
    unlisted = with_review(adults, "Adult D", in_progress=False)
    assert checklist.reviews_in_progress(unlisted) == (
        "Review 'Adult D' is in progress but is not listed as ongoing at 31 March 2026.",
    )


def test_review_implementation(adults: AnnualReport) -> None:
    assert checklist.review_implementation(adults) == ()
    no_status = with_recommendation(adults, "Adult B", 1, status="", status_label="")
    assert checklist.review_implementation(no_status) == (
        "Recommendation 1 of review 'Adult B' has no implementation status recorded.",
    )
    nothing_done = with_recommendation(adults, "Adult C", 1, status="in_progress", actions="")
    assert checklist.review_implementation(nothing_done) == (
        "Recommendation 1 of review 'Adult C' does not say what has been done to implement it.",
    )
    no_recommendations = with_review(adults, "Adult E", recommendations=())
    assert checklist.review_implementation(no_recommendations) == (
        "Review 'Adult E' concluded in 2025-26 with findings but has no recommendations "
        "recorded, so the report cannot say how they were put into practice.",
    )


def test_a_recommendation_not_taken_forward_needs_no_actions(adults: AnnualReport) -> None:
    # Recommendation 2 of every sample review was not accepted and has no actions.
    assert all(
        not review.recommendations[1].accepted and not review.recommendations[1].actions
        for review in adults.reviews
    )
    assert checklist.review_implementation(adults) == ()


def test_reasons_not_implemented(adults: AnnualReport) -> None:
    assert checklist.reasons_not_implemented(adults) == ()
    not_accepted = with_recommendation(
        adults, "Adult B", 2, reason_not_accepted="", status="", status_label=""
    )
    assert checklist.reasons_not_implemented(not_accepted) == (
        "Recommendation 2 of review 'Adult B' was not accepted and no reason is recorded.",
    )
    thematic = with_review(not_accepted, "Adult B", kind="Thematic review")
    assert checklist.reasons_not_implemented(thematic) == ()


def test_review_decisions(children: AnnualReport) -> None:
    assert checklist.review_decisions(children) == ()
    report = with_recommendation(children, "Adult B", 1, evidence="")
    report = with_recommendation(report, "Adult C", 1, actions="")
    report = with_recommendation(report, "Adult D", 2, reason_not_accepted="")
    assert checklist.review_decisions(report) == (
        "Recommendation 1 of review 'Adult C' does not say what has been done to implement it.",
        "Recommendation 1 of review 'Adult B' is marked implemented but has no evidence of its "
        "impact recorded.",
        "Recommendation 2 of review 'Adult D' is marked not implemented without a reason.",
    )


def test_recommendation_impact(adults: AnnualReport) -> None:
    assert checklist.recommendation_impact(adults) == ()
    report = with_recommendation(adults, "Adult E", 1, status="impact_evidenced", evidence="")
    assert checklist.recommendation_impact(report) == (
        "Recommendation 1 of review 'Adult E' is marked implemented but has no evidence of its "
        "impact recorded.",
    )
    assert ready_to_approve(check_report(report))


def test_recipients_adults(adults: AnnualReport) -> None:
    assert checklist.recipients_adults(adults) == ()
    assert checklist.recipients_adults(replace(adults, recipients=())) == (
        "The report does not say who it is sent to.",
    )
    assert checklist.recipients_adults(replace(adults, recipients=(" ",))) == (
        "The report does not say who it is sent to.",
    )
    some = replace(adults, recipients=adults.recipients[:2])
    assert checklist.recipients_adults(some) == (
        "The report does not say it is sent to the local Healthwatch organisation.",
        "The report does not say it is sent to the chair of the Health and Wellbeing Board.",
    )


def test_a_police_fire_and_crime_commissioner_is_the_policing_body(adults: AnnualReport) -> None:
    recipients = (
        "the Chief Executive of Larkhaven Council",
        "the Leader of Larkhaven Council",
        "the Police, Fire and Crime Commissioner for Larkshire",
        "Healthwatch Larkhaven",
        "the chair of the Larkhaven Health and Wellbeing Board",
    )
    assert checklist.recipients_adults(replace(adults, recipients=recipients)) == ()
    without_police = replace(adults, recipients=recipients[:2] + recipients[3:])
    assert checklist.recipients_adults(without_police) == (
        "The report does not say it is sent to the local policing body.",
    )


def test_recipients_children(children: AnnualReport) -> None:
    assert checklist.recipients_children(children) == ()
    assert checklist.recipients_children(replace(children, recipients=())) == (
        "The report does not say who it is sent to.",
    )
    panel_only = replace(children, recipients=PANEL_AND_FOUNDATIONS[:1])
    assert checklist.recipients_children(panel_only) == (
        "The report does not say it is sent to Foundations, the What Works Centre for children "
        "and families.",
    )


def test_priority_reviews(children: AnnualReport) -> None:
    assert checklist.priority_reviews(children) == ()
    assert checklist.priority_reviews(with_priority(children, 0, review_summary="")) == (
        "1 priority has no review of the year's progress: "
        "'Priority 1: safer transitions between services'.",
    )
    assert checklist.priority_reviews(replace(children, priorities=())) == (
        "No priorities are recorded, so the report cannot say how effective the arrangements "
        "have been.",
    )


def _without_statements(report: AnnualReport) -> AnnualReport:
    priorities = tuple(
        replace(p, evidence=tuple(replace(e, statement=None) for e in p.evidence))
        for p in report.priorities
    )
    return replace(report, priorities=priorities)


def test_impact_evidence(children: AnnualReport) -> None:
    assert checklist.impact_evidence(children) == ()
    no_statements = _without_statements(children)
    assert checklist.impact_evidence(no_statements) == ()  # the achievements record impact
    no_impact = replace(
        no_statements,
        achievements=tuple(replace(a, impact="") for a in children.achievements),
        training=(),
    )
    assert checklist.impact_evidence(no_impact) == (
        "No evidence of impact on children and families is recorded: no indicator with a "
        "statement and no achievement with its impact.",
        "No training is recorded.",
    )


def test_impact_per_priority(adults: AnnualReport) -> None:
    assert checklist.impact_per_priority(adults) == ()
    title = adults.priorities[1].title
    no_indicators = with_priority(adults, 1, evidence=())
    assert checklist.impact_per_priority(no_indicators) == (
        f"Priority '{title}' has no evidence of impact: no indicator with a statement and no "
        "achievement with its impact.",
    )
    only_activity = Achievement("Protocol launched", "Launched at a conference.", "", title)
    activity = replace(no_indicators, achievements=(only_activity,))
    assert checklist.impact_per_priority(activity) == checklist.impact_per_priority(no_indicators)
    with_impact = replace(only_activity, impact="Fewer readmissions.", priority=title.upper())
    assert checklist.impact_per_priority(replace(no_indicators, achievements=(with_impact,))) == ()


def test_slow_progress(children: AnnualReport) -> None:
    assert checklist.slow_progress(children) == ()
    assert checklist.slow_progress(replace(children, challenges=())) == (
        "No challenges are recorded, so the report does not say where progress on the "
        "priorities was slow.",
    )
    unanswered = tuple(replace(c, response="") for c in children.challenges[:2])
    assert checklist.slow_progress(replace(children, challenges=unanswered)) == (
        "2 challenges do not say what is being done about them: Challenge 1, Challenge 2.",
    )


def test_a_priority_with_red_actions_must_say_why(children: AnnualReport) -> None:
    title = children.priorities[0].title
    red = Action("Audit discharges", "Larkhaven Council", "Not started", rag="Red")
    stalled = with_priority(children, 0, actions=(red, red), review_summary="")
    assert checklist.slow_progress(stalled) == (
        f"Priority '{title}' has 2 actions rated red, but the report does not say why progress "
        "was slow.",
    )
    named = Challenge("Audit capacity", "No auditors this year.", "Two auditors seconded.", title)
    assert checklist.slow_progress(replace(stalled, challenges=(named,))) == ()


def test_feedback_used(adults: AnnualReport, children: AnnualReport) -> None:
    assert checklist.feedback_used(adults) == ()
    assert checklist.feedback_used(replace(adults, feedback=())) == (
        "No feedback from people who use services, their families or carers is recorded.",
    )
    assert checklist.feedback_used(replace(children, feedback=())) == (
        "No feedback from children and families is recorded.",
    )
    unchanged = tuple(replace(f, what_changed="") for f in children.feedback)
    assert checklist.feedback_used(replace(children, feedback=unchanged)) == (
        "1 piece of feedback does not say what changed because of it: Carers' survey.",
    )


def test_published_figures_note(adults: AnnualReport) -> None:
    assert checklist.published_figures_note(adults) == ()
    assert checklist.published_figures_note(replace(adults, figures_note="")) == (
        "The report does not say that its figures are published figures, rounded and with "
        "small numbers withheld.",
    )
