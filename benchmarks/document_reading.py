"""Benchmark: reading a 100-page partnership report PDF into blocks.

Builds an invented report of ``--pages`` pages with WeasyPrint in a temporary folder (running
header and page numbers, headings set only by size, bullet and numbered lists, numbered
paragraphs, a bordered table every few pages, a two-column section now and then), every
paragraph, sentence and list item different, then times ``read_pdf`` on it: the median of
``--runs`` runs, after one untimed run that loads the libraries.

The target is well under 4 s for 100 pages on this 2-core machine, since reading and
classifying the statements share a 5 s budget.

    .venv/bin/python benchmarks/document_reading.py [--pages 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import html
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2

from safeguarding.documents.limits import DEFAULT_LIMITS
from safeguarding.documents.pdf import read_pdf

TARGET_SECONDS = 4.0

_CSS = """
@page { size: A4; margin: 2.4cm 2.2cm;
  @top-center { content: "Larkhaven Safeguarding Partnerships | Annual Report"; font-size: 8.5pt; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8.5pt; } }
body { font-family: "Liberation Sans", sans-serif; font-size: 11pt; line-height: 1.3; }
p { margin: 0 0 7pt 0; }
p.h1 { font-size: 16pt; margin: 14pt 0 8pt 0; }
p.h2 { font-size: 13.5pt; margin: 10pt 0 6pt 0; }
li { margin-bottom: 4pt; }
.columns { column-count: 2; column-gap: 28pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
td, th { border: 0.75pt solid #333; padding: 3pt 5pt; font-size: 10pt; text-align: left; }
"""


# Invented clauses, combined at random (with a fixed seed) so that no two paragraphs, sentences
# or list items of the report are the same: a repeated text is classified once, so a report
# that repeated itself would time the classifier on far fewer statements than it holds.
_TOPICS = (
    "neglect",
    "child exploitation",
    "domestic abuse",
    "self-neglect and hoarding",
    "financial abuse and scams",
    "mental health crises",
    "transitions to adulthood",
    "quality of care in care homes",
    "children missing education",
    "safer sleep for babies",
    "cuckooing",
    "suicide prevention",
)
_WARDS = (
    "Saltmarsh",
    "Harbourside",
    "Kestrel Fields",
    "Old Quay",
    "Fenwick",
    "Marsh End",
    "Northgate",
    "Wrenfold",
    "Eastcliff",
    "Tidewater",
    "Larkhill",
    "Brannock",
)
_SERVICES = (
    "health visitors",
    "the police public protection unit",
    "school safeguarding leads",
    "the early help service",
    "the adult safeguarding hub",
    "the community mental health team",
    "housing officers",
    "the youth justice service",
    "GP practices",
    "the ambulance service",
    "the fire and rescue service",
    "domestic abuse advocates",
    "care home managers",
    "the drug and alcohol service",
    "midwives",
    "the children's social care front door",
)
_OPENINGS = (
    "During the year",
    "Over the twelve months",
    "From the spring onwards",
    "In the first half of the year",
    "After the autumn review",
    "Since the new arrangements began",
    "Through the winter",
    "Building on last year's work",
)
_ACTIONS = (
    "shared information earlier about {topic}",
    "agreed a single plan with each family affected by {topic}",
    "held joint visits where {topic} was suspected",
    "set up a weekly meeting to look at new cases of {topic}",
    "used the partnership's screening tool for {topic}",
    "tested a new referral pathway for {topic}",
    "trained their duty staff on {topic}",
    "took part in a case audit on {topic}",
)
_FINDINGS = (
    "records showed a clearer understanding of risk than the year before",
    "the person's own words appeared in more assessments",
    "fewer referrals were passed back and forth between teams",
    "managers said decisions were recorded with their reasons",
    "families said they had to tell their story fewer times",
    "practitioners felt more confident to challenge one another",
    "cases were closed with a clear plan for who would follow up",
    "the gap between a concern and a first visit shortened",
)
_DIFFICULTIES = (
    "staff turnover meant that some of the training had to be repeated",
    "information systems still could not talk to one another",
    "waiting lists for specialist help stayed longer than partners wanted",
    "out-of-hours cover was thin at weekends",
    "agencies recorded {topic} in different ways, so the figures were hard to compare",
    "some families declined help and cases were closed too early",
    "the audit found chronologies were rarely up to date",
    "demand rose faster than the extra posts could be filled",
)
_STAFF = (
    "practitioners",
    "frontline staff",
    "designated leads",
    "volunteers",
    "managers",
    "call handlers",
    "receptionists",
    "newly qualified workers",
)
_AIMS = (
    "so that help arrives sooner",
    "so that people are asked what they want to happen",
    "so that no one falls between services",
    "so that the partnership can show the difference it makes",
    "so that families hear one consistent message",
    "so that risks are spotted before a crisis",
)


class _Writer:
    """Invented sentences, each one different from every other in the report."""

    def __init__(self, seed: int = 20261125) -> None:
        self.random = random.Random(seed)
        self.seen: set[str] = set()

    def pick(self, pool: tuple[str, ...]) -> str:
        return self.random.choice(pool)

    def fresh(self, make: Callable[[], str]) -> str:
        """A text from ``make`` that the report has not used yet."""
        for _ in range(1000):
            text = make()
            if text not in self.seen:
                self.seen.add(text)
                return text
        raise RuntimeError("The clause pools are too small for a report this long.")

    def finding(self, topic: str, ward: str) -> str:
        return self.fresh(
            lambda: (
                f"{self.pick(_OPENINGS)}, {self.pick(_SERVICES)} in {ward} "
                f"{self.pick(_ACTIONS).format(topic=topic)}, and an audit of "
                f"{self.random.randint(12, 60)} cases found that {self.pick(_FINDINGS)}."
            )
        )

    def follow_up(self, topic: str) -> str:
        return self.fresh(
            lambda: (
                f"{self.random.randint(40, 95)}% of {self.pick(_STAFF)} who replied to the "
                f"survey said the work on {topic} had changed how they practise, and "
                f"{self.pick(_SERVICES)} asked for the approach to continue."
            )
        )

    def difficulty(self, topic: str, ward: str) -> str:
        return self.fresh(
            lambda: (
                f"In {ward}, {self.pick(_DIFFICULTIES).format(topic=topic)}; "
                f"{self.pick(_SERVICES)} raised this with the partnership in "
                f"{self.pick(('April', 'June', 'September', 'November', 'January', 'March'))}."
            )
        )

    def achievement(self, topic: str) -> str:
        return self.fresh(
            lambda: (
                f"With {self.pick(_SERVICES)}, we trained {self.random.randint(24, 480)} "
                f"{self.pick(_STAFF)} to recognise {topic} and act on it quickly, supported by "
                f"the designated leads in {self.pick(_WARDS)}."
            )
        )

    def priority(self, topic: str) -> str:
        return self.fresh(
            lambda: (
                f"Improve how {self.pick(_SERVICES)} and {self.pick(_SERVICES)} respond to "
                f"{topic} in {self.pick(_WARDS)}, {self.pick(_AIMS)}."
            )
        )


def _chapter(n: int, writer: _Writer) -> str:
    """One chapter of about a page and a half of invented report text."""
    topic = _TOPICS[n % len(_TOPICS)]
    # Each chapter a different topic and ward pair, so that no two headings are the same.
    ward = _WARDS[(n // len(_TOPICS) * 5 + n) % len(_WARDS)]

    def paragraph() -> str:
        return f"<p>{writer.finding(topic, ward)} {writer.follow_up(topic)}</p>"

    parts = [f"<p class='h1'>{n}. Our work on {html.escape(topic)} in {ward}</p>"]
    if n % 5 == 0:
        parts += ["<div class='columns'>", *(paragraph() for _ in range(4)), "</div>"]
    else:
        parts += [paragraph(), paragraph()]
    parts.append("<p class='h2'>What we achieved</p><ul>")
    parts += [f"<li>{writer.achievement(topic)}</li>" for _ in range(4)]
    parts.append("</ul><p class='h2'>What we found difficult</p>")
    parts += [
        f"<p>{n}.{k}. {writer.difficulty(topic, ward)} {writer.finding(topic, ward)}</p>"
        for k in range(1, 3)
    ]
    if n % 3 == 0:
        rows = "".join(
            f"<tr><td>{html.escape(writer.pick(_SERVICES)).capitalize()}: measure {n}.{k}</td>"
            f"<td>{100 + k * n}</td><td>{90 + k * n}</td></tr>"
            for k in range(5)
        )
        parts.append(f"<table><tr><th>Measure</th><th>Last year</th><th>This year</th></tr>{rows}")
        parts.append("</table>")
    parts.append("<p class='h2'>Our priorities</p><ol>")
    parts += [f"<li>{writer.priority(topic)}</li>" for _ in range(2)]
    parts.append("</ol>")
    return "".join(parts)


def make_long_report_pdf(path: Path, pages: int = 100) -> int:
    """Writes an invented report of at least ``pages`` pages to ``path``; returns its pages."""
    import weasyprint

    chapters = max(1, round(pages / 1.4))
    while True:
        writer = _Writer()  # the same seed each time: the same report for the same pages
        body = "".join(_chapter(n, writer) for n in range(1, chapters + 1))
        document = weasyprint.HTML(
            string=f"<html><head><style>{_CSS}</style></head><body>{body}</body></html>"
        ).render()
        if len(document.pages) >= pages:
            document.write_pdf(path)
            return len(document.pages)
        chapters += max(1, round((pages - len(document.pages)) / 1.4))


def time_reading(path: Path, runs: int) -> list[float]:
    data = path.read_bytes()
    read_pdf(data, limits=DEFAULT_LIMITS)  # libraries loaded, not timed
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read_pdf(data, limits=DEFAULT_LIMITS)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "long-report.pdf"
        printed = make_long_report_pdf(path, args.pages)
        document = pypdfium2.PdfDocument(str(path))
        assert len(document) == printed
        document.close()
        times = time_reading(path, args.runs)
    median = statistics.median(times)
    print(f"PDF: {printed} pages, {path.name}")
    print(f"read_pdf: median {median:.2f} s over {args.runs} runs (", end="")
    print(", ".join(f"{t:.2f}" for t in times) + " s)")
    print(
        f"target: under {TARGET_SECONDS:.0f} s: {'met' if median < TARGET_SECONDS else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
