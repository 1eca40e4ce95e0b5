"""Invented councils for the children's generator (a demo borough, a training data set).

A CIN census file and an SSDA903 folder name their council by its three-digit DfE LA number,
so an invented council needs one as well as its ONS code. Real DfE LA numbers run from 201
(City of London) to 943; the hundreds from 100 to 199 have never been given to a council, so an
invented council takes a number there (``INVENTED_DFE_NUMBERS``). The check also refuses any
number that the lookup holds, should one ever be given in that range.

The children's indicators name a council by its DfE LA number: ``children_region_lookup`` places
an invented council in its region (pass it as ``region_of`` to
``safeguarding.indicators.children_run.children_indicators``), and ``ons_code_lookup`` turns the
number back into the ONS code that the platform stores results under.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from safeguarding.catalogue.geography import (
    FORMER_COUNCILS,
    REGIONS,
    Council,
    council_for_dfe_number,
    councils,
    known_ons_codes,
)

__all__ = [
    "INVENTED_DFE_NUMBERS",
    "InventedChildrenCouncil",
    "check_invented_children",
    "children_region_lookup",
    "ons_code_lookup",
]

INVENTED_DFE_NUMBERS = range(100, 200)  # three-digit numbers no council has had
ONS_CODE = re.compile(r"^E\d{8}$")
DFE_NUMBER = re.compile(r"^\d{3}$")


@dataclass(frozen=True)
class InventedChildrenCouncil:
    """A council that is not in the lookup, with what the children's generator needs of it.

    ``children`` is the number of children aged 0-17 in 2024-25; ``dfe_la_number`` a made-up
    DfE LA number from 100 to 199; ``region_code`` an ONS region code (E12000001 to E12000009),
    or None to leave the council outside any region.
    """

    ons_code: str
    name: str
    children: int
    dfe_la_number: str
    region_code: str | None = None

    def as_council(self) -> Council:
        """The council as the lookup would give it."""
        region_name = REGIONS[self.region_code] if self.region_code else ""
        return Council(
            self.ons_code, self.dfe_la_number, self.name, self.region_code or "", region_name
        )


@cache
def _real_dfe_numbers() -> dict[str, str]:
    """Every DfE LA number in the lookup, today's or a former council's, with its name."""
    return {c.dfe_la_number: c.name for c in (*FORMER_COUNCILS, *councils())}


def check_invented_children(invented: Sequence[InventedChildrenCouncil]) -> None:
    """Refuse invented councils that could be mistaken for real ones or for each other."""
    real_ons = known_ons_codes()
    real_dfe = _real_dfe_numbers()
    ons_seen: set[str] = set()
    dfe_seen: set[str] = set()
    for council in invented:
        if not ONS_CODE.match(council.ons_code):
            raise ValueError(f"{council.ons_code!r} is not an English ONS code like E06000097.")
        if council.ons_code in real_ons:
            raise ValueError(
                f"{council.ons_code} belongs to a real council; an invented council needs an "
                "unused code."
            )
        if council.ons_code in ons_seen:
            raise ValueError(f"The invented council {council.ons_code} is given twice.")
        ons_seen.add(council.ons_code)
        if not council.name.strip():
            raise ValueError(f"The invented council {council.ons_code} needs a name.")
        number = council.dfe_la_number
        if number in real_dfe:
            raise ValueError(
                f"{number} is the DfE LA number of {real_dfe[number]}; give {council.name} a "
                f"number from {INVENTED_DFE_NUMBERS.start} to {INVENTED_DFE_NUMBERS.stop - 1}."
            )
        if not DFE_NUMBER.match(number) or int(number) not in INVENTED_DFE_NUMBERS:
            raise ValueError(
                f"{number!r} is not a number an invented council can have: give {council.name} "
                f"three digits from {INVENTED_DFE_NUMBERS.start} to "
                f"{INVENTED_DFE_NUMBERS.stop - 1}, which no real council uses."
            )
        if number in dfe_seen:
            raise ValueError(f"The DfE LA number {number} is given to two invented councils.")
        dfe_seen.add(number)
        if isinstance(council.children, bool) or not isinstance(council.children, int):
            raise ValueError(f"The number of children in {council.name} must be a whole number.")
        if council.children < 1:
            raise ValueError(f"The invented council {council.name} needs at least one child.")
        if council.region_code is not None and council.region_code not in REGIONS:
            raise ValueError(f"{council.region_code!r} is not an English region code.")


def children_region_lookup(
    invented: Sequence[InventedChildrenCouncil],
) -> Callable[[str], str | None]:
    """The region of a DfE LA number: the invented councils' own, otherwise the lookup's.

    Pass it as ``region_of`` to ``safeguarding.indicators.children_run.children_indicators``.
    """
    own = {council.dfe_la_number: council.region_code for council in invented}

    def lookup(dfe_la_number: str) -> str | None:
        if dfe_la_number in own:
            return own[dfe_la_number]
        found = council_for_dfe_number(dfe_la_number)
        return found.region_code if found else None

    return lookup


def ons_code_lookup(invented: Sequence[InventedChildrenCouncil]) -> Callable[[str], str | None]:
    """The ONS code of a DfE LA number: the invented councils' own, otherwise the lookup's."""
    own = {council.dfe_la_number: council.ons_code for council in invented}

    def lookup(dfe_la_number: str) -> str | None:
        if dfe_la_number in own:
            return own[dfe_la_number]
        found = council_for_dfe_number(dfe_la_number)
        return found.ons_code if found else None

    return lookup
