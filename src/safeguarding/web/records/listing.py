"""Lists of records: search, filters from the registry, and pagination.

A filter value that does not fit (not a code on the list, not a record of this partnership)
is ignored and named in a message, never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils.text import capfirst

from safeguarding.web.records.display import Cell, cell, code_list_of, field_label
from safeguarding.web.records.fields import CodesField
from safeguarding.web.records.forms import in_sentence, related_choices
from safeguarding.web.records.places import Place
from safeguarding.web.records.registry import RecordType

PER_PAGE = 25
LONGEST_SEARCH = 100


@dataclass
class FilterOption:
    value: str
    label: str
    selected: bool


@dataclass
class Filter:
    name: str
    label: str
    options: list[FilterOption]
    value: str = ""


@dataclass
class Row:
    instance: models.Model
    cells: list[Cell]
    href: str


@dataclass
class Listing:
    """One page of a filtered, searched list of records."""

    record_type: RecordType
    columns: list[str]
    rows: list[Row]
    page: Page
    count: int
    query: str
    filters: list[Filter]
    problems: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)

    def page_url(self, number: int) -> str:
        return "?" + urlencode({**self.params, "page": number})

    @property
    def page_links(self) -> list[dict[str, Any]]:
        """The GOV.UK pagination items: the first, last and near pages, with gaps marked."""
        current = self.page.number
        last = self.page.paginator.num_pages
        shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
        items: list[dict[str, Any]] = []
        previous = 0
        for number in shown:
            if number - previous > 1:
                items.append({"ellipsis": True})
            items.append(
                {"number": number, "href": self.page_url(number), "current": number == current}
            )
            previous = number
        return items

    @property
    def page_of(self) -> str:
        """Which page this is, for a caption: ", page 2 of 5" (nothing when there is one)."""
        pages = self.page.paginator.num_pages
        return f", page {self.page.number} of {pages}" if pages > 1 else ""

    @property
    def previous_url(self) -> str:
        return self.page_url(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.number + 1) if self.page.has_next() else ""

    @property
    def filtered(self) -> bool:
        return bool(self.query or any(f.value for f in self.filters))


def _options(
    model_field: models.Field, place: Place, record_type: RecordType, user: Any
) -> list[tuple[str, str]]:
    if isinstance(model_field, CodesField):
        codes = code_list_of(model_field)
        return codes.choices if codes else []
    if isinstance(model_field, models.BooleanField):
        return [("yes", "Yes"), ("no", "No")]
    if model_field.is_relation:
        queryset = related_choices(model_field.related_model, place, record_type, user)
        return [(str(o.pk), str(o)) for o in queryset]
    if model_field.choices:
        return [(str(value), str(label)) for value, label in model_field.flatchoices]
    return []


def _apply_filter(
    queryset: models.QuerySet[Any], model_field: models.Field, value: str
) -> models.QuerySet[Any]:
    name = model_field.name
    if isinstance(model_field, CodesField):
        # A JSON list has no containment lookup that SQLite and PostgreSQL share, so the
        # partnership's records are checked here; a partnership holds hundreds, not millions.
        matching = [pk for pk, codes in queryset.values_list("pk", name) if value in (codes or [])]
        return queryset.filter(pk__in=matching)
    if isinstance(model_field, models.BooleanField):
        return queryset.filter(**{name: value == "yes"})
    if model_field.is_relation:
        return queryset.filter(**{f"{name}__pk": int(value)}).distinct()
    return queryset.filter(**{name: value})


def build_listing(params: QueryDict, place: Place, record_type: RecordType, user: Any) -> Listing:
    """The records of ``record_type`` in ``place`` matching the search and filters in
    ``params``."""
    model = record_type.model
    queryset = place.records(record_type)
    problems: list[str] = []
    kept: dict[str, str] = {}

    query = params.get("q", "").strip()
    if len(query) > LONGEST_SEARCH:
        problems.append(f"Search for {LONGEST_SEARCH} characters or fewer.")
        query = query[:LONGEST_SEARCH]
    if query and record_type.search:
        condition = Q()
        for name in record_type.search:
            condition |= Q(**{f"{name}__icontains": query})
        queryset = queryset.filter(condition)
        kept["q"] = query

    filters = []
    for name in record_type.filters:
        model_field = model._meta.get_field(name)
        options = _options(model_field, place, record_type, user)
        value = params.get(name, "").strip()
        label = field_label(model, name)
        if value and value not in {v for v, _ in options}:
            problems.append(
                f"The {in_sentence(label)} filter was ignored: choose one from the list."
            )
            value = ""
        if value:
            queryset = _apply_filter(queryset, model_field, value)
            kept[name] = value
        filters.append(
            Filter(
                name=name,
                label=label,
                value=value,
                options=[FilterOption(v, text, v == value) for v, text in options],
            )
        )

    columns = list(record_type.list_columns)
    # The first column links to the record, so it must name the record itself, not a parent.
    first = model._meta.get_field(columns[0]) if columns else None
    named_by_first = first is not None and not first.is_relation and not first.choices
    related = [
        n
        for n in columns
        if model._meta.get_field(n).is_relation and not model._meta.get_field(n).many_to_many
    ]
    if not named_by_first and record_type.parent_field:
        # A record's name often says what it belongs to ("Police in the partnership"): fetch
        # the parent with the page rather than once a row.
        related.append(record_type.parent_field)
    many = [n for n in columns if model._meta.get_field(n).many_to_many]
    queryset = queryset.select_related(*related).prefetch_related(*many)

    paginator = Paginator(queryset, PER_PAGE)
    page = paginator.get_page(params.get("page"))
    labels = [field_label(model, n) for n in columns]
    if not named_by_first:
        labels.insert(0, capfirst(record_type.label))
    rows = []
    for instance in page.object_list:
        cells = [cell(instance, name, place) for name in columns]
        if not named_by_first:
            cells.insert(0, Cell(str(instance)))
        rows.append(Row(instance, cells, place.url(record_type, "detail", instance.pk)))
    return Listing(
        record_type=record_type,
        columns=labels,
        rows=rows,
        page=page,
        count=paginator.count,
        query=query,
        filters=filters,
        problems=problems,
        params=kept,
    )
