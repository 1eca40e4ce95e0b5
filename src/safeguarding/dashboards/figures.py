"""Indicator figures as the dashboards, charts, statements and reports read them.

Plain data, never ORM objects: the web app turns stored ``IndicatorValue`` rows into
``Figure`` objects (``safeguarding.web.dashboards.queries``), and everything in this package
works on those, so the annual report can use the same functions without Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from safeguarding.indicators.catalogue import IndicatorSpec

#: The kinds of place a figure can be for, in the order a comparison shows them.
PLACE_ROLES = ("council", "neighbour", "region", "england")


@dataclass(frozen=True)
class Place:
    """A place a figure is for, as a reader names it."""

    code: str  # ONS code (E06000097, E12000009, E92000001) as stored
    name: str
    level: str  # geography level code: la, region or england
    #: How the place relates to the partnership's council: council, neighbour, region, england.
    role: str = "council"


@dataclass(frozen=True)
class Figure:
    """One row of the tidy table for one place, period, breakdown and category.

    ``value`` and the interval are None when there is no figure (no denominator) or when
    disclosure control withheld it (``suppressed``). Counts are exact unless the figures were
    published (``rounded``): then counts are rounded to the nearest 5.
    """

    indicator: str
    place: Place
    period: str
    breakdown: str
    category: str
    value: float | None
    unit: str
    numerator: int | None = None
    denominator: int | None = None
    lower_ci: float | None = None
    upper_ci: float | None = None
    suppressed: bool = False
    rounded: bool = False

    @property
    def has_interval(self) -> bool:
        return self.lower_ci is not None and self.upper_ci is not None


@dataclass(frozen=True)
class IndicatorFigures:
    """Every figure of one indicator that a page or a report section needs.

    ``council`` is the partnership's own council; ``figures`` holds the figures for it and for
    its comparators (England, its region and its statistical neighbours), every period and
    breakdown loaded. ``periods`` lists the periods in time order.
    """

    spec: IndicatorSpec
    council: Place
    figures: tuple[Figure, ...]
    periods: tuple[str, ...] = field(default=())
    #: Whether the figures are exact (for members of the partnership) or published (suppressed).
    exact: bool = True

    def select(
        self,
        *,
        role: str | None = None,
        code: str | None = None,
        period: str | None = None,
        breakdown: str | None = "total",
        category: str | None = None,
    ) -> list[Figure]:
        """The figures that match every argument given (``None`` matches anything)."""
        return [
            figure
            for figure in self.figures
            if (role is None or figure.place.role == role)
            and (code is None or figure.place.code == code)
            and (period is None or figure.period == period)
            and (breakdown is None or figure.breakdown == breakdown)
            and (category is None or figure.category == category)
        ]

    def total(self, code: str, period: str) -> Figure | None:
        """The headline (``total``) figure for one place and period, if loaded."""
        found = self.select(code=code, period=period, breakdown="total")
        return found[0] if found else None

    @property
    def latest_period(self) -> str | None:
        """The latest period with a figure for the council."""
        own = {f.period for f in self.figures if f.place.code == self.council.code}
        ordered = [p for p in self.periods if p in own]
        return ordered[-1] if ordered else None

    def comparators(self) -> list[Place]:
        """England, the region and the neighbours that have figures, in that order."""
        seen: dict[str, Place] = {}
        for figure in self.figures:
            if figure.place.code != self.council.code:
                seen.setdefault(figure.place.code, figure.place)
        order = {role: i for i, role in enumerate(("england", "region", "neighbour"))}
        return sorted(seen.values(), key=lambda p: (order.get(p.role, 9), p.name))


def period_order(periods: Iterable[str]) -> tuple[str, ...]:
    """Periods in time order: financial years (2024-25) and dates (2025-03-31) sort as text."""
    return tuple(sorted(set(periods)))


def breakdowns_of(figures: Sequence[Figure]) -> list[str]:
    """The breakdowns present, ``total`` first, then in the order first met."""
    seen: dict[str, None] = {}
    for figure in figures:
        seen.setdefault(figure.breakdown, None)
    ordered = list(seen)
    if "total" in ordered:
        ordered.remove("total")
        ordered.insert(0, "total")
    return ordered
