"""The registry of record types agrees with the models and with the permissions."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from safeguarding.web import permissions
from safeguarding.web.dashboards.models import DashboardPanel, SharedIndicator
from safeguarding.web.records import models as m
from safeguarding.web.records.fields import CodesField
from safeguarding.web.records.registry import BY_KEY, BY_MODEL, BY_SLUG, RECORD_TYPES, RecordType
from safeguarding.web.reports.models import AnnualReport, MemberContribution

# Areas are set up with the platform by an administrator; nobody edits them through the pages
# or the API, so they are neither a record type nor a permission.
NOT_A_RECORD_TYPE = {m.Area}

KEYS = [t.key for t in RECORD_TYPES]


def entry(key: str) -> RecordType:
    return BY_KEY[key]


def test_keys_slugs_and_models_are_unique() -> None:
    assert len(BY_KEY) == len(BY_SLUG) == len(BY_MODEL) == len(RECORD_TYPES)


def test_every_registry_key_is_a_permission_record_type() -> None:
    # Indicator loads, statistical neighbours, shared-priorities analyses and the theme taxonomy
    # have their own pages (the results, dashboards and alignment apps), not the record pages.
    assert set(BY_KEY) == set(permissions.RECORD_TYPES) - {
        "indicator_load",
        "neighbour_set",
        "shared_priorities_analysis",
        "theme_taxonomy",
    }
    for record_type in RECORD_TYPES:
        assert permissions.record_type_of(record_type.model) == record_type.key


def test_every_record_model_has_an_entry() -> None:
    record_models = {
        model
        for model in apps.get_app_config("records").get_models()
        if model.__module__ == m.__name__
    }
    # The dashboard's panels and shared indicators are kept through the record pages too.
    record_models |= {DashboardPanel, SharedIndicator, AnnualReport, MemberContribution}
    assert set(BY_MODEL) == record_models - NOT_A_RECORD_TYPE


def test_slugs_are_safe_in_urls() -> None:
    for record_type in RECORD_TYPES:
        assert record_type.slug
        assert record_type.slug == record_type.slug.lower()
        assert all(c.isalnum() or c == "-" for c in record_type.slug), record_type.slug


@pytest.mark.parametrize("key", KEYS)
def test_edited_fields_exist_and_are_editable(key: str) -> None:
    record_type = entry(key)
    assert record_type.fields, key
    assert len(set(record_type.fields)) == len(record_type.fields)
    for name in record_type.fields:
        field = record_type.model._meta.get_field(name)
        assert field.editable, f"{key}.{name} cannot be edited"
        assert not field.primary_key


@pytest.mark.parametrize("key", KEYS)
def test_list_columns_exist(key: str) -> None:
    record_type = entry(key)
    assert record_type.list_columns, key
    for name in record_type.list_columns:
        record_type.model._meta.get_field(name)


@pytest.mark.parametrize("key", KEYS)
def test_filters_are_on_fields_a_list_can_be_narrowed_by(key: str) -> None:
    record_type = entry(key)
    for name in record_type.filters:
        field = record_type.model._meta.get_field(name)
        narrows = (
            field.is_relation
            or isinstance(field, CodesField | models.BooleanField | models.DateField)
            or bool(getattr(field, "choices", None))
        )
        assert narrows, f"{key} filters on {name}, which has no values to choose from"


@pytest.mark.parametrize("key", KEYS)
def test_search_looks_in_text_fields(key: str) -> None:
    record_type = entry(key)
    for name in record_type.search:
        field = record_type.model._meta.get_field(name)
        assert isinstance(field, models.CharField | models.TextField), f"{key}.{name}"


@pytest.mark.parametrize("key", ["delivery_action", "recommendation", "learning_review"])
def test_the_lists_that_grow_have_search_and_filters(key: str) -> None:
    assert entry(key).search
    assert entry(key).filters


def _follow(model: type[models.Model], path: str) -> type[models.Model]:
    """The model at the end of an ORM path such as ``priority__partnership``."""
    for name in filter(None, path.split("__")):
        field = model._meta.get_field(name)
        assert field.many_to_one or field.one_to_one, f"{model.__name__}.{name} is not a parent"
        model = field.related_model
    return model


@pytest.mark.parametrize("key", KEYS)
def test_parent_and_paths_lead_where_they_say(key: str) -> None:
    record_type = entry(key)
    if record_type.parent_field is not None:
        parent = record_type.model._meta.get_field(record_type.parent_field)
        assert parent.many_to_one
    if key in permissions.PARTNERSHIP_RECORDS:
        assert record_type.partnership_path is not None, key
        assert _follow(record_type.model, record_type.partnership_path) is m.Partnership
        assert record_type.area_path is None
    elif key in permissions.AREA_RECORDS:
        assert record_type.area_path is not None, key
        assert _follow(record_type.model, record_type.area_path) is m.Area
        assert record_type.partnership_path is None
    else:
        assert record_type.parent_field is None
        assert record_type.partnership_path is None and record_type.area_path is None


def test_labels_come_from_the_models() -> None:
    assert entry("delivery_action").label == "delivery action"
    assert entry("agency").label_plural == "partner agencies"
    assert entry("feedback").label_plural == "lived-experience feedback"
