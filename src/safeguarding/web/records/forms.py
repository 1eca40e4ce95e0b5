"""Forms for every record type, built from the registry, with GOV.UK wording and widgets.

Dates are three boxes (day, month, year) as in the GOV.UK date input; code lists are radios
or a select; several codes and many-to-many links are checkboxes. Choices of related records
are limited to the partnership or area the form is used in.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.text import capfirst

from safeguarding.web import permissions
from safeguarding.web.records import models as records
from safeguarding.web.records.display import code_list_of
from safeguarding.web.records.fields import CodesField
from safeguarding.web.records.places import Place
from safeguarding.web.records.registry import BY_MODEL, RecordType

#: Code lists with at most this many codes are offered as radios, longer ones as a select.
MOST_RADIOS = 5
DATE_PARTS = ("day", "month", "year")


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Due date" -> "due date", "RAG rating" stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


class GovukDateWidget(forms.MultiWidget):
    """Three text boxes for day, month and year, named ``<field>_day`` and so on."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        super().__init__({part: forms.TextInput(attrs=numeric) for part in DATE_PARTS}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK date input's error messages."""

    widget = GovukDateWidget

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise self._invalid() from None
        parts = [str(p or "").strip() for p in list(value)[:3]]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(
                f"{self.label} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise self._invalid()
        if len(parts[2]) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise self._invalid() from None

    def _invalid(self) -> ValidationError:
        return ValidationError(f"{self.label} must be a real date", code="invalid")


class YesNoField(forms.TypedChoiceField):
    """A true-or-false field shown as "Yes" and "No" radios."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("choices", None)
        super().__init__(
            choices=[("True", "Yes"), ("False", "No")],
            coerce=lambda value: value == "True",
            widget=forms.RadioSelect,
            **kwargs,
        )


def _messages(label: str, verb: str) -> dict[str, str]:
    words = in_sentence(label)
    return {
        "required": f"{verb} the {words}",
        "invalid_choice": f"Select the {words} from the list",
        "invalid_pk_value": f"Select the {words} from the list",
        "max_length": f"{label} must be %(limit_value)d characters or fewer",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_value": f"{label} must be %(limit_value)s or fewer",
        "invalid_list": f"Select the {words} from the list",
    }


def formfield_for(model_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The form field for one model field: GOV.UK widgets and messages."""
    label = capfirst(model_field.verbose_name)
    common: dict[str, Any] = {
        "label": label,
        "required": not model_field.blank,
        "help_text": model_field.help_text,
    }
    if isinstance(model_field, models.DateField):
        field: forms.Field = GovukDateField(
            **common, error_messages={"required": f"Enter the {in_sentence(label)}"}
        )
    elif isinstance(model_field, CodesField):
        codes = code_list_of(model_field)
        field = forms.MultipleChoiceField(
            choices=codes.choices if codes else [],
            widget=forms.CheckboxSelectMultiple,
            error_messages=_messages(label, "Select"),
            **common,
        )
    elif isinstance(model_field, models.BooleanField):
        field = YesNoField(**{**common, "required": True})
        yes_or_no = f"Select yes or no for {in_sentence(label)}"
        field.error_messages.update({"required": yes_or_no, "invalid_choice": yes_or_no})
    elif isinstance(model_field, models.ManyToManyField):
        field = model_field.formfield(widget=forms.CheckboxSelectMultiple, **common)
        field.error_messages.update(_messages(label, "Select"))
    elif model_field.choices:
        field = model_field.formfield(**common)
        choices = [(value, text) for value, text in field.choices if value != ""]
        if len(choices) <= MOST_RADIOS:
            field.choices = choices
            field.widget = forms.RadioSelect(choices=choices)
        else:
            field.choices = [("", f"Choose the {in_sentence(label)}"), *choices]
        field.error_messages.update(_messages(label, "Select"))
    elif isinstance(model_field, models.ForeignKey):
        field = model_field.formfield(
            empty_label=f"Choose the {in_sentence(label)}"
            if model_field.blank is False
            else "None",
            **common,
        )
        field.error_messages.update(_messages(label, "Select"))
    elif isinstance(model_field, models.IntegerField):
        field = model_field.formfield(**common)
        field.widget = forms.TextInput(attrs={"inputmode": "numeric"})
        field.error_messages.update(_messages(label, "Enter"))
        field.error_messages["invalid"] = f"{label} must be a whole number"
    else:
        if isinstance(model_field, models.URLField):
            common["assume_scheme"] = "https"
        field = model_field.formfield(**common)
        if field is None:
            return None
        field.error_messages.update(_messages(label, "Enter"))
        if isinstance(model_field, models.URLField):
            field.error_messages["invalid"] = (
                f"Enter the {in_sentence(label)} in the right format, like https://example.org/report"
            )
    return field


def related_choices(
    model: type[models.Model], place: Place, record_type: RecordType, user: Any
) -> models.QuerySet[Any]:
    """The records a form in ``place`` may link to: never anything from another partnership."""
    partnership = place.partnership
    area = place.local_area
    if model is records.PartnerAgency:
        if partnership is not None and record_type.key != "agency_membership":
            return records.PartnerAgency.objects.filter(memberships__partnership=partnership)
        if area is not None:
            return records.PartnerAgency.objects.filter(area=area)
        return records.PartnerAgency.objects.none()
    if model is records.ReportingPeriod:
        return records.ReportingPeriod.objects.all()
    if model is records.Area:
        return permissions.visible_areas(user)
    if model in BY_MODEL and (partnership is not None or area is not None):
        return place.records(BY_MODEL[model])
    return model._default_manager.none()


class RecordForm(forms.ModelForm):
    """The base of every record form: choices limited to the place, errors kept on the form."""

    record_type: RecordType

    def __init__(self, *args: Any, place: Place, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                field.queryset = related_choices(queryset.model, place, self.record_type, user)
        # Choices that depend on the place, such as a partnership's own shared indicators.
        place_choices = getattr(self.record_type.model, "form_choices", None)
        for name, choices in (place_choices(place) if place_choices else {}).items():
            if name in self.fields:
                old = self.fields[name]
                words = in_sentence(str(old.label))
                self.fields[name] = forms.ChoiceField(
                    label=old.label,
                    help_text=old.help_text,
                    required=old.required,
                    choices=[("", f"Choose the {words}"), *choices],
                    error_messages=_messages(str(old.label), "Select"),
                )

    def _update_errors(self, errors: ValidationError) -> None:
        # A model's clean() may name a field that is not on this form (such as its parent):
        # show that message at the top rather than fail.
        super()._update_errors(keep_on_form(self, errors))

    def add_model_errors(self, error: ValidationError) -> None:
        """Add the errors ``full_clean`` raised while saving, field by field where possible."""
        self.add_error(None, keep_on_form(self, error))


def keep_on_form(form: forms.BaseForm, error: ValidationError) -> ValidationError:
    """``error`` with messages for fields the form lacks moved to the form as a whole."""
    if not hasattr(error, "error_dict"):
        return error
    kept: dict[str, list[ValidationError]] = {}
    for name, messages in error.error_dict.items():
        key = name if name in form.fields else NON_FIELD_ERRORS
        kept.setdefault(key, []).extend(messages)
    return ValidationError(kept)


def record_form_class(record_type: RecordType) -> type[RecordForm]:
    """The form for ``record_type``, with the registry's fields in order."""
    return forms.modelform_factory(
        record_type.model,
        form=type(f"{record_type.model.__name__}Form", (RecordForm,), {"record_type": record_type}),
        fields=list(record_type.fields),
        formfield_callback=formfield_for,
    )


def date_parts(value: Any) -> list[str]:
    """The day, month and year to show in a date input, from a date or what was typed."""
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, list | tuple):
        parts = [str(p) if p is not None else "" for p in list(value)[:3]]
        return parts + [""] * (3 - len(parts))
    return ["", "", ""]
