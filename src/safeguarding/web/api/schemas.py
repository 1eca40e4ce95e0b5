"""Request and response schemas for every record type, generated from the models and the registry.

For each record type there are four schemas: what a list can be filtered by, what a new record
is made from, what a partial update may change, and what the API sends back. Code-list fields
are enums of their codes, foreign keys are ids, many-to-many links are lists of ids and
multi-code fields are lists of codes. Fields nobody may set are rejected, not ignored, so that
a misspelt field name is reported instead of silently dropped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from django.db import models
from django.utils.text import capfirst
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    create_model,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from safeguarding.web.records.display import code_list_of, field_code_label
from safeguarding.web.records.fields import CodesField
from safeguarding.web.records.registry import RecordType

#: The largest id a database row can have; larger numbers are refused at the boundary.
ID_MAX = 2**63 - 1
#: The largest page a list returns.
LIMIT_MAX = 500
DEFAULT_LIMIT = 50
#: Parents that a record takes from its URL rather than from the request body.
URL_PARENTS = ("partnership", "area", "strategy")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(value: Any) -> datetime.date:
    """A calendar date written YYYY-MM-DD; anything else (timestamps, 31/03/2025) is refused."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date", "Enter a real date, like 2025-03-31")


def _clean_text(value: str) -> str:
    """Refuse characters that a database cannot store or that only hide content."""
    if "\x00" in value:
        raise PydanticCustomError("text_null", "Remove the hidden null character from the text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "text_encoding", "The text contains characters that are not valid"
        ) from None
    return value


ApiDate = Annotated[
    datetime.date,
    PlainValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "example": "2025-03-31"}),
]
RecordId = Annotated[int, Field(ge=1, le=ID_MAX)]


def text_type(max_length: int | None) -> Any:
    """A string, at most ``max_length`` characters, free of null characters.

    Spaces around the text are removed, as the web forms do, so that "   " counts as empty.
    """
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length),
        AfterValidator(_clean_text),
    ]


@dataclass(frozen=True)
class FieldDoc:
    """What an error message needs to know about a field: its label and what kind it is."""

    name: str
    label: str
    kind: str
    """One of text, code, codes, date, integer, boolean, reference, references, other."""
    codes: tuple[str, ...] = ()


#: The fields of each generated schema, so errors can be explained in the field's own words.
SCHEMA_FIELDS: dict[type[BaseModel], dict[str, FieldDoc]] = {}


def field_label(field: models.Field) -> str:
    return capfirst(str(field.verbose_name))


def field_kind(field: models.Field) -> str:
    if isinstance(field, CodesField):
        return "codes"
    if field.many_to_many:
        return "references"
    if field.is_relation:
        return "reference"
    if field.choices:
        return "code"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.IntegerField):
        return "integer"
    if isinstance(field, models.CharField | models.TextField):
        return "text"
    return "other"


def field_doc(field: models.Field) -> FieldDoc:
    codes = code_list_of(field)
    return FieldDoc(
        name=field.name,
        label=field_label(field),
        kind=field_kind(field),
        codes=tuple(c.code for c in codes.codes) if codes else (),
    )


def describe(field: models.Field) -> str | None:
    """The OpenAPI description of a field: its help text and, for codes, what each code means."""
    parts = [str(field.help_text)] if field.help_text else []
    kind = field_kind(field)
    codes = code_list_of(field)
    if codes is not None:
        listed = "; ".join(f"`{c.code}` {c.label}" for c in codes.codes)
        many = "A list of codes" if kind == "codes" else "A code"
        parts.append(f"{many} from the code list '{codes.title}': {listed}.")
    elif kind == "reference":
        parts.append(f"The id of a {field.related_model._meta.verbose_name}.")
    elif kind == "references":
        parts.append(f"A list of ids of {field.related_model._meta.verbose_name_plural}.")
    return " ".join(parts) or None


def _integer_bounds(field: models.Field) -> dict[str, int]:
    positive = isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField)
    if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return {"ge": 0 if positive else -32768, "le": 32767}
    return {"ge": 0 if positive else -(2**31), "le": 2**31 - 1}


def input_type(field: models.Field) -> Any:
    """The type a request gives for ``field``."""
    kind = field_kind(field)
    if kind == "codes":
        codes = code_list_of(field)
        assert codes is not None, f"{field} has no code list"
        member = Literal[tuple(c.code for c in codes.codes)]  # type: ignore[misc]
        return Annotated[list[member], Field(max_length=len(codes.codes))]  # type: ignore[valid-type]
    if kind == "references":
        return Annotated[list[RecordId], Field(min_length=0 if field.blank else 1, max_length=500)]
    if kind == "reference":
        base: Any = RecordId
    elif kind == "code":
        base = Literal[tuple(str(code) for code, _ in field.choices)]  # type: ignore[misc]
    elif kind == "date":
        base = ApiDate
    elif kind == "boolean":
        base = bool
    elif kind == "integer":
        base = Annotated[int, Field(**_integer_bounds(field))]
    else:
        base = text_type(getattr(field, "max_length", None))
    return base | None if field.null else base


def output_type(field: models.Field) -> Any:
    """The type a response gives for ``field`` (codes documented as enums, sent as strings)."""
    kind = field_kind(field)
    codes = code_list_of(field)
    enum = {"type": "string", "enum": [c.code for c in codes.codes]} if codes else None
    if kind == "codes":
        return list[Annotated[str, WithJsonSchema(enum)]]  # type: ignore[arg-type]
    if kind == "references":
        return list[int]
    if kind == "reference":
        base: Any = int
    elif kind == "code":
        base = Annotated[str, WithJsonSchema(enum)]  # type: ignore[arg-type]
    elif kind == "date":
        base = datetime.date
    elif kind == "boolean":
        base = bool
    elif kind == "integer":
        base = int
    else:
        base = str
    return base | None if field.null else base


def is_required(field: models.Field) -> bool:
    """Whether a new record must be given ``field``."""
    if field.many_to_many:
        return not field.blank
    return not (field.blank or field.null or field.has_default())


def body_parent(record_type: RecordType) -> str | None:
    """The parent given in the body when a record is made (its parent is not in its URL).

    Progress updates name their action, recommendations their review and priority reviews their
    priority. The parent is set when the record is made and cannot be changed afterwards.
    """
    parent = record_type.parent_field
    if parent is None or parent in URL_PARENTS or parent in record_type.fields:
        return None
    return parent


def editable_fields(record_type: RecordType, *, creating: bool) -> list[models.Field]:
    names = list(record_type.fields)
    parent = body_parent(record_type)
    if creating and parent:
        names.insert(0, parent)
    return [record_type.model._meta.get_field(name) for name in names]


def output_fields(record_type: RecordType) -> list[models.Field]:
    """The fields a response shows: the parent, the parent given in the body, then the rest."""
    names: list[str] = []
    for name in (record_type.parent_field, body_parent(record_type), *record_type.fields):
        if name and name not in names:
            names.append(name)
    return [record_type.model._meta.get_field(name) for name in names]


def _model_name(record_type: RecordType) -> str:
    return record_type.model.__name__


def _drop_defaults(schema: dict[str, Any]) -> None:
    # In a partial update a field left out stays as it is; a "default" would mislead.
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


def _register(schema: type[BaseModel], docs: dict[str, FieldDoc]) -> type[BaseModel]:
    SCHEMA_FIELDS[schema] = docs
    return schema


@cache
def create_schema(record_type: RecordType) -> type[BaseModel]:
    """What a new record of ``record_type`` is made from."""
    definitions: dict[str, Any] = {}
    docs: dict[str, FieldDoc] = {}
    for field in editable_fields(record_type, creating=True):
        info: FieldInfo = Field(title=field_label(field), description=describe(field))
        if not is_required(field):
            default = None if field.null else field.get_default()
            info = Field(default=default, title=field_label(field), description=describe(field))
        definitions[field.name] = (input_type(field), info)
        docs[field.name] = field_doc(field)
    schema = create_model(
        f"{_model_name(record_type)}Create",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"A new {record_type.label}.",
        **definitions,
    )
    return _register(schema, docs)


@cache
def patch_schema(record_type: RecordType) -> type[BaseModel]:
    """What a partial update of ``record_type`` may change: any of its editable fields."""
    definitions: dict[str, Any] = {}
    docs: dict[str, FieldDoc] = {}
    for field in editable_fields(record_type, creating=False):
        info = Field(default=None, title=field_label(field), description=describe(field))
        definitions[field.name] = (input_type(field), info)
        docs[field.name] = field_doc(field)
    schema = create_model(
        f"{_model_name(record_type)}Patch",
        __config__=ConfigDict(extra="forbid", json_schema_extra=_drop_defaults),
        __doc__=(
            f"Changes to a {record_type.label}: send only the fields to change. "
            "A field sent as null is cleared where it may be empty."
        ),
        **definitions,
    )
    return _register(schema, docs)


@cache
def output_schema(record_type: RecordType) -> type[BaseModel]:
    """A record of ``record_type`` as the API sends it."""
    definitions: dict[str, Any] = {"id": (int, Field(title="Id"))}
    for field in output_fields(record_type):
        definitions[field.name] = (
            output_type(field),
            Field(title=field_label(field), description=describe(field)),
        )
        kind = field_kind(field)
        if kind == "code":
            definitions[f"{field.name}_label"] = (
                str | None if field.null else str,
                Field(title=f"{field_label(field)} (label)", description="The code's label."),
            )
        elif kind == "codes":
            definitions[f"{field.name}_labels"] = (
                list[str],
                Field(title=f"{field_label(field)} (labels)", description="The codes' labels."),
            )
    return create_model(_model_name(record_type), __doc__=f"A {record_type.label}.", **definitions)


@cache
def list_schema(record_type: RecordType) -> type[BaseModel]:
    """A page of a list of ``record_type``."""
    return create_model(
        f"{_model_name(record_type)}List",
        __doc__=f"A page of {record_type.label_plural}.",
        count=(int, Field(description="How many records match, on all pages.")),
        limit=(int, Field(description="The most records this page could hold.")),
        offset=(int, Field(description="How many matching records come before this page.")),
        items=(list[output_schema(record_type)], Field(description="The records on this page.")),  # type: ignore[misc]
    )


def filter_names(record_type: RecordType) -> list[str]:
    """The fields a list can be filtered on: the registry's filters and the body parent."""
    names = list(record_type.filters)
    parent = body_parent(record_type)
    if parent and parent not in names:
        names.insert(0, parent)
    return names


def filter_type(field: models.Field) -> Any:
    kind = field_kind(field)
    if kind in ("reference", "references"):
        return RecordId | None
    if kind in ("code", "codes"):
        codes = code_list_of(field)
        assert codes is not None, f"{field} has no code list"
        return Literal[tuple(c.code for c in codes.codes)] | None  # type: ignore[misc]
    return input_type(field) | None


def filter_description(field: models.Field) -> str:
    kind = field_kind(field)
    label = field_label(field).lower()
    if kind == "references":
        return f"Only records linked to the {field.related_model._meta.verbose_name} with this id."
    if kind == "reference":
        return f"Only records whose {label} is the {field.related_model._meta.verbose_name} " + (
            "with this id."
        )
    if kind == "codes":
        return f"Only records whose {label} include this code. " + (describe(field) or "")
    return f"Only records with this {label}. " + (describe(field) or "")


@cache
def filter_schema(record_type: RecordType) -> type[BaseModel]:
    """The query parameters of a list of ``record_type``."""
    definitions: dict[str, Any] = {}
    docs: dict[str, FieldDoc] = {}
    for name in filter_names(record_type):
        field = record_type.model._meta.get_field(name)
        definitions[name] = (
            filter_type(field),
            Field(default=None, title=field_label(field), description=filter_description(field)),
        )
        docs[name] = field_doc(field)
    if record_type.search:
        searched = ", ".join(
            field_label(record_type.model._meta.get_field(n)).lower() for n in record_type.search
        )
        definitions["q"] = (
            text_type(200) | None,
            Field(default=None, title="Search", description=f"Words to look for in: {searched}."),
        )
        docs["q"] = FieldDoc("q", "Search", "text")
    definitions["limit"] = (
        int,
        Field(
            default=DEFAULT_LIMIT,
            ge=1,
            le=LIMIT_MAX,
            title="Limit",
            description=f"How many records to return, 1 to {LIMIT_MAX}.",
        ),
    )
    definitions["offset"] = (
        int,
        Field(
            default=0,
            ge=0,
            le=2**31 - 1,
            title="Offset",
            description="How many matching records to skip, for the next page.",
        ),
    )
    docs["limit"] = FieldDoc("limit", "Limit", "integer")
    docs["offset"] = FieldDoc("offset", "Offset", "integer")
    schema = create_model(f"{_model_name(record_type)}Filters", **definitions)
    return _register(schema, docs)


def dump(record_type: RecordType, instance: models.Model) -> dict[str, Any]:
    """The response body of one record."""
    data: dict[str, Any] = {"id": instance.pk}
    for field in output_fields(record_type):
        kind = field_kind(field)
        if kind == "references":
            data[field.name] = sorted(o.pk for o in getattr(instance, field.name).all())
        else:
            # attname: a foreign key's id, without loading the record it points to.
            data[field.name] = getattr(instance, field.attname)
        if kind == "code":
            value = data[field.name]
            data[f"{field.name}_label"] = field_code_label(field, value) if value else value
        elif kind == "codes":
            data[f"{field.name}_labels"] = [
                field_code_label(field, v) for v in data[field.name] or []
            ]
    return data
