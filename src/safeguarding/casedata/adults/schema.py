"""The adult safeguarding case file (``shared/specs/adult-cases.md``) as data: its columns, their
types and the code list each code column takes its values from, and the normalised Arrow tables
the reader produces."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

import pyarrow as pa

from safeguarding.catalogue import code_list


class Kind(Enum):
    """What a column holds."""

    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    CODE = "code"
    CODES = "codes"  # several codes separated by ';'


@dataclass(frozen=True)
class Column:
    """One column of the case file."""

    name: str
    kind: Kind
    code_list_id: str | None = None
    required: bool = False  # a value must be given on every row
    enquiry_field: bool = False  # only meaningful when the concern led to an enquiry


AGE_MIN = 18
AGE_MAX = 120
MULTI_VALUE_SEPARATOR = ";"

COLUMNS: tuple[Column, ...] = (
    Column("concern_id", Kind.TEXT, required=True),
    Column("person_id", Kind.TEXT, required=True),
    Column("la_code", Kind.TEXT, required=True),
    Column("concern_date", Kind.DATE, required=True),
    Column("age", Kind.INTEGER),
    Column("sex", Kind.CODE, "sac_sex"),
    Column("ethnic_group", Kind.CODE, "sac_ethnic_group"),
    Column("primary_support_reason", Kind.CODE, "sac_primary_support_reason"),
    Column("enquiry_type", Kind.CODE, "sac_enquiry_type", required=True),
    Column("enquiry_start_date", Kind.DATE, enquiry_field=True),
    Column("enquiry_end_date", Kind.DATE, enquiry_field=True),
    Column("risk_types", Kind.CODES, "sac_risk_type", enquiry_field=True),
    Column("risk_location", Kind.CODE, "sac_risk_location", enquiry_field=True),
    Column("risk_source", Kind.CODE, "sac_risk_source", enquiry_field=True),
    Column("risk_assessment", Kind.CODE, "sac_risk_assessment", enquiry_field=True),
    Column("risk_outcome", Kind.CODE, "sac_risk_outcome", enquiry_field=True),
    Column("lacked_capacity", Kind.CODE, "sac_lacked_capacity", enquiry_field=True),
    Column("capacity_support", Kind.CODE, "sac_capacity_support", enquiry_field=True),
    Column("msp_asked", Kind.CODE, "sac_msp_asked", enquiry_field=True),
    Column("msp_outcome", Kind.CODE, "sac_msp_outcome", enquiry_field=True),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}

_ARROW_TYPES = {
    Kind.TEXT: pa.string(),
    Kind.DATE: pa.date32(),
    Kind.INTEGER: pa.int32(),
    Kind.CODE: pa.string(),
}

CONCERNS_SCHEMA = pa.schema(
    [pa.field(c.name, _ARROW_TYPES[c.kind]) for c in COLUMNS if c.kind is not Kind.CODES]
)
RISK_TYPES_SCHEMA = pa.schema(
    [pa.field("concern_id", pa.string()), pa.field("risk_type", pa.string())]
)


@cache
def codes_of(column_name: str) -> tuple[str, ...]:
    """The codes a code column accepts, from the catalogue."""
    list_id = BY_NAME[column_name].code_list_id
    if list_id is None:
        raise KeyError(f"{column_name} is not a code column")
    return tuple(c.code for c in code_list(list_id).codes)


@dataclass(frozen=True)
class AdultCaseTables:
    """Adult case records, normalised: one row per concern, and one row per concern per risk type.

    ``concerns`` has the columns of CONCERNS_SCHEMA (every column of the file except
    ``risk_types``), with empty values as nulls and codes in upper case; ``risk_types`` has
    ``concern_id`` and ``risk_type``.
    """

    concerns: pa.Table
    risk_types: pa.Table

    @property
    def concern_count(self) -> int:
        return self.concerns.num_rows


def _code(column_name: str, code: str) -> str:
    """A code the validation rules refer to by meaning, checked against the catalogue."""
    if code not in codes_of(column_name):
        raise RuntimeError(f"the catalogue no longer has {code} for {column_name}")
    return code


# The codes the consistency rules depend on (see adult-cases.md).
NO_ENQUIRY = _code("enquiry_type", "NONE")
LACKED_CAPACITY = _code("lacked_capacity", "YES")
OUTCOMES_EXPRESSED = _code("msp_asked", "ASKED_EXPRESSED")
ACTION_ON_RISK = (
    _code("risk_assessment", "RISK_ACTION"),
    _code("risk_assessment", "INCONCLUSIVE_ACTION"),
)
