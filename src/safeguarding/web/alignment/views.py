"""The shared-priorities pages of a local area: the list of analyses, starting one and adding
its sources, running it, reviewing what it found, the board paper; and the theme taxonomy.

Who may see or do what is asked of ``safeguarding.web.permissions``; an area the person cannot
see is "not found". Every change is written to the audit trail, briefly (the sources named, the
number of review changes), because the analysis's JSON is too big to copy into each event.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.documents.model import DocumentProblem
from safeguarding.web import permissions
from safeguarding.web.alignment import adapter, pipeline, review
from safeguarding.web.alignment.forms import (
    BoardPaperForm,
    PlatformSourcesForm,
    StartForm,
    TaxonomyForm,
    UploadDocumentForm,
)
from safeguarding.web.alignment.models import SharedPrioritiesAnalysis, ThemeTaxonomy
from safeguarding.web.audit import trail
from safeguarding.web.records import models as records
from safeguarding.web.records.places import NotHere, place_from
from safeguarding.web.records.services import refuse
from safeguarding.web.results.loading import safe_file_name
from safeguarding.web.security import CSP_HEADER, REPORT_POLICY

log = logging.getLogger("safeguarding.alignment")

VIA = "web"
RECORD_TYPE = "shared_priorities_analysis"
BOARD_PAPER_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
#: Statements offered as evidence to add, at most; the rest can be typed.
STATEMENTS_OFFERED = 2000


# -- places, records and permissions -------------------------------------------------------------


def _area(request: HttpRequest, area_slug: str) -> records.Area:
    try:
        place = place_from(request.user, area_slug=area_slug)
    except NotHere:
        raise Http404("No such area here.") from None
    assert place.area is not None
    return place.area


def _analysis(request: HttpRequest, area: records.Area, pk: int) -> SharedPrioritiesAnalysis:
    analysis = get_object_or_404(SharedPrioritiesAnalysis, area=area, pk=pk)
    if not permissions.can_on(request.user, "view", analysis):
        raise Http404("No such analysis here.")
    return analysis


def _may(request: HttpRequest, action: permissions.Action, area: records.Area) -> bool:
    return permissions.can(request.user, action, RECORD_TYPE, permissions.Scope(area_id=area.pk))


def _require_change(request: HttpRequest, analysis: SharedPrioritiesAnalysis) -> None:
    """Refuse, and keep the refusal in the audit trail, unless the person may change it."""
    if not permissions.can_on(request.user, "change", analysis):
        raise refuse(request.user, "change", analysis, VIA)


def _breadcrumbs(area: records.Area, *more: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [
        {"label": "Home", "href": reverse("records:home")},
        {"label": area.name, "href": ""},
        {"label": "Shared priorities", "href": reverse("alignment:list", args=[area.slug])},
    ]
    return crumbs + [{"label": label, "href": href} for label, href in more]


def _urls(analysis: SharedPrioritiesAnalysis) -> dict[str, str]:
    args = [analysis.area.slug, analysis.pk]
    return {
        name.replace("-", "_"): reverse(f"alignment:{name}", args=args)
        for name in ("review", "sources", "add-records", "remove-source", "run", "board-paper")
    }


def _audit(
    request: HttpRequest,
    analysis: SharedPrioritiesAnalysis,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
) -> None:
    trail.record(request.user, analysis, action, changes=changes or {}, via=VIA, note=note)


def _platform_choices(request: HttpRequest, area: records.Area) -> dict[str, Any]:
    """The partnerships (those whose records the person can see) and strategies of the area."""
    return {
        "partnerships": permissions.visible_partnerships(request.user)
        .filter(area=area)
        .order_by("name"),
        "strategies": records.Strategy.objects.filter(area=area).order_by("-start_year", "title"),
    }


def _add_platform_sources(analysis: SharedPrioritiesAnalysis, cleaned: dict[str, Any]) -> list[str]:
    """Read the chosen partnerships' and strategy's records into the analysis (not saved)."""
    added = []
    for partnership in cleaned.get("partnerships") or []:
        name = _free_name(analysis, adapter.source_name(partnership.short_name, "PARTNERSHIP"))
        document = adapter.partnership_document(partnership, source=name)
        pipeline.add_source(
            analysis,
            document,
            kind="partnership",
            origin="partnership",
            record_id=partnership.pk,
            record=partnership.name,
        )
        added.append(name)
    strategy = cleaned.get("strategy")
    if strategy is not None:
        name = _free_name(analysis, adapter.initials(strategy.title))
        document = adapter.strategy_document(strategy, source=name)
        pipeline.add_source(
            analysis,
            document,
            kind="strategy",
            origin="strategy",
            record_id=strategy.pk,
            record=strategy.title,
        )
        added.append(name)
    return added


def _free_name(analysis: SharedPrioritiesAnalysis, name: str) -> str:
    """``name``, or ``name-2`` and so on when a source of that name is already in."""
    taken = {n.casefold() for n in analysis.source_names()}
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{name[:17]}-{number}"
    return candidate


# -- the list and starting an analysis -----------------------------------------------------------


@login_required
def analysis_list(request: HttpRequest, area_slug: str) -> HttpResponse:
    """The area's analyses, newest first."""
    area = _area(request, area_slug)
    if not _may(request, "view", area):
        raise PermissionDenied("You may not see this area's analyses.")
    analyses = SharedPrioritiesAnalysis.objects.filter(area=area).defer(
        "documents", "alignment", "reviewed"
    )
    return render(
        request,
        "alignment/analysis_list.html",
        {
            "area": area,
            "analyses": analyses,
            "may_add": _may(request, "add", area),
            "breadcrumbs": [*_breadcrumbs(area)[:-1], {"label": "Shared priorities", "href": ""}],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_new(request: HttpRequest, area_slug: str) -> HttpResponse:
    """Start an analysis: its title, and any partnerships and strategy already on the platform."""
    area = _area(request, area_slug)
    if not _may(request, "add", area):
        if request.method == "POST":
            raise refuse(request.user, "add", SharedPrioritiesAnalysis(area=area), VIA)
        raise PermissionDenied("You may not start an analysis in this area.")
    form = StartForm(request.POST or None, **_platform_choices(request, area))
    problem = ""
    if request.method == "POST" and form.is_valid():
        analysis = SharedPrioritiesAnalysis(
            area=area,
            title=form.cleaned_data["title"],
            created_by=request.user,
            created_by_name=request.user.get_username(),
        )
        try:
            _add_platform_sources(analysis, form.cleaned_data)
        except (pipeline.SourceProblem, DocumentProblem) as error:
            problem = str(error)
        else:
            with transaction.atomic():
                analysis.save()
                _audit(
                    request,
                    analysis,
                    "create",
                    {"title": [None, analysis.title], "sources": [[], analysis.source_names()]},
                )
            messages.success(request, f"{analysis.title} is started. Now add its documents.")
            return HttpResponseRedirect(_urls(analysis)["sources"])
    return render(
        request,
        "alignment/analysis_new.html",
        {
            "area": area,
            "form": form,
            "problems": [{"href": "#id_strategy_0", "text": problem}] if problem else [],
            "breadcrumbs": _breadcrumbs(area, ("Start an analysis", "")),
        },
    )


# -- sources ------------------------------------------------------------------------------------


def _sources_page(
    request: HttpRequest,
    analysis: SharedPrioritiesAnalysis,
    *,
    upload_form: UploadDocumentForm | None = None,
    records_form: PlatformSourcesForm | None = None,
    problems: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    area = analysis.area
    choices = _platform_choices(request, area)
    return render(
        request,
        "alignment/sources.html",
        {
            "area": area,
            "analysis": analysis,
            "urls": _urls(analysis),
            "may_change": permissions.can_on(request.user, "change", analysis),
            "upload_form": upload_form or UploadDocumentForm(),
            "records_form": records_form or PlatformSourcesForm(**choices),
            "posted": upload_form or records_form,
            "problems": problems or [],
            "missing": pipeline.missing_sources(analysis),
            "breadcrumbs": _breadcrumbs(
                area, (analysis.title, _urls(analysis)["review"]), ("Documents", "")
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sources(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    """The analysis's documents; a POST uploads one more. The file is read and let go: only its
    name, SHA-256, size and the statements read from it are kept."""
    area = _area(request, area_slug)
    analysis = _analysis(request, area, pk)
    if request.method != "POST":
        return _sources_page(request, analysis)
    _require_change(request, analysis)
    form = UploadDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _sources_page(request, analysis, upload_form=form)
    uploaded = form.cleaned_data["file"]
    file_name = safe_file_name(uploaded.name or "")
    data = uploaded.read()
    before = analysis.source_names()
    try:
        document = pipeline.read_upload(data, file_name, form.cleaned_data["name"])
        entry = pipeline.add_source(
            analysis,
            document,
            kind=form.cleaned_data["kind"],
            origin="upload",
            file=file_name,
            data=data,
        )
    except (DocumentProblem, pipeline.SourceProblem) as error:
        problem = {"href": f"#{form['file'].auto_id}", "text": str(error)}
        return _sources_page(request, analysis, upload_form=form, problems=[problem])
    finally:
        del data
    with transaction.atomic():
        analysis.save(update_fields=["sources", "documents"])
        _audit(
            request,
            analysis,
            "update",
            {"sources": [before, analysis.source_names()]},
            note=f"uploaded {file_name} as {entry['name']} (sha256 {entry['sha256']})",
        )
    log.info("%s read %s for analysis %s", request.user, file_name, analysis.pk)
    messages.success(
        request,
        f"Read {file_name} as {entry['name']}: {entry['statements']} statement"
        f"{'s' if entry['statements'] != 1 else ''}.",
    )
    return HttpResponseRedirect(_urls(analysis)["sources"])


@login_required
@require_POST
def add_records(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    """Add partnerships and a strategy already on the platform to the analysis's sources."""
    area = _area(request, area_slug)
    analysis = _analysis(request, area, pk)
    _require_change(request, analysis)
    form = PlatformSourcesForm(request.POST, **_platform_choices(request, area))
    problems: list[dict[str, str]] = []
    if form.is_valid():
        if not form.cleaned_data["partnerships"] and form.cleaned_data["strategy"] is None:
            problems.append(
                {
                    "href": f"#{form['strategy'].auto_id}_0",
                    "text": "Choose a partnership or a strategy",
                }
            )
        else:
            before = analysis.source_names()
            try:
                added = _add_platform_sources(analysis, form.cleaned_data)
            except (pipeline.SourceProblem, DocumentProblem) as error:
                problems.append({"href": f"#{form['strategy'].auto_id}_0", "text": str(error)})
            else:
                with transaction.atomic():
                    analysis.save(update_fields=["sources", "documents"])
                    _audit(
                        request,
                        analysis,
                        "update",
                        {"sources": [before, analysis.source_names()]},
                        note="added records on the platform",
                    )
                messages.success(request, f"Added {', '.join(added)}.")
                return HttpResponseRedirect(_urls(analysis)["sources"])
    return _sources_page(request, analysis, records_form=form, problems=problems)


@login_required
@require_POST
def remove_source(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    area = _area(request, area_slug)
    analysis = _analysis(request, area, pk)
    _require_change(request, analysis)
    name = request.POST.get("name", "")
    if name not in analysis.source_names():
        raise Http404("No such source in this analysis.")
    before = analysis.source_names()
    pipeline.remove_source(analysis, name)
    with transaction.atomic():
        analysis.save(update_fields=["sources", "documents"])
        _audit(request, analysis, "update", {"sources": [before, analysis.source_names()]})
    messages.success(request, f"Removed {name}.")
    return HttpResponseRedirect(_urls(analysis)["sources"])


@login_required
@require_POST
def run(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    """Run the analysis in the request (a few seconds) and go to its review."""
    from safeguarding.themes.alignment import AlignmentProblem

    area = _area(request, area_slug)
    analysis = _analysis(request, area, pk)
    _require_change(request, analysis)
    try:
        result = pipeline.run(analysis)
    except (AlignmentProblem, pipeline.SourceProblem, DocumentProblem) as error:
        problem = {"href": "#run", "text": str(error)}
        return _sources_page(request, analysis, problems=[problem])
    had_result = analysis.has_result
    before = {"status": analysis.status, "reviewed": analysis.reviewed is not None}
    analysis.alignment = result
    analysis.reviewed = None
    analysis.status = "draft"
    with transaction.atomic():
        analysis.save(update_fields=["alignment", "reviewed", "status"])
        _audit(
            request,
            analysis,
            "update",
            {
                "status": [before["status"], "draft"],
                "shared themes": [None, len(result.get("shared_themes", []))],
            },
            note="analysis run again; the review was started afresh"
            if had_result
            else "analysis run",
        )
    found = len(result.get("shared_themes", []))
    messages.success(
        request,
        f"The analysis found {found} shared theme{'s' if found != 1 else ''}. Review each one "
        "and its evidence, then save the review.",
    )
    return HttpResponseRedirect(_urls(analysis)["review"])


# -- the review -----------------------------------------------------------------------------------


def _evidence_rows(data: dict[str, Any], entry: dict[str, Any]) -> list[dict[str, Any]]:
    statements = review.statements_by_id(data)
    rows = []
    for index, item in enumerate(entry.get("evidence") or []):
        statement = statements.get(item.get("statement") or "")
        rows.append(
            {
                "index": index,
                "source": item["source"],
                "statement": item.get("statement"),
                "text": item["text"],
                "page": statement.get("page") if statement else None,
                "section": statement.get("section") if statement else "",
                "accepted": review.evidence_accepted(data, entry["theme"], item.get("statement")),
                "by_hand": item.get("statement") is None,
            }
        )
    return rows


def _theme_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """What the review page shows of each theme, in the analysis's order."""
    rows = []
    for key, kind in review.THEME_LISTS:
        for entry in data.get(key) or []:
            rows.append(
                {
                    "key": key,
                    "kind": kind,
                    "theme": entry["theme"],
                    "label": entry["label"],
                    "strength": entry.get("strength"),
                    "sources": entry.get("sources") or [],
                    "summary": entry.get("summary") or "",
                    "evidence": _evidence_rows(data, entry),
                    "accepted": review.theme_accepted(data, entry["theme"]),
                    "added": any(
                        c["action"] == "added"
                        and c["theme"] == entry["theme"]
                        and c.get("statement") is None
                        for c in review.changes(data)
                    ),
                }
            )
    return rows


def _review_form(request: HttpRequest, data: dict[str, Any]) -> review.ReviewForm:
    """The review form's fields, read for the themes and evidence the page showed."""
    post = request.POST
    form = review.ReviewForm(
        add_theme=post.get("add_theme", "").strip(),
        add_theme_summary=post.get("add_theme_summary", ""),
        evidence_theme=post.get("evidence_theme", "").strip(),
        evidence_statement=post.get("evidence_statement", "").strip(),
        evidence_source=post.get("evidence_source", "").strip(),
        evidence_text=post.get("evidence_text", ""),
        note=post.get("note", ""),
    )
    for _, entry in review.themes(data):
        theme = entry["theme"]
        form.themes[theme] = post.get(f"theme__{theme}", "")
        for index, _item in enumerate(entry.get("evidence") or []):
            decision = post.get(f"evidence__{theme}__{index}", "")
            text = post.get(f"text__{theme}__{index}")
            if decision or text is not None:
                form.evidence[(theme, index)] = review.EvidenceDecision(decision, text)
    return form


def _review_page(
    request: HttpRequest,
    analysis: SharedPrioritiesAnalysis,
    data: dict[str, Any],
    problems: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    area = analysis.area
    present = {entry["theme"] for _, entry in review.themes(data)}
    try:
        taxonomy = pipeline.current_taxonomy()
        addable = [t for t in taxonomy.themes if t.id not in present]
    except ValueError:
        # A taxonomy that no longer reads: the review goes on; adding themes waits for a fix.
        addable = []
    statements = (data.get("statements") or [])[:STATEMENTS_OFFERED]
    return render(
        request,
        "alignment/review.html",
        {
            "area": area,
            "analysis": analysis,
            "data": data,
            "themes": _theme_rows(data),
            "changes": list(reversed(review.changes(data))),
            "revision": len(review.changes(data)),
            "addable": addable,
            "statements": statements,
            "source_names": [s["name"] for s in data.get("sources") or []],
            "urls": _urls(analysis),
            "may_change": permissions.can_on(request.user, "change", analysis),
            "problems": problems or [],
            "breadcrumbs": _breadcrumbs(area, (analysis.title, "")),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    """Each theme the analysis found, with its evidence, to accept, reject or edit; a POST
    saves the review."""
    from safeguarding.themes.alignment import AlignmentProblem, validate_alignment

    area = _area(request, area_slug)
    analysis = _analysis(request, area, pk)
    if analysis.alignment is None:
        return HttpResponseRedirect(_urls(analysis)["sources"])
    data = analysis.reviewed if analysis.reviewed is not None else review.start(analysis.alignment)
    if request.method != "POST":
        return _review_page(request, analysis, data)
    _require_change(request, analysis)
    if request.POST.get("revision", "") != str(len(review.changes(data))):
        problem = {
            "href": "#themes",
            "text": "Someone saved a review of this analysis after you opened it, so nothing "
            "was saved. Look at it again and repeat your changes.",
        }
        return _review_page(request, analysis, data, [problem], status=409)
    form = _review_form(request, data)
    try:
        taxonomy = pipeline.current_taxonomy() if form.add_theme else None
        now = timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        updated, count = review.apply(
            data, form, by=request.user.get_username(), at=now, taxonomy=taxonomy
        )
        validate_alignment(updated)
    except (review.ReviewProblem, AlignmentProblem) as error:
        return _review_page(request, analysis, data, [{"href": "#themes", "text": str(error)}])
    before_status = analysis.status
    analysis.reviewed = updated
    analysis.status = "reviewed"
    with transaction.atomic():
        analysis.save(update_fields=["reviewed", "status"])
        _audit(
            request,
            analysis,
            "update",
            {
                "status": [before_status, "reviewed"],
                "review changes": [
                    len(review.changes(data)),
                    len(review.changes(updated)),
                ],
            },
            note=f"review saved with {count} change{'s' if count != 1 else ''}",
        )
    messages.success(
        request,
        f"The review is saved with {count} change{'s' if count != 1 else ''}.",
    )
    return HttpResponseRedirect(_urls(analysis)["review"])


# -- the board paper ----------------------------------------------------------------------------


def _board_paper_initial(analysis: SharedPrioritiesAnalysis) -> dict[str, Any]:
    return {
        "title": f"{analysis.area.name} safeguarding partnerships: shared priorities",
        "for_submission_to": "Health and Wellbeing Board",
        "date": timezone.localdate(),
        "recommendations": "That the Health and Wellbeing Board note the report.",
        "format": "docx",
    }


def _source_names(analysis: SharedPrioritiesAnalysis) -> dict[str, str]:
    """Each source's full name for the paper: its record's name, or its document's title."""
    names = {}
    for source in analysis.sources:
        full = source.get("record") or source.get("title") or ""
        if full and full != source["name"]:
            names[source["name"]] = full
    return names


def _board_paper_meta(analysis: SharedPrioritiesAnalysis, form: BoardPaperForm) -> Any:
    from safeguarding.reports.hwb import meta_from_dict

    fields = form.meta_fields()
    fields["council"] = analysis.area.name
    fields["source_names"] = _source_names(analysis)
    return meta_from_dict(fields)


@login_required
@require_http_methods(["GET", "POST"])
def board_paper(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    """The Health and Wellbeing Board paper from the analysis as reviewed: its cover asked for,
    then the file as a download."""
    area = _area(request, area_slug)
    analysis = _analysis(request, area, pk)
    if analysis.alignment is None:
        return HttpResponseRedirect(_urls(analysis)["sources"])
    form = BoardPaperForm(request.POST or None, initial=_board_paper_initial(analysis))
    problem = ""
    if request.method == "POST" and form.is_valid():
        from safeguarding.reports.hwb import board_paper_from_alignment, render_board_paper

        fmt = form.cleaned_data["format"]
        try:
            meta = _board_paper_meta(analysis, form)
            paper = board_paper_from_alignment(analysis.current, meta)
            content = render_board_paper(paper, fmt)
        except ValueError as error:
            problem = str(error)
        else:
            response = HttpResponse(content, content_type=BOARD_PAPER_TYPES[fmt])
            name = f"{area.slug}-shared-priorities-{analysis.pk}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            # The paper's own HTML runs nothing and loads nothing, whatever its text says.
            response[CSP_HEADER] = REPORT_POLICY
            trail.export(request, "Health and Wellbeing Board paper", fmt, instance=analysis)
            return response
    return render(
        request,
        "alignment/board_paper.html",
        {
            "area": area,
            "analysis": analysis,
            "form": form,
            "problems": [{"href": "#id_title", "text": problem}] if problem else [],
            "urls": _urls(analysis),
            "breadcrumbs": _breadcrumbs(
                area, (analysis.title, _urls(analysis)["review"]), ("Board paper", "")
            ),
        },
    )


# -- the taxonomy -------------------------------------------------------------------------------


def _taxonomy_rows(text: str) -> tuple[list[Any], str, str]:
    """The themes of the taxonomy in ``text``, its version, and why it cannot be read, if so."""
    from safeguarding.themes.taxonomy import taxonomy_from_yaml

    try:
        taxonomy = taxonomy_from_yaml(text)
    except ValueError as error:
        return [], "", str(error)
    return list(taxonomy.themes), taxonomy.version, ""


@login_required
@require_http_methods(["GET", "POST"])
def taxonomy(request: HttpRequest) -> HttpResponse:
    """The themes the analyses read against, and their YAML to edit; saving makes a version."""
    from safeguarding.themes.taxonomy import taxonomy_from_yaml

    scope = permissions.Scope()
    if not permissions.can(request.user, "view", "theme_taxonomy", scope):
        raise PermissionDenied("You may not see the theme taxonomy.")
    may_change = permissions.can(request.user, "add", "theme_taxonomy", scope)
    text, saved = pipeline.taxonomy_text()
    themes, version, broken = _taxonomy_rows(text)
    form = TaxonomyForm(request.POST or None, initial={"text": text})
    if request.method == "POST":
        if not may_change:
            raise refuse(request.user, "add", ThemeTaxonomy(text="", version=""), VIA)
        if form.is_valid():
            new_text = form.cleaned_data["text"].replace("\r\n", "\n")
            try:
                parsed = taxonomy_from_yaml(new_text)
            except ValueError as error:
                form.add_error("text", str(error))
            else:
                if new_text.strip() == text.replace("\r\n", "\n").strip():
                    messages.success(request, "Nothing was changed, so no new version was saved.")
                    return HttpResponseRedirect(reverse("alignment:taxonomy"))
                if parsed.version == version:
                    form.add_error(
                        "text",
                        f"Give the taxonomy a new version: version {version} is the one in use, "
                        "and the analyses made with it must be able to say which they used.",
                    )
                else:
                    with transaction.atomic():
                        created = ThemeTaxonomy.objects.create(
                            text=new_text,
                            version=parsed.version,
                            created_by=request.user,
                            created_by_name=request.user.get_username(),
                        )
                        trail.record(
                            request.user,
                            created,
                            "create",
                            changes={"version": [version or None, parsed.version]},
                            via=VIA,
                        )
                    messages.success(
                        request,
                        f"Version {parsed.version} of the taxonomy is saved, with "
                        f"{len(parsed.themes)} themes. New analyses will use it.",
                    )
                    return HttpResponseRedirect(reverse("alignment:taxonomy"))
    return render(
        request,
        "alignment/taxonomy.html",
        {
            "form": form,
            "themes": themes,
            "version": version,
            "broken": broken,
            "saved": saved,
            "versions": ThemeTaxonomy.objects.defer("text")[:20],
            "may_change": may_change,
            "breadcrumbs": [
                {"label": "Home", "href": reverse("records:home")},
                {"label": "Theme taxonomy", "href": ""},
            ],
        },
    )


@login_required
def taxonomy_yaml(request: HttpRequest) -> HttpResponse:
    """The taxonomy in use, as its YAML file."""
    if not permissions.can(request.user, "view", "theme_taxonomy", permissions.Scope()):
        raise PermissionDenied("You may not see the theme taxonomy.")
    text, saved = pipeline.taxonomy_text()
    response = HttpResponse(text.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="themes.yaml"'
    trail.export(request, "theme taxonomy", "yaml", instance=saved)
    return response
