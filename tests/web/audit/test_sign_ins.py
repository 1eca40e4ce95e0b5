"""Sign-ins, failed attempts and sign-outs are written to the audit trail, with where they came
from; a password tried is never kept."""

from __future__ import annotations

from typing import Any

from django.test import Client

from safeguarding.web.audit.models import AuditEvent
from tests.conftest import PASSWORD, World

SIGN_IN = "/accounts/sign-in/"


def _only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_a_sign_in_is_written_with_its_address(world: World) -> None:
    response = Client(REMOTE_ADDR="198.51.100.20").post(
        SIGN_IN, {"username": "board", "password": PASSWORD}
    )
    assert response.status_code == 302
    event = _only("sign_in")
    assert event.user == world.users["board_member"] and event.username == "board"
    assert event.ip == "198.51.100.20"
    assert event.via == "web"
    assert event.note == "with a password"
    assert event.content_type is None and event.partnership is None


def test_a_failed_sign_in_keeps_the_username_tried_never_the_password(world: World) -> None:
    tried = "not-the-password-7f3a"
    Client(REMOTE_ADDR="203.0.113.9").post(SIGN_IN, {"username": "board", "password": tried})
    event = _only("sign_in_failed")
    assert event.username == "board"
    # The account exists, but the attempt was not that person: nothing links it to them.
    assert event.user is None
    assert event.ip == "203.0.113.9"
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any(tried in str(value) for value in stored.values())
    assert not AuditEvent.objects.filter(action="sign_in").exists()


def test_a_failed_sign_in_as_no_one_keeps_the_whole_name_tried(world: World) -> None:
    client = Client()
    longest = "x" * 149 + "é"
    client.post(SIGN_IN, {"username": "nobody-here", "password": "x"})
    client.post(SIGN_IN, {"username": longest, "password": "x"})
    failed = AuditEvent.objects.filter(action="sign_in_failed")
    assert set(failed.values_list("username", flat=True)) == {"nobody-here", longest}


def test_a_blank_form_is_not_an_attempt(world: World) -> None:
    Client().post(SIGN_IN, {"username": "", "password": ""})
    assert not AuditEvent.objects.exists()


def test_signing_out_is_written_and_signing_out_twice_is_not(world: World) -> None:
    client = Client()
    client.force_login(world.users["police_contributor"])
    assert client.post("/accounts/sign-out/").status_code == 302
    event = _only("sign_out")
    assert event.user == world.users["police_contributor"]
    assert event.ip == "127.0.0.1"
    client.post("/accounts/sign-out/")
    assert AuditEvent.objects.filter(action="sign_out").count() == 1


def test_a_forwarded_address_is_not_believed_unless_the_setting_says(
    world: World, settings: Any
) -> None:
    headers = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.44"}
    Client(**headers).post(SIGN_IN, {"username": "board", "password": "wrong"})
    assert _only("sign_in_failed").ip == "127.0.0.1"

    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    Client(**headers).post(SIGN_IN, {"username": "manager", "password": "wrong"})
    # The last address is the one the platform's own proxy saw; the first the client wrote.
    assert AuditEvent.objects.get(username="manager").ip == "192.0.2.44"
