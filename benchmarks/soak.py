"""Soak test: the platform under a mixed load of reads, edits and uploads, with no edit lost.

1. Fill: a fresh store as the dashboard benchmark makes it (``dashboard_fill.py``: invented
   figures for every indicator, an area with a children's partnership and an adults' board,
   their priorities and dashboards), plus, for each partnership, three member agencies with
   three delivery actions each, and the people below.
2. Serve: ``safeguarding serve --workers 2`` (gunicorn, as in production, debug off) on a free
   loopback port, on the same database.
3. Use: 50 simulated people sign in through the sign-in form and, for ``--duration`` seconds
   (600 by default, at most an hour), do one thing after another, pausing a random 0 to
   2 x ``--think`` seconds (1 s on average) between them:

   - 30 board members read: the dashboard, the partnership's overview, the list of actions,
     an action's page, an indicator's page;
   - 12 agency contributors (two for each member agency) read their agency's actions and add
     progress updates to them through the real form (its page, then the form sent back with
     its CSRF token);
   - 8 business managers (four for each partnership) change the status of the actions each
     of them looks after through the action's form, upload a small tidy CSV of indicator
     values through the results upload page (each at most once a minute), and read the
     dashboard and actions.

   Each manager looks after actions of their own, so that two managers never change the
   same action at once and every acknowledged change must show in the audit trail.
4. Check and report: requests a second, median and 95th percentile latency overall and by
   request type, errors (a read that is not ``200 OK``, a form that is not accepted with a
   redirect to what it saved, a timeout or a dropped connection), and the count check: every
   edit a client was told had succeeded is in the database (progress updates and loads by
   their ids, status changes by their audit events, and each action's final status).
   Target: no errors and no lost edits.

    .venv/bin/python benchmarks/soak.py [--duration 600] [--quick] [--users 50] [--think 1]
        [--workers 2] [--councils 153] [--years 10] [--database-url postgres://...]
        [--json out.json]

``make soak`` runs it on a private PostgreSQL cluster (``scripts/with-postgres``); the
database must be empty. ``--quick`` is a 30-second check on a small store (3 councils, 2
years). Without ``--database-url`` or ``DATABASE_URL`` it runs on SQLite.
"""

from __future__ import annotations

import argparse
import datetime
import html.parser
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import dashboard_fill as fill
import dashboard_load as load
import dashboard_traffic as traffic

QUICK = {"duration": 30.0, "councils": 3, "years": 2}
FULL = {"duration": 600.0, "councils": 153, "years": fill.YEARS}
LONGEST = 3600.0
USERS = 50
WORKERS = 2
AGENCIES = (
    ("Council", "local_authority"),
    ("Police", "police"),
    ("Integrated Care Board", "health_commissioner"),
)
ACTIONS_PER_AGENCY = 3
#: What the soak writes starts with this, so that it can be counted afterwards.
MARK = "Soak"
#: Where a form sends the browser once it has saved what it was sent.
SAVED_UPDATE = re.compile(r"^/partnerships/[\w-]+/updates/(\d+)/$")
SAVED_ACTION = re.compile(r"^/partnerships/[\w-]+/actions/(\d+)/$")
SAVED_LOAD = re.compile(r"^/results/(\d+)/$")
_FIRST_ERROR = re.compile(r'govuk-error-summary__list">\s*<li>\s*<a[^>]*>([^<]+)</a>')

#: Request types in the order of the report.
KINDS = (
    "dashboard",
    "overview",
    "action list",
    "action",
    "indicator",
    "update form",
    "update sent",
    "action form",
    "status sent",
    "upload page",
    "upload sent",
)
#: What each role does, with weights: read one page, or make one edit.
MIXES: dict[str, dict[str, int]] = {
    "reader": {"dashboard": 3, "overview": 1, "action list": 2, "action": 2, "indicator": 2},
    "contributor": {"action": 2, "action list": 1, "update": 3},
    "manager": {"dashboard": 2, "action": 2, "status": 4, "upload": 2},
}
#: Seconds a manager waits before uploading again (a status change comes instead): every load
#: makes the dashboards draw their charts again, which a load a second would never let finish.
UPLOAD_GAP = 60.0


# -- the people ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A simulated person: their role, sign-in, partnership and the actions they work on."""

    role: str  # reader, contributor or manager
    username: str
    password: str
    slug: str
    actions: tuple[int, ...]
    reader: traffic.Reader  # the partnership's pages and indicators, for reads


def _roles(users: int) -> tuple[int, int, int]:
    """How many readers, contributors and managers make ``users`` (60%, 24%, 16%)."""
    contributors = max(1, round(users * 0.24))
    managers = max(1, round(users * 0.16))
    return max(1, users - contributors - managers), contributors, managers


def add_agencies_and_people(site: fill.Site, contributors: int, managers: int) -> list[Person]:
    """Member agencies with delivery actions in each partnership, their contributors and the
    partnerships' business managers (alternately of each partnership)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from safeguarding.web.accounts.models import RoleAssignment
    from safeguarding.web.records import models as records

    user_model = get_user_model()
    slugs = list(site.partnerships)
    agency_actions: dict[str, list[tuple[int, list[int]]]] = {}
    people: list[Person] = []

    def person(role: str, number: int, slug: str, actions: Sequence[int], **where: Any) -> Person:
        username, password = f"soak-{role}-{number:02d}", secrets.token_urlsafe(16)
        user = user_model.objects.create(username=username, password=make_password(password))
        partnership = records.Partnership.objects.get(slug=slug)
        role_code = "agency_contributor" if role == "contributor" else "business_manager"
        RoleAssignment.objects.create(user=user, role=role_code, partnership=partnership, **where)
        return Person(role, username, password, slug, tuple(actions), _reader(site, slug))

    with transaction.atomic():
        area = records.Area.objects.get(slug=site.area)
        for slug in slugs:
            partnership = records.Partnership.objects.get(slug=slug)
            priorities = list(partnership.priorities.order_by("pk"))
            agency_actions[slug] = []
            for name, sector in AGENCIES:
                agency, _ = records.PartnerAgency.objects.get_or_create(
                    area=area, name=f"{area.name} {name}", defaults={"sector": sector}
                )
                records.AgencyMembership.objects.create(
                    partnership=partnership, agency=agency, kind="statutory_partner"
                )
                made = [
                    records.DeliveryAction.objects.create(
                        priority=priorities[number % len(priorities)],
                        title=f"{name}: action {number + 1} of the delivery plan",
                        owner_agency=agency,
                        lead="Head of Service",
                        due_date=datetime.date(2026, 3, 31),
                    ).pk
                    for number in range(ACTIONS_PER_AGENCY)
                ]
                agency_actions[slug].append((agency.pk, made))
        for number in range(contributors):
            slug = slugs[number % len(slugs)]
            agency_id, actions = agency_actions[slug][(number // len(slugs)) % len(AGENCIES)]
            people.append(person("contributor", number + 1, slug, actions, agency_id=agency_id))
        for slug in slugs:
            mine = [m for m in range(managers) if slugs[m % len(slugs)] == slug]
            every_action = [pk for _, actions in agency_actions[slug] for pk in actions]
            for place, number in enumerate(mine):
                people.append(person("manager", number + 1, slug, every_action[place :: len(mine)]))
    return people


def _reader(site: fill.Site, slug: str, login: fill.Login | None = None) -> traffic.Reader:
    return traffic.Reader(
        login.username if login else "",
        login.password if login else "",
        slug,
        site.partnerships[slug],
        site.indicators[slug],
    )


def readers_of(site: fill.Site, count: int) -> list[Person]:
    """The filled store's board members, who read."""
    people = []
    for login in site.logins[:count]:
        reader = _reader(site, login.partnership, login)
        people.append(
            Person("reader", login.username, login.password, login.partnership, (), reader)
        )
    return people


def partnership_actions(people: Sequence[Person]) -> dict[str, tuple[int, ...]]:
    """Every soak action of each partnership, for readers to open."""
    found: dict[str, set[int]] = {}
    for someone in people:
        found.setdefault(someone.slug, set()).update(someone.actions)
    return {slug: tuple(sorted(pks)) for slug, pks in found.items()}


# -- forms ---------------------------------------------------------------------------------------


class FormFields(html.parser.HTMLParser):
    """What a browser would send back from a page's form (not the sign-out form): each field's
    value as the page fills it in, and the choices of each set of radios."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[tuple[str, str]] = []
        self.choices: dict[str, list[str]] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = "sign-out" not in a.get("action", "")
        if not self._in_form or (not a.get("name", "") and tag != "option"):
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                self.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset", "image"):
                self.values.append((name, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = name
            self.values.append((name, ""))
        elif tag == "select":
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, text = self.values[-1]
            self.values[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]  # what a browser sends for a plain select
            self.values += [(self._select, value) for value in chosen]
            self._select = None

    @classmethod
    def of(cls, page: bytes) -> FormFields:
        parser = cls()
        parser.feed(page.decode("utf-8", "replace"))
        return parser

    def value(self, name: str) -> str:
        return next((v for n, v in self.values if n == name), "")

    def with_values(self, **changes: str) -> list[tuple[str, str]]:
        """The fields to send, with ``changes`` in place of what the page filled in."""
        kept = [(n, v) for n, v in self.values if n not in changes]
        return kept + list(changes.items())


def multipart(
    fields: Sequence[tuple[str, str]], file_field: str, name: str, data: bytes
) -> tuple[bytes, str]:
    """A multipart/form-data body with one file, and its content type."""
    boundary = f"soak-{secrets.token_hex(12)}"
    parts = []
    for key, value in fields:
        disposition = f'Content-Disposition: form-data; name="{key}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def tidy_csv(codes: Sequence[str], rng: random.Random) -> bytes:
    """A small tidy table: adult concerns in 2024-25 for a few councils."""
    from safeguarding.indicators.tidy import TIDY_COLUMNS

    lines = [",".join(TIDY_COLUMNS)]
    for code in codes:
        row = {
            "indicator": "adults.concerns",
            "geography_level": "la",
            "geography_code": code,
            "period": "2024-25",
            "breakdown": "total",
            "category": "total",
            "value": str(rng.randint(200, 3000)),
            "unit": "count",
        }
        lines.append(",".join(row.get(column, "") for column in TIDY_COLUMNS))
    return ("\n".join(lines) + "\n").encode()


# -- the simulated people ------------------------------------------------------------------------


class Visitor(traffic.Browser):
    """A browser that can also send a file."""

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        signed_in: bool = True,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "soak-test"}
        if signed_in and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
        connection = self._connect()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response.status, data, response


@dataclass
class Acknowledged:
    """The edits the server said it saved, from every simulated person."""

    updates: set[int] = field(default_factory=set)
    loads: set[int] = field(default_factory=set)
    #: (action, new status) of every acknowledged status change.
    statuses: Counter[tuple[int, str]] = field(default_factory=Counter)
    #: The status each action was last set to, where the last attempt was acknowledged.
    last_status: dict[int, str | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Session:
    """One simulated person at work: their browser, their choices and what they saw."""

    def __init__(
        self,
        someone: Person,
        visitor: Visitor,
        rng: random.Random,
        started: float,
        acknowledged: Acknowledged,
        context: dict[str, Any],
    ) -> None:
        self.someone = someone
        self.visitor = visitor
        self.rng = rng
        self.started = started
        self.acknowledged = acknowledged
        self.context = context
        self.outcomes: list[traffic.Outcome] = []
        self.number = 0
        self.uploaded_at = -UPLOAD_GAP

    def _send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str = "application/x-www-form-urlencoded",
        saved: re.Pattern[str] | None = None,
    ) -> tuple[bytes, re.Match[str] | None]:
        """Send one request and record it; the page, and for a form what it saved."""
        began = time.perf_counter()
        try:
            status, data, response = self.visitor.request(
                method, path, body=body, content_type=content_type
            )
        except (OSError, http.client.HTTPException) as error:
            seconds = time.perf_counter() - began
            problem = f"{type(error).__name__}: {error}"
            self.outcomes.append(
                traffic.Outcome(kind, path, began - self.started, seconds, 0, 0, problem)
            )
            return b"", None
        seconds = time.perf_counter() - began
        where = response.getheader("Location", "") or ""
        found = saved.match(urllib.parse.urlsplit(where).path) if saved else None
        problem = ""
        if saved is not None and (status != 302 or found is None):
            error = _FIRST_ERROR.search(data.decode("utf-8", "replace"))
            problem = f"status {status}" + (
                f", the form said: {error.group(1).strip()}" if error else f", to {where or '-'}"
            )
        elif saved is None and status != 200:
            problem = f"status {status}" + (f", redirected to {where}" if where else "")
        self.outcomes.append(
            traffic.Outcome(kind, path, began - self.started, seconds, status, len(data), problem)
        )
        return data, found

    def _form(self, kind: str, path: str) -> FormFields | None:
        page, _ = self._send(kind, "GET", path)
        fields = FormFields.of(page)
        return fields if fields.value("csrfmiddlewaretoken") else None

    def read(self, kind: str) -> None:
        base = f"/partnerships/{self.someone.slug}/"
        actions = self.someone.actions or self.context["actions"][self.someone.slug]
        paths = {
            "dashboard": f"{base}dashboard/",
            "overview": base,
            "action list": f"{base}actions/",
            "action": f"{base}actions/{self.rng.choice(actions)}/",
        }
        if kind == "indicator":
            path = traffic.page_path("indicator", self.someone.reader, self.rng)
        else:
            path = paths[kind]
        self._send(kind, "GET", path)

    def add_update(self) -> None:
        """A progress update on one of the agency's actions, through its form."""
        action = self.rng.choice(self.someone.actions)
        path = f"/partnerships/{self.someone.slug}/updates/new/?action={action}"
        fields = self._form("update form", path)
        if fields is None:
            return
        self.number += 1
        # Yesterday: never "in the future" wherever the server's day has got to.
        day = datetime.date.today() - datetime.timedelta(days=1)
        body = urllib.parse.urlencode(
            fields.with_values(
                date_day=str(day.day),
                date_month=str(day.month),
                date_year=str(day.year),
                note=f"{MARK} update {self.someone.username}-{self.number}: training delivered "
                "to another team; attendance and feedback recorded.",
                evidence_url="",
                rag=self.rng.choice(fields.choices.get("rag") or ["green"]),
            )
        ).encode()
        _, saved = self._send("update sent", "POST", path, body=body, saved=SAVED_UPDATE)
        if saved:
            with self.acknowledged.lock:
                self.acknowledged.updates.add(int(saved.group(1)))

    def change_status(self) -> None:
        """A new status for one of the manager's actions, through the action's form."""
        action = self.rng.choice(self.someone.actions)
        path = f"/partnerships/{self.someone.slug}/actions/{action}/edit/"
        fields = self._form("action form", path)
        if fields is None:
            return
        current = fields.value("status")
        others = [s for s in fields.choices.get("status", []) if s != current]
        if not others:
            return
        status = self.rng.choice(others)
        body = urllib.parse.urlencode(fields.with_values(status=status)).encode()
        _, saved = self._send("status sent", "POST", path, body=body, saved=SAVED_ACTION)
        with self.acknowledged.lock:
            if saved:
                self.acknowledged.statuses[(action, status)] += 1
            # Unknown after a failed attempt: it may or may not have been saved.
            self.acknowledged.last_status[action] = status if saved else None

    def upload(self) -> None:
        """A small tidy table through the results upload page."""
        self.uploaded_at = time.perf_counter()
        fields = self._form("upload page", "/results/upload/")
        if fields is None:
            return
        self.number += 1
        label = f"{MARK} upload {self.someone.username}-{self.number}"
        data = tidy_csv(self.context["councils"], self.rng)
        body, content_type = multipart(
            fields.with_values(label=label, notes="Adult concerns, revised."),
            "file",
            f"soak-{self.someone.username}-{self.number}.csv",
            data,
        )
        _, saved = self._send(
            "upload sent",
            "POST",
            "/results/upload/",
            body=body,
            content_type=content_type,
            saved=SAVED_LOAD,
        )
        if saved:
            with self.acknowledged.lock:
                self.acknowledged.loads.add(int(saved.group(1)))

    def act(self) -> None:
        mix = MIXES[self.someone.role]
        what = self.rng.choices(list(mix), list(mix.values()))[0]
        if what == "upload" and time.perf_counter() - self.uploaded_at < UPLOAD_GAP:
            what = "status"
        if what == "status" and not self.someone.actions:  # more managers than actions
            what = "dashboard"
        doings: dict[str, Callable[[], None]] = {
            "update": self.add_update,
            "status": self.change_status,
            "upload": self.upload,
        }
        if what in doings:
            doings[what]()
        else:
            self.read(what)


def drive(
    people: Sequence[Person],
    visitors: Sequence[Visitor],
    duration: float,
    think: float,
    seed: int,
    context: dict[str, Any],
    on_start: Callable[[], None],
) -> tuple[list[traffic.Outcome], float, Acknowledged]:
    """Everyone works side by side for ``duration`` seconds; what happened, how long it took
    until the last of them finished, and the edits the server acknowledged."""
    acknowledged = Acknowledged()
    start = threading.Barrier(len(people) + 1)
    clock: dict[str, float] = {}
    sessions: list[Session] = []

    def work(session: Session) -> None:
        start.wait()
        session.started = clock["began"]
        # Everyone starts at a different moment, as people do.
        time.sleep(session.rng.uniform(0, 2 * think))
        while time.perf_counter() < clock["deadline"]:
            session.act()
            time.sleep(session.rng.uniform(0, 2 * think))

    for number, (someone, visitor) in enumerate(zip(people, visitors, strict=True)):
        rng = random.Random(seed * 1000 + number)
        sessions.append(Session(someone, visitor, rng, 0.0, acknowledged, context))
    threads = [threading.Thread(target=work, args=(s,), daemon=True) for s in sessions]
    for thread in threads:
        thread.start()
    clock["began"] = time.perf_counter()
    clock["deadline"] = clock["began"] + duration
    on_start()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - clock["began"]
    return [o for s in sessions for o in s.outcomes], elapsed, acknowledged


# -- the count check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """Edits of one kind: acknowledged, found in the database, and lost (acknowledged, not
    found); ``unacknowledged`` were saved although the client heard no success."""

    name: str
    acknowledged: int
    found: int
    lost: int
    unacknowledged: int


def count_edits(acknowledged: Acknowledged, people: Sequence[Person]) -> list[Count]:
    """Every acknowledged edit looked for in the database."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.web.audit.models import AuditEvent
    from safeguarding.web.records.models import DeliveryAction, ProgressUpdate
    from safeguarding.web.results.models import IndicatorLoad

    updates = set(
        ProgressUpdate.objects.filter(note__startswith=f"{MARK} update ").values_list(
            "pk", flat=True
        )
    )
    loads = set(
        IndicatorLoad.objects.filter(label__startswith=f"{MARK} upload ").values_list(
            "pk", flat=True
        )
    )
    managers = [p.username for p in people if p.role == "manager"]
    events = AuditEvent.objects.filter(
        action="update",
        username__in=managers,
        content_type=ContentType.objects.get_for_model(DeliveryAction),
    ).values_list("object_id", "changes")
    changed: Counter[tuple[int, str]] = Counter(
        (int(object_id), changes["status"][1])
        for object_id, changes in events
        if "status" in changes
    )
    finals = dict(
        DeliveryAction.objects.filter(pk__in=list(acknowledged.last_status)).values_list(
            "pk", "status"
        )
    )
    wrong_final = sum(
        1
        for pk, status in acknowledged.last_status.items()
        if status is not None and finals.get(pk) != status
    )
    status_lost = sum((acknowledged.statuses - changed).values())
    return [
        Count(
            "progress updates",
            len(acknowledged.updates),
            len(acknowledged.updates & updates),
            len(acknowledged.updates - updates),
            len(updates - acknowledged.updates),
        ),
        Count(
            "status changes",
            sum(acknowledged.statuses.values()),
            sum((acknowledged.statuses & changed).values()),
            status_lost,
            sum((changed - acknowledged.statuses).values()),
        ),
        Count(
            "actions' final status",
            sum(1 for s in acknowledged.last_status.values() if s is not None),
            sum(1 for s in acknowledged.last_status.values() if s is not None) - wrong_final,
            wrong_final,
            0,
        ),
        Count(
            "uploads",
            len(acknowledged.loads),
            len(acknowledged.loads & loads),
            len(acknowledged.loads - loads),
            len(loads - acknowledged.loads),
        ),
    ]


# -- the server and the report -------------------------------------------------------------------


def start_server(data_dir: Path, log: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """``safeguarding serve --workers N`` on a free loopback port, answering."""
    port = load._free_port()
    env = {**os.environ, "SAFEGUARDING_DATA_DIR": str(data_dir)}
    env["SAFEGUARDING_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("SAFEGUARDING_DEBUG", None)
    command = [
        str(load.BIN / "safeguarding"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 (the project's own command)
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    probe = traffic.Browser("127.0.0.1", port)
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped at start:\n{log.read_text()[-3000:]}")
        try:
            if probe.request("GET", traffic.SIGN_IN, signed_in=False)[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            load.stop_server(server)
            raise SystemExit(f"The server did not answer within 60 s:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    probe.close()
    return server, port


def sign_in_everyone(port: int, people: Sequence[Person]) -> list[Visitor]:
    """A signed-in browser for everyone, ten at a time (each sign-in checks a password hash)."""
    visitors = [Visitor("127.0.0.1", port) for _ in people]
    failures: list[str] = []

    def sign_in(visitor: Visitor, someone: Person) -> None:
        try:
            visitor.sign_in(someone.username, someone.password)
        except (traffic.SignInFailed, OSError, http.client.HTTPException) as error:
            failures.append(str(error))

    pairs = list(zip(visitors, people, strict=True))
    for first in range(0, len(pairs), 10):
        threads = [threading.Thread(target=sign_in, args=p) for p in pairs[first : first + 10]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} people could not sign in, first: {failures[0]}")
    return visitors


def report(
    outcomes: Sequence[traffic.Outcome], seconds: float, counts: Sequence[Count]
) -> traffic.Figures:
    overall = traffic.Figures.of(outcomes)
    print(
        f"\n{'request':<20} {'requests':>8} {'per s':>8} {'median ms':>9} {'p95 ms':>9} "
        f"{'max ms':>9} {'mean KB':>8} {'errors':>7}"
    )
    for name, figures in traffic.by_page_type(outcomes, KINDS).items():
        print(load._row(name, figures, seconds))
    print(load._row("all", overall, seconds))
    if overall.errors:
        print(f"\n{overall.errors:,} errors; for example:")
        for example in traffic.error_examples(outcomes, most=8):
            print(f"  {example}")
    print(f"\n{'edits':<22} {'acknowledged':>12} {'found':>8} {'lost':>6} {'unacknowledged':>15}")
    for count in counts:
        print(
            f"{count.name:<22} {count.acknowledged:>12,} {count.found:>8,} {count.lost:>6,} "
            f"{count.unacknowledged:>15,}"
        )
    return overall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, help="Seconds of load (600; at most 3600).")
    parser.add_argument("--quick", action="store_true", help="30 seconds on a small store.")
    parser.add_argument("--users", type=int, default=USERS, help="Simulated people (50).")
    parser.add_argument(
        "--think", type=float, default=1.0, help="Mean seconds between a person's actions (1)."
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="Server workers (2).")
    parser.add_argument("--councils", type=int, help="Councils to fill the store with (153).")
    parser.add_argument("--years", type=int, help="Years of figures (10).")
    parser.add_argument("--seed", type=int, default=fill.SEED)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="An empty database."
    )
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    duration = args.duration or sizes["duration"]
    councils = args.councils or sizes["councils"]
    years = args.years or sizes["years"]
    if not 1 <= duration <= LONGEST:
        parser.error(f"--duration must be from 1 to {LONGEST:.0f} seconds")
    if not 3 <= args.users <= 500:
        parser.error("--users must be from 3 to 500")
    if not 0 <= args.think <= 60 or not 1 <= args.workers <= 32:
        parser.error("--think must be from 0 to 60 and --workers from 1 to 32")
    if not 1 <= councils <= len(fill.councils()) or not 1 <= years <= fill.YEARS:
        parser.error(f"--councils must be from 1 to {len(fill.councils())}, --years 1 to 10")
    scale = fill.Scale(
        tuple(fill.benchmark_councils(councils)),
        first_year=fill.FIRST_YEAR + fill.YEARS - years,
        years=years,
        seed=args.seed,
    )
    reader_count, contributor_count, manager_count = _roles(args.users)

    with tempfile.TemporaryDirectory(prefix="sg-soak-") as scratch:
        data_dir = Path(scratch) / "data"
        data_dir.mkdir()
        vendor = load._set_up_django(data_dir, args.database_url)
        print(f"Database: {vendor}; data directory {data_dir}")
        site = load.prepare_store(data_dir, scale, reader_count, keep=False)
        people = readers_of(site, reader_count)
        people += add_agencies_and_people(site, contributor_count, manager_count)
        context = {
            "actions": partnership_actions(people),
            "councils": [c.ons_code for c in scale.councils[:3]],
        }
        from django.db import connections

        connections.close_all()
        log = Path(scratch) / "server.log"
        server, port = start_server(data_dir, log, args.workers)
        try:
            print(f"Server: safeguarding serve --workers {args.workers} on 127.0.0.1:{port}.")
            visitors = sign_in_everyone(port, people)
            watch = load.ServerWatch(server.pid)
            print(
                f"{reader_count} board members, {contributor_count} agency contributors and "
                f"{manager_count} business managers signed in; working for {duration:.0f} s, "
                f"pausing 0 to {2 * args.think:g} s between actions ...",
                flush=True,
            )
            outcomes, seconds, acknowledged = drive(
                people, visitors, duration, args.think, args.seed, context, watch.start
            )
            watch.stop()
            for visitor in visitors:
                visitor.close()
        finally:
            load.stop_server(server)
        server_log = log.read_text(errors="replace")
        counts = count_edits(acknowledged, people)

    overall = report(outcomes, seconds, counts)
    lost = sum(count.lost for count in counts)
    edits = sum(count.acknowledged for count in counts if count.name != "actions' final status")
    met = overall.errors == 0 and lost == 0 and overall.requests > 0
    print(
        f"\n{overall.requests:,} requests in {seconds:.1f} s: {overall.requests / seconds:.1f} a "
        f"second; median {overall.median_ms:.0f} ms, 95th percentile {overall.p95_ms:.0f} ms; "
        f"{overall.errors:,} errors; {edits:,} edits acknowledged, {lost:,} lost."
    )
    print(
        f"Server: {max(watch.workers, 1)} worker process(es); peak memory "
        f"{watch.peak_rss / 2**20:,.0f} MB in all; CPU {watch.cpu_seconds:.1f} s "
        f"({watch.cpu_seconds / seconds:.2f} cores) on {os.cpu_count()} cores."
    )
    if problems := [
        line for line in server_log.splitlines() if "Traceback" in line or "[ERROR]" in line
    ]:
        print(f"The server's log has {len(problems)} error lines, first: {problems[0]}")
    print(f"Target (no errors, no lost edits) on {vendor}: {'PASS' if met else 'FAIL'}")
    if args.json:
        figures = {
            "database": vendor,
            "councils": len(scale.councils),
            "years": scale.years,
            "users": len(people),
            "roles": {
                "readers": reader_count,
                "contributors": contributor_count,
                "managers": manager_count,
            },
            "workers": args.workers,
            "think_s": args.think,
            "duration_s": round(seconds, 1),
            "requests": overall.requests,
            "requests_per_s": round(overall.requests / seconds, 1),
            "median_ms": round(overall.median_ms, 1),
            "p95_ms": round(overall.p95_ms, 1),
            "max_ms": round(overall.max_ms, 1),
            "errors": overall.errors,
            "error_examples": traffic.error_examples(outcomes, most=8),
            "by_request": {
                name: asdict(f) for name, f in traffic.by_page_type(outcomes, KINDS).items()
            },
            "edits": [asdict(count) for count in counts],
            "lost_edits": lost,
            "server_peak_rss_mb": round(watch.peak_rss / 2**20, 1),
            "server_cpu_s": round(watch.cpu_seconds, 1),
            "pass": met,
        }
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"Figures written to {args.json}")
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
