"""The shape of an invented report's source text, written once and rendered to every format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["overview", "achievements", "challenges", "priorities", "recommendations", "other"]


@dataclass(frozen=True)
class Para:
    """A paragraph. ``number`` is a typed paragraph number such as "4.1." written before it."""

    text: str
    number: str | None = None


@dataclass(frozen=True)
class Bullet:
    text: str
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bullets:
    """A bulleted list; each item may have second-level bullets under it."""

    items: tuple[Bullet, ...]


@dataclass(frozen=True)
class Numbered:
    """A numbered list (1., 2., ...), made with real list numbering where the format has it."""

    items: tuple[str, ...]
    name: str  # the prefix of each item's name in the expected file, e.g. "priority"


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Content = Para | Bullets | Numbered | Table


@dataclass(frozen=True)
class Section:
    heading: str
    level: int  # 1 for a chapter, 2 for a part of one
    role: Role
    content: tuple[Content, ...] = ()
    columns: bool = False  # set in two columns in the WeasyPrint PDF
    new_page: bool = False  # starts on a new page in the PDFs


@dataclass(frozen=True)
class Report:
    slug: str  # the file name stem
    source: str  # the short name the platform uses, e.g. "LSCP"
    title: str
    running_header: str
    sections: tuple[Section, ...]
    heading_styles: bool = True  # False: the DOCX has its headings in bold and larger type only
    scanned_text: tuple[str, ...] = field(default_factory=tuple)  # a page kept only as a picture
