"""The upload form for a tidy indicator table."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from safeguarding.web.results.loading import safe_file_name

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = ("csv", "parquet")


class UploadForm(forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=200,
        help_text="What the figures are, for example 'Adult safeguarding indicators 2024-25, "
        "run of 2 May'.",
        error_messages={
            "required": "Enter a label for the results",
            "max_length": "Label must be 200 characters or fewer",
        },
    )
    file = forms.FileField(
        label="Tidy indicator table",
        help_text="A CSV or Parquet file written by 'safeguarding indicators', up to 20 MB.",
        error_messages={
            "required": "Select a CSV or Parquet file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or Parquet file",
        },
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Anything a reader of these figures should know.",
        error_messages={"max_length": "Notes must be 2,000 characters or fewer"},
    )

    def clean_label(self) -> str:
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise forms.ValidationError("Enter a label for the results")
        return label

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = safe_file_name(upload.name or "")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError("The selected file must be a CSV or Parquet file")
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 20 MB")
        return upload
