"""Reading Markdown: ATX and setext headings, nested lists, joined paragraphs, pipe tables."""

from __future__ import annotations

from safeguarding.documents.limits import DEFAULT_LIMITS
from safeguarding.documents.markdown import plain_inline, read_markdown

REPORT = """Castle Fenwick Safeguarding Adults Board
========================================

Intro paragraph that runs
across two lines with **bold** and a [link](https://example.invalid).

## Our priorities ##

1. Self-neglect, we will:
   - train staff
     on hoarding
   - audit cases
2. Exploitation

   more about exploitation

After the list.

| Measure | 2024 |
|---|---:|
| Concerns | 3,402 |
Enquiries | 905

Looking ahead
-------------

```
print("code is not a statement")
```

### Empty

* * *
- last item
"""


def read(text: str) -> list[tuple[str, int, str | None, str]]:
    blocks, pages, notes, _ = read_markdown(text.encode(), limits=DEFAULT_LIMITS)
    assert pages is None and notes == []
    return [(b.kind, b.level, b.marker, b.text) for b in blocks]


def test_the_report_in_reading_order() -> None:
    assert read(REPORT) == [
        ("heading", 1, None, "Castle Fenwick Safeguarding Adults Board"),
        ("paragraph", 0, None, "Intro paragraph that runs across two lines with bold and a link."),
        ("heading", 2, None, "Our priorities"),
        ("list_item", 1, "1.", "Self-neglect, we will:"),
        ("list_item", 2, "-", "train staff on hoarding"),
        ("list_item", 2, "-", "audit cases"),
        ("list_item", 1, "2.", "Exploitation more about exploitation"),
        ("paragraph", 0, None, "After the list."),
        ("table_row", 0, None, "Measure | 2024"),
        ("table_row", 0, None, "Concerns | 3,402"),
        ("table_row", 0, None, "Enquiries | 905"),
        ("heading", 2, None, "Looking ahead"),
        ("heading", 3, None, "Empty"),
        ("list_item", 1, "-", "last item"),
    ]


def test_the_title_is_the_first_top_heading() -> None:
    assert read_markdown(REPORT.encode(), limits=DEFAULT_LIMITS)[3] == (
        "Castle Fenwick Safeguarding Adults Board"
    )


def test_a_line_with_a_pipe_that_is_not_a_table_stays_a_paragraph() -> None:
    assert read("Police | Health | Council work together.\nEvery week.\n") == [
        ("paragraph", 0, None, "Police | Health | Council work together. Every week.")
    ]


def test_a_paragraph_after_a_blank_line_ends_the_list() -> None:
    assert read("- one\n- two\n\nBody text.\n") == [
        ("list_item", 1, "-", "one"),
        ("list_item", 1, "-", "two"),
        ("paragraph", 0, None, "Body text."),
    ]


def test_a_heading_resets_list_depth() -> None:
    assert read("- a\n  - b\n# H\n    - c\n") == [
        ("list_item", 1, "-", "a"),
        ("list_item", 2, "-", "b"),
        ("heading", 1, None, "H"),
        ("list_item", 1, "-", "c"),
    ]


def test_inline_markup_is_reduced_to_its_words() -> None:
    assert plain_inline("**We** _will_ see ![the chart](c.png) and `code` <b>x</b>") == (
        "We will see the chart and code x"
    )


def test_an_unclosed_fence_hides_the_rest_rather_than_reading_code() -> None:
    assert read("Before.\n\n```\nnot text\n") == [("paragraph", 0, None, "Before.")]
