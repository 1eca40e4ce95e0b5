"""Model fields whose values come from the catalogue's code lists."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from safeguarding.catalogue import code_list


def code_field(list_id: str, **kwargs: Any) -> models.CharField:
    """A single code from the code list ``list_id``."""
    kwargs.setdefault("max_length", 40)
    field = models.CharField(choices=code_list(list_id).choices, **kwargs)
    # Not part of the column: lets forms, filters and tests find the list the codes come from.
    field.code_list_id = list_id  # type: ignore[attr-defined]
    return field


class CodesValidator:
    """Checks that a value is a list of distinct codes from one code list."""

    def __init__(self, list_id: str) -> None:
        self.list_id = list_id

    def __call__(self, value: object) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError("Enter a list of codes.", code="invalid")
        codes = code_list(self.list_id)
        unknown = [v for v in value if v not in codes]
        if unknown:
            raise ValidationError(
                "%(values)s is not a %(title)s on the code list.",
                code="invalid_choice",
                params={"values": ", ".join(unknown), "title": codes.title.lower()},
            )
        if len(set(value)) != len(value):
            raise ValidationError("Each code may appear only once.", code="duplicate")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodesValidator) and other.list_id == self.list_id

    def deconstruct(self) -> tuple[str, tuple[str], dict[str, Any]]:
        return ("safeguarding.web.records.fields.CodesValidator", (self.list_id,), {})


class CodesField(models.JSONField):
    """Several codes from one code list, stored as a JSON list."""

    # Only an empty list is "no codes". Otherwise full_clean would skip None, "" and {} as
    # blank and let them reach the database (None then fails the NOT NULL constraint).
    empty_values = [[]]

    def __init__(self, list_id: str | None = None, *args: Any, **kwargs: Any) -> None:
        self.list_id = list_id
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if self.list_id:
            CodesValidator(self.list_id)(value)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["list_id"] = self.list_id
        return name, path, args, kwargs

    def labels(self, value: list[str]) -> list[str]:
        codes = code_list(self.list_id) if self.list_id else None
        return [codes.label(v) if codes else v for v in value]
