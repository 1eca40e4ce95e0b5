"""The demo's shared-priorities analysis: made by the real pipeline from the partnerships'
records, reviewed twice by hand, and shown on its review and board paper pages."""

from __future__ import annotations

import html
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from safeguarding.web.alignment.models import SharedPrioritiesAnalysis
from safeguarding.web.audit import trail
from safeguarding.web.demo.loader import DemoDataError, DemoLogin, load_demo
from safeguarding.web.records import models as m


@pytest.fixture
def demo(db: None, tmp_path: Path) -> list[DemoLogin]:
    return load_demo(tmp_path)


def _settings() -> dict[str, Any]:
    borough = yaml.safe_load(
        resources.files("safeguarding.web.demo").joinpath("borough.yaml").read_text("utf-8")
    )
    return borough["shared_priorities"]


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_the_analysis_is_the_pipelines_reading_of_the_records_reviewed_twice(
    demo: list[DemoLogin],
) -> None:
    settings = _settings()
    analysis = SharedPrioritiesAnalysis.objects.get()
    assert analysis.title == settings["title"] and analysis.status == "reviewed"
    assert [(s["kind"], s["origin"], s["record"]) for s in analysis.sources] == [
        ("partnership", "partnership", "Larkhaven Safeguarding Children Partnership"),
        ("partnership", "partnership", "Larkhaven Safeguarding Adults Board"),
        ("strategy", "strategy", m.Strategy.objects.get().title),
    ]
    produced, reviewed = analysis.alignment, analysis.reviewed
    assert produced["model"]["embedder"] == "all-MiniLM-L6-v2-int8"
    statements = {s["id"]: s for s in produced["statements"]}

    # The statements are the records of the year named, in the partnerships' own words.
    period = settings["period"]
    lscp = m.Partnership.objects.get(slug="lscp")
    for priority in lscp.priorities.filter(periods__label=period):
        assert any(
            s["source"] == "LSCP" and s["section"] == "priorities" and priority.title in s["text"]
            for s in statements.values()
        ), priority.title
    for achievement in m.Achievement.objects.filter(partnership=lscp):
        found = any(achievement.title in s["text"] for s in statements.values())
        assert found == (achievement.period.label == period), achievement.title
    # The strategy's six themes and both partnerships' sections are all there to read.
    assert produced["sources"][2]["sections"]["priorities"] == 6
    for source in produced["sources"][:2]:
        assert {"priorities", "achievements", "challenges"} <= set(source["sections"])

    # A sensible result: at least one theme shared by all three, its evidence quoted exactly.
    shared = produced["shared_themes"]
    assert shared and all(len(entry["sources"]) == 3 for entry in shared)
    for entry in shared:
        for item in entry["evidence"]:
            assert _plain(item["text"]) in _plain(statements[item["statement"]]["text"])

    # The review: the strongest shared theme accepted, one partnership quote edited, no more.
    changes = reviewed["review"]["changes"]
    assert [c["action"] for c in changes] == ["accepted", "edited"]
    accepted, edited = changes
    assert accepted["theme"] == shared[0]["theme"] and accepted["statement"] is None
    assert {c["by"] for c in changes} == {settings["by"]} == {reviewed["review"]["reviewed_by"]}
    assert accepted["note"] == _plain(settings["accept_note"])
    assert edited["note"] == _plain(settings["edit_note"])
    statement = statements[edited["statement"]]
    assert statement["source"] in {"LSCP", "LSAB"}
    assert edited["before"] != edited["after"]
    assert statement["text"].startswith(edited["after"])
    # The edit is in the reviewed analysis only; the pipeline's own result is kept as it was.
    after = next(e for _, e in _themes(reviewed) if e["theme"] == edited["theme"])["evidence"]
    before = next(e for _, e in _themes(produced) if e["theme"] == edited["theme"])["evidence"]
    assert edited["after"] in [e["text"] for e in after]
    assert edited["after"] not in [e["text"] for e in before]
    assert edited["before"] in [e["text"] for e in before]

    # Each step is in the audit trail, as the demo user who took it.
    events = list(trail.history(analysis).order_by("pk"))
    assert [(e.username, e.action, e.via) for e in events] == [
        (settings["by"], "create", "demo"),
        (settings["by"], "update", "demo"),
        (settings["by"], "update", "demo"),
    ]


def _themes(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(key, e) for key in ("shared_themes", "additional_focus_areas") for e in data[key]]


def test_the_review_and_board_paper_pages_show_the_worked_example(demo: list[DemoLogin]) -> None:
    analysis = SharedPrioritiesAnalysis.objects.get()
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo-lsab-manager"))
    listed = client.get(reverse("alignment:list", args=["larkhaven"]))
    review_url = reverse("alignment:review", args=["larkhaven", analysis.pk])
    assert review_url in listed.content.decode()

    page = html.unescape(client.get(review_url).content.decode())
    accepted, edited = analysis.reviewed["review"]["changes"]
    assert "Reviewed" in page and accepted["after"] in page
    assert f"After: {edited['after']}" in page and accepted["note"] in page

    url = reverse("alignment:board-paper", args=["larkhaven", analysis.pk])
    form = client.get(url)
    assert form.status_code == 200 and b"No one has reviewed" not in form.content
    paper = client.post(
        url,
        {
            "title": "Larkhaven safeguarding partnerships: shared priorities",
            "for_submission_to": "Larkhaven Health and Wellbeing Board",
            "date_day": "17",
            "date_month": "12",
            "date_year": "2026",
            "recommendations": "That the Board note the report.",
            "format": "html",
        },
    )
    assert paper.status_code == 200 and paper["Content-Type"].startswith("text/html")
    text = _plain(html.unescape(paper.content.decode()))
    # The appendix of changes made by hand carries the edited quote and its note.
    assert _plain(edited["after"]) in text and _plain(edited["note"]) in text


def test_a_partnership_the_analysis_cannot_find_stops_the_load(db: None, tmp_path: Path) -> None:
    source = tmp_path / "data"
    source.mkdir()
    package = resources.files("safeguarding.web.demo")
    for name in ("borough.yaml", "children.yaml", "adults.yaml"):
        shutil.copyfile(str(package.joinpath(name)), source / name)
    borough = yaml.safe_load((source / "borough.yaml").read_text())
    borough["shared_priorities"]["partnerships"] = ["lscp", "lsxb"]
    (source / "borough.yaml").write_text(yaml.safe_dump(borough))
    with pytest.raises(DemoDataError, match="shared_priorities: there is no partnership 'lsxb'"):
        load_demo(tmp_path / "state", source=source)
    assert not SharedPrioritiesAnalysis.objects.exists()
    assert not m.Area.objects.exists()
