"""Pages for every record type: one set of generic views driven by the registry.

Who may see or do what is asked of ``safeguarding.web.permissions``; every change goes through
``safeguarding.web.records.services``, which checks again, validates and keeps the audit trail.
Records in a partnership or area the person cannot see are "not found", not "forbidden".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods

from safeguarding.catalogue import code_list
from safeguarding.web import permissions
from safeguarding.web.audit import trail
from safeguarding.web.records import models as records
from safeguarding.web.records import services
from safeguarding.web.records.display import Cell, audit_entries, cell, field_label
from safeguarding.web.records.forms import RecordForm, record_form_class
from safeguarding.web.records.listing import Row, build_listing
from safeguarding.web.records.overview import build_overview
from safeguarding.web.records.places import (
    PARTNERSHIP_TYPES,
    NotHere,
    Place,
    added_from_parent,
    child_types,
    parent_type,
    place_from,
    place_of,
    record_type_for,
    record_url,
)
from safeguarding.web.records.registry import BY_KEY, BY_SLUG, RecordType

#: The order of a partnership's records in its navigation.
NAV_ORDER = (
    "priorities",
    "actions",
    "updates",
    "priority-reviews",
    "reviews",
    "recommendations",
    "achievements",
    "challenges",
    "audits",
    "feedback",
    "annual-reports",
    "members",
    "subgroups",
)
NAV_LABELS = {"members": "Member agencies"}
#: Other apps' pages in a partnership's side navigation: each hook gives the items to add after
#: the overview (the dashboards app adds its pages here when it starts).
NAV_HOOKS: list[Callable[[records.Partnership, str], list[dict[str, Any]]]] = []
#: Other apps' sections on a record's page, by record type key: each hook gives a template
#: name and its context, or None to add nothing.
DETAIL_HOOKS: dict[str, list[Callable[[HttpRequest, models.Model], dict[str, Any] | None]]] = {}
#: Columns shown for child records on their parent's page, where they differ from the list's.
CHILD_COLUMNS = {
    "progress_update": ("date", "note", "rag", "evidence_url"),
    "delivery_action": ("title", "owner_agency", "due_date", "status", "rag"),
    "recommendation": ("number", "text", "owner_agency", "status", "target_date"),
    "priority_review": ("period", "outcome", "reviewed_on"),
    "strategy_theme": ("order", "title", "description"),
}
VIA = "web"


def plural(record_type: RecordType) -> str:
    return NAV_LABELS.get(record_type.slug, capfirst(record_type.label_plural))


# -- places and navigation --------------------------------------------------------------------


def _place(request: HttpRequest, slug: str | None = None, area_slug: str | None = None) -> Place:
    """The partnership or area an address names, if the person may see it; else "not found"."""
    try:
        return place_from(request.user, slug=slug, area_slug=area_slug)
    except NotHere:
        raise Http404("No such partnership or area here.") from None


def partnership_nav(partnership: records.Partnership, current: str) -> list[dict[str, Any]]:
    """The side navigation of a partnership's pages; ``current`` is a type slug, ``overview``
    or ``about``."""
    place = Place(partnership=partnership)
    items = [
        {
            "label": "Overview",
            "href": reverse("records:overview", args=[partnership.slug]),
            "current": current == "overview",
        }
    ]
    for hook in NAV_HOOKS:
        items += hook(partnership, current)
    for slug in NAV_ORDER:
        if slug in PARTNERSHIP_TYPES:
            record_type = BY_SLUG[slug]
            items.append(
                {
                    "label": plural(record_type),
                    "href": place.url(record_type, "list"),
                    "current": current == slug,
                }
            )
    items.append(
        {
            "label": "About the partnership",
            "href": reverse("records:about", args=[partnership.slug]),
            "current": current == "about",
        }
    )
    return items


def _layout(place: Place, record_type: RecordType | None, current: str = "") -> dict[str, Any]:
    """What every record page needs to draw its surroundings."""
    context: dict[str, Any] = {"place": place, "layout": "base.html"}
    crumbs = [{"label": "Home", "href": reverse("records:home")}]
    if place.partnership is not None:
        context["layout"] = "records/partnership_layout.html"
        context["partnership"] = place.partnership
        context["nav_items"] = partnership_nav(
            place.partnership, current or (record_type.slug if record_type else "")
        )
        crumbs.append(
            {
                "label": place.partnership.name,
                "href": reverse("records:overview", args=[place.partnership.slug]),
            }
        )
    elif place.area is not None:
        context["area"] = place.area
        crumbs.append({"label": place.area.name, "href": ""})
    if record_type is not None and record_type.key != "partnership":
        crumbs.append({"label": plural(record_type), "href": place.url(record_type, "list")})
    context["breadcrumbs"] = crumbs
    return context


def _record_layout(place: Place, record_type: RecordType) -> dict[str, Any]:
    """The surroundings of a record's form or delete page: a partnership's own are its "about"
    page's."""
    if record_type.key == "partnership" and place.partnership is not None:
        return _layout(place, None, "about")
    return _layout(place, record_type)


def _require(user: Any, action: permissions.Action, record_type: RecordType, place: Place) -> None:
    if not permissions.can(user, action, record_type.key, place.scope):
        raise PermissionDenied(f"You do not have permission to {action} these records.")


def _get(place: Place, record_type: RecordType, pk: int) -> models.Model:
    return get_object_or_404(place.records(record_type), pk=pk)


def _parent_page(instance: models.Model, record_type: RecordType) -> str:
    """Where to go after deleting: the parent's page for records shown there, else the list."""
    if added_from_parent(record_type) is not None:
        return record_url(getattr(instance, record_type.parent_field or ""))
    if record_type.key == "partnership":
        return reverse("records:home")
    return place_of(instance).url(record_type, "list")


def _parent_from_query(
    request: HttpRequest, place: Place, record_type: RecordType, parent: RecordType
) -> models.Model:
    """The parent named by ``?<parent_field>=<pk>``: it must be a record of this place."""
    raw = request.GET.get(record_type.parent_field or "", "")
    if not (raw.isascii() and raw.isdigit()):
        raise Http404(f"Add a {record_type.label} from its {parent.label}'s page.")
    found = place.records(parent).filter(pk=int(raw)).first()
    if found is None:
        raise Http404(f"No such {parent.label} here.")
    return found


# -- home, overview and the partnership itself ------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    partnerships = list(permissions.visible_partnerships(user).select_related("area"))
    agencies = dict(
        records.PartnerAgency.objects.filter(
            pk__in={r.agency_id for r in permissions.roles_of(user) if r.agency_id}
        ).values_list("pk", "name")
    )
    roles = code_list("roles")
    cards = []
    for partnership in partnerships:
        held = []
        for role in permissions.roles_in(user, partnership):
            label = roles.label(role.role)
            if role.agency_id:
                label = f"{label} for {agencies.get(role.agency_id, 'an agency')}"
            held.append(label)
        cards.append({"partnership": partnership, "roles": held})
    areas = list(permissions.visible_areas(user))
    return render(
        request,
        "records/home.html",
        {
            "cards": cards,
            "areas": [
                {
                    "area": area,
                    "links": [
                        {
                            "label": plural(BY_SLUG[s]),
                            "href": Place(area=area).url(BY_SLUG[s], "list"),
                        }
                        for s in ("strategies", "agencies")
                    ],
                }
                for area in areas
            ],
            "can_add_partnership": permissions.can(user, "add", "partnership", permissions.Scope()),
            "can_view_periods": permissions.can(
                user, "view", "reporting_period", permissions.Scope()
            ),
        },
    )


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    place = _place(request, slug)
    partnership = place.partnership
    _require(request.user, "view", BY_KEY["partnership"], place)
    data = build_overview(partnership, request.GET.get("period", "").strip())
    reviews = BY_SLUG["reviews"]
    stages = [
        {"stage": s, "href": place.url(reviews, "list") + f"?status={s.code}"} for s in data.stages
    ]
    quick_links = [
        {"label": f"Add a {BY_SLUG[s].label}", "href": place.url(BY_SLUG[s], "new")}
        for s in ("priorities", "actions", "reviews", "achievements", "challenges", "feedback")
        if permissions.can(request.user, "add", BY_SLUG[s].key, place.scope)
    ]
    context = _layout(place, None, "overview")
    context["breadcrumbs"] = context["breadcrumbs"][:1]
    return render(
        request,
        "records/overview.html",
        {
            **context,
            "overview": data,
            "stages": stages,
            "quick_links": quick_links,
            "actions_url": place.url(BY_SLUG["actions"], "list"),
            "recommendations_url": place.url(BY_SLUG["recommendations"], "list"),
            "reviews_url": place.url(reviews, "list"),
        },
    )


@login_required
def about(request: HttpRequest, slug: str) -> HttpResponse:
    place = _place(request, slug)
    partnership = place.partnership
    record_type = BY_KEY["partnership"]
    if not permissions.can_on(request.user, "view", partnership):
        raise PermissionDenied
    members = BY_SLUG["members"]
    subgroups = BY_SLUG["subgroups"]
    children = [
        _child_table(
            request,
            place,
            members,
            place.records(members).select_related("agency"),
            None,
        ),
        _child_table(request, place, subgroups, place.records(subgroups), None),
    ]
    return render(
        request,
        "records/record_detail.html",
        {
            **_layout(place, None, "about"),
            "record_type": record_type,
            "instance": partnership,
            "heading": partnership.name,
            "caption": "About the partnership",
            "rows": _detail_rows(partnership, record_type, place),
            "children": children,
            "history": audit_entries(partnership, trail.history(partnership)),
            "edit_url": reverse("records:partnership-edit", args=[slug])
            if permissions.can_on(request.user, "change", partnership)
            else "",
            "delete_url": reverse("records:partnership-delete", args=[slug])
            if permissions.can_on(request.user, "delete", partnership)
            else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_new(request: HttpRequest) -> HttpResponse:
    record_type = BY_KEY["partnership"]
    place = Place()
    if not permissions.can(request.user, "add", record_type.key, place.scope):
        raise services.refuse(request.user, "add", record_type.model(), VIA)
    return _form_page(request, place, record_type, record_type.model(), creating=True)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    place = _place(request, slug)
    if not permissions.can_on(request.user, "change", place.partnership):
        raise services.refuse(request.user, "change", place.partnership, VIA)
    return _form_page(request, place, BY_KEY["partnership"], place.partnership, False)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_delete(request: HttpRequest, slug: str) -> HttpResponse:
    place = _place(request, slug)
    return _delete_page(request, place, BY_KEY["partnership"], place.partnership)


# -- generic record pages -------------------------------------------------------------------


def _list_page(request: HttpRequest, place: Place, record_type: RecordType) -> HttpResponse:
    _require(request.user, "view", record_type, place)
    listing = build_listing(request.GET, place, record_type, request.user)
    parent = added_from_parent(record_type)
    can_add = parent is None and permissions.can(request.user, "add", record_type.key, place.scope)
    return render(
        request,
        "records/record_list.html",
        {
            **_layout(place, record_type),
            "record_type": record_type,
            "heading": plural(record_type),
            "listing": listing,
            "add_url": place.url(record_type, "new") if can_add else "",
            "added_from": parent.label if parent else "",
        },
    )


def _detail_rows(
    instance: models.Model, record_type: RecordType, place: Place
) -> list[tuple[str, Cell]]:
    names = list(record_type.fields)
    if added_from_parent(record_type) is not None:
        names.insert(0, record_type.parent_field or "")
    return [(field_label(type(instance), n), cell(instance, n, place)) for n in names]


@dataclass
class ChildTable:
    record_type: RecordType
    heading: str
    columns: list[str]
    rows: list[Row]
    add_url: str


def _child_table(
    request: HttpRequest,
    place: Place,
    record_type: RecordType,
    queryset: models.QuerySet[Any],
    parent: models.Model | None,
) -> ChildTable:
    names = [
        n
        for n in CHILD_COLUMNS.get(record_type.key, record_type.list_columns)
        if n != record_type.parent_field
    ]
    model = record_type.model
    related = [
        n
        for n in names
        if model._meta.get_field(n).is_relation and not model._meta.get_field(n).many_to_many
    ]
    rows = [
        Row(o, [cell(o, n, place) for n in names], place.url(record_type, "detail", o.pk))
        for o in queryset.select_related(*related)
    ]
    candidate = model()
    if parent is not None:
        setattr(candidate, record_type.parent_field or "", parent)
        allowed = permissions.can_on(request.user, "add", candidate)
        add_url = place.url(record_type, "new") + f"?{record_type.parent_field}={parent.pk}"
    else:
        allowed = permissions.can(request.user, "add", record_type.key, place.scope)
        add_url = place.url(record_type, "new")
    return ChildTable(
        record_type=record_type,
        heading=plural(record_type),
        columns=[field_label(model, n) for n in names],
        rows=rows,
        add_url=add_url if allowed else "",
    )


def _detail_page(
    request: HttpRequest, place: Place, record_type: RecordType, pk: int
) -> HttpResponse:
    instance = _get(place, record_type, pk)
    user = request.user
    if not permissions.can_on(user, "view", instance):
        raise PermissionDenied
    children = [
        _child_table(
            request,
            place,
            child,
            child.model._default_manager.filter(**{child.parent_field or "": instance}),
            instance,
        )
        for child in child_types(record_type)
    ]
    extras = [hook(request, instance) for hook in DETAIL_HOOKS.get(record_type.key, [])]
    return render(
        request,
        "records/record_detail.html",
        {
            **_layout(place, record_type),
            "record_type": record_type,
            "instance": instance,
            "heading": str(instance),
            "caption": capfirst(record_type.label),
            "rows": _detail_rows(instance, record_type, place),
            "children": children,
            "extras": [extra for extra in extras if extra],
            "history": audit_entries(instance, trail.history(instance)),
            "edit_url": place.url(record_type, "edit", pk)
            if permissions.can_on(user, "change", instance)
            else "",
            "delete_url": place.url(record_type, "delete", pk)
            if permissions.can_on(user, "delete", instance)
            else "",
        },
    )


def _form_page(
    request: HttpRequest,
    place: Place,
    record_type: RecordType,
    instance: models.Model,
    creating: bool,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    form_class = record_form_class(record_type)
    form: RecordForm
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, place=place, user=request.user)
        if form.is_valid():
            many_to_many = {
                name: form.cleaned_data[name]
                for name in record_type.fields
                if record_type.model._meta.get_field(name).many_to_many
            }
            try:
                saved = services.save_record(
                    request.user, form.instance, many_to_many=many_to_many, via=VIA
                )
            except ValidationError as error:
                form.add_model_errors(error)
            else:
                verb = "added" if creating else "saved"
                messages.success(request, f"{capfirst(record_type.label)} {verb}: {saved}")
                return HttpResponseRedirect(record_url(saved))
    else:
        form = form_class(instance=instance, initial=initial, place=place, user=request.user)
    parent_record = (
        getattr(instance, record_type.parent_field or "", None)
        if added_from_parent(record_type) is not None
        else None
    )
    if creating:
        heading = f"Add a {record_type.label}"
        cancel = (
            record_url(parent_record)
            if parent_record is not None
            else reverse("records:home")
            if record_type.key == "partnership"
            else place.url(record_type, "list")
        )
    else:
        heading = f"Change {record_type.label}"
        cancel = record_url(instance)
    return render(
        request,
        "records/record_form.html",
        {
            **_record_layout(place, record_type),
            "record_type": record_type,
            "form": form,
            "heading": heading,
            "caption": str(parent_record or (instance if not creating else "")),
            "cancel_url": cancel,
            "action_url": request.get_full_path(),
            "creating": creating,
        },
    )


def _new_page(request: HttpRequest, place: Place, record_type: RecordType) -> HttpResponse:
    user = request.user
    instance = place.new_record(record_type)
    initial: dict[str, Any] = {}
    parent = parent_type(record_type)
    from_parent = added_from_parent(record_type)
    if from_parent is not None:
        setattr(
            instance,
            record_type.parent_field or "",
            _parent_from_query(request, place, record_type, from_parent),
        )
        allowed = permissions.can_on(user, "add", instance)
    else:
        allowed = permissions.can(user, "add", record_type.key, place.scope)
        if parent is not None:
            # Coming from a parent's page (an action from its priority): choose it already.
            raw = request.GET.get(record_type.parent_field or "", "")
            if (
                raw.isascii()
                and raw.isdigit()
                and place.records(parent).filter(pk=int(raw)).exists()
            ):
                initial[record_type.parent_field or ""] = int(raw)
    if not allowed:
        raise services.refuse(user, "add", instance, VIA)
    return _form_page(request, place, record_type, instance, creating=True, initial=initial)


def _edit_page(
    request: HttpRequest, place: Place, record_type: RecordType, pk: int
) -> HttpResponse:
    instance = _get(place, record_type, pk)
    if not permissions.can_on(request.user, "change", instance):
        # Opening another agency's record to change it is an attempt too: it is logged.
        raise services.refuse(request.user, "change", instance, VIA)
    return _form_page(request, place, record_type, instance, creating=False)


def _delete_page(
    request: HttpRequest, place: Place, record_type: RecordType, instance: models.Model
) -> HttpResponse:
    if not permissions.can_on(request.user, "delete", instance):
        raise services.refuse(request.user, "delete", instance, VIA)
    problem = ""
    if request.method == "POST":
        after = _parent_page(instance, record_type)
        label = str(instance)
        try:
            services.delete_record(request.user, instance, via=VIA)
        except (ProtectedError, RestrictedError):
            problem = (
                f"This {record_type.label} cannot be deleted because other records use it. "
                "Change or delete those first."
            )
        else:
            messages.success(request, f"{capfirst(record_type.label)} deleted: {label}")
            return HttpResponseRedirect(after)
    return render(
        request,
        "records/record_delete.html",
        {
            **_record_layout(place, record_type),
            "record_type": record_type,
            "instance": instance,
            "heading": f"Are you sure you want to delete this {record_type.label}?",
            "problem": problem,
            "cancel_url": record_url(instance),
        },
        status=409 if problem else 200,
    )


# -- the URL entry points ---------------------------------------------------------------------
#
# One view a page serves every place: ``where`` holds a partnership's ``slug``, an area's
# ``area_slug``, or nothing for the platform's reporting periods; ``type_slug`` names the type.


def _place_and_type(
    request: HttpRequest, type_slug: str, slug: str | None = None, area_slug: str | None = None
) -> tuple[Place, RecordType]:
    """The place the address names (only one the person may see) and the record type in it."""
    place = _place(request, slug, area_slug)
    return place, record_type_for(place, type_slug)


@login_required
def record_list(request: HttpRequest, type_slug: str, **where: str) -> HttpResponse:
    return _list_page(request, *_place_and_type(request, type_slug, **where))


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, type_slug: str, **where: str) -> HttpResponse:
    return _new_page(request, *_place_and_type(request, type_slug, **where))


@login_required
def record_detail(request: HttpRequest, type_slug: str, pk: int, **where: str) -> HttpResponse:
    return _detail_page(request, *_place_and_type(request, type_slug, **where), pk)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, type_slug: str, pk: int, **where: str) -> HttpResponse:
    return _edit_page(request, *_place_and_type(request, type_slug, **where), pk)


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, type_slug: str, pk: int, **where: str) -> HttpResponse:
    place, record_type = _place_and_type(request, type_slug, **where)
    return _delete_page(request, place, record_type, _get(place, record_type, pk))
