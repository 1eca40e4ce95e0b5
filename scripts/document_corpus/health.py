"""Invented: Larkhaven Joint Health and Wellbeing Strategy, annual progress report 2024-25."""

from __future__ import annotations

from .model import Bullet, Bullets, Numbered, Para, Report, Section, Table

REPORT = Report(
    slug="larkhaven-health-wellbeing-strategy-2024-25",
    source="HWBS",
    title="Larkhaven Joint Health and Wellbeing Strategy Progress Report 2024 to 2025",
    running_header="Larkhaven Health and Wellbeing Board | Strategy progress report",
    heading_styles=True,
    scanned_text=(
        "Appendix A: Health and Wellbeing Board members",
        "The Board is chaired by the Leader of Larkhaven Council.",
        "Members agreed this report at their meeting in July 2025.",
    ),
    sections=(
        Section(
            "Foreword",
            1,
            "overview",
            (
                Para(
                    "Our Joint Health and Wellbeing Strategy sets out how the council, the NHS "
                    "and our communities will work together so that everyone in Larkhaven can "
                    "live a longer and healthier life. This report looks back on the first year "
                    "of the strategy."
                ),
                Para(
                    "Healthy life expectancy in the most deprived wards is still eleven years "
                    "lower than in the least deprived. Closing that gap is the test by which the "
                    "Board wants to be judged."
                ),
            ),
        ),
        Section(
            "About the Health and Wellbeing Board",
            1,
            "overview",
            (
                Para(
                    "The Health and Wellbeing Board is a committee of the council that brings "
                    "together councillors, the Director of Public Health, the Directors of "
                    "Adult and Children's Services, the integrated care board and Healthwatch."
                ),
                Para(
                    "It oversees the Joint Strategic Needs Assessment, the Better Care Fund and "
                    "this strategy. The safeguarding partnerships report to the Board each year "
                    "so that shared priorities can be agreed and followed through."
                ),
                Para(
                    "The Board meets in public five times a year. Residents can ask questions at "
                    "each meeting, and the papers are published a week in advance on the "
                    "council's website."
                ),
                Para(
                    "A smaller delivery group of officers meets each month to track the actions "
                    "in the strategy and to prepare reports for the Board."
                ),
            ),
            columns=True,
        ),
        Section(
            "Progress in the first year",
            1,
            "achievements",
            (
                Para("The Board can point to real progress against the strategy:"),
                Bullets(
                    (
                        Bullet(
                            "The Healthy Homes programme insulated 420 cold homes occupied by "
                            "people with long-term conditions."
                        ),
                        Bullet(
                            "Smoking in pregnancy fell to 7.9%, the lowest figure the borough "
                            "has recorded.",
                            (
                                "Every maternity booking now includes a carbon monoxide test.",
                                "Stop smoking advisers work within the antenatal clinics.",
                            ),
                        ),
                        Bullet(
                            "Social prescribing link workers supported 2,150 residents to join "
                            "community groups and activities."
                        ),
                        Bullet(
                            "Ten schools joined the Daily Mile and a further six will start in "
                            "the autumn term."
                        ),
                    )
                ),
            ),
        ),
        Section(
            "Measures of health",
            1,
            "other",
            (
                Table(
                    "Selected measures from the strategy's outcomes framework",
                    ("Measure", "Baseline", "Latest"),
                    (
                        ("Smoking status at time of delivery", "9.6%", "7.9%"),
                        ("Adults who are physically active", "61.2%", "63.0%"),
                        ("Children in reception who are overweight", "22.8%", "22.1%"),
                        ("Emergency admissions for falls, people aged 65+", "2,310", "2,245"),
                    ),
                ),
                Para(
                    "Most measures moved in the right direction, although the gap between the "
                    "most and least deprived wards has not yet narrowed."
                ),
            ),
        ),
        Section(
            "What has been difficult",
            1,
            "challenges",
            (
                Para(
                    "Funding for prevention remains short-term, which makes it hard to keep "
                    "experienced staff in community programmes.",
                    number="3.1.",
                ),
                Para(
                    "Waiting lists for adult mental health and memory assessment services grew "
                    "during the year.",
                    number="3.2.",
                ),
                Para(
                    "Fewer than half of eligible residents took up the NHS Health Check.",
                    number="3.3.",
                ),
            ),
        ),
        Section(
            "Recommendations to the Board",
            1,
            "recommendations",
            (
                Para("The delivery group asks the Board to:"),
                Bullets(
                    (
                        Bullet(
                            "Agree a three-year funding plan for the prevention programmes that "
                            "have shown results."
                        ),
                        Bullet(
                            "Ask both safeguarding partnerships to report on the priorities they "
                            "share with this strategy."
                        ),
                        Bullet(
                            "Commission a review of how residents in the most deprived wards use "
                            "the NHS Health Check."
                        ),
                    )
                ),
            ),
        ),
        Section("Resident stories", 1, "other"),
        Section(
            "Priorities for the year ahead",
            1,
            "priorities",
            (
                Para("In 2025-26 the Board will concentrate on these priorities:"),
                Numbered(
                    (
                        "Give every child the best start in life, with a focus on the first "
                        "thousand days.",
                        "Improve mental health and emotional wellbeing across all ages.",
                        "Help people to live well with long-term conditions and to age well.",
                        "Reduce the harm caused by tobacco, alcohol and drugs.",
                        "Make Larkhaven a place where people are safe from abuse, neglect and "
                        "exploitation.",
                    ),
                    name="priority",
                ),
            ),
            new_page=True,
        ),
    ),
)
