"""The taxonomy of safeguarding and health themes that statements are classified to.

It is data, not code: ``catalogue/themes.yaml`` holds the platform's taxonomy, and the web app
lets a policy officer edit a copy. Every copy is checked by ``taxonomy_from_yaml`` before use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

# Size limits: generous for any real taxonomy, small enough that a pasted file cannot make
# classification slow or the page unreadable.
MAX_YAML_CHARS = 1_000_000
MAX_THEMES = 200
MAX_ID_CHARS = 60
MAX_LABEL_CHARS = 120
MAX_DESCRIPTION_CHARS = 1_000
MAX_EXAMPLES = 30
MAX_EXAMPLE_CHARS = 500
MAX_KEYWORDS = 80
MAX_KEYWORD_CHARS = 80
MAX_VERSION_CHARS = 40


class TaxonomyProblem(ValueError):
    """A taxonomy that cannot be used, with a message saying what to fix."""


@dataclass(frozen=True)
class Theme:
    """One theme: what it is called, what belongs in it, and statements that illustrate it."""

    id: str
    label: str
    description: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """A versioned list of themes."""

    version: str
    themes: tuple[Theme, ...]

    def get(self, theme_id: str) -> Theme | None:
        """The theme with this id, or None."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)

    def __len__(self) -> int:
        return len(self.themes)


def default_taxonomy_path() -> Path:
    """Where the platform's own taxonomy lives."""
    return Path(str(resources.files("safeguarding.catalogue").joinpath("themes.yaml")))


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The taxonomy in ``path``, or the platform's own when no path is given."""
    path = path or default_taxonomy_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise TaxonomyProblem(f"There is no taxonomy file at {path}.") from error
    except UnicodeDecodeError as error:
        raise TaxonomyProblem(f"The taxonomy file {path.name} is not UTF-8 text.") from error
    return taxonomy_from_yaml(text)


def _text(value: Any, where: str, limit: int, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TaxonomyProblem(f"{where} must be text.")
    text = " ".join(str(value).split())
    if required and not text:
        raise TaxonomyProblem(f"{where} is empty.")
    if len(text) > limit:
        raise TaxonomyProblem(f"{where} is longer than {limit} characters.")
    return text


def _texts(value: Any, where: str, limit: int, max_items: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TaxonomyProblem(f"{where} must be a list of texts.")
    if len(value) > max_items:
        raise TaxonomyProblem(f"{where} has {len(value)} entries; the most allowed is {max_items}.")
    items = [_text(item, f"{where}, entry {n}", limit) for n, item in enumerate(value, 1)]
    # Keep the first of any repeated entry: a repeat adds nothing and would count twice.
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            unique.append(item)
    return tuple(unique)


def _theme(raw: Any, n: int) -> Theme:
    if not isinstance(raw, dict):
        raise TaxonomyProblem(f"Theme {n} must be a mapping with id, label, description, examples.")
    theme_id = raw.get("id")
    if not isinstance(theme_id, str) or not ID_PATTERN.match(theme_id):
        raise TaxonomyProblem(
            f"Theme {n} has the id {theme_id!r}: an id must start with a lower-case letter and "
            "use only lower-case letters, digits and underscores, e.g. domestic_abuse."
        )
    if len(theme_id) > MAX_ID_CHARS:
        raise TaxonomyProblem(f"Theme {n}: the id is longer than {MAX_ID_CHARS} characters.")
    where = f"Theme {theme_id!r}"
    unknown = sorted(set(raw) - {"id", "label", "description", "examples", "keywords"})
    if unknown:
        raise TaxonomyProblem(
            f"{where} has fields this platform does not know: {', '.join(unknown)}."
        )
    examples = _texts(raw.get("examples"), f"{where}: examples", MAX_EXAMPLE_CHARS, MAX_EXAMPLES)
    if not examples:
        raise TaxonomyProblem(f"{where} needs at least one example statement.")
    return Theme(
        id=theme_id,
        label=_text(raw.get("label"), f"{where}: label", MAX_LABEL_CHARS),
        description=_text(raw.get("description"), f"{where}: description", MAX_DESCRIPTION_CHARS),
        examples=examples,
        keywords=_texts(raw.get("keywords"), f"{where}: keywords", MAX_KEYWORD_CHARS, MAX_KEYWORDS),
    )


def taxonomy_from_data(data: Any) -> Taxonomy:
    """A checked taxonomy from already-parsed data (``{"version": ..., "themes": [...]}``)."""
    if not isinstance(data, dict):
        raise TaxonomyProblem("A taxonomy must have a version and a list of themes.")
    version = _text(data.get("version"), "The taxonomy's version", MAX_VERSION_CHARS)
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise TaxonomyProblem("A taxonomy needs a list of themes under 'themes'.")
    if len(raw_themes) > MAX_THEMES:
        raise TaxonomyProblem(
            f"The taxonomy has {len(raw_themes)} themes; the most allowed is {MAX_THEMES}."
        )
    themes = tuple(_theme(raw, n) for n, raw in enumerate(raw_themes, 1))
    seen: set[str] = set()
    for theme in themes:
        if theme.id in seen:
            raise TaxonomyProblem(f"The theme id {theme.id!r} is used more than once.")
        seen.add(theme.id)
    return Taxonomy(version=version, themes=themes)


def taxonomy_from_yaml(text: str) -> Taxonomy:
    """A checked taxonomy from YAML text; raises ``TaxonomyProblem`` saying what to fix."""
    if len(text) > MAX_YAML_CHARS:
        raise TaxonomyProblem(f"The taxonomy is longer than {MAX_YAML_CHARS:,} characters.")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise TaxonomyProblem(f"The taxonomy is not valid YAML{where}.") from error
    return taxonomy_from_data(data)


def taxonomy_to_data(taxonomy: Taxonomy) -> dict[str, Any]:
    """The taxonomy as plain data, the shape ``taxonomy_from_data`` reads."""
    return {
        "version": taxonomy.version,
        "themes": [
            {
                "id": theme.id,
                "label": theme.label,
                "description": theme.description,
                "examples": list(theme.examples),
                "keywords": list(theme.keywords),
            }
            for theme in taxonomy.themes
        ],
    }


def taxonomy_to_yaml(taxonomy: Taxonomy) -> str:
    """The taxonomy as YAML that ``taxonomy_from_yaml`` reads back to the same taxonomy."""
    return yaml.safe_dump(
        taxonomy_to_data(taxonomy), sort_keys=False, allow_unicode=True, width=100
    )
