"""An invented annual report for tests and benchmarks: no real partnership, person or case.

``sample_report(priorities=n)`` grows with ``n`` (each priority brings actions, two charts,
achievements, challenges and a review), so a benchmark can ask for a report of any length.
"""

from __future__ import annotations

import datetime

from safeguarding.dashboards.charts import breakdown_chart, trend_chart
from safeguarding.dashboards.figures import Figure, IndicatorFigures, Place
from safeguarding.dashboards.statements import headline
from safeguarding.indicators.catalogue import catalogue
from safeguarding.reports import annual

COUNCIL = Place("E06000097", "Larkhaven", "la", "council")
ENGLAND = Place("E92000001", "England", "england", "england")
YEARS = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")


def _figures(indicator: str, start: float, step: float, shift: int = 0) -> IndicatorFigures:
    spec = catalogue().get(indicator)
    rows = []
    for number, period in enumerate(YEARS):
        for place, value in ((COUNCIL, start + step * number), (ENGLAND, start + 2.0)):
            rows.append(
                Figure(
                    indicator=indicator,
                    place=place,
                    period=period,
                    breakdown="total",
                    category="total",
                    value=value,
                    unit=spec.unit,
                    numerator=int(value * 10),
                    denominator=1000,
                    lower_ci=value - 2.1,
                    upper_ci=value + 2.1,
                    rounded=True,
                )
            )
    for category, value in (
        ("NEG", 95.0 + shift),
        ("PHY", 20.0 + shift),
        ("EMO", 35.0 + shift),
        ("SAB", None),
    ):
        rows.append(
            Figure(
                indicator="children.cp_plans_started",
                place=COUNCIL,
                period=YEARS[-1],
                breakdown="category_of_abuse",
                category=category,
                value=value,
                unit="count",
                numerator=int(value) if value is not None else None,
                suppressed=value is None,
                rounded=True,
            )
        )
    return IndicatorFigures(spec, COUNCIL, tuple(rows), YEARS, exact=False)


def _evidence(number: int) -> tuple[annual.Evidence, ...]:
    # Every priority's charts differ, as a real report's would: none is drawn twice.
    asked = _figures("adults.msp_asked_pct", 70.0 + 0.7 * number, 1.2)
    plans = _figures("children.cp_plans_started", 150.0, 4.0, shift=number)
    plans_spec = catalogue().get("children.cp_plans_started")
    plans = IndicatorFigures(plans_spec, COUNCIL, plans.figures, YEARS, exact=False)
    return (
        annual.Evidence(
            title=asked.spec.title,
            statement=headline(asked),
            chart=trend_chart(asked),
            why="Asking people what they want is the first test of Making Safeguarding Personal.",
        ),
        annual.Evidence(
            title="Child protection plans started, by category of abuse",
            statement=headline(plans),
            chart=breakdown_chart(plans, "category_of_abuse", YEARS[-1]),
        ),
    )


def _priority(number: int) -> annual.PriorityReport:
    return annual.PriorityReport(
        title=f"Priority {number}: safer transitions between services",
        description=(
            "People moving between hospital, home and care are most at risk when information "
            "does not move with them. We want every move planned with the person.\n\n"
            "This priority was chosen after two Safeguarding Adults Reviews found the same gap."
        ),
        success_measures="Fewer concerns raised within 30 days of a discharge.",
        outcome="Continuing",
        review_summary="Good progress on the protocol; the audit of discharges is late.",
        actions=tuple(
            annual.Action(
                title=f"Action {number}.{step}: agree a shared discharge checklist",
                owner="Larkhaven Hospitals NHS Foundation Trust",
                status="Complete" if step % 2 else "In progress",
                rag="Green" if step % 2 else "Amber",
                due=datetime.date(2026, 3, 31),
                latest_update="Checklist in use on all wards since January.",
            )
            for step in range(1, 5)
        ),
        evidence=_evidence(number),
    )


def _review(number: int, concluded: bool) -> annual.Review:
    return annual.Review(
        name=f"Adult {chr(ord('A') + number % 26)}",
        title="Self-neglect and hoarding",
        kind="Safeguarding Adults Review",
        status="published" if concluded else "in_progress",
        status_label="Published" if concluded else "In progress",
        referral_date=datetime.date(2025, 4, 10),
        decision_date=datetime.date(2025, 5, 20),
        publication_date=datetime.date(2026, 2, 1) if concluded else None,
        concluded_in_year=concluded,
        in_progress=not concluded,
        summary="An older man who declined help lived in a home that became unsafe.",
        findings="Agencies closed the case when help was refused." if concluded else "",
        themes=("Self-neglect", "Mental capacity"),
        recommendations=(
            annual.Recommendation(
                number=1,
                text="Adopt a multi-agency self-neglect protocol.",
                owner="Larkhaven Council",
                status="implemented",
                status_label="Implemented",
                actions="Protocol agreed in March.",
                evidence="Used in 42 cases; audit found it followed in 36.",
            ),
            annual.Recommendation(
                number=2,
                text="Train staff to assess executive functioning.",
                owner="Larkshire Community and Mental Health NHS Trust",
                accepted=False,
                reason_not_accepted="Covered by the national training programme.",
                status="not_implemented",
                status_label="Not implemented",
            ),
        ),
    )


def sample_report(priorities: int = 3, kind: str = "adults") -> annual.AnnualReport:
    """An invented report with ``priorities`` priorities (and as many reviews)."""
    return annual.AnnualReport(
        partnership="Larkhaven Safeguarding Adults Board"
        if kind == "adults"
        else "Larkhaven Safeguarding Children Partnership",
        short_name="LSAB" if kind == "adults" else "LSCP",
        kind=kind,
        area="Larkhaven",
        period="2025-26",
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
        foreword=(
            "This year the Board turned its attention from what we do to what difference it "
            "makes.\n\nI thank everyone who told us about their experience of safeguarding."
        ),
        chair="Dr Ruth Okonjo, independent chair (an invented person)",
        governance="The Board meets four times a year. Three subgroups do its work.",
        subgroups=(
            annual.Subgroup("Safeguarding Adults Review group", "Commissions reviews.", "Police"),
            annual.Subgroup("Quality and performance", "Reads the figures.", "ICB"),
        ),
        members=(
            annual.Member(
                "Larkhaven Council",
                "Statutory partner",
                "Director of Adult Services",
                "Led the self-neglect protocol and funded advocacy.",
            ),
            annual.Member(
                "Larkshire Police",
                "Statutory partner",
                "Detective Superintendent",
                "Trained 120 officers in recognising cuckooing.",
            ),
            annual.Member("Larkshire and Vale ICB", "Statutory partner", "Chief Nurse", ""),
        ),
        priorities=tuple(_priority(n) for n in range(1, priorities + 1)),
        achievements=tuple(
            annual.Achievement(
                f"Achievement {n}", "A protocol was agreed.", "Used in 42 cases.", f"Priority {n}"
            )
            for n in range(1, priorities + 1)
        ),
        challenges=tuple(
            annual.Challenge(
                f"Challenge {n}",
                "Advocacy waits are long.",
                "A business case for more advocates went to the council.",
            )
            for n in range(1, priorities + 1)
        ),
        reviews=tuple(_review(n, concluded=n % 2 == 0) for n in range(1, priorities + 2)),
        audits=(
            annual.Audit(
                "Self-neglect",
                "Complete",
                12,
                ("Larkhaven Council", "Larkshire Police"),
                "Good recording of capacity; poor follow-up.",
                "Re-audit in 2026.",
            ),
        ),
        feedback=(
            annual.Feedback(
                "Survey",
                datetime.date(2025, 11, 3),
                "Carers' survey",
                "Tell us who to call.",
                "A named contact is now given.",
            ),
        ),
        training=("Self-neglect briefings: 14 sessions, 310 people.", "Cuckooing e-learning."),
        next_priorities=(annual.NextPriority("Exploitation of adults", "Cuckooing and scams."),),
        recipients=(
            "the chief executive and leader of Larkhaven Council",
            "the local policing body (the Police and Crime Commissioner)",
            "the local Healthwatch",
            "the chair of the Health and Wellbeing Board",
        ),
    )
