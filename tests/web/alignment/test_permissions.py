"""Who may do what on the shared-priorities pages: a business manager starts and reviews
analyses, everyone with a role in the area reads them, nobody outside the area sees them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from safeguarding.web import permissions
from safeguarding.web.alignment.models import SharedPrioritiesAnalysis, ThemeTaxonomy
from safeguarding.web.audit.models import AuditEvent
from tests.conftest import World
from tests.web.alignment.conftest import client_for


@pytest.fixture
def analysis(world: World) -> SharedPrioritiesAnalysis:
    return SharedPrioritiesAnalysis.objects.create(
        area=world.area,
        title="Testbury shared priorities",
        created_by_name="manager",
        alignment={
            "generated_at": "2025-12-08T10:00:00Z",
            "model": {"embedder": "e", "taxonomy_version": "1"},
            "sources": [],
            "statements": [],
            "shared_themes": [],
            "additional_focus_areas": [],
        },
    )


def _pages(analysis: SharedPrioritiesAnalysis) -> list[str]:
    return [
        reverse("alignment:list", args=["testbury"]),
        reverse("alignment:review", args=["testbury", analysis.pk]),
        reverse("alignment:sources", args=["testbury", analysis.pk]),
        reverse("alignment:board-paper", args=["testbury", analysis.pk]),
    ]


def test_a_board_member_cannot_start_an_analysis(world: World) -> None:
    client = client_for(world.users["board_member"])
    url = reverse("alignment:new", args=["testbury"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Mine"}).status_code == 403
    assert not SharedPrioritiesAnalysis.objects.exists()
    refusal = AuditEvent.objects.get(action="refused")
    assert refusal.user == world.users["board_member"]
    assert refusal.note == "add shared_priorities_analysis"
    listing = client.get(reverse("alignment:list", args=["testbury"])).content
    assert b"Start an analysis" not in listing


@pytest.mark.parametrize("user", ["board_member", "police_contributor"])
def test_readers_in_the_area_read_but_do_not_change(
    world: World, analysis: SharedPrioritiesAnalysis, user: str
) -> None:
    client = client_for(world.users[user])
    for url in _pages(analysis):
        assert client.get(url).status_code == 200, url
    review = client.get(_pages(analysis)[1]).content
    assert analysis.title.encode() in review and b"Save review" not in review
    args = ["testbury", analysis.pk]
    for name in ("review", "run", "add-records", "remove-source", "sources"):
        response = client.post(reverse(f"alignment:{name}", args=args), {"revision": "0"})
        assert response.status_code == 403, name
    analysis.refresh_from_db()
    assert analysis.reviewed is None
    assert AuditEvent.objects.filter(action="refused").count() == 5


def test_a_contributor_from_another_area_cannot_see_it(
    world: World, analysis: SharedPrioritiesAnalysis, make_user: Any
) -> None:
    outsider = make_user("agency_contributor", world.other, world.other_council)
    client = client_for(outsider)
    for url in [*_pages(analysis), reverse("alignment:new", args=["testbury"])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("alignment:run", args=["testbury", analysis.pk])).status_code == 404
    # Their own area's list does not show it either.
    own = client.get(reverse("alignment:list", args=["elsewhere"])).content
    assert analysis.title.encode() not in own
    # The manager of another area cannot reach it by its number under their own area.
    other = client_for(world.users["other_manager"])
    wrong_area = reverse("alignment:review", args=["elsewhere", analysis.pk])
    assert other.get(wrong_area).status_code == 404


def test_only_managers_and_administrators_change_the_taxonomy(world: World) -> None:
    for user in ("board_member", "police_contributor"):
        client = client_for(world.users[user])
        assert client.get(reverse("alignment:taxonomy")).status_code == 200
        response = client.post(reverse("alignment:taxonomy"), {"text": "version: x"})
        assert response.status_code == 403
    assert not ThemeTaxonomy.objects.exists()
    assert client_for(world.users["no_role"]).get(reverse("alignment:taxonomy")).status_code == 403


def test_the_matrix_gives_the_roles_what_the_issue_asks(world: World) -> None:
    area = permissions.Scope(area_id=world.area.pk)
    platform = permissions.Scope()
    expected = {
        "administrator": ({"view", "add", "change", "delete"}, {"view", "add", "change", "delete"}),
        "business_manager": ({"view", "add", "change"}, {"view", "add", "change"}),
        "police_contributor": ({"view"}, {"view"}),
        "board_member": ({"view"}, {"view"}),
    }
    for user, (on_analysis, on_taxonomy) in expected.items():
        person = world.users[user]
        got = {
            a
            for a in permissions.ACTIONS
            if permissions.can(person, a, "shared_priorities_analysis", area)
        }
        assert got == on_analysis, user
        got = {
            a for a in permissions.ACTIONS if permissions.can(person, a, "theme_taxonomy", platform)
        }
        assert got == on_taxonomy, user
    elsewhere = permissions.Scope(area_id=world.other_area.pk)
    assert not permissions.can(
        world.users["business_manager"], "view", "shared_priorities_analysis", elsewhere
    )
