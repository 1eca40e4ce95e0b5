"""The analysis and taxonomy records: what an analysis keeps, which taxonomy is in use, and
where each sits for permissions."""

from __future__ import annotations

from safeguarding.web import permissions
from safeguarding.web.alignment import pipeline
from safeguarding.web.alignment.models import SharedPrioritiesAnalysis, ThemeTaxonomy
from tests.conftest import World


def test_an_analysis_shows_its_review_once_there_is_one(world: World) -> None:
    analysis = SharedPrioritiesAnalysis.objects.create(
        area=world.area,
        title="Shared priorities",
        created_by_name="manager",
        sources=[
            {"name": "LSCP", "kind": "partnership", "origin": "upload"},
            {"name": "HWS", "kind": "strategy", "origin": "strategy", "record_id": 1},
        ],
    )
    assert analysis.current is None and not analysis.has_result
    assert analysis.source_names() == ["LSCP", "HWS"]
    assert (analysis.count_of("partnership"), analysis.count_of("strategy")) == (1, 1)
    assert pipeline.missing_sources(analysis) == [
        "Add one more partnership: the analysis looks for priorities shared by two or more."
    ]
    analysis.alignment = {"shared_themes": ["as produced"]}
    assert analysis.current == {"shared_themes": ["as produced"]}
    analysis.reviewed = {"shared_themes": []}
    assert analysis.current == {"shared_themes": []}
    assert str(analysis) == "Shared priorities"


def test_the_newest_saved_taxonomy_is_the_one_in_use(world: World) -> None:
    text, saved = pipeline.taxonomy_text()
    assert saved is None and text == pipeline.catalogue_taxonomy_text()
    assert pipeline.current_taxonomy().themes
    older = ThemeTaxonomy.objects.create(text=text, version="1", created_by_name="a")
    newer_text = text.replace("version:", "version: '2'\nold_version:", 1)
    newer = ThemeTaxonomy.objects.create(text=newer_text, version="2", created_by_name="b")
    assert pipeline.latest_taxonomy() == newer != older
    assert pipeline.taxonomy_text() == (newer_text, newer)


def test_an_analysis_belongs_to_its_area_and_the_taxonomy_to_the_platform(world: World) -> None:
    analysis = SharedPrioritiesAnalysis(area=world.area, title="A", created_by_name="a")
    assert permissions.scope_of(analysis) == permissions.Scope(area_id=world.area.pk)
    assert permissions.record_type_of(analysis) == "shared_priorities_analysis"
    taxonomy = ThemeTaxonomy(text="", version="1", created_by_name="a")
    assert permissions.scope_of(taxonomy) == permissions.Scope()
    assert permissions.record_type_of(taxonomy) == "theme_taxonomy"
