"""A request Django refuses to read (too many files, too large a body, a bad host) gets a plain
400: the GOV.UK-style page on the site, problem details in the API, and never a detail of what
the request held. The other error pages are tested in ``test_templates.py``."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from safeguarding.web.accounts.models import ApiToken
from safeguarding.web.dashboards.views import MAX_MEASURES_BYTES
from safeguarding.web.results import forms
from safeguarding.web.results.models import IndicatorLoad
from tests.conftest import World

UPLOAD = "/results/upload/"
TOO_BIG = "The request was too large or had too many files."
MB = 1024 * 1024


def _manager(world: World) -> Client:
    client = Client()
    client.force_login(world.users["business_manager"])
    return client


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"indicator,value\nsecret-figure,41\n", content_type="text/csv")


def _assert_headers(response: Any) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy


def _assert_no_details(page: str, *held: str) -> None:
    """The page names no setting, exception or anything the request carried."""
    for leak in ("DATA_UPLOAD", "TooMany", "RequestDataTooBig", "Traceback", "settings", *held):
        assert leak not in page, leak


def _assert_400_page(response: Any) -> str:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Your request could not be accepted" in page
    assert "govuk-header" in page and 'class="govuk-heading-l"' in page
    _assert_headers(response)
    return page


def test_too_many_files_get_the_400_page_with_the_limits(world: World) -> None:
    response = _manager(world).post(
        UPLOAD, {"label": "Two files", "file": [_file("first.csv"), _file("second.csv")]}
    )
    page = _assert_400_page(response)
    found = re.search(r"Upload at most 1 file of up to (\d+) MB each\.", page)
    assert TOO_BIG in page and found, page
    # The largest file any upload page takes: at least the results and measures limits.
    assert int(found[1]) * MB >= max(forms.MAX_UPLOAD_BYTES, MAX_MEASURES_BYTES)
    _assert_no_details(page, "first.csv", "second.csv", "secret-figure", "Two files")
    assert not IndicatorLoad.objects.exists()


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2, DOCUMENT_UPLOAD_MAX_BYTES=80 * MB)
def test_the_page_states_the_limits_in_force(world: World) -> None:
    files = [_file(f"part-{n}.csv") for n in range(3)]
    page = _assert_400_page(_manager(world).post(UPLOAD, {"label": "Three", "file": files}))
    assert f"{TOO_BIG} Upload at most 2 files of up to 80 MB each." in page


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=64 * 1024)
def test_too_large_a_body_gets_the_400_page(world: World) -> None:
    notes = "confidential-note " * 4000  # about 70 KB of form text, past the limit
    response = _manager(world).post(
        UPLOAD, {"label": "Big", "notes": notes, "file": _file("figures.csv")}
    )
    page = _assert_400_page(response)
    assert TOO_BIG in page
    _assert_no_details(page, "confidential-note", "figures.csv")
    assert not IndicatorLoad.objects.exists()


def test_another_bad_request_gets_the_plain_400_page(world: World) -> None:
    response = Client().get("/accounts/sign-in/", HTTP_HOST="attacker.example")
    page = _assert_400_page(response)
    assert "The request could not be read." in page
    assert TOO_BIG not in page
    _assert_no_details(page, "attacker.example", "ALLOWED_HOSTS")


def test_the_api_answers_too_large_a_body_with_a_400_problem(world: World) -> None:
    from django.conf import settings

    _, raw = ApiToken.issue(world.users["business_manager"], "too big")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"title": "x" * (limit + 1), "description": "-"})
    response = Client().post(
        "/api/v1/partnerships/tscp/priorities/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert (
        problem["detail"] == f"The request is too large: send a body of at most {limit // MB} MB."
    )
    _assert_headers(response)


def test_a_bad_host_under_the_api_gets_a_problem_not_a_page(db: None) -> None:
    response = Client().get("/api/v1/partnerships/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The request could not be read."
    _assert_headers(response)
