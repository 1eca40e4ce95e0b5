"""A shared-priorities analysis of a local area, and the versions of the theme taxonomy.

An analysis keeps where each of its sources came from (an uploaded file's name and SHA-256, or
a partnership or strategy on the platform) and the statements read from it, never the uploaded
file itself; the alignment as the pipeline produced it; and the alignment as a person reviewed
it, with every change they made.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from safeguarding.web.records import models as records
from safeguarding.web.records.fields import code_field

SOURCE_KINDS = ("partnership", "strategy")
#: Where a source came from: a file uploaded for the analysis, or records on the platform.
ORIGINS = ("upload", "partnership", "strategy")


class SharedPrioritiesAnalysis(models.Model):
    """Two or more partnerships' documents read against a strategy, to find shared priorities."""

    area = models.ForeignKey(
        records.Area, on_delete=models.PROTECT, related_name="shared_priorities_analyses"
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    status = code_field("shared_priorities_statuses", max_length=10, default="draft")
    #: One entry a source, in the order added: ``name``, ``kind`` (partnership or strategy),
    #: ``origin`` (upload, partnership or strategy), and for an upload ``file``, ``sha256`` and
    #: ``size``, for records ``record_id`` and ``record`` (its name then); ``statements``.
    sources = models.JSONField(default=list, blank=True)
    #: Each source's document as read (sections and statements), by source name.
    documents = models.JSONField(default=dict, blank=True)
    #: The alignment JSON as the pipeline produced it (``specs/alignment.md``).
    alignment = models.JSONField(null=True, blank=True)
    #: The alignment after review: rejected themes and evidence removed, edits made, and
    #: ``review.changes`` listing each change with who made it and when.
    reviewed = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "shared-priorities analysis"
        verbose_name_plural = "shared-priorities analyses"

    def __str__(self) -> str:
        return self.title or "Shared-priorities analysis"

    @property
    def current(self) -> dict[str, Any] | None:
        """The alignment as it stands: reviewed if a person has reviewed it, else as produced."""
        return self.reviewed if self.reviewed is not None else self.alignment

    @property
    def has_result(self) -> bool:
        return self.alignment is not None

    def source_names(self) -> list[str]:
        return [source["name"] for source in self.sources]

    def count_of(self, kind: str) -> int:
        return sum(1 for source in self.sources if source["kind"] == kind)


class ThemeTaxonomy(models.Model):
    """One saved version of the theme taxonomy's YAML. The newest is the one used; with none
    saved, the catalogue's ``themes.yaml`` is."""

    text = models.TextField("Taxonomy (YAML)")
    version = models.CharField(max_length=100, help_text="The version the YAML gives itself.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "theme taxonomy"
        verbose_name_plural = "theme taxonomies"

    def __str__(self) -> str:
        return f"Theme taxonomy version {self.version}"
