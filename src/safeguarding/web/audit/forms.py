"""The filters of the audit trail page."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.web.audit.export import Selection
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records.forms import GovukDateField
from safeguarding.web.records.models import Partnership


class AuditFilterForm(forms.Form):
    start = GovukDateField(label="From date", required=False, help_text="For example, 1 1 2026")
    end = GovukDateField(label="To date", required=False, help_text="For example, 31 3 2026")
    person = forms.CharField(
        label="Username",
        required=False,
        max_length=150,
        help_text="Also finds failed sign-ins that tried this username.",
        error_messages={"max_length": "Username must be 150 characters or fewer"},
    )
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.order_by("name"),
        required=False,
        empty_label="All",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose a partnership from the list"},
    )
    action = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "All"), *AuditEvent.ACTIONS],
        error_messages={"invalid_choice": "Choose what happened from the list"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "To date must be the same as or after the from date")
        return cleaned

    def selection(self) -> Selection:
        """What the valid form asks for."""
        data = self.cleaned_data
        return Selection(
            start=data.get("start"),
            end=data.get("end"),
            person=(data.get("person") or "").strip(),
            partnership=data.get("partnership"),
            action=data.get("action") or "",
        )
