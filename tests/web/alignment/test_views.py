"""The shared-priorities pages, as a council policy officer uses them: start an analysis from
uploaded documents or from records on the platform, run it, review it, produce the board paper;
and edit the theme taxonomy. The pipeline runs for real, twice in this module."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safeguarding.web.accounts.models import RoleAssignment
from safeguarding.web.alignment import pipeline
from safeguarding.web.alignment.models import SharedPrioritiesAnalysis, ThemeTaxonomy
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records import models as m
from tests.conftest import World
from tests.web.alignment.conftest import DOCUMENTS, client_for


def _start(client: Client, area: str = "testbury", **extra: Any) -> SharedPrioritiesAnalysis:
    response = client.post(
        reverse("alignment:new", args=[area]), {"title": "Shared priorities 2025-26", **extra}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    analysis = SharedPrioritiesAnalysis.objects.latest("pk")
    assert response["Location"] == reverse("alignment:sources", args=[area, analysis.pk])
    return analysis


def _upload(client: Client, analysis: SharedPrioritiesAnalysis, source: str, **extra: Any) -> Any:
    file_name, kind, text = DOCUMENTS[source]
    data = {
        "file": SimpleUploadedFile(file_name, text.encode("utf-8")),
        "name": source,
        "kind": kind,
        **extra,
    }
    return client.post(reverse("alignment:sources", args=["testbury", analysis.pk]), data)


def _analysis_from(world: World, alignment_json: dict[str, Any]) -> SharedPrioritiesAnalysis:
    """An analysis already run, holding the module's alignment."""
    return SharedPrioritiesAnalysis.objects.create(
        area=world.area,
        title="Larkhaven shared priorities",
        created_by_name="manager",
        sources=[
            {"name": n, "kind": k, "origin": "upload", "file": f, "statements": 3}
            for n, (f, k, _) in DOCUMENTS.items()
        ],
        alignment=copy.deepcopy(alignment_json),
    )


# -- starting and running --------------------------------------------------------------------


def test_a_manager_starts_an_analysis_from_uploads(world: World) -> None:
    client = client_for(world.users["business_manager"])
    page = client.get(reverse("alignment:new", args=["testbury"]))
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    analysis = _start(client)
    for name in DOCUMENTS:
        response = _upload(client, analysis, name)
        assert response.status_code == 302, response.content.decode()[:2000]
    analysis.refresh_from_db()
    assert [(s["name"], s["kind"], s["origin"]) for s in analysis.sources] == [
        ("LSCP", "partnership", "upload"),
        ("LSAB", "partnership", "upload"),
        ("HWS", "strategy", "upload"),
    ]
    text = DOCUMENTS["LSCP"][2].encode("utf-8")
    assert analysis.sources[0]["sha256"] == hashlib.sha256(text).hexdigest()
    assert analysis.sources[0]["file"] == "lscp-annual-report.md"
    page = client.get(reverse("alignment:sources", args=["testbury", analysis.pk]))
    assert b"takes a few seconds" in page.content
    assert analysis.sources[0]["sha256"].encode() in page.content

    response = client.post(reverse("alignment:run", args=["testbury", analysis.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("alignment:review", args=["testbury", analysis.pk])
    analysis.refresh_from_db()
    assert analysis.status == "draft" and analysis.reviewed is None
    assert [s["name"] for s in analysis.alignment["sources"]] == ["LSCP", "LSAB", "HWS"]
    shared = {t["theme"] for t in analysis.alignment["shared_themes"]}
    assert "domestic_abuse" in shared
    review = client.get(response["Location"]).content.decode()
    assert "Domestic abuse" in review
    assert "Reduce domestic abuse and the harm it does to health." in review
    assert "Save review" in review
    actions = list(
        AuditEvent.objects.filter(object_id=str(analysis.pk)).values_list("action", flat=True)
    )
    assert actions.count("create") == 1 and actions.count("update") == 4


def test_a_manager_starts_an_analysis_from_records(world: World) -> None:
    manager = world.users["business_manager"]
    RoleAssignment.objects.create(user=manager, role="business_manager", partnership=world.adults)
    for partnership, titles in (
        (world.children, ["Domestic abuse", "Mental health of parents"]),
        (world.adults, ["Domestic abuse against older adults", "Mental health crisis"]),
    ):
        for title in titles:
            priority = m.Priority.objects.create(
                partnership=partnership, title=title, description=f"{title}: act on it together."
            )
            priority.periods.set([world.period])
    strategy = m.Strategy.objects.create(
        area=world.area,
        title="Health and Wellbeing Strategy",
        kind="health_and_wellbeing",
        start_year=2023,
        end_year=2030,
    )
    for order, title in enumerate(["Reduce domestic abuse", "Good mental health for all"], 1):
        m.StrategyTheme.objects.create(strategy=strategy, order=order, title=title)
    client = client_for(manager)

    analysis = _start(
        client, partnerships=[world.children.pk, world.adults.pk], strategy=strategy.pk
    )

    assert [(s["name"], s["origin"], s["record"]) for s in analysis.sources] == [
        ("TSAB", "partnership", world.adults.name),
        ("TSCP", "partnership", world.children.name),
        ("HWS", "strategy", strategy.title),
    ]
    response = client.post(reverse("alignment:run", args=["testbury", analysis.pk]))
    assert response.status_code == 302
    analysis.refresh_from_db()
    statements = {s["id"]: s for s in analysis.alignment["statements"]}
    assert statements["HWS-1"]["text"] == "Reduce domestic abuse"
    assert statements["TSCP-1"]["section"] == "priorities"
    assert analysis.alignment["shared_themes"], "records that share priorities share a theme"
    # The strategy's page links to the analysis that read against it.
    strategy_page = client.get(f"/areas/testbury/strategies/{strategy.pk}/").content.decode()
    assert analysis.title in strategy_page


def test_only_partnerships_the_person_can_see_may_be_picked(world: World) -> None:
    client = client_for(world.users["business_manager"])  # a role in the children's only
    response = client.post(
        reverse("alignment:new", args=["testbury"]),
        {"title": "Peek", "partnerships": [world.adults.pk]},
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert not SharedPrioritiesAnalysis.objects.exists()


def test_a_document_that_cannot_be_read_is_named_in_the_error_summary(world: World) -> None:
    client = client_for(world.users["business_manager"])
    analysis = _start(client)
    broken = {"file": SimpleUploadedFile("report.pdf", b"%PDF-1.7\nnot really a pdf")}
    response = client.post(
        reverse("alignment:sources", args=["testbury", analysis.pk]),
        {**broken, "name": "CSCP", "kind": "partnership"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "<title>Error:" in html
    wrong = _upload(client, analysis, "LSCP", file=SimpleUploadedFile("plan.xlsx", b"PK\x03\x04"))
    assert b"must be a PDF, Word (DOCX), HTML, Markdown or text file" in wrong.content
    bad_name = _upload(client, analysis, "LSCP", name="C S C P")
    assert b"Short name must start with a letter" in bad_name.content
    analysis.refresh_from_db()
    assert analysis.sources == [] and analysis.documents == {}


def test_running_with_too_few_documents_says_what_is_missing(world: World) -> None:
    client = client_for(world.users["business_manager"])
    analysis = _start(client)
    assert _upload(client, analysis, "LSCP").status_code == 302
    page = client.get(reverse("alignment:sources", args=["testbury", analysis.pk])).content
    assert b"Add a strategy" in page and b"Run the analysis</button>" not in page
    response = client.post(reverse("alignment:run", args=["testbury", analysis.pk]))
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert b"Add one more partnership" in response.content
    # A second strategy, or a name used twice, is refused plainly.
    assert _upload(client, analysis, "HWS").status_code == 302
    again = _upload(client, analysis, "HWS", name="HWS2")
    assert b"already has a strategy" in again.content
    twice = _upload(client, analysis, "LSCP", kind="partnership")
    assert b"already a source called LSCP" in twice.content
    # Removing a source takes its statements with it.
    client.post(reverse("alignment:remove-source", args=["testbury", analysis.pk]), {"name": "HWS"})
    analysis.refresh_from_db()
    assert analysis.source_names() == ["LSCP"] and list(analysis.documents) == ["LSCP"]
    assert analysis.alignment is None


def test_uploaded_files_are_not_stored_anywhere(world: World) -> None:
    client = client_for(world.users["business_manager"])
    analysis = _start(client)
    uploads = Path(settings.FILE_UPLOAD_TEMP_DIR)
    before = set(uploads.rglob("*"))
    # Markdown keeps neither a link's address nor a code block as a statement, so neither may
    # appear anywhere once the file is read.
    text = (
        "# Plan\n\n## Priorities\n\n- Work with [our partners](https://example.org/QX7731).\n\n"
        "```\nZB5520 raw bytes of the file\n```\n"
    )
    response = client.post(
        reverse("alignment:sources", args=["testbury", analysis.pk]),
        {
            "file": SimpleUploadedFile("plan.md", text.encode("utf-8")),
            "name": "PLAN",
            "kind": "partnership",
        },
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.sources[0]["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    stored = json.dumps(
        [analysis.sources, analysis.documents, list(AuditEvent.objects.values())], default=str
    )
    assert "Work with our partners." in stored or "Work with our partners" in stored
    assert "QX7731" not in stored and "ZB5520" not in stored
    assert set(uploads.rglob("*")) == before
    for model in (SharedPrioritiesAnalysis, ThemeTaxonomy):
        kinds = {field.get_internal_type() for field in model._meta.get_fields()}
        assert not kinds & {"FileField", "ImageField", "BinaryField"}


# -- the review ------------------------------------------------------------------------------


def _review_post(page_data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"revision": str(len((page_data.get("review") or {}).get("changes", []))), **fields}


def test_review_changes_are_saved_and_listed(world: World, alignment_json: dict[str, Any]) -> None:
    analysis = _analysis_from(world, alignment_json)
    client = client_for(world.users["business_manager"])
    url = reverse("alignment:review", args=["testbury", analysis.pk])
    first, second = alignment_json["shared_themes"][:2]
    present = {t["theme"] for t in alignment_json["shared_themes"]}
    present |= {t["theme"] for t in alignment_json["additional_focus_areas"]}
    missing = next(t for t in pipeline.current_taxonomy().themes if t.id not in present)
    response = client.post(
        url,
        _review_post(
            alignment_json,
            **{
                f"theme__{first['theme']}": "accepted",
                f"evidence__{first['theme']}__0": "accepted",
                f"text__{first['theme']}__0": "An edited quote.",
                f"evidence__{first['theme']}__1": "rejected",
                f"theme__{second['theme']}": "rejected",
                "add_theme": missing.id,
                "note": "Agreed with both chairs",
            },
        ),
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == "reviewed"
    assert analysis.alignment == alignment_json  # the analysis as produced is kept
    reviewed = analysis.reviewed
    changes = reviewed["review"]["changes"]
    assert [c["action"] for c in changes] == [
        "edited",
        "accepted",
        "rejected",
        "accepted",
        "rejected",
        "added",
    ]
    assert {c["by"] for c in changes} == {"manager"}
    assert {c["note"] for c in changes} == {"Agreed with both chairs"}
    themes = {t["theme"]: t for t in reviewed["shared_themes"]}
    assert second["theme"] not in themes and missing.id in themes
    assert themes[first["theme"]]["evidence"][0]["text"] == "An edited quote."
    assert len(themes[first["theme"]]["evidence"]) == len(first["evidence"]) - 1

    # Evidence added to the new theme, from a statement of the analysis.
    statement = alignment_json["statements"][0]
    client.post(
        url,
        _review_post(reviewed, evidence_theme=missing.id, evidence_statement=statement["id"]),
    )
    analysis.refresh_from_db()
    added = next(t for t in analysis.reviewed["shared_themes"] if t["theme"] == missing.id)
    assert added["evidence"] == [
        {"source": statement["source"], "statement": statement["id"], "text": statement["text"]}
    ]
    page = client.get(url).content.decode()
    assert "Changes made by hand" in page and "Agreed with both chairs" in page
    assert "An edited quote." in page and missing.label in page
    event = AuditEvent.objects.filter(object_id=str(analysis.pk), action="update").first()
    assert event is not None and "review saved" in event.note


def test_a_stale_review_form_saves_nothing(world: World, alignment_json: dict[str, Any]) -> None:
    analysis = _analysis_from(world, alignment_json)
    client = client_for(world.users["business_manager"])
    url = reverse("alignment:review", args=["testbury", analysis.pk])
    theme = alignment_json["shared_themes"][0]["theme"]
    assert client.post(url, {"revision": "0", f"theme__{theme}": "accepted"}).status_code == 302
    stale = client.post(url, {"revision": "0", f"theme__{theme}": "rejected"})
    assert stale.status_code == 409 and b"nothing was saved" in stale.content
    analysis.refresh_from_db()
    assert [c["action"] for c in analysis.reviewed["review"]["changes"]] == ["accepted"]


# -- the board paper -------------------------------------------------------------------------


def test_the_board_paper_downloads_in_each_format(
    world: World, alignment_json: dict[str, Any]
) -> None:
    analysis = _analysis_from(world, alignment_json)
    client = client_for(world.users["business_manager"])
    url = reverse("alignment:board-paper", args=["testbury", analysis.pk])
    form = client.get(url)
    assert form.status_code == 200 and b"csrfmiddlewaretoken" in form.content
    assert b"No one has reviewed this analysis yet" in form.content
    fields = {
        "title": "Larkhaven partnerships: shared priorities",
        "report_of": "Director of Public Health",
        "for_submission_to": "Larkhaven Health and Wellbeing Board",
        "date_day": "17",
        "date_month": "12",
        "date_year": "2025",
        "summary": "",
        "recommendations": "That the Board note the report.",
        "contact_name": "Alex Morgan",
        "contact_role": "Senior Policy Officer",
        "contact_email": "",
    }
    docx = client.post(url, {**fields, "format": "docx"})
    assert docx.status_code == 200
    assert docx["Content-Disposition"].startswith("attachment;")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Larkhaven partnerships: shared priorities" in text or any(
        "Larkhaven partnerships: shared priorities" in cell.text
        for table in Document(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    html = client.post(url, {**fields, "format": "html"})
    assert html.status_code == 200 and "attachment" in html["Content-Disposition"]
    page = html.content.decode("utf-8")
    assert "Alex Morgan" in page and alignment_json["shared_themes"][0]["label"] in page
    assert "script-src 'none'" in html["Content-Security-Policy"]
    pdf = client.post(url, {**fields, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(action="export", object_id=str(analysis.pk))
    assert sorted(e.note for e in exports) == [
        f"Health and Wellbeing Board paper as {fmt}" for fmt in ("DOCX", "HTML", "PDF")
    ]
    missing = client.post(url, {**fields, "title": "", "format": "docx"})
    assert missing.status_code == 200 and b"Enter the report&#x27;s title" in missing.content


# -- the taxonomy ----------------------------------------------------------------------------


def test_the_taxonomy_page_lists_the_themes_and_downloads_the_yaml(world: World) -> None:
    client = client_for(world.users["board_member"])
    page = client.get(reverse("alignment:taxonomy")).content.decode()
    taxonomy = pipeline.current_taxonomy()
    assert taxonomy.themes[0].label in page and taxonomy.themes[0].id in page
    assert "Save as a new version" not in page  # a board member reads it only
    download = client.get(reverse("alignment:taxonomy-yaml"))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert download.content.decode("utf-8") == pipeline.catalogue_taxonomy_text()
    assert AuditEvent.objects.filter(action="export", note="theme taxonomy as YAML").exists()


def test_a_broken_taxonomy_shows_an_error_and_saves_nothing(world: World) -> None:
    client = client_for(world.users["business_manager"])
    broken = "version: '2'\nthemes:\n  - id: x\n    label: [unclosed\n"
    response = client.post(reverse("alignment:taxonomy"), {"text": broken})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert re.search(r"not valid YAML near line \d+", html)
    assert not ThemeTaxonomy.objects.exists()
    # The same version as the one in use is refused too: analyses must say which they used.
    text, _ = pipeline.taxonomy_text()
    unchanged_version = text.replace("examples:", "examples:", 1) + "\n# a comment\n"
    same = client.post(reverse("alignment:taxonomy"), {"text": unchanged_version})
    assert b"Give the taxonomy a new version" in same.content
    assert not ThemeTaxonomy.objects.exists()


def test_a_new_taxonomy_version_is_saved_and_used(world: World) -> None:
    client = client_for(world.users["business_manager"])
    text, _ = pipeline.taxonomy_text()
    version = pipeline.current_taxonomy().version
    edited = text.replace(f'version: "{version}"', 'version: "2099.1"', 1).replace(
        "label: Domestic abuse\n", "label: Domestic abuse and violence\n", 1
    )
    assert edited != text
    response = client.post(reverse("alignment:taxonomy"), {"text": edited})
    assert response.status_code == 302
    saved = ThemeTaxonomy.objects.get()
    assert saved.version == "2099.1" and saved.created_by_name == "manager"
    taxonomy = pipeline.current_taxonomy()
    assert taxonomy.version == "2099.1"
    assert taxonomy.get("domestic_abuse").label == "Domestic abuse and violence"
    assert AuditEvent.objects.filter(action="create", object_id=str(saved.pk)).exists()


@pytest.mark.parametrize("page", ["list", "new"])
def test_the_area_pages_have_their_navigation(world: World, page: str) -> None:
    client = client_for(world.users["business_manager"])
    html = client.get(reverse(f"alignment:{page}", args=["testbury"])).content.decode()
    assert "Testbury" in html and 'class="govuk-breadcrumbs' in html
    overview = client.get(reverse("records:overview", args=["tscp"])).content.decode()
    assert reverse("alignment:list", args=["testbury"]) in overview


def test_a_document_over_the_size_limit_is_refused(world: World, settings: Any) -> None:
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024 * 1024
    client = client_for(world.users["business_manager"])
    analysis = _start(client)
    big = SimpleUploadedFile("big.txt", b"Priority one.\n" * 80_000)
    response = _upload(client, analysis, "LSCP", file=big)
    assert response.status_code == 200
    assert b"The selected file must be smaller than 1 MB" in response.content
    analysis.refresh_from_db()
    assert analysis.sources == []
