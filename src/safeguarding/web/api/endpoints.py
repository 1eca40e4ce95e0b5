"""The JSON API (django-ninja): every record type in the registry, token-authenticated.

The operations are generated from ``safeguarding.web.records.registry`` so that a record type
added there appears here, with its schemas, filters and search. The behaviour lives in
``resources``; this module names the URLs and documents them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, URLPattern, re_path, resolve, reverse
from django.utils.text import capfirst
from django.views.decorators.csrf import csrf_exempt
from ninja import Body, NinjaAPI, Query, Schema, Status
from ninja.openapi.docs import Swagger
from ninja.operation import Operation

from safeguarding.web import permissions
from safeguarding.web.api import problems, schemas
from safeguarding.web.api.auth import BearerToken
from safeguarding.web.api.resources import (
    Place,
    Resource,
    area_place,
    partnership_place,
    strategy_place,
)
from safeguarding.web.records.registry import RECORD_TYPES, RecordType

DESCRIPTION = """
The records of the safeguarding partnerships on this platform: partnerships and their members,
subgroups, priorities and their yearly reviews, delivery-plan actions and progress updates,
achievements, challenges, learning reviews and their recommendations, multi-agency audits,
lived-experience feedback; each local area's partner agencies and strategies with their themes;
and the reporting periods (financial years) they are reported against.

**Signing in.** Send an API token with every request: `Authorization: Bearer <token>`. A token
acts for the person it was issued to, with exactly that person's permissions on the web pages:
a business manager may change everything in their partnership, an agency contributor only the
actions, progress updates and recommendations their agency owns, a board member may only read.
Sessions and cookies are not accepted.

**Where records live.** A partnership's records are under `/partnerships/{slug}/`, an area's
agencies and strategies under `/areas/{area_slug}/`, a strategy's themes under
`/areas/{area_slug}/strategies/{strategy_id}/themes/` and reporting periods under `/periods/`.
Records that hang from another record rather than from the partnership (progress updates from
an action, recommendations from a learning review, priority reviews from a priority) are listed
with the partnership's other records: give the parent's id in the body when you create one
(`action`, `review` or `priority`), and filter a list by it (`?action=12`). The parent cannot
be changed afterwards.

**Lists** take `limit` (1 to 500, default 50) and `offset`, return `count` (all matching
records) and `items`, and can be filtered on the parameters shown; `q` searches the main text
fields.

**Values.** Code-list fields take one code (`status: "in_progress"`); responses add the label
(`status_label`). Multi-code fields take a list of codes. Links to other records are ids,
many-to-many links lists of ids. Dates are written `2025-03-31`. Fields a record does not have,
or that cannot be set (such as `id` or a `..._label`), are refused rather than ignored, so that
a misspelt field name is reported. A partial update (`PATCH`) changes only the fields sent.

**Errors** are problem details (RFC 9457, `application/problem+json`) with `type`, `title`,
`status` and `detail`: 401 no or bad token; 403 not allowed (refused attempts to change records
are kept in the audit trail); 404 not found, including records the token's person cannot see;
409 a record others depend on cannot be deleted (`dependents` says which); 422 values that need
correcting, listed in `errors` as `{"field": ..., "message": ...}`.

Every change made through the API is kept in the record's audit trail, marked as made via the
API.
""".strip()

PROBLEMS = {401: problems.Schema, 403: problems.Schema, 404: problems.Schema}


class PlatformAPI(NinjaAPI):
    """A NinjaAPI whose every answer, even for an unknown address, is JSON."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def validation_error_from_error_contexts(self, error_contexts: list[Any]) -> Any:
        from ninja.errors import ValidationError

        return ValidationError(problems.friendly_request_errors(error_contexts))

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[Any] = []
        for pattern in patterns:
            if pattern.name == "api-root":
                callback = functools.partial(_index, api=self)
            else:
                callback = _problem_on_not_allowed(pattern.callback)
            wrapped.append(
                URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)
            )
        wrapped.append(re_path(r"^", _not_found, name="not-found"))
        return wrapped, app_name, namespace


def _problem_on_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send "method not allowed" as problem details too."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != (
            problems.PROBLEM_CONTENT_TYPE
        ):
            allowed = response.get("Allow", "")
            return problems.response(
                405,
                f"This address does not accept {request.method}; it accepts {allowed}.",
                headers={"Allow": allowed},
            )
        return response

    # No session authentication reaches the API, so there is nothing for CSRF to protect.
    return csrf_exempt(wrapper)


@csrf_exempt
def _not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    detail = "There is nothing at this address. The API's addresses are in its OpenAPI document."
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not-found":
            detail = f"There is nothing at this address. Did you mean {request.path}/ ?"
    return problems.response(404, detail)


def _index(request: HttpRequest, api: PlatformAPI, **kwargs: Any) -> HttpResponse:
    namespace = api.urls_namespace
    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "openapi": reverse(f"{namespace}:openapi-json"),
            "docs": reverse(f"{namespace}:openapi-view"),
        }
    )


api = PlatformAPI(
    title="Safeguarding Partnership Platform API",
    version="1",
    description=DESCRIPTION,
    auth=BearerToken(),
    # The Swagger UI files come with django-ninja and are served from this site, not a CDN;
    # the online validator would send the document elsewhere, so it is off.
    docs=Swagger(settings={"validatorUrl": None}),
)
problems.install(api)


# --- generated operations -----------------------------------------------------------------

_KW = inspect.Parameter.KEYWORD_ONLY


def _operation(
    name: str, handler: Callable[..., Any], parameters: list[inspect.Parameter]
) -> Callable[..., Any]:
    """A view function with the signature ninja reads its parameters from."""

    def view(request: HttpRequest, **kwargs: Any) -> Any:
        return handler(request, **kwargs)

    view.__name__ = view.__qualname__ = name
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD), *parameters]
    )
    return view


class Routes:
    """The addresses of one record type and how to find its place from them."""

    def __init__(self, record_type: RecordType) -> None:
        self.record_type = record_type
        if record_type.key == "partnership":
            self.collection = "/partnerships/"
            self.item = "/partnerships/{slug:slug}"
            self.place_parameters: list[tuple[str, type]] = []
            self.key: tuple[str, type] = ("slug", str)
            self.where = ""
        elif record_type.partnership_path:
            self.collection = f"/partnerships/{{slug:slug}}/{record_type.slug}/"
            self.item = self.collection + "{int:id}"
            self.place_parameters = [("slug", str)]
            self.key = ("id", int)
            self.where = " of a partnership"
        elif record_type.parent_field == "strategy":
            self.collection = (
                f"/areas/{{slug:area_slug}}/strategies/{{int:strategy_id}}/{record_type.slug}/"
            )
            self.item = self.collection + "{int:id}"
            self.place_parameters = [("area_slug", str), ("strategy_id", int)]
            self.key = ("id", int)
            self.where = " of a strategy"
        elif record_type.area_path:
            self.collection = f"/areas/{{slug:area_slug}}/{record_type.slug}/"
            self.item = self.collection + "{int:id}"
            self.place_parameters = [("area_slug", str)]
            self.key = ("id", int)
            self.where = " of a local area"
        else:
            self.collection = f"/{record_type.slug}/"
            self.item = self.collection + "{int:id}"
            self.place_parameters = []
            self.key = ("id", int)
            self.where = ""

    def place(self, user: Any, values: dict[str, Any]) -> Place:
        if self.record_type.key == "partnership" or not self.place_parameters:
            return Place()
        if "strategy_id" in values:
            return strategy_place(user, values["area_slug"], values["strategy_id"])
        if "area_slug" in values:
            return area_place(user, values["area_slug"])
        return partnership_place(user, values["slug"])

    def path_parameters(self, *, item: bool) -> list[inspect.Parameter]:
        names = list(self.place_parameters) + ([self.key] if item else [])
        return [inspect.Parameter(name, _KW, annotation=kind) for name, kind in names]


def _parent_note(record_type: RecordType) -> str:
    parent = schemas.body_parent(record_type)
    if not parent:
        return ""
    noun = record_type.model._meta.get_field(parent).related_model._meta.verbose_name
    return (
        f" A {record_type.label} belongs to a {noun}: give its id as `{parent}` when creating "
        f"one (the {noun} must be in the same partnership; it cannot be changed later), and "
        f"use `?{parent}=<id>` to list the {record_type.label_plural} of one {noun}."
    )


def register(record_type: RecordType) -> None:
    """Add the list, read, create, change and delete operations of ``record_type``."""
    resource = Resource(record_type)
    routes = Routes(record_type)
    key_name = routes.key[0]
    label, plural = record_type.label, record_type.label_plural
    tags = [capfirst(plural)]
    note = _parent_note(record_type)
    output = schemas.output_schema(record_type)

    def place_of(request: HttpRequest, values: dict[str, Any]) -> Place:
        return routes.place(request.auth, values)

    def list_records(request: HttpRequest, **values: Any) -> Any:
        filters = values.pop("filters")
        return resource.list(request.auth, place_of(request, values), filters)

    def get_record(request: HttpRequest, **values: Any) -> Any:
        key = values.pop(key_name)
        return resource.get(request.auth, place_of(request, values), key)

    def create_record(request: HttpRequest, **values: Any) -> Any:
        payload = values.pop("payload")
        return Status(201, resource.create(request.auth, place_of(request, values), payload))

    def update_record(request: HttpRequest, **values: Any) -> Any:
        payload = values.pop("payload")
        key = values.pop(key_name)
        return resource.update(request.auth, place_of(request, values), key, payload)

    def delete_record(request: HttpRequest, **values: Any) -> Any:
        key = values.pop(key_name)
        resource.delete(request.auth, place_of(request, values), key)
        return Status(204, None)

    collection_parameters = routes.path_parameters(item=False)
    item_parameters = routes.path_parameters(item=True)
    filters = inspect.Parameter(
        "filters",
        _KW,
        annotation=Query[schemas.filter_schema(record_type)],  # type: ignore[misc]
    )
    new = inspect.Parameter(
        "payload",
        _KW,
        annotation=Body[schemas.create_schema(record_type)],  # type: ignore[misc]
    )
    changes = inspect.Parameter(
        "payload",
        _KW,
        annotation=Body[schemas.patch_schema(record_type)],  # type: ignore[misc]
    )
    key = record_type.key
    invalid = {422: problems.Schema}
    conflict = {409: problems.Schema}

    api.get(
        routes.collection,
        response={200: schemas.list_schema(record_type), **PROBLEMS, **invalid},
        summary=f"List {plural}",
        description=f"The {plural}{routes.where}, a page at a time, filtered and searched." + note,
        tags=tags,
    )(_operation(f"list_{key}", list_records, [*collection_parameters, filters]))
    api.post(
        routes.collection,
        response={201: output, **PROBLEMS, **conflict, **invalid},
        summary=f"Create a {label}",
        description=f"Make a new {label}{routes.where}." + note,
        tags=tags,
    )(_operation(f"create_{key}", create_record, [*collection_parameters, new]))
    api.get(
        routes.item,
        response={200: output, **PROBLEMS},
        summary=f"Read a {label}",
        tags=tags,
    )(_operation(f"get_{key}", get_record, item_parameters))
    api.patch(
        routes.item,
        response={200: output, **PROBLEMS, **conflict, **invalid},
        summary=f"Change a {label}",
        description=f"Change some fields of a {label}: send only those fields." + note,
        tags=tags,
    )(_operation(f"update_{key}", update_record, [*item_parameters, changes]))
    api.delete(
        routes.item,
        response={204: None, **PROBLEMS, **conflict},
        summary=f"Delete a {label}",
        description=f"Delete a {label}. A record that others depend on cannot be deleted (409).",
        tags=tags,
    )(_operation(f"delete_{key}", delete_record, item_parameters))


class AreaSchema(Schema):
    """A local area: the council whose partnerships and strategy sit on the platform."""

    id: int
    name: str
    slug: str
    council_code: str


@api.get(
    "/areas/",
    response={200: list[AreaSchema], **PROBLEMS},
    summary="List local areas",
    description="The local areas whose agencies and strategies the token's person can see.",
    tags=["Local areas"],
)
def list_areas(request: HttpRequest) -> Any:
    return list(permissions.visible_areas(request.auth).order_by("name", "pk"))


for _record_type in RECORD_TYPES:
    register(_record_type)
