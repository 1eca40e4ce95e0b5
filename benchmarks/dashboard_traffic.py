"""Simulated readers of the dashboards for the load benchmark: each signs in through the real
sign-in form, then asks for one page after another with no pause (a closed loop) until the time
is up, and every request's page type, latency and status is recorded.

Only the standard library: one keep-alive ``http.client`` connection and one cookie jar per
reader, one thread per reader. A response counts as an error unless it is ``200 OK``: a redirect
(to the sign-in page, say), a refusal, a server error, a timeout or a dropped connection.
"""

from __future__ import annotations

import http.client
import math
import random
import re
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

SIGN_IN = "/accounts/sign-in/"
TIMEOUT = 60.0
_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

#: Page types, each with its weight in a reader's mix (how often it is asked for) and whether
#: it is read signed in. ``overview`` and ``results`` are older pages, there to try the driver
#: before the dashboard pages exist (``--pages overview,results``).
PAGE_TYPES: dict[str, tuple[int, bool]] = {
    "catalogue": (2, True),
    "indicator": (4, True),
    "breakdown": (2, True),
    "dashboard": (3, True),
    "disproportionality": (1, True),
    "public": (1, False),
    "csv": (1, True),
    "overview": (1, True),
    "results": (1, True),
}
DASHBOARD_PAGES = (
    "catalogue",
    "indicator",
    "breakdown",
    "dashboard",
    "disproportionality",
    "public",
    "csv",
)


@dataclass(frozen=True)
class Reader:
    """Who a simulated reader is and what they read: a board member of one partnership."""

    username: str
    password: str
    slug: str
    kind: str  # the partnership's kind: children or adults
    indicators: Sequence[tuple[str, Sequence[str]]]  # (id, breakdowns) of its domain


def page_path(page_type: str, reader: Reader, pick: random.Random) -> str:
    """An address of one page type for this reader, with a randomly chosen indicator."""
    base = f"/partnerships/{reader.slug}/"
    if page_type in ("indicator", "csv"):
        indicator = pick.choice(reader.indicators)[0]
        tail = "data.csv" if page_type == "csv" else ""
        return f"{base}indicators/{indicator}/{tail}"
    if page_type == "breakdown":
        broken_down = [item for item in reader.indicators if len(item[1]) > 1]
        indicator, breakdowns = pick.choice(broken_down)
        return f"{base}indicators/{indicator}/?breakdown={pick.choice(breakdowns[1:])}"
    fixed = {
        "catalogue": f"{base}indicators/",
        "dashboard": f"{base}dashboard/",
        "disproportionality": f"{base}disproportionality/",
        "public": f"/public/{reader.slug}/",
        "overview": base,
        "results": "/results/",
    }
    return fixed[page_type]


def page_types_for(reader: Reader, wanted: Sequence[str]) -> list[str]:
    """The page types this reader asks for: the disproportionality page is the children's
    partnership's only."""
    return [p for p in wanted if p != "disproportionality" or reader.kind == "children"]


@dataclass(frozen=True)
class Outcome:
    """One request: its page type and address, when it started (seconds into the run), how long
    it took to the last byte, its status (0 when there was none) and what went wrong, if
    anything."""

    page_type: str
    path: str
    started: float
    seconds: float
    status: int
    size: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


class SignInFailed(Exception):
    """A reader could not sign in, so the run cannot go ahead."""


@dataclass
class Browser:
    """A keep-alive connection to the server and a cookie jar."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    _connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(
        self, method: str, path: str, *, body: bytes | None = None, signed_in: bool = True
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        """Send a request and read the whole answer; cookies go only with ``signed_in``."""
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "dashboard-load-benchmark"}
        if signed_in and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = self._connect()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()  # a fresh connection for the next request
            raise
        if response.will_close:
            self.close()
        if signed_in:
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
        return response.status, data, response

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the sign-in form, with its CSRF token."""
        status, page, _ = self.request("GET", SIGN_IN)
        found = _CSRF_FIELD.search(page)
        if status != 200 or found is None:
            raise SignInFailed(f"the sign-in page answered {status} without a CSRF token")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": found.group(1).decode(),
                "username": username,
                "password": password,
                "next": "",
            }
        ).encode()
        status, _, response = self.request("POST", SIGN_IN, body=form)
        where = response.getheader("Location", "")
        if status != 302 or where.startswith(SIGN_IN) or "sessionid" not in self.cookies:
            raise SignInFailed(f"{username} was not signed in (status {status})")


def fetch(browser: Browser, page_type: str, path: str, started_at: float) -> Outcome:
    """Ask for one page and record how it went."""
    signed_in = PAGE_TYPES[page_type][1]
    began = time.perf_counter()
    try:
        status, data, response = browser.request("GET", path, signed_in=signed_in)
    except (OSError, http.client.HTTPException) as error:
        seconds = time.perf_counter() - began
        problem = f"{type(error).__name__}: {error}"
        return Outcome(page_type, path, began - started_at, seconds, 0, 0, problem)
    seconds = time.perf_counter() - began
    problem = ""
    if status != 200:
        where = response.getheader("Location")
        problem = f"status {status}" + (f", redirected to {where}" if where else "")
    return Outcome(page_type, path, began - started_at, seconds, status, len(data), problem)


def sign_in_all(host: str, port: int, readers: Sequence[Reader]) -> list[Browser]:
    """A signed-in browser for every reader, signed in side by side; raises ``SignInFailed``."""
    browsers = [Browser(host, port) for _ in readers]
    failures: list[str] = []

    def sign_in(browser: Browser, reader: Reader) -> None:
        try:
            browser.sign_in(reader.username, reader.password)
        except (SignInFailed, OSError, http.client.HTTPException) as error:
            failures.append(str(error))

    threads = [
        threading.Thread(target=sign_in, args=pair) for pair in zip(browsers, readers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SignInFailed(f"{len(failures)} readers could not sign in, first: {failures[0]}")
    return browsers


def every_path(reader: Reader, wanted: Sequence[str]) -> list[tuple[str, str]]:
    """Every address of the wanted page types this reader could ask for: (page type, path)."""
    base = f"/partnerships/{reader.slug}/"
    paths: list[tuple[str, str]] = []
    for page_type in page_types_for(reader, wanted):
        if page_type in ("indicator", "csv"):
            tail = "data.csv" if page_type == "csv" else ""
            paths += [(page_type, f"{base}indicators/{i}/{tail}") for i, _ in reader.indicators]
        elif page_type == "breakdown":
            paths += [
                (page_type, f"{base}indicators/{i}/?breakdown={b}")
                for i, breakdowns in reader.indicators
                for b in breakdowns[1:]
            ]
        else:
            paths.append((page_type, page_path(page_type, reader, random.Random(0))))
    return paths


def first_visits(
    browsers: Sequence[Browser], readers: Sequence[Reader], wanted: Sequence[str]
) -> list:
    """Every address the readers can ask for, once, from the first reader of each partnership:
    the pages' first drawing after a load, which the platform then remembers."""
    seen: set[str] = set()
    outcomes = []
    for browser, reader in zip(browsers, readers, strict=True):
        if reader.slug in seen:
            continue
        seen.add(reader.slug)
        for page_type, path in every_path(reader, wanted):
            outcomes.append(fetch(browser, page_type, path, time.perf_counter()))
    return outcomes


def warm_up(browsers: Sequence[Browser], readers: Sequence[Reader], wanted: Sequence[str]) -> list:
    """One request of each page type from the first reader of each partnership, before the
    clock starts (a running server would have served them already): their outcomes."""
    seen: set[str] = set()
    outcomes = []
    pick = random.Random(0)
    for browser, reader in zip(browsers, readers, strict=True):
        if reader.slug in seen:
            continue
        seen.add(reader.slug)
        for page_type in page_types_for(reader, wanted):
            path = page_path(page_type, reader, pick)
            outcomes.append(fetch(browser, page_type, path, time.perf_counter()))
    return outcomes


def drive(
    browsers: Sequence[Browser],
    readers: Sequence[Reader],
    wanted: Sequence[str],
    duration: float,
    seed: int,
    on_start: Callable[[], None] | None = None,
    think: float = 0.0,
) -> tuple[list[Outcome], float]:
    """Every reader asks for pages from their mix, one after another (pausing ``think`` seconds
    between them), for ``duration`` seconds; the outcomes of the requests started in that time,
    and the seconds until the last of them finished."""
    results: list[list[Outcome]] = [[] for _ in readers]
    start = threading.Barrier(len(readers) + 1)
    clock: dict[str, float] = {}

    def read(number: int) -> None:
        reader, browser = readers[number], browsers[number]
        pick = random.Random(seed * 1000 + number)
        types = page_types_for(reader, wanted)
        weights = [PAGE_TYPES[t][0] for t in types]
        start.wait()
        began, deadline = clock["began"], clock["deadline"]
        while time.perf_counter() < deadline:
            page_type = pick.choices(types, weights)[0]
            path = page_path(page_type, reader, pick)
            results[number].append(fetch(browser, page_type, path, began))
            if think:
                time.sleep(think)

    threads = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(len(readers))]
    for thread in threads:
        thread.start()
    clock["began"] = time.perf_counter()
    clock["deadline"] = clock["began"] + duration
    if on_start is not None:
        on_start()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - clock["began"]
    return [outcome for outcomes in results for outcome in outcomes], elapsed


# -- the figures ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile (the smallest value with ``percent``% at or below it)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Figures:
    """Requests, errors and latencies (ms) of a set of outcomes."""

    requests: int
    errors: int
    median_ms: float
    p95_ms: float
    max_ms: float
    mean_kb: float

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Figures:
        times = [o.seconds * 1000 for o in outcomes]
        return cls(
            requests=len(outcomes),
            errors=sum(not o.ok for o in outcomes),
            median_ms=statistics.median(times) if times else math.nan,
            p95_ms=percentile(times, 95),
            max_ms=max(times, default=math.nan),
            mean_kb=statistics.fmean(o.size for o in outcomes) / 1024 if outcomes else math.nan,
        )


def by_page_type(outcomes: Sequence[Outcome], order: Sequence[str]) -> dict[str, Figures]:
    """Figures for each page type, in ``order``, leaving out types with no request."""
    grouped: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        grouped.setdefault(outcome.page_type, []).append(outcome)
    return {kind: Figures.of(grouped[kind]) for kind in order if kind in grouped}


def error_examples(outcomes: Sequence[Outcome], most: int = 5) -> list[str]:
    """A few different errors: page type, address and what went wrong."""
    examples: dict[tuple[str, str], str] = {}
    for outcome in outcomes:
        key = (outcome.page_type, outcome.problem)
        if not outcome.ok and key not in examples:
            examples[key] = f"{outcome.page_type} {outcome.path}: {outcome.problem}"
            if len(examples) == most:
                break
    return list(examples.values())
