"""Template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

from typing import Any

from django import template

from safeguarding.catalogue import code_list

register = template.Library()


@register.filter
def code_label(code: str, list_id: str) -> str:
    """The label of ``code`` in the code list ``list_id``."""
    return code_list(list_id).label(code) if code else ""


@register.filter
def code_labels(codes: list[str] | None, list_id: str) -> str:
    """The labels of several codes, joined with commas."""
    return ", ".join(code_list(list_id).label(c) for c in codes or [])


RAG_TAG_CLASSES = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--yellow",
    "green": "govuk-tag--green",
}


@register.inclusion_tag("govuk/rag_tag.html")
def rag_tag(rating: str) -> dict[str, Any]:
    """A coloured tag for a RAG rating, with its word so colour is never the only cue."""
    return {
        "label": code_list("rag_ratings").label(rating),
        "css": RAG_TAG_CLASSES.get(rating, "govuk-tag--grey"),
    }
