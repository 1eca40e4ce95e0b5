"""An agency's upload of its own figures for a shared indicator: who may, what is checked,
the check page, and what is stored when the person confirms."""

from __future__ import annotations

import csv
import hashlib
import html as markup
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safeguarding.indicators.tidy import TIDY_COLUMNS
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.dashboards import uploads
from safeguarding.web.dashboards.models import NeighbourSet, SharedIndicator
from safeguarding.web.records import models as m
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue

pytestmark = pytest.mark.django_db

INDICATOR_ID = "shared.nscp.domestic-abuse-incidents"


@dataclass
class Bay:
    """A small invented area: one partnership with a shared indicator the police supply."""

    area: Any
    partnership: Any
    police: Any
    council: Any
    shared: Any
    elsewhere_shared: Any
    users: dict[str, Any]

    @property
    def upload_url(self) -> str:
        return f"/partnerships/nscp/shared-indicators/{self.shared.pk}/upload/"

    @property
    def confirm_url(self) -> str:
        return self.upload_url + "confirm/"


@pytest.fixture
def bay(make_user: Callable[..., Any]) -> Bay:
    area = m.Area.objects.create(name="Northbay", slug="northbay", council_code="E06000097")
    NeighbourSet.objects.create(area=area, neighbours=[{"code": "E06000001", "name": "Hartlepool"}])
    partnership = m.Partnership.objects.create(
        area=area,
        name="Northbay Safeguarding Children Partnership",
        short_name="NSCP",
        slug="nscp",
        kind="children",
    )
    police = m.PartnerAgency.objects.create(area=area, name="Northbay Police", sector="police")
    council = m.PartnerAgency.objects.create(
        area=area, name="Northbay Council", sector="local_authority"
    )
    shared = SharedIndicator.objects.create(
        partnership=partnership,
        code="domestic-abuse-incidents",
        title="Domestic abuse incidents",
        definition="Incidents of domestic abuse recorded by the police, per 10,000 residents.",
        unit="rate_per_10000",
        owner_agency=police,
    )
    elsewhere = m.Area.objects.create(name="Southdale", slug="southdale", council_code="E06000098")
    elsewhere_partnership = m.Partnership.objects.create(
        area=elsewhere,
        name="Southdale Safeguarding Adults Board",
        short_name="SSAB",
        slug="ssab",
        kind="adults",
    )
    elsewhere_police = m.PartnerAgency.objects.create(
        area=elsewhere, name="Southdale Police", sector="police"
    )
    elsewhere_shared = SharedIndicator.objects.create(
        partnership=elsewhere_partnership,
        code="domestic-abuse-incidents",
        title="Domestic abuse incidents",
        definition="Incidents recorded by the police.",
        unit="rate_per_10000",
        owner_agency=elsewhere_police,
    )
    users = {
        "police": make_user("agency_contributor", partnership, police, username="police"),
        "council": make_user("agency_contributor", partnership, council, username="council"),
        "manager": make_user("business_manager", partnership, username="manager"),
        "board": make_user("board_member", partnership, username="board"),
        "elsewhere": make_user("business_manager", elsewhere_partnership, username="elsewhere"),
    }
    return Bay(area, partnership, police, council, shared, elsewhere_shared, users)


def figure(**given: Any) -> dict[str, Any]:
    """Northbay's rate in 2024-25 unless ``given`` says otherwise."""
    base: dict[str, Any] = {
        "indicator": INDICATOR_ID,
        "geography_level": "la",
        "geography_code": "E06000097",
        "period": "2024-25",
        "breakdown": "total",
        "category": "total",
        "numerator": 1234,
        "denominator": 281000,
        "value": 43.91459074733096,
        "lower_ci": 41.5,
        "upper_ci": 46.4,
        "unit": "rate_per_10000",
    }
    base.update(given)
    return base


def good_rows() -> list[dict[str, Any]]:
    return [
        figure(),
        figure(period="2023-24", numerator=1100, value=39.2),
        figure(geography_code="E06000001", numerator=900, denominator=200000, value=45),
        figure(geography_level="england", geography_code="E92000001", numerator="[c]", value=""),
    ]


def as_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(TIDY_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, url: str, data: bytes, name: str = "incidents.csv", **extra: Any) -> Any:
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(url, {"file": file, "notes": extra.get("notes", "")})


def token_of(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "the check page has no token"
    return found.group(1)


def nothing_stored() -> bool:
    return not IndicatorLoad.objects.exists() and not IndicatorValue.objects.exists()


# -- the whole journey ------------------------------------------------------------------------


def test_the_owning_agency_checks_then_stores_its_figures(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    form = client.get(bay.upload_url)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="csrfmiddlewaretoken"' in html
    assert '<label class="govuk-label govuk-label--s" for="id_file">' in html
    assert INDICATOR_ID in html and "Hartlepool" in html
    assert "app-side-navigation" in html and "Overview" in html

    data = as_csv(good_rows())
    check = send(client, bay.upload_url, data, name="police 2024-25.csv", notes="From Niche.")
    assert check.status_code == 200
    page = check.content.decode()
    assert "Check the figures before you store them" in page
    assert "Store these figures" in page and 'name="csrfmiddlewaretoken"' in page
    for shown in ("Northbay", "Hartlepool", "England", "2023-24", "43.9146", "1,234", "281,000"):
        assert shown in page, shown
    assert "41.5 to 46.4" in page and "[c] withheld" in page
    assert nothing_stored()

    stored = client.post(bay.confirm_url, {"token": token_of(page)})
    assert stored.status_code == 302
    assert stored["Location"] == f"/partnerships/nscp/shared-indicators/{bay.shared.pk}/"

    load = IndicatorLoad.objects.get()
    assert (load.kind, load.via, load.loaded_by, load.loaded_by_name) == (
        "uploaded",
        "web",
        bay.users["police"],
        "police",
    )
    assert load.label == "Domestic abuse incidents from Northbay Police"
    assert load.row_count == 4 and load.notes == "From Niche."
    file = load.files.get()
    assert (file.name, file.sha256, file.size) == (
        "police 2024-25.csv",
        hashlib.sha256(data).hexdigest(),
        len(data),
    )
    values = {(v.geography_code, v.period): v for v in IndicatorValue.objects.filter(load=load)}
    assert set(values) == {
        ("E06000097", "2024-25"),
        ("E06000097", "2023-24"),
        ("E06000001", "2024-25"),
        ("E92000001", "2024-25"),
    }
    council = values[("E06000097", "2024-25")]
    assert (council.indicator, council.unit, council.breakdown, council.category) == (
        INDICATOR_ID,
        "rate_per_10000",
        "total",
        "total",
    )
    assert (council.numerator, council.denominator) == (1234, 281000)
    assert council.value == 43.91459074733096 and (council.lower_ci, council.upper_ci) == (
        41.5,
        46.4,
    )
    england = values[("E92000001", "2024-25")]
    assert england.suppressed and england.numerator is None and england.value is None
    assert AuditEvent.objects.filter(
        action="create", object_id=str(load.pk), user=bay.users["police"]
    ).exists()


def test_after_storing_the_indicator_page_says_so(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    page = send(client, bay.upload_url, as_csv(good_rows())).content.decode()
    shown = client.post(bay.confirm_url, {"token": token_of(page)}, follow=True)
    assert shown.status_code == 200
    assert "Stored 4 figures for Domestic abuse incidents from incidents.csv" in (
        shown.content.decode()
    )


def test_a_business_manager_may_upload_too(bay: Bay) -> None:
    client = client_for(bay.users["manager"])
    page = send(client, bay.upload_url, as_csv(good_rows()[:1])).content.decode()
    assert client.post(bay.confirm_url, {"token": token_of(page)}).status_code == 302
    assert IndicatorLoad.objects.get().loaded_by == bay.users["manager"]


def test_a_newer_upload_replaces_the_figures_for_the_same_place_and_period(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    for value in (40, 41):
        page = send(client, bay.upload_url, as_csv([figure(value=value)])).content.decode()
        client.post(bay.confirm_url, {"token": token_of(page)})
    current = IndicatorValue.objects.current().get(indicator=INDICATOR_ID)
    assert current.value == 41
    assert IndicatorValue.objects.filter(superseded_by=current.load).get().value == 40


def test_a_parquet_file_is_read_too(bay: Bay) -> None:
    table = pa.Table.from_pylist(
        [{k: str(v) for k, v in figure().items()}],
        schema=pa.schema([(c, pa.string()) for c in TIDY_COLUMNS]),
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    client = client_for(bay.users["police"])
    page = send(client, bay.upload_url, buffer.getvalue(), name="incidents.parquet")
    assert "Check the figures before you store them" in page.content.decode()


# -- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["council", "board"])
def test_others_in_the_partnership_are_refused(bay: Bay, who: str) -> None:
    client = client_for(bay.users[who])
    assert client.get(bay.upload_url).status_code == 403
    assert send(client, bay.upload_url, as_csv(good_rows())).status_code == 403
    assert client.post(bay.confirm_url, {"token": "anything"}).status_code == 403
    refused = AuditEvent.objects.filter(action="refused", user=bay.users[who])
    assert refused.count() == 2 and refused.first().object_id == str(bay.shared.pk)
    assert nothing_stored()


def test_a_refused_person_cannot_store_figures_checked_in_their_session(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    page = send(client, bay.upload_url, as_csv(good_rows())).content.decode()
    bay.shared.owner_agency = bay.council
    bay.shared.save()
    assert client.post(bay.confirm_url, {"token": token_of(page)}).status_code == 403
    assert nothing_stored()


def test_a_shared_indicator_of_another_partnership_is_not_found(bay: Bay) -> None:
    other = bay.elsewhere_shared.pk
    for user in (bay.users["police"], bay.users["manager"]):
        client = client_for(user)
        assert (
            client.get(f"/partnerships/nscp/shared-indicators/{other}/upload/").status_code == 404
        )
        url = f"/partnerships/nscp/shared-indicators/{other}/upload/confirm/"
        assert client.post(url, {"token": "x"}).status_code == 404
    # Nor may a person reach a partnership they have no role in.
    outsider = client_for(bay.users["elsewhere"])
    assert outsider.get(bay.upload_url).status_code == 404


def test_signing_in_comes_first() -> None:
    response = Client().get("/partnerships/nscp/shared-indicators/1/upload/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_the_confirm_address_takes_only_a_post(bay: Bay) -> None:
    assert client_for(bay.users["police"]).get(bay.confirm_url).status_code == 405


# -- what is checked --------------------------------------------------------------------------


def problem_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(row, column, value, problem) of each row of the problems table."""
    table = html.split('id="problems"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr class=\"govuk-table__row\">\s*(.*?)</tr>", table, re.S)[1:]
    found = []
    for row in cells:
        texts = [
            markup.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]
        found.append((texts[0], texts[1], texts[2], texts[3]))
    return found


def test_every_problem_is_listed_at_once_and_nothing_is_kept(bay: Bay) -> None:
    rows = [
        figure(),
        figure(indicator="shared.nscp.other-indicator", period="2023-24"),
        figure(unit="count", period="2022-23"),
        figure(value="about 40", period="2021-22"),
        figure(geography_code="E06000050"),
        figure(period="2024/25"),
    ]
    client = client_for(bay.users["police"])
    response = send(client, bay.upload_url, as_csv(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#id_file"' in html
    assert "Nothing was stored: 5 problems in the rows." in html
    assert problem_rows(html) == [
        (
            "3",
            "indicator",
            "shared.nscp.other-indicator",
            f"Must be {INDICATOR_ID}, this indicator's id",
        ),
        ("4", "unit", "count", "Must be rate_per_10000, this indicator's unit"),
        ("5", "value", "about 40", "Is not a number (or [c])"),
        (
            "6",
            "geography_code",
            "E06000050",
            "Must be Northbay's code (E06000097) or one of its statistical neighbours'",
        ),
        ("7", "period", "2024/25", "Must be a financial year (2024-25) or a date"),
    ]
    assert nothing_stored()
    assert not client.session.get(uploads.SESSION_KEY)


def test_a_place_or_a_breakdown_the_indicator_cannot_have_is_a_problem(bay: Bay) -> None:
    rows = [
        figure(geography_level="region", geography_code="E12000001"),
        figure(geography_level="england", geography_code="E06000097"),
        figure(geography_level="ward", geography_code="E05000001"),
        figure(breakdown="sex", category="F"),
        figure(category="F"),
    ]
    html = send(client_for(bay.users["police"]), bay.upload_url, as_csv(rows)).content.decode()
    assert [(r[0], r[1], r[3]) for r in problem_rows(html)] == [
        ("3", "geography_code", "Must be E92000001 for England"),
        ("4", "geography_level", "Must be la, region or england"),
        ("5", "breakdown", "Must be total: shared indicators have none"),
        ("6", "category", "Must be total when the breakdown is total"),
    ]


def test_a_repeated_figure_is_a_problem_but_a_faulty_row_is_not_taken_for_one(bay: Bay) -> None:
    rows = [figure(), figure(value=50), figure(unit="count"), figure(unit="count")]
    html = send(client_for(bay.users["police"]), bay.upload_url, as_csv(rows)).content.decode()
    assert [(r[0], r[1], r[3]) for r in problem_rows(html)] == [
        ("3", "(whole row)", "Repeats the figure of row 2"),
        ("4", "unit", "Must be rate_per_10000, this indicator's unit"),
        ("5", "unit", "Must be rate_per_10000, this indicator's unit"),
    ]


def test_only_the_first_problems_are_shown_with_a_count_of_the_rest(bay: Bay) -> None:
    rows = [figure(unit="count", period=f"{2000 + n}-{(n + 1) % 100:02d}") for n in range(60)]
    html = send(client_for(bay.users["police"]), bay.upload_url, as_csv(rows)).content.decode()
    assert len(problem_rows(html)) == uploads.PROBLEMS_SHOWN
    assert "The first 50 of 60 problems" in html and "There are 10 more problems" in html


def test_a_file_too_long_for_the_check_page_is_refused(
    bay: Bay, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_ROWS", 2)
    html = send(client_for(bay.users["police"]), bay.upload_url, as_csv(good_rows())).content
    assert "incidents.csv has 4 rows. Upload at most 2 at a time." in html.decode()
    assert nothing_stored()


def test_a_file_that_is_not_a_table_is_refused_with_a_message(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    html = send(client, bay.upload_url, b"just some words\n").content.decode()
    assert "incidents.csv is not a tidy indicator table" in html
    wrong_kind = send(client, bay.upload_url, b"a,b\n", name="incidents.xlsx").content.decode()
    assert "The selected file must be a CSV or Parquet file" in wrong_kind
    assert 'href="#id_file"' in wrong_kind
    assert nothing_stored()


def test_an_area_without_a_council_code_cannot_take_figures(bay: Bay) -> None:
    bay.area.council_code = ""
    bay.area.save()
    client = client_for(bay.users["police"])
    assert "This area has no council code yet" in client.get(bay.upload_url).content.decode()
    html = send(client, bay.upload_url, as_csv(good_rows())).content.decode()
    assert "Figures cannot be stored until the area has its council code." in html
    assert nothing_stored()


# -- the token between the two steps ----------------------------------------------------------


@pytest.mark.parametrize("token", ["", "no-such-token"])
def test_an_unknown_token_stores_nothing_and_says_why(bay: Bay, token: str) -> None:
    response = client_for(bay.users["police"]).post(bay.confirm_url, {"token": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "These figures were already stored, or the check has expired." in html
    assert 'href="#id_file"' in html
    assert nothing_stored()


def test_figures_are_stored_once_however_often_the_button_is_pressed(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    token = token_of(send(client, bay.upload_url, as_csv(good_rows())).content.decode())
    assert client.post(bay.confirm_url, {"token": token}).status_code == 302
    again = client.post(bay.confirm_url, {"token": token}).content.decode()
    assert "already stored, or the check has expired" in again
    assert IndicatorLoad.objects.count() == 1


def test_a_token_is_good_only_in_its_own_session(bay: Bay) -> None:
    token = token_of(
        send(client_for(bay.users["police"]), bay.upload_url, as_csv(good_rows())).content.decode()
    )
    other_session = client_for(bay.users["police"])
    assert (
        "already stored" in other_session.post(bay.confirm_url, {"token": token}).content.decode()
    )
    assert nothing_stored()


def test_an_indicator_changed_after_the_check_is_not_stored(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    token = token_of(send(client, bay.upload_url, as_csv(good_rows())).content.decode())
    bay.shared.unit = "count"
    bay.shared.save()
    html = client.post(bay.confirm_url, {"token": token}).content.decode()
    assert "The shared indicator changed after the file was checked." in html
    assert nothing_stored()


def test_a_session_keeps_only_the_last_few_checked_uploads(bay: Bay) -> None:
    client = client_for(bay.users["police"])
    tokens = [
        token_of(send(client, bay.upload_url, as_csv(good_rows())).content.decode())
        for _ in range(uploads.PENDING_KEPT + 1)
    ]
    kept = client.session[uploads.SESSION_KEY]
    assert list(kept) == tokens[1:]


# -- the places a shared indicator may cover --------------------------------------------------


def test_a_council_in_the_lookup_may_be_compared_with_its_own_region_only(bay: Bay) -> None:
    bay.area.council_code = "E06000001"
    places = uploads.places_for(bay.area)
    assert places.region_code == "E12000001"
    assert places.of_level("region") == [("E12000001", "North East")]
    assert places.name_of("la", "E06000001") == "Northbay"


def test_a_council_not_in_the_lookup_may_be_compared_with_any_region(bay: Bay) -> None:
    places = uploads.places_for(bay.area)
    assert places.region_code is None and len(places.of_level("region")) == 9
    assert places.of_level("la") == [("E06000001", "Hartlepool")]


def test_figures_are_shown_as_people_read_them() -> None:
    assert uploads._figure(43.91459074733096, "percent") == "43.9146%"
    assert uploads._figure(1210.0, "count") == "1,210"
    assert uploads._figure(None, "count") == ""
    assert uploads._figure(12.5, "rate_per_10000") == "12.5"
