"""The Content Security Policy in a browser that enforces it: the demo's pages load with no
violation reported, and the one inline script the policy allows by its hash really runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.browser.conftest import sign_in

#: Collects each violation the page's document reports, from before its first script runs.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', event => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def strict_page(browser: Any) -> Iterator[Any]:
    """A page whose browser context enforces Content Security Policy (no bypass)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _policy_messages(messages: list[str]) -> list[str]:
    return [text for text in messages if "Content Security Policy" in text]


def _visit(page: Any, url: str, console: list[str]) -> list[str]:
    """Load ``url`` and return the policy violations the browser reported for it."""
    console.clear()
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "Content-Security-Policy" in {name.title() for name in response.headers}, url
    page.wait_for_load_state("load")
    recorded = page.evaluate("() => window.cspViolations")
    assert isinstance(recorded, list), f"{url}: the violation listener did not run"
    return _policy_messages(console) + recorded


def test_the_demo_pages_load_with_no_policy_violation(
    strict_page: Any, live_server: Any, demo_logins: dict[str, Any]
) -> None:
    from safeguarding.web.alignment.models import SharedPrioritiesAnalysis
    from safeguarding.web.reports.models import AnnualReport

    page = strict_page
    base = live_server.url
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    failures: dict[str, list[str]] = {}

    sign_in_url = f"{base}/accounts/sign-in/"
    failures[sign_in_url] = _visit(page, sign_in_url, console)
    # The body-class script is allowed by its hash: if the hash were wrong it would not run.
    assert page.evaluate("() => document.body.classList.contains('js-enabled')")

    login = demo_logins["demo-lscp-manager"]
    sign_in(page, base, login.username, login.password)
    report = AnnualReport.objects.filter(partnership__slug="lscp").order_by("pk").first()
    assert report is not None, "the demo has no children's annual report"
    partnership = f"{base}/partnerships/lscp"
    for url in (
        f"{base}/api/v1/docs",
        f"{partnership}/dashboard/",
        f"{partnership}/indicators/children.cp_plans_started/",
        f"{partnership}/annual-reports/{report.pk}/",
        f"{partnership}/annual-reports/{report.pk}/draft.html",
    ):
        failures[url] = _visit(page, url, console)
    assert page.locator("svg").count() > 0, "the draft report shows no charts"

    # The shared-priorities pages: the demo's analysis, its documents, review and board paper.
    analysis = SharedPrioritiesAnalysis.objects.get()
    shared = f"{base}/areas/larkhaven/shared-priorities/"
    for url in (
        shared,
        f"{shared}new/",
        f"{shared}{analysis.pk}/",
        f"{shared}{analysis.pk}/documents/",
        f"{shared}{analysis.pk}/board-paper/",
        f"{base}/shared-priorities/themes/",
    ):
        failures[url] = _visit(page, url, console)
    # The review page's radios are started by GOV.UK Frontend's script, loaded from a file.
    page.goto(f"{shared}{analysis.pk}/")
    page.wait_for_selector("[data-module=govuk-radios][data-govuk-radios-init]", state="attached")

    assert not any(failures.values()), "\n".join(
        f"{url}: {problem}" for url, problems in failures.items() for problem in problems
    )


def test_a_violation_would_be_reported(
    strict_page: Any, live_server: Any, transactional_db: None
) -> None:
    """The listeners catch a violation: an inline style attribute the policy forbids."""
    page = strict_page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    assert not _visit(page, f"{live_server.url}/accounts/sign-in/", console)
    page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("() => window.cspViolations.length > 0")
    assert any("style-src" in text for text in page.evaluate("() => window.cspViolations"))
    assert _policy_messages(console)
