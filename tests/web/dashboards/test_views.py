"""The dashboard pages through the test client: who sees what, and what each page says."""

from __future__ import annotations

import csv
import io

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.dashboards.models import DashboardPanel, NeighbourSet, SharedIndicator
from safeguarding.web.results.models import IndicatorLoad
from tests.conftest import World

PCT = "children.cp_plans_subsequent_pct"
COUNT = "children.cp_plans_started"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, name: str, *args: str, **query: str) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_the_catalogue_lists_the_partnerships_indicators_with_latest_values(
    world: World, figures: IndicatorLoad
) -> None:
    html = _page(_client(world.users["board_member"]), "dashboards:catalogue", "tscp")
    assert "Subsequent" in html or "subsequent" in html
    assert "18.2%" in html  # the council's latest
    assert "22.0%" in html  # England's in the same year
    assert "Not loaded" in html  # indicators with no figures yet
    # A children's partnership reads the children's indicators, not the adults'.
    assert "adults.concerns" not in html and "Section 42" not in html


def test_the_indicator_page_shows_trend_comparison_breakdown_and_statement(
    world: World, figures: IndicatorLoad
) -> None:
    html = _page(_client(world.users["board_member"]), "dashboards:indicator", "tscp", PCT)
    assert html.count("<svg") >= 2  # trend and comparison, drawn on the server
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main
    assert "Brackenford" in html and "England" in html
    assert "Exact figures, for members of" in html
    assert "2024-25" in html and "18.2" in html
    assert "within the margin of error" in html or "down from" in html


def test_a_breakdown_is_chosen_by_the_address_and_an_unknown_one_is_ignored(
    world: World, figures: IndicatorLoad
) -> None:
    client = _client(world.users["board_member"])
    html = _page(client, "dashboards:indicator", "tscp", COUNT, breakdown="category_of_abuse")
    assert "Neglect" in html and "Physical abuse" in html
    assert "99" in html  # the council's exact count of neglect plans in 2024-25
    html = _page(client, "dashboards:indicator", "tscp", COUNT, breakdown="<i>x</i>")
    assert "<i>x</i>" not in html


def test_an_unknown_indicator_is_not_found(world: World, figures: IndicatorLoad) -> None:
    response = _client(world.users["board_member"]).get(
        reverse("dashboards:indicator", args=["tscp", "children.no_such"])
    )
    assert response.status_code == 404


def test_downloads_hold_the_charts_figures_as_csv_and_xlsx(
    world: World, figures: IndicatorLoad
) -> None:
    client = _client(world.users["board_member"])
    url = reverse("dashboards:indicator-data", args=["tscp", PCT, "csv"])
    response = client.get(url, {"chart": "trend"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    text = "\n".join(",".join(row) for row in rows)
    assert "18.2" in text and "24" in text
    url = reverse("dashboards:indicator-data", args=["tscp", PCT, "xlsx"])
    response = client.get(url, {"chart": "trend"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    cells = book.get_sheet_by_index(0).to_python()
    assert any(18.2 in row for row in cells)
    assert client.get(url.replace("xlsx", "pdf")).status_code == 404
    assert client.get(url, {"chart": "nonsense"}).status_code == 404


def test_people_outside_the_partnership_see_nothing(world: World, figures: IndicatorLoad) -> None:
    for user in ("other_manager", "no_role"):
        client = _client(world.users[user])
        for name, args in (
            ("dashboards:catalogue", ["tscp"]),
            ("dashboards:indicator", ["tscp", PCT]),
            ("dashboards:dashboard", ["tscp"]),
            ("dashboards:disproportionality", ["tscp"]),
            ("dashboards:indicator-data", ["tscp", PCT, "csv"]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 404, (user, name)
    response = Client().get(reverse("dashboards:dashboard", args=["tscp"]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_dashboard_groups_panels_under_priorities_and_the_priority_page_shows_them(
    world: World, figures: IndicatorLoad
) -> None:
    DashboardPanel.objects.create(
        partnership=world.children, priority=world.priority, indicator=PCT, why="Lasting help."
    )
    DashboardPanel.objects.create(partnership=world.children, indicator=COUNT)
    client = _client(world.users["board_member"])
    html = _page(client, "dashboards:dashboard", "tscp")
    assert "Priority: Neglect" in html and "Other indicators" in html
    assert html.index("Priority: Neglect") < html.index("Other indicators")
    assert "Lasting help." in html and html.count("<svg") == 2
    priority_url = f"/partnerships/tscp/priorities/{world.priority.pk}/"
    page = client.get(priority_url).content.decode()
    assert "Evidence of impact" in page and "Lasting help." in page and "<svg" in page


def test_the_public_dashboard_shows_only_public_panels_with_published_figures(
    world: World, figures: IndicatorLoad
) -> None:
    anonymous = Client()
    public = reverse("dashboards:public-dashboard", args=["tscp"])
    assert anonymous.get(public).status_code == 404  # nothing published yet
    DashboardPanel.objects.create(
        partnership=world.children, indicator=COUNT, breakdown="category_of_abuse", public=True
    )
    DashboardPanel.objects.create(partnership=world.children, indicator=PCT, public=False)
    html = anonymous.get(public).content.decode()
    assert "Published figures." in html and "Exact figures" not in html
    assert "[c]" in html  # 3 plans for physical abuse are withheld
    assert "100" in html  # 99 neglect plans rounded to the nearest 5
    indicator = reverse("dashboards:public-indicator", args=["tscp", COUNT])
    assert anonymous.get(indicator).status_code == 200
    hidden = reverse("dashboards:public-indicator", args=["tscp", PCT])
    assert anonymous.get(hidden).status_code == 404
    data = anonymous.get(
        reverse("dashboards:public-indicator-data", args=["tscp", COUNT, "csv"]),
        {"chart": "breakdown", "breakdown": "category_of_abuse", "period": "2024-25"},
    ).content.decode("utf-8-sig")
    assert "[c]" in data and "NEG,100" in data
    assert ",3," not in data and ",99," not in data and "99.0" not in data


def test_the_disproportionality_page_names_significant_over_representation(
    world: World, figures: IndicatorLoad
) -> None:
    html = _page(_client(world.users["board_member"]), "dashboards:disproportionality", "tscp")
    assert "<svg" in html
    assert "Black" in html and "2.4" in html


def test_a_manager_lists_neighbours_and_a_board_member_may_not(
    world: World, figures: IndicatorLoad
) -> None:
    url = reverse("dashboards:neighbours", args=["testbury"])
    manager = _client(world.users["business_manager"])
    assert "Brackenford" in manager.get(url).content.decode()
    response = manager.post(url, {"neighbours": "E06000092, Fellbridge\nnot-a-code", "method": ""})
    assert "not a council" in response.content.decode()
    assert NeighbourSet.objects.get(area=world.area).codes == ["E06000090", "E06000091"]
    response = manager.post(url, {"neighbours": "E06000092, Fellbridge", "method": "By hand."})
    assert response.status_code == 302
    assert NeighbourSet.objects.get(area=world.area).codes == ["E06000092"]
    assert AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(NeighbourSet), action="update"
    ).exists()
    board = _client(world.users["board_member"])
    assert board.post(url, {"neighbours": "E06000093, Greywater"}).status_code == 403


def test_neighbours_are_worked_out_from_a_measures_file(world: World) -> None:
    lines = ["council_code,council_name,population_0_17,imd_average_score"]
    lines.append("E09000099,Testbury,50000,20.0")
    for number in range(12):
        lines.append(f"E060000{70 + number},Council {number},{40000 + 2000 * number},{15 + number}")
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "measures.csv"
    manager = _client(world.users["business_manager"])
    url = reverse("dashboards:neighbours", args=["testbury"])
    response = manager.post(url, {"measures": upload, "count": "3"})
    assert response.status_code == 302, response.content.decode()[:2000]
    chosen = NeighbourSet.objects.get(area=world.area)
    assert len(chosen.codes) == 3 and "E09000099" not in chosen.codes
    assert "measures.csv" in chosen.method


def test_a_shared_indicator_page_offers_the_upload_to_its_agency_only(
    world: World, figures: IndicatorLoad
) -> None:
    shared = SharedIndicator.objects.create(
        partnership=world.children,
        code="missing-episodes",
        title="Missing from home episodes",
        definition="Episodes of children reported missing.",
        unit="count",
        owner_agency=world.police,
    )
    url = f"/partnerships/tscp/shared-indicators/{shared.pk}/"
    upload = reverse("dashboards:shared-upload", args=["tscp", shared.pk])
    police = _client(world.users["police_contributor"]).get(url).content.decode()
    assert upload in police and "No figures have been uploaded yet." in police
    board = _client(world.users["board_member"]).get(url).content.decode()
    assert upload not in board and "Figures" in board


def test_the_catalogue_links_to_the_neighbours(world: World, figures: IndicatorLoad) -> None:
    html = _page(_client(world.users["board_member"]), "dashboards:catalogue", "tscp")
    assert reverse("dashboards:neighbours", args=["testbury"]) in html


def test_a_manager_composes_a_panel_and_a_wrong_breakdown_is_refused(world: World) -> None:
    SharedIndicator.objects.create(
        partnership=world.children,
        code="missing-episodes",
        title="Missing from home episodes",
        definition="Episodes of children reported missing.",
        unit="count",
        owner_agency=world.police,
    )
    manager = _client(world.users["business_manager"])
    form = manager.get("/partnerships/tscp/dashboard-panels/new/").content.decode()
    assert "shared.tscp.missing-episodes" in form and "children.cp_plans_started" in form
    fields = {"priority": str(world.priority.pk), "why": "", "position": "1", "public": "False"}
    wrong = manager.post(
        "/partnerships/tscp/dashboard-panels/new/",
        {**fields, "indicator": "children.cp_plans_subsequent_pct", "breakdown": "age_band"},
    )
    assert wrong.status_code == 200 and "has no breakdown" in wrong.content.decode()
    assert not DashboardPanel.objects.exists()
    right = manager.post(
        "/partnerships/tscp/dashboard-panels/new/",
        {**fields, "indicator": "shared.tscp.missing-episodes", "breakdown": "total"},
    )
    assert right.status_code == 302
    assert DashboardPanel.objects.get().indicator == "shared.tscp.missing-episodes"
    board = _client(world.users["board_member"])
    refused = board.post(
        "/partnerships/tscp/dashboard-panels/new/",
        {**fields, "indicator": "children.cp_plans_started", "breakdown": "total"},
    )
    assert refused.status_code == 403 and DashboardPanel.objects.count() == 1


def test_numbers_in_other_scripts_are_refused_plainly(world: World) -> None:
    # "²" passes str.isdigit() but int() refuses it: a clear answer, never a server error.
    manager = _client(world.users["business_manager"])
    url = reverse("dashboards:neighbours", args=["testbury"])
    upload = io.BytesIO(b"council_code,population_0_17\nE09000099,100\nE06000070,200\n")
    upload.name = "measures.csv"
    response = manager.post(url, {"measures": upload, "count": "²"})
    assert response.status_code == 200 and "from 1 to 30" in response.content.decode()
    assert manager.get("/partnerships/tscp/actions/new/?priority=²").status_code == 200
    assert manager.get("/partnerships/tscp/updates/new/?action=²").status_code in (400, 404)
