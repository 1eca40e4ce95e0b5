"""An uploaded file is read and not kept: a large upload waits in the platform's private data
directory while its request reads it and is gone when the request ends; no copy is left under
the data directory or the web root. An upload that fails part way through storing stores
nothing."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.dashboards import uploads
from safeguarding.web.dashboards.models import SharedIndicator
from safeguarding.web.results import loading, views
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue, LoadedFile
from tests.conftest import World
from tests.web.results.tidy_tables import row, tidy_csv

#: Figures no other file holds, to find any copy of the upload by.
MARKED = {"numerator": 765432, "denominator": 98765432}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def where_the_web_serves() -> list[Path]:
    """The folders the platform serves files from."""
    folders = [Path(folder) for folder in django_settings.STATICFILES_DIRS]
    for setting in ("STATIC_ROOT", "MEDIA_ROOT"):
        if value := getattr(django_settings, setting, None):
            folders.append(Path(value))
    return [folder.resolve() for folder in folders]


def copies_of(marker: bytes) -> list[Path]:
    """Files under the data directory, the upload folder or the web root that hold ``marker``."""
    found = []
    roots = {
        Path(django_settings.DATA_DIR),
        Path(django_settings.FILE_UPLOAD_TEMP_DIR),
        *where_the_web_serves(),
    }
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                if path.is_symlink() or not path.is_file():
                    continue
                if path.stat().st_size < 200_000_000 and marker in path.read_bytes():
                    found.append(path)
    return found


class UploadSpy:
    """What the upload folder held while a view read the file, and what it holds now."""

    def __init__(self) -> None:
        self.folder = Path(django_settings.FILE_UPLOAD_TEMP_DIR)
        self.before = set(os.listdir(self.folder))
        self.while_reading: set[str] = set()

    def wrap(self, read: Callable[..., Any]) -> Callable[..., Any]:
        def reading(*args: Any, **kwargs: Any) -> Any:
            self.while_reading = set(os.listdir(self.folder)) - self.before
            return read(*args, **kwargs)

        return reading

    def left(self) -> set[str]:
        return set(os.listdir(self.folder)) - self.before


@pytest.fixture
def on_disk(settings: Any) -> None:
    """Any file larger than 1 KB goes to the upload folder rather than staying in memory."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024


def padded_rows(marked: dict[str, Any], count: int = 60) -> list[dict[str, Any]]:
    """The marked row and enough others to take the file past 1 KB."""
    others = [row(geography_code=f"E06{n:06d}", value=n) for n in range(100, 100 + count)]
    return [marked, *others]


def test_large_uploads_wait_in_a_private_folder_of_the_data_directory() -> None:
    folder = Path(django_settings.FILE_UPLOAD_TEMP_DIR).resolve()
    assert folder.is_relative_to(Path(django_settings.DATA_DIR).resolve())
    assert folder.is_dir() and folder.stat().st_mode & 0o077 == 0
    for served in where_the_web_serves():
        assert not folder.is_relative_to(served) and not served.is_relative_to(folder)


@pytest.mark.django_db
def test_an_analysts_upload_leaves_no_copy_of_the_file(
    world: World, on_disk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tidy_csv(
        padded_rows(row(indicator="adults.msp_asked_pct", unit="percent", value=0.78, **MARKED))
    )
    marker = re.search(rb"^.*98765432.*$", data, re.MULTILINE).group(0)  # type: ignore[union-attr]
    assert len(data) > 1024 and not copies_of(marker)
    spy = UploadSpy()
    monkeypatch.setattr(views, "read_tidy_file", spy.wrap(views.read_tidy_file))
    response = client_for(world.users["business_manager"]).post(
        "/results/upload/",
        {"label": "Marked run", "file": SimpleUploadedFile("marked.csv", data, "text/csv")},
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(denominator=98765432).exists()
    # The file waited in the upload folder while it was read, and went when the request ended.
    assert len(spy.while_reading) == 1 and spy.while_reading.pop().endswith(".upload.csv")
    assert not spy.left()
    assert not copies_of(marker)
    # What is kept of it is its name, size and checksum.
    assert LoadedFile.objects.get().size == len(data)


@pytest.mark.django_db
def test_an_agencys_upload_leaves_no_copy_of_the_file(
    world: World, on_disk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = SharedIndicator.objects.create(
        partnership=world.children,
        code="domestic-abuse-incidents",
        title="Domestic abuse incidents",
        definition="Incidents of domestic abuse recorded by the police, per 10,000 residents.",
        unit="rate_per_10000",
        owner_agency=world.police,
    )
    figures = [
        row(
            indicator=shared.indicator_id,
            geography_code="E09000099",
            period=f"{year}-{(year + 1) % 100:02d}",
            value=77.5,
            unit="rate_per_10000",
            **MARKED,
        )
        for year in range(1990, 2025)
    ]
    data = tidy_csv(figures)
    marker = re.search(rb"^.*98765432.*$", data, re.MULTILINE).group(0)  # type: ignore[union-attr]
    assert len(data) > 1024 and not copies_of(marker)
    spy = UploadSpy()
    monkeypatch.setattr(uploads, "read_tidy_file", spy.wrap(uploads.read_tidy_file))
    client = client_for(world.users["police_contributor"])
    upload_url = f"/partnerships/tscp/shared-indicators/{shared.pk}/upload/"
    check = client.post(upload_url, {"file": SimpleUploadedFile("da.csv", data, "text/csv")})
    assert check.status_code == 200, check.content.decode()[:2000]
    token = re.search(r'name="token" value="([^"]+)"', check.content.decode())
    assert token, "the check page has no token"
    assert len(spy.while_reading) == 1 and not spy.left()
    assert not copies_of(marker)

    stored = client.post(upload_url + "confirm/", {"token": token.group(1)})
    assert stored.status_code == 302
    assert IndicatorValue.objects.filter(indicator=shared.indicator_id).count() == len(figures)
    # The checked rows waited in the session only until they were stored.
    assert not client.session.get(uploads.SESSION_KEY)
    assert not spy.left() and not copies_of(marker)


@pytest.fixture
def second_batch_fails(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The database fails while the second batch of values goes in; the sizes of the batches
    it was given."""
    batches: list[int] = []
    manager = IndicatorValue.objects
    original = manager.bulk_create

    def failing(values: Any, *args: Any, **kwargs: Any) -> Any:
        batches.append(len(values))
        if len(batches) == 2:
            raise OperationalError("disk I/O error")
        return original(values, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", failing)
    yield batches


def test_an_upload_that_fails_part_way_stores_nothing(
    transactional_db: None, world: World, second_batch_fails: list[int]
) -> None:
    rows = [row(geography_code=f"E06{n:06d}", value=n) for n in range(loading.BATCH * 2 + 500)]
    client = Client(raise_request_exception=False)
    client.force_login(world.users["business_manager"])
    response = client.post(
        "/results/upload/",
        {"label": "Half stored", "file": SimpleUploadedFile("big.csv", tidy_csv(rows))},
    )
    assert response.status_code == 500
    # The first batch went in before the second failed, and was taken out with it.
    assert second_batch_fails == [loading.BATCH, loading.BATCH]
    assert not IndicatorLoad.objects.exists()
    assert not IndicatorValue.objects.exists()
    assert not LoadedFile.objects.exists()
    load_type = ContentType.objects.get_for_model(IndicatorLoad)
    assert not AuditEvent.objects.filter(content_type=load_type).exists()

    # Nothing half-stored stands in the way of the same file once the database is well (only
    # the second batch of all fails).
    again = client.post(
        "/results/upload/",
        {"label": "Stored", "file": SimpleUploadedFile("big.csv", tidy_csv(rows))},
    )
    assert again.status_code == 302
    assert IndicatorValue.objects.count() == len(rows)
    assert list(IndicatorLoad.objects.values_list("label", flat=True)) == ["Stored"]
