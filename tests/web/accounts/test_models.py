"""People's roles in partnerships, and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from safeguarding.web.accounts.models import TOKEN_PREFIX, ApiToken, RoleAssignment
from tests.conftest import World


def clean_errors(assignment: RoleAssignment) -> dict[str, list[str]]:
    try:
        assignment.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


# Role assignments


def test_an_administrator_is_not_tied_to_a_partnership_or_agency(
    world: World, make_user: Any
) -> None:
    person = make_user(None)
    assert clean_errors(RoleAssignment(user=person, role="administrator")) == {}
    tied = RoleAssignment(user=person, role="administrator", partnership=world.children)
    assert list(clean_errors(tied)) == ["__all__"]
    tied = RoleAssignment(user=person, role="administrator", agency=world.police)
    assert list(clean_errors(tied)) == ["__all__"]


@pytest.mark.parametrize("role", ["business_manager", "agency_contributor", "board_member"])
def test_other_roles_are_held_in_a_partnership(world: World, make_user: Any, role: str) -> None:
    person = make_user(None)
    errors = clean_errors(RoleAssignment(user=person, role=role, agency=world.police))
    assert list(errors) == ["partnership"]


def test_a_contributor_works_for_an_agency_in_the_partnership(world: World, make_user: Any) -> None:
    person = make_user(None)
    without = RoleAssignment(user=person, role="agency_contributor", partnership=world.children)
    assert list(clean_errors(without)) == ["agency"]
    # The school is a member of the children's partnership but not of the adults' board.
    outsider = RoleAssignment(
        user=person, role="agency_contributor", partnership=world.adults, agency=world.school
    )
    assert list(clean_errors(outsider)) == ["agency"]
    elsewhere = RoleAssignment(
        user=person,
        role="agency_contributor",
        partnership=world.children,
        agency=world.other_council,
    )
    assert list(clean_errors(elsewhere)) == ["agency"]
    member = RoleAssignment(
        user=person, role="agency_contributor", partnership=world.children, agency=world.school
    )
    assert clean_errors(member) == {}


@pytest.mark.parametrize("role", ["business_manager", "board_member"])
def test_only_contributors_are_tied_to_an_agency(world: World, make_user: Any, role: str) -> None:
    person = make_user(None)
    tied = RoleAssignment(user=person, role=role, partnership=world.children, agency=world.police)
    assert list(clean_errors(tied)) == ["agency"]
    untied = RoleAssignment(user=person, role=role, partnership=world.children)
    assert clean_errors(untied) == {}


def test_a_role_comes_from_the_code_list(world: World, make_user: Any) -> None:
    person = make_user(None)
    errors = clean_errors(RoleAssignment(user=person, role="owner", partnership=world.children))
    assert "role" in errors


def test_a_role_is_held_once(world: World) -> None:
    again = RoleAssignment(
        user=world.users["board_member"], role="board_member", partnership=world.children
    )
    assert "__all__" in clean_errors(again)
    # Also for administrators, who have neither partnership nor agency.
    admin_again = RoleAssignment(user=world.users["administrator"], role="administrator")
    assert list(clean_errors(admin_again)) == ["__all__"]
    # Saving an unchanged assignment is not a repeat of itself.
    held = RoleAssignment.objects.get(user=world.users["administrator"])
    assert clean_errors(held) == {}


def test_a_role_reads_as_a_sentence(world: World) -> None:
    assignment = RoleAssignment.objects.get(user=world.users["police_contributor"])
    assert str(assignment) == (
        "police - Agency contributor in Testbury Safeguarding Children Partnership "
        "for Testshire Police"
    )
    admin = RoleAssignment.objects.get(user=world.users["administrator"])
    assert str(admin) == "admin - Platform administrator"


# API tokens


def test_a_token_is_stored_only_as_its_hash(world: World) -> None:
    user = world.users["business_manager"]
    token, raw = ApiToken.issue(user, "Quarterly dashboard refresh")
    assert raw.startswith(TOKEN_PREFIX)
    assert len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:12]
    # Nothing stored holds the secret part of the key.
    secret = raw[12:]
    for value in model_to_dict(stored, exclude=[]).values():
        assert secret not in str(value)
    assert secret not in str(stored)
    assert stored.user == user
    assert not stored.revoked


def test_each_token_is_new(world: World) -> None:
    user = world.users["business_manager"]
    first, raw_first = ApiToken.issue(user, "one")
    second, raw_second = ApiToken.issue(user, "two")
    assert raw_first != raw_second
    assert first.key_hash != second.key_hash


def test_find_gives_the_live_token(world: World) -> None:
    token, raw = ApiToken.issue(world.users["board_member"], "Board pack")
    found = ApiToken.find(raw)
    assert found == token
    assert found is not None and found.user == world.users["board_member"]


def test_a_revoked_token_is_not_found(world: World) -> None:
    token, raw = ApiToken.issue(world.users["board_member"], "Old laptop")
    token.revoked = True
    token.save()
    assert ApiToken.find(raw) is None


def test_a_token_of_an_inactive_user_is_not_found(world: World) -> None:
    user = world.users["police_contributor"]
    _token, raw = ApiToken.issue(user, "Police performance team")
    user.is_active = False
    user.save()
    assert ApiToken.find(raw) is None


def test_wrong_tokens_are_not_found(world: World) -> None:
    _token, raw = ApiToken.issue(world.users["business_manager"], "Reports")
    wrong_end = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    for attempt in (
        wrong_end,
        raw[len(TOKEN_PREFIX) :],  # the key without its prefix
        raw + "x",
        raw.upper(),
        "",
        TOKEN_PREFIX,
        TOKEN_PREFIX + "x" * 500,
        " " + raw,
    ):
        assert ApiToken.find(attempt) is None, attempt
    assert ApiToken.find(raw) is not None
