"""Plain-English statements generated from an indicator's figures, in GOV.UK style.

The dashboards show them beside the charts and the annual report reuses them, so they follow
three rules. They never reveal a withheld figure. They say a change or a difference is real
only when both figures have a confidence interval and the intervals do not overlap; overlapping
intervals are "within the margin of error". They call a change better or worse only when the
catalogue says which direction is better. The wording of each indicator is data
(``safeguarding/catalogue/statements.yaml``), with a generic wording built from the title for
any indicator not there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from safeguarding.catalogue import code_list
from safeguarding.dashboards.figures import Figure, IndicatorFigures, period_order
from safeguarding.dashboards.labels import (
    NOT_RECORDED,
    TOTAL,
    category_label,
    format_number,
    format_value,
    period_label,
    period_phrase,
    reference_group,
    reference_group_label,
)
from safeguarding.indicators.catalogue import IndicatorSpec

RRI_PREFIXES = ("children.rri.", "children.stage_rri.")
#: The breakdowns of a relative rate index, broad groups first.
RRI_BREAKDOWNS = ("ethnic_group", "ethnicity")
WITHHELD = "is withheld because it is based on a small number"
_WORDING_KEYS = {"lead", "outcome", "among"}
_ORDINAL_WORDS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
)
_UNIT_NOUNS = {
    "count": "number",
    "percent": "percentage",
    "rate_per_10000": "rate",
    "rate_per_100000": "rate",
    "ratio": "ratio",
}


@dataclass(frozen=True)
class Wording:
    """How the statements word one indicator (``statements.yaml``)."""

    lead: str | None = None
    outcome: str | None = None
    among: str | None = None


@cache
def wordings() -> dict[str, Wording]:
    """The wording of every indicator that has one, by indicator id."""
    text = (
        resources.files("safeguarding.catalogue")
        .joinpath("statements.yaml")
        .read_text(encoding="utf-8")
    )
    found: dict[str, Wording] = {}
    for indicator, body in (yaml.safe_load(text) or {}).items():
        unknown = set(body) - _WORDING_KEYS
        if unknown:
            raise ValueError(f"statements.yaml, {indicator}: unknown key {', '.join(unknown)}")
        found[str(indicator)] = Wording(
            **{key: " ".join(str(v).split()) for key, v in body.items()}
        )
    return found


def _wording(spec: IndicatorSpec) -> Wording:
    return wordings().get(spec.id, Wording())


# -- small helpers ---------------------------------------------------------------------------


def _shown(figure: Figure | None) -> bool:
    """Whether a figure may be stated: it exists, has a value and is not withheld."""
    return (
        figure is not None
        and not figure.suppressed
        and figure.value is not None
        and not math.isnan(figure.value)
    )


def _overlap(a: Figure, b: Figure) -> bool:
    assert a.lower_ci is not None and a.upper_ci is not None
    assert b.lower_ci is not None and b.upper_ci is not None
    return a.lower_ci <= b.upper_ci and b.lower_ci <= a.upper_ci


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _value(figure: Figure) -> str:
    return format_value(figure.value, figure.unit)


def _same_shown(a: Figure, b: Figure) -> bool:
    """Whether two figures read the same once written (84.2% and 84.2%)."""
    return format_number(a.value, a.unit) == format_number(b.value, b.unit)


def _periods(figures: IndicatorFigures) -> tuple[str, ...]:
    return figures.periods or period_order(f.period for f in figures.figures)


def _previous_period(figures: IndicatorFigures, period: str) -> str | None:
    periods = _periods(figures)
    if period not in periods:
        return None
    index = periods.index(period)
    return periods[index - 1] if index > 0 else None


def _first(figures: IndicatorFigures, role: str, period: str) -> Figure | None:
    found = figures.select(role=role, period=period)
    return found[0] if found else None


def _withheld(period: str) -> str:
    return f"the figure for {period_label(period)} {WITHHELD}"


# -- headline --------------------------------------------------------------------------------


def _lead(spec: IndicatorSpec, own: Figure, period: str) -> str:
    when = period_phrase(period)
    template = _wording(spec).lead
    # A lead is plural ("1,234 concerns were received"); one of anything takes the generic form.
    if template is None or (spec.unit == "count" and own.value == 1):
        template = f"{spec.title}: {{value}} {{when}}"
    elif "{when}" not in template:
        template += " {when}"
    return template.format(value=_value(own), number=format_number(own.value, own.unit), when=when)


def _change(spec: IndicatorSpec, own: Figure, before: Figure, before_period: str) -> str:
    """How the figure moved since the period before, as a clause after the lead."""
    assert own.value is not None and before.value is not None
    when = period_phrase(before_period)
    if _same_shown(own, before):
        return f"the same as {when}"
    both_intervals = own.has_interval and before.has_interval
    if both_intervals and _overlap(own, before):
        return (
            f"about the same as {_value(before)} {when} (the change is within the margin of error)"
        )
    rose = own.value > before.value
    clause = f"{'up' if rose else 'down'} from {_value(before)} {when}"
    judgement = ""
    if spec.higher_is_better is not None:
        judgement = " for the better" if rose == spec.higher_is_better else " for the worse"
    if both_intervals:
        return f"{clause}, a change{judgement} beyond the margin of error"
    if judgement:
        return f"{clause}, a change{judgement}"
    return clause


def _against(own: Figure, other: Figure) -> str | None:
    """The council against another place, judged on both intervals ("similar to England
    (82.0%)"); None when either has no interval."""
    if not (own.has_interval and other.has_interval):
        return None
    assert own.value is not None and other.value is not None
    if _overlap(own, other):
        relation = "similar to"
    else:
        relation = "higher than" if own.value > other.value else "lower than"
    return f"{relation} {other.place.name} ({_value(other)})"


def _comparators(figures: IndicatorFigures, period: str) -> list[Figure]:
    """England's and the region's figures for the period, where they may be stated."""
    found = [_first(figures, role, period) for role in ("england", "region")]
    return [figure for figure in found if figure is not None and _shown(figure)]


def headline(figures: IndicatorFigures, period: str | None = None) -> str | None:
    """The council's figure for ``period`` (the latest by default), its change since the period
    before and England's (and the region's) figure; None when there is nothing to say."""
    spec = figures.spec
    period = period or figures.latest_period
    if period is None:
        return None
    own = figures.total(figures.council.code, period)
    if own is None:
        return None
    if own.suppressed:
        return _sentence(f"{spec.title}: {_withheld(period)}.")
    if not _shown(own):
        return None
    clauses = [_lead(spec, own, period)]
    extra: list[str] = []
    before_period = _previous_period(figures, period)
    before = figures.total(figures.council.code, before_period) if before_period else None
    if before is not None and before_period is not None:
        if before.suppressed:
            extra.append(_sentence(f"{_withheld(before_period)}."))
        elif _shown(before):
            clauses.append(_change(spec, own, before, before_period))
    text = ", ".join(clauses)
    # A council's count beside England's says nothing: the places differ in size.
    if spec.unit != "count":
        others = _comparators(figures, period)
        judged = [_against(own, other) for other in others]
        if others and all(judged):
            extra.insert(0, f"This is {_join([j for j in judged if j])}.")
        elif others:
            # One without an interval: give every figure plainly rather than judge some.
            text += "; " + ", ".join(f"{o.place.name} {_value(o)}" for o in others)
    return " ".join([_sentence(text) + ".", *extra])


# -- comparison ------------------------------------------------------------------------------


def _ordinal(position: int) -> str:
    """Words to "ninth", as GOV.UK writes them, then 10th, 11th, 21st, 22nd."""
    if position <= len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[position - 1]
    suffix = (
        "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    )
    return f"{position}{suffix}"


def _rank(position: int, end: str) -> str:
    """Such as "highest", "third highest" or "12th lowest"."""
    return end if position == 1 else f"{_ordinal(position)} {end}"


def _shown_number(figure: Figure) -> float:
    """The figure as written (84.2 for 84.23), so that a ranking agrees with what is shown."""
    return float(format_number(figure.value, figure.unit).replace(",", ""))


def _standing(own: Figure, others: list[Figure]) -> str:
    """Where the council stands among itself and ``others``, counted from the nearer end."""
    mine = _shown_number(own)
    theirs = [_shown_number(other) for other in others]
    higher = sum(1 for value in theirs if value > mine)
    lower = sum(1 for value in theirs if value < mine)
    joint = "joint " if mine in theirs else ""
    if higher <= lower:
        return joint + _rank(higher + 1, "highest")
    return joint + _rank(lower + 1, "lowest")


def _neighbours_sentence(neighbours: list[Figure], every: int, when: str) -> str:
    """The neighbours' average and range, or the one neighbour's figure."""
    if len(neighbours) == 1:
        only = neighbours[0]
        if every == 1:
            return f"Its statistical neighbour, {only.place.name}, had {_value(only)}."
        return (
            f"Only one of its {every} statistical neighbours has a figure {when}: "
            f"{only.place.name}, {_value(only)}."
        )
    unit = neighbours[0].unit
    values = [f.value for f in neighbours if f.value is not None]
    summary = (
        f"averaged {format_value(sum(values) / len(values), unit)} (range "
        f"{format_value(min(values), unit)} to {format_value(max(values), unit)})"
    )
    if len(neighbours) == every:
        return f"Its {every} statistical neighbours {summary}."
    return (
        f"{len(neighbours)} of its {every} statistical neighbours have a figure {when}; "
        f"they {summary}."
    )


def comparison(figures: IndicatorFigures, period: str) -> str | None:
    """The council beside England, its region and its statistical neighbours for ``period``;
    None when the council's figure cannot be stated or the indicator is a count."""
    spec = figures.spec
    own = figures.total(figures.council.code, period)
    if own is None or not _shown(own) or spec.unit == "count":
        return None
    council = figures.council.name
    noun = _UNIT_NOUNS.get(spec.unit, "figure")
    when = period_phrase(period)
    sentences: list[str] = []

    others = _comparators(figures, period)
    if others:
        judged = [_against(own, other) for other in others]
        if all(judged):
            sentences.append(
                f"{_possessive(council)} {noun} {when} ({_value(own)}) was "
                f"{_join([j for j in judged if j])}."
            )
        else:
            compared = _join([f"{_value(o)} for {o.place.name}" for o in others])
            sentences.append(
                f"{_possessive(council)} {noun} {when} was {_value(own)}, compared with {compared}."
            )

    every_neighbour = {f.place.code for f in figures.figures if f.place.role == "neighbour"}
    neighbours = [f for f in figures.select(role="neighbour", period=period) if _shown(f)]
    if neighbours:
        sentences.append(_neighbours_sentence(neighbours, len(every_neighbour), when))
        among = (
            f"{council} and its statistical neighbours"
            if len(neighbours) == len(every_neighbour)
            else f"{council} and the {len(neighbours)} neighbours with a figure"
        )
        sentences.append(
            f"Among {among}, {_possessive(council)} {noun} was the {_standing(own, neighbours)}."
        )
    return " ".join(sentences) if sentences else None


# -- disproportionality ----------------------------------------------------------------------


def _is_group(breakdown: str, category: str) -> bool:
    """Whether a category is an ethnic group: not the total, not "not recorded" and not a code
    such as Refused that belongs to no group (its description names no high-level group)."""
    if category in (TOTAL, NOT_RECORDED):
        return False
    if breakdown == "ethnicity":
        codes = {c.code: c for c in code_list("cin_ethnicity").codes}
        return category not in codes or bool(codes[category].description)
    return True


def _children_of(label: str) -> str:
    """A group's children as a sentence names them: "Black children", "children from any other
    ethnic group"."""
    lowered = label.lower()
    if lowered.startswith("other "):
        return f"children from any {lowered}"
    if lowered.startswith(("any other ", "mixed or multiple")):
        return f"children from {lowered[:1]}{label[1:]}"
    return f"{label} children"


def _rri_sentence(spec: IndicatorSpec, figure: Figure, reference: str) -> str:
    wording = _wording(spec)
    group = _children_of(category_label(figure.breakdown, figure.category))
    ratio = format_number(figure.value, figure.unit)
    interval = (
        f"95% interval {format_number(figure.lower_ci, figure.unit)} to "
        f"{format_number(figure.upper_ci, figure.unit)}"
    )
    if wording.outcome is None:
        return _sentence(
            f"{spec.title}: {group} had a rate {ratio} times that of {reference} children "
            f"({interval})."
        )
    said = f"{group} were {ratio} times as likely as {reference} children {wording.outcome}"
    if wording.among:
        said = f"among {wording.among}, {said}"
    return _sentence(f"{said} ({interval}).")


def _none_above(spec: IndicatorSpec, reference: str, compared: bool) -> str:
    """The sentence when no group's interval lies wholly above 1."""
    wording = _wording(spec)
    if wording.outcome is None:
        lead = f"{spec.title}: "
        likely = f"had a rate above that of {reference} children"
    else:
        lead = f"among {wording.among}, " if wording.among else ""
        likely = f"was more likely than {reference} children {wording.outcome}"
    if not compared:
        return _sentence(
            f"{lead}there were too few children in each ethnic group to compare them reliably "
            f"with {reference} children."
        )
    return _sentence(f"{lead}no ethnic group {likely} by more than the margin of error.")


def disproportionality(figures: IndicatorFigures, period: str) -> list[str]:
    """For a relative rate index: one sentence for each ethnic group of the council whose
    interval lies wholly above 1, the highest first, or one sentence saying there is none."""
    spec = figures.spec
    if not spec.id.startswith(RRI_PREFIXES):
        return []
    reference_code = reference_group()
    rows = [
        f
        for f in figures.select(code=figures.council.code, period=period, breakdown=None)
        if f.breakdown in RRI_BREAKDOWNS
        and _is_group(f.breakdown, f.category)
        and f.category != reference_code
    ]
    if not rows:
        return []
    reference = reference_group_label()
    above = [
        f
        for f in rows
        if _shown(f) and f.has_interval and f.lower_ci is not None and f.lower_ci > 1
    ]
    above.sort(key=lambda f: (RRI_BREAKDOWNS.index(f.breakdown), -(f.value or 0.0), f.category))
    if above:
        return [_rri_sentence(spec, f, reference) for f in above]
    compared = any(_shown(f) and f.has_interval for f in rows)
    return [_none_above(spec, reference, compared)]
