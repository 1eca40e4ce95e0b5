"""Synthetic adult safeguarding case records and a matching population, vectorised with numpy.

The volumes and proportions follow the published Safeguarding Adults Collection in broad terms
(2024-25: about 640,000 concerns and 185,000 Section 42 enquiries in England) so that the
indicators come out plausible; every council gets its own rates, drifting from year to year.
The same arguments always give the same tables.

Besides real councils from the lookup, the generator can make records for invented ones (a
demo borough, a training data set): ``InventedCouncil`` gives the code, name, size and region
that the lookup would otherwise supply.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from safeguarding.casedata.adults.schema import (
    AGE_MAX,
    CONCERNS_SCHEMA,
    RISK_TYPES_SCHEMA,
    AdultCaseTables,
    codes_of,
)
from safeguarding.casedata.population import POPULATION_SCHEMA
from safeguarding.catalogue import code_list
from safeguarding.catalogue.geography import (
    REGIONS,
    Council,
    councils,
    known_ons_codes,
    region_of,
)

# England, 2024-25, the year the volumes are anchored to.
ANCHOR_YEAR = 2024
CONCERNS_ANCHOR = 640_000
S42_SHARE = 185_000 / 640_000
OTHER_ENQUIRY_SHARE = 0.085
ANNUAL_GROWTH = 0.02  # concerns have grown by a few per cent a year
ADULTS_IN_ENGLAND = 45_700_000
POPULATION_GROWTH = 0.008

# Typical adult populations by kind of council; the spread around them is drawn per council.
TYPICAL_ADULTS = {
    "County council": 620_000,
    "Metropolitan district": 240_000,
    "London borough": 220_000,
    "Unitary authority": 190_000,
}
SMALLEST = {"E09000001": 8_000, "E06000053": 1_800}  # City of London, Isles of Scilly

AGE_BANDS = tuple(c.code for c in code_list("sac_age_band").codes)
AGE_BAND_BOUNDS = ((18, 64), (65, 74), (75, 84), (85, 94), (95, 104))
POPULATION_BY_AGE = (0.755, 0.128, 0.083, 0.030, 0.004)
FEMALE_SHARE_BY_AGE = (0.50, 0.52, 0.55, 0.62, 0.76)
CONCERNS_BY_AGE = (0.43, 0.12, 0.19, 0.21, 0.05)
POPULATION_ETHNIC = {"WHITE": 0.81, "MIXED": 0.02, "ASIAN": 0.095, "BLACK": 0.045, "OTHER": 0.03}

# Proportions among concerns or enquiries; keys are checked against the catalogue below.
SEX = {"F": 0.575, "M": 0.415, "U": 0.01}
RECORDED_ETHNIC_UNKNOWN = {"REFUSED": 0.01, "UNKNOWN": 0.07}
SUPPORT_REASON_UNDER_65 = {
    "PHYSICAL": 0.16,
    "SENSORY": 0.02,
    "MEMORY_COGNITION": 0.02,
    "LEARNING_DISABILITY": 0.22,
    "MENTAL_HEALTH": 0.27,
    "SOCIAL_SUPPORT": 0.08,
    "NONE": 0.14,
    "UNKNOWN": 0.09,
}
SUPPORT_REASON_65_PLUS = {
    "PHYSICAL": 0.55,
    "SENSORY": 0.03,
    "MEMORY_COGNITION": 0.19,
    "LEARNING_DISABILITY": 0.02,
    "MENTAL_HEALTH": 0.05,
    "SOCIAL_SUPPORT": 0.04,
    "NONE": 0.06,
    "UNKNOWN": 0.06,
}
RISK_TYPE_CHANCE = {
    "PHYSICAL": 0.20,
    "SEXUAL": 0.05,
    "PSYCHOLOGICAL": 0.15,
    "FINANCIAL": 0.16,
    "DISCRIMINATORY": 0.006,
    "ORGANISATIONAL": 0.05,
    "NEGLECT": 0.32,
    "DOMESTIC": 0.09,
    "SEXUAL_EXPLOITATION": 0.006,
    "MODERN_SLAVERY": 0.003,
    "SELF_NEGLECT": 0.12,
}
RISK_LOCATION = {
    "OWN_HOME": 0.47,
    "COMMUNITY": 0.06,
    "COMMUNITY_SERVICE": 0.04,
    "CARE_HOME_NURSING": 0.10,
    "CARE_HOME_RESIDENTIAL": 0.15,
    "HOSPITAL_ACUTE": 0.03,
    "HOSPITAL_MENTAL_HEALTH": 0.02,
    "HOSPITAL_COMMUNITY": 0.01,
    "OTHER": 0.12,
}
# Where the risk was in a service, the source is usually the service provider.
SERVICE_LOCATIONS = (
    "COMMUNITY_SERVICE",
    "CARE_HOME_NURSING",
    "CARE_HOME_RESIDENTIAL",
    "HOSPITAL_ACUTE",
    "HOSPITAL_MENTAL_HEALTH",
    "HOSPITAL_COMMUNITY",
)
RISK_SOURCE_IN_SERVICE = {"SERVICE_PROVIDER": 0.70, "KNOWN": 0.25, "UNKNOWN": 0.05}
RISK_SOURCE_ELSEWHERE = {"SERVICE_PROVIDER": 0.08, "KNOWN": 0.77, "UNKNOWN": 0.15}
RISK_ASSESSMENT = {
    "RISK_ACTION": 0.60,
    "RISK_NO_ACTION": 0.02,
    "INCONCLUSIVE_ACTION": 0.07,
    "INCONCLUSIVE_NO_ACTION": 0.02,
    "NO_RISK_ACTION": 0.09,
    "NO_RISK_NO_ACTION": 0.14,
    "CEASED_AT_REQUEST": 0.06,
}
ASSESSMENTS_WITH_ACTION_ON_RISK = ("RISK_ACTION", "INCONCLUSIVE_ACTION")
RISK_OUTCOME = {"REMAINED": 0.10, "REDUCED": 0.66, "REMOVED": 0.24}
LACKED_CAPACITY = {"YES": 0.26, "NO": 0.61, "DONT_KNOW": 0.07, "NOT_RECORDED": 0.06}
CAPACITY_SUPPORT = {"ADVOCATE": 0.25, "FAMILY_FRIEND": 0.58, "NONE": 0.17}
MSP_ASKED = {
    "ASKED_EXPRESSED": 0.66,
    "ASKED_NOT_EXPRESSED": 0.17,
    "NOT_ASKED": 0.09,
    "DONT_KNOW": 0.04,
    "NOT_RECORDED": 0.04,
}
MSP_OUTCOME = {"FULLY": 0.67, "PARTIALLY": 0.28, "NOT_ACHIEVED": 0.05}
NOT_RECORDED_SHARE = 0.02  # enquiry details left empty now and then
REPEAT_CONCERN_SHARE = 0.32  # concerns about someone already known in the file
PSEUDONYM_MULTIPLIER = 738_219_571  # odd and not a multiple of 5: a bijection modulo 10**9
ONS_CODE = re.compile(r"^E\d{8}$")


@dataclass(frozen=True)
class InventedCouncil:
    """A council that is not in the lookup, such as a demo borough.

    ``adults`` is the number of people aged 18 and over in 2024-25; ``region_code`` an ONS
    region code (E12000001 to E12000009), or None to leave the council outside any region.
    """

    ons_code: str
    name: str
    adults: int
    region_code: str | None = None

    def as_council(self) -> Council:
        region_name = REGIONS[self.region_code] if self.region_code else ""
        return Council(self.ons_code, "", self.name, self.region_code or "", region_name)


def _check_invented(invented: Sequence[InventedCouncil]) -> None:
    """Refuse invented councils that could be mistaken for real ones or for each other."""
    real = known_ons_codes()
    seen: set[str] = set()
    for council in invented:
        if not ONS_CODE.match(council.ons_code):
            raise ValueError(f"{council.ons_code!r} is not an English ONS code like E06000097.")
        if council.ons_code in real:
            raise ValueError(
                f"{council.ons_code} belongs to a real council; an invented council needs an "
                "unused code."
            )
        if council.ons_code in seen:
            raise ValueError(f"The invented council {council.ons_code} is given twice.")
        seen.add(council.ons_code)
        if not council.name.strip():
            raise ValueError(f"The invented council {council.ons_code} needs a name.")
        if council.adults < 1:
            raise ValueError(f"The invented council {council.name} needs at least one adult.")
        if council.region_code is not None and council.region_code not in REGIONS:
            raise ValueError(f"{council.region_code!r} is not an English region code.")


def region_lookup(invented: Sequence[InventedCouncil]) -> Callable[[str], str | None]:
    """The region of a council code: the invented councils' own, otherwise the lookup's.

    Pass it as ``region_of`` to ``safeguarding.indicators.run.adult_indicators``.
    """
    own = {council.ons_code: council.region_code for council in invented}

    def lookup(ons_code: str) -> str | None:
        if ons_code in own:
            return own[ons_code]
        return region_of(ons_code)

    return lookup


@dataclass(frozen=True)
class _Year:
    label: str
    start: np.datetime64
    days: int
    offset: int  # years after the anchor year


def parse_years(spec: str) -> list[str]:
    """``2021-22:2024-25`` (or one year, or a comma list) as the list of financial years."""
    spec = spec.strip()
    if ":" in spec:
        first, last = (part.strip() for part in spec.split(":", 1))
        start, end = _year_start(first), _year_start(last)
        if end < start:
            raise ValueError(f"The years {spec} run backwards; write the earlier year first.")
        return [_label(y) for y in range(start, end + 1)]
    return [_label(_year_start(part.strip())) for part in spec.split(",") if part.strip()]


def _year_start(label: str) -> int:
    parts = label.split("-")
    if (
        len(parts) != 2
        or not (parts[0].isdigit() and parts[1].isdigit())
        or len(parts[0]) != 4
        or len(parts[1]) != 2
        or (int(parts[0]) + 1) % 100 != int(parts[1])
    ):
        raise ValueError(f"{label!r} is not a financial year written like 2024-25.")
    return int(parts[0])


def _label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def _years(labels: list[str]) -> list[_Year]:
    found = []
    for label in labels:
        start = _year_start(label)
        first = np.datetime64(f"{start}-04-01")
        after = np.datetime64(f"{start + 1}-04-01")
        found.append(_Year(label, first, int((after - first).astype(int)), start - ANCHOR_YEAR))
    return found


def _check_codes(column: str, weights: dict[str, float]) -> None:
    """The weights must name exactly the catalogue's codes, so a catalogue change shows here."""
    if set(weights) != set(codes_of(column)):
        raise RuntimeError(f"the generator's {column} codes differ from the catalogue")


def _probabilities(column: str, weights: dict[str, float]) -> np.ndarray:
    _check_codes(column, weights)
    values = np.array([weights[code] for code in codes_of(column)], dtype=float)
    return values / values.sum()


def _pick(rng: np.random.Generator, probabilities: np.ndarray, size: int) -> np.ndarray:
    """Category indices drawn with one probability vector for every row."""
    return np.searchsorted(np.cumsum(probabilities), rng.random(size) * probabilities.sum()).clip(
        0, len(probabilities) - 1
    )


def _pick_per_group(rng: np.random.Generator, table: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Category indices where each row's probabilities are ``table[group[row]]``."""
    cumulative = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    draws = rng.random(len(group))
    chosen = np.zeros(len(group), dtype=np.int8)
    for k in range(table.shape[1] - 1):
        chosen += draws > cumulative[group, k]
    return chosen


def _council_wobble(
    rng: np.random.Generator, probabilities: np.ndarray, councils_n: int, spread: float
) -> np.ndarray:
    """Each council's own version of a set of proportions."""
    wobble = np.exp(rng.normal(0.0, spread, size=(councils_n, len(probabilities))))
    table = probabilities[None, :] * wobble
    return table / table.sum(axis=1, keepdims=True)


def _codes_array(column: str, indices: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Code indices as a string array (null where ``mask`` is False)."""
    dictionary = pa.array(codes_of(column), type=pa.string())
    arrow_mask = None if mask is None else ~mask
    encoded = pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32), mask=arrow_mask), dictionary
    )
    return encoded.cast(pa.string())


def _prefixed(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, pa.scalar(""))


def choose_councils(las: int, seed: int) -> list[Council]:
    """``las`` real councils, spread across England, the same for the same seed."""
    every = councils()
    if not 1 <= las <= len(every):
        raise ValueError(
            f"--las must be between 1 and {len(every)} (there are {len(every)} councils)."
        )
    if las == len(every):
        return every
    rng = np.random.default_rng([seed, 1])
    chosen = np.sort(rng.choice(len(every), size=las, replace=False))
    return [every[i] for i in chosen]


def _adult_populations(chosen: list[Council], seed: int) -> np.ndarray:
    """Adults (18+) in each council in the anchor year: skewed sizes around typical values.

    Sizes are drawn for every council and scaled to England's total, so that a council's size
    does not depend on which others were chosen.
    """
    rng = np.random.default_rng([seed, 2])
    every = councils()
    typical = np.array([TYPICAL_ADULTS.get(c.council_type, 200_000) for c in every], dtype=float)
    sizes = typical * np.exp(rng.normal(0.0, 0.45, size=len(every)))
    fixed = np.array([c.ons_code in SMALLEST for c in every])
    sizes[fixed] = [SMALLEST[c.ons_code] for c in every if c.ons_code in SMALLEST]
    sizes[~fixed] *= (ADULTS_IN_ENGLAND - sizes[fixed].sum()) / sizes[~fixed].sum()
    position = {c.ons_code: i for i, c in enumerate(every)}
    return np.maximum(sizes[[position[c.ons_code] for c in chosen]], 1000).round()


def synth_population(
    chosen: list[Council], years: list[str], seed: int, *, adults: np.ndarray | None = None
) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """The population file, each council's adults per year, and each council's ethnic mix.

    ``adults`` gives each council's adults in the anchor year; by default they are drawn (which
    only works for councils in the lookup).
    """
    rng = np.random.default_rng([seed, 3])
    if adults is None:
        adults = _adult_populations(chosen, seed)
    year_list = _years(years)
    ethnic_codes = list(POPULATION_ETHNIC)
    base_mix = np.array(list(POPULATION_ETHNIC.values()))
    # London and some cities are far more diverse than the average.
    white_share = np.array(
        [
            np.clip(rng.normal(0.52 if c.region_name == "London" else 0.86, 0.08), 0.25, 0.98)
            for c in chosen
        ]
    )
    others = base_mix[1:] / base_mix[1:].sum()
    others_mix = others[None, :] * np.exp(rng.normal(0, 0.3, size=(len(chosen), len(others))))
    others_mix /= others_mix.sum(axis=1, keepdims=True)
    ethnic_mix = np.column_stack([white_share, (1 - white_share)[:, None] * others_mix])
    older_share = np.exp(rng.normal(0, 0.2, size=len(chosen)))

    per_year = np.zeros((len(chosen), len(year_list)))
    codes, periods, bands, sexes, ethnicities, counts = [], [], [], [], [], []
    for y, year in enumerate(year_list):
        growth = (1 + POPULATION_GROWTH) ** year.offset
        for c, council in enumerate(chosen):
            age_mix = np.array(POPULATION_BY_AGE) * np.array([1, *[older_share[c]] * 4])
            age_mix = age_mix / age_mix.sum()
            for b, band in enumerate(AGE_BANDS):
                # Older bands grow faster than the working-age band.
                band_total = adults[c] * age_mix[b] * growth * (1 + 0.01 * b) ** year.offset
                for sex, share in (
                    ("F", FEMALE_SHARE_BY_AGE[b]),
                    ("M", 1 - FEMALE_SHARE_BY_AGE[b]),
                ):
                    cells = np.round(band_total * share * ethnic_mix[c]).astype(np.int64)
                    for e, code in enumerate(ethnic_codes):
                        codes.append(council.ons_code)
                        periods.append(year.label)
                        bands.append(band)
                        sexes.append(sex)
                        ethnicities.append(code)
                        counts.append(int(cells[e]))
                    per_year[c, y] += cells.sum()
    table = pa.table(
        [codes, periods, bands, sexes, ethnicities, pa.array(counts, type=pa.int64())],
        schema=POPULATION_SCHEMA,
    )
    return table, per_year, ethnic_mix


def synth_adult_tables(
    las: int,
    years: list[str],
    seed: int,
    scale: float = 1.0,
    *,
    councils: Sequence[InventedCouncil] | None = None,
) -> tuple[AdultCaseTables, pa.Table]:
    """Invented adult case records for ``las`` councils and ``years``, and their population.

    ``scale`` multiplies the volumes (0.001 gives a few hundred concerns for a handful of
    councils). The case file is as if extracted on the last day of the last year: enquiries
    that would end after it are still open.

    ``councils`` adds invented councils after the ``las`` real ones (``las`` may then be 0).
    Their codes are not in the lookup, so the case-file reader would refuse them; the tables
    go straight to the indicators, with ``region_lookup(councils)`` as ``region_of``.
    """
    if not years:
        raise ValueError("Give at least one year.")
    if scale <= 0:
        raise ValueError("scale must be more than 0.")
    invented = list(councils or ())
    _check_invented(invented)
    if las == 0 and not invented:
        raise ValueError("Give at least one council: las must be 1 or more.")
    year_list = _years(years)
    last_day = max(y.start + y.days - 1 for y in year_list)
    if last_day >= np.datetime64(dt.date.today()):
        raise ValueError(
            f"The year {year_list[-1].label} has not ended yet; synthetic records only cover "
            "years that are over."
        )
    chosen = choose_councils(las, seed) if las else []
    adults = np.concatenate(
        [
            _adult_populations(chosen, seed) if chosen else np.zeros(0),
            np.array([council.adults for council in invented], dtype=float),
        ]
    )
    chosen = chosen + [council.as_council() for council in invented]
    population, adults_per_year, ethnic_mix = synth_population(chosen, years, seed, adults=adults)
    rng = np.random.default_rng([seed, 4])
    n_councils = len(chosen)

    # Volumes: each council has its own concern rate and conversion to enquiries.
    concern_rate = CONCERNS_ANCHOR / ADULTS_IN_ENGLAND * np.exp(rng.normal(-0.06, 0.35, n_councils))
    s42_share = np.clip(rng.normal(S42_SHARE, 0.08, n_councils), 0.08, 0.7)
    other_share = np.clip(rng.gamma(2.0, OTHER_ENQUIRY_SHARE / 2.0, n_councils), 0.0, 0.3)
    council_trend = rng.normal(ANNUAL_GROWTH, 0.03, n_councils)
    expected = np.zeros((n_councils, len(year_list)))
    for y, year in enumerate(year_list):
        expected[:, y] = (
            adults_per_year[:, y] * concern_rate * (1 + council_trend) ** year.offset * scale
        )
    volumes = rng.poisson(expected)
    total = int(volumes.sum())

    council_of = np.repeat(np.repeat(np.arange(n_councils), len(year_list)), volumes.ravel())
    year_of = np.repeat(np.tile(np.arange(len(year_list)), n_councils), volumes.ravel())
    year_starts = np.array([y.start for y in year_list], dtype="datetime64[D]")
    year_days = np.array([y.days for y in year_list])
    concern_date = year_starts[year_of] + (rng.random(total) * year_days[year_of]).astype(
        "timedelta64[D]"
    )
    # Records sorted by council and date, as an extract would come.
    order = np.lexsort((concern_date, council_of))
    council_of, year_of, concern_date = council_of[order], year_of[order], concern_date[order]

    # People: some concerns are about someone already in the file, usually recently.
    block_start = np.repeat(
        np.concatenate([[0], np.cumsum(volumes.sum(axis=1))[:-1]]), volumes.sum(axis=1)
    )
    index = np.arange(total)
    repeat = rng.random(total) < REPEAT_CONCERN_SHARE
    back = 1 + np.floor(rng.exponential(max(total / n_councils / 20, 5), total)).astype(np.int64)
    earlier = index - back
    repeat &= earlier >= block_start
    root = np.where(repeat, earlier, index)
    while True:  # follow each chain of repeats back to the person's first concern
        deeper = root[root]
        if np.array_equal(deeper, root):
            break
        root = deeper
    first_concern = root == index
    person_number = np.cumsum(first_concern) - 1
    person_of = person_number[root]
    pseudonym = (person_of.astype(np.int64) * PSEUDONYM_MULTIPLIER + seed * 7_919) % 10**9

    # Who the concern is about: drawn for each person's first concern, then carried forward.
    age_band = _pick(rng, np.array(CONCERNS_BY_AGE), total)
    low = np.array([b[0] for b in AGE_BAND_BOUNDS])[age_band]
    high = np.array([b[1] for b in AGE_BAND_BOUNDS])[age_band]
    # Ages within the band lean towards the younger end for the oldest bands.
    within = np.where(age_band >= 3, rng.random(total) ** 1.6, rng.random(total))
    first_age = (low + within * (high - low + 1)).astype(np.int32).clip(max=high)
    years_since = ((concern_date - concern_date[root]).astype(np.int64) // 365).astype(np.int32)
    age = np.minimum(first_age[root] + years_since, AGE_MAX).astype(np.int32)

    sex = _pick(rng, _probabilities("sex", SEX), total)[root]
    recorded_unknown = sum(RECORDED_ETHNIC_UNKNOWN.values())
    ethnic_table = np.column_stack(
        [
            ethnic_mix * (1 - recorded_unknown),
            np.tile(list(RECORDED_ETHNIC_UNKNOWN.values()), (n_councils, 1)),
        ]
    )
    ethnic_order = [*POPULATION_ETHNIC, *RECORDED_ETHNIC_UNKNOWN]
    _check_codes("ethnic_group", dict.fromkeys(ethnic_order, 1.0))
    ethnic_pick = _pick_per_group(rng, ethnic_table, council_of)[root]
    ethnic_index = np.array([codes_of("ethnic_group").index(c) for c in ethnic_order])[ethnic_pick]
    support_table = np.vstack(
        [
            _probabilities("primary_support_reason", SUPPORT_REASON_UNDER_65),
            _probabilities("primary_support_reason", SUPPORT_REASON_65_PLUS),
        ]
    )
    support = _pick_per_group(rng, support_table, (first_age >= 65).astype(np.int64))[root]

    # Enquiries.
    enquiry_codes = codes_of("enquiry_type")
    kind_draw = rng.random(total)
    drift = 1 + 0.015 * np.array([y.offset for y in year_list])[year_of]
    is_s42 = kind_draw < s42_share[council_of] * drift
    is_other = ~is_s42 & (kind_draw < (s42_share[council_of] + other_share[council_of]) * drift)
    enquiry = np.full(total, enquiry_codes.index("NONE"), dtype=np.int8)
    enquiry[is_s42] = enquiry_codes.index("S42")
    enquiry[is_other] = enquiry_codes.index("OTHER")
    has_enquiry = is_s42 | is_other
    start = concern_date + np.minimum(rng.exponential(6, total), 90).astype("timedelta64[D]")
    duration = np.minimum(rng.lognormal(np.log(40), 0.9, total), 720).astype("timedelta64[D]")
    end = start + duration
    has_enquiry &= start <= last_day
    enquiry[~has_enquiry] = enquiry_codes.index("NONE")
    concluded = has_enquiry & (end <= last_day)

    def recorded(mask: np.ndarray) -> np.ndarray:
        return mask & (rng.random(total) >= NOT_RECORDED_SHARE)

    location = _pick_per_group(
        rng,
        _council_wobble(rng, _probabilities("risk_location", RISK_LOCATION), n_councils, 0.2),
        council_of,
    )
    in_service = np.isin(np.array(codes_of("risk_location"))[location], SERVICE_LOCATIONS)
    source = _pick_per_group(
        rng,
        np.vstack(
            [
                _probabilities("risk_source", RISK_SOURCE_ELSEWHERE),
                _probabilities("risk_source", RISK_SOURCE_IN_SERVICE),
            ]
        ),
        in_service.astype(np.int64),
    )
    assessment = _pick_per_group(
        rng,
        _council_wobble(rng, _probabilities("risk_assessment", RISK_ASSESSMENT), n_councils, 0.2),
        council_of,
    )
    assessment_codes = np.array(codes_of("risk_assessment"))
    action_on_risk = np.isin(assessment_codes[assessment], ASSESSMENTS_WITH_ACTION_ON_RISK)
    outcome = _pick_per_group(
        rng,
        _council_wobble(rng, _probabilities("risk_outcome", RISK_OUTCOME), n_councils, 0.25),
        council_of,
    )
    capacity_probs = _probabilities("lacked_capacity", LACKED_CAPACITY)
    older = (age >= 75).astype(np.int64)
    capacity_table = np.vstack([capacity_probs, capacity_probs * np.array([1.6, 0.8, 1, 1])])
    capacity = _pick_per_group(rng, capacity_table, older)
    lacked = np.array(codes_of("lacked_capacity"))[capacity] == "YES"
    support_in_enquiry = _pick_per_group(
        rng,
        _council_wobble(
            rng, _probabilities("capacity_support", CAPACITY_SUPPORT), n_councils, 0.25
        ),
        council_of,
    )
    msp_table = _council_wobble(rng, _probabilities("msp_asked", MSP_ASKED), n_councils, 0.2)
    not_asked = codes_of("msp_asked").index("NOT_ASKED")
    # Councils have been asking more people what they want, year on year.
    msp_by_year = np.repeat(msp_table, len(year_list), axis=0)
    offsets = np.tile(np.array([y.offset for y in year_list]), n_councils)
    msp_by_year[:, not_asked] *= 0.9**offsets
    msp = _pick_per_group(rng, msp_by_year, council_of * len(year_list) + year_of)
    expressed = np.array(codes_of("msp_asked"))[msp] == "ASKED_EXPRESSED"
    msp_result = _pick_per_group(
        rng,
        _council_wobble(rng, _probabilities("msp_outcome", MSP_OUTCOME), n_councils, 0.2),
        council_of,
    )

    la_codes = pa.array([c.ons_code for c in chosen], type=pa.string())
    concern_id = _prefixed("C", index + 1, 8)
    concerns = pa.table(
        [
            concern_id,
            _prefixed("P", pseudonym, 9),
            la_codes.take(pa.array(council_of)),
            pa.array(concern_date.astype("datetime64[D]"), type=pa.date32()),
            pa.array(age, type=pa.int32()),
            _codes_array("sex", sex),
            _codes_array("ethnic_group", ethnic_index),
            _codes_array("primary_support_reason", support),
            _codes_array("enquiry_type", enquiry),
            pa.array(start, type=pa.date32(), mask=~has_enquiry),
            pa.array(end, type=pa.date32(), mask=~concluded),
            _codes_array("risk_location", location, recorded(has_enquiry)),
            _codes_array("risk_source", source, recorded(has_enquiry)),
            _codes_array("risk_assessment", assessment, concluded),
            _codes_array("risk_outcome", outcome, recorded(concluded & action_on_risk)),
            _codes_array("lacked_capacity", capacity, has_enquiry),
            _codes_array("capacity_support", support_in_enquiry, recorded(has_enquiry & lacked)),
            _codes_array("msp_asked", msp, has_enquiry),
            _codes_array("msp_outcome", msp_result, recorded(concluded & expressed)),
        ],
        schema=CONCERNS_SCHEMA,
    )

    # Types of risk: each enquiry has one or more.
    risk_codes = codes_of("risk_types")
    _check_codes("risk_types", RISK_TYPE_CHANCE)
    enquiry_rows = np.flatnonzero(has_enquiry)
    chances = np.array([RISK_TYPE_CHANCE[c] for c in risk_codes])
    flags = rng.random((len(enquiry_rows), len(risk_codes))) < chances[None, :]
    none_yet = ~flags.any(axis=1)
    flags[none_yet, _pick(rng, chances / chances.sum(), int(none_yet.sum()))] = True
    row_of, type_of = np.nonzero(flags)
    risk_types = pa.table(
        [
            concern_id.take(pa.array(enquiry_rows[row_of])),
            _codes_array("risk_types", type_of),
        ],
        schema=RISK_TYPES_SCHEMA,
    )
    return AdultCaseTables(concerns=concerns, risk_types=risk_types), population


MESSY_SHARE = 0.005  # of rows, for each kind of problem
MESSY_KINDS = (
    "missing_value",
    "wrong_type",
    "impossible_date",
    "future_date",
    "out_of_range",
    "unknown_code",
    "duplicate_id",
    "inconsistent",
)


def make_messy(file_table: pa.Table, seed: int, share: float = MESSY_SHARE) -> pa.Table:
    """The case-file table with a small share of rows spoilt in each way validation catches.

    Each kind of problem goes to its own rows (at least one row each when there are enough),
    so every kind appears; values become text, as a spreadsheet would hold them.
    """
    rng = np.random.default_rng([seed, 5])
    rows = file_table.num_rows
    per_kind = max(1, round(rows * share)) if rows >= 2 * len(MESSY_KINDS) else 0
    order = rng.permutation(np.arange(1, rows))  # row 0 stays clean: duplicates copy upwards
    chosen = {
        kind: np.sort(order[i * per_kind : (i + 1) * per_kind])
        for i, kind in enumerate(MESSY_KINDS)
    }
    text = {name: pc.cast(file_table.column(name), pa.string()) for name in file_table.column_names}
    changes: dict[str, dict[int, str | None]] = {name: {} for name in text}

    def value(name: str, row: int) -> str | None:
        return text[name][int(row)].as_py()

    for row in chosen["missing_value"]:
        name = ("concern_id", "person_id", "la_code", "concern_date", "enquiry_type")[row % 5]
        changes[name][row] = None
    for row in chosen["wrong_type"]:
        if row % 2:
            changes["age"][row] = "seventy"
        else:
            year, month, day = value("concern_date", row).split("-")
            changes["concern_date"][row] = f"{day}/{month}/{year}"
    for row in chosen["impossible_date"]:
        year = value("concern_date", row)[:4]
        changes["concern_date"][row] = f"{year}-02-30" if row % 2 else f"{year}-13-01"
    for row in chosen["future_date"]:
        changes["concern_date"][row] = f"{2090 + row % 9}-0{1 + row % 9}-15"
    for row in chosen["out_of_range"]:
        changes["age"][row] = ("15", "17", "121", "135")[row % 4]
    spoilt_codes = (
        ("sex", "X"),
        ("ethnic_group", "WHITE BRITISH"),
        ("primary_support_reason", "DEMENTIA"),
        ("la_code", "E06000999"),
    )
    for row in chosen["unknown_code"]:
        name, bad = spoilt_codes[row % len(spoilt_codes)]
        changes[name][row] = bad
    for row in chosen["duplicate_id"]:
        changes["concern_id"][row] = value("concern_id", row - 1)
    none = codes_of("enquiry_type")[codes_of("enquiry_type").index("NONE")]
    for row in chosen["inconsistent"]:
        if value("enquiry_type", row) == none:
            changes["msp_outcome"][row] = codes_of("msp_outcome")[0]
        elif value("enquiry_end_date", row) is not None:
            start = dt.date.fromisoformat(value("enquiry_start_date", row))
            changes["enquiry_end_date"][row] = (start - dt.timedelta(days=7)).isoformat()
        else:
            changes["enquiry_start_date"][row] = None
    spoilt = []
    for name in file_table.column_names:
        column = text[name]
        if changes[name]:
            positions = sorted(changes[name])
            mask = np.zeros(rows, dtype=bool)
            mask[positions] = True
            column = pc.replace_with_mask(
                column.combine_chunks(),
                pa.array(mask),
                pa.array([changes[name][p] for p in positions], type=pa.string()),
            )
        spoilt.append(column)
    return pa.table(spoilt, names=file_table.column_names)
