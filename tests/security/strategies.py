"""Hypothesis strategies for hostile input: mutated samples, CSV tables and XML documents."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from hypothesis import strategies as st

# Bytes that mean something to a CSV, XML or zip reader, or to a decoder.
TOKENS = (
    b",",
    b'"',
    b"\n",
    b"\r",
    b"\r\n",
    b";",
    b"\t",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#x10FFFF;",
    b"&lol;",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"<!DOCTYPE Message>",
    b"<?xml",
    b"PAR1",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"[c]",
    b"NaN",
    b"inf",
    b"-1",
    b"99999999999999999999",
    b"1e308",
    b"31/02/2024",
    b"2024-02-30",
    b"0000-00-00",
)

# Text that strains a CSV cell: separators, quotes, line ends, controls, other scripts.
CELL_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs", "Cc", "Cf"),
    include_characters=",;\"'\r\n\t\x00\ufeff\u202e",
)


@st.composite
def mutated(draw: st.DrawFn, sample: bytes, most: int = 8) -> bytes:
    """``sample`` with a few bytes flipped, ranges cut, copied or truncated, tokens put in."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, most))):
        size = len(data)
        at = draw(st.integers(0, size))
        kind = draw(st.sampled_from(("flip", "cut", "copy", "token", "insert", "truncate")))
        if kind == "flip" and size:
            at = min(at, size - 1)
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            data[at : at + draw(st.integers(1, 64))] = b""
        elif kind == "copy":
            piece = data[at : at + draw(st.integers(1, 256))]
            where = draw(st.integers(0, size))
            data[where:where] = piece * draw(st.integers(1, 4))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


def cells(known: Sequence[str]) -> st.SearchStrategy[str]:
    """A cell: most often a value the reader knows, else anything."""
    return st.one_of(
        st.sampled_from(known) if known else st.nothing(),
        st.text(CELL_ALPHABET, max_size=20),
        st.from_regex(r"-?\d{1,12}(\.\d{1,6})?", fullmatch=True),
        st.from_regex(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}", fullmatch=True),
        st.sampled_from(("", " ", "[c]", "[x]", "NaN", "inf", "-0", "1e400", "TRUE", "0x10")),
    )


@st.composite
def csv_tables(
    draw: st.DrawFn, columns: Sequence[str], known: Sequence[str] = (), most_rows: int = 8
) -> bytes:
    """A CSV of the reader's own columns (some left out, some repeated) and strange ones,
    with rows of any length, quoted properly or joined with bare commas."""
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(columns), st.text(CELL_ALPHABET, max_size=12)),
            max_size=len(columns) + 3,
        )
    )
    if draw(st.booleans()):
        names = list(columns) + names[: draw(st.integers(0, 2))]
    width = max(len(names), 1)
    rows = draw(
        st.lists(
            st.lists(cells(known), min_size=max(width - 1, 0), max_size=width + 1),
            max_size=most_rows,
        )
    )
    text = io.StringIO()
    if draw(st.booleans()):
        writer = csv.writer(text, lineterminator=draw(st.sampled_from(("\n", "\r\n"))))
        writer.writerow(names)
        writer.writerows(rows)
    else:
        text.write("\n".join(",".join(row) for row in [names, *rows]))
    encoded = text.getvalue().encode("utf-8", "surrogatepass")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + encoded


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


XML_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=16).map(_escape),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
    st.from_regex(r"\d{1,4}", fullmatch=True),
    st.sampled_from(
        ("&amp;", "&lt;", "&#65;", "&#x0;", "&lol;", "&xxe;", "<![CDATA[<x>]]>", "<!-- c -->")
    ),
)


@st.composite
def xml_documents(
    draw: st.DrawFn,
    tags: Sequence[str],
    skeleton: tuple[str, str, str] | None = None,
    depth: int = 4,
) -> bytes:
    """An XML document of the reader's element names (and others), with attributes, text,
    character and entity references, comments and sometimes a document type declaration.

    With ``skeleton`` (head, element name, foot), some documents are the head, random elements
    of that name and the foot, so that the reader gets past the head to them.
    """
    names = st.one_of(st.sampled_from(tags), st.from_regex(r"[A-Za-z_][\w.-]{0,8}", fullmatch=True))

    def element(level: int, tag: str | None = None) -> str:
        tag = tag or draw(names)
        attributes = "".join(
            f' {name}="{_escape(value)}"'
            for name, value in draw(
                st.dictionaries(
                    st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
                    st.text(max_size=8),
                    max_size=2,
                )
            ).items()
        )
        if level < depth and draw(st.booleans()):
            inner = "".join(element(level + 1) for _ in range(draw(st.integers(0, 4))))
        else:
            inner = draw(XML_TEXT)
        if draw(st.integers(0, 20)) == 0:
            return f"<{tag}{attributes}>{inner}"  # left open
        return f"<{tag}{attributes}>{inner}</{tag}>"

    if skeleton is not None and draw(st.booleans()):
        head, name, foot = skeleton
        body = "".join(element(1, name) for _ in range(draw(st.integers(1, 3))))
        return (head + body + foot).encode("utf-8", "surrogatepass")
    prolog = draw(
        st.sampled_from(
            (
                "",
                '<?xml version="1.0" encoding="UTF-8"?>\n',
                '<?xml version="1.0" encoding="ISO-8859-1"?>\n',
                "<!-- a comment -->\n",
                '<!DOCTYPE Message [<!ENTITY lol "lol">]>\n',
                '<?xml version="1.0"?>\n<!DOCTYPE Message SYSTEM "file:///etc/passwd">\n',
            )
        )
    )
    root = draw(st.sampled_from(("Message", "Message", "Message", "message", "x:Message")))
    return (prolog + element(0, root)).encode("utf-8", "surrogatepass")
