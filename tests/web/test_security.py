"""Access hardening: security headers and the Content Security Policy on every response,
cookie flags, sign-in throttling, password rules, and Django's deployment checks."""

from __future__ import annotations

import datetime
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from safeguarding.web import security
from safeguarding.web.accounts.models import ApiToken, RoleAssignment
from safeguarding.web.reports.models import AnnualReport, PublishedReport
from tests.conftest import PASSWORD, World

SIGN_IN = "/accounts/sign-in/"
LOCKED_OUT = "Too many attempts. Try again in 15 minutes."
SETTINGS_FILE = Path(security.__file__).with_name("settings.py")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _directives(header: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        found[name] = sources
    return found


def _assert_common_headers(response: Any) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in response["Permissions-Policy"]


def _assert_page_policy(response: Any) -> None:
    directives = _directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    script = directives["script-src"]
    assert script[0] == "'self'" and len(script) == 2 and script[1].startswith("'sha256-")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def _fail(client: Client, username: str, times: int, **extra: Any) -> list[Any]:
    return [
        client.post(SIGN_IN, {"username": username, "password": "wrong-password"}, **extra)
        for _ in range(times)
    ]


def _sign_in(client: Client, username: str, **extra: Any) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": PASSWORD}, **extra)


# --- headers and the Content Security Policy ------------------------------------------------


def test_the_sign_in_page_carries_the_strict_policy_and_its_one_script_hash(db: None) -> None:
    response = Client().get(SIGN_IN)
    assert response.status_code == 200
    _assert_common_headers(response)
    _assert_page_policy(response)
    # The hash allowed is the hash of the inline script the page really has, and no other.
    scripts = INLINE_SCRIPT.findall(response.content.decode())
    assert len(scripts) == 1
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"][1] == security.source_hash(scripts[0])


def test_signed_in_pages_and_error_pages_carry_the_headers(world: World) -> None:
    client = Client()
    client.force_login(world.users["business_manager"])
    for path, status in (("/partnerships/tscp/", 200), ("/no-such-page/", 404)):
        response = client.get(path)
        assert response.status_code == status
        _assert_common_headers(response)
        _assert_page_policy(response)


def test_api_answers_carry_the_headers_with_or_without_a_token(world: World) -> None:
    refused = Client().get("/api/v1/partnerships/")
    assert refused.status_code == 401
    _, raw = ApiToken.issue(world.users["business_manager"], "headers")
    answered = Client().get("/api/v1/partnerships/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answered.status_code == 200
    for response in (refused, answered):
        _assert_common_headers(response)
        assert _directives(response["Content-Security-Policy"])["default-src"] == ["'none'"]


def test_the_report_policy_allows_its_own_styles_but_no_script() -> None:
    directives = _directives(security.REPORT_POLICY)
    assert directives["script-src"] == ["'none'"]
    assert directives["style-src"] == ["'unsafe-inline'"]
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "sandbox" in directives and directives["sandbox"] == []


def test_a_published_report_file_gets_the_report_policy(world: World) -> None:
    report = AnnualReport.objects.create(partnership=world.children, period=world.period)
    PublishedReport(
        report=report,
        number=1,
        published_by=world.users["business_manager"],
        published_by_name="manager",
        html="<style>p { color: #0b0c0c; }</style><p>The year in brief.</p>",
        pdf=b"%PDF-1.7",
        docx=b"PK",
    ).save()
    url = reverse("reports:public-file", args=["tscp", world.period.label, 1, "html"])
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == security.REPORT_POLICY
    _assert_common_headers(response)
    # The list of versions around it is an ordinary page with the page policy.
    listing = Client().get(reverse("reports:public", args=["tscp", world.period.label]))
    assert listing["Content-Security-Policy"] == security.PAGE_POLICY


def test_the_draft_report_gets_the_report_policy(world: World) -> None:
    report = AnnualReport.objects.create(partnership=world.children, period=world.period)
    client = Client()
    client.force_login(world.users["board_member"])
    response = client.get(reverse("reports:draft", args=["tscp", report.pk, "html"]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == security.REPORT_POLICY
    assert b"<script" not in response.content


def test_an_inline_script_hash_is_computed_from_the_template(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text('<script>go()</script><script src="/static/x.js"></script>')
    assert security.inline_script_hashes(template) == [security.source_hash("go()")]
    # The SHA-256 of "go()" in base64, worked out independently.
    assert security.source_hash("go()") == "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"


# --- cookies and sessions -------------------------------------------------------------------


def test_session_and_csrf_cookies_are_http_only_and_same_site(world: World) -> None:
    client = Client()
    client.get(SIGN_IN)
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = _sign_in(client, "board")
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    # A browser-session cookie: gone when the browser closes; the server ends it after 8 hours.
    assert not session["max-age"] and not session["expires"]
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def _settings_under(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The settings module's values as it would set them with ``env``, without touching the
    settings this process runs on."""
    monkeypatch.setenv("SAFEGUARDING_SECRET_KEY", "x" * 60)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE), run_name="settings_under_test")


def test_https_mode_makes_cookies_secure_and_turns_on_hsts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = _settings_under(monkeypatch, SAFEGUARDING_HTTPS="0")
    assert not plain.get("SESSION_COOKIE_SECURE") and not plain.get("SECURE_SSL_REDIRECT")
    https = _settings_under(monkeypatch, SAFEGUARDING_HTTPS="1")
    assert https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"]
    assert https["SECURE_SSL_REDIRECT"] and https["SECURE_HSTS_SECONDS"] >= 31536000
    assert https["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert https["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert https["CSRF_COOKIE_NAME"].startswith("__Host-")


def test_https_mode_redirects_plain_requests_and_sends_secure_cookies(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    https = {
        name: value
        for name, value in _settings_under(monkeypatch, SAFEGUARDING_HTTPS="1").items()
        if name.startswith(("SESSION_", "CSRF_", "SECURE_"))
    }
    with override_settings(**https):
        # The client is made here so that its middleware reads the HTTPS settings.
        client = Client()
        plain = client.get(SIGN_IN)
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        proxied = {"HTTP_X_FORWARDED_PROTO": "https"}
        page = client.get(SIGN_IN, **proxied)
        assert page.status_code == 200
        assert page["Strict-Transport-Security"].startswith("max-age=31536000")
        assert page.cookies["__Host-csrftoken"]["secure"]
        response = _sign_in(client, "board", **proxied)
        assert response.status_code == 302
        session = response.cookies["__Host-sessionid"]
        assert session["secure"] and session["httponly"] and session["path"] == "/"
        assert not session["domain"]


def test_deploy_checks_pass_in_https_mode(tmp_path: Path) -> None:
    # Not the debug switch, nor the browser tests' permission for sync code in async contexts.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SAFEGUARDING_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        SAFEGUARDING_HTTPS="1",
        SAFEGUARDING_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="safeguarding.web.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "ERROR"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    warnings = set(re.findall(r"\(([\w.]+)\)", result.stdout + result.stderr))
    # HSTS preload binds every host under the domain: a decision for the domain's owner.
    assert warnings <= {"security.W021"}, result.stdout + result.stderr


# --- sign-in throttling ---------------------------------------------------------------------


def test_five_failures_lock_the_username_out_from_that_address(world: World) -> None:
    client = Client()
    first_four = _fail(client, "board", 4)
    assert [r.status_code for r in first_four] == [200] * 4
    assert "Enter a correct username and password" in first_four[-1].content.decode()
    fifth = _fail(client, "board", 1)[0]
    assert fifth.status_code == 429
    # Even the right password is refused while locked out, and nobody is signed in.
    locked = _sign_in(client, "board")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_OUT in page
    assert '<h1 class="govuk-heading-l">Too many sign-in attempts</h1>' in page
    assert "Traceback" not in page
    assert locked["Retry-After"] == "900"
    _assert_page_policy(locked)
    assert client.get("/partnerships/tscp/").status_code == 302


def test_a_lockout_is_for_one_username_from_one_address(world: World) -> None:
    _fail(Client(), "board", 5)
    assert _sign_in(Client(), "board").status_code == 429
    # Another person at the same address, and the same person elsewhere, still sign in.
    assert _sign_in(Client(), "manager").status_code == 302
    assert _sign_in(Client(), "board", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_a_good_sign_in_clears_the_failures(world: World) -> None:
    _fail(Client(), "board", 4)
    assert _sign_in(Client(), "board").status_code == 302
    assert [r.status_code for r in _fail(Client(), "board", 4)] == [200] * 4
    assert _sign_in(Client(), "board").status_code == 302


def test_a_lockout_ends_after_15_minutes(world: World) -> None:
    from axes.models import AccessAttempt

    _fail(Client(), "board", 5)
    attempts = AccessAttempt.objects.filter(username="board")
    attempts.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert _sign_in(Client(), "board").status_code == 429
    attempts.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _sign_in(Client(), "board").status_code == 302


def test_api_tokens_and_direct_authentication_are_not_throttled(world: World) -> None:
    _fail(Client(), "manager", 5)
    assert _sign_in(Client(), "manager").status_code == 429
    # A token is its own credential: the API does not authenticate through django-axes.
    _, raw = ApiToken.issue(world.users["business_manager"], "locked out")
    api = Client().get("/api/v1/partnerships/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200
    # A call with no request (commands, the test client) has no address to throttle.
    client = Client()
    assert client.login(username="board", password=PASSWORD)
    assert not client.login(username="board", password="wrong-password")


def test_the_lockout_message_follows_the_cool_off_setting() -> None:
    assert security.lockout_message() == LOCKED_OUT
    with override_settings(AXES_COOLOFF_TIME=datetime.timedelta(minutes=30)):
        assert security.lockout_message() == "Too many attempts. Try again in 30 minutes."


# --- passwords ------------------------------------------------------------------------------


def test_the_four_password_validators_are_on_with_twelve_characters() -> None:
    names = [entry["NAME"].rsplit(".", 1)[1] for entry in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 12


def _create_user(username: str, password: str) -> Any:
    from safeguarding.cli import app

    return CliRunner().invoke(
        app,
        ["create-user", username, "--role", "administrator"],
        input=f"{password}\n{password}\n",
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Short-pw-1", "too short. It must contain at least 12 characters"),
        ("qwerty123456", "too common"),
        ("730492618530", "entirely numeric"),
        ("samuel.jones.", "too similar to the username"),
    ],
)
def test_create_user_refuses_a_weak_password(db: None, password: str, reason: str) -> None:
    result = _create_user("samuel.jones", password)
    assert result.exit_code == 1
    assert reason in " ".join(result.output.split())
    assert not get_user_model().objects.filter(username="samuel.jones").exists()


def test_create_user_keeps_the_work_email_for_single_sign_on(db: None) -> None:
    from safeguarding.cli import app

    result = CliRunner().invoke(
        app,
        ["create-user", "amira", "--role", "administrator", "--email", "Amira.K@Example.org"],
        input="plum-ladder-orbit-47\nplum-ladder-orbit-47\n",
    )
    assert result.exit_code == 0, result.output
    assert get_user_model().objects.get(username="amira").email == "amira.k@example.org"
    again = CliRunner().invoke(
        app,
        ["create-user", "amira2", "--role", "administrator", "--email", "amira.k@example.org"],
        input="plum-ladder-orbit-47\nplum-ladder-orbit-47\n",
    )
    assert again.exit_code == 1 and "already has the email address" in again.output


def test_create_user_accepts_a_strong_password(db: None) -> None:
    result = _create_user("samuel.jones", "plum-ladder-orbit-47")
    assert result.exit_code == 0, result.output
    user = get_user_model().objects.get(username="samuel.jones")
    assert user.check_password("plum-ladder-orbit-47")
    assert RoleAssignment.objects.get(user=user).role == "administrator"
