"""Evaluation: how well the shared-priorities analysis finds what a policy officer would find.

Each invented borough under ``evaluation/alignment/development/`` (or ``held_out/`` with
``--held-out``) has a children's partnership annual report, a Safeguarding Adults Board annual
report, a Health and Wellbeing Strategy and an ``expected.yaml`` written before the pipeline was
run on them. For each borough this reads the documents with ``read_document``, runs ``align``
and compares:

- **shared themes**: the predicted ``shared_themes`` ids against the expected ones;
- **evidence**: each predicted evidence item of a shared theme against the expected sentences
  for that theme and source (the matching rule is ``evidence_matches``);
- **focus areas**: the predicted ``additional_focus_areas`` ids against the expected ones
  (reported; no target).

Overall figures pool the counts of every borough (micro-averages). The target is 0.8 or
better for shared-theme and evidence precision and recall; ``--strict`` makes the command exit
1 below it. See ``docs/evaluation.md``.

    .venv/bin/python evaluation/run_alignment.py [--held-out] [--strict] [--details]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CASES = HERE / "alignment"
TARGET = 0.8
# A predicted evidence item shorter than this (in normalised words) never matches: a heading
# such as "Priorities" or a fragment such as "and carers" would otherwise be "contained" in
# almost any expected sentence.
MIN_MATCH_WORDS = 4


class CaseProblem(ValueError):
    """An evaluation case (a borough's folder) that is incomplete or malformed."""


# ---------------------------------------------------------------------------------------------
# Matching and scoring (no model needed; unit-tested on hand-made cases)


def normalise(text: str) -> str:
    """Lower case, Unicode compatibility forms, every run of non-letters-or-digits one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # Apostrophes join a word rather than split it ("children's" -> "childrens"), however typed.
    text = re.sub(r"[\u2019\u2018'`]", "", text)
    return " ".join(re.findall(r"[^\W_]+", text))


def evidence_matches(predicted: str, expected: str) -> bool:
    """Whether a predicted evidence text is the expected sentence, a part of it, or contains it.

    Both are normalised (``normalise``); they match when one contains the other as a run of
    whole words and the shorter has at least ``MIN_MATCH_WORDS`` words.
    """
    pred, exp = normalise(predicted), normalise(expected)
    if not pred or not exp:
        return False
    shorter, longer = (pred, exp) if len(pred) <= len(exp) else (exp, pred)
    if len(shorter.split()) < MIN_MATCH_WORDS:
        return False
    return f" {shorter} " in f" {longer} "


@dataclass
class Counts:
    """True positives, predicted and expected counts for one measure."""

    correct_predicted: int = 0
    predicted: int = 0
    found_expected: int = 0
    expected: int = 0

    def add(self, other: Counts) -> None:
        self.correct_predicted += other.correct_predicted
        self.predicted += other.predicted
        self.found_expected += other.found_expected
        self.expected += other.expected

    @property
    def precision(self) -> float | None:
        """Correct predictions over predictions; None when nothing was predicted."""
        return self.correct_predicted / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """Expected items found over expected items; None when nothing was expected."""
        return self.found_expected / self.expected if self.expected else None


def score_ids(predicted: Iterable[str], expected: Iterable[str]) -> Counts:
    """Precision and recall counts of one set of theme ids against another."""
    pred, exp = set(predicted), set(expected)
    hits = len(pred & exp)
    return Counts(hits, len(pred), hits, len(exp))


@dataclass(frozen=True)
class EvidenceItem:
    theme: str
    source: str
    text: str


def score_evidence(
    predicted: Sequence[EvidenceItem],
    expected: Mapping[str, Mapping[str, Sequence[str]]],
) -> Counts:
    """Precision and recall counts of predicted evidence against ``expected[theme][source]``.

    A predicted item is correct when it matches (``evidence_matches``) an expected sentence for
    the same theme and source; an item for a theme that is not expected to be shared is wrong.
    An expected sentence is found when some predicted item for its theme and source matches it.
    Each distinct predicted text counts once per theme and source.
    """
    unique = list(dict.fromkeys(predicted))
    counts = Counts(predicted=len(unique))
    for item in unique:
        sentences = expected.get(item.theme, {}).get(item.source, ())
        if any(evidence_matches(item.text, sentence) for sentence in sentences):
            counts.correct_predicted += 1
    for theme, by_source in expected.items():
        for source, sentences in by_source.items():
            offered = [i.text for i in unique if i.theme == theme and i.source == source]
            for sentence in sentences:
                counts.expected += 1
                if any(evidence_matches(text, sentence) for text in offered):
                    counts.found_expected += 1
    return counts


def evidence_of(alignment: Mapping[str, Any]) -> list[EvidenceItem]:
    """Every evidence item of every predicted shared theme."""
    return [
        EvidenceItem(shared["theme"], item["source"], item["text"])
        for shared in alignment.get("shared_themes", [])
        for item in shared.get("evidence", [])
    ]


@dataclass
class BoroughScore:
    borough: str
    shared: Counts
    evidence: Counts
    focus: Counts
    # Evidence scored only on themes both predicted and expected: says whether the quotes are
    # right where the theme is right, apart from the themes themselves.
    evidence_on_hits: Counts
    notes: list[str] = field(default_factory=list)


def score_borough(
    borough: str, alignment: Mapping[str, Any], expected: Mapping[str, Any]
) -> BoroughScore:
    """All the measures for one borough, with notes saying what was missed or added."""
    predicted_shared = [t["theme"] for t in alignment.get("shared_themes", [])]
    predicted_focus = [t["theme"] for t in alignment.get("additional_focus_areas", [])]
    expected_shared = list(expected.get("shared_themes") or [])
    expected_focus = list(expected.get("additional_focus_areas") or [])
    expected_evidence = expected.get("evidence") or {}
    items = evidence_of(alignment)
    hits = set(predicted_shared) & set(expected_shared)
    notes = []
    for theme in sorted(set(expected_shared) - set(predicted_shared)):
        where = " (reported as a focus area)" if theme in predicted_focus else ""
        notes.append(f"missed shared theme {theme}{where}")
    for theme in sorted(set(predicted_shared) - set(expected_shared)):
        where = " (expected as a focus area)" if theme in expected_focus else ""
        notes.append(f"extra shared theme {theme}{where}")
    for theme in sorted(set(expected_focus) - set(predicted_focus)):
        notes.append(f"missed focus area {theme}")
    for theme in sorted(set(predicted_focus) - set(expected_focus)):
        notes.append(f"extra focus area {theme}")
    return BoroughScore(
        borough=borough,
        shared=score_ids(predicted_shared, expected_shared),
        evidence=score_evidence(items, expected_evidence),
        focus=score_ids(predicted_focus, expected_focus),
        evidence_on_hits=score_evidence(
            [i for i in items if i.theme in hits],
            {t: s for t, s in expected_evidence.items() if t in hits},
        ),
        notes=notes,
    )


# ---------------------------------------------------------------------------------------------
# Reading the cases


@dataclass(frozen=True)
class CaseDocument:
    source: str
    kind: str  # "partnership" or "strategy"
    path: Path
    convert_to: str | None = None  # "docx": written from the Markdown by the runner


@dataclass(frozen=True)
class Case:
    borough: str
    folder: Path
    documents: tuple[CaseDocument, ...]
    expected: dict[str, Any]


def load_case(folder: Path) -> Case:
    """A borough's ``expected.yaml`` and the documents it names."""
    path = folder / "expected.yaml"
    if not path.is_file():
        raise CaseProblem(f"{folder.name}: no expected.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CaseProblem(f"{path}: expected a mapping at the top")
    for key in ("borough", "documents", "shared_themes", "additional_focus_areas", "evidence"):
        if key not in data:
            raise CaseProblem(f"{path}: no {key!r}")
    documents = []
    for entry in data["documents"]:
        file = folder / entry["file"]
        if not file.is_file():
            raise CaseProblem(f"{path}: the document {entry['file']} is missing")
        if entry["kind"] not in ("partnership", "strategy"):
            raise CaseProblem(f"{path}: kind must be partnership or strategy")
        documents.append(CaseDocument(entry["source"], entry["kind"], file, entry.get("as")))
    return Case(str(data["borough"]), folder, tuple(documents), data)


def load_cases(held_out: bool) -> list[Case]:
    """Every borough in the development set, or in the held-out set."""
    root = CASES / ("held_out" if held_out else "development")
    return [load_case(folder) for folder in sorted(p for p in root.iterdir() if p.is_dir())]


_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def strip_emphasis(text: str) -> str:
    """Markdown bold and italic markers removed, keeping their words."""
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), text)


def plain_text(path: Path) -> str:
    """A document's words as a reader sees them, whitespace collapsed: for checking quotes."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix in (".html", ".htm"):
        import lxml.html

        root = lxml.html.document_fromstring(raw)
        # Block elements end with a space so that adjacent items do not run together.
        for element in root.iter("p", "li", "h1", "h2", "h3", "h4", "td", "th", "div"):
            element.tail = " " + (element.tail or "")
        text = root.text_content()
    else:
        text = strip_emphasis(raw)
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Markdown to DOCX, for the documents a borough keeps as Word files


_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


def markdown_to_docx(markdown: str, out: Path) -> None:
    """A Word file with the headings, paragraphs, lists and tables of simple Markdown."""
    import docx

    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(table_rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
        table_rows.clear()

    def add_runs(paragraph: Any, text: str) -> None:
        # Bold lead-ins ("**Prevention** by ...") as bold runs, the way officers format them.
        position = 0
        for match in re.finditer(r"\*\*(.+?)\*\*", text):
            paragraph.add_run(text[position : match.start()])
            paragraph.add_run(match.group(1)).bold = True
            position = match.end()
        paragraph.add_run(strip_emphasis(text[position:]))

    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            if not _TABLE_RULE.match(stripped):
                table_rows.append([cell.strip() for cell in stripped.strip("|").split("|")])
            continue
        flush_table()
        if not stripped:
            continue
        if heading := re.match(r"^(#{1,6})\s+(.*)", stripped):
            document.add_heading(strip_emphasis(heading.group(2)), level=len(heading.group(1)))
        elif bullet := re.match(r"^[-*]\s+(.*)", stripped):
            add_runs(document.add_paragraph(style="List Bullet"), bullet.group(1))
        elif number := re.match(r"^\d+\.\s+(.*)", stripped):
            add_runs(document.add_paragraph(style="List Number"), number.group(1))
        else:
            add_runs(document.add_paragraph(), stripped)
    flush_table()
    document.save(str(out))


# ---------------------------------------------------------------------------------------------
# Running the pipeline


def run_case(case: Case, workdir: Path, taxonomy: Any, embedder: Any) -> dict[str, Any]:
    """The alignment JSON the pipeline produces for one borough."""
    from safeguarding.documents.extract import read_document
    from safeguarding.themes.alignment import Source, align

    sources = []
    for item in case.documents:
        path = item.path
        if item.convert_to == "docx":
            path = workdir / f"{case.folder.name}-{item.path.stem}.docx"
            markdown_to_docx(item.path.read_text(encoding="utf-8"), path)
        document = read_document(path, item.source)
        sources.append(Source(item.source, item.kind, document, path.name))  # type: ignore[arg-type]
    return align(sources, taxonomy=taxonomy, embedder=embedder)


def fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def fraction(numerator: int, denominator: int) -> str:
    return f"{numerator}/{denominator}"


def table(scores: Sequence[BoroughScore], total: BoroughScore) -> str:
    """The figures as a plain-text table, one row a borough and one for all of them.

    Beside each figure, its counts: precision is correct predictions over predictions, recall
    is expected items found over expected items.
    """
    measures = ("shared", "evidence", "focus")
    header = f"{'borough':<14}" + "".join(
        f" {name + ' P':>16} {name + ' R':>16}" for name in measures
    )
    rule = "-" * len(header)
    lines = [header, rule]
    for score in [*scores, total]:
        if score is total:
            lines.append(rule)
        row = f"{score.borough:<14}"
        for counts in (score.shared, score.evidence, score.focus):
            precision = (
                f"{fmt(counts.precision)} ({fraction(counts.correct_predicted, counts.predicted)})"
            )
            recall = f"{fmt(counts.recall)} ({fraction(counts.found_expected, counts.expected)})"
            row += f" {precision:>16} {recall:>16}"
        lines.append(row)
    return "\n".join(lines)


def meets_target(total: BoroughScore) -> bool:
    """Shared-theme and evidence precision and recall all at or above the target."""
    figures = (
        total.shared.precision,
        total.shared.recall,
        total.evidence.precision,
        total.evidence.recall,
    )
    return all(f is not None and f >= TARGET for f in figures)


def describe(alignment: Mapping[str, Any], expected: Mapping[str, Any]) -> str:
    """What the pipeline said, beside what was expected: for reading why a borough scored so."""
    lines = []
    expected_evidence = expected.get("evidence") or {}
    for shared in alignment.get("shared_themes", []):
        mark = "ok " if shared["theme"] in expected.get("shared_themes", []) else "XX "
        lines.append(
            f"  {mark}shared {shared['theme']} {shared.get('sources')} "
            f"strength={shared.get('strength')}"
        )
        for item in shared.get("evidence", []):
            wanted = expected_evidence.get(shared["theme"], {}).get(item["source"], ())
            good = any(evidence_matches(item["text"], s) for s in wanted)
            lines.append(f"      {'+' if good else '-'} [{item['source']}] {item['text'][:150]}")
    for focus in alignment.get("additional_focus_areas", []):
        mark = "ok " if focus["theme"] in (expected.get("additional_focus_areas") or []) else "XX "
        lines.append(
            f"  {mark}focus  {focus['theme']} {focus.get('sources')} "
            f"strength={focus.get('strength')}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--held-out", action="store_true", help="run the held-out boroughs (the final check)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 below the 0.8 target")
    parser.add_argument(
        "--details", action="store_true", help="print each borough's themes and evidence"
    )
    parser.add_argument("--borough", action="append", help="only this borough's folder name")
    parser.add_argument("--keep", type=Path, help="write each borough's alignment JSON here")
    args = parser.parse_args(argv)

    from safeguarding.themes.model import load_embedder
    from safeguarding.themes.taxonomy import load_taxonomy

    cases = load_cases(args.held_out)
    if args.borough:
        cases = [c for c in cases if c.folder.name in args.borough]
    if not cases:
        print("No boroughs to evaluate.", file=sys.stderr)
        return 1
    taxonomy = load_taxonomy()
    embedder = load_embedder()
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            alignment = run_case(case, Path(tmp), taxonomy, embedder)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                out = args.keep / f"{case.folder.name}.json"
                out.write_text(json.dumps(alignment, indent=2, ensure_ascii=False), "utf-8")
            score = score_borough(case.borough, alignment, case.expected)
            scores.append(score)
            if args.details:
                print(f"\n{case.borough}")
                print(describe(alignment, case.expected))
                for note in score.notes:
                    print(f"  - {note}")

    total = BoroughScore("ALL", Counts(), Counts(), Counts(), Counts())
    for score in scores:
        total.shared.add(score.shared)
        total.evidence.add(score.evidence)
        total.focus.add(score.focus)
        total.evidence_on_hits.add(score.evidence_on_hits)
    which = "held-out" if args.held_out else "development"
    print(f"\nShared-priorities evaluation, {which} boroughs (target {TARGET} for shared and evid)")
    print(table(scores, total))
    on_hits = total.evidence_on_hits
    print(
        f"Evidence on correctly found themes only: precision {fmt(on_hits.precision).strip()}, "
        f"recall {fmt(on_hits.recall).strip()}"
    )
    met = meets_target(total)
    print("Target met." if met else "Target not met.")
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
