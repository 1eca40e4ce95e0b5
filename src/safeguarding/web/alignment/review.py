"""A person's review of an alignment: accept or reject each theme and piece of evidence, edit
evidence, add themes and evidence. Works on the alignment JSON itself (no Django), so that the
reviewed JSON is what the board paper reads.

Every change goes into ``review.changes`` as ``{"action", "theme", "statement", "before",
"after", "note", "by", "at"}``; rejected themes and evidence are removed. Whether a theme or a
piece of evidence was accepted is read back from those changes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: The two lists of themes a person reviews, and what each is called on the page.
THEME_LISTS = (("shared_themes", "Shared theme"), ("additional_focus_areas", "Focus area"))
DECISIONS = ("accepted", "rejected")
MAX_EVIDENCE_TEXT = 2000
MAX_NOTE = 1000


class ReviewProblem(ValueError):
    """A review change that cannot be made, with a message fit to show."""


@dataclass
class EvidenceDecision:
    """What the person said about one piece of evidence (by its place in the theme's list)."""

    decision: str = ""  # accepted, rejected or "" for no decision
    text: str | None = None  # the text as the person left it


@dataclass
class ReviewForm:
    """Everything one "Save review" asks for."""

    themes: dict[str, str] = field(default_factory=dict)  # theme id -> accepted/rejected/""
    evidence: dict[tuple[str, int], EvidenceDecision] = field(default_factory=dict)
    add_theme: str = ""
    add_theme_summary: str = ""
    evidence_theme: str = ""
    evidence_statement: str = ""
    evidence_source: str = ""
    evidence_text: str = ""
    note: str = ""


def start(alignment: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the alignment to review, with an empty review."""
    data = copy.deepcopy(dict(alignment))
    data.setdefault("review", {"reviewed_by": "", "reviewed_at": "", "changes": []})
    return data


def changes(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    review = data.get("review") or {}
    return list(review.get("changes") or [])


def themes(data: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every theme in the analysis, with the key of the list it is in."""
    for key, _ in THEME_LISTS:
        for entry in data.get(key) or []:
            yield key, entry


def find_theme(data: Mapping[str, Any], theme_id: str) -> dict[str, Any] | None:
    return next((entry for _, entry in themes(data) if entry["theme"] == theme_id), None)


def statements_by_id(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in data.get("statements") or []}


def theme_accepted(data: Mapping[str, Any], theme_id: str) -> bool:
    """Whether a person accepted the theme, or added it themselves."""
    return any(
        c["action"] in ("accepted", "added")
        and c["theme"] == theme_id
        and c.get("statement") is None
        for c in changes(data)
    )


def evidence_accepted(data: Mapping[str, Any], theme_id: str, statement: str | None) -> bool:
    return statement is not None and any(
        c["action"] == "accepted" and c["theme"] == theme_id and c.get("statement") == statement
        for c in changes(data)
    )


class _Recorder:
    """Appends changes to the review, each with who made it, when, and the person's note."""

    def __init__(self, data: dict[str, Any], by: str, at: str, note: str) -> None:
        self.data = data
        self.by, self.at, self.note = by, at, note or None
        self.count = 0

    def __call__(
        self,
        action: str,
        theme: str,
        statement: str | None = None,
        before: str | None = None,
        after: str | None = None,
    ) -> None:
        self.data["review"]["changes"].append(
            {
                "action": action,
                "theme": theme,
                "statement": statement,
                "before": before,
                "after": after,
                "note": self.note,
                "by": self.by,
                "at": self.at,
            }
        )
        self.count += 1


def _clean_text(text: str, what: str, limit: int) -> str:
    cleaned = " ".join((text or "").split())
    if len(cleaned) > limit:
        raise ReviewProblem(f"{what} must be {limit:,} characters or fewer.")
    return cleaned


def apply(
    reviewed: Mapping[str, Any],
    form: ReviewForm,
    *,
    by: str,
    at: str,
    taxonomy: Any,
) -> tuple[dict[str, Any], int]:
    """The reviewed alignment with ``form``'s changes made, and how many changes there were.

    Evidence is edited and rejected first (by its place in each list, as the page showed it),
    then themes accepted or rejected, then anything added. Nothing is changed if any part of
    the form cannot be applied: ``ReviewProblem`` says why.
    """
    data = copy.deepcopy(dict(reviewed))
    data.setdefault("review", {"reviewed_by": "", "reviewed_at": "", "changes": []})
    note = _clean_text(form.note, "The note", MAX_NOTE)
    record = _Recorder(data, by, at, note)

    for (theme_id, index), said in sorted(form.evidence.items(), key=lambda kv: kv[0]):
        entry = find_theme(data, theme_id)
        evidence = (entry or {}).get("evidence") or []
        if entry is None or not 0 <= index < len(evidence):
            raise ReviewProblem(
                "The analysis changed since the page was opened. Look at it again and repeat "
                "your changes."
            )
        item = evidence[index]
        if said.text is not None:
            text = _clean_text(said.text, "Evidence", MAX_EVIDENCE_TEXT)
            if not text:
                raise ReviewProblem(
                    f"Evidence for {entry['label']} cannot be empty: reject it instead."
                )
            if text != " ".join(item["text"].split()):
                record("edited", theme_id, item.get("statement"), item["text"], text)
                item["text"] = text
        if said.decision == "accepted" and not evidence_accepted(
            data, theme_id, item.get("statement")
        ):
            if item.get("statement") is not None:
                record("accepted", theme_id, item["statement"], None, item["text"])
    # Rejections last, from the end of each list, so the places of the others hold.
    for (theme_id, index), said in sorted(
        form.evidence.items(), key=lambda kv: kv[0], reverse=True
    ):
        if said.decision != "rejected":
            continue
        entry = find_theme(data, theme_id)
        assert entry is not None  # checked above
        item = entry["evidence"].pop(index)
        record("rejected", theme_id, item.get("statement"), item["text"], None)

    for theme_id, decision in form.themes.items():
        if decision not in DECISIONS:
            continue
        entry = find_theme(data, theme_id)
        if entry is None:
            raise ReviewProblem(
                "The analysis changed since the page was opened. Look at it again and repeat "
                "your changes."
            )
        if decision == "accepted":
            if not theme_accepted(data, theme_id):
                record("accepted", theme_id, None, None, entry["label"])
        else:
            for key, _ in THEME_LISTS:
                data[key] = [e for e in data.get(key) or [] if e["theme"] != theme_id]
            record("rejected", theme_id, None, entry["label"], None)

    if form.add_theme:
        _add_theme(data, form, taxonomy, record)
    if form.evidence_theme or form.evidence_statement or form.evidence_text.strip():
        _add_evidence(data, form, record)

    review = data["review"]
    review["reviewed_by"] = by
    review["reviewed_at"] = at
    return data, record.count


def _add_theme(data: dict[str, Any], form: ReviewForm, taxonomy: Any, record: _Recorder) -> None:
    theme = taxonomy.get(form.add_theme) if taxonomy is not None else None
    if theme is None:
        raise ReviewProblem("Choose a theme from the taxonomy to add.")
    if find_theme(data, theme.id) is not None:
        raise ReviewProblem(f"{theme.label} is already in the analysis.")
    summary = _clean_text(form.add_theme_summary, "The theme's summary", MAX_EVIDENCE_TEXT)
    data.setdefault("shared_themes", []).append(
        {
            "theme": theme.id,
            "label": theme.label,
            "sources": [],
            "strength": 0.0,
            "evidence": [],
            "summary": summary,
        }
    )
    record("added", theme.id, None, None, theme.label)


def _add_evidence(data: dict[str, Any], form: ReviewForm, record: _Recorder) -> None:
    entry = find_theme(data, form.evidence_theme)
    if entry is None:
        raise ReviewProblem("Choose the theme the evidence is for.")
    if form.evidence_statement:
        statement = statements_by_id(data).get(form.evidence_statement)
        if statement is None:
            raise ReviewProblem("Choose a statement of this analysis as the evidence.")
        source, statement_id, text = statement["source"], statement["id"], statement["text"]
        if form.evidence_text.strip():
            raise ReviewProblem("Choose a statement or type the evidence, not both.")
    else:
        text = _clean_text(form.evidence_text, "Evidence", MAX_EVIDENCE_TEXT)
        if not text:
            raise ReviewProblem("Choose a statement or type the evidence to add.")
        names = [s["name"] for s in data.get("sources") or []]
        if form.evidence_source not in names:
            raise ReviewProblem("Choose the source the evidence you typed comes from.")
        source, statement_id = form.evidence_source, None
    evidence = entry.setdefault("evidence", [])
    if statement_id is not None and any(e.get("statement") == statement_id for e in evidence):
        raise ReviewProblem(f"{statement_id} is already evidence for {entry['label']}.")
    evidence.append({"source": source, "statement": statement_id, "text": text})
    if source not in entry.setdefault("sources", []):
        entry["sources"].append(source)
    record("added", entry["theme"], statement_id, None, text)
