"""The results pages: who may see and upload, what the pages show, and upload checks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.results import forms
from safeguarding.web.results.models import IndicatorLoad
from tests.conftest import World
from tests.web.results.tidy_tables import row, small_table, tidy_csv

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, data: bytes, name: str = "adults.csv", **fields: Any) -> Any:
    return client.post(
        "/results/upload/",
        {
            "label": fields.pop("label", "Adult indicators 2024-25"),
            "notes": fields.pop("notes", ""),
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
        },
    )


@pytest.mark.parametrize("path", ["/results/", "/results/upload/", "/results/1/"])
def test_anonymous_visitors_are_sent_to_sign_in(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_a_manager_uploads_and_sees_the_loads_page(world: World) -> None:
    client = client_for(world.users["business_manager"])
    page = client.get("/results/upload/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "govuk-file-upload" in html

    response = upload(client, tidy_csv(small_table()), name="adults 2024-25.csv", notes="Run 2.")
    load = IndicatorLoad.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/results/{load.pk}/"
    assert (load.kind, load.via, load.loaded_by, load.notes) == (
        "uploaded",
        "web",
        world.users["business_manager"],
        "Run 2.",
    )

    detail = client.get(response["Location"]).content.decode()
    assert "Loaded 5 indicator values from adults 2024-25.csv" in detail
    assert "Adult indicators 2024-25" in detail and load.files.get().sha256 in detail
    assert "adults.concerns" in detail and "2024-25" in detail
    # A summary only: the figures themselves are never listed.
    assert "641,235" not in detail and "641235" not in detail and "79.31" not in detail

    listing = client.get("/results/").content.decode()
    assert "adults 2024-25.csv" in listing and f'href="/results/{load.pk}/"' in listing
    assert 'href="/results/upload/"' in listing


def test_every_signed_in_page_links_to_the_results(world: World) -> None:
    html = client_for(world.users["board_member"]).get("/").content.decode()
    assert 'href="/results/"' in html and "Indicator results" in html


def test_a_board_member_reads_but_cannot_upload(world: World) -> None:
    load_by_manager = upload(client_for(world.users["business_manager"]), tidy_csv([row()]))
    assert load_by_manager.status_code == 302
    board = client_for(world.users["board_member"])
    listing = board.get("/results/")
    assert listing.status_code == 200
    assert 'href="/results/upload/"' not in listing.content.decode()
    assert board.get(load_by_manager["Location"]).status_code == 200
    assert board.get("/results/upload/").status_code == 403
    assert upload(board, tidy_csv([row(value=99)])).status_code == 403
    assert IndicatorLoad.objects.count() == 1
    assert AuditEvent.objects.filter(action="refused", username="board").exists()


def test_a_contributor_reads_and_someone_without_a_role_sees_nothing(world: World) -> None:
    assert client_for(world.users["police_contributor"]).get("/results/").status_code == 200
    assert client_for(world.users["police_contributor"]).get("/results/upload/").status_code == 403
    assert client_for(world.users["no_role"]).get("/results/").status_code == 403


def test_a_missing_load_is_not_found(world: World) -> None:
    assert client_for(world.users["administrator"]).get("/results/999/").status_code == 404


def test_problems_are_shown_with_their_rows_and_nothing_is_stored(world: World) -> None:
    rows = [row(), row(period="2024/25", breakdown="sex", category="F"), row(unit="people")]
    response = upload(client_for(world.users["business_manager"]), tidy_csv(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error: " in html
    assert 'href="#id_file"' in html and "Nothing was loaded: 2 problems in the rows." in html
    assert "<code>2024/25</code>" in html and "<code>people</code>" in html
    assert ">3</td>" in html and ">4</td>" in html
    assert not IndicatorLoad.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("adults.xlsx", b"PK\x03\x04", "must be a CSV or Parquet file"),
        ("adults.csv", b"", "The selected file is empty"),
        ("adults.csv", b"indicator,value\n", "no column geography_level"),
    ],
)
def test_the_upload_checks_the_file(world: World, name: str, data: bytes, message: str) -> None:
    response = upload(client_for(world.users["business_manager"]), data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IndicatorLoad.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world: World) -> None:
    assert forms.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    header = tidy_csv([row()])
    big = header + b"\n" * (forms.MAX_UPLOAD_BYTES + 1 - len(header))
    response = upload(client_for(world.users["business_manager"]), big)
    assert "must be smaller than 20 MB" in response.content.decode()
    assert not IndicatorLoad.objects.exists()


def test_a_label_is_required_on_the_form(world: World) -> None:
    response = upload(client_for(world.users["business_manager"]), tidy_csv([row()]), label=" ")
    assert "Enter a label for the results" in response.content.decode()
    assert not IndicatorLoad.objects.exists()


def test_exact_figures_carry_the_internal_use_warning(world: World) -> None:
    client = client_for(world.users["administrator"])
    exact = IndicatorLoad.objects.create(
        kind="computed", label="Exact", loaded_by_name="x", via="cli", suppressed=False
    )
    published = IndicatorLoad.objects.create(
        kind="published", label="SAC", loaded_by_name="x", via="cli", suppressed=True
    )
    assert "internal use only" in client.get(f"/results/{exact.pk}/").content.decode()
    page = client.get(f"/results/{published.pk}/").content.decode()
    assert "internal use only" not in page and "small counts withheld" in page


def test_the_detail_page_says_what_replaced_what(world: World) -> None:
    client = client_for(world.users["business_manager"])
    first = upload(client, tidy_csv([row()]), label="First run")
    second = upload(client, tidy_csv([row(value=1300)]), label="Second run")
    first_page = client.get(first["Location"]).content.decode()
    assert "replaced by" in first_page and "Second run" in first_page
    second_page = client.get(second["Location"]).content.decode()
    assert "Replaces 1 values of" in second_page and "First run" in second_page
    assert "Replaced</strong>" in client.get("/results/").content.decode()
