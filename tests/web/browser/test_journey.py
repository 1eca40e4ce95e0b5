"""A business manager signs in, adds a priority and an action, and finds both on the overview."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD, World
from tests.web.browser.conftest import sign_in


def test_a_manager_adds_a_priority_and_an_action_and_sees_them_on_the_overview(
    page: Any, live_server: Any, world: World
) -> None:
    from safeguarding.web.audit.models import AuditEvent
    from safeguarding.web.records.models import DeliveryAction, Priority

    base = live_server.url
    sign_in(page, base, "manager", PASSWORD)
    assert (
        page.get_by_role("link", name="Sign out").count()
        or page.get_by_role("button", name="Sign out").count()
    ), "signing in did not show a way to sign out"

    page.goto(f"{base}/partnerships/tscp/priorities/new/")
    page.get_by_label("Title").fill("Tackle exploitation of teenagers outside the home")
    page.get_by_label("Description").fill(
        "Children at risk of criminal exploitation are identified earlier and kept safer."
    )
    page.get_by_role("group", name="Reporting periods").get_by_label("2024-25").check()
    page.get_by_role("button", name="Add priority").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text().startswith("Tackle exploitation")
    priority = Priority.objects.get(title="Tackle exploitation of teenagers outside the home")

    page.goto(f"{base}/partnerships/tscp/actions/new/")
    page.get_by_label("Priority").select_option(label=priority.title)
    page.get_by_label("Title").fill("Run a contextual safeguarding pilot in two secondary schools")
    page.get_by_label("Owner agency").select_option(label=world.police.name)
    page.get_by_label("Lead").fill("Detective Chief Inspector, Public Protection")
    due = page.get_by_role("group", name="Due date")
    due.get_by_label("Day").fill("31")
    due.get_by_label("Month").fill("3")
    due.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Add delivery action").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".govuk-error-summary").count() == 0, page.locator("main").inner_text()
    action = DeliveryAction.objects.get(title__startswith="Run a contextual safeguarding pilot")
    assert action.priority == priority and action.owner_agency == world.police

    page.goto(f"{base}/partnerships/tscp/?period=2024-25")
    main = page.locator("main")
    assert main.get_by_text("Tackle exploitation of teenagers outside the home").count() >= 1
    assert (
        main.get_by_text("Run a contextual safeguarding pilot in two secondary schools").count()
        >= 1
    )

    # Both were written through the audit trail, by the person who signed in.
    events = AuditEvent.objects.filter(action="create", username="manager")
    assert {e.object_repr for e in events} >= {priority.title, action.title}


def test_a_wrong_password_shows_the_error_summary(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page, live_server.url, "manager", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    assert "/accounts/sign-in/" in page.url
