"""Small rules about text that every reader shares: list markers, cleaning, page numbers."""

from __future__ import annotations

import re
import unicodedata

# Bullets that Word and PDF exporters write from the Symbol and Wingdings fonts land in the
# Unicode private-use area; these are the ones seen in practice as list bullets.
PRIVATE_USE_BULLETS = frozenset("\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0d7\uf0e0\uf0f0")

# Symbols that mark a list item even with no space after them (Word often writes a tab).
SYMBOL_BULLETS = "•●○◦▪■□▫►▸‣➢➤✓✔\u2043·" + "".join(sorted(PRIVATE_USE_BULLETS))
# Characters that mark a list item only when a space follows, since they also start words.
SPACED_BULLETS = ("-", "*", "o", "\u2013", "\u2014", "+")  # en and em dashes too

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")

_ROMAN = r"(?:x{0,3})(?:ix|iv|v?i{0,3})"
_NUMBER_MARKER = re.compile(
    r"""^(
        \d{1,3}(?:\.\d{1,3})+\.?      # 2.4  2.4.  2.4.1
      | \d{1,3}[.)]                   # 1.  12)
      | \(\d{1,3}\)                   # (3)
      | [a-z][.)]                     # a.  b)
      | \([a-z]\)                     # (a)
      | \("""
    + _ROMAN
    + r"""\)       # (iii)
      | """
    + _ROMAN
    + r"""[.)]       # iv.  ii)
    )\s+(?=\S)""",
    re.VERBOSE | re.IGNORECASE,
)
_ROMAN_PAGE = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    r"""^[\s\-\u2013\u2014|.]*
        (?:page\s+)?
        (?:\d{1,4}|"""
    + _ROMAN_PAGE
    + r""")
        (?:\s*(?:of|/)\s*\d{1,4})?
        [\s\-\u2013\u2014|.]*$""",
    re.VERBOSE | re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """Text with one space between words, no soft hyphens or ligatures, bullets made plain."""
    text = text.translate(_INVISIBLE)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = "".join(_plain_character(character) for character in text)
    return _SPACES.sub(" ", text).strip()


def _plain_character(character: str) -> str:
    if character in PRIVATE_USE_BULLETS:
        return "•"
    category = unicodedata.category(character)
    if category == "Co":  # other private-use symbols have no meaning outside their font
        return ""
    if category == "Cc" and character not in "\t\n\r":
        return " "
    return character


def split_marker(text: str) -> tuple[str, str] | None:
    """The list marker or paragraph number that starts ``text`` and the rest, or None."""
    stripped = text.lstrip()
    if not stripped:
        return None
    if stripped[0] in SYMBOL_BULLETS:
        rest = stripped[1:].strip()
        return (stripped[0], rest) if rest else None
    for bullet in SPACED_BULLETS:
        if stripped.startswith(bullet) and stripped[len(bullet) : len(bullet) + 1].isspace():
            rest = stripped[len(bullet) :].strip()
            return (bullet, rest) if rest else None
    found = _NUMBER_MARKER.match(stripped)
    if found is None or not found.group(1).strip("()."):
        return None
    return found.group(1), stripped[found.end() :].strip()


def is_page_number(text: str) -> bool:
    """Whether ``text`` is only a page number, e.g. "7", "Page 7 of 40", "- 7 -", "iv"."""
    text = text.strip()
    return bool(text) and _PAGE_NUMBER.match(text) is not None


# Word's default bullet list uses "•", then "o", then a square (U+F0A7 in Wingdings) for levels
# 1, 2 and 3: when the list's own depth is lost, the bullet still tells it.
_BULLET_DEPTH = {"o": 2, "◦": 2, "○": 2, "\u2013": 2, "▪": 3, "■": 3, "\uf0a7": 3}


def marker_depth(marker: str) -> int:
    """The list depth a bullet suggests when nothing else tells it (1 is the top)."""
    return _BULLET_DEPTH.get(marker, 1)


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_bytes(data: bytes, fallback: str = "cp1252") -> str:
    """Text from bytes: by its byte-order mark, else UTF-8, else ``fallback`` (Windows' own)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(fallback, errors="replace")


_PARAGRAPH_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$")


def is_paragraph_number(marker: str) -> bool:
    """Whether a marker numbers a paragraph ("2.4.", "5.1") rather than a list item ("1.")."""
    return _PARAGRAPH_NUMBER.match(marker) is not None


def split_paragraph_number(text: str) -> tuple[str, str] | None:
    """The paragraph number that starts ``text`` ("2.4. We ...") and the rest, or None."""
    found = split_marker(text)
    return found if found is not None and is_paragraph_number(found[0]) else None
