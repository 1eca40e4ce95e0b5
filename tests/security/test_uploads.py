"""Upload limits on size and count, and tricks in file names, on every page that takes a file:
the results upload, a shared indicator's upload, the statistical neighbours' measures and a
shared-priorities analysis's documents."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from safeguarding.web.alignment import pipeline
from safeguarding.web.alignment.models import SharedPrioritiesAnalysis
from safeguarding.web.audit import trail
from safeguarding.web.dashboards.models import NeighbourSet, SharedIndicator
from safeguarding.web.dashboards.views import MAX_MEASURES_BYTES
from safeguarding.web.results import forms
from safeguarding.web.results.loading import safe_file_name
from safeguarding.web.results.models import IndicatorLoad, LoadedFile
from tests.conftest import World
from tests.security import samples
from tests.web.results.tidy_tables import row, tidy_csv

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared(world: World) -> SharedIndicator:
    return SharedIndicator.objects.create(
        partnership=world.children,
        code="missing-episodes",
        title="Missing from home episodes",
        definition="Episodes of children reported missing.",
        unit="count",
        owner_agency=world.police,
    )


def shared_figures(shared: SharedIndicator) -> bytes:
    return tidy_csv(
        [row(indicator=shared.indicator_id, geography_code="E09000099", value=41, unit="count")]
    )


@pytest.fixture
def analysis(world: World) -> SharedPrioritiesAnalysis:
    manager = world.users["business_manager"]
    return SharedPrioritiesAnalysis.objects.create(
        area=world.area, title="Upload limits", created_by=manager, created_by_name="manager"
    )


#: A partnership's report, small and invented, as the documents page takes it.
REPORT = b"""# Testbury Safeguarding Adults Board: Annual Report 2025-26

## Our priorities for 2026-27

- Make the move from children's services to adult social care safe for young adults.
- Respond to domestic abuse affecting older adults.
"""

Send = Callable[[dict[str, Any]], Any]
Page = tuple[Send, str, bytes, str]


@pytest.fixture
def pages(
    world: World, shared: SharedIndicator, analysis: SharedPrioritiesAnalysis
) -> dict[str, Page]:
    """Each upload page: how to post to it (file fields given), its file field, a good file and
    a good file's name."""
    manager = client_for(world.users["business_manager"])
    police = client_for(world.users["police_contributor"])

    def results(files: dict[str, Any]) -> Any:
        return manager.post("/results/upload/", {"label": "Upload limits", **files})

    def shared_upload(files: dict[str, Any]) -> Any:
        url = f"/partnerships/tscp/shared-indicators/{shared.pk}/upload/"
        return police.post(url, {"notes": "", **files})

    def measures(files: dict[str, Any]) -> Any:
        return manager.post("/areas/testbury/neighbours/", {"count": "3", **files})

    def documents(files: dict[str, Any]) -> Any:
        url = f"/areas/testbury/shared-priorities/{analysis.pk}/documents/"
        return manager.post(url, {"name": "TSAB", "kind": "partnership", **files})

    measures_file = b"council_code,council_name,score\nE09000099,Testbury,1\n" + b"\n".join(
        f"E060000{70 + n},Council {n},{n}".encode() for n in range(6)
    )
    return {
        "results": (results, "file", tidy_csv([row()]), "figures.csv"),
        "shared indicator": (shared_upload, "file", shared_figures(shared), "figures.csv"),
        "measures": (measures, "measures", measures_file, "figures.csv"),
        "documents": (documents, "file", REPORT, "annual-report.md"),
    }


def nothing_stored() -> bool:
    return (
        not IndicatorLoad.objects.exists()
        and not NeighbourSet.objects.exists()
        and not any(a.sources or a.documents for a in SharedPrioritiesAnalysis.objects.all())
    )


def upload_of(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


PAGES = ["results", "shared indicator", "measures", "documents"]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_takes_its_good_file(pages: dict[str, Page], page: str) -> None:
    send, field, data, name = pages[page]
    response = send({field: upload_of(name, data)})
    # Stored (results, measures, documents) or shown back to check (shared indicator).
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert not re.search(r'class="govuk-error-summary"', response.content.decode())


@pytest.mark.parametrize(
    ("page", "limit", "says"),
    [
        ("results", forms.MAX_UPLOAD_BYTES, "The selected file must be smaller than 20 MB"),
        (
            "shared indicator",
            forms.MAX_UPLOAD_BYTES,
            "The selected file must be smaller than 20 MB",
        ),
        ("measures", MAX_MEASURES_BYTES, "The measures file must be 5 MB or smaller"),
        (
            "documents",
            pipeline.DEFAULT_MAX_BYTES,
            "The selected file must be smaller than 50 MB",
        ),
    ],
)
def test_a_file_over_the_limit_is_refused_with_a_clear_message(
    pages: dict[str, Page], page: str, limit: int, says: str
) -> None:
    send, field, data, name = pages[page]
    # A good file padded with blank lines: only its size is wrong.
    big = data + b"\n" * (limit + 1 - len(data))
    response = send({field: upload_of(name, big)})
    assert response.status_code == 200
    assert says in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("second", ["same field", "another field"])
def test_more_than_one_file_is_refused(pages: dict[str, Page], page: str, second: str) -> None:
    from django.conf import settings as django_settings

    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES == 1
    send, field, data, name = pages[page]
    first, other = upload_of(name, data), upload_of(f"more-{name}", data)
    files = {field: [first, other]} if second == "same field" else {field: first, "x": other}
    response = send(files)
    assert response.status_code == 400
    assert nothing_stored()


def test_form_fields_past_the_memory_limit_are_refused(pages: dict[str, Page]) -> None:
    from django.conf import settings as django_settings

    send, field, data, name = pages["results"]
    notes = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = send({field: upload_of(name, data), "notes": notes})
    assert response.status_code == 400
    assert nothing_stored()


# -- tricks in file names -----------------------------------------------------------------------

SAFE_NAME = re.compile(r"[A-Za-z0-9._ ()+-]+")

TRICKS = {
    "../../etc/passwd.csv": "passwd.csv",
    "..\\..\\windows\\system32\\drivers\\etc\\hosts.csv": "hosts.csv",
    "C:\\x\\y.csv": "y.csv",
    "\\\\server\\share\\figures.csv": "figures.csv",
    "/etc/passwd\x00.csv": "passwd_.csv",
    "figures\u202evsc.exe": "figures_vsc.exe",
    "..": "unnamed",
    "./.htaccess": "htaccess",
    "figures.csv.": "figures.csv",
    " figures.csv ": "figures.csv",
    "a" * 300 + ".csv": "a" * 255,
    "a" * 254 + " .csv": "a" * 254,
}


@pytest.mark.parametrize(("given_name", "kept"), sorted(TRICKS.items()))
def test_a_file_name_is_reduced_to_a_safe_base_name(given_name: str, kept: str) -> None:
    assert safe_file_name(given_name) == kept


@settings(max_examples=200, database=None)
@given(
    name=st.one_of(
        st.text(),
        st.lists(
            st.sampled_from(["..", ".", "/", "\\", "C:", "\x00", "\u202e", " ", "a", "é", "x.csv"]),
            max_size=80,
        ).map("".join),
    )
)
@example(name="a" * 254 + " b")
def test_any_file_name_is_reduced_to_a_safe_base_name(name: str) -> None:
    safe = safe_file_name(name)
    assert 1 <= len(safe) <= 255
    assert SAFE_NAME.fullmatch(safe), safe
    assert not safe.startswith((".", " ")) and not safe.endswith((".", " ")), safe
    assert safe_file_name(safe) == safe


def multipart(fields: dict[str, str], field: str, file_name: str, data: bytes) -> tuple[bytes, str]:
    """A form body with the file name exactly as given: Django's test client would send only
    its base name, as a browser does, but an attacker's client sends what it likes."""
    boundary = "----safeguarding-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    quoted = file_name.replace("\\", "\\\\").replace('"', '\\"')
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{quoted}"\r\nContent-Type: text/csv\r\n\r\n'.encode("utf-8", "surrogatepass")
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("given_name", sorted(TRICKS))
def test_an_uploaded_file_keeps_only_its_safe_name_in_its_provenance(
    world: World, given_name: str
) -> None:
    client = client_for(world.users["business_manager"])
    body, content_type = multipart({"label": "Names"}, "file", given_name, tidy_csv([row()]))
    response = client.post("/results/upload/", body, content_type=content_type)
    if response.status_code == 200:
        # Nothing was left of the name (Django drops such a file), or no .csv at its end.
        html = response.content.decode()
        assert "Select a CSV or Parquet file" in html or "must be a CSV or Parquet file" in html
        assert nothing_stored()
        return
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = LoadedFile.objects.get().name
    assert stored == safe_file_name(stored)
    assert SAFE_NAME.fullmatch(stored) and ".." not in stored


def test_the_shared_upload_shows_the_safe_name_back(world: World, shared: SharedIndicator) -> None:
    police = client_for(world.users["police_contributor"])
    url = f"/partnerships/tscp/shared-indicators/{shared.pk}/upload/"
    given_name = "../../etc/\u202epasswd.csv"
    body, content_type = multipart({"notes": ""}, "file", given_name, shared_figures(shared))
    response = police.post(url, body, content_type=content_type)
    html = response.content.decode()
    assert response.status_code == 200 and "Check the figures" in html
    assert "passwd.csv" in html
    assert "etc/" not in html and "\u202e" not in html


def test_a_measures_file_name_never_reaches_a_path(world: World) -> None:
    manager = client_for(world.users["business_manager"])
    data = samples.measures_csv().replace(b"E06000097", b"E09000099")
    body, content_type = multipart({"count": "2"}, "measures", "../../etc/passwd.csv", data)
    response = manager.post("/areas/testbury/neighbours/", body, content_type=content_type)
    assert response.status_code == 302, response.content.decode()[:2000]
    method = NeighbourSet.objects.get(area=world.area).method
    assert "passwd.csv" in method and "etc/" not in method


# -- the documents of a shared-priorities analysis ----------------------------------------------


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip package holding ``members``: the shape of a Word document, not its content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


#: The same tricks, on the name of a report: the safe name kept is the same but for ".md".
DOCUMENT_TRICKS = sorted(name.replace(".csv", ".md") for name in TRICKS)


@pytest.mark.parametrize("given_name", DOCUMENT_TRICKS)
def test_an_uploaded_document_keeps_only_its_safe_name_and_no_file(
    world: World, analysis: SharedPrioritiesAnalysis, given_name: str
) -> None:
    client = client_for(world.users["business_manager"])
    url = f"/areas/testbury/shared-priorities/{analysis.pk}/documents/"
    fields = {"name": "TSAB", "kind": "partnership"}
    body, content_type = multipart(fields, "file", given_name, REPORT)
    response = client.post(url, body, content_type=content_type)
    analysis.refresh_from_db()
    if response.status_code == 200:
        # Nothing was left of the name, or no document's ending at its end.
        html = response.content.decode()
        assert (
            "Select a document to upload" in html
            or "must be a PDF, Word (DOCX), HTML, Markdown or text file" in html
        )
        assert nothing_stored()
        return
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = analysis.sources[0]["file"]
    assert stored == safe_file_name(stored) and stored.endswith(".md")
    assert SAFE_NAME.fullmatch(stored) and ".." not in stored
    # The page shows the safe name back, and the audit trail keeps only that name.
    page = client.get(url).content.decode()
    assert stored in page and "etc/" not in page and "\u202e" not in page
    assert f"uploaded {stored} as TSAB" in trail.history(analysis).get().note


@pytest.mark.parametrize(
    ("given_name", "data"),
    [
        ("figures.csv", b"council_code,value\nE09000099,1\n"),
        ("plan.xlsx", b"PK\x03\x04" + b"\x00" * 60),
        ("report.exe", b"MZ\x90\x00" + b"\x00" * 60),
        ("report.pdf.exe", b"%PDF-1.7\n"),
        ("report", REPORT),
    ],
)
def test_a_document_of_the_wrong_type_is_refused_by_its_name(
    pages: dict[str, Page], given_name: str, data: bytes
) -> None:
    send, field, _data, _name = pages["documents"]
    response = send({field: upload_of(given_name, data)})
    assert response.status_code == 200
    assert "The selected file must be a PDF, Word (DOCX), HTML, Markdown or text file" in (
        response.content.decode()
    )
    assert nothing_stored()


@pytest.mark.parametrize(
    ("given_name", "data", "says"),
    [
        ("report.docx", b"PK\x03\x04" + b"\x00" * 60, "not a readable zip package"),
        ("report.docx", zip_of({"notes.txt": b"not a report"}), "not a Word document"),
        ("report.pdf", b"%PDF-1.7\n1 0 obj broken", "looks damaged"),
        ("report.html", b"<html><body><script>alert(1)</script></body></html>", "no text"),
    ],
)
def test_a_document_that_is_not_what_its_name_says_is_refused_plainly(
    pages: dict[str, Page], given_name: str, data: bytes, says: str
) -> None:
    send, field, _data, _name = pages["documents"]
    response = send({field: upload_of(given_name, data)})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="govuk-error-summary"' in html
    assert says in html
    assert nothing_stored()
