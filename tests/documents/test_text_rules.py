"""List markers, cleaning and page numbers, as every reader uses them."""

from __future__ import annotations

import pytest

from safeguarding.documents.text_rules import clean_text, is_page_number, split_marker


@pytest.mark.parametrize(
    ("text", "marker", "rest"),
    [
        ("• Reduce neglect", "•", "Reduce neglect"),
        ("\uf0b7 Reduce neglect", "\uf0b7", "Reduce neglect"),
        ("\uf0b7\tReduce neglect", "\uf0b7", "Reduce neglect"),
        ("- Reduce neglect", "-", "Reduce neglect"),
        ("* Reduce neglect", "*", "Reduce neglect"),
        ("o Reduce neglect", "o", "Reduce neglect"),
        ("▪ Reduce neglect", "▪", "Reduce neglect"),
        ("1. Reduce neglect", "1.", "Reduce neglect"),
        ("12) Reduce neglect", "12)", "Reduce neglect"),
        ("2.4. Our priorities", "2.4.", "Our priorities"),
        ("2.4.1 Our priorities", "2.4.1", "Our priorities"),
        ("a) Reduce neglect", "a)", "Reduce neglect"),
        ("(b) Reduce neglect", "(b)", "Reduce neglect"),
        ("(iii) Reduce neglect", "(iii)", "Reduce neglect"),
        ("iv. Reduce neglect", "iv.", "Reduce neglect"),
        ("  • indented bullet", "•", "indented bullet"),
    ],
)
def test_split_marker_finds_the_marker(text: str, marker: str, rest: str) -> None:
    assert split_marker(text) == (marker, rest)


@pytest.mark.parametrize(
    "text",
    [
        "Reduce neglect",
        "2024 was a hard year",
        "-5% fewer referrals",
        "once a month",
        "Priority 1: Neglect",
        "•",
        "1.",
        "",
        "3.5 per cent",
    ],
)
def test_split_marker_leaves_ordinary_text(text: str) -> None:
    found = split_marker(text)
    # "3.5 per cent" reads as a paragraph number; that is the price of finding "2.4 Heading".
    if text == "3.5 per cent":
        assert found == ("3.5", "per cent")
    else:
        assert found is None


def test_clean_text_joins_whitespace_and_removes_soft_hyphens() -> None:
    assert clean_text("  safe\u00adguarding\u00a0 \t children\n\n") == "safeguarding children"


def test_clean_text_expands_ligatures() -> None:
    assert clean_text("e\ufb03cient \ufb01rst") == "efficient first"


def test_clean_text_makes_private_use_bullets_plain() -> None:
    assert clean_text("\uf0b7 Neglect \ue123") == "• Neglect"


def test_clean_text_drops_control_characters() -> None:
    assert clean_text("a\x00b\x07c\u200b") == "a b c"


@pytest.mark.parametrize(
    "text", ["7", " 12 ", "Page 7", "page 7 of 40", "- 7 -", "7/40", "iv", "XII", "| 3 |"]
)
def test_page_numbers(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["", "Page", "civil", "7 children were seen", "ill", "Section 7"])
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)
