"""Fields whose values come from the catalogue: one code, or a list of codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from safeguarding.catalogue import code_list
from safeguarding.web.records import models as m
from safeguarding.web.records.fields import CodesField, CodesValidator, code_field


def test_code_field_offers_the_lists_codes() -> None:
    field = code_field("rag_ratings", default="green")
    assert isinstance(field, models.CharField)
    assert field.choices == code_list("rag_ratings").choices
    assert field.code_list_id == "rag_ratings"
    assert field.max_length == 40
    assert field.get_default() == "green"


def test_code_field_of_an_unknown_list_fails_at_once() -> None:
    with pytest.raises(KeyError, match="rag_ratings"):
        code_field("rag")


def test_code_field_refuses_a_code_not_on_the_list() -> None:
    field = code_field("rag_ratings")
    assert field.clean("amber", None) == "amber"
    with pytest.raises(ValidationError) as raised:
        field.clean("purple", None)
    assert raised.value.code == "invalid_choice"


def test_codes_validator_accepts_distinct_codes_from_the_list() -> None:
    validate = CodesValidator("abuse_types")
    validate([])
    validate(["neglect"])
    validate(["neglect", "self_neglect", "financial"])


@pytest.mark.parametrize(
    "value", ["neglect", {"neglect": True}, None, 3, ("neglect",), ["neglect", 3], [None]]
)
def test_codes_validator_refuses_anything_but_a_list_of_codes(value: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        CodesValidator("abuse_types")(value)
    assert raised.value.code == "invalid"
    assert raised.value.messages == ["Enter a list of codes."]


def test_codes_validator_names_the_unknown_codes_and_the_list() -> None:
    with pytest.raises(ValidationError) as raised:
        CodesValidator("abuse_types")(["neglect", "bullying", "grooming"])
    assert raised.value.code == "invalid_choice"
    (message,) = raised.value.messages
    assert "bullying, grooming" in message
    assert "type of abuse or neglect" in message
    assert "neglect," not in message


def test_codes_validator_refuses_a_repeated_code() -> None:
    with pytest.raises(ValidationError) as raised:
        CodesValidator("review_themes")(["voice", "trauma", "voice"])
    assert raised.value.code == "duplicate"
    assert raised.value.messages == ["Each code may appear only once."]


def test_codes_validators_compare_and_deconstruct_by_list() -> None:
    assert CodesValidator("abuse_types") == CodesValidator("abuse_types")
    assert CodesValidator("abuse_types") != CodesValidator("review_themes")
    path, args, kwargs = CodesValidator("abuse_types").deconstruct()
    assert path == "safeguarding.web.records.fields.CodesValidator"
    assert (args, kwargs) == (("abuse_types",), {})


def test_codes_field_defaults_to_an_empty_list() -> None:
    field = CodesField("review_themes")
    assert field.get_default() == []
    assert field.blank
    # Each record gets its own list, not one shared between them.
    assert field.get_default() is not field.get_default()


def test_codes_field_deconstructs_with_its_list() -> None:
    field = CodesField("review_themes")
    field.set_attributes_from_name("themes")
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "safeguarding.web.records.fields.CodesField"
    assert kwargs["list_id"] == "review_themes"
    rebuilt = CodesField(**kwargs)
    assert rebuilt.list_id == "review_themes"


def test_codes_field_labels() -> None:
    field = CodesField("abuse_types")
    assert field.labels(["self_neglect", "retired"]) == ["Self-neglect", "retired"]
    assert CodesField().labels(["anything"]) == ["anything"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (["neglect", "bullying"], "invalid_choice"),
        (["neglect", "neglect"], "duplicate"),
        ("neglect", "invalid"),
        ({"neglect": 1}, "invalid"),
    ],
)
def test_a_review_with_bad_abuse_types_does_not_validate(value: Any, code: str) -> None:
    review = m.LearningReview(abuse_types=value)
    field = review._meta.get_field("abuse_types")
    with pytest.raises(ValidationError) as raised:
        field.clean(value, review)
    assert raised.value.code == code


def test_the_models_codes_fields_name_their_lists() -> None:
    assert m.LearningReview._meta.get_field("themes").list_id == "review_themes"
    assert m.LearningReview._meta.get_field("abuse_types").list_id == "abuse_types"


@pytest.mark.parametrize("value", [None, "", {}, ()])
def test_a_blank_codes_field_still_refuses_what_is_not_a_list(db: None, value: Any) -> None:
    """None, "" and {} are not 'no codes': they must not pass full_clean and reach the store."""
    review = m.LearningReview(
        kind="thematic", pseudonym="Adult P", referral_date="2024-06-01", themes=value
    )
    with pytest.raises(ValidationError) as raised:
        review.clean_fields(exclude={"partnership"})
    assert list(raised.value.message_dict) == ["themes"]


def test_a_codes_field_may_be_left_empty(db: None) -> None:
    review = m.LearningReview(
        kind="thematic", pseudonym="Adult P", referral_date="2024-06-01", themes=[]
    )
    review.clean_fields(exclude={"partnership"})
