"""The audit trail for an information governance review: the events asked for, as CSV.

The page at /audit/ and ``safeguarding audit export`` both choose events with a ``Selection``
and write them with ``csv_chunks``, which reads and writes a batch at a time, so a trail of
millions of events never sits in memory at once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import models
from django.utils import timezone

from safeguarding.dashboards.downloads import Column, to_csv
from safeguarding.web.audit.models import AuditEvent

COLUMNS: list[Column] = [
    ("when", "When (UTC)"),
    ("who", "Who"),
    ("action", "Action"),
    ("via", "Via"),
    ("record_type", "Record type"),
    ("record_id", "Record id"),
    ("record", "Record"),
    ("partnership", "Partnership"),
    ("changes", "Changes"),
    ("note", "Note"),
    ("ip", "IP address"),
]
BATCH = 2000


@dataclass(frozen=True)
class Selection:
    """Which events a review asks for. Days are whole days in the platform's time zone
    (UK time), both ends included; every field left empty selects everything."""

    start: dt.date | None = None
    end: dt.date | None = None
    person: str = ""
    partnership: Any = None
    action: str = ""

    def events(self) -> models.QuerySet[AuditEvent]:
        """The events chosen, newest first, with what is shown of them read in one query."""
        events = AuditEvent.objects.select_related("content_type", "partnership")
        if self.start is not None:
            events = events.filter(at__gte=_midnight(self.start))
        if self.end is not None:
            events = events.filter(at__lt=_midnight(self.end + dt.timedelta(days=1)))
        if self.person:
            events = events.filter(username__iexact=self.person)
        if self.partnership is not None:
            events = events.filter(partnership=self.partnership)
        if self.action:
            events = events.filter(action=self.action)
        return events

    def describe(self) -> str:
        """The selection in a few words, for the note of the export's own event."""
        parts = [
            f"from {self.start.isoformat()}" if self.start else "",
            f"to {self.end.isoformat()}" if self.end else "",
            f"person {self.person}" if self.person else "",
            f"partnership {self.partnership.slug}" if self.partnership is not None else "",
            f"action {self.action}" if self.action else "",
        ]
        return ", ".join(part for part in parts if part) or "everything"

    def file_name(self) -> str:
        first = self.start.isoformat() if self.start else "start"
        last = self.end.isoformat() if self.end else timezone.localdate().isoformat()
        return f"audit-trail-{first}-to-{last}.csv"


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _record_type(event: AuditEvent) -> str:
    if event.content_type is None:
        return ""
    model = event.content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else event.content_type.model


def row(event: AuditEvent) -> dict[str, Any]:
    """One event as a row of the CSV."""
    return {
        "when": event.at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "who": event.username,
        "action": event.action,
        "via": event.via,
        "record_type": _record_type(event),
        "record_id": event.object_id,
        "record": event.object_repr,
        "partnership": event.partnership.name if event.partnership is not None else "",
        "changes": json.dumps(event.changes, ensure_ascii=False, sort_keys=True)
        if event.changes
        else "",
        "note": event.note,
        "ip": event.ip or "",
    }


def _batches(events: models.QuerySet[AuditEvent]) -> Iterator[list[dict[str, Any]]]:
    """The events, oldest first, as rows, read from the database a batch at a time."""
    batch: list[dict[str, Any]] = []
    for event in events.order_by("at", "id").iterator(chunk_size=BATCH):
        batch.append(row(event))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _body(batch: list[dict[str, Any]], head: bytes) -> bytes:
    # to_csv writes the headings (and the byte order mark) every time: only the first piece
    # of a file keeps them.
    written = to_csv(batch, COLUMNS)
    assert written.startswith(head)
    return written[len(head) :]


def csv_chunks(events: models.QuerySet[AuditEvent]) -> Iterator[bytes]:
    """The events, oldest first, as CSV in pieces: the headings, then a batch at a time."""
    head = to_csv([], COLUMNS)
    yield head
    for batch in _batches(events):
        yield _body(batch, head)


def write_csv(events: models.QuerySet[AuditEvent], handle: BinaryIO) -> int:
    """Write the events as CSV to an open binary file; the number of events written."""
    head = to_csv([], COLUMNS)
    handle.write(head)
    count = 0
    for batch in _batches(events):
        handle.write(_body(batch, head))
        count += len(batch)
    return count
