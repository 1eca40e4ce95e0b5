"""Reading HTML: headings, paragraphs, nested and numbered lists, tables, line breaks; and
nothing from scripts, styles or embedded content."""

from __future__ import annotations

import pytest

from safeguarding.documents.html import read_html
from safeguarding.documents.limits import DEFAULT_LIMITS, ReadLimits
from safeguarding.documents.model import DocumentProblem

PAGE = """<!doctype html>
<html><head><title>Otterby Safeguarding Adults Board</title>
<script>document.write("SCRIPT-TEXT")</script><style>p { color: red } STYLE-TEXT</style></head>
<body>
<nav><ul><li>Home</li><li>Contact</li></ul></nav>
<h1>Our priorities</h1>
<p>In 2025 we <strong>will</strong> focus on:<br>self-neglect</p>
<script>var NOT_THIS = "SCRIPT-TEXT";</script>
<ol start="3">
  <li>Self-neglect
    <ul><li>train housing officers</li><li>audit cases</li></ul>
  </li>
  <li>Financial abuse</li>
</ol>
<h2>Nothing under this</h2>
<h2>In numbers</h2>
<table><tr><th>Measure</th><th>2024</th></tr>
<tr><td><p>Concerns</p><p>received</p></td><td>3,402</td></tr></table>
<noscript>NOSCRIPT-TEXT</noscript><template><p>TEMPLATE-TEXT</p></template>
<iframe src="https://example.invalid/">IFRAME-TEXT</iframe><object>OBJECT-TEXT</object>
<p hidden>HIDDEN-TEXT</p>
<p>safe<b>guard</b>ing &amp; care</p>
</body></html>"""


def read(page: str) -> list[tuple[str, int, str | None, str]]:
    blocks, pages, notes, _ = read_html(page.encode(), limits=DEFAULT_LIMITS)
    assert pages is None and notes == []
    return [(b.kind, b.level, b.marker, b.text) for b in blocks]


def test_the_page_in_reading_order() -> None:
    assert read(PAGE) == [
        ("heading", 1, None, "Our priorities"),
        ("paragraph", 0, None, "In 2025 we will focus on:"),
        ("paragraph", 0, None, "self-neglect"),
        ("list_item", 1, "3.", "Self-neglect"),
        ("list_item", 2, "•", "train housing officers"),
        ("list_item", 2, "•", "audit cases"),
        ("list_item", 1, "4.", "Financial abuse"),
        ("heading", 2, None, "Nothing under this"),
        ("heading", 2, None, "In numbers"),
        ("table_row", 0, None, "Measure | 2024"),
        ("table_row", 0, None, "Concerns received | 3,402"),
        ("paragraph", 0, None, "safeguarding & care"),
    ]


def test_the_title() -> None:
    assert read_html(PAGE.encode(), limits=DEFAULT_LIMITS)[3] == "Otterby Safeguarding Adults Board"


@pytest.mark.parametrize(
    "hidden", ["SCRIPT-TEXT", "STYLE-TEXT", "NOSCRIPT", "TEMPLATE", "IFRAME", "OBJECT", "HIDDEN"]
)
def test_nothing_from_scripts_styles_or_embedded_content(hidden: str) -> None:
    assert not any(hidden in text for *_, text in read(PAGE))


def test_a_line_break_inside_a_list_item_keeps_one_item() -> None:
    assert read("<ul><li>first line<br>second line</li></ul>") == [
        ("list_item", 1, "•", "first line second line")
    ]


def test_text_after_a_nested_list_continues_the_item_without_a_new_number() -> None:
    blocks = read("<ol><li>Lead<ul><li>inner</li></ul>after</li><li>Next</li></ol>")
    assert blocks == [
        ("list_item", 1, "1.", "Lead"),
        ("list_item", 2, "•", "inner"),
        ("list_item", 1, None, "after"),
        ("list_item", 1, "2.", "Next"),
    ]


def test_windows_encoded_page_with_its_charset_named() -> None:
    page = b'<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 \x96 open</p>'
    blocks, *_ = read_html(page, limits=DEFAULT_LIMITS)
    assert blocks[0].text == "Caf\u00e9 \u2013 open"


def test_nesting_as_deep_as_real_pages_is_read() -> None:
    page = "<div>" * 200 + "<p>deep</p>" + "</div>" * 200
    assert read(page) == [("paragraph", 0, None, "deep")]


def test_absurd_nesting_ends_without_a_crash() -> None:
    # The parser stops descending past its depth limit: what lies deeper is not read.
    page = "<div>" * 50_000 + "<p>deep</p>" + "</div>" * 50_000
    assert read(page) == []


@pytest.mark.parametrize("page", [b"", b"   ", b"<!-- only a comment -->"])
def test_an_empty_page_is_refused_or_has_no_blocks(page: bytes) -> None:
    try:
        blocks, *_ = read_html(page, limits=DEFAULT_LIMITS)
    except DocumentProblem as problem:
        assert "empty" in str(problem)
    else:
        assert blocks == []


def test_too_much_text_is_refused() -> None:
    page = "<p>" + "Neglect is the most common reason. " * 100 + "</p>"
    with pytest.raises(DocumentProblem, match="characters"):
        read_html(page.encode(), limits=ReadLimits(max_text_chars=500))


SITE = """<!doctype html><html><body>
<div id="cookie-notice"><p>We use cookies to improve this site.</p><a>Accept all cookies</a></div>
<header class="masthead"><a href="/">Fellbridge Council</a></header>
<div role="navigation"><p>Home / Health / Strategy</p></div>
<main>
  <article>
    <header><p>Published by the Health and Wellbeing Board.</p></header>
    <h1>Our priorities</h1>
    <ul><li>Halve the number of families in temporary accommodation.</li></ul>
    <footer><p>Agreed by the Board in May.</p></footer>
  </article>
</main>
<footer><p>Fellbridge Council, 1 Market Square. Privacy notice.</p></footer>
<div role="contentinfo"><p>Copyright Fellbridge Council.</p></div>
</body></html>"""


def test_the_site_around_the_document_is_left_out() -> None:
    # The page's own banner, navigation, footer and cookie notice are the website's, not the
    # document's; a header or footer inside the article is the document's own.
    assert [text for _, _, _, text in read(SITE)] == [
        "Published by the Health and Wellbeing Board.",
        "Our priorities",
        "Halve the number of families in temporary accommodation.",
        "Agreed by the Board in May.",
    ]
