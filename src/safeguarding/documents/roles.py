"""Naming each section's role (overview, achievements, challenges, priorities, ...).

The role comes from the words of the heading first, then, for a heading that names none (e.g.
"Neglect"), from its parent section's role, and failing that from cues in its own text ("we
will" for priorities, "we have" for achievements). The words are data, in ``section_roles.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

from safeguarding.documents.model import SECTION_ROLES, Section, SectionRole
from safeguarding.documents.text_rules import split_marker

ROLES_FILE = "section_roles.yaml"


@dataclass(frozen=True)
class RoleWords:
    """For each role, the patterns that find its words in a heading and in a section's text."""

    headings: dict[SectionRole, re.Pattern[str]]
    content: dict[SectionRole, re.Pattern[str]]


@cache
def role_words() -> RoleWords:
    """The role words of ``section_roles.yaml``, read once."""
    data = yaml.safe_load(files("safeguarding.documents").joinpath(ROLES_FILE).read_text("utf-8"))
    return RoleWords(headings=_patterns(data["headings"]), content=_patterns(data["content"]))


def _patterns(words: dict[str, list[str]]) -> dict[SectionRole, re.Pattern[str]]:
    found: dict[SectionRole, re.Pattern[str]] = {}
    for role, phrases in words.items():
        if role not in SECTION_ROLES:
            raise ValueError(f"{ROLES_FILE} names a role {role!r} that is not one of ours.")
        alternatives = "|".join(_phrase_pattern(phrase) for phrase in phrases)
        found[role] = re.compile(rf"(?:{alternatives})\b", re.IGNORECASE)  # type: ignore[index]
    return found


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a pattern of whole words; "^about" matches only at the heading's start."""
    phrase = phrase.strip()
    anchor = r"^" if phrase.startswith("^") else r"\b"
    return anchor + re.escape(phrase.lstrip("^").strip()).replace(r"\ ", r"\s+")


def heading_role(heading: str) -> SectionRole | None:
    """The role the heading's words name (the first named, when several are), or None."""
    numbered = split_marker(heading)  # "2. About us" is read as "About us"
    heading = numbered[1] if numbered is not None else heading.strip()
    earliest: tuple[int, SectionRole] | None = None
    for role, pattern in role_words().headings.items():
        found = pattern.search(heading)
        if found is not None and (earliest is None or found.start() < earliest[0]):
            earliest = (found.start(), role)
    return earliest[1] if earliest else None


def content_role(texts: list[str]) -> SectionRole | None:
    """The role most of the texts' cues point to, or None when none do or two tie."""
    counts: dict[SectionRole, int] = {}
    for role, pattern in role_words().content.items():
        counts[role] = sum(1 for text in texts if pattern.search(text))
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def section_role(heading: str, texts: list[str]) -> SectionRole:
    """A section's role from its heading, else from its text, else "other"."""
    return heading_role(heading) or content_role(texts) or "other"


def assign_roles(
    sections: list[Section], parent: SectionRole = "other", *, parent_named: bool = False
) -> None:
    """Set every section's role; a section whose heading names none takes its parent's.

    A parent whose role is "other" only because nothing named one passes nothing down, and its
    children's own text decides; one whose heading names "other" (a strategy's measures) passes
    it down like any other role.
    """
    for section in sections:
        own = heading_role(section.heading)
        named = own is not None
        if own is not None:
            section.role = own
        elif parent != "other" or parent_named:
            section.role = parent
            named = parent_named or parent != "other"
        else:
            section.role = content_role([block.text for block in section.blocks]) or "other"
        assign_roles(section.children, section.role, parent_named=named)
