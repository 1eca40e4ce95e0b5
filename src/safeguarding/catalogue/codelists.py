"""Code lists: the controlled vocabularies that records use (abuse types, review kinds, statuses).

They live in ``codelists.yaml`` beside this module, each with an id, a title, a plain-English
definition and its codes. Nothing else in the platform spells out these values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

# libyaml's safe loader when PyYAML was built with it: the same result, ten times as fast.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Code:
    """One value of a code list, with the label people read."""

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class CodeList:
    """A named controlled vocabulary."""

    id: str
    title: str
    definition: str
    codes: tuple[Code, ...]

    def label(self, code: str) -> str:
        """The label of ``code``, or the code itself when it is not in the list."""
        for entry in self.codes:
            if entry.code == code:
                return entry.label
        return code

    def __contains__(self, code: object) -> bool:
        return any(entry.code == code for entry in self.codes)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The codes as ``(code, label)`` pairs, in catalogue order."""
        return [(entry.code, entry.label) for entry in self.codes]


@cache
def code_lists() -> dict[str, CodeList]:
    """Every code list in the catalogue, by id."""
    text = resources.files(__package__).joinpath("codelists.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader, C or Python)
    lists: dict[str, CodeList] = {}
    for list_id, body in raw.items():
        codes = tuple(
            Code(code=str(c["code"]), label=c["label"], description=c.get("description", ""))
            for c in body["codes"]
        )
        if len({c.code for c in codes}) != len(codes):
            raise ValueError(f"code list {list_id!r} repeats a code")
        lists[list_id] = CodeList(
            id=list_id, title=body["title"], definition=body["definition"].strip(), codes=codes
        )
    return lists


def code_list(list_id: str) -> CodeList:
    """The code list ``list_id``; a KeyError names the lists there are."""
    lists = code_lists()
    if list_id not in lists:
        raise KeyError(f"no code list {list_id!r}; there are: {', '.join(sorted(lists))}")
    return lists[list_id]
