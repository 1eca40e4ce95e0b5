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
from safeguarding.web.api.resources import Resource, place_from
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
`status` and `detail`: 400 a body that is not JSON or is larger than 5 MB; 401 no or bad token;
403 not allowed (refused attempts to change records are kept in the audit trail); 404 not
found, including records the token's person cannot see; 409 a record others depend on cannot be
deleted (`dependents` says which); 422 values that need correcting, listed in `errors` as
`{"field": ..., "message": ...}`.

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
    resource: Resource,
    method: str,
    status: int,
    place_parameters: list[inspect.Parameter],
    parameters: list[inspect.Parameter],
) -> Callable[..., Any]:
    """A view function with the signature ninja reads its parameters from.

    It finds the place the path names (or answers "not found"), then calls the ``method`` of
    ``resource`` with the token's person, that place and the other ``parameters`` in order.
    """

    def view(request: HttpRequest, **values: Any) -> Any:
        place = place_from(request.auth, **{p.name: values[p.name] for p in place_parameters})
        handler = getattr(resource, method)
        result = handler(request.auth, place, *(values[p.name] for p in parameters))
        return result if status == 200 else Status(status, result)

    view.__name__ = view.__qualname__ = f"{method}_{resource.record_type.key}"
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            *place_parameters,
            *parameters,
        ]
    )
    return view


#: Where each kind of record sits among the addresses: the path before its type's slug, the
#: place parameters that path takes, and how a description says where the records are.
_Where = tuple[str, tuple[tuple[str, type], ...], str]
_AT_PARTNERSHIP: _Where = ("/partnerships/{slug:slug}", (("slug", str),), " of a partnership")
_AT_STRATEGY: _Where = (
    "/areas/{slug:area_slug}/strategies/{int:strategy_id}",
    (("area_slug", str), ("strategy_id", int)),
    " of a strategy",
)
_AT_AREA: _Where = ("/areas/{slug:area_slug}", (("area_slug", str),), " of a local area")
_AT_PLATFORM: _Where = ("", (), "")


class Routes:
    """The addresses of one record type and the parameters that name its place and a record."""

    def __init__(self, record_type: RecordType) -> None:
        if record_type.partnership_path:
            where = _AT_PARTNERSHIP
        elif record_type.parent_field == "strategy":
            where = _AT_STRATEGY
        elif record_type.area_path:
            where = _AT_AREA
        else:
            where = _AT_PLATFORM
        prefix, place_parameters, self.where = where
        self.place_parameters = [
            inspect.Parameter(name, _KW, annotation=kind) for name, kind in place_parameters
        ]
        self.collection = f"{prefix}/{record_type.slug}/"
        if record_type.key == "partnership":
            # Partnerships are found by their slug, not their id.
            self.item = self.collection + "{slug:slug}"
            self.key = inspect.Parameter("slug", _KW, annotation=str)
        else:
            self.item = self.collection + "{int:id}"
            self.key = inspect.Parameter("id", _KW, annotation=int)


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
    label, plural = record_type.label, record_type.label_plural
    note = _parent_note(record_type)
    output = schemas.output_schema(record_type)

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
    key = routes.key
    invalid = {422: problems.Schema}
    conflict = {409: problems.Schema}
    # (add, address, Resource method, success status and body, parameters, problems, summary,
    # description)
    operations = (
        (
            api.get,
            routes.collection,
            "list",
            (200, schemas.list_schema(record_type)),
            [filters],
            invalid,
            f"List {plural}",
            f"The {plural}{routes.where}, a page at a time, filtered and searched." + note,
        ),
        (
            api.post,
            routes.collection,
            "create",
            (201, output),
            [new],
            {**conflict, **invalid},
            f"Create a {label}",
            f"Make a new {label}{routes.where}." + note,
        ),
        (api.get, routes.item, "get", (200, output), [key], {}, f"Read a {label}", None),
        (
            api.patch,
            routes.item,
            "update",
            (200, output),
            [key, changes],
            {**conflict, **invalid},
            f"Change a {label}",
            f"Change some fields of a {label}: send only those fields." + note,
        ),
        (
            api.delete,
            routes.item,
            "delete",
            (204, None),
            [key],
            conflict,
            f"Delete a {label}",
            f"Delete a {label}. A record that others depend on cannot be deleted (409).",
        ),
    )
    for add, path, method, (status, body), parameters, more, summary, description in operations:
        add(
            path,
            response={status: body, **PROBLEMS, **more},
            summary=summary,
            description=description,
            tags=[capfirst(plural)],
        )(_operation(resource, method, status, routes.place_parameters, parameters))


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
