"""Invented: Larkhaven Safeguarding Children Partnership annual report 2024 to 2025."""

from __future__ import annotations

from .model import Bullet, Bullets, Numbered, Para, Report, Section, Table

REPORT = Report(
    slug="larkhaven-children-partnership-2024-25",
    source="LSCP",
    title="Larkhaven Safeguarding Children Partnership Annual Report 2024 to 2025",
    running_header="Larkhaven Safeguarding Children Partnership | Annual Report 2024-25",
    heading_styles=True,
    scanned_text=(
        "Appendix C: Statement from the Independent Scrutineer",
        "I have read this report and the evidence behind it.",
        "The partnership knows its strengths and where it must improve.",
        "Signed by the Independent Scrutineer, September 2025.",
    ),
    sections=(
        Section(
            "Foreword",
            1,
            "overview",
            (
                Para(
                    "Welcome to the annual report of the Larkhaven Safeguarding Children "
                    "Partnership for April 2024 to March 2025. The report sets out what the three "
                    "safeguarding partners, the council, the integrated care board and the police, "
                    "did together with schools, health providers and the voluntary sector to keep "
                    "children in the borough safe."
                ),
                Para(
                    "This has been a year of steady progress. Demand for children's social care "
                    "remained high, and practitioners told us that families are under more "
                    "pressure from the cost of living than at any time in recent memory. We are "
                    "proud of the care and persistence shown by staff across every agency."
                ),
            ),
        ),
        Section(
            "About the partnership",
            1,
            "overview",
            (
                Para(
                    "The partnership was set up under Working Together to Safeguard Children. "
                    "The lead safeguarding partners meet every quarter as the Executive Group, "
                    "supported by a business unit of four staff hosted by Larkhaven Council."
                ),
                Para(
                    "Three subgroups carry out most of the work: Quality Assurance and "
                    "Performance, Learning and Development, and the Child Safeguarding Practice "
                    "Review Group. Each subgroup is chaired by a senior leader from a different "
                    "agency, so that no single organisation owns the agenda."
                ),
                Para(
                    "Education settings are represented by two head teachers and the designated "
                    "safeguarding lead forum, which meets each term. Our Independent Scrutineer "
                    "attends the Executive Group and reports to it twice a year on how well the "
                    "arrangements are working."
                ),
                Para(
                    "The partnership is funded by contributions from the council, the integrated "
                    "care board and the police, agreed each year. In 2024-25 the budget was "
                    "three hundred and twelve thousand pounds, almost all of it spent on the "
                    "business unit, training and reviews."
                ),
            ),
            columns=True,
        ),
        Section(
            "What we achieved in 2024-25",
            1,
            "achievements",
            (
                Para("Over the year the partnership delivered most of its plan. In particular:"),
                Bullets(
                    (
                        Bullet(
                            "We launched a single front door for early help, so that families "
                            "reach the right service at the first contact."
                        ),
                        Bullet(
                            "We trained 1,240 practitioners in our neglect toolkit, which is now "
                            "used in every children's centre and primary school.",
                            (
                                "Health visitors use the toolkit at every new birth visit.",
                                "Schools report that referrals about neglect now arrive with "
                                "clearer evidence.",
                            ),
                        ),
                        Bullet(
                            "We reduced the time taken to hold strategy discussions, with 91% now "
                            "held within one working day."
                        ),
                        Bullet(
                            "Young people from the Larkhaven Youth Voice group helped us rewrite "
                            "our guidance on exploitation in plain language."
                        ),
                    )
                ),
            ),
        ),
        Section(
            "Keeping children safe from exploitation",
            2,
            "achievements",
            (
                Para(
                    "The contextual safeguarding panel met monthly and mapped places where young "
                    "people were at risk, including two retail parks and a bus interchange."
                ),
                Bullets(
                    (
                        Bullet("Police disrupted three county lines operating in the borough."),
                        Bullet(
                            "Detached youth workers reached 380 young people in the evenings "
                            "and at weekends."
                        ),
                    )
                ),
            ),
        ),
        Section(
            "Our work in numbers",
            1,
            "other",
            (
                Table(
                    "Children's social care activity in Larkhaven",
                    ("Measure", "2023-24", "2024-25"),
                    (
                        ("Contacts to the front door", "9,812", "10,406"),
                        ("Referrals to children's social care", "2,754", "2,690"),
                        ("Children on a child protection plan at 31 March", "212", "198"),
                        ("Children looked after at 31 March", "301", "296"),
                    ),
                ),
                Para(
                    "Referrals fell slightly while contacts rose, which suggests that more "
                    "families were helped at the first contact without a formal referral."
                ),
            ),
        ),
        Section(
            "Challenges",
            1,
            "challenges",
            (
                Para(
                    "Recruitment and retention of experienced social workers remains our "
                    "greatest risk, with one in five posts filled by agency staff.",
                    number="4.1.",
                ),
                Para(
                    "Waiting times for child and adolescent mental health assessments rose to "
                    "fourteen weeks, and schools describe a growing number of pupils in crisis.",
                    number="4.2.",
                ),
                Para(
                    "Information sharing between adult mental health services and children's "
                    "services is still too slow when a parent is admitted to hospital.",
                    number="4.3.",
                ),
            ),
        ),
        Section(
            "Learning from reviews",
            1,
            "recommendations",
            (
                Para(
                    "We completed one local child safeguarding practice review, about a baby "
                    "who suffered a serious injury at home. The review made these "
                    "recommendations:"
                ),
                Bullets(
                    (
                        Bullet(
                            "Midwives and health visitors should ask about every adult living in "
                            "the household, not only the parents."
                        ),
                        Bullet(
                            "All agencies should use the safer sleep guidance at every contact "
                            "with families of babies under one."
                        ),
                        Bullet(
                            "The partnership should audit how fathers and male carers are "
                            "included in assessments."
                        ),
                    )
                ),
            ),
        ),
        Section("Partner contributions", 1, "other"),
        Section(
            "Our priorities for 2025-26",
            1,
            "priorities",
            (
                Para("Next year we will focus on four priorities:"),
                Numbered(
                    (
                        "Tackle neglect earlier, by embedding the neglect toolkit in every "
                        "agency and measuring its effect.",
                        "Protect children and young people from exploitation inside and "
                        "outside the home.",
                        "Improve the emotional wellbeing and mental health of children and "
                        "young people.",
                        "Hear the voice of children and families in everything the partnership "
                        "does.",
                    ),
                    name="priority",
                ),
            ),
            new_page=True,
        ),
    ),
)
