"""How figures, units, breakdowns, categories and periods are written for readers.

GOV.UK style: thousands separated by commas, ``%`` attached to the number, dates written out
(31 March 2025), financial years as 2024-25. Numbers carry the same decimal places as the
published tables (``disclosure.VALUE_DECIMALS``), so a page, a chart and a download agree.
Breakdown titles and the code lists of their categories are data: the ``breakdowns:`` section of
``safeguarding/catalogue/indicators.yaml``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from safeguarding.catalogue import code_list
from safeguarding.indicators.catalogue import UNITS, catalogue_file
from safeguarding.indicators.disclosure import SUPPRESSED, VALUE_DECIMALS

TOTAL = "total"
ALL = "All"
NO_FIGURE = "no figure"
#: The category the indicator engines give a row whose field was not recorded
#: (``indicators.adults.NOT_RECORDED``); most code lists have no such code.
NOT_RECORDED = "NOT_RECORDED"
NOT_RECORDED_LABEL = "Not recorded"

_UNIT_WORDS = {
    "count": "",
    "percent": "%",
    "rate_per_10000": " per 10,000",
    "rate_per_100000": " per 100,000",
    "ratio": "",
}
_UNIT_LABELS = {
    "count": "Number",
    "percent": "Percentage",
    "rate_per_10000": "Rate per 10,000",
    "rate_per_100000": "Rate per 100,000",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Spelt out rather than strftime's %B, which follows the machine's locale.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Breakdown:
    """A breakdown of the tidy table as readers see it."""

    id: str
    title: str
    #: The code lists its categories come from, searched in order.
    code_lists: tuple[str, ...]


@cache
def breakdowns() -> dict[str, Breakdown]:
    """Every breakdown the catalogue describes, by id."""
    raw = catalogue_file()["breakdowns"]
    return {
        str(breakdown_id): Breakdown(
            id=str(breakdown_id),
            title=str(body["title"]),
            code_lists=tuple(str(c) for c in body.get("code_lists", ())),
        )
        for breakdown_id, body in raw.items()
    }


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; the units are {', '.join(UNITS)}")


def format_number(value: float | None, unit: str) -> str:
    """``value`` as a table cell or an axis shows it, without unit words ("84.2", "1,234").

    An empty string for no value: the caller says why there is none.
    """
    _check_unit(unit)
    if value is None or math.isnan(value):
        return ""
    text = f"{value:,.{VALUE_DECIMALS[unit]}f}"
    # A small negative number rounds to "-0.0", which reads as a fall that is not there.
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    return text


def format_value(value: float | None, unit: str, *, suppressed: bool = False) -> str:
    """``value`` with its unit, as a sentence or a headline shows it ("84.2%", "412.3 per
    100,000"); ``[c]`` when withheld and "no figure" when there is none."""
    _check_unit(unit)
    if suppressed:
        return SUPPRESSED
    if value is None or math.isnan(value):
        return NO_FIGURE
    return format_number(value, unit) + _UNIT_WORDS[unit]


@cache
def reference_group() -> str:
    """The cin_ethnicity code of the group every relative rate index compares with (WBRI)."""
    return str(catalogue_file()["children"]["disproportionality"]["reference"])


def reference_group_label() -> str:
    """The group the relative rate index compares with, as readers name it (White British)."""
    return code_list("cin_ethnicity").label(reference_group())


def unit_label(unit: str) -> str:
    """The title of an axis or a column that shows values of ``unit``."""
    _check_unit(unit)
    if unit == "ratio":
        # Every ratio in the catalogue is a relative rate index.
        return f"Ratio (1 = same rate as {reference_group_label()} children)"
    return _UNIT_LABELS[unit]


def _humanise(identifier: str) -> str:
    words = identifier.replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:] if words else identifier


def breakdown_title(breakdown: str) -> str:
    """The title of a breakdown ("Age band"); an id the catalogue does not know, in words."""
    known = breakdowns().get(breakdown)
    return known.title if known else _humanise(breakdown)


def category_label(breakdown: str, category: str) -> str:
    """The label of one category of a breakdown, from its code lists; the code when unknown."""
    if category == TOTAL:
        return ALL
    known = breakdowns().get(breakdown)
    for list_id in known.code_lists if known else ():
        codes = code_list(list_id)
        if category in codes:
            return codes.label(category)
    if category == NOT_RECORDED:
        return NOT_RECORDED_LABEL
    return category


def period_label(period: str) -> str:
    """A period as readers write it: a date written out ("31 March 2025"); a year as it is."""
    if _DATE.match(period):
        try:
            day = date.fromisoformat(period)
        except ValueError:
            return period
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return period


def period_phrase(period: str) -> str:
    """The period as it follows a statement: "in 2024-25", or "on 31 March 2025" for a date."""
    label = period_label(period)
    return f"on {label}" if label != period else f"in {label}"
