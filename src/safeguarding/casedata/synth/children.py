"""Synthetic CIN census XML, SSDA903 CSVs and a children's population file, drawn with numpy.

``synth_children`` writes, under ``out``::

    cin/cin_<dfe_la_number>_<year>.xml       one CIN census file per council and year
    ssda903/<dfe_la_number>/<year>/*.csv     header, episodes, uasc, missing and reviews
    population.csv                           children aged 0-17 by council, year and ethnicity

Each council's children are drawn from its own random stream (seeded by the seed and the
council's place in the national list), so the same arguments give byte-identical files and a
council's data do not depend on which other councils were chosen. Journeys run: referral ->
(no further action, or) assessment -> section 47 enquiry -> initial child protection conference
-> child protection plan, with some children becoming looked after along the way; a child
referred more than once in a year is re-referred within months. Two years before the first
year asked for are simulated (and older years for children still in care), so that plans and
care that began earlier are open on 1 April as they would be.

Invented councils
-----------------
Besides real councils, ``invented`` adds councils that are not in the lookup (a demo borough),
each with an ONS code, a name, its number of children, a made-up DfE LA number from 100 to 199
and a region (``children_invented``). Their files are named and headed by that number, like a
real council's. Each has its own random stream, seeded by the seed and its DfE LA number, so its
data do not depend on the real or other invented councils chosen with it.

Planted over-representation (``GROUP:STAGE:FACTOR``)
----------------------------------------------------
The factor is the **population-relative** rate ratio that ``children.rri.STAGE`` measures: the
number of distinct children of GROUP who reach STAGE in a year, per child of GROUP in the
population, divided by the same rate for White British (WBRI) children of the same council.
``BCRB:s47:1.8`` therefore means Black Caribbean children are 1.8 times as likely as White
British children to have a section 47 enquiry start in the year, given the population.

A stage given no factor keeps the previous stage's ratio: its conversion from the previous stage
is the same as for White British children (``children.stage_rri.STAGE`` is 1). So planting only
``BCRB:s47:1.8`` gives ratios 1, 1, 1.8, 1.8, 1.8 at referral, assessment, s47, cp_plan and cla,
and stage ratios 1, 1, 1.8, 1, 1. The stages are ``referral`` (referred), ``assessment``
(assessment authorised), ``s47`` (enquiry started), ``cp_plan`` (plan started) and ``cla``
(started to be looked after, from SSDA903). GROUP is a CIN ethnicity code other than WBRI,
REFU and NOBT, or a high-level group (MIXED, ASIAN, BLACK, OTHER) meaning each of its codes.

The ratios hold in expectation within each council: councils differ in their rates and in their
ethnic mix, so figures pooled over several councils mix the two (as real ones do). A share of
children of every group is recorded as REFU or NOBT; this lowers every group's counts alike and
leaves the ratios unchanged. Factors that would need a conversion above 100% are refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from safeguarding.casedata.synth import children_rates as R
from safeguarding.casedata.synth.adults import _adult_populations, choose_councils, parse_years
from safeguarding.casedata.synth.children_invented import (
    INVENTED_DFE_NUMBERS,
    InventedChildrenCouncil,
    check_invented_children,
    children_region_lookup,
    ons_code_lookup,
)
from safeguarding.catalogue.geography import Council, councils

__all__ = [
    "INVENTED_DFE_NUMBERS",
    "SCHEMA_FOR_YEAR",
    "ChildrenSynthResult",
    "InventedChildrenCouncil",
    "Overrepresentation",
    "PlantedDisproportionality",
    "check_invented_children",
    "children_region_lookup",
    "ons_code_lookup",
    "parse_over_represent",
    "parse_years",
    "synth_children",
]

SCHEMA_FOR_YEAR = {"2023-24": 2024, "2024-25": 2025, "2025-26": 2026}
NEVER = np.int64(2**40)  # a day number after every real date: the event has not happened
FULL_HISTORY_YEARS = 2  # years simulated in full before the first year asked for
CARE_HISTORY_YEARS = 18  # years before that with only the children who entered care
LONDON = "E12000007"


# --- Ethnicity and planted factors -------------------------------------------------------------


def population_codes() -> tuple[str, ...]:
    """The ethnicity codes that have a population (every code but REFU and NOBT)."""
    from safeguarding.catalogue import code_list

    found = tuple(c.code for c in code_list("cin_ethnicity").codes if c.description)
    if set(found) != set(R.CHILD_ETHNIC_MIX):
        raise RuntimeError("the generator's ethnic mix differs from cin_ethnicity")
    return found


def high_level_groups() -> dict[str, tuple[str, ...]]:
    """Each high-level group (WHITE, MIXED, ...) and its ethnicity codes."""
    from safeguarding.catalogue import code_list

    groups: dict[str, list[str]] = {c.code: [] for c in code_list("cin_ethnic_group").codes}
    for entry in code_list("cin_ethnicity").codes:
        if entry.description:
            groups[entry.description].append(entry.code)
    return {name: tuple(members) for name, members in groups.items()}


@dataclass(frozen=True)
class Overrepresentation:
    """One planted factor: GROUP is ``factor`` times as likely as WBRI to reach ``stage``."""

    group: str
    stage: str
    factor: float

    def __str__(self) -> str:
        return f"{self.group}:{self.stage}:{self.factor:g}"


def parse_over_represent(spec: str) -> Overrepresentation:
    """``BCRB:s47:1.8`` as an Overrepresentation; ValueError in plain words if it is wrong."""
    parts = [p.strip() for p in spec.split(":")]
    if len(parts) != 3:
        raise ValueError(f"{spec!r} should be GROUP:STAGE:FACTOR, for example BCRB:s47:1.8.")
    group, stage, text = parts[0].upper(), parts[1].lower(), parts[2]
    codes = population_codes()
    groups = high_level_groups()
    if group == "WBRI" or group == "WHITE":
        raise ValueError(f"{spec!r}: White British children are the reference group.")
    if group not in codes and group not in groups:
        raise ValueError(
            f"{spec!r}: {parts[0]} is not an ethnicity code ({', '.join(codes[1:])}) or a "
            f"group ({', '.join(g for g in groups if g != 'WHITE')})."
        )
    if stage not in R.STAGES:
        raise ValueError(f"{spec!r}: the stage must be one of {', '.join(R.STAGES)}.")
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"{spec!r}: {text} is not a number.") from None
    if not 0 < factor < 100:
        raise ValueError(f"{spec!r}: the factor must be more than 0 and less than 100.")
    return Overrepresentation(group, stage, factor)


@dataclass(frozen=True)
class PlantedDisproportionality:
    """The population-relative ratios planted for each ethnicity code at each stage."""

    rri: dict[str, dict[str, float]]
    requested: tuple[Overrepresentation, ...] = ()

    def stage_rri(self, code: str, stage: str) -> float:
        """The ratio planted against the previous stage (what ``children.stage_rri`` shows)."""
        index = R.STAGES.index(stage)
        if index == 0:
            return self.rri[code][stage]
        return self.rri[code][stage] / self.rri[code][R.STAGES[index - 1]]

    def group_rri(self, group: str, stage: str) -> float | None:
        """A high-level group's ratio, when every code in it was given the same one."""
        values = {self.rri[c][stage] for c in high_level_groups()[group]}
        return values.pop() if len(values) == 1 else None


@dataclass(frozen=True)
class _Conversion:
    """Per population code: the referral ratio and each later stage's conversion multiplier."""

    referral: np.ndarray
    assessment: np.ndarray
    s47: np.ndarray
    cp_plan: np.ndarray
    cla: np.ndarray
    cla_per_referred: np.ndarray  # chance a referred child of each code enters care


def _cla_chance(assessed: np.ndarray, s47: np.ndarray, plan: np.ndarray) -> np.ndarray:
    return assessed * (
        s47 * (plan * R.CLA_GIVEN_PLAN + (1 - plan) * R.CLA_GIVEN_S47_ONLY)
        + (1 - s47) * R.CLA_GIVEN_ASSESSMENT_ONLY
    )


def plant(
    requested: Iterable[Overrepresentation],
) -> tuple[PlantedDisproportionality, _Conversion]:
    """The planted ratios and the conversion multipliers that produce them; checks feasibility."""
    codes = population_codes()
    groups = high_level_groups()
    given: dict[tuple[str, str], float] = {}
    requested = tuple(requested)
    for item in requested:
        for code in groups.get(item.group, (item.group,)):
            if (code, item.stage) in given:
                raise ValueError(f"{item}: {code} at {item.stage} is given more than once.")
            given[code, item.stage] = item.factor
    rri: dict[str, dict[str, float]] = {}
    for code in codes:
        previous = 1.0
        rri[code] = {}
        for stage in R.STAGES:
            previous = given.get((code, stage), previous)
            rri[code][stage] = previous
    table = np.array([[rri[c][s] for s in R.STAGES] for c in codes])
    referral = table[:, 0]
    m_assessment = table[:, 1] / table[:, 0]
    m_s47 = table[:, 2] / table[:, 1]
    m_plan = table[:, 3] / table[:, 2]
    assessed = R.ASSESSED * m_assessment
    s47 = R.S47_GIVEN_ASSESSED * m_s47
    plan = R.PLAN_GIVEN_S47 * m_plan
    for stage, chance, base in (
        ("assessment", assessed, R.ASSESSED),
        ("s47", s47, R.S47_GIVEN_ASSESSED),
        ("cp_plan", plan, R.PLAN_GIVEN_S47),
    ):
        _check_feasible(codes, stage, chance, base)
    unplanted = _cla_chance(
        np.array(R.ASSESSED), np.array(R.S47_GIVEN_ASSESSED), np.array(R.PLAN_GIVEN_S47)
    )
    natural = referral * _cla_chance(assessed, s47, plan)
    m_cla = table[:, 4] * unplanted / natural
    _check_feasible(codes, "cla", R.CLA_GIVEN_PLAN * m_cla, R.CLA_GIVEN_PLAN / 1.0)
    conversion = _Conversion(
        referral=referral,
        assessment=m_assessment,
        s47=m_s47,
        cp_plan=m_plan,
        cla=m_cla,
        cla_per_referred=_cla_chance(assessed, s47, plan) * m_cla,
    )
    return PlantedDisproportionality(rri=rri, requested=requested), conversion


def _check_feasible(codes: Sequence[str], stage: str, chance: np.ndarray, base: float) -> None:
    too_high = np.flatnonzero(chance > 1.0)
    if len(too_high):
        code = codes[int(too_high[0])]
        raise ValueError(
            f"{code} cannot be planted that high at {stage}: {base:.0%} of White British "
            f"children already move on to that stage from the one before, so {code}'s ratio "
            f"there can be at most {1 / base:.2f} times its ratio at the previous stage."
        )


# --- Councils and population -------------------------------------------------------------------


@dataclass(frozen=True)
class _CouncilRates:
    """Each council's own children's population, ethnic mix, rates and delays (all councils)."""

    children: np.ndarray  # aged 0-17 in the anchor year
    ethnic_mix: np.ndarray  # councils x population codes
    referral_rate: np.ndarray
    trend: np.ndarray
    authorisation_median: np.ndarray
    icpc_median: np.ndarray


def _council_rates(seed: int) -> _CouncilRates:
    """Every real council's, in the order of ``councils()``."""
    every = councils()
    rng = np.random.default_rng([seed, 20])
    adults = _adult_populations(every, seed)
    children = (
        adults * (R.CHILDREN_IN_ENGLAND / adults.sum()) * np.exp(rng.normal(0, 0.1, len(every)))
    )
    london = np.array([c.region_name == "London" for c in every])
    return _drawn_rates(rng, children, london)


def _invented_rates(invented: Sequence[InventedChildrenCouncil], seed: int) -> _CouncilRates:
    """The invented councils', each from its own stream so that it does not depend on others."""
    return _stacked(
        [
            _drawn_rates(
                np.random.default_rng([seed, 21, int(council.dfe_la_number)]),
                np.array([float(council.children)]),
                np.array([council.region_code == LONDON]),
            )
            for council in invented
        ]
    )


def _stacked(parts: Sequence[_CouncilRates]) -> _CouncilRates:
    """The councils of each part, one after the other."""
    return _CouncilRates(
        **{
            item.name: np.concatenate([getattr(part, item.name) for part in parts])
            for item in fields(_CouncilRates)
        }
    )


def _drawn_rates(
    rng: np.random.Generator, children: np.ndarray, london: np.ndarray
) -> _CouncilRates:
    """Ethnic mix, rates and delays for councils of these sizes, London or not."""
    count = len(children)
    mix = np.array(list(R.CHILD_ETHNIC_MIX.values()))
    wbri = np.clip(
        rng.normal(np.where(london, R.WBRI_SHARE_LONDON, R.WBRI_SHARE_ELSEWHERE), 0.1),
        0.1,
        0.97,
    )
    others = mix[1:] * np.exp(rng.normal(0, 0.4, (count, len(mix) - 1)))
    others[london] *= 1 + 2 * (mix[1:] < 0.05) * np.isin(
        np.arange(1, len(mix)), np.arange(5, 16)
    )  # London has far more Black, mixed and Asian children than the average
    others /= others.sum(axis=1, keepdims=True)
    ethnic_mix = np.column_stack([wbri, (1 - wbri)[:, None] * others])
    return _CouncilRates(
        children=children,
        ethnic_mix=ethnic_mix,
        referral_rate=R.REFERRED_CHILDREN_RATE * np.exp(rng.normal(-0.03, 0.25, count)),
        trend=np.clip(rng.normal(0.01, 0.02, count), -0.03, 0.04),
        authorisation_median=R.AUTHORISATION_MEDIAN * np.exp(rng.normal(0, 0.2, count)),
        icpc_median=R.ICPC_MEDIAN_WORKING_DAYS * np.exp(rng.normal(0, 0.15, count)),
    )


def _population(rates: _CouncilRates, position: int, start_year: int) -> np.ndarray:
    """Children of each population code in one council and year (whole numbers)."""
    growth = (1 + R.POPULATION_GROWTH) ** (start_year - R.ANCHOR_YEAR)
    return np.round(rates.children[position] * growth * rates.ethnic_mix[position]).astype(np.int64)


# --- Journeys ----------------------------------------------------------------------------------


def _day(date: str) -> int:
    return int(np.datetime64(date, "D").astype(np.int64))


def _birthday(dob: np.ndarray, years: int) -> np.ndarray:
    """The day of each birthday ``years`` on (29 February falls back to the 28th)."""
    dates = dob.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    day_of_month = (dates - months.astype("datetime64[D]")).astype(np.int64)
    target = (months + 12 * years).astype("datetime64[D]") + day_of_month
    month_end = (months + 12 * years + 1).astype("datetime64[D]") - 1
    return np.minimum(target, month_end).astype(np.int64)


def _working_days_after(days: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The day ``count`` working days (Monday to Friday) after each day."""
    dates = days.astype("datetime64[D]")
    return np.busday_offset(dates, count, roll="forward").astype(np.int64)


def _lognormal(
    rng: np.random.Generator, median: np.ndarray | float, spread: float, size: int
) -> np.ndarray:
    return np.asarray(median) * np.exp(rng.normal(0, spread, size))


def _pick(rng: np.random.Generator, probabilities: np.ndarray, size: int) -> np.ndarray:
    return np.minimum(
        np.searchsorted(np.cumsum(probabilities), rng.random(size)), len(probabilities) - 1
    )


def _pick_factors(rng: np.random.Generator, size: int) -> np.ndarray:
    """Bit masks over the cin_assessment_factor codes: one to a few distinct factors each."""
    weights = R.weights_for("cin_assessment_factor", R.ASSESSMENT_FACTOR)
    how_many = np.minimum(1 + rng.poisson(R.FACTORS_EXTRA, size), 5)
    with np.errstate(divide="ignore"):
        keys = np.log(weights)[None, :] + rng.gumbel(size=(size, len(weights)))
    order = np.argsort(-keys, axis=1, kind="stable")
    chosen = np.zeros((size, len(weights)), dtype=bool)
    np.put_along_axis(chosen, order, np.arange(len(weights))[None, :] < how_many[:, None], axis=1)
    return chosen.astype(np.int64) @ (np.int64(1) << np.arange(len(weights), dtype=np.int64))


@dataclass
class CouncilJourneys:
    """One council's children, their episodes of need and their care, as numpy arrays.

    Dates are day numbers since 1970-01-01; ``NEVER`` marks an event that did not happen.
    Codes are indices into the catalogue list named in the comment.
    """

    council: Council
    # Children.
    child_number: np.ndarray
    population_code: np.ndarray  # index into population_codes(): the child's true group
    ethnicity: np.ndarray  # index into cin_ethnicity: as recorded
    sex: np.ndarray  # index into cin_sex
    dob: np.ndarray
    upn: np.ndarray  # 0 when the child has no UPN
    disabilities: np.ndarray  # bit mask over cin_disability (0: none)
    # Episodes of need (CINdetails), sorted by child and referral date.
    episode_child: np.ndarray
    referral: np.ndarray
    source: np.ndarray  # cin_referral_source
    need: np.ndarray  # cin_primary_need
    closure: np.ndarray
    closure_reason: np.ndarray  # cin_reason_for_closure
    nfa: np.ndarray
    assessment_start: np.ndarray
    authorised: np.ndarray
    factors: np.ndarray  # bit mask over cin_assessment_factor
    cin_plan_start: np.ndarray
    cin_plan_end: np.ndarray
    s47_start: np.ndarray
    icpc_target: np.ndarray
    icpc: np.ndarray
    plan_start: np.ndarray
    plan_end: np.ndarray
    previous_plans: np.ndarray
    first_category: np.ndarray  # cin_category_of_abuse
    latest_category: np.ndarray
    # Periods of care (one per looked-after child), indexed by child.
    care_child: np.ndarray
    care_start: np.ndarray
    care_end: np.ndarray
    care_end_reason: np.ndarray  # ssda903_reason_episode_ceased
    uasc: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)


def _journeys(
    position: int,
    council: Council,
    rates: _CouncilRates,
    conversion: _Conversion,
    first_year: int,
    last_year: int,
    scale: float,
    stream: Sequence[int],
) -> CouncilJourneys:
    """Every child of one council referred from the history years to the last year.

    ``position`` is the council's row in ``rates``; ``stream`` seeds its random numbers.
    """
    rng = np.random.default_rng(list(stream))
    n_codes = len(population_codes())

    # How many children are referred, by year and population code.
    years, codes, care_only = [], [], []
    first_full = first_year - FULL_HISTORY_YEARS
    for year in range(first_full - CARE_HISTORY_YEARS, last_year + 1):
        population = _population(rates, position, year)
        mean = (
            population
            * rates.referral_rate[position]
            * (1 + rates.trend[position]) ** (year - R.ANCHOR_YEAR)
            * conversion.referral
            * scale
        )
        only_care = year < first_full
        if only_care:
            mean = mean * conversion.cla_per_referred
        counts = rng.poisson(mean)
        codes.append(np.repeat(np.arange(n_codes), counts))
        years.append(np.full(counts.sum(), year))
        care_only.append(np.full(counts.sum(), only_care))
    group = np.concatenate(codes)
    year_of = np.concatenate(years)
    care_only_arr = np.concatenate(care_only)
    n = len(group)

    year_start = np.array([_day(f"{y}-04-01") for y in range(year_of.min(initial=2000), 2100)])
    base_year = year_of.min(initial=2000)
    start = year_start[year_of - base_year]
    length = year_start[year_of - base_year + 1] - start
    last_referral = start + (rng.random(n) * length).astype(np.int64)
    age = _pick(rng, R.AGE_WEIGHTS / R.AGE_WEIGHTS.sum(), n)
    dob = last_referral - (age * 365.25 + rng.random(n) * 365).astype(np.int64)
    sex = _pick(rng, R.weights_for("cin_sex", R.SEX), n)

    # How far each child's journey goes this time.
    assessed = care_only_arr | (rng.random(n) < R.ASSESSED * conversion.assessment[group])
    s47 = ~care_only_arr & assessed & (rng.random(n) < R.S47_GIVEN_ASSESSED * conversion.s47[group])
    plan = s47 & (rng.random(n) < R.PLAN_GIVEN_S47 * conversion.cp_plan[group])
    icpc = plan | (s47 & (rng.random(n) < R.ICPC_WITHOUT_PLAN))
    cla_chance = np.where(
        plan,
        R.CLA_GIVEN_PLAN,
        np.where(s47, R.CLA_GIVEN_S47_ONLY, np.where(assessed, R.CLA_GIVEN_ASSESSMENT_ONLY, 0.0)),
    )
    cla = care_only_arr | (rng.random(n) < cla_chance * conversion.cla[group])

    # The last (or only) referral's journey.
    assessment_start = last_referral + np.minimum(rng.exponential(2.5, n), 20).astype(np.int64)
    delay = np.clip(
        _lognormal(rng, rates.authorisation_median[position], R.AUTHORISATION_SPREAD, n), 1, 365
    )
    authorised = np.maximum(last_referral + delay.astype(np.int64), assessment_start + 1)
    s47_start = assessment_start + (
        rng.random(n) * np.minimum(authorised - assessment_start, 10)
    ).astype(np.int64)
    icpc_target = _working_days_after(s47_start, np.full(n, 15))
    icpc_days = np.clip(
        np.round(_lognormal(rng, rates.icpc_median[position], R.ICPC_SPREAD, n)), 1, 60
    ).astype(np.int64)
    icpc_date = _working_days_after(s47_start, icpc_days)
    plan_length = np.clip(_lognormal(rng, R.PLAN_MEDIAN, R.PLAN_SPREAD, n), 14, 2200).astype(
        np.int64
    )
    plan_start = icpc_date
    plan_end = plan_start + plan_length

    eighteen = _birthday(dob, 18)
    care_start = np.where(
        plan,
        plan_start + 1 + (rng.random(n) * 0.8 * plan_length).astype(np.int64),
        np.where(
            s47,
            s47_start + (rng.random(n) * 60).astype(np.int64),
            assessment_start + (rng.random(n) * 120).astype(np.int64),
        ),
    )
    cla &= care_start < eighteen - 1
    care_length = np.clip(_lognormal(rng, R.CARE_MEDIAN, R.CARE_SPREAD, n), 1, 7000).astype(
        np.int64
    )
    care_end = np.minimum(care_start + care_length, eighteen)
    plan_end = np.where(cla & plan, np.minimum(plan_end, care_start), plan_end)

    # Reason care ended, by age.
    rec_codes = R.codes("ssda903_reason_episode_ceased")
    under_5 = _pick(rng, R.weights_for("ssda903_reason_episode_ceased", R.CARE_ENDS_UNDER_5), n)
    older = _pick(rng, R.weights_for("ssda903_reason_episode_ceased", R.CARE_ENDS_5_PLUS), n)
    at_18 = _pick(rng, R.weights_for("ssda903_reason_episode_ceased", R.CARE_ENDS_AT_18), n)
    age_at_end = (care_end - dob) / 365.25
    care_end_reason = np.where(
        care_end >= eighteen, at_18, np.where(age_at_end < 5, under_5, older)
    )

    stage = np.where(plan, 2, np.where(s47, 1, 0))
    cin_plan_chance = np.array(
        [
            R.CHANCE_OF_CIN_PLAN["assessment"],
            R.CHANCE_OF_CIN_PLAN["s47"],
            R.CHANCE_OF_CIN_PLAN["cp_plan"],
        ]
    )[stage]
    has_cin_plan = assessed & ~cla & (rng.random(n) < cin_plan_chance)
    cin_plan_start = np.where(plan, plan_end, authorised)
    cin_plan_end = cin_plan_start + np.clip(
        _lognormal(rng, R.CIN_PLAN_MEDIAN, R.CIN_PLAN_SPREAD, n), 14, 1500
    ).astype(np.int64)

    closure_codes = R.codes("cin_reason_for_closure")
    after_assessment = np.array([closure_codes.index(c) for c in R.CLOSED_AFTER_ASSESSMENT])[
        _pick(rng, np.array(list(R.CLOSED_AFTER_ASSESSMENT.values())), n)
    ]
    rc7, rc8 = closure_codes.index("RC7"), closure_codes.index("RC8")
    care_closure = np.array(
        [closure_codes.index(R.CLOSURE_FOR_CARE_END.get(code, "RC7")) for code in rec_codes]
    )[care_end_reason]
    closure = np.maximum.reduce(
        [
            authorised,
            np.where(icpc, icpc_date, 0),
            np.where(plan, plan_end, 0),
            np.where(has_cin_plan, cin_plan_end, 0),
        ]
    )
    closure = np.where(cla, care_end, np.where(assessed, closure, last_referral))
    closure_reason = np.where(
        cla,
        care_closure,
        np.where(~assessed, rc8, np.where(plan | has_cin_plan, rc7, after_assessment)),
    )

    need_codes = R.codes("cin_primary_need")
    need = np.where(
        s47 & (rng.random(n) < 0.85),
        need_codes.index("N1"),
        _pick(rng, R.weights_for("cin_primary_need", R.PRIMARY_NEED), n),
    )
    need = np.where(
        assessed, need, _pick(rng, R.weights_for("cin_primary_need", R.PRIMARY_NEED_NFA), n)
    )
    previous_plans = _pick(rng, np.array(R.PREVIOUS_PLANS), n)
    category_weights = R.weights_for("cin_category_of_abuse", R.CATEGORY_OF_ABUSE)
    first_category = _pick(rng, category_weights, n)
    latest_category = np.where(
        rng.random(n) < R.CATEGORY_CHANGES, _pick(rng, category_weights, n), first_category
    )

    # Earlier referrals of the same child in the months before: short episodes that closed.
    extra = np.where(care_only_arr, 0, np.minimum(rng.poisson(R.EXTRA_REFERRALS, n), 4))
    owner = np.repeat(np.arange(n), extra)
    gaps = 21 + rng.exponential(80, len(owner)).astype(np.int64)
    # Cumulative gaps back from the last referral, within each child.
    offsets = np.cumsum(gaps)
    first_of_owner = np.repeat(np.cumsum(extra) - extra, extra)
    before = np.concatenate([[0], offsets])[first_of_owner]
    back = offsets - before
    earlier_referral = last_referral[owner] - back
    keep = earlier_referral > dob[owner]
    owner, gaps, earlier_referral = owner[keep], gaps[keep], earlier_referral[keep]
    m = len(owner)
    earlier_assessed = assessed[owner] & (rng.random(m) >= R.EARLIER_REFERRAL_NFA)
    earlier_start = earlier_referral + np.minimum(rng.exponential(2, m), 8).astype(np.int64)
    earlier_authorised = np.minimum(
        earlier_referral + np.clip(_lognormal(rng, 20.0, 0.5, m), 1, 400).astype(np.int64),
        earlier_referral + gaps - 1,
    )
    earlier_authorised = np.maximum(earlier_authorised, earlier_start + 1)
    earlier_start = np.minimum(earlier_start, earlier_authorised - 1)
    earlier_closure = np.where(earlier_assessed, earlier_authorised, earlier_referral)
    earlier_reason = np.where(
        earlier_assessed,
        np.array([closure_codes.index(c) for c in R.CLOSED_AFTER_ASSESSMENT])[
            _pick(rng, np.array(list(R.CLOSED_AFTER_ASSESSMENT.values())), m)
        ],
        rc8,
    )
    earlier_need = np.where(
        earlier_assessed,
        _pick(rng, R.weights_for("cin_primary_need", R.PRIMARY_NEED), m),
        _pick(rng, R.weights_for("cin_primary_need", R.PRIMARY_NEED_NFA), m),
    )

    # Put the episodes together: last referrals then earlier ones, sorted by child and date.
    never_m = np.full(m, NEVER)
    source_weights = R.weights_for("cin_referral_source", R.REFERRAL_SOURCE)
    episodes = {
        "child": np.concatenate([np.arange(n), owner]),
        "referral": np.concatenate([last_referral, earlier_referral]),
        "source": _pick(rng, source_weights, n + m),
        "need": np.concatenate([need, earlier_need]),
        "closure": np.concatenate([closure, earlier_closure]),
        "closure_reason": np.concatenate([closure_reason, earlier_reason]),
        "nfa": np.concatenate([~assessed, ~earlier_assessed]),
        "assessment_start": np.concatenate(
            [
                np.where(assessed, assessment_start, NEVER),
                np.where(earlier_assessed, earlier_start, NEVER),
            ]
        ),
        "authorised": np.concatenate(
            [
                np.where(assessed, authorised, NEVER),
                np.where(earlier_assessed, earlier_authorised, NEVER),
            ]
        ),
        "factors": _pick_factors(rng, n + m),
        "cin_plan_start": np.concatenate([np.where(has_cin_plan, cin_plan_start, NEVER), never_m]),
        "cin_plan_end": np.concatenate([np.where(has_cin_plan, cin_plan_end, NEVER), never_m]),
        "s47_start": np.concatenate([np.where(s47, s47_start, NEVER), never_m]),
        "icpc_target": np.concatenate([np.where(s47, icpc_target, NEVER), never_m]),
        "icpc": np.concatenate([np.where(icpc, icpc_date, NEVER), never_m]),
        "plan_start": np.concatenate([np.where(plan, plan_start, NEVER), never_m]),
        "plan_end": np.concatenate([np.where(plan, plan_end, NEVER), never_m]),
        "previous_plans": np.concatenate([previous_plans, np.zeros(m, np.int64)]),
        "first_category": np.concatenate([first_category, np.zeros(m, np.int64)]),
        "latest_category": np.concatenate([latest_category, np.zeros(m, np.int64)]),
    }

    # Children get numbers in order of their first referral, as a case system would give them.
    first_referral = np.full(n, NEVER)
    np.minimum.at(first_referral, episodes["child"], episodes["referral"])
    order = np.lexsort((np.arange(n), first_referral))
    renumber = np.empty(n, np.int64)
    renumber[order] = np.arange(n)
    episodes["child"] = renumber[episodes["child"]]
    episode_order = np.lexsort((episodes["referral"], episodes["child"]))
    episodes = {name: values[episode_order] for name, values in episodes.items()}

    def by_number(values: np.ndarray) -> np.ndarray:
        return values[order]

    ethnicity_codes = R.codes("cin_ethnicity")
    pop_codes = population_codes()
    recorded = np.array([ethnicity_codes.index(c) for c in pop_codes])[group]
    unknown = rng.random(n)
    nobt, refu = R.RECORDED_UNKNOWN["NOBT"], R.RECORDED_UNKNOWN["REFU"]
    recorded = np.where(unknown < nobt, ethnicity_codes.index("NOBT"), recorded)
    recorded = np.where(
        (unknown >= nobt) & (unknown < nobt + refu), ethnicity_codes.index("REFU"), recorded
    )
    disability_codes = R.codes("cin_disability")
    disability_weights = R.weights_for("cin_disability", R.DISABILITY)
    first_disability = _pick(rng, disability_weights, n)
    second_disability = _pick(rng, disability_weights, n)
    disabled = rng.random(n) < R.DISABLED_SHARE
    two = rng.random(n) < 0.3
    disabilities = np.where(
        disabled,
        (np.int64(1) << first_disability) | np.where(two, np.int64(1) << second_disability, 0),
        np.int64(1) << disability_codes.index("NONE"),
    )
    upn = np.where(age >= 5, rng.integers(10_000_000, 99_999_999, n, endpoint=True), 0)

    uasc = cla & ((care_start - dob) >= 14 * 365.25) & (rng.random(n) < R.UASC_SHARE_OVER_14)
    looked_after = np.flatnonzero(cla[order])
    original = order[looked_after]
    return CouncilJourneys(
        council=council,
        child_number=np.arange(n) + 1,
        population_code=by_number(group),
        ethnicity=by_number(recorded),
        sex=by_number(sex),
        dob=by_number(dob),
        upn=by_number(upn),
        disabilities=by_number(disabilities),
        episode_child=episodes["child"],
        referral=episodes["referral"],
        source=episodes["source"],
        need=episodes["need"],
        closure=episodes["closure"],
        closure_reason=episodes["closure_reason"],
        nfa=episodes["nfa"],
        assessment_start=episodes["assessment_start"],
        authorised=episodes["authorised"],
        factors=episodes["factors"],
        cin_plan_start=episodes["cin_plan_start"],
        cin_plan_end=episodes["cin_plan_end"],
        s47_start=episodes["s47_start"],
        icpc_target=episodes["icpc_target"],
        icpc=episodes["icpc"],
        plan_start=episodes["plan_start"],
        plan_end=episodes["plan_end"],
        previous_plans=episodes["previous_plans"],
        first_category=episodes["first_category"],
        latest_category=episodes["latest_category"],
        care_child=looked_after,
        care_start=care_start[original],
        care_end=care_end[original],
        care_end_reason=care_end_reason[original],
        uasc=uasc[original],
        extra={"eighteen": eighteen[original], "age_years": age[order]},
    )


# --- The whole run -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildrenSynthResult:
    """Where ``synth_children`` wrote, what it planted and how much it wrote."""

    out: Path
    cin_files: tuple[Path, ...]
    ssda903_folders: tuple[Path, ...]
    population: Path
    councils: tuple[str, ...]  # DfE LA numbers
    years: tuple[str, ...]
    planted: PlantedDisproportionality
    referrals: int  # referrals dated in the years written, over every council
    children_in_care: int  # children in the SSDA903 files, summed over years
    # Council-years with no child in need at this scale, so with no census file.
    without_children: tuple[str, ...] = ()


def _year_bounds(label: str) -> tuple[int, int]:
    start = int(label[:4])
    return _day(f"{start}-04-01"), _day(f"{start + 1}-03-31")


def synth_children(
    las: int,
    years: Sequence[str],
    seed: int,
    out: str | os.PathLike[str],
    *,
    scale: float = 1.0,
    over_represent: Sequence[str | Overrepresentation] = (),
    progress: Callable[[str], None] | None = None,
    invented: Sequence[InventedChildrenCouncil] = (),
) -> ChildrenSynthResult:
    """Write CIN census XML, SSDA903 CSVs and a population file for ``las`` councils.

    ``invented`` adds councils that are not in the lookup after the ``las`` real ones (``las``
    may then be 0). ``scale`` multiplies the volumes (1.0 is England's real rate).
    ``progress`` is called with each council's name when it is done. See the module docstring
    for ``over_represent``.
    """
    from safeguarding.casedata.synth.children_cin import write_cin_file
    from safeguarding.casedata.synth.children_ssda903 import care_details, write_ssda903_folder

    years = list(years)
    if not years:
        raise ValueError("Give at least one year.")
    for label in years:
        if label not in SCHEMA_FOR_YEAR:
            raise ValueError(
                f"There is no CIN census schema here for {label}; the years that can be written "
                f"are {', '.join(SCHEMA_FOR_YEAR)}."
            )
    if not scale > 0:
        raise ValueError("scale must be more than 0.")
    invented = list(invented)
    check_invented_children(invented)
    if las == 0 and not invented:
        raise ValueError("Give at least one council: real ones, invented ones or both.")
    requested = [
        item if isinstance(item, Overrepresentation) else parse_over_represent(item)
        for item in over_represent
    ]
    planted, conversion = plant(requested)
    chosen = choose_councils(las, seed) if las else []
    every = councils()
    rates = _council_rates(seed)
    position_of = {c.ons_code: i for i, c in enumerate(every)}
    # Each council with its row in ``rates`` (invented ones after the real ones) and the seed
    # of its random stream.
    place: list[tuple[Council, int, tuple[int, ...]]] = [
        (council, position_of[council.ons_code], (seed, 30, position_of[council.ons_code]))
        for council in chosen
    ]
    if invented:
        rates = _stacked([rates, _invented_rates(invented, seed)])
        place += [
            (council.as_council(), len(every) + i, (seed, 31, int(council.dfe_la_number)))
            for i, council in enumerate(invented)
        ]
    starts = sorted(int(label[:4]) for label in years)

    root = Path(out)
    cin_dir = root / "cin"
    ssda_root = root / "ssda903"
    cin_dir.mkdir(parents=True, exist_ok=True)
    ssda_root.mkdir(parents=True, exist_ok=True)
    cin_files: list[Path] = []
    without_children: list[str] = []
    folders: list[Path] = []
    referrals = 0
    in_care = 0
    population_rows: list[str] = []
    codes = population_codes()
    for council, position, stream in place:
        journeys = _journeys(
            position, council, rates, conversion, starts[0], starts[-1], scale, stream
        )
        details = care_details(journeys, seed)
        for label in years:
            first, last = _year_bounds(label)
            path = cin_dir / f"cin_{council.dfe_la_number}_{label}.xml"
            if write_cin_file(journeys, path, label, SCHEMA_FOR_YEAR[label]):
                cin_files.append(path)
            else:
                without_children.append(f"{council.name} {label}")
            referrals += int(((journeys.referral >= first) & (journeys.referral <= last)).sum())
            folder = ssda_root / council.dfe_la_number / label
            in_care += write_ssda903_folder(journeys, details, folder, label)
            folders.append(folder)
            population = _population(rates, position, int(label[:4]))
            population_rows += [
                f"{council.dfe_la_number},{label},0-17,all,{code},{count}"
                for code, count in zip(codes, population.tolist(), strict=True)
            ]
        if progress is not None:
            progress(council.name)
    population_path = root / "population.csv"
    with population_path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("geography_code,period,age_band,sex,ethnicity,population\n")
        handle.write("".join(row + "\n" for row in population_rows))
    return ChildrenSynthResult(
        out=root,
        cin_files=tuple(cin_files),
        ssda903_folders=tuple(folders),
        population=population_path,
        councils=tuple(council.dfe_la_number for council, _, _ in place),
        years=tuple(years),
        planted=planted,
        without_children=tuple(without_children),
        referrals=referrals,
        children_in_care=in_care,
    )
