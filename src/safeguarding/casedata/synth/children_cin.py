"""Writing one council's synthetic children as a CIN census XML file, streamed to disk.

The file holds every episode of need open at some time in the census year (1 April to
31 March), with what was known by the reference date: later events are left out, as they would
be from a real return. Element order follows the schema of the collection year; schema 2024
records ``GenderCurrent`` (1, 2, 0), schemas 2025 and 2026 record ``Sex`` (M, F, U).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from safeguarding.casedata.synth import children_rates as R
from safeguarding.casedata.synth.children import NEVER, CouncilJourneys, _year_bounds

SOFTWARE = "safeguarding synth children"
CHUNK = 2000  # children written per write call


class DateText:
    """Day numbers as text, looked up rather than formatted one by one."""

    def __init__(self, first: int, last: int, fmt: str = "iso") -> None:
        self.first = first
        days = np.arange(first, last + 1).astype("datetime64[D]")
        iso = np.datetime_as_string(days, unit="D").tolist()
        if fmt == "iso":
            self.text = iso
        else:  # dd/mm/YYYY for SSDA903
            self.text = [f"{d[8:10]}/{d[5:7]}/{d[:4]}" for d in iso]

    def __call__(self, day: int) -> str:
        return self.text[day - self.first]


def _bits(mask: int) -> Iterator[int]:
    position = 0
    while mask:
        if mask & 1:
            yield position
        mask >>= 1
        position += 1


def write_cin_file(journeys: CouncilJourneys, path: Path, label: str, schema_year: int) -> int:
    """Write the census file for one year; returns how many children it holds."""
    first, last = _year_bounds(label)
    j = journeys
    selected = np.flatnonzero((j.referral <= last) & (j.closure >= first))
    la = j.council.dfe_la_number
    if not len(selected):
        # A census must hold at least one child, so a council with none that year has no file.
        return 0
    end_year = int(label[:4]) + 1
    sex_codes = R.codes("cin_sex")
    if schema_year <= 2024:
        sex_element = "GenderCurrent"
        sex_text = [R.GENDER_CURRENT[c] for c in sex_codes]
    else:
        sex_element = "Sex"
        sex_text = list(sex_codes)
    ethnicity = R.codes("cin_ethnicity")
    disability = R.codes("cin_disability")
    source = R.codes("cin_referral_source")
    need = R.codes("cin_primary_need")
    reason = R.codes("cin_reason_for_closure")
    category = R.codes("cin_category_of_abuse")
    factor = R.codes("cin_assessment_factor")

    dates_used = [
        j.referral[selected],
        j.dob[np.unique(j.episode_child[selected])] if len(selected) else j.dob[:0],
    ]
    low = min([int(d.min()) for d in dates_used if len(d)], default=0)
    date = DateText(min(low, first) - 10, last + 90)

    cols = {
        name: getattr(j, name)[selected].tolist()
        for name in (
            "episode_child",
            "referral",
            "source",
            "need",
            "closure",
            "closure_reason",
            "nfa",
            "assessment_start",
            "authorised",
            "factors",
            "cin_plan_start",
            "cin_plan_end",
            "s47_start",
            "icpc_target",
            "icpc",
            "plan_start",
            "plan_end",
            "previous_plans",
            "first_category",
            "latest_category",
        )
    }
    child_number = j.child_number.tolist()
    dob = j.dob.tolist()
    upn = j.upn.tolist()
    sex = j.sex.tolist()
    recorded = j.ethnicity.tolist()
    disabilities = j.disabilities.tolist()
    never = int(NEVER)

    def known(day: int) -> bool:
        return day <= last

    def episode(i: int) -> str:
        c = cols
        parts = [
            "    <CINdetails>\n",
            f"      <CINreferralDate>{date(c['referral'][i])}</CINreferralDate>\n",
            f"      <ReferralSource>{source[c['source'][i]]}</ReferralSource>\n",
            f"      <PrimaryNeedCode>{need[c['need'][i]]}</PrimaryNeedCode>\n",
        ]
        if known(c["closure"][i]):
            parts.append(f"      <CINclosureDate>{date(c['closure'][i])}</CINclosureDate>\n")
            parts.append(
                f"      <ReasonForClosure>{reason[c['closure_reason'][i]]}</ReasonForClosure>\n"
            )
        icpc = c["icpc"][i]
        if known(icpc):
            parts.append(f"      <DateOfInitialCPC>{date(icpc)}</DateOfInitialCPC>\n")
        if known(c["assessment_start"][i]):
            parts.append("      <Assessments>\n")
            parts.append(
                "        <AssessmentActualStartDate>"
                f"{date(c['assessment_start'][i])}</AssessmentActualStartDate>\n"
            )
            if known(c["authorised"][i]):
                parts.append(
                    "        <AssessmentAuthorisationDate>"
                    f"{date(c['authorised'][i])}</AssessmentAuthorisationDate>\n"
                )
                parts.append("        <FactorsIdentifiedAtAssessment>\n")
                parts.extend(
                    f"          <AssessmentFactors>{factor[b]}</AssessmentFactors>\n"
                    for b in _bits(c["factors"][i])
                )
                parts.append("        </FactorsIdentifiedAtAssessment>\n")
            parts.append("      </Assessments>\n")
        if known(c["cin_plan_start"][i]):
            parts.append("      <CINPlanDates>\n")
            parts.append(
                f"        <CINPlanStartDate>{date(c['cin_plan_start'][i])}</CINPlanStartDate>\n"
            )
            if known(c["cin_plan_end"][i]):
                parts.append(
                    f"        <CINPlanEndDate>{date(c['cin_plan_end'][i])}</CINPlanEndDate>\n"
                )
            parts.append("      </CINPlanDates>\n")
        s47 = c["s47_start"][i]
        if known(s47):
            held = known(icpc)
            # Once 15 working days have passed with no conference, none was needed.
            not_required = icpc == never and c["icpc_target"][i] <= last
            parts.append("      <Section47>\n")
            parts.append(f"        <S47ActualStartDate>{date(s47)}</S47ActualStartDate>\n")
            parts.append(
                f"        <InitialCPCtarget>{date(c['icpc_target'][i])}</InitialCPCtarget>\n"
            )
            if held:
                parts.append(f"        <DateOfInitialCPC>{date(icpc)}</DateOfInitialCPC>\n")
            parts.append(f"        <ICPCnotRequired>{int(not_required)}</ICPCnotRequired>\n")
            parts.append("      </Section47>\n")
        parts.append(f"      <ReferralNFA>{int(c['nfa'][i])}</ReferralNFA>\n")
        start = c["plan_start"][i]
        if known(start):
            end = c["plan_end"][i]
            ended = known(end)
            parts.append("      <ChildProtectionPlans>\n")
            parts.append(f"        <CPPstartDate>{date(start)}</CPPstartDate>\n")
            if ended:
                parts.append(f"        <CPPendDate>{date(end)}</CPPendDate>\n")
            parts.append(
                "        <InitialCategoryOfAbuse>"
                f"{category[c['first_category'][i]]}</InitialCategoryOfAbuse>\n"
            )
            parts.append(
                "        <LatestCategoryOfAbuse>"
                f"{category[c['latest_category'][i]]}</LatestCategoryOfAbuse>\n"
            )
            parts.append(
                f"        <NumberOfPreviousCPP>{c['previous_plans'][i]}</NumberOfPreviousCPP>\n"
            )
            reviews = _plan_reviews(start, end, last, child_number[c["episode_child"][i]])
            if reviews:
                parts.append("        <Reviews>\n")
                parts.extend(
                    f"          <CPPreviewDate>{date(day)}</CPPreviewDate>\n" for day in reviews
                )
                parts.append("        </Reviews>\n")
            parts.append("      </ChildProtectionPlans>\n")
        parts.append("    </CINdetails>\n")
        return "".join(parts)

    def child(k: int, episodes: list[int]) -> str:
        number = child_number[k]
        identifiers = [f"      <LAchildID>{la}C{number:07d}</LAchildID>\n"]
        if upn[k]:
            identifiers.append(f"      <UPN>A{la}{upn[k]:08d}{number % 10}</UPN>\n")
        else:
            identifiers.append("      <UPNunknown>UN1</UPNunknown>\n")
        identifiers.append(f"      <PersonBirthDate>{date(dob[k])}</PersonBirthDate>\n")
        identifiers.append(f"      <{sex_element}>{sex_text[sex[k]]}</{sex_element}>\n")
        disability_lines = "".join(
            f"        <Disability>{disability[b]}</Disability>\n" for b in _bits(disabilities[k])
        )
        return (
            "  <Child>\n    <ChildIdentifiers>\n"
            + "".join(identifiers)
            + "    </ChildIdentifiers>\n    <ChildCharacteristics>\n"
            + f"      <Ethnicity>{ethnicity[recorded[k]]}</Ethnicity>\n"
            + "      <Disabilities>\n"
            + disability_lines
            + "      </Disabilities>\n    </ChildCharacteristics>\n"
            + "".join(episode(i) for i in episodes)
            + "  </Child>\n"
        )

    header = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n'
        "    <CollectionDetails>\n      <Collection>CIN</Collection>\n"
        f"      <Year>{end_year}</Year>\n      <ReferenceDate>{date(last)}</ReferenceDate>\n"
        "    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n"
        f"      <LEA>{la}</LEA>\n      <SoftwareCode>{SOFTWARE}</SoftwareCode>\n"
        f"      <Release>{schema_year}</Release>\n      <SerialNo>001</SerialNo>\n"
        f"      <DateTime>{end_year}-05-01T09:00:00</DateTime>\n    </Source>\n  </Header>\n"
        "  <Children>\n"
    )
    owners = cols["episode_child"]
    children = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(header)
        buffer: list[str] = []
        i = 0
        while i < len(owners):
            k = owners[i]
            stop = i
            while stop < len(owners) and owners[stop] == k:
                stop += 1
            buffer.append(child(k, list(range(i, stop))))
            children += 1
            i = stop
            if len(buffer) >= CHUNK:
                handle.write("".join(buffer))
                buffer.clear()
        handle.write("".join(buffer))
        handle.write("  </Children>\n</Message>\n")
    return children


def _plan_reviews(start: int, end: int, last: int, number: int) -> list[int]:
    """Review conferences: about three months in, then about every six months."""
    reviews = []
    k = 0
    while True:
        # Conferences seldom fall exactly on the due date: a few days either way.
        due = start + R.CPP_FIRST_REVIEW_DAYS + k * R.CPP_REVIEW_EVERY_DAYS
        day = due + (number * 7 + k * 13) % 11 - 5
        if day >= end or day > last:
            return reviews
        reviews.append(day)
        k += 1
