"""Browser fixtures: Debian's Chromium driven by Playwright against Django's live server.

`make test` installs Chromium first. Run by hand without it, these tests are skipped with the
reason; under CI they fail instead, so a missing browser can never pass unnoticed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("SAFEGUARDING_CHROMIUM", "/usr/bin/chromium"))
AXE_SCRIPT = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"

# Flags for a closed network and a root user: no sandbox, no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


def _missing(path: Path, what: str) -> None:
    if path.exists():
        return
    message = f"{what} not found at {path}: run `make test`, which installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _missing(CHROMIUM, "Chromium")
    # Playwright's synchronous API runs an event loop in this thread; the Django calls the
    # tests make between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # axe-core is injected as an inline script, which the pages' Content Security Policy
    # forbids; test_csp.py checks the policy with a context that does not bypass it.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    _missing(AXE_SCRIPT, "axe-core")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in through the sign-in form, as a person would."""
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture
def demo_logins(transactional_db: None, tmp_path: Path) -> dict[str, Any]:
    """The demo borough, committed so that the live server sees it: its logins by username."""
    from safeguarding.web.demo.loader import load_demo

    return {login.username: login for login in load_demo(tmp_path)}
