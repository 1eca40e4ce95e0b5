"""Synthetic SSDA903 tables for one council's looked-after children, written one folder a year.

Each child who became looked after in the CIN journeys gets one period of care, split into
episodes at changes of placement or legal status, with looked-after reviews and (for older
children) times missing or away from placement. The folder for a year (``<root>/<la>/<year>/``)
holds header, episodes, uasc, missing and reviews CSVs with the DfE column names, dates written
dd/mm/YYYY, covering every child looked after at some time in the year as known on 31 March.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from safeguarding.casedata.synth import children_rates as R
from safeguarding.casedata.synth.children import CouncilJourneys, _birthday, _pick, _year_bounds
from safeguarding.casedata.synth.children_cin import DateText

COLUMNS = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "missing": ("CHILD", "MIS_START", "MIS_END", "MISSING"),
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
}
NOT_APPLICABLE_URN = "XXXXXXX"
MOST_EPISODES = 15


@dataclass
class CareDetails:
    """Episodes, reviews and missing spells of one council's looked-after children.

    ``*_care`` arrays index the journeys' care arrays (``care_child`` etc.).
    """

    episode_care: np.ndarray
    decom: np.ndarray
    dec: np.ndarray
    rne: list[str]
    legal_status: list[str]
    need: list[str]
    place: list[str]
    provider: list[str]
    reason_change: list[str]
    rec: list[str]
    pl_post: list[str]
    urn: list[str]
    home_post: list[str]  # by care index
    review_care: np.ndarray
    review_date: np.ndarray
    review_code: list[str]
    missing_care: np.ndarray
    missing_start: np.ndarray
    missing_end: np.ndarray
    missing_kind: list[str]


def _postcode(rng: np.random.Generator, size: int) -> list[str]:
    """Invented partial postcodes (ZZ is no real postcode area)."""
    districts = rng.integers(1, 99, size, endpoint=True).tolist()
    sectors = rng.integers(0, 9, size, endpoint=True).tolist()
    return [f"ZZ{d} {s}" for d, s in zip(districts, sectors, strict=True)]


def care_details(journeys: CouncilJourneys, seed: int) -> CareDetails:
    """Draw the SSDA903 detail for every looked-after child of one council (all years at once)."""
    j = journeys
    rng = np.random.default_rng([seed, 40, int(j.council.dfe_la_number)])
    n = len(j.care_child)
    start, end = j.care_start, j.care_end
    length = end - start
    rec_codes = R.codes("ssda903_reason_episode_ceased")
    adopted = np.isin(np.array(rec_codes)[j.care_end_reason], ("E11", "E12"))
    changes = rng.poisson(R.PLACEMENT_MOVES_PER_YEAR * length / 365.25)
    changes = np.where(adopted, np.maximum(changes, 1), changes)
    changes = np.minimum(np.minimum(changes, (length - 1) // 2), MOST_EPISODES - 1)
    changes = np.maximum(changes, 0)
    episodes = 1 + changes
    care = np.repeat(np.arange(n), episodes)
    first_of = np.cumsum(episodes) - episodes
    k = np.arange(len(care)) - first_of[care]  # episode number within the period of care
    width = np.where(changes > 0, (length - 1) / np.maximum(changes, 1), 0)[care]
    later = (k - 1) * width + rng.random(len(care)) * (width - 1)
    decom = np.where(k == 0, start[care], start[care] + 1 + np.floor(later).astype(np.int64))
    last_of = first_of + episodes - 1
    is_last = np.arange(len(care)) == last_of[care]
    dec = np.where(is_last, end[care], np.roll(decom, -1))
    final_adoption = is_last & adopted[care] & (k > 0)

    rne_draw = rng.random(len(care))
    rne = np.where(
        k == 0,
        "S",
        np.where(rne_draw < R.LEGAL_CHANGE_SHARE, "L", np.where(rne_draw < 0.85, "P", "B")),
    )
    rne = np.where(final_adoption, "B", rne)
    legal_change = (rne == "L") | (rne == "B")
    legal_count = (
        np.cumsum(legal_change)
        - np.cumsum(legal_change)[first_of][care]
        + legal_change[first_of][care]
    )
    ls_codes = R.codes("ssda903_legal_status")
    first_ls = np.array(ls_codes)[
        _pick(rng, R.weights_for("ssda903_legal_status", R.FIRST_LEGAL_STATUS), n)
    ][care]
    legal_status = np.where(
        legal_count == 0,
        first_ls,
        np.where((first_ls == "V2") & (legal_count == 1), "C1", "C2"),
    )
    legal_status = np.where(final_adoption, "E1", legal_status)

    age_at = (decom - j.dob[j.care_child][care]) / 365.25
    place_codes = np.array(R.codes("ssda903_placement"))
    young = place_codes[_pick(rng, R.weights_for("ssda903_placement", R.PLACEMENT), len(care))]
    older = place_codes[
        _pick(rng, R.weights_for("ssda903_placement", R.PLACEMENT_16_PLUS), len(care))
    ]
    drawn = np.where(age_at >= 16, older, young)
    new_place = rne != "L"
    source = np.maximum.accumulate(np.where(new_place, np.arange(len(care)), 0))
    place = np.where(final_adoption, "A4", drawn[source])
    provider = [R.PROVIDER[p] for p in place.tolist()]
    urn_numbers = rng.integers(100_000, 999_999, len(care), endpoint=True)[source]
    urn = [
        f"SC{u}" if p == "K2" else NOT_APPLICABLE_URN
        for p, u in zip(place.tolist(), urn_numbers.tolist(), strict=True)
    ]
    pl_post = np.array(_postcode(rng, len(care)), dtype=object)[source].tolist()
    reasons = np.array(R.codes("ssda903_reason_place_change"))[
        _pick(rng, R.weights_for("ssda903_reason_place_change", R.REASON_PLACE_CHANGE), len(care))
    ]
    reason_change = np.where((k > 0) & ((rne == "P") | (rne == "B")), reasons, "")
    rec = np.where(is_last, np.array(rec_codes)[j.care_end_reason][care], "X1")
    need_codes = np.array(R.codes("ssda903_category_of_need"))
    need_weights = np.array([0.63, 0.04, 0.02, 0.03, 0.12, 0.01, 0.003, 0.147])
    need = need_codes[_pick(rng, need_weights / need_weights.sum(), n)][care]

    # Reviews: within 20 working days or so, three months later, then every six months.
    offsets = np.concatenate(
        [
            [R.REVIEW_FIRST_DAYS, R.REVIEW_FIRST_DAYS + R.REVIEW_SECOND_DAYS],
            R.REVIEW_FIRST_DAYS + R.REVIEW_SECOND_DAYS + R.REVIEW_EVERY_DAYS * np.arange(1, 40),
        ]
    )
    due = start[:, None] + offsets[None, :] + rng.integers(-4, 5, (n, len(offsets)))
    held = due < end[:, None]
    review_care, which = np.nonzero(held)
    review_date = due[review_care, which]
    review_age = (review_date - j.dob[j.care_child][review_care]) / 365.25
    codes_drawn = np.array(R.codes("ssda903_review_code"))[
        _pick(rng, R.weights_for("ssda903_review_code", R.REVIEW_CODE), len(review_care))
    ]
    review_code = np.where(review_age < 4, R.REVIEW_CODE_UNDER_4, codes_drawn).tolist()

    # Missing or away from placement, for children aged 11 or more.
    eleven = _birthday(j.dob[j.care_child], 11)
    exposed_from = np.maximum(start, eleven)
    exposure = np.maximum(end - exposed_from, 0)
    spells = np.minimum(rng.poisson(3 * R.MISSING_CHANCE_PER_YEAR * exposure / 365.25), 30)
    missing_care = np.repeat(np.arange(n), spells)
    missing_start = exposed_from[missing_care] + (
        rng.random(len(missing_care)) * exposure[missing_care]
    ).astype(np.int64)
    missing_end = np.minimum(
        missing_start + rng.exponential(1.2, len(missing_care)).astype(np.int64),
        end[missing_care],
    )
    order = np.lexsort((missing_start, missing_care))
    # Two spells drawn for the same day would overlap: keep the first.
    repeated = np.zeros(len(order), dtype=bool)
    repeated[1:] = (np.diff(missing_care[order]) == 0) & (np.diff(missing_start[order]) == 0)
    order = order[~repeated]
    missing_kind = np.array(R.codes("ssda903_missing"))[
        _pick(rng, R.weights_for("ssda903_missing", R.MISSING), len(missing_care))
    ].tolist()
    return CareDetails(
        episode_care=care,
        decom=decom,
        dec=dec,
        rne=rne.tolist(),
        legal_status=legal_status.tolist(),
        need=need.tolist(),
        place=place.tolist(),
        provider=provider,
        reason_change=reason_change.tolist(),
        rec=rec.tolist(),
        pl_post=pl_post,
        urn=urn,
        home_post=_postcode(rng, n),
        review_care=review_care,
        review_date=review_date,
        review_code=review_code,
        missing_care=missing_care[order],
        missing_start=missing_start[order],
        missing_end=missing_end[order],
        missing_kind=[missing_kind[i] for i in order.tolist()],
    )


def _write(path: Path, name: str, rows: list[str]) -> None:
    with (path / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(COLUMNS[name]) + "\r\n")
        handle.write("".join(row + "\r\n" for row in rows))


def write_ssda903_folder(
    journeys: CouncilJourneys, details: CareDetails, folder: Path, label: str
) -> int:
    """Write one council-year folder; returns how many children were looked after in the year."""
    j, d = journeys, details
    first, last = _year_bounds(label)
    folder.mkdir(parents=True, exist_ok=True)
    in_year = (j.care_start <= last) & (j.care_end >= first)
    care_index = np.flatnonzero(in_year)
    low = int(j.dob[j.care_child].min()) if len(j.care_child) else first
    high = int(j.extra["eighteen"].max()) if len(j.care_child) else last
    date = DateText(min(low, first) - 10, max(high, last) + 10, fmt="dmy")
    la = j.council.dfe_la_number
    children = j.care_child.tolist()
    number = j.child_number.tolist()
    sex_codes = R.codes("cin_sex")
    sex = [R.SSDA903_SEX[sex_codes[s]] for s in j.sex.tolist()]
    ethnicity = R.codes("cin_ethnicity")
    dob = j.dob.tolist()
    upn = j.upn.tolist()
    recorded = j.ethnicity.tolist()
    eighteen = j.extra["eighteen"].tolist()
    uasc = j.uasc.tolist()

    def child_id(c: int) -> str:
        return f"{la}C{number[children[c]]:07d}"

    header, uasc_rows = [], []
    for c in care_index.tolist():
        k = children[c]
        upn_text = f"A{la}{upn[k]:08d}{number[k] % 10}" if upn[k] else "UN1"
        female_12 = sex[k] == "2" and last - dob[k] >= 12 * 365.25
        header.append(
            f"{child_id(c)},{sex[k]},{date(dob[k])},{ethnicity[recorded[k]]},{upn_text},"
            f"{'0' if female_12 else ''},"
        )
        if uasc[c]:
            uasc_rows.append(f"{child_id(c)},{sex[k]},{date(dob[k])},{date(eighteen[c])}")

    episode_rows = []
    selected = np.flatnonzero(
        in_year[d.episode_care] & (d.decom <= last) & (d.dec >= first)
    ).tolist()
    decom, dec = d.decom.tolist(), d.dec.tolist()
    episode_care = d.episode_care.tolist()
    for e in selected:
        c = episode_care[e]
        ended = dec[e] <= last
        episode_rows.append(
            ",".join(
                (
                    child_id(c),
                    date(decom[e]),
                    d.rne[e],
                    d.legal_status[e],
                    d.need[e],
                    d.place[e],
                    d.provider[e],
                    date(dec[e]) if ended else "",
                    d.rec[e] if ended else "",
                    d.reason_change[e],
                    d.home_post[c],
                    d.pl_post[e],
                    d.urn[e],
                )
            )
        )
    review_rows = []
    review_date = d.review_date.tolist()
    review_care = d.review_care.tolist()
    for r in np.flatnonzero((d.review_date >= first) & (d.review_date <= last)).tolist():
        c = review_care[r]
        review_rows.append(
            f"{child_id(c)},{date(dob[children[c]])},{date(review_date[r])},{d.review_code[r]}"
        )
    missing_rows = []
    starts, ends = d.missing_start.tolist(), d.missing_end.tolist()
    missing_care = d.missing_care.tolist()
    for s in np.flatnonzero((d.missing_start >= first) & (d.missing_start <= last)).tolist():
        end_text = date(ends[s]) if ends[s] <= last else ""
        missing_rows.append(
            f"{child_id(missing_care[s])},{date(starts[s])},{end_text},{d.missing_kind[s]}"
        )
    _write(folder, "header", header)
    _write(folder, "episodes", episode_rows)
    _write(folder, "uasc", uasc_rows)
    _write(folder, "missing", missing_rows)
    _write(folder, "reviews", review_rows)
    return len(header)
