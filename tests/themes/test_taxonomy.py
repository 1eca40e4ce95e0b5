"""The theme taxonomy: the platform's own file, and the checks every edited copy goes through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from safeguarding.themes.taxonomy import (
    MAX_THEMES,
    Taxonomy,
    TaxonomyProblem,
    Theme,
    load_taxonomy,
    taxonomy_from_yaml,
    taxonomy_to_yaml,
)

CARE_ACT_TYPES = {
    "physical_abuse",
    "domestic_abuse",
    "sexual_abuse",
    "psychological_abuse",
    "financial_abuse",
    "modern_slavery",
    "discriminatory_abuse",
    "organisational_abuse",
    "neglect",
    "self_neglect",
}

GOOD = """
version: "test.1"
themes:
  - id: domestic_abuse
    label: Domestic abuse
    description: Abuse by a partner or family member.
    examples: [Victims get help sooner.]
    keywords: [domestic abuse, MARAC]
  - id: carers
    label: Carers
    description: People who look after someone.
    examples: [Carers get a break.]
"""


def test_the_platform_taxonomy_covers_the_field(taxonomy: Taxonomy) -> None:
    assert 30 <= len(taxonomy) <= 45
    assert re.fullmatch(r"\d{4}\.\d+", taxonomy.version)
    assert CARE_ACT_TYPES <= set(taxonomy.ids)
    for wanted in ("information_sharing", "professional_curiosity", "think_family", "exploitation"):
        assert taxonomy.get(wanted) is not None
    for theme in taxonomy.themes:
        assert 3 <= len(theme.examples) <= 6, theme.id
        assert theme.keywords, theme.id
        assert theme.description.endswith("."), theme.id


def test_no_two_themes_share_an_example(taxonomy: Taxonomy) -> None:
    examples = [e.casefold() for theme in taxonomy.themes for e in theme.examples]
    assert len(examples) == len(set(examples))


def test_get_finds_a_theme_by_id(taxonomy: Taxonomy) -> None:
    theme = taxonomy.get("carers")
    assert isinstance(theme, Theme) and theme.label == "Carers and young carers"
    assert taxonomy.get("no_such_theme") is None


def test_a_taxonomy_survives_the_round_trip_through_yaml(taxonomy: Taxonomy) -> None:
    text = taxonomy_to_yaml(taxonomy)
    assert taxonomy_from_yaml(text) == taxonomy
    small = taxonomy_from_yaml(GOOD)
    assert taxonomy_from_yaml(taxonomy_to_yaml(small)) == small
    assert small.get("carers") == Theme(
        "carers", "Carers", "People who look after someone.", ("Carers get a break.",), ()
    )


def test_load_taxonomy_reads_a_file_and_says_when_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_taxonomy(path).ids == ("domestic_abuse", "carers")
    with pytest.raises(TaxonomyProblem, match="no taxonomy file"):
        load_taxonomy(tmp_path / "missing.yaml")
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(TaxonomyProblem, match="UTF-8"):
        load_taxonomy(path)


def _edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "version and a list of themes"),
        ('version: "1"\nthemes: []\n', "needs a list of themes"),
        ("themes: []\n", "version"),
        (_edit("id: carers", "id: domestic_abuse"), "used more than once"),
        (_edit("id: carers", "id: Carers"), "lower-case letter"),
        (_edit("id: carers", "id: 1carers"), "lower-case letter"),
        (_edit("id: carers", "id: young-carers"), "lower-case letter"),
        (_edit("label: Carers", 'label: ""'), "label is empty"),
        (_edit("label: Carers", "label: [a, b]"), "label must be text"),
        (_edit("description: People who look after someone.", "description:"), "description"),
        (_edit("examples: [Carers get a break.]", "examples: []"), "at least one example"),
        (_edit("examples: [Carers get a break.]", "examples: Carers get a break."), "list"),
        (_edit("keywords: [domestic abuse, MARAC]", "keywords: [[nested]]"), "keywords, entry 1"),
        (_edit("label: Carers", "label: Carers\n    colour: red"), "colour"),
        (_edit("label: Carers", "label: " + "C" * 200), "longer than"),
        (GOOD.replace("  - id: carers", "  - just text\n  - id: carers"), "Theme 2 must be"),
    ],
)
def test_a_bad_taxonomy_is_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(TaxonomyProblem, match=message) as caught:
        taxonomy_from_yaml(text)
    assert "\n" not in str(caught.value)


def test_a_taxonomy_with_too_many_themes_is_refused() -> None:
    themes = [
        {"id": f"t{n}", "label": "L", "description": "D.", "examples": ["E."]}
        for n in range(MAX_THEMES + 1)
    ]
    with pytest.raises(TaxonomyProblem, match=f"the most allowed is {MAX_THEMES}"):
        taxonomy_from_yaml(yaml.safe_dump({"version": "1", "themes": themes}))


def test_yaml_tags_that_run_code_are_never_obeyed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(TaxonomyProblem):
        taxonomy_from_yaml(text)
    assert not marker.exists()


def test_repeated_examples_and_keywords_are_kept_once() -> None:
    text = _edit(
        "examples: [Carers get a break.]", "examples: [Carers get a break., carers GET a break.]"
    )
    text = text.replace("keywords: [domestic abuse, MARAC]", "keywords: [MARAC, marac, MARAC]")
    parsed = taxonomy_from_yaml(text)
    carers, domestic = parsed.get("carers"), parsed.get("domestic_abuse")
    assert carers is not None and carers.examples == ("Carers get a break.",)
    assert domestic is not None and domestic.keywords == ("MARAC",)
