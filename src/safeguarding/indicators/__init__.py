"""Statutory indicators from case records: the catalogue, its Ibis definitions, the engines
they run on, statistics and disclosure control. Never imports Django."""

from safeguarding.indicators.catalogue import IndicatorSpec, catalogue
from safeguarding.indicators.disclosure import suppress
from safeguarding.indicators.run import IndicatorRun, adult_indicators
from safeguarding.indicators.tidy import TIDY_COLUMNS, TIDY_SCHEMA

__all__ = [
    "TIDY_COLUMNS",
    "TIDY_SCHEMA",
    "IndicatorRun",
    "IndicatorSpec",
    "adult_indicators",
    "catalogue",
    "suppress",
]
