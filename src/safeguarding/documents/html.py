"""Reading an HTML page into blocks: headings, paragraphs, list items with depth, table rows.

Nothing is fetched and no entity is resolved; scripts, styles and embedded content are dropped
with everything inside them, so that no code or hidden markup reaches a statement. So is the
site around the document: navigation, the page's own banner and footer (a ``<header>`` or
``<footer>`` outside ``<main>``, ``<article>`` and ``<section>``, or an element whose ARIA role
says it is one) and cookie notices, whose address lines and "Accept cookies" buttons would
otherwise be read as the last section's statements.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from safeguarding.documents.limits import ReadingBudget, ReadLimits
from safeguarding.documents.model import Block, DocumentProblem, PageNote
from safeguarding.documents.text_rules import clean_text, decode_bytes, split_paragraph_number

DROPPED = frozenset(
    "script style noscript template iframe object embed applet svg math canvas head nav "
    "button select textarea frameset frame".split()
)
BREAKS = frozenset(
    "p div section article main aside header footer blockquote figure figcaption address "
    "dl dt dd pre form fieldset details summary center".split()
)
HEADINGS = {f"h{n}": n for n in range(1, 7)}
# The site's own parts, by ARIA role: its banner, navigation, footer ("contentinfo") and search.
CHROME_ROLES = frozenset({"banner", "navigation", "contentinfo", "search"})
# A <header> or <footer> inside one of these belongs to the document (an article's byline).
CONTENT_CONTAINERS = frozenset({"main", "article", "section"})
# Cookie banners are marked by their id or class in every site builder seen; no document
# content is.
_COOKIE = re.compile(r"cookie", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)


def read_html(
    data: bytes, *, limits: ReadLimits
) -> tuple[list[Block], int | None, list[PageNote], str | None]:
    """The blocks of an HTML page in reading order, no page count, no notes, its title."""
    budget = ReadingBudget(limits)
    root = parse_html(data)
    walker = _Walker(budget)
    walker.walk(root)
    return walker.blocks, None, [], _title(root)


def parse_html(data: bytes) -> etree._Element:
    """The page's element tree, parsed with nothing fetched; refuse a page with nothing in it."""
    text = _CONTROL.sub(" ", _decode_html(data))
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise DocumentProblem("The web page (HTML) is empty or could not be read.") from None


def _decode_html(data: bytes) -> str:
    """The page's text: by BOM or UTF-8, else the charset its <meta> names, else Windows'."""
    declared = _CHARSET.search(data[:4096])
    fallback = "cp1252"
    if declared is not None:
        try:
            fallback = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, fallback=fallback)


def _title(root: etree._Element) -> str | None:
    found = root.find(".//title")
    text = clean_text(found.text_content()) if found is not None else ""
    return text or None


@dataclass
class _Item:
    depth: int
    marker: str | None


class _Walker:
    """Walks the tree without recursion (a deeply nested page cannot exhaust the stack)."""

    def __init__(self, budget: ReadingBudget) -> None:
        self.budget = budget
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.heading: int | None = None  # the level of the heading being read
        self.lists: list[list[int]] = []  # for each open list: [is_ordered, count]
        self.items: list[_Item] = []  # the open list items, outermost first
        self.row: list[str] | None = None  # the cells of the table row being read
        self.cell: list[str] | None = None

    def walk(self, root: etree._Element) -> None:
        stack: list[tuple[etree._Element, bool]] = [(root, False)]
        while stack:
            self.budget.check_time()
            element, closing = stack.pop()
            if closing:
                self.end(element)
                self.text(element.tail)
                continue
            tag = element.tag if isinstance(element.tag, str) else ""
            if not tag or tag.lower() in DROPPED or _is_site_chrome(element, tag.lower()):
                self.text(element.tail)
                continue
            self.start(element, tag.lower())
            self.text(element.text)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
        self.flush()

    def text(self, text: str | None) -> None:
        if text:
            (self.cell if self.cell is not None else self.buffer).append(text)

    def start(self, element: etree._Element, tag: str) -> None:
        if tag in HEADINGS:
            self.flush()
            self.heading = HEADINGS[tag]
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append([tag == "ol", _start_number(element) - 1])
        elif tag == "li":
            self.flush()
            self.items.append(self.new_item())
        elif tag == "tr":
            self.flush()
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br":
            self.line_break()
        elif tag in BREAKS or tag == "table":
            self.boundary()

    def end(self, element: etree._Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in HEADINGS:
            self.flush()
            self.heading = None
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag == "li":
            self.flush()
            if self.items:
                self.items.pop()
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(clean_text("".join(self.cell)))
            self.cell = None
        elif tag == "tr":
            self.end_row()
        elif tag in BREAKS or tag == "table":
            self.boundary()

    def boundary(self) -> None:
        """A block element ends the text before it, except within a table cell."""
        if self.cell is not None:
            self.cell.append(" ")
        else:
            self.flush()

    def new_item(self) -> _Item:
        """An <li> just opened: its depth and the number or bullet it shows."""
        if not self.lists:
            return _Item(depth=1, marker="•")
        numbering = self.lists[-1]
        numbering[1] += 1
        return _Item(depth=len(self.lists), marker=f"{numbering[1]}." if numbering[0] else "•")

    def line_break(self) -> None:
        """A <br> ends a line of a paragraph, but only a space within a heading or list item."""
        if self.cell is not None:
            self.cell.append(" ")
        elif self.heading is None and not self.items:
            self.flush()
        else:
            self.buffer.append(" ")

    def end_row(self) -> None:
        if self.row is not None and any(self.row):
            self.add(Block(kind="table_row", text=" | ".join(self.row)))
        self.row = None
        self.cell = None

    def flush(self) -> None:
        """The text read so far becomes one block of the kind the open elements say."""
        text = clean_text("".join(self.buffer))
        self.buffer = []
        if not text:
            return
        if self.heading is not None:
            self.add(Block(kind="heading", text=text, level=self.heading))
        elif self.items:
            self.add(self.list_item(text))
        elif (numbered := split_paragraph_number(text)) is not None:
            self.add(Block(kind="paragraph", text=numbered[1], marker=numbered[0]))
        else:
            self.add(Block(kind="paragraph", text=text))

    def list_item(self, text: str) -> Block:
        item = self.items[-1]
        # Only the item's first block shows its number; text after a nested list continues it.
        marker, item.marker = item.marker, None
        return Block(kind="list_item", text=text, level=item.depth, marker=marker)

    def add(self, block: Block) -> None:
        self.budget.add_text(block.text)
        self.blocks.append(block)


def _is_site_chrome(element: etree._Element, tag: str) -> bool:
    """Hidden, or the site around the document: its banner, footer, navigation, cookie notice."""
    if element.get("hidden") is not None:
        return True
    if (element.get("role") or "").strip().lower() in CHROME_ROLES:
        return True
    if _COOKIE.search(f"{element.get('id') or ''} {element.get('class') or ''}"):
        return True
    if tag in ("header", "footer"):
        return not any(
            isinstance(parent.tag, str) and parent.tag.lower() in CONTENT_CONTAINERS
            for parent in element.iterancestors()
        )
    return False


def _start_number(element: etree._Element) -> int:
    start = (element.get("start") or "1").strip()
    return int(start) if start.isdigit() and len(start) < 7 else 1
