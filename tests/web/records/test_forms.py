"""Record forms: GOV.UK date input, code lists, limits and model rules as form errors."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from safeguarding.web.records import models as m
from safeguarding.web.records.forms import GovukDateField, in_sentence, record_form_class
from safeguarding.web.records.places import Place
from safeguarding.web.records.registry import BY_KEY, RECORD_TYPES


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["31", "3", "2025"], datetime.date(2025, 3, 31)),
        ([" 1", "04 ", "2024"], datetime.date(2024, 4, 1)),
    ],
)
def test_date_field_reads_day_month_year(parts: list[str], expected: datetime.date) -> None:
    assert GovukDateField(label="Due date").clean(parts) == expected


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["", "", ""], "Enter the due date"),
        (["31", "2", "2025"], "Due date must be a real date"),
        (["a", "2", "2025"], "Due date must be a real date"),
        (["-1", "2", "2025"], "Due date must be a real date"),
        (["1", "13", "2025"], "Due date must be a real date"),
        (["1", "", "2025"], "Due date must include a month"),
        (["", "", "2025"], "Due date must include a day and a month"),
        (["1", "2", "25"], "Year must include 4 numbers"),
    ],
)
def test_date_field_messages(parts: list[str], message: str) -> None:
    from django.core.exceptions import ValidationError

    field = GovukDateField(label="Due date", error_messages={"required": "Enter the due date"})
    with pytest.raises(ValidationError) as caught:
        field.clean(parts)
    assert caught.value.messages == [message]


def test_labels_read_well_inside_sentences() -> None:
    assert in_sentence("Due date") == "due date"
    assert in_sentence("RAG rating") == "RAG rating"


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.key)
def test_every_record_type_has_a_form_with_its_registry_fields(
    world: Any, record_type: Any
) -> None:
    form = record_form_class(record_type)(
        place=Place(partnership=world.children), user=world.users["administrator"]
    )
    assert list(form.fields) == list(record_type.fields)


def test_code_lists_become_radios_or_selects_and_codes_become_checkboxes(world: Any) -> None:
    from django import forms

    form = record_form_class(BY_KEY["learning_review"])(
        place=Place(partnership=world.children), user=world.users["administrator"]
    )
    assert isinstance(form.fields["kind"].widget, forms.Select)
    assert isinstance(form.fields["themes"].widget, forms.CheckboxSelectMultiple)
    action_form = record_form_class(BY_KEY["delivery_action"])(
        place=Place(partnership=world.children), user=world.users["administrator"]
    )
    assert isinstance(action_form.fields["rag"].widget, forms.RadioSelect)
    agencies = set(action_form.fields["owner_agency"].queryset)
    assert agencies == {world.council, world.police, world.icb, world.school}


def review_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "sar_mandatory",
        "pseudonym": "Adult M",
        "title": "",
        "status": "referred",
        "referral_date_day": "3",
        "referral_date_month": "6",
        "referral_date_year": "2024",
        "decision_date_day": "",
        "decision_date_month": "",
        "decision_date_year": "",
        "publication_date_day": "",
        "publication_date_month": "",
        "publication_date_year": "",
        "themes": ["mental_capacity", "carers"],
        "abuse_types": ["self_neglect"],
        "summary": "",
        "findings": "",
        "lead_reviewer": "",
    }
    data.update(changes)
    return data


def post_review(world: Any, **changes: Any) -> tuple[int, str]:
    client = signed_in(world.users["adults_manager"])
    response = client.post("/partnerships/tsab/reviews/new/", review_form(**changes))
    return response.status_code, response.content.decode()


def test_a_valid_review_is_saved_with_its_codes(world: Any) -> None:
    status, _ = post_review(world)
    assert status == 302
    review = m.LearningReview.objects.get(pseudonym="Adult M")
    assert review.themes == ["mental_capacity", "carers"]
    assert review.partnership == world.adults


def assert_form_error(status: int, page: str, message: str, anchor: str) -> None:
    assert status == 200
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#{anchor}">{message}</a>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page


def test_blank_required_fields(world: Any) -> None:
    status, page = post_review(
        world,
        kind="",
        pseudonym="",
        referral_date_day="",
        referral_date_month="",
        referral_date_year="",
    )
    assert_form_error(status, page, "Select the kind of review", "id_kind")
    assert_form_error(status, page, "Enter the pseudonym", "id_pseudonym")
    assert_form_error(status, page, "Enter the date referred", "id_referral_date_day")
    assert not m.LearningReview.objects.filter(partnership=world.adults).exists()


def test_impossible_date(world: Any) -> None:
    status, page = post_review(world, referral_date_day="31", referral_date_month="2")
    assert_form_error(status, page, "Date referred must be a real date", "id_referral_date_day")
    # What was typed is shown again so that it can be corrected.
    assert 'name="referral_date_day" type="text" inputmode="numeric" value="31"' in page


def test_unknown_codes(world: Any) -> None:
    status, page = post_review(world, kind="made_up", themes=["not_a_theme"])
    assert_form_error(status, page, "Select the kind of review from the list", "id_kind")
    assert_form_error(status, page, "Select the themes from the list", "id_themes_0")


def test_over_long_text(world: Any) -> None:
    status, page = post_review(world, pseudonym="A" * 61)
    assert_form_error(status, page, "Pseudonym must be 60 characters or fewer", "id_pseudonym")


def test_model_rules_come_back_as_form_errors(world: Any) -> None:
    status, page = post_review(world, pseudonym="Adult 1234567")
    assert_form_error(
        status,
        page,
        "A pseudonym must not contain numbers such as an NHS number, a case reference or a "
        "date of birth.",
        "id_pseudonym",
    )
    status, page = post_review(world, status="published")
    assert status == 200
    assert "Enter the date the review was published." in page


def test_recommendation_rules_and_yes_no(world: Any) -> None:
    client = signed_in(world.users["business_manager"])
    url = f"/partnerships/tscp/recommendations/{world.police_recommendation.pk}/edit/"
    data = {
        "number": "1",
        "text": world.police_recommendation.text,
        "owner_agency": str(world.police.pk),
        "accepted": "False",
        "reason_not_accepted": "",
        "actions": "",
        "status": "not_started",
        "evidence": "",
        "target_date_day": "",
        "target_date_month": "",
        "target_date_year": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give the reason the recommendation was not accepted." in response.content.decode()
    response = client.post(url, {**data, "number": "2"})
    # Number 2 belongs to the other recommendation of the review: a message, not a 500.
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    response = client.post(url, {**data, "number": "abc", "accepted": "maybe"})
    page = response.content.decode()
    assert "Number must be a whole number" in page
    assert "Select yes or no for accepted" in page
    ok = client.post(
        url,
        {
            **data,
            "accepted": "True",
            "target_date_day": "1",
            "target_date_month": "10",
            "target_date_year": "2025",
        },
    )
    assert ok.status_code == 302
    world.police_recommendation.refresh_from_db()
    assert world.police_recommendation.target_date == datetime.date(2025, 10, 1)


def test_bad_evidence_link(world: Any) -> None:
    client = signed_in(world.users["police_contributor"])
    response = client.post(
        f"/partnerships/tscp/updates/new/?action={world.police_action.pk}",
        {
            "date_day": "1",
            "date_month": "1",
            "date_year": "2099",
            "note": "",
            "evidence_url": "not a link",
            "rag": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the link to evidence in the right format" in page
    assert "Enter the progress" in page
    assert "Select the RAG rating at this update" in page


def test_an_update_dated_in_the_future_is_refused_by_the_model_rule(world: Any) -> None:
    client = signed_in(world.users["police_contributor"])
    response = client.post(
        f"/partnerships/tscp/updates/new/?action={world.police_action.pk}",
        {
            "date_day": "1",
            "date_month": "1",
            "date_year": "2099",
            "note": "Planned.",
            "evidence_url": "",
            "rag": "green",
        },
    )
    assert response.status_code == 200
    assert "The date of an update cannot be in the future." in response.content.decode()
