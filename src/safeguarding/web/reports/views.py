"""The annual report's pages: its checklist and actions on the record's page, the draft in
each format, approval, publication, and the public pages of published versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.reports.output import FORMATS, render_report
from safeguarding.web import permissions
from safeguarding.web.audit import trail
from safeguarding.web.records import models as records
from safeguarding.web.records.places import NotHere, place_from
from safeguarding.web.reports import adapter
from safeguarding.web.reports.models import AnnualReport, CorruptedReport, PublishedReport
from safeguarding.web.security import REPORT_POLICY, content_security_policy

MAX_NOTE = 2000


def _report(request: HttpRequest, slug: str, pk: int) -> AnnualReport:
    try:
        place = place_from(request.user, slug=slug)
    except NotHere:
        raise Http404("No such partnership here.") from None
    report = get_object_or_404(
        AnnualReport.objects.select_related("partnership__area", "period"),
        partnership=place.partnership,
        pk=pk,
    )
    if not permissions.can_on(request.user, "view", report):
        raise PermissionDenied
    return report


def _checklist(report: AnnualReport) -> tuple[Any, list[Any]]:
    from safeguarding.reports.checklist import check_report

    content = adapter.annual_report(report)
    return content, check_report(content)


def _file_name(report: AnnualReport, fmt: str, suffix: str = "") -> str:
    return f"{report.partnership.slug}-annual-report-{report.period.label}{suffix}.{fmt}"


def report_panel(request: HttpRequest, report: AnnualReport) -> dict[str, Any]:
    """On the report's record page: the legal checklist, the draft, approval and versions."""
    from safeguarding.reports.checklist import ready_to_approve

    _, items = _checklist(report)
    slug = report.partnership.slug
    may_change = permissions.can_on(request.user, "change", report)
    return {
        "template": "reports/report_panel.html",
        "report": report,
        "items": items,
        "ready": ready_to_approve(items),
        "gaps": sum(len(item.gaps) for item in items if item.statutory),
        "drafts": {fmt: reverse("reports:draft", args=[slug, report.pk, fmt]) for fmt in FORMATS},
        "may_change": may_change,
        "approve_url": reverse("reports:approve", args=[slug, report.pk]),
        "publish_url": reverse("reports:publish", args=[slug, report.pk]),
        "versions": list(report.versions.order_by("-number")),
        "public_url": reverse("reports:public", args=[slug, report.period.label]),
    }


@content_security_policy(REPORT_POLICY)
@login_required
def draft(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    """The report as it stands, with the checklist as an appendix: HTML, PDF or DOCX."""
    if fmt not in FORMATS:
        raise Http404("The report can be had as html, pdf or docx.")
    report = _report(request, slug, pk)
    content, items = _checklist(report)
    response = HttpResponse(render_report(content, fmt, items), content_type=FORMATS[fmt])
    if fmt != "html":
        name = _file_name(report, fmt, "-draft")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    trail.export(request, "draft annual report", fmt, instance=report)
    return response


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Mark the report approved, if the legal checklist finds no gaps in what the law asks."""
    from safeguarding.reports.checklist import ready_to_approve

    report = _report(request, slug, pk)
    if not permissions.can_on(request.user, "change", report):
        raise PermissionDenied("You may not approve this report.")
    _, items = _checklist(report)
    if not ready_to_approve(items):
        missing = [gap for item in items if item.statutory and not item.met for gap in item.gaps]
        messages.error(
            request,
            "The report cannot be approved until what the law asks for is in it: "
            + " ".join(missing[:5]),
        )
        return redirect(_record_url(report))
    before = trail.snapshot(report)
    report.status = "approved"
    report.approved_by = request.user.get_username()
    report.approved_at = timezone.now()
    AnnualReport.objects.filter(pk=report.pk).update(
        status=report.status, approved_by=report.approved_by, approved_at=report.approved_at
    )
    trail.record(
        request.user,
        report,
        "update",
        changes=trail.diff(before, trail.snapshot(report)),
        note="approved",
    )
    messages.success(request, "The report is approved. It can now be published.")
    return redirect(_record_url(report))


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Publish an approved report as a new version that never changes."""
    report = _report(request, slug, pk)
    if not permissions.can_on(request.user, "change", report):
        raise PermissionDenied("You may not publish this report.")
    if report.status != "approved":
        messages.error(request, "Only an approved report can be published. Approve it first.")
        return redirect(_record_url(report))
    note = " ".join(request.POST.get("change_note", "").split())[:MAX_NOTE]
    last = report.versions.order_by("-number").first()
    if last is not None and not note:
        messages.error(request, "Say what changed since the last version before publishing.")
        return redirect(_record_url(report))
    with transaction.atomic():
        number = (last.number if last else 0) + 1
        # The version's own note names it, so the files say which version they are.
        content = adapter.annual_report(report)
        from dataclasses import replace

        stamp = f"Version {number}, published {timezone.localdate():%-d %B %Y}."
        content = replace(content, version_note=f"{stamp} {note}".strip())
        version = PublishedReport(
            report=report,
            number=number,
            published_by=request.user,
            published_by_name=request.user.get_username(),
            change_note=note,
            html=render_report(content, "html").decode("utf-8"),
            pdf=render_report(content, "pdf"),
            docx=render_report(content, "docx"),
        )
        version.save()
        before = trail.snapshot(report)
        AnnualReport.objects.filter(pk=report.pk).update(status="published")
        report.status = "published"
        trail.record(
            request.user,
            report,
            "update",
            changes=trail.diff(before, trail.snapshot(report)),
            note=f"published {stamp}",
        )
        trail.record(request.user, version, "create", note=f"published {stamp}")
    messages.success(request, f"Version {number} is published.")
    return redirect(_record_url(report))


def _record_url(report: AnnualReport) -> str:
    return f"/partnerships/{report.partnership.slug}/annual-reports/{report.pk}/"


def public_report(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    """The published versions of one year's report, newest first. No sign-in."""
    partnership = get_object_or_404(records.Partnership, slug=slug)
    report = get_object_or_404(
        AnnualReport.objects.select_related("period"), partnership=partnership, period__label=period
    )
    versions = list(report.versions.order_by("-number"))
    if not versions:
        raise Http404("This report has not been published.")
    return render(
        request,
        "reports/public_report.html",
        {"partnership": partnership, "report": report, "versions": versions},
    )


@content_security_policy(REPORT_POLICY)
def public_file(
    request: HttpRequest, slug: str, period: str, number: int, fmt: str
) -> HttpResponse:
    """A published version's file, exactly as published, checked against its checksum."""
    if fmt not in FORMATS:
        raise Http404("The report can be had as html, pdf or docx.")
    version = get_object_or_404(
        PublishedReport.objects.select_related("report__partnership", "report__period"),
        report__partnership__slug=slug,
        report__period__label=period,
        number=number,
    )
    try:
        data = version.verified(fmt)
    except CorruptedReport:
        return HttpResponse(
            "This file no longer matches the checksum it was published with, so it is not "
            "shown. The platform's administrators have been told.",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["X-Content-SHA256"] = getattr(version, f"{fmt}_sha256")
    if fmt != "html":
        name = _file_name(version.report, fmt, f"-v{number}")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    trail.export(request, f"published annual report, version {number}", fmt, instance=version)
    return response
