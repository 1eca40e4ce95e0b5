"""The sentence model and the platform's taxonomy, loaded once for the whole session."""

from __future__ import annotations

import pytest

from safeguarding.themes.model import SentenceEmbedder, load_embedder
from safeguarding.themes.taxonomy import Taxonomy, load_taxonomy


@pytest.fixture(scope="session")
def embedder() -> SentenceEmbedder:
    """The process's embedder (the model file is prepared at install, so this is quick)."""
    return load_embedder()


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()
