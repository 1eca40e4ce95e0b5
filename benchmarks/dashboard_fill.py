"""Filling a fresh store for the dashboard load benchmark: invented indicator values for every
indicator, breakdown, council, region and England over several years, and one area with a
children's partnership and an adults' board, their dashboards and their board members.

The values are generated directly as the rows of the tidy table (``specs/indicators.md``), not
by running the indicator engines, which would take far longer at this scale. They are random
but shaped like the real figures:

- each council has an invented adult population (18 and over; children are 27% of it) that
  grows by 0.5% a year, and each indicator a rate per head, a council effect and a yearly drift;
- a breakdown's categories are the codes of the code lists the catalogue names for it
  (``breakdowns:`` in ``catalogue/indicators.yaml``; the adult list for adult indicators, the CIN
  list for children's), and their counts add up to the total;
- regions and England are the sums of their councils, as the engines make them;
- values and intervals are worked out by ``indicators.statistics`` as the engines do: Wilson
  for percentages, Byar or exact Poisson for rates, Katz for relative rate indices against
  White British children, with the catalogue's minimum counts for a stable index;
- counts carry no numerator or denominator, as in the engines' output;
- children's snapshot indicators (``..._at_31_march``) are dated 31 March at the end of each
  year (``2025-03-31``); every other indicator is by financial year (``2024-25``).

Everything is drawn from one seeded generator, so the same arguments give the same rows.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from safeguarding.catalogue import code_list
from safeguarding.catalogue.geography import Council, councils
from safeguarding.indicators import statistics
from safeguarding.indicators.adults import ENGLAND
from safeguarding.indicators.catalogue import IndicatorSpec, catalogue, catalogue_file

TOTAL = "total"
FIRST_YEAR = 2015
YEARS = 10
SEED = 20251
BATCH = 5000
PROGRESS_EVERY = 200_000
NEIGHBOURS = 10
CHILDREN_PER_ADULT = 0.27
#: The code list prefix of each domain, to choose among a breakdown's code lists.
DOMAIN_LISTS = {"adults": "sac_", "children": "cin_"}
#: The range of events a year per head of the domain's population an indicator may count.
PER_HEAD = {"adults": (0.0005, 0.015), "children": (0.002, 0.06)}
#: Codes that belong to no ethnic group, so to no ``ethnic_group`` category.
NO_GROUP = ""

#: A row in the column order of ``IndicatorValue`` (without its load): indicator,
#: geography_level, geography_code, period, breakdown, category, numerator, denominator,
#: value, lower_ci, upper_ci, unit, suppressed.
Row = tuple[Any, ...]
ROW_FIELDS = (
    "indicator",
    "geography_level",
    "geography_code",
    "period",
    "breakdown",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower_ci",
    "upper_ci",
    "unit",
    "suppressed",
)
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# -- the places and years ------------------------------------------------------------------------


def financial_years(first: int, count: int) -> list[str]:
    """``count`` financial years from the one starting in ``first``: 2015-16, 2016-17, ..."""
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(first, first + count)]


def snapshot_dates(first: int, count: int) -> list[str]:
    """The 31 March that ends each of those financial years: 2016-03-31, ..."""
    return [f"{year + 1}-03-31" for year in range(first, first + count)]


def is_snapshot(spec: IndicatorSpec) -> bool:
    """Whether the indicator counts on one day (31 March) rather than over a year."""
    return spec.id.endswith("_at_31_march") or "_at_31_march_" in spec.id


def area_council() -> Council:
    """The council of the benchmark's area: the first in the list."""
    return councils()[0]


def neighbours_of(council: Council, count: int = NEIGHBOURS) -> list[Council]:
    """``count`` councils of the same type, nearest in the list's (regional) order: a stand-in
    for statistical neighbours, chosen only so that the benchmark has some."""
    everyone = councils()
    position = everyone.index(council)
    alike = [c for c in everyone if c.council_type == council.council_type and c != council]
    alike.sort(key=lambda c: abs(everyone.index(c) - position))
    return alike[:count]


def benchmark_councils(count: int) -> list[Council]:
    """The area's council, then its neighbours, then the rest: the first ``count`` of them."""
    home = area_council()
    first = [home, *neighbours_of(home)]
    rest = [c for c in councils() if c not in first]
    return (first + rest)[:count]


@dataclass(frozen=True)
class Scale:
    """How much to generate."""

    councils: tuple[Council, ...]
    first_year: int = FIRST_YEAR
    years: int = YEARS
    seed: int = SEED


# -- categories ----------------------------------------------------------------------------------


@cache
def _code_lists(breakdown: str) -> tuple[str, ...]:
    """The code lists the catalogue names for a breakdown (its file is parsed on each read)."""
    return tuple(catalogue_file()["breakdowns"][breakdown].get("code_lists", ()))


def categories_of(spec: IndicatorSpec, breakdown: str) -> tuple[str, ...]:
    """The categories of one breakdown of an indicator: ``total``, or the codes of the code list
    the catalogue names for the breakdown in the indicator's domain."""
    if breakdown == TOTAL:
        return (TOTAL,)
    lists = _code_lists(breakdown)
    prefix = DOMAIN_LISTS.get(spec.domain, "")
    chosen = next((name for name in lists if name.startswith(prefix)), lists[0])
    return tuple(code.code for code in code_list(chosen).codes)


def ethnic_groups() -> dict[str, str]:
    """CIN ethnicity code -> the code of its broad group (empty for none)."""
    return {code.code: code.description or NO_GROUP for code in code_list("cin_ethnicity").codes}


# -- the numbers ---------------------------------------------------------------------------------


@dataclass
class Places:
    """The councils, regions and England, in that order, and how councils add up to regions."""

    levels: list[str]
    codes: list[str]
    #: (places, councils): 1 where the council counts towards the place.
    membership: FloatArray

    @classmethod
    def of(cls, chosen: Sequence[Council], domain: str) -> Places:
        regions = sorted({c.region_code for c in chosen})
        codes = [c.dfe_la_number if domain == "children" else c.ons_code for c in chosen]
        membership = np.zeros((len(chosen) + len(regions) + 1, len(chosen)))
        membership[: len(chosen)] = np.eye(len(chosen))
        for index, council in enumerate(chosen):
            membership[len(chosen) + regions.index(council.region_code), index] = 1
        membership[-1] = 1
        levels = ["la"] * len(chosen) + ["region"] * len(regions) + ["england"]
        return cls(levels, [*codes, *regions, ENGLAND], membership)

    def add_up(self, council_counts: npt.NDArray[Any]) -> FloatArray:
        """Council counts (councils, ...) summed to every place (places, ...)."""
        flat = council_counts.reshape(council_counts.shape[0], -1).astype(np.float64)
        return (self.membership @ flat).reshape(self.membership.shape[0], *council_counts.shape[1:])


@dataclass(frozen=True)
class Totals:
    """An indicator's council totals (councils, years): numerators, denominators (None for a
    count) and, for a percentage, each council's chance in each year."""

    numerators: IntArray
    denominators: IntArray | None
    chance: FloatArray | None = None


@dataclass
class Draws:
    """Every indicator's counts, drawn from one seeded generator."""

    scale: Scale
    rng: np.random.Generator = field(init=False)
    adults: FloatArray = field(init=False)  # (councils, years) adult population

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.scale.seed)
        size = self.rng.lognormal(np.log(280_000), 0.55, len(self.scale.councils))
        growth = 1.005 ** np.arange(self.scale.years)
        self.adults = np.round(np.clip(size, 1_500, 1_300_000)[:, None] * growth[None, :])

    def population(self, domain: str) -> FloatArray:
        return self.adults if domain == "adults" else np.round(self.adults * CHILDREN_PER_ADULT)

    def _expected(self, people: FloatArray, per_head: float) -> FloatArray:
        """Expected events per council and year: people x rate x council effect x drift."""
        councils_count, years = people.shape
        effect = self.rng.lognormal(0, 0.3, councils_count)[:, None]
        drift = self.rng.normal(0, 0.03, councils_count)[:, None] * np.arange(years)[None, :]
        noise = self.rng.normal(0, 0.05, people.shape)
        return people * per_head * effect * np.exp(drift + noise)

    def _shares(self, categories: int, overall: FloatArray | None = None) -> FloatArray:
        """Each council's shares of the categories: an England-wide shape (drawn, unless given),
        varied by council."""
        if categories == 1:
            return np.ones((len(self.scale.councils), 1, 1))
        if overall is None:
            overall = self.rng.dirichlet(np.full(categories, 1.5))
        overall = np.clip(overall, 0.005, None)
        local = self.rng.dirichlet(60 * overall / overall.sum(), len(self.scale.councils))
        return local[:, None, :]

    def _split(
        self, totals: IntArray, categories: int, overall: FloatArray | None = None
    ) -> IntArray:
        """Totals (councils, years) split among categories: (councils, years, categories)."""
        return self.rng.multinomial(totals, self._shares(categories, overall))

    def totals(self, spec: IndicatorSpec) -> Totals:
        """An indicator's council totals, for every year."""
        people = self.population(spec.domain)
        low, high = PER_HEAD[spec.domain]
        events = self.rng.poisson(self._expected(people, self.rng.uniform(low, high)))
        if spec.unit == "count":
            return Totals(events, None)
        if spec.is_rate:
            return Totals(events, people.astype(np.int64))
        if spec.unit == "percent":
            share = self.rng.uniform(0.35, 0.95)
            logit = np.log(share / (1 - share)) + self.rng.normal(0, 0.4, events.shape)
            chance = 1 / (1 + np.exp(-logit))
            return Totals(self.rng.binomial(events, chance), events, chance)
        raise ValueError(f"{spec.id}: ratios are drawn by relative_rates")

    def split(self, totals: Totals, categories: int) -> tuple[IntArray, IntArray | None]:
        """Council totals split among a breakdown's categories: numerators and denominators
        (councils, years, categories). Counts and rates add up to the total exactly; the
        numerators of a percentage are drawn within each category's denominator, so they add
        up to about the total (no percentage in the catalogue has a breakdown today)."""
        if totals.chance is not None:
            assert totals.denominators is not None
            denominators = self._split(totals.denominators, categories)
            return self.rng.binomial(denominators, totals.chance[:, :, None]), denominators
        numerators = self._split(totals.numerators, categories)
        if totals.denominators is None:
            return numerators, None
        return numerators, self._split(totals.denominators, categories)

    def relative_rates(self, spec: IndicatorSpec, codes: Sequence[str]) -> tuple[IntArray, ...]:
        """Children at a stage by ethnicity code, and the denominators (the group's children, or
        for a stage-to-stage index those at the previous stage): (councils, years, codes)."""
        children = self.population("children").astype(np.int64)
        # Most children are White British, the reference group, as in England.
        where = list(codes).index(REFERENCE)
        overall = self.rng.dirichlet(np.full(len(codes), 1.5)) * (1 - REFERENCE_SHARE)
        overall[where] = REFERENCE_SHARE
        by_code = self._split(children, len(codes), overall)
        if spec.id.startswith("children.stage_rri."):
            by_code = self.rng.binomial(by_code, self.rng.uniform(0.01, 0.05))
            chance = self.rng.uniform(0.2, 0.7)
        else:
            chance = self.rng.uniform(0.001, 0.04)
        risk = self.rng.lognormal(0, 0.4, len(codes))
        risk[where] = 1.0
        varied = risk[None, None, :] * self.rng.lognormal(0, 0.15, by_code.shape)
        at_stage = self.rng.binomial(by_code, np.clip(chance * varied, 0, 1))
        return at_stage, by_code


REFERENCE = "WBRI"
REFERENCE_SHARE = 0.65


# -- the tidy rows -------------------------------------------------------------------------------


def _none_if_nan(values: FloatArray) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in values.tolist()]


def _rows(
    spec: IndicatorSpec,
    places: Places,
    periods: Sequence[str],
    breakdown: str,
    categories: Sequence[str],
    figures: tuple[FloatArray, FloatArray | None, FloatArray, FloatArray, FloatArray],
) -> Iterator[Row]:
    """Rows from arrays shaped (places, years, categories)."""
    numerators, denominators, values, lowers, uppers = figures
    for place, (level, code) in enumerate(zip(places.levels, places.codes, strict=True)):
        for year, period in enumerate(periods):
            value = _none_if_nan(values[place, year])
            lower = _none_if_nan(lowers[place, year])
            upper = _none_if_nan(uppers[place, year])
            for index, category in enumerate(categories):
                numerator = denominator = None
                if denominators is not None:
                    numerator = int(numerators[place, year, index])
                    denominator = int(denominators[place, year, index])
                    if spec.unit == "ratio" and denominator == 0:
                        denominator = None  # no population for the code, as in the engine
                yield (
                    spec.id,
                    level,
                    code,
                    period,
                    breakdown,
                    category,
                    numerator,
                    denominator,
                    value[index],
                    lower[index],
                    upper[index],
                    spec.unit,
                    False,
                )


def _figures(
    spec: IndicatorSpec, numerators: FloatArray, denominators: FloatArray | None
) -> tuple[FloatArray, FloatArray | None, FloatArray, FloatArray, FloatArray]:
    """Values and intervals from summed counts, as the engines work them out."""
    nan = np.full(numerators.shape, np.nan)
    if spec.unit == "count":
        value, lower, upper = numerators, nan, nan
    elif spec.unit == "percent":
        assert denominators is not None
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(denominators > 0, 100 * numerators / denominators, np.nan)
        lower, upper = statistics.wilson_interval(numerators, denominators)
        lower, upper = 100 * lower, 100 * upper
    else:
        assert denominators is not None
        value, lower, upper = statistics.rate_interval(
            numerators, denominators, per=spec.rate_multiplier
        )
    if spec.ci_method == "none":
        lower, upper = nan, nan
    return numerators, denominators, value, lower, upper


def _relative_rate_figures(
    numerators: FloatArray,
    denominators: FloatArray,
    reference: tuple[FloatArray, FloatArray],
    is_reference: npt.NDArray[np.bool_],
    minimum_children: int,
    minimum_denominator: int,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Relative rate indices against the reference group at the same place and year."""
    b, m = (np.broadcast_to(r[:, :, None], numerators.shape) for r in reference)
    ratio, lower, upper = statistics.rate_ratio_interval(numerators, denominators, b, m)
    stable = (
        (numerators >= minimum_children)
        & (denominators >= minimum_denominator)
        & (b >= minimum_children)
        & (m >= minimum_denominator)
    )
    interval = stable & ~is_reference[None, None, :]
    return (
        numerators,
        denominators,
        np.where(stable, ratio, np.nan),
        np.where(interval, lower, np.nan),
        np.where(interval, upper, np.nan),
    )


def _relative_rate_rows(
    spec: IndicatorSpec, draws: Draws, places: Places, periods: Sequence[str]
) -> Iterator[Row]:
    from safeguarding.indicators.children import children_catalogue

    settings = children_catalogue().disproportionality
    codes = categories_of(spec, "ethnicity")
    groups = ethnic_groups()
    at_stage, base = draws.relative_rates(spec, codes)
    # Codes with no group (refused, not yet obtained) have no population to set them against.
    no_population = np.array([groups.get(code, NO_GROUP) == NO_GROUP for code in codes])
    if not spec.id.startswith("children.stage_rri."):
        base = np.where(no_population[None, None, :], 0, base)
    numerators = places.add_up(at_stage)
    denominators = places.add_up(base)
    where = codes.index(REFERENCE)
    reference = (numerators[:, :, where], denominators[:, :, where])
    limits = (settings.minimum_children, settings.minimum_denominator)
    for breakdown in spec.breakdowns:
        if breakdown == "ethnicity":
            categories: tuple[str, ...] = codes
            nums, dens = numerators, denominators
        elif breakdown == TOTAL:
            categories = (TOTAL,)
            nums, dens = numerators.sum(-1, keepdims=True), denominators.sum(-1, keepdims=True)
        else:  # ethnic_group: the codes of each broad group added up
            categories = categories_of(spec, breakdown)
            member = np.array(
                [[groups.get(code) == group for group in categories] for code in codes], float
            )
            nums, dens = numerators @ member, denominators @ member
        is_reference = np.array(
            [breakdown == "ethnicity" and c == REFERENCE for c in categories], bool
        )
        figures = _relative_rate_figures(nums, dens, reference, is_reference, *limits)
        yield from _rows(spec, places, periods, breakdown, categories, figures)


def tidy_rows(scale: Scale) -> Iterator[Row]:
    """Every row of the invented tidy table, indicator by indicator in catalogue order."""
    draws = Draws(scale)
    places = {domain: Places.of(scale.councils, domain) for domain in DOMAIN_LISTS}
    years = financial_years(scale.first_year, scale.years)
    dates = snapshot_dates(scale.first_year, scale.years)
    for spec in catalogue().indicators:
        periods = dates if is_snapshot(spec) else years
        where = places[spec.domain]
        if spec.unit == "ratio":
            yield from _relative_rate_rows(spec, draws, where, periods)
            continue
        totals = draws.totals(spec)
        for breakdown in spec.breakdowns:
            categories = categories_of(spec, breakdown)
            numerators, denominators = draws.split(totals, len(categories))
            summed = where.add_up(numerators)
            summed_denominators = None if denominators is None else where.add_up(denominators)
            figures = _figures(spec, summed, summed_denominators)
            yield from _rows(spec, where, periods, breakdown, categories, figures)


def row_count(scale: Scale) -> int:
    """How many rows ``tidy_rows`` gives, without drawing them."""
    total = 0
    for spec in catalogue().indicators:
        categories = sum(len(categories_of(spec, b)) for b in spec.breakdowns)
        total += categories * len(Places.of(scale.councils, spec.domain).codes)
    return total * scale.years


# -- the store (Django must be set up first) -----------------------------------------------------


@dataclass(frozen=True)
class Login:
    """A benchmark user: invented, with a random password, a board member of one partnership."""

    username: str
    password: str
    partnership: str  # its slug


@dataclass(frozen=True)
class Site:
    """What the driver needs to know about the filled store."""

    area: str
    partnerships: dict[str, str]  # slug -> kind
    indicators: dict[str, list[tuple[str, tuple[str, ...]]]]  # slug -> (id, breakdowns)
    logins: list[Login]
    rows: int
    seconds: float


#: Dashboard panels: (kind, priority title, indicator, breakdown, public).
PANELS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("children", "Help at the front door", "children.referrals", TOTAL, True),
    ("children", "Help at the front door", "children.rereferrals_12m_pct", TOTAL, True),
    ("children", "Help at the front door", "children.assessments_within_45wd_pct", TOTAL, False),
    ("children", "Protecting children", "children.s47_enquiries_rate_per_10k", TOTAL, True),
    ("children", "Protecting children", "children.cp_plans_started", "category_of_abuse", False),
    ("children", "Protecting children", "children.cp_plans_subsequent_pct", TOTAL, False),
    ("children", "Fair help for every community", "children.rri.referral", "ethnic_group", True),
    ("children", "Fair help for every community", "children.rri.cp_plan", "ethnicity", False),
    ("adults", "Making safeguarding personal", "adults.msp_asked_pct", TOTAL, True),
    ("adults", "Making safeguarding personal", "adults.msp_outcomes_achieved_pct", TOTAL, True),
    ("adults", "Responding to concerns", "adults.concerns", "age_band", True),
    ("adults", "Responding to concerns", "adults.conversion_rate", TOTAL, False),
    ("adults", "Responding to concerns", "adults.s42_rate_per_100k", "ethnicity", False),
    ("adults", "Reducing risk", "adults.risk_reduced_or_removed_pct", TOTAL, True),
    ("adults", "Reducing risk", "adults.concluded_s42", "risk_type", False),
    ("adults", "Reducing risk", "adults.lacked_capacity_supported_pct", TOTAL, False),
)


def _columns() -> tuple[str, list[str]]:
    """The table of ``IndicatorValue`` and the columns of a row with its load, from the model."""
    from safeguarding.web.results.models import IndicatorValue

    meta = IndicatorValue._meta
    return meta.db_table, [meta.get_field(name).column for name in ("load", *ROW_FIELDS)]


class _Inserter:
    """Inserts batches of rows: by COPY on PostgreSQL, by ``executemany`` elsewhere.

    Not ``bulk_create``: on SQLite Django splits a bulk insert into statements of 66 rows (999
    parameters), which made filling six times as slow (61 s against 9 s for 800,000 rows), and
    on PostgreSQL COPY is several times as fast as inserts."""

    def __init__(self, cursor: Any) -> None:
        from django.db import connection

        self.cursor = cursor
        self.vendor = connection.vendor
        table, columns = _columns()
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        if self.vendor == "postgresql":
            self.statement = f"COPY {quote(table)} ({names}) FROM STDIN"
        else:
            values = ", ".join(["%s"] * len(columns))
            self.statement = f"INSERT INTO {quote(table)} ({names}) VALUES ({values})"

    def insert(self, rows: Sequence[Row]) -> None:
        if self.vendor == "postgresql":
            # Django's cursor wraps psycopg's, which has the COPY protocol.
            with self.cursor.cursor.copy(self.statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            self.cursor.executemany(self.statement, rows)


def store_values(scale: Scale, *, progress: bool = True) -> tuple[int, float]:
    """Store the invented rows as one computed load in one transaction; (rows, seconds)."""
    from django.db import connection, transaction

    from safeguarding.web.results.models import IndicatorLoad

    expected = row_count(scale)
    started = time.perf_counter()
    stored = 0
    with transaction.atomic(), connection.cursor() as cursor:
        inserter = _Inserter(cursor)
        load = IndicatorLoad.objects.create(
            kind="computed",
            label="Invented figures for the dashboard load benchmark",
            loaded_by_name="benchmark",
            via="cli",
            engine="benchmark",
            suppressed=False,
            notes="Made by benchmarks/dashboard_load.py, not by the indicator engines.",
        )
        batch: list[Row] = []
        for row in tidy_rows(scale):
            batch.append((load.pk, *row))
            if len(batch) == BATCH:
                inserter.insert(batch)
                stored += len(batch)
                batch = []
                if progress and stored % PROGRESS_EVERY == 0:
                    print(f"  {stored:,} of {expected:,} values", flush=True)
        inserter.insert(batch)
        stored += len(batch)
        load.row_count = stored
        load.save(update_fields=["row_count"])
    # As every load through the platform does (``store_values``): fresh counts for the query
    # planner, and on PostgreSQL no autovacuum changing the plans in the middle of the run.
    from safeguarding.web.results.loading import refresh_statistics

    refresh_statistics()
    return stored, time.perf_counter() - started


def _partnerships(council: Council) -> tuple[Any, dict[str, Any]]:
    from safeguarding.web.dashboards.models import NeighbourSet
    from safeguarding.web.records import models as records

    area = records.Area.objects.create(
        name=council.name, slug="bench-area", council_code=council.ons_code
    )
    made = {
        "children": records.Partnership.objects.create(
            area=area,
            name=f"{council.name} Safeguarding Children Partnership",
            short_name="SCP",
            slug="bench-children",
            kind="children",
        ),
        "adults": records.Partnership.objects.create(
            area=area,
            name=f"{council.name} Safeguarding Adults Board",
            short_name="SAB",
            slug="bench-adults",
            kind="adults",
        ),
    }
    NeighbourSet.objects.create(
        area=area,
        neighbours=[{"code": c.ons_code, "name": c.name} for c in neighbours_of(council)],
        method="Ten councils of the same type near it in the list, for the load benchmark.",
    )
    return area, made


def _panels(made: dict[str, Any]) -> None:
    from safeguarding.web.dashboards.models import DashboardPanel
    from safeguarding.web.records import models as records

    priorities: dict[tuple[str, str], Any] = {}
    positions: dict[tuple[str, str], int] = {}
    for kind, title, indicator, breakdown, public in PANELS:
        key = (kind, title)
        if key not in priorities:
            priorities[key] = records.Priority.objects.create(
                partnership=made[kind],
                title=title,
                description=f"What the partnership wants to change: {title.lower()}.",
                success_measures="The figures on the dashboard move the right way.",
            )
        positions[key] = positions.get(key, 0) + 1
        panel = DashboardPanel(
            partnership=made[kind],
            priority=priorities[key],
            indicator=indicator,
            breakdown=breakdown,
            why=f"Shows whether the work on {title.lower()} is making a difference.",
            position=positions[key],
            public=bool(public),
        )
        panel.full_clean()
        panel.save()


def _logins(made: dict[str, Any], users: int) -> list[Login]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from safeguarding.web.accounts.models import RoleAssignment

    user_model = get_user_model()
    kinds = list(made)
    logins = []
    for number in range(1, users + 1):
        partnership = made[kinds[(number - 1) % len(kinds)]]
        login = Login(f"bench-user-{number:02d}", secrets.token_urlsafe(16), partnership.slug)
        user = user_model.objects.create(
            username=login.username, password=make_password(login.password)
        )
        RoleAssignment.objects.create(user=user, role="board_member", partnership=partnership)
        logins.append(login)
    return logins


def fill_store(scale: Scale, users: int, *, progress: bool = True) -> Site:
    """Fill an empty, migrated store: the values, the area and its partnerships, the panels,
    the neighbours and ``users`` board members (alternately of each partnership)."""
    from django.db import transaction

    rows, seconds = store_values(scale, progress=progress)
    with transaction.atomic():
        area, made = _partnerships(scale.councils[0])
        _panels(made)
        logins = _logins(made, users)
    book = catalogue()
    return Site(
        area=area.slug,
        partnerships={p.slug: p.kind for p in made.values()},
        indicators={
            p.slug: [(s.id, s.breakdowns) for s in book.of_domain(p.kind)] for p in made.values()
        },
        logins=logins,
        rows=rows,
        seconds=seconds,
    )
