"""Loading the invented demo borough into an empty database, with a login for each role.

The borough lives in YAML files beside this module: ``borough.yaml`` holds the area, its
agencies, the Health and Wellbeing Strategy, the demo users and a few later edits, and names one
file per partnership. Records refer to each other by short keys (``police``, ``neglect``), which
the loader resolves. Every record is checked with ``full_clean`` before it is saved, and the
whole borough is loaded in one transaction, so a mistake in the data stops the load, names the
record and leaves the database as it was.

The later edits go through ``services.save_record`` as the demo users, so that record pages
show a real audit trail.

Last, the borough's adult safeguarding indicators are computed from invented case records
(``adult_indicators`` in ``borough.yaml``) and stored through ``results.loading`` as one load
of indicator results with its provenance, inside the same transaction; and one shared-priorities
analysis (``shared_priorities``) is run over the partnerships' records by the web app's own
pipeline and reviewed, so that its review and board paper pages have a worked example.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import logging
import os
import re
import secrets
from dataclasses import asdict, dataclass, fields
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from safeguarding.catalogue import code_list
from safeguarding.web import permissions
from safeguarding.web.accounts.models import RoleAssignment
from safeguarding.web.audit import trail
from safeguarding.web.dashboards import models as dashboards
from safeguarding.web.records import models as records
from safeguarding.web.records import services
from safeguarding.web.reports import models as reports
from safeguarding.web.results import loading
from safeguarding.web.results.models import IndicatorLoad

log = logging.getLogger("safeguarding.demo")

LOGINS_FILE = "demo-logins.json"
BOROUGH_FILE = "borough.yaml"


class DemoDataError(Exception):
    """A record in the demo data files is missing something or breaks a rule."""


class DemoLoginsError(Exception):
    """The demo is loaded but its logins file is missing or unreadable."""


@dataclass(frozen=True)
class DemoLogin:
    """A demo user's sign-in details and what they may do."""

    username: str
    password: str
    role: str
    role_label: str
    partnership: str = ""
    agency: str = ""


#: Indicator tables computed from invented records, by their settings: the same settings always
#: give the same figures, so a process that loads the demo again (the tests) computes them once.
_COMPUTED: dict[tuple[Any, ...], Any] = {}


def load_demo(data_dir: Path, source: Traversable | None = None) -> list[DemoLogin]:
    """Load the demo borough if the database has no area yet; return the demo logins.

    ``data_dir`` is the platform's data directory, where the logins are kept in
    ``demo-logins.json`` (readable by its owner only). ``source`` is the folder of data files,
    by default the one shipped with this package.
    """
    logins_path = Path(data_dir) / LOGINS_FILE
    if records.Area.objects.exists():
        return read_logins(logins_path)
    loader = _Loader(source or resources.files(__package__))
    with transaction.atomic():
        loader.load()
        logins = loader.create_users()
        loader.make_later_edits()
        loader.load_adult_indicators()
        loader.load_children_indicators()
        loader.load_shared_figures()
        loader.load_shared_priorities()
        # Written inside the transaction: if the file cannot be written, nothing is loaded.
        write_logins(logins_path, logins)
    return logins


def write_logins(path: Path, logins: list[DemoLogin]) -> None:
    """Save the logins to ``path``, readable and writable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump([asdict(login) for login in logins], handle, indent=2)
        handle.write("\n")
    os.chmod(partial, 0o600)
    os.replace(partial, path)


def read_logins(path: Path) -> list[DemoLogin]:
    """The logins saved when the demo was loaded."""
    if not path.exists():
        raise DemoLoginsError(
            f"The database already holds an area, so the demo borough was not loaded again, "
            f"but the demo logins file {path} is missing. Reset the demo users' passwords, or "
            "start from an empty database to load the demo afresh."
        )
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DemoLoginsError(f"The demo logins file {path} cannot be read: {error}") from error
    names = {f.name for f in fields(DemoLogin)}
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and set(e) == names and all(isinstance(v, str) for v in e.values())
        for e in entries
    ):
        raise DemoLoginsError(f"The demo logins file {path} is not in the expected form.")
    return [DemoLogin(**entry) for entry in entries]


def _password_for(user: Any) -> str:
    """A random password that Django's password validators accept for ``user``."""
    for _attempt in range(20):
        candidate = secrets.token_urlsafe(15)
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate
    raise RuntimeError("Could not make a password that passes the password validators.")


class _Loader:
    """Reads the data files and creates the records, remembering them by their keys."""

    def __init__(self, source: Traversable) -> None:
        self.source = source
        self.agencies: dict[str, records.PartnerAgency] = {}
        self.periods: dict[str, records.ReportingPeriod] = {}
        self.partnerships: dict[str, records.Partnership] = {}
        self.subgroups: dict[tuple[str, str], records.Subgroup] = {}
        self.priorities: dict[tuple[str, str], records.Priority] = {}
        self.users: dict[str, Any] = {}
        self.borough: dict[str, Any] = {}
        #: Shared indicators and the figures their agency uploads once the users exist.
        self.shared_figures: list[tuple[dashboards.SharedIndicator, list[Any], str]] = []

    # Reading and checking -------------------------------------------------------------------

    def _read(self, name: str) -> dict[str, Any]:
        try:
            text = self.source.joinpath(name).read_text(encoding="utf-8")
        except OSError as error:
            raise DemoDataError(f"Cannot read the demo data file {name}: {error}") from error
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise DemoDataError(f"{name} is not valid YAML: {error}") from error
        if not isinstance(data, dict):
            raise DemoDataError(f"{name} should hold a mapping of sections.")
        return data

    @staticmethod
    def _required(data: dict[str, Any], key: str, where: str) -> Any:
        if key not in data:
            raise DemoDataError(f"{where}: '{key}' is missing.")
        return data.pop(key)

    @staticmethod
    def _lookup(table: dict[Any, Any], key: Any, what: str, where: str) -> Any:
        try:
            return table[key]
        except (KeyError, TypeError):
            raise DemoDataError(f"{where}: there is no {what} '{key}'.") from None

    @staticmethod
    def _build(model: type[models.Model], values: dict[str, Any], where: str) -> Any:
        try:
            return model(**values)
        except (TypeError, ValueError) as error:
            raise DemoDataError(f"{where}: {error}") from error

    @staticmethod
    def _save(instance: models.Model, where: str) -> Any:
        try:
            instance.full_clean()
        except ValidationError as error:
            raise DemoDataError(f"{where}: {_messages(error)}") from error
        instance.save()
        return instance

    def _create(self, model: type[models.Model], values: dict[str, Any], where: str) -> Any:
        return self._save(self._build(model, values, where), where)

    def _period(self, label: Any, where: str) -> records.ReportingPeriod:
        return self._lookup(self.periods, str(label), "reporting period", where)

    # The borough ----------------------------------------------------------------------------

    def load(self) -> None:
        self.borough = self._read(BOROUGH_FILE)
        where = BOROUGH_FILE
        self.area = self._create(
            records.Area, dict(self._required(self.borough, "area", where)), f"{where}, area"
        )
        for label in self._required(self.borough, "reporting_periods", where):
            self.periods[str(label)] = self._create(
                records.ReportingPeriod, {"label": str(label)}, f"{where}, period {label}"
            )
        for key, values in self._required(self.borough, "agencies", where).items():
            self.agencies[key] = self._create(
                records.PartnerAgency,
                {"area": self.area, **values},
                f"{where}, agency '{key}'",
            )
        self._load_strategy(dict(self._required(self.borough, "strategy", where)))
        for name in self._required(self.borough, "partnerships", where):
            self._load_partnership(name, self._read(name))

    def _load_strategy(self, data: dict[str, Any]) -> None:
        where = f"{BOROUGH_FILE}, strategy '{data.get('title', '')}'"
        themes = self._required(data, "themes", where)
        strategy = self._create(records.Strategy, {"area": self.area, **data}, where)
        for order, theme in enumerate(themes, start=1):
            self._create(
                records.StrategyTheme,
                {"strategy": strategy, "order": order, **theme},
                f"{where}, theme '{theme.get('title', order)}'",
            )

    # A partnership --------------------------------------------------------------------------

    def _load_partnership(self, name: str, data: dict[str, Any]) -> None:
        values = dict(self._required(data, "partnership", name))
        key = self._required(values, "key", name)
        where = f"{name}, partnership '{values.get('name', key)}'"
        partnership = self._create(records.Partnership, {"area": self.area, **values}, where)
        self.partnerships[key] = partnership

        for member in data.pop("members", []):
            member = dict(member)
            label = f"{name}, member '{member.get('agency')}'"
            agency = self._lookup(self.agencies, member.pop("agency", None), "agency", label)
            self._create(
                records.AgencyMembership,
                {"partnership": partnership, "agency": agency, **member},
                label,
            )
        for subgroup in data.pop("subgroups", []):
            subgroup = dict(subgroup)
            label = f"{name}, subgroup '{subgroup.get('name')}'"
            sub_key = self._required(subgroup, "key", label)
            if "chair_agency" in subgroup:
                subgroup["chair_agency"] = self._lookup(
                    self.agencies, subgroup["chair_agency"], "agency", label
                )
            self.subgroups[key, sub_key] = self._create(
                records.Subgroup, {"partnership": partnership, **subgroup}, label
            )
        for priority in data.pop("priorities", []):
            self._load_priority(name, key, partnership, dict(priority))
        for kind, model in (
            ("achievements", records.Achievement),
            ("challenges", records.Challenge),
        ):
            for entry in data.pop(kind, []):
                entry = dict(entry)
                label = f"{name}, {kind[:-1]} '{entry.get('title')}'"
                entry["period"] = self._period(self._required(entry, "period", label), label)
                if "priority" in entry:
                    entry["priority"] = self._lookup(
                        self.priorities, (key, entry["priority"]), "priority", label
                    )
                self._create(model, {"partnership": partnership, **entry}, label)
        for review in data.pop("reviews", []):
            self._load_review(name, partnership, dict(review))
        for audit in data.pop("audits", []):
            audit = dict(audit)
            label = f"{name}, audit '{audit.get('topic')}'"
            agencies = [
                self._lookup(self.agencies, a, "agency", label) for a in audit.pop("agencies", [])
            ]
            audit["period"] = self._period(self._required(audit, "period", label), label)
            instance = self._create(
                records.MultiAgencyAudit, {"partnership": partnership, **audit}, label
            )
            instance.agencies.set(agencies)
        for entry in data.pop("feedback", []):
            entry = dict(entry)
            label = f"{name}, feedback '{entry.get('summary')}'"
            if "priority" in entry:
                entry["priority"] = self._lookup(
                    self.priorities, (key, entry["priority"]), "priority", label
                )
            self._create(
                records.LivedExperienceFeedback, {"partnership": partnership, **entry}, label
            )
        for entry in data.pop("contributions", []):
            entry = dict(entry)
            label = f"{name}, contribution of '{entry.get('agency')}'"
            agency = self._lookup(self.agencies, entry.pop("agency", None), "agency", label)
            membership = partnership.members.filter(agency=agency).first()
            if membership is None:
                raise DemoDataError(f"{label}: the agency is not a member.")
            entry["period"] = self._period(self._required(entry, "period", label), label)
            self._create(reports.MemberContribution, {"membership": membership, **entry}, label)
        for entry in data.pop("annual_reports", []):
            entry = dict(entry)
            label = f"{name}, annual report {entry.get('period')}"
            entry["period"] = self._period(self._required(entry, "period", label), label)
            self._create(reports.AnnualReport, {"partnership": partnership, **entry}, label)
        for entry in data.pop("shared_indicators", []):
            entry = dict(entry)
            label = f"{name}, shared indicator '{entry.get('code')}'"
            entry["owner_agency"] = self._lookup(
                self.agencies, self._required(entry, "owner", label), "agency", label
            )
            figures = entry.pop("figures", [])
            shared = self._create(
                dashboards.SharedIndicator, {"partnership": partnership, **entry}, label
            )
            self.shared_figures.append((shared, figures, label))
        for position, entry in enumerate(data.pop("dashboard", []), start=1):
            entry = dict(entry)
            label = f"{name}, dashboard panel '{entry.get('indicator')}'"
            if "priority" in entry:
                entry["priority"] = self._lookup(
                    self.priorities, (key, entry["priority"]), "priority", label
                )
            if str(entry.get("indicator", "")).startswith("shared:"):
                code = str(entry["indicator"]).removeprefix("shared:")
                entry["indicator"] = f"{dashboards.SHARED_PREFIX}{partnership.slug}.{code}"
            self._create(
                dashboards.DashboardPanel,
                {"partnership": partnership, "position": position, **entry},
                label,
            )
        if data:
            raise DemoDataError(f"{name}: unknown sections {', '.join(sorted(data))}.")

    def _load_priority(
        self, name: str, key: str, partnership: records.Partnership, data: dict[str, Any]
    ) -> None:
        where = f"{name}, priority '{data.get('title')}'"
        priority_key = self._required(data, "key", where)
        periods = [self._period(p, where) for p in self._required(data, "periods", where)]
        reviews = data.pop("reviews", [])
        actions = data.pop("actions", [])
        if "lead_subgroup" in data:
            data["lead_subgroup"] = self._lookup(
                self.subgroups, (key, data["lead_subgroup"]), "subgroup", where
            )
        priority = self._create(records.Priority, {"partnership": partnership, **data}, where)
        priority.periods.set(periods)
        self.priorities[key, priority_key] = priority
        for review in reviews:
            review = dict(review)
            label = f"{where}, review {review.get('period')}"
            review["period"] = self._period(self._required(review, "period", label), label)
            self._create(records.PriorityReview, {"priority": priority, **review}, label)
        for action in actions:
            action = dict(action)
            label = f"{name}, delivery action '{action.get('title')}'"
            updates = action.pop("updates", [])
            action["owner_agency"] = self._lookup(
                self.agencies, self._required(action, "owner", label), "agency", label
            )
            instance = self._create(records.DeliveryAction, {"priority": priority, **action}, label)
            for update in updates:
                self._create(
                    records.ProgressUpdate,
                    {"action": instance, **update},
                    f"{label}, update of {update.get('date')}",
                )

    def _load_review(
        self, name: str, partnership: records.Partnership, data: dict[str, Any]
    ) -> None:
        where = f"{name}, learning review '{data.get('pseudonym')}'"
        recommendations = data.pop("recommendations", [])
        review = self._create(records.LearningReview, {"partnership": partnership, **data}, where)
        for recommendation in recommendations:
            recommendation = dict(recommendation)
            label = f"{where}, recommendation {recommendation.get('number')}"
            if "owner" in recommendation:
                recommendation["owner_agency"] = self._lookup(
                    self.agencies, recommendation.pop("owner"), "agency", label
                )
            self._create(records.Recommendation, {"review": review, **recommendation}, label)

    # People ---------------------------------------------------------------------------------

    def create_users(self) -> list[DemoLogin]:
        """Create the demo users with random passwords; return their logins."""
        roles = code_list("roles")
        logins: list[DemoLogin] = []
        for entry in self._required(self.borough, "users", BOROUGH_FILE):
            entry = dict(entry)
            where = f"{BOROUGH_FILE}, user '{entry.get('username')}'"
            username = self._required(entry, "username", where)
            role = self._required(entry, "role", where)
            partnership = agency = None
            if "partnership" in entry:
                partnership = self._lookup(
                    self.partnerships, entry.pop("partnership"), "partnership", where
                )
            if "agency" in entry:
                agency = self._lookup(self.agencies, entry.pop("agency"), "agency", where)
            user = self._build(get_user_model(), {"username": username, **entry}, where)
            password = _password_for(user)
            user.set_password(password)
            self._save(user, where)
            self._create(
                RoleAssignment,
                {"user": user, "role": role, "partnership": partnership, "agency": agency},
                f"{where}, role {role}",
            )
            self.users[username] = user
            logins.append(
                DemoLogin(
                    username=username,
                    password=password,
                    role=role,
                    role_label=roles.label(role),
                    partnership=partnership.name if partnership else "",
                    agency=agency.name if agency else "",
                )
            )
        return logins

    # Later edits ----------------------------------------------------------------------------

    def make_later_edits(self) -> None:
        """Make the edits listed in ``later_edits`` as the demo users, through the services."""
        for number, entry in enumerate(self.borough.pop("later_edits", []), start=1):
            entry = dict(entry)
            where = f"{BOROUGH_FILE}, later edit {number}"
            user = self._lookup(self.users, self._required(entry, "by", where), "user", where)
            record = self._required(entry, "record", where)
            if "add" in entry:
                instance = self._new_for_edit(record, dict(entry["add"]), where)
                before = None
            else:
                instance = self._find_for_edit(record, dict(entry.get("find", {})), where)
                before = trail.snapshot(instance)
                for field, value in dict(entry.get("set", {})).items():
                    if not hasattr(instance, field):
                        raise DemoDataError(f"{where}: {record} has no field '{field}'.")
                    setattr(instance, field, value)
            try:
                services.save_record(user, instance, before=before, via="demo")
            except ValidationError as error:
                raise DemoDataError(f"{where}: {_messages(error)}") from error
            except PermissionDenied as error:
                raise DemoDataError(f"{where}: {user.username} may not make this edit.") from error

    # Indicator results ----------------------------------------------------------------------

    def load_adult_indicators(self) -> IndicatorLoad | None:
        """Compute the adult indicators of the borough and its invented neighbours from
        invented case records, store them, and make those councils the borough's statistical
        neighbours."""
        if "adult_indicators" not in self.borough:
            return None
        data = dict(self.borough.pop("adult_indicators"))
        where = f"{BOROUGH_FILE}, adult_indicators"
        label = str(self._required(data, "label", where))
        years = [str(year) for year in self._required(data, "years", where)]
        user = self._lookup(self.users, self._required(data, "loaded_by", where), "user", where)
        adults, seed = self._required(data, "adults", where), self._required(data, "seed", where)
        neighbours = list(data.pop("neighbours", []))
        method = str(data.pop("neighbour_method", ""))
        if data:
            raise DemoDataError(f"{where}: unknown settings {', '.join(sorted(data))}.")
        if not isinstance(adults, int) or not isinstance(seed, int):
            raise DemoDataError(f"{where}: 'adults' and 'seed' must be whole numbers.")

        # Imported here: the analytical engines are only needed while the demo loads.
        from safeguarding.casedata.synth.adults import (
            InventedCouncil,
            region_lookup,
            synth_adult_tables,
        )
        from safeguarding.indicators.run import adult_indicators

        region_code = self.area.region_code or None
        borough = InventedCouncil(self.area.council_code, self.area.name, adults, region_code)
        try:
            invented = [borough] + [
                InventedCouncil(
                    str(self._required(n, "code", where)),
                    str(self._required(n, "name", where)),
                    int(self._required(n, "adults", where)),
                    n.get("region_code", region_code),
                )
                for n in (dict(item) for item in neighbours)
            ]
            key = ("adults", tuple(years), seed, tuple(invented))
            if key not in _COMPUTED:
                cases, population = synth_adult_tables(0, years, seed, councils=invented)
                run = adult_indicators(
                    cases, population, engine="duckdb", region_of=region_lookup(invented)
                )
                _COMPUTED[key] = (run.table, run.warnings, cases.concerns.num_rows)
            table, warnings, concerns = _COMPUTED[key]
        except (ValueError, TypeError) as error:
            raise DemoDataError(f"{where}: {error}") from error
        if neighbours:
            self._create(
                dashboards.NeighbourSet,
                {
                    "area": self.area,
                    "neighbours": [{"code": c.ons_code, "name": c.name} for c in invented[1:]],
                    "method": method,
                },
                f"{where}, neighbours",
            )
        notes = (
            f"Computed when the demo was loaded, from {concerns:,} invented adult safeguarding "
            f"concerns for {borough.name} and {len(invented) - 1} invented neighbouring "
            f"councils in {', '.join(years)}, made by the synthetic generator with seed {seed}. "
            "Every code is invented and no real person or case is in them; the region and "
            "England rows are totals of these invented councils only."
        )
        try:
            return loading.store_results(
                [loading.rows_of_table(table, "computed indicators")],
                kind="computed",
                label=label,
                files=[],
                user=user,
                via="cli",
                engine="duckdb",
                suppressed=False,
                notes=notes,
                warnings=warnings,
            )
        except loading.LoadRejected as error:
            problems = "; ".join(
                f"row {p.row} {p.column} {p.value!r}: {p.message}" for p in error.problems[:5]
            )
            raise DemoDataError(f"{where}: {error.message} {problems}".strip()) from error
        except PermissionDenied as error:
            raise DemoDataError(
                f"{where}: {user.username} may not load indicator results."
            ) from error

    def load_children_indicators(self) -> IndicatorLoad | None:
        """Compute the children's indicators of the borough and some of its invented
        neighbours from invented census and SSDA903 files, and store them."""
        if "children_indicators" not in self.borough:
            return None
        data = dict(self.borough.pop("children_indicators"))
        where = f"{BOROUGH_FILE}, children_indicators"
        label = str(self._required(data, "label", where))
        years = [str(year) for year in self._required(data, "years", where)]
        user = self._lookup(self.users, self._required(data, "loaded_by", where), "user", where)
        children = self._required(data, "children", where)
        number = str(self._required(data, "dfe_la_number", where))
        seed = self._required(data, "seed", where)
        planted = [str(item) for item in data.pop("over_represent", [])]
        neighbours = [dict(item) for item in data.pop("neighbours", [])]
        if data:
            raise DemoDataError(f"{where}: unknown settings {', '.join(sorted(data))}.")

        import tempfile

        from safeguarding.casedata.synth.children import InventedChildrenCouncil
        from safeguarding.casedata.synth.demo_children import children_indicator_table

        names = {
            item["code"]: item["name"]
            for item in getattr(getattr(self.area, "neighbour_set", None), "neighbours", [])
        }
        region = self.area.region_code or None
        try:
            invented = [
                InventedChildrenCouncil(
                    self.area.council_code, self.area.name, int(children), number, region
                )
            ] + [
                InventedChildrenCouncil(
                    str(item["code"]),
                    names.get(str(item["code"]), str(item["code"])),
                    int(item["children"]),
                    str(item["dfe_la_number"]),
                    region,
                )
                for item in neighbours
            ]
            key = ("children", tuple(years), seed, tuple(invented), tuple(planted))
            if key not in _COMPUTED:
                with tempfile.TemporaryDirectory(prefix="safeguarding-demo-") as workdir:
                    _COMPUTED[key] = children_indicator_table(
                        invented, years, int(seed), workdir=Path(workdir), over_represent=planted
                    )
            table = _COMPUTED[key]
        except (KeyError, ValueError, TypeError, RuntimeError) as error:
            raise DemoDataError(f"{where}: {error}") from error
        notes = (
            f"Computed when the demo was loaded, from invented children in need census files "
            f"and SSDA903 returns for {self.area.name} and {len(invented) - 1} invented "
            f"neighbouring councils in {', '.join(years)}, made by the synthetic generator "
            f"with seed {seed}. No real child or case is in them; over-representation was "
            f"planted on purpose ({', '.join(planted) or 'none'}). The region and England rows "
            "are totals of these invented councils only."
        )
        try:
            return loading.store_results(
                [loading.rows_of_table(table, "computed indicators")],
                kind="computed",
                label=label,
                files=[],
                user=user,
                via="cli",
                engine="duckdb",
                suppressed=False,
                notes=notes,
            )
        except loading.LoadRejected as error:
            problems = "; ".join(
                f"row {p.row} {p.column} {p.value!r}: {p.message}" for p in error.problems[:5]
            )
            raise DemoDataError(f"{where}: {error.message} {problems}".strip()) from error

    def load_shared_figures(self) -> None:
        """Store each shared indicator's figures as if its agency had uploaded them."""
        for shared, figures, where in self.shared_figures:
            if not figures:
                continue
            user = self._lookup(
                self.users, self._required(figures[0], "uploaded_by", where), "user", where
            )
            rows = [
                (
                    number,
                    {
                        "indicator": shared.indicator_id,
                        "geography_level": "la",
                        "geography_code": self.area.council_code,
                        "period": str(self._required(entry, "period", where)),
                        "breakdown": "total",
                        "category": "total",
                        "numerator": None,
                        "denominator": None,
                        "value": self._required(entry, "value", where),
                        "lower_ci": None,
                        "upper_ci": None,
                        "unit": shared.unit,
                        "suppressed": False,
                    },
                )
                for number, entry in enumerate(figures, start=2)
            ]
            # As the upload page does: the agency's right is to its shared indicator.
            if not permissions.can_on(user, "change", shared):
                raise DemoDataError(f"{where}: {user.username} may not supply these figures.")
            values, problems, count = loading.check_rows(
                [loading.TidyRows(file=f"{shared.code}.csv", rows=rows)],
                frozenset({shared.indicator_id}),
            )
            if count:
                first = problems[0]
                raise DemoDataError(f"{where}: row {first.row} {first.column}: {first.message}")
            loading.store_values(
                values,
                kind="uploaded",
                label=f"{shared.title} from {shared.owner_agency} (invented demo data)",
                files=[],
                user=user,
                via="web",
                suppressed=False,
                notes="Invented figures for the demo.",
            )

    # The shared-priorities analysis --------------------------------------------------------

    def load_shared_priorities(self) -> Any:
        """Run a shared-priorities analysis of the partnerships' records of one year against
        the area's strategy, as the web app does, and save it reviewed twice by hand."""
        if "shared_priorities" not in self.borough:
            return None
        data = dict(self.borough.pop("shared_priorities"))
        where = f"{BOROUGH_FILE}, shared_priorities"
        title = str(self._required(data, "title", where))
        period = self._period(self._required(data, "period", where), where)
        keys = [str(key) for key in self._required(data, "partnerships", where)]
        user = self._lookup(self.users, self._required(data, "by", where), "user", where)
        accept_note = " ".join(str(data.pop("accept_note", "")).split())
        edit_note = " ".join(str(data.pop("edit_note", "")).split())
        if data:
            raise DemoDataError(f"{where}: unknown settings {', '.join(sorted(data))}.")

        # Imported here, as the indicator engines are: only needed while the demo loads.
        from safeguarding.themes.alignment import AlignmentProblem, validate_alignment
        from safeguarding.web.alignment import adapter, pipeline, review
        from safeguarding.web.alignment.models import SharedPrioritiesAnalysis

        analysis = SharedPrioritiesAnalysis(
            area=self.area, title=title, created_by=user, created_by_name=user.get_username()
        )
        if not permissions.can_on(user, "add", analysis):
            raise DemoDataError(f"{where}: {user.username} may not start an analysis.")
        strategy = (
            records.Strategy.objects.filter(area=self.area).order_by("-start_year", "pk").first()
        )
        if strategy is None:
            raise DemoDataError(f"{where}: the area has no strategy to read against.")
        visible = permissions.visible_partnerships(user)
        try:
            for key in keys:
                partnership = self._lookup(self.partnerships, key, "partnership", where)
                # As on the start page: a person adds only partnerships whose records they see.
                if not visible.filter(pk=partnership.pk).exists():
                    raise DemoDataError(f"{where}: {user.username} cannot see {partnership}.")
                name = adapter.source_name(partnership.short_name, "PARTNERSHIP")
                pipeline.add_source(
                    analysis,
                    adapter.partnership_document(partnership, source=name, period=period),
                    kind="partnership",
                    origin="partnership",
                    record_id=partnership.pk,
                    record=partnership.name,
                )
            pipeline.add_source(
                analysis,
                adapter.strategy_document(strategy, source=adapter.initials(strategy.title)),
                kind="strategy",
                origin="strategy",
                record_id=strategy.pk,
                record=strategy.title,
            )
            analysis.alignment = _aligned(analysis, pipeline)
        except (pipeline.SourceProblem, AlignmentProblem) as error:
            raise DemoDataError(f"{where}: {error}") from error
        self._save(analysis, where)
        trail.record(
            user,
            analysis,
            "create",
            {"title": [None, title], "sources": [[], analysis.source_names()]},
            via="demo",
            note="analysis run when the demo was loaded",
        )

        # The review, saved twice as a person would on the review page. Should the analysis
        # find nothing to accept or edit (the classifier is tuned apart from these records),
        # the demo still loads, with the analysis left as a draft for a person to review.
        reviewed = review.start(analysis.alignment)
        forms = []
        accepted = next((entry for _, entry in review.themes(reviewed)), None)
        if accepted is not None:
            forms.append(
                review.ReviewForm(themes={accepted["theme"]: "accepted"}, note=accept_note)
            )
            edit = _quote_to_edit(reviewed, accepted["theme"])
            if edit is not None:
                theme, index, text = edit
                decision = review.EvidenceDecision(text=text)
                forms.append(review.ReviewForm(evidence={(theme, index): decision}, note=edit_note))
        if len(forms) < 2:
            log.warning("The demo's shared-priorities analysis found too little to review.")
        for form in forms:
            before, status = len(review.changes(reviewed)), analysis.status
            at = timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            try:
                reviewed, count = review.apply(
                    reviewed, form, by=user.get_username(), at=at, taxonomy=None
                )
                validate_alignment(reviewed)
            except (review.ReviewProblem, AlignmentProblem) as error:
                raise DemoDataError(f"{where}: {error}") from error
            analysis.reviewed, analysis.status = reviewed, "reviewed"
            analysis.save(update_fields=["reviewed", "status"])
            trail.record(
                user,
                analysis,
                "update",
                {"status": [status, "reviewed"], "review changes": [before, before + count]},
                via="demo",
                note=f"review saved with {count} change{'s' if count != 1 else ''}",
            )
        return analysis

    def _find_for_edit(self, record: str, find: dict[str, Any], where: str) -> models.Model:
        partnership = self._lookup(
            self.partnerships, self._required(find, "partnership", where), "partnership", where
        )
        queries: dict[str, tuple[type[models.Model], str]] = {
            "delivery_action": (records.DeliveryAction, "priority__partnership"),
            "recommendation": (records.Recommendation, "review__partnership"),
            "learning_review": (records.LearningReview, "partnership"),
        }
        model, path = self._lookup(queries, record, "record type for edits", where)
        try:
            return model.objects.get(**{path: partnership}, **find)
        except (model.DoesNotExist, model.MultipleObjectsReturned) as error:
            raise DemoDataError(f"{where}: no single {record} matches {find}.") from error

    def _new_for_edit(self, record: str, values: dict[str, Any], where: str) -> models.Model:
        if record != "progress_update":
            raise DemoDataError(f"{where}: only progress updates can be added as later edits.")
        partnership = self._lookup(
            self.partnerships, self._required(values, "partnership", where), "partnership", where
        )
        title = self._required(values, "action", where)
        action = records.DeliveryAction.objects.filter(
            priority__partnership=partnership, title=title
        ).first()
        if action is None:
            raise DemoDataError(f"{where}: there is no delivery action '{title}'.")
        return self._build(records.ProgressUpdate, {"action": action, **values}, where)


def _aligned(analysis: Any, pipeline: Any) -> dict[str, Any]:
    """The analysis run by the web app's pipeline, once a process for the same sources and
    taxonomy: the tests load the demo many times, and the run takes a second or two."""
    taxonomy, _saved = pipeline.taxonomy_text()
    digest = hashlib.sha256(
        json.dumps([analysis.sources, analysis.documents, taxonomy], sort_keys=True).encode()
    ).hexdigest()
    key = ("alignment", digest)
    if key not in _COMPUTED:
        _COMPUTED[key] = pipeline.run(analysis)
    return copy.deepcopy(_COMPUTED[key])


#: The end of a sentence: a full stop, question or exclamation mark before a capital or digit.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def _quote_to_edit(data: dict[str, Any], first: str) -> tuple[str, int, str] | None:
    """A partnership's quote to edit, as a reviewer often does, into the first two sentences
    of its statement: the priority's name and what the partnership says of it. Found in theme
    ``first`` if it can be, else in the others: the theme, the quote's place, the new text."""
    from safeguarding.web.alignment import review

    partnerships = {s["name"] for s in data.get("sources") or [] if s["kind"] == "partnership"}
    statements = review.statements_by_id(data)
    ordered = sorted(review.themes(data), key=lambda pair: pair[1]["theme"] != first)
    for _, entry in ordered:
        for index, item in enumerate(entry.get("evidence") or []):
            statement = statements.get(item.get("statement") or "")
            if statement is None or item["source"] not in partnerships:
                continue
            sentences = _SENTENCE_END.split(" ".join(statement["text"].split()))
            wanted = " ".join(sentences[:2])
            if len(sentences) > 1 and wanted != " ".join(item["text"].split()):
                return entry["theme"], index, wanted
    return None


def _messages(error: ValidationError) -> str:
    """A validation error's messages on one line, each with its field."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
