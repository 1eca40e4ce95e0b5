"""The annual report's pages: the checklist, the draft in each format, approval, publication
as versions that never change, and the public page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from safeguarding.web.audit import trail
from safeguarding.web.records import models as m
from safeguarding.web.reports.models import AnnualReport, MemberContribution, PublishedReport
from tests.conftest import World


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(world: World) -> AnnualReport:
    return AnnualReport.objects.create(
        partnership=world.children,
        period=world.period,
        foreword="A year of <b>change</b>.",
        training="Neglect toolkit: 12 sessions for 200 people.",
    )


def _page(report: AnnualReport) -> str:
    return f"/partnerships/tscp/annual-reports/{report.pk}/"


def test_the_report_page_lists_the_checklist_and_its_gaps(
    world: World, report: AnnualReport
) -> None:
    html = _client(world.users["board_member"]).get(_page(report)).content.decode()
    assert "checking the report against the law" in html.lower()
    # No member agency has recorded what it did: the checklist says so in plain words.
    assert "contribution" in html and "Gap" in html
    assert "A year of &lt;b&gt;change&lt;/b&gt;." in html


def test_the_draft_comes_in_every_format_with_the_checklist(
    world: World, report: AnnualReport
) -> None:
    client = _client(world.users["board_member"])
    html = client.get(reverse("reports:draft", args=["tscp", report.pk, "html"]))
    assert html.status_code == 200
    assert b"checking the report against the law" in html.content.lower()
    pdf = client.get(reverse("reports:draft", args=["tscp", report.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    docx = client.get(reverse("reports:draft", args=["tscp", report.pk, "docx"]))
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)
    assert client.get(reverse("reports:draft", args=["tscp", report.pk, "odt"])).status_code == 404


def test_a_report_with_gaps_cannot_be_approved(world: World, report: AnnualReport) -> None:
    manager = _client(world.users["business_manager"])
    response = manager.post(reverse("reports:approve", args=["tscp", report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "draft"
    page = manager.get(_page(report)).content.decode()
    assert "cannot be approved until" in page


def test_only_those_who_may_change_the_report_approve_or_publish(
    world: World, report: AnnualReport
) -> None:
    for user in ("board_member", "police_contributor"):
        client = _client(world.users[user])
        assert client.post(reverse("reports:approve", args=["tscp", report.pk])).status_code == 403
        assert client.post(reverse("reports:publish", args=["tscp", report.pk])).status_code == 403
    other = _client(world.users["other_manager"])
    assert other.post(reverse("reports:approve", args=["tscp", report.pk])).status_code == 404


def _approved(report: AnnualReport) -> AnnualReport:
    """The report marked approved as the approve page would, gaps or not, for the steps after."""
    AnnualReport.objects.filter(pk=report.pk).update(status="approved", approved_by="manager")
    report.refresh_from_db()
    return report


def test_publishing_keeps_an_unchangeable_version_with_checksums(
    world: World, report: AnnualReport
) -> None:
    manager = _client(world.users["business_manager"])
    _approved(report)
    response = manager.post(reverse("reports:publish", args=["tscp", report.pk]))
    assert response.status_code == 302
    version = PublishedReport.objects.get()
    report.refresh_from_db()
    assert report.status == "published" and version.number == 1
    assert version.pdf_sha256 and bytes(version.pdf).startswith(b"%PDF")
    assert "Version 1, published" in version.html
    # The checklist is the draft's appendix only.
    assert "checking the report against the law" not in version.html.lower()
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert [e.action for e in trail.history(version)] == ["create"]


def test_the_public_page_needs_no_sign_in_and_checks_each_file(
    world: World, report: AnnualReport
) -> None:
    manager = _client(world.users["business_manager"])
    anonymous = Client()
    public = reverse("reports:public", args=["tscp", world.period.label])
    assert anonymous.get(public).status_code == 404  # nothing published yet
    _approved(report)
    manager.post(reverse("reports:publish", args=["tscp", report.pk]))
    page = anonymous.get(public)
    assert page.status_code == 200 and b"Version 1" in page.content
    url = reverse("reports:public-file", args=["tscp", world.period.label, 1, "pdf"])
    pdf = anonymous.get(url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["X-Content-SHA256"] == PublishedReport.objects.get().pdf_sha256
    # A file changed behind the platform's back is not served.
    PublishedReport.objects.filter(pk=PublishedReport.objects.get().pk).update(pdf=b"%PDF forged")
    assert anonymous.get(url).status_code == 500


def test_a_correction_is_a_new_version_with_a_note(world: World, report: AnnualReport) -> None:
    manager = _client(world.users["business_manager"])
    _approved(report)
    manager.post(reverse("reports:publish", args=["tscp", report.pk]))
    # Changing the text sends the report back to draft: it must be approved again.
    report.refresh_from_db()
    report.foreword = "A year of change, corrected."
    report.save()
    assert report.status == "draft"
    _approved(report)
    refused = manager.post(reverse("reports:publish", args=["tscp", report.pk]))
    assert refused.status_code == 302 and PublishedReport.objects.count() == 1
    manager.post(
        reverse("reports:publish", args=["tscp", report.pk]),
        {"change_note": "Corrected the foreword."},
    )
    versions = list(PublishedReport.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert "corrected" in versions[1].html and "corrected" not in versions[0].html
    page = Client().get(reverse("reports:public", args=["tscp", world.period.label]))
    assert b"Corrected the foreword." in page.content


def test_an_agency_records_its_own_contribution_only(world: World) -> None:
    police = _client(world.users["police_contributor"])
    police_member = world.children.members.get(agency=world.police)
    council_member = world.children.members.get(agency=world.council)
    fields = {"period": str(world.period.pk), "contribution": "Trained 40 officers."}
    # Added from the member agency's page, as the page's "Add" button does.
    new = "/partnerships/tscp/contributions/new/?membership="
    ok = police.post(f"{new}{police_member.pk}", fields)
    assert ok.status_code == 302, ok.content.decode()[:3000]
    refused = police.post(f"{new}{council_member.pk}", fields)
    assert refused.status_code == 403
    assert MemberContribution.objects.get().membership == police_member


def test_the_report_reads_the_years_records(world: World, report: AnnualReport) -> None:
    from safeguarding.web.reports.adapter import annual_report

    m.Achievement.objects.create(
        partnership=world.children, period=world.period, title="Toolkit", description="Used."
    )
    MemberContribution.objects.create(
        membership=world.children.members.get(agency=world.police),
        period=world.period,
        contribution="Trained 40 officers.",
    )
    content = annual_report(report)
    assert content.period == world.period.label and content.kind == "children"
    assert [a.title for a in content.achievements] == ["Toolkit"]
    police = next(member for member in content.members if member.agency == str(world.police))
    assert police.contribution == "Trained 40 officers."
    assert content.training == ("Neglect toolkit: 12 sessions for 200 people.",)
    assert any(review.name == "Child T" for review in content.reviews)


def test_a_report_without_statutory_gaps_is_approved_and_the_approval_audited(
    world: World, report: AnnualReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The checklist itself is tested in tests/reports; here, only what approval does.
    monkeypatch.setattr("safeguarding.reports.checklist.ready_to_approve", lambda items: True)
    manager = _client(world.users["business_manager"])
    assert manager.post(reverse("reports:approve", args=["tscp", report.pk])).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.approved_by) == ("approved", "manager")
    assert trail.history(report).first().note == "approved"
