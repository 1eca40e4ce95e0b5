"""Invented: Larkhaven Safeguarding Adults Board annual report 2024 to 2025."""

from __future__ import annotations

from .model import Bullet, Bullets, Numbered, Para, Report, Section, Table

REPORT = Report(
    slug="larkhaven-adults-board-2024-25",
    source="LSAB",
    title="Larkhaven Safeguarding Adults Board Annual Report 2024 to 2025",
    running_header="Larkhaven Safeguarding Adults Board | Annual Report 2024-25",
    heading_styles=False,
    scanned_text=(
        "Appendix B: Board membership and attendance",
        "Attendance at Board meetings was 87% over the year.",
        "Every statutory partner attended at least three of four meetings.",
    ),
    sections=(
        Section(
            "Introduction from the Independent Chair",
            1,
            "overview",
            (
                Para(
                    "I am pleased to introduce the annual report of the Larkhaven Safeguarding "
                    "Adults Board. The Care Act 2014 requires the Board to publish what it has "
                    "done each year to help and protect adults with care and support needs who "
                    "are experiencing, or at risk of, abuse or neglect."
                ),
                Para(
                    "The year brought a sharp rise in concerns about self-neglect and about "
                    "the quality of care in a small number of care homes. Partners responded "
                    "quickly, and I thank everyone who works to keep adults safe in Larkhaven."
                ),
            ),
        ),
        Section(
            "About the Board",
            1,
            "overview",
            (
                Para(
                    "The Board brings together the council, the integrated care board, the "
                    "police and a wide range of partners including the ambulance service, the "
                    "fire service, housing providers and Healthwatch Larkhaven."
                ),
                Para(
                    "It meets four times a year. Its work is carried out by three subgroups: "
                    "Performance and Quality, Safeguarding Adults Reviews, and Prevention and "
                    "Engagement, each with a chair from a different partner agency."
                ),
                Para(
                    "People with lived experience of safeguarding take part through the "
                    "Community Reference Group, which reviewed four of our leaflets this year "
                    "and helped to plan our awareness week in November."
                ),
                Para(
                    "The Board is funded by the council, the integrated care board and the "
                    "police. The budget pays for an independent chair, a business manager, "
                    "training, and the cost of Safeguarding Adults Reviews."
                ),
            ),
            columns=True,
        ),
        Section(
            "What we achieved",
            1,
            "achievements",
            (
                Para("Highlights of the year include:"),
                Bullets(
                    (
                        Bullet(
                            "We published a self-neglect and hoarding protocol, agreed by all "
                            "partners, with a clear route for escalating concerns.",
                            (
                                "Fire service home safety visits now include a hoarding check.",
                                "Housing officers were trained to use the clutter rating scale.",
                            ),
                        ),
                        Bullet(
                            "We ran a campaign on financial abuse and scams, which reached an "
                            "estimated 14,000 residents through pharmacies and libraries."
                        ),
                        Bullet(
                            "Making Safeguarding Personal is now recorded for 94% of concluded "
                            "enquiries, up from 81% last year."
                        ),
                        Bullet(
                            "We held our first joint conference with the children's partnership "
                            "on transitions for young people turning eighteen."
                        ),
                    )
                ),
            ),
        ),
        Section(
            "Safeguarding activity",
            1,
            "other",
            (
                Table(
                    "Safeguarding concerns and enquiries in Larkhaven",
                    ("Measure", "2023-24", "2024-25"),
                    (
                        ("Safeguarding concerns received", "3,118", "3,402"),
                        ("Section 42 enquiries started", "842", "905"),
                        ("Other safeguarding enquiries started", "126", "140"),
                        ("Enquiries where risk was reduced or removed", "89%", "91%"),
                    ),
                ),
                Para(
                    "The most common types of abuse in concluded enquiries were neglect and acts "
                    "of omission, followed by self-neglect and financial abuse."
                ),
            ),
        ),
        Section(
            "Challenges we faced",
            1,
            "challenges",
            (
                Para(
                    "Concerns about self-neglect rose by a third, and many involved people who "
                    "did not want help and whose capacity to decide was unclear.",
                    number="5.1.",
                ),
                Para(
                    "Two care homes were placed under organisational safeguarding "
                    "arrangements, which drew heavily on the time of quality assurance staff.",
                    number="5.2.",
                ),
                Para(
                    "Data from partner agencies still arrives in different forms, which makes it "
                    "hard to see the whole picture of risk in the borough.",
                    number="5.3.",
                ),
            ),
        ),
        Section(
            "Safeguarding Adults Reviews",
            1,
            "recommendations",
            (
                Para(
                    "The Board completed one Safeguarding Adults Review, about Mr K, a man in his "
                    "seventies who died after a long period of self-neglect. Its "
                    "recommendations were that:"
                ),
                Bullets(
                    (
                        Bullet(
                            "Agencies should hold a multi-agency risk management meeting whenever "
                            "a person repeatedly declines support that they need."
                        ),
                        Bullet(
                            "Practitioners should record how they assessed mental capacity for "
                            "each specific decision."
                        ),
                        Bullet(
                            "Primary care should be invited to every meeting about an adult who "
                            "is self-neglecting."
                        ),
                    )
                ),
            ),
        ),
        Section("Case studies", 1, "other"),
        Section(
            "Our priorities for 2025-26",
            1,
            "priorities",
            (
                Para("The Board has agreed these priorities for the coming year:"),
                Numbered(
                    (
                        "Prevent abuse and neglect by raising awareness in communities and "
                        "among the people who work with them.",
                        "Improve how partners respond to self-neglect and hoarding.",
                        "Make sure that learning from Safeguarding Adults Reviews changes "
                        "practice.",
                        "Strengthen safeguarding in care homes and home care services.",
                        "Listen to people with lived experience and act on what they tell us.",
                    ),
                    name="priority",
                ),
            ),
            new_page=True,
        ),
    ),
)
