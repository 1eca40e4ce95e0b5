"""Every template compiles, and the error pages render in the GOV.UK style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template, engines
from django.template.loader import get_template
from django.test import Client, override_settings

import safeguarding.web

TEMPLATES = Path(safeguarding.web.__file__).parent / "templates"
NAMES = sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))


def test_there_are_templates() -> None:
    assert "base.html" in NAMES and "500.html" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_template_compiles(name: str) -> None:
    template = get_template(name)
    assert template.template.nodelist is not None


def test_base_layout_is_not_a_govuk_service() -> None:
    html = get_template("base.html").render({})
    assert 'lang="en-GB"' in html
    assert "govuk-template__body" in html and "govuk-frontend-supported" in html
    assert 'href="#main-content"' in html
    assert "GOV.UK" not in html and "crown" not in html.lower()
    assert "Crown copyright" not in html and "Open Government Licence" not in html
    assert "fonts.googleapis" not in html and "cdn" not in html.lower()
    assert '<script type="module" src="/static/safeguarding/init.js">' in html
    assert "style=" not in html


def test_no_inline_styles_or_scripts_but_the_js_enabled_snippet() -> None:
    for name in NAMES:
        text = (TEMPLATES / name).read_text()
        assert "style=" not in text, name
        scripts = text.count("<script")
        expected = 2 if name == "base.html" else 0
        assert scripts == expected, name


def test_500_renders_without_a_request() -> None:
    html = Template("{% include '500.html' %}").render(Context())
    assert "Sorry, there is a problem with the platform" in html
    assert engines["django"] is not None


@override_settings(DEBUG=False)
def test_404_page(world: Any) -> None:
    client = Client()
    client.force_login(world.users["board_member"])
    response = client.get("/partnerships/no-such-partnership/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_403_page(world: Any) -> None:
    client = Client()
    client.force_login(world.users["board_member"])
    response = client.get("/partnerships/tscp/actions/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not have permission to do that" in page and "govuk-header" in page


def test_csrf_failure_page(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["business_manager"])
    response = client.post("/partnerships/tscp/priorities/new/", {"title": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_rag_tags_have_words() -> None:
    html = Template("{% rag_tag 'amber' %}").render(Context())
    assert "Amber" in html and "govuk-tag--yellow" in html
