"""Template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField

from safeguarding.web.records import display
from safeguarding.web.records.forms import GovukDateWidget, date_parts, in_sentence

register = template.Library()


@register.filter
def code_label(code: str, list_id: str) -> str:
    """The label of ``code`` in the code list ``list_id``."""
    return display.code_label(list_id, code) if code else ""


@register.filter
def code_labels(codes: list[str] | None, list_id: str) -> str:
    """The labels of several codes, joined with commas."""
    return ", ".join(display.code_labels(list_id, codes or []))


RAG_TAG_CLASSES = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--yellow",
    "green": "govuk-tag--green",
}


@register.inclusion_tag("govuk/rag_tag.html")
def rag_tag(rating: str) -> dict[str, Any]:
    """A coloured tag for a RAG rating, with its word so colour is never the only cue."""
    return {
        "label": display.code_label("rag_ratings", rating),
        "css": RAG_TAG_CLASSES.get(rating, "govuk-tag--grey"),
    }


@register.simple_tag
def platform_name() -> str:
    """The platform's name, for templates rendered without the request's context (500)."""
    return settings.PLATFORM_NAME


@register.filter
def field_kind(bound_field: BoundField) -> str:
    """Which GOV.UK component shows a form field: date, radios, checkboxes, select, textarea,
    password or input."""
    widget = bound_field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


@register.filter
def field_anchor(bound_field: BoundField) -> str:
    """The id of the first input of a field, which the error summary links to."""
    kind = field_kind(bound_field)
    if kind == "date":
        return f"{bound_field.auto_id}_day"
    if kind in ("radios", "checkboxes"):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def input_type(bound_field: BoundField) -> str:
    return getattr(bound_field.field.widget, "input_type", "text") or "text"


@register.filter
def inputmode(bound_field: BoundField) -> str:
    return bound_field.field.widget.attrs.get("inputmode", "")


@register.filter(name="date_parts")
def date_parts_filter(bound_field: BoundField) -> list[str]:
    """Day, month and year to show in a date input."""
    return date_parts(bound_field.value())


#: The boxes of a GOV.UK date input: name, label and width in characters.
DATE_INPUTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


@register.filter
def date_inputs(bound_field: BoundField) -> list[dict[str, Any]]:
    """The day, month and year boxes of a date input, each with what to show in it."""
    parts = date_parts(bound_field.value())
    return [
        {"name": name, "label": label, "width": width, "value": value}
        for (name, label, width), value in zip(DATE_INPUTS, parts, strict=True)
    ]


@register.filter
def described_by(bound_field: BoundField) -> str:
    """The ids of a field's hint and error message, for its ``aria-describedby``."""
    hint = f"{bound_field.auto_id}-hint" if bound_field.help_text else ""
    error = f" {bound_field.auto_id}-error" if bound_field.errors else ""
    return hint + error


@register.filter(name="in_sentence")
def in_sentence_filter(label: str) -> str:
    return in_sentence(str(label))


@register.filter
def long_date(value: datetime.date | None) -> str:
    """31 March 2025."""
    if not value:
        return ""
    return display.long_date(value)


@register.simple_tag(takes_context=True)
def title_prefix(context: template.Context) -> str:
    """ "Error: " when the page's form has errors, as the GOV.UK pattern asks."""
    form = context.get("form")
    return "Error: " if form is not None and getattr(form, "errors", None) else ""
