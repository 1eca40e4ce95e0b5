"""Reading plain text: headings guessed from lines standing alone, bullets, encodings, pages."""

from __future__ import annotations

import pytest

from safeguarding.documents.limits import DEFAULT_LIMITS
from safeguarding.documents.text import read_text

REPORT = """OTTERBY SAFEGUARDING CHILDREN PARTNERSHIP

1. Introduction

This report sets out what the partnership did in 2024-25.
It runs on two lines.

2. Our priorities

\uf0b7 Neglect: we will train staff
  on spotting neglect early
o audit cases each quarter
\u2022 Exploitation

What we achieved

We have delivered training to 400 staff.

2.4 Nothing under this one

12
\fText on the second page.
"""


def read(data: bytes) -> list[tuple[str, int, str | None, int | None, str]]:
    blocks, *_ = read_text(data, limits=DEFAULT_LIMITS)
    return [(b.kind, b.level, b.marker, b.page, b.text) for b in blocks]


EXPECTED = [
    ("heading", 1, None, 1, "OTTERBY SAFEGUARDING CHILDREN PARTNERSHIP"),
    ("heading", 1, None, 1, "1. Introduction"),
    (
        "paragraph",
        0,
        None,
        1,
        "This report sets out what the partnership did in 2024-25. It runs on two lines.",
    ),
    ("heading", 1, None, 1, "2. Our priorities"),
    ("list_item", 1, "•", 1, "Neglect: we will train staff on spotting neglect early"),
    ("list_item", 2, "o", 1, "audit cases each quarter"),
    ("list_item", 1, "•", 1, "Exploitation"),
    ("heading", 1, None, 1, "What we achieved"),
    ("paragraph", 0, None, 1, "We have delivered training to 400 staff."),
    ("heading", 2, None, 1, "2.4 Nothing under this one"),
    ("paragraph", 0, None, 1, "12"),
    ("paragraph", 0, None, 2, "Text on the second page."),
]


def test_headings_lists_and_pages() -> None:
    _, pages, notes, title = read_text(REPORT.encode(), limits=DEFAULT_LIMITS)
    assert read(REPORT.encode()) == EXPECTED
    assert pages == 2
    assert notes == []
    assert title == "OTTERBY SAFEGUARDING CHILDREN PARTNERSHIP"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_unicode_encodings_with_a_byte_order_mark(encoding: str) -> None:
    data = REPORT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert read(data) == EXPECTED


def test_windows_text_when_it_is_not_utf8() -> None:
    data = "Caf\u00e9 opening \u2013 we will open a caf\u00e9.".encode("cp1252")
    assert read(data) == [
        ("paragraph", 0, None, None, "Caf\u00e9 opening \u2013 we will open a caf\u00e9.")
    ]


def test_no_form_feed_no_pages() -> None:
    blocks, pages, *_ = read_text(b"Just a line.\n", limits=DEFAULT_LIMITS)
    assert pages is None and blocks[0].page is None


def test_a_last_line_alone_is_not_a_heading() -> None:
    assert read(b"Body text here.\n\nThank you")[-1][0] == "paragraph"


def test_a_sentence_is_not_a_heading() -> None:
    assert read(b"We will do this.\n\nBody.")[0][0] == "paragraph"


def test_capitals_used_for_sections_put_sentence_case_headings_below_them() -> None:
    data = b"PART ONE\n\nOur year\n\nBody one.\n\nPART TWO\n\nBody two."
    assert [(kind, level, text) for kind, level, _, _, text in read(data)] == [
        ("heading", 1, "PART ONE"),
        ("heading", 2, "Our year"),
        ("paragraph", 0, "Body one."),
        ("heading", 1, "PART TWO"),
        ("paragraph", 0, "Body two."),
    ]
