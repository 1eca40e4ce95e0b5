"""The tables the CIN census reader produces, as Arrow schemas, with what each column holds.

Every table starts with the same four columns, so that tables from many councils and years can
be stacked and joined:

- ``la``: the council's DfE LA number (three digits), from the file's header (``Source/LEA``);
- ``year``: the census year as a financial year, e.g. ``2024-25`` for the census whose reference
  date is 31 March 2025;
- ``child_id``: the council's own id for the child (``LAchildID``). It is the only identifier
  kept: the UPN and former UPN are not copied (the indicators do not need them), only whether
  a UPN was given;
- ``line``: the line of the file on which the element the row comes from starts, so that a row
  can be traced back to the file.

Rows below a referral carry ``referral_id``: the position (1, 2, ...) of its ``CINdetails``
element within the child, which identifies the episode of need within the file. Dates are
``date32``; a date that cannot be read is null and reported. Codes are kept as the file gives
them (trimmed); an unknown code is kept and reported, so that nothing is silently changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from safeguarding.casedata.report import ValidationReport

_KEY = [
    pa.field("la", pa.string()),
    pa.field("year", pa.string()),
    pa.field("child_id", pa.string()),
]
_LINE = pa.field("line", pa.int32())
_REFERRAL = pa.field("referral_id", pa.int16())

CHILDREN_SCHEMA = pa.schema(
    [
        *_KEY,
        _LINE,
        pa.field("has_upn", pa.bool_()),  # a UPN was given (the UPN itself is not kept)
        pa.field("upn_unknown", pa.string()),  # cin_upn_unknown: why there is no UPN
        pa.field("birth_date", pa.date32()),
        pa.field("expected_birth_date", pa.date32()),  # for an unborn child
        pa.field("sex", pa.string()),  # cin_sex: F, M or U, whatever the schema year
        pa.field("ethnicity", pa.string()),  # cin_ethnicity
        pa.field("death_date", pa.date32()),
    ]
)

DISABILITIES_SCHEMA = pa.schema([*_KEY, _LINE, pa.field("disability", pa.string())])

CIN_DETAILS_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        _LINE,
        pa.field("referral_date", pa.date32()),
        pa.field("referral_source", pa.string()),  # cin_referral_source
        pa.field("primary_need", pa.string()),  # cin_primary_need
        pa.field("closure_date", pa.date32()),
        pa.field("reason_for_closure", pa.string()),  # cin_reason_for_closure
        pa.field("initial_cpc_date", pa.date32()),  # DateOfInitialCPC at referral level
        pa.field("referral_nfa", pa.bool_()),  # referral led to no further action
    ]
)

ASSESSMENTS_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        pa.field("assessment_id", pa.int16()),  # position within the referral
        _LINE,
        pa.field("start_date", pa.date32()),
        pa.field("internal_review_date", pa.date32()),
        pa.field("authorisation_date", pa.date32()),  # the assessment's completion
    ]
)

ASSESSMENT_FACTORS_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        pa.field("assessment_id", pa.int16()),
        _LINE,
        pa.field("factor", pa.string()),  # cin_assessment_factor
    ]
)

CIN_PLANS_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        _LINE,
        pa.field("start_date", pa.date32()),
        pa.field("end_date", pa.date32()),
    ]
)

SECTION47_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        pa.field("s47_id", pa.int16()),  # position within the referral
        _LINE,
        pa.field("start_date", pa.date32()),
        pa.field("icpc_target_date", pa.date32()),
        pa.field("icpc_date", pa.date32()),
        pa.field("icpc_not_required", pa.bool_()),
    ]
)

CP_PLANS_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        pa.field("plan_id", pa.int16()),  # position within the referral
        _LINE,
        pa.field("start_date", pa.date32()),
        pa.field("end_date", pa.date32()),
        pa.field("initial_category", pa.string()),  # cin_category_of_abuse
        pa.field("latest_category", pa.string()),  # cin_category_of_abuse
        pa.field("previous_plans", pa.int16()),  # NumberOfPreviousCPP
    ]
)

CP_REVIEWS_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        pa.field("plan_id", pa.int16()),
        _LINE,
        pa.field("review_date", pa.date32()),
    ]
)

# Pre-proceedings and family group decision making: in the 2026 census sample, not yet in the
# 2026 schema; read whenever present.
PRE_PROCEEDINGS_SCHEMA = pa.schema(
    [
        *_KEY,
        _REFERRAL,
        _LINE,
        pa.field("start_date", pa.date32()),  # PPStartDate
        pa.field("letter_before_proceedings_date", pa.date32()),  # LBPSentDate
        pa.field("fgdm_offered", pa.bool_()),  # FGDMMeetingOffer
        pa.field("fgdm_facilitated", pa.bool_()),  # FGDMMeetingFac
        pa.field("initial_meeting_date", pa.date32()),  # InitialPPMeetingDate
        pa.field("review_meetings", pa.int16()),  # ReviewMeetingsCount
        pa.field("step_decision_date", pa.date32()),  # StepDecisionDate
        pa.field("outcome", pa.string()),  # PPOutcome, as given
        pa.field("court_application_date", pa.date32()),  # CourtAppDate
        pa.field("letter_initial_cp_date", pa.date32()),  # LetterInitCPDate
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "children": CHILDREN_SCHEMA,
    "disabilities": DISABILITIES_SCHEMA,
    "cin_details": CIN_DETAILS_SCHEMA,
    "assessments": ASSESSMENTS_SCHEMA,
    "assessment_factors": ASSESSMENT_FACTORS_SCHEMA,
    "cin_plans": CIN_PLANS_SCHEMA,
    "section47": SECTION47_SCHEMA,
    "cp_plans": CP_PLANS_SCHEMA,
    "cp_reviews": CP_REVIEWS_SCHEMA,
    "pre_proceedings": PRE_PROCEEDINGS_SCHEMA,
}


@dataclass(frozen=True)
class CinCensus:
    """One CIN census file, read: its tables (by the names of SCHEMAS) and what was found.

    ``schema_year`` is the year of the schema the file was checked against (2024, 2025 or 2026).
    """

    la: str
    year: str
    schema_year: int
    tables: dict[str, pa.Table]
    report: ValidationReport

    def __getattr__(self, name: str) -> pa.Table:
        tables = object.__getattribute__(self, "tables")
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def child_count(self) -> int:
        return self.tables["children"].num_rows

    @property
    def referral_count(self) -> int:
        return self.tables["cin_details"].num_rows
