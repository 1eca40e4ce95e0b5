"""The indicator catalogue: ids, titles, units and plain-English definitions of every indicator,
adult and children's, read from ``safeguarding/catalogue/indicators.yaml``.

The adult entries are the file's ``indicators`` list and the children's are under ``children:``
(which also holds the working-day limits and the disproportionality settings, read by
``children.children_catalogue``). Each entry has a ``domain`` (``adults`` or ``children``), and
its Ibis expression is in the module of that name (``adults.py``, ``children.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# libyaml's safe loader when PyYAML was built with it: the same result, ten times as fast.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

UNITS = ("count", "percent", "rate_per_10000", "rate_per_100000", "ratio")
DOMAINS = ("adults", "children")
CI_METHODS = ("none", "wilson", "byar_exact", "katz_log")


@dataclass(frozen=True)
class AgeBand:
    """An age band by age at the concern: ``start`` to ``end`` inclusive, ``end`` None if open."""

    band: str
    start: int
    end: int | None


@dataclass(frozen=True)
class IndicatorSpec:
    """What one indicator is: its metadata, not how it is computed."""

    id: str
    title: str
    unit: str
    higher_is_better: bool | None
    definition: str
    breakdowns: tuple[str, ...]
    ci_method: str
    #: ``adults`` or ``children``: which case records the indicator is counted from.
    domain: str = "adults"

    @property
    def is_rate(self) -> bool:
        return self.unit.startswith("rate_per_")

    @property
    def rate_multiplier(self) -> int:
        """100000 for ``rate_per_100000``; 1 for units that are not rates."""
        return int(self.unit.removeprefix("rate_per_")) if self.is_rate else 1


@dataclass(frozen=True)
class Catalogue:
    """Every indicator, in catalogue order, and the age bands they use."""

    indicators: tuple[IndicatorSpec, ...]
    age_bands: tuple[AgeBand, ...]

    def get(self, indicator_id: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        known = ", ".join(spec.id for spec in self.indicators)
        raise KeyError(f"no indicator {indicator_id!r}; there are: {known}")

    def with_prefix(self, prefix: str) -> tuple[IndicatorSpec, ...]:
        """The indicators whose id starts with ``prefix`` (e.g. ``adults.``)."""
        return tuple(spec for spec in self.indicators if spec.id.startswith(prefix))

    def of_domain(self, domain: str) -> tuple[IndicatorSpec, ...]:
        """The indicators of one domain (``adults`` or ``children``), in catalogue order."""
        if domain not in DOMAINS:
            raise KeyError(f"no domain {domain!r}; there are: {', '.join(DOMAINS)}")
        return tuple(spec for spec in self.indicators if spec.domain == domain)


def _spec(raw: dict, domain: str = "adults") -> IndicatorSpec:
    spec = IndicatorSpec(
        id=str(raw["id"]),
        title=str(raw["title"]),
        unit=str(raw["unit"]),
        higher_is_better=raw["higher_is_better"],
        definition=" ".join(str(raw["definition"]).split()),
        breakdowns=tuple(str(b) for b in raw["breakdowns"]),
        ci_method=str(raw["ci_method"]),
        domain=domain,
    )
    if not spec.id.startswith(f"{domain}."):
        raise ValueError(f"indicator {spec.id}: the ids of {domain} indicators start {domain}.")
    if spec.unit not in UNITS:
        raise ValueError(f"indicator {spec.id}: unknown unit {spec.unit!r}")
    if spec.ci_method not in CI_METHODS:
        raise ValueError(f"indicator {spec.id}: unknown ci_method {spec.ci_method!r}")
    if spec.higher_is_better not in (True, False, None):
        raise ValueError(f"indicator {spec.id}: higher_is_better must be true, false or null")
    if not spec.breakdowns or spec.breakdowns[0] != "total":
        raise ValueError(f"indicator {spec.id}: breakdowns must start with total")
    if len(set(spec.breakdowns)) != len(spec.breakdowns):
        raise ValueError(f"indicator {spec.id}: a breakdown is repeated")
    return spec


def catalogue_file() -> dict:
    """``indicators.yaml`` as the YAML parser reads it."""
    text = (
        resources.files("safeguarding.catalogue")
        .joinpath("indicators.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader, C or Python)


@cache
def catalogue() -> Catalogue:
    """Every indicator, the adults' first and then the children's, read once.

    The adult engine takes ``of_domain("adults")`` and the children's ``of_domain("children")``;
    the platform's stored results accept any id of the whole catalogue.
    """
    raw = catalogue_file()
    indicators = tuple(_spec(entry, "adults") for entry in raw["indicators"]) + tuple(
        _spec(entry, "children") for entry in raw["children"]["indicators"]
    )
    ids = [spec.id for spec in indicators]
    if len(set(ids)) != len(ids):
        raise ValueError("indicators.yaml repeats an indicator id")
    age_bands = tuple(
        AgeBand(band=str(b["band"]), start=int(b["from"]), end=b.get("to"))
        for b in raw["age_bands"]
    )
    return Catalogue(indicators=indicators, age_bands=age_bands)
