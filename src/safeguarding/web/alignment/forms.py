"""The forms of the shared-priorities pages: starting an analysis, adding its sources, the
board paper's cover and the taxonomy's YAML. The review form is read in ``views``, field by
field, because its fields are the analysis's own themes and evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from safeguarding.web.alignment.adapter import SOURCE_NAME
from safeguarding.web.alignment.pipeline import DOCUMENT_EXTENSIONS, max_upload_bytes
from safeguarding.web.records import models as records
from safeguarding.web.records.forms import GovukDateField
from safeguarding.web.results.loading import safe_file_name

MAX_TAXONOMY_CHARS = 500_000
BOARD_PAPER_FORMATS = (
    ("docx", "Word document (DOCX)"),
    ("pdf", "PDF"),
    ("html", "Web page (HTML)"),
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


class _PartnershipChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.short_name})"


class _StrategyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.start_year} to {obj.end_year})"


class PlatformSourcesForm(forms.Form):
    """Partnerships and a strategy already on the platform, as sources of the analysis."""

    partnerships = _PartnershipChoice(
        label="Partnerships on the platform",
        queryset=records.Partnership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their priorities, and the achievements and challenges of their latest "
        "reporting year, are read as statements. Only partnerships whose records you can see "
        "are listed.",
    )
    strategy = _StrategyChoice(
        label="Strategy on the platform",
        queryset=records.Strategy.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Its summary and themes are read as statements. Leave this empty to upload "
        "the strategy as a file instead.",
    )

    def __init__(
        self,
        *args: Any,
        partnerships: QuerySet[records.Partnership],
        strategies: QuerySet[records.Strategy],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnerships"].queryset = partnerships  # type: ignore[attr-defined]
        self.fields["strategy"].queryset = strategies  # type: ignore[attr-defined]


class StartForm(PlatformSourcesForm):
    """The first step of an analysis: its title, and any sources already on the platform."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example 'Shared priorities 2025-26'.",
        error_messages={
            "required": "Enter a title for the analysis",
            "max_length": "Title must be 200 characters or fewer",
        },
    )

    field_order = ["title", "strategy", "partnerships"]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Enter a title for the analysis")
        return title


class UploadDocumentForm(forms.Form):
    """One document uploaded as a source: a partnership's report or plan, or the strategy."""

    file = forms.FileField(
        label="Document",
        error_messages={
            "required": "Select a document to upload",
            "empty": "The selected file is empty",
            "invalid": "Select a PDF, Word, HTML, Markdown or text file",
        },
    )
    name = forms.CharField(
        label="Short name",
        max_length=20,
        help_text="How the analysis and the board paper name this document, for example CSCP, "
        "SAB or HWS: letters, digits and hyphens, up to 20.",
        error_messages={
            "required": "Enter a short name for the document",
            "max_length": "Short name must be 20 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What the document is",
        choices=(
            ("partnership", "A partnership's annual report or plan"),
            ("strategy", "The strategy to read the partnerships against"),
        ),
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the document is"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A PDF, Word (DOCX), HTML, Markdown or text file, up to "
            f"{_megabytes(max_upload_bytes())}. The file itself is not kept: only its name, "
            "its fingerprint (SHA-256) and the statements read from it."
        )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = safe_file_name(upload.name or "")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError(
                "The selected file must be a PDF, Word (DOCX), HTML, Markdown or text file"
            )
        limit = max_upload_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The selected file must be smaller than {_megabytes(limit)}"
            )
        return upload

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not SOURCE_NAME.match(name):
            raise forms.ValidationError(
                "Short name must start with a letter or digit and hold only letters, digits, "
                "hyphens and underscores"
            )
        return name


class BoardPaperForm(forms.Form):
    """The cover of the Health and Wellbeing Board paper, and the file format wanted. A field
    left empty is filled in from the analysis, or left as a placeholder to complete."""

    title = forms.CharField(
        label="Report title",
        max_length=250,
        error_messages={"required": "Enter the report's title"},
    )
    report_of = forms.CharField(
        label="Report of",
        max_length=250,
        required=False,
        help_text="Who the report is from, for example Executive Director Adults and Health.",
    )
    for_submission_to = forms.CharField(
        label="For submission to",
        max_length=250,
        error_messages={"required": "Enter who the report is submitted to"},
    )
    date = GovukDateField(
        label="Date of the meeting",
        help_text="For example 17 12 2025.",
        error_messages={"required": "Enter the date of the meeting"},
    )
    summary = forms.CharField(
        label="Summary of the report",
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text="Paragraphs between blank lines; lines starting '- ' become a list. Left "
        "empty, the summary is written from the analysis.",
    )
    recommendations = forms.CharField(
        label="Recommendation",
        max_length=2000,
        widget=forms.Textarea,
        help_text="One recommendation a line.",
        error_messages={"required": "Enter the recommendation"},
    )
    contact_name = forms.CharField(label="Contact officer's name", max_length=200, required=False)
    contact_role = forms.CharField(label="Contact officer's role", max_length=200, required=False)
    contact_email = forms.EmailField(
        label="Contact officer's email address",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.gov.uk"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=BOARD_PAPER_FORMATS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a format"},
    )

    def meta_fields(self) -> dict[str, Any]:
        """The cover's fields as ``safeguarding.reports.hwb.meta_from_dict`` takes them."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "title": data["title"],
            "for_submission_to": data["for_submission_to"],
            "date": data["date"],
            "recommendations": [
                line.strip() for line in data["recommendations"].splitlines() if line.strip()
            ],
        }
        for name in ("report_of", "summary"):
            if data[name].strip():
                fields[name] = data[name].strip()
        contact = {
            key: data[f"contact_{key}"].strip()
            for key in ("name", "role", "email")
            if data[f"contact_{key}"].strip()
        }
        if contact:
            fields["contact"] = contact
        return fields


class TaxonomyForm(forms.Form):
    """The taxonomy's YAML, edited as text."""

    text = forms.CharField(
        label="Taxonomy (YAML)",
        widget=forms.Textarea,
        max_length=MAX_TAXONOMY_CHARS,
        strip=False,
        help_text="Each theme has an id, a label, a description and example statements. "
        "Saving makes a new version; the analyses already made keep the version they used.",
        error_messages={
            "required": "Enter the taxonomy",
            "max_length": f"The taxonomy must be {MAX_TAXONOMY_CHARS:,} characters or fewer",
        },
    )
