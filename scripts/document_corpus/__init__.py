"""Source text of the invented Larkhaven reports that make the document-reading test corpus."""

from __future__ import annotations

from .adults import REPORT as ADULTS
from .children import REPORT as CHILDREN
from .health import REPORT as HEALTH
from .model import Report

REPORTS: tuple[Report, ...] = (CHILDREN, ADULTS, HEALTH)
