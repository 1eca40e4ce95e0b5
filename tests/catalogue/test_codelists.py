"""The code-list catalogue: every list is complete data, and models take their codes from it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from safeguarding.catalogue import CodeList, code_list, code_lists
from safeguarding.web.records.fields import CodesField

# The lists the records and roles are built on; losing one would break a model or a form.
REQUIRED_LISTS = {
    "partnership_kinds",
    "agency_sectors",
    "membership_kinds",
    "priority_review_outcomes",
    "action_statuses",
    "rag_ratings",
    "review_kinds",
    "review_statuses",
    "recommendation_statuses",
    "abuse_types",
    "review_themes",
    "audit_statuses",
    "feedback_sources",
    "strategy_kinds",
    "roles",
}

ALL_LISTS = sorted(code_lists())


def test_every_required_list_is_in_the_catalogue() -> None:
    assert REQUIRED_LISTS <= set(code_lists())


@pytest.mark.parametrize("list_id", ALL_LISTS)
def test_list_has_a_title_and_a_definition(list_id: str) -> None:
    codes = code_list(list_id)
    assert isinstance(codes, CodeList)
    assert codes.id == list_id
    assert codes.title.strip()
    assert codes.definition.strip()
    # A definition is a sentence for people, not a repeat of the id.
    assert codes.definition != list_id


@pytest.mark.parametrize("list_id", ALL_LISTS)
def test_list_codes_are_unique_and_labelled(list_id: str) -> None:
    codes = code_list(list_id).codes
    assert codes, f"{list_id} has no codes"
    values = [c.code for c in codes]
    assert len(values) == len(set(values)), f"{list_id} repeats a code"
    for entry in codes:
        assert entry.code.strip() == entry.code and entry.code, f"{list_id}: blank code"
        assert entry.label.strip(), f"{list_id}: {entry.code} has no label"
        # Codes are stored in a 40-character column by code_field.
        assert len(entry.code) <= 40
    labels = [c.label for c in codes]
    assert len(labels) == len(set(labels)), f"{list_id} gives two codes the same label"


def test_unknown_list_names_the_lists_there_are() -> None:
    with pytest.raises(KeyError) as raised:
        code_list("abuse_kinds")
    message = str(raised.value)
    assert "abuse_kinds" in message
    for list_id in ("abuse_types", "review_kinds", "roles"):
        assert list_id in message


def test_label_gives_the_label_or_the_code_itself() -> None:
    kinds = code_list("review_kinds")
    assert kinds.label("sar_mandatory") == "Safeguarding Adults Review (mandatory)"
    assert kinds.label("dhr") == "Domestic homicide review"
    # A code no longer on the list still shows something people can read.
    assert kinds.label("retired_code") == "retired_code"


def test_choices_are_code_label_pairs_in_catalogue_order() -> None:
    rag = code_list("rag_ratings")
    assert rag.choices == [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
    assert rag.choices == [(c.code, c.label) for c in rag.codes]


def test_membership_test() -> None:
    abuse = code_list("abuse_types")
    assert "self_neglect" in abuse
    assert "Self-neglect" not in abuse
    assert None not in abuse


def test_code_lists_is_loaded_once() -> None:
    assert code_lists() is code_lists()


def _code_fields() -> list[tuple[str, models.Field]]:
    """Every field of every installed model that holds codes from a code list."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, CodesField) or (
                isinstance(field, models.CharField) and field.choices
            ):
                found.append((f"{model._meta.label}.{field.name}", field))
    return found


def _list_of(field: models.Field) -> str | None:
    """The code list a field says its codes come from (set by code_field and CodesField)."""
    if isinstance(field, CodesField):
        return field.list_id
    return getattr(field, "code_list_id", None)


# Fields whose choices are the audit trail's own vocabulary, not a code list for records.
NOT_FROM_THE_CATALOGUE = {"audit.AuditEvent.action"}


def test_the_records_use_code_fields() -> None:
    names = {name for name, _ in _code_fields()}
    assert {
        "records.Partnership.kind",
        "records.LearningReview.kind",
        "records.LearningReview.themes",
        "records.LearningReview.abuse_types",
        "records.DeliveryAction.rag",
        "accounts.RoleAssignment.role",
    } <= names


@pytest.mark.parametrize(
    ("name", "field"),
    [(name, field) for name, field in _code_fields() if name not in NOT_FROM_THE_CATALOGUE],
    ids=[name for name, _ in _code_fields() if name not in NOT_FROM_THE_CATALOGUE],
)
def test_model_code_field_takes_its_choices_from_the_catalogue(
    name: str, field: models.Field
) -> None:
    list_id = _list_of(field)
    # A field with hand-written choices would keep a second copy of a code list.
    assert list_id is not None, f"{name} has choices that do not come from the catalogue"
    assert list_id in code_lists(), f"{name} names a code list that does not exist"
    if not isinstance(field, CodesField):
        assert list(field.choices) == code_list(list_id).choices
        default = field.get_default()
        if default:
            assert default in code_list(list_id), f"{name} defaults to {default!r}"


def test_codes_fields_name_their_list() -> None:
    codes_fields = [(name, f) for name, f in _code_fields() if isinstance(f, CodesField)]
    assert codes_fields
    for name, field in codes_fields:
        assert field.list_id in code_lists(), name
