"""Errors as RFC 9457 problem details, with messages a council analyst can act on.

Every error the API returns is a JSON object sent as ``application/problem+json`` with the
members ``type``, ``title``, ``status`` and ``detail``; validation errors add ``errors``, a list
of ``{"field": ..., "message": ...}``, and a record that others depend on adds ``dependents``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from pydantic import BaseModel

from safeguarding.web.api.schemas import SCHEMA_FIELDS, FieldDoc, field_doc

log = logging.getLogger("safeguarding.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
_TITLES = {422: "Unprocessable Content"}


class Problem(Exception):
    """An error to send back as problem details."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


class Schema(BaseModel):
    """The problem details the API sends with every error (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class FieldError(BaseModel):
    """One value that needs correcting."""

    field: str | None
    message: str


Schema.model_rebuild()


def title_of(status: int) -> str:
    return _TITLES.get(status) or HTTPStatus(status).phrase


def response(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """A problem-details response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title_of(status),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    result = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        result[name] = value
    return result


def not_found(what: str) -> Problem:
    return Problem(404, f"There is no {what} here that you can see.")


def is_too_big(exc: Exception) -> bool:
    """Whether ``exc`` is Django refusing a request for its size or its number of fields or
    files (the limits ``DATA_UPLOAD_MAX_*`` in the settings)."""
    return isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent)


def bad_request(exc: Exception) -> HttpResponse:
    """The answer to a request Django would not read: too large, or malformed."""
    if is_too_big(exc):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return response(400, f"The request is too large: send a body of at most {limit} MB.")
    return response(400, "The request could not be read.")


# --- request validation -------------------------------------------------------------------


def _quoted(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _missing_message(doc: FieldDoc) -> str:
    label = doc.label[0].lower() + doc.label[1:]
    if doc.kind == "date":
        return f"Enter the {label}, like 2025-03-31"
    if doc.kind == "reference":
        return f"Choose the {label}: give its id"
    if doc.kind == "references":
        return f"Choose at least one of the {label}: give a list of ids"
    if doc.kind == "code":
        return "Choose one of: " + ", ".join(doc.codes)
    return f"Enter the {label}"


def _pydantic_message(error: dict[str, Any], doc: FieldDoc | None) -> str:
    """A plain-English message for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing" and doc:
        return _missing_message(doc)
    if kind == "missing":
        return "This is required"
    if kind == "extra_forbidden":
        return "This is not a field you can set here: remove it or check its spelling"
    if kind == "literal_error":
        allowed = ", ".join(doc.codes) if doc and doc.codes else ctx.get("expected", "")
        return f"{_quoted(value)} is not a code on the list. Choose one of: {allowed}"
    if kind == "string_type":
        return "Enter text, in quotes"
    if kind == "string_unicode":
        return "The text contains characters that are not valid"
    if kind == "string_too_long":
        return f"Enter no more than {ctx.get('max_length')} characters"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        if doc and doc.kind in ("reference", "references"):
            return "Give the id of a record, as a whole number"
        return "Enter a whole number"
    if kind in ("greater_than_equal", "greater_than"):
        if doc and doc.kind in ("reference", "references"):
            return "Give the id of a record, as a whole number from 1"
        return f"Enter a number of at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        if doc and doc.kind in ("reference", "references"):
            return "There is no record with an id that large"
        return f"Enter a number no bigger than {ctx.get('le', ctx.get('lt'))}"
    if kind in ("bool_parsing", "bool_type"):
        return "Enter true or false"
    if kind == "list_type":
        return (
            "Give a list, like [1, 2]"
            if doc and doc.kind == "references"
            else ('Give a list, like ["first", "second"]')
        )
    if kind == "too_short":
        return "Choose at least one"
    if kind == "too_long":
        return f"Choose no more than {ctx.get('max_length')}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return 'Send the record as a JSON object, like {"title": "..."}'
    if kind == "none_required" or kind.endswith("_type"):
        return "This value is not of the right kind"
    # Custom errors (dates, text) already carry a plain-English message.
    return str(error.get("msg", "This value is not valid"))


def _schema_in(context_model: type[BaseModel], param: str) -> type[BaseModel] | None:
    field = context_model.model_fields.get(param)
    annotation = getattr(field, "annotation", None)
    if isinstance(annotation, type) and annotation in SCHEMA_FIELDS:
        return annotation
    return None


def friendly_request_errors(contexts: Iterable[Any]) -> list[dict[str, Any]]:
    """Turn ninja's validation contexts into ``{"field", "message"}`` pairs."""
    errors: list[dict[str, Any]] = []
    for context in contexts:
        model = context.model
        flatten = getattr(model, "__ninja_flatten_map__", {})
        for error in context.pydantic_validation_error.errors(include_url=False):
            loc = tuple(error["loc"])
            # Ninja flattens query parameters: map the name back to the schema it belongs to.
            if len(loc) == 1 and loc[0] in flatten:
                loc = tuple(flatten[loc[0]])
            param = loc[0] if loc else None
            schema = _schema_in(model, param) if isinstance(param, str) else None
            names = [part for part in loc[1:] if isinstance(part, str)] if schema else []
            if schema is None and isinstance(param, str):
                names = [param]
            name = names[0] if names else None
            doc = SCHEMA_FIELDS.get(schema, {}).get(name) if schema and name else None
            message = _pydantic_message(error, doc)
            label = doc.label if doc else name
            errors.append({"field": name, "message": f"{label}: {message}" if label else message})
    return errors


# --- model validation ---------------------------------------------------------------------


def _model_field_doc(model: type[models.Model], name: str) -> FieldDoc | None:
    try:
        return field_doc(model._meta.get_field(name))
    except Exception:  # a name that is not a field (e.g. a model's clean() key)
        return None


def friendly_model_errors(
    model: type[models.Model], error: ValidationError
) -> list[dict[str, Any]]:
    """Turn a model's ``full_clean`` errors into ``{"field", "message"}`` pairs."""
    errors: list[dict[str, Any]] = []
    by_field = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: [error]}
    for name, field_errors in by_field.items():
        doc = None if name == NON_FIELD_ERRORS else _model_field_doc(model, name)
        for item in field_errors:
            for single in item.error_list if hasattr(item, "error_list") else [item]:
                text = " ".join(single.messages)
                if doc and single.code in ("blank", "required", "null"):
                    text = _missing_message(doc)
                text = text.rstrip(".")
                if name == NON_FIELD_ERRORS:
                    errors.append({"field": None, "message": text})
                else:
                    label = doc.label if doc else name
                    errors.append({"field": name, "message": f"{label}: {text}"})
    return errors


def validation_problem(errors: list[dict[str, Any]]) -> Problem:
    count = len(errors)
    values = "value needs" if count == 1 else "values need"
    return Problem(422, f"{count} {values} correcting: see errors.", errors=errors)


def _dependents(exc: ProtectedError | RestrictedError) -> list[dict[str, Any]]:
    counts = Counter(
        (str(o._meta.verbose_name), str(o._meta.verbose_name_plural)) for o in exc.args[1]
    )
    return [
        {"record_type": plural if n != 1 else single, "count": n}
        for (single, plural), n in sorted(counts.items())
    ]


# --- handlers -----------------------------------------------------------------------------


def install(api: NinjaAPI) -> None:
    """Make every error ``api`` can meet come back as problem details."""

    def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return response(exc.status, exc.detail, errors=exc.errors, headers=exc.headers, **exc.extra)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        failure = getattr(request, "_api_auth_failure", "missing")
        if failure == "missing":
            detail = "Send an API token in the header 'Authorization: Bearer <token>'."
            challenge = 'Bearer realm="api"'
        else:
            detail = "The API token is not valid: it may be mistyped, revoked or expired."
            challenge = 'Bearer realm="api", error="invalid_token"'
        return response(401, detail, headers={"WWW-Authenticate": challenge})

    def on_request_validation(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
        errors = [
            e if {"field", "message"} <= set(e) else {"field": None, "message": str(e)}
            for e in exc.errors
        ]
        problem = validation_problem(errors)
        return on_problem(request, problem)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            return response(400, "The request body is not valid JSON: send a JSON object.")
        return response(exc.status_code, str(exc))

    def on_model_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # Views convert these with the record's model; this catches any that slip through.
        return on_problem(request, validation_problem(friendly_model_errors(models.Model, exc)))

    def on_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        detail = str(exc) or "You do not have permission to do this."
        return response(403, detail)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return response(404, "There is nothing here that you can see.")

    def on_protected(request: HttpRequest, exc: ProtectedError | RestrictedError) -> HttpResponse:
        dependents = _dependents(exc)
        listed = ", ".join(f"{d['count']} {d['record_type']}" for d in dependents)
        detail = (
            f"This record cannot be deleted because other records depend on it ({listed}). "
            "Change or delete those first."
        )
        return response(409, detail, dependents=dependents)

    def on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        log.warning("integrity error on %s %s: %s", request.method, request.path, exc)
        return response(
            409, "The change clashes with another record, perhaps one saved at the same moment."
        )

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Django's limits on a request's size, fields and files are met as the body is read,
        # inside the API: answered as Django answers them elsewhere, a 400, not a 500.
        logging.getLogger(f"django.security.{type(exc).__name__}").warning(
            "%s %s: %s", request.method, request.path, exc
        )
        return bad_request(exc)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return response(
            500,
            "Something went wrong on our side. Please check whether your change was saved, "
            "try again, and tell your administrator if it happens again.",
        )

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(RequestValidationError, on_request_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_model_validation)
    api.add_exception_handler(PermissionDenied, on_permission)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ProtectedError, on_protected)
    api.add_exception_handler(RestrictedError, on_protected)
    api.add_exception_handler(IntegrityError, on_integrity)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Exception, on_unexpected)
