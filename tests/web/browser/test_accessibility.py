"""axe-core on every page type of the demo borough: any WCAG 2.2 A or AA violation fails.

Page types are found by following the links a business manager and an administrator see, one
page per URL route, so a new page is checked without this file changing. Forms are also checked
with their errors showing.
"""

from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

from tests.web.browser.conftest import sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Routes that are not pages of ours, or would end the session.
SKIPPED_ROUTES = ("accounts/sign-out/", "api/")
# Routes of downloads (a chart's data as CSV or XLSX, the theme taxonomy's YAML): files, not pages.
DOWNLOAD_ROUTES = ("data.<str:fmt>", "themes.yaml")
MAX_PAGES = 400


def route_of(path: str) -> str | None:
    """The URL pattern that serves ``path``: pages with the same pattern are one page type."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = "; ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


def crawl(page: Any, base_url: str) -> dict[str, str]:
    """One URL for each route reachable by links from the home page."""
    seen_routes: dict[str, str] = {}
    queue: deque[str] = deque(["/"])
    visited: set[str] = set()
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        if path in visited:
            continue
        visited.add(path)
        route = route_of(urlsplit(path).path)
        if route is None or route.startswith(SKIPPED_ROUTES) or route.endswith(DOWNLOAD_ROUTES):
            continue
        if route in seen_routes and "?" not in path:
            continue
        response = page.goto(base_url + path)
        if response is None or response.status >= 400:
            continue
        seen_routes.setdefault(route, path)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            absolute = urljoin(base_url + path, href)
            parts = urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != base_url or parts.path.startswith("/static/"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            link_route = route_of(parts.path)
            if link_route and link_route not in seen_routes and link not in visited:
                queue.append(link)
    return seen_routes


def test_every_page_type_of_the_demo_meets_wcag_22_aa(
    page: Any, live_server: Any, axe_source: str, demo_logins: dict[str, Any]
) -> None:
    base_url = live_server.url
    failures: list[str] = []
    checked: set[str] = set()

    page.goto(f"{base_url}/accounts/sign-in/")
    if violations := axe_violations(page, axe_source):
        failures.append(f"/accounts/sign-in/:\n{describe(violations)}")
    checked.add("sign-in")

    # The children's business manager: their side navigation has every dashboard page,
    # disproportionality among them.
    for username in ("demo-lscp-manager", "demo-admin"):
        login = demo_logins[username]
        page.context.clear_cookies()
        sign_in(page, base_url, login.username, login.password)
        for route, path in crawl(page, base_url).items():
            if route in checked:
                continue
            checked.add(route)
            page.goto(base_url + path)
            if violations := axe_violations(page, axe_source):
                failures.append(f"{path}:\n{describe(violations)}")
            # A form is also checked with its error summary and messages showing.
            if page.locator("form[method=post] .govuk-button").count() and route.endswith("new/"):
                page.locator("form[method=post] .govuk-button").first.click()
                page.wait_for_load_state("domcontentloaded")
                if page.locator(".govuk-error-summary").count():
                    if violations := axe_violations(page, axe_source):
                        failures.append(f"{path} with errors:\n{describe(violations)}")

    # The demo's analysis, as the administrator who reviewed it, with each form's errors
    # showing: the review (a quote chosen with no theme) and the board paper's cover.
    from safeguarding.web.alignment.models import SharedPrioritiesAnalysis

    analysis = SharedPrioritiesAnalysis.objects.get()
    review_url = f"{base_url}/areas/larkhaven/shared-priorities/{analysis.pk}/"
    page.goto(review_url)
    page.get_by_label("A statement of the documents").select_option(index=1)
    page.get_by_role("button", name="Save review").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".govuk-error-summary").count(), "the review showed no error"
    if violations := axe_violations(page, axe_source):
        failures.append(f"{review_url} with errors:\n{describe(violations)}")
    page.goto(f"{review_url}board-paper/")
    page.get_by_label("Report title").fill("")
    page.get_by_role("button", name="Download the board paper").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".govuk-error-summary").count(), "the board paper form showed no error"
    if violations := axe_violations(page, axe_source):
        failures.append(f"{review_url}board-paper/ with errors:\n{describe(violations)}")

    page.goto(f"{base_url}/no-such-page/")
    if violations := axe_violations(page, axe_source):
        failures.append(f"404 page:\n{describe(violations)}")

    # The crawl must have reached the page types the issue names, or it proves nothing.
    reached = " ".join(checked)
    for expected in (
        "partnerships/<slug:slug>/",
        "actions",
        "reviews",
        "recommendations",
        "results/<int:pk>/",
        "dashboard/",
        "indicators/<str:indicator>/",
        "disproportionality/",
        "annual-reports/<int:pk>/",
        "draft.<str:fmt>",
        "shared-priorities/",
        "shared-priorities/new/",
        "shared-priorities/<int:pk>/",
        "shared-priorities/<int:pk>/documents/",
        "shared-priorities/<int:pk>/board-paper/",
        "shared-priorities/themes/",
    ):
        assert expected in reached, f"the crawl never reached a {expected} page: {sorted(checked)}"
    assert len(checked) >= 20, f"only {len(checked)} page types were checked: {sorted(checked)}"
    assert not failures, "\n\n".join(failures)
