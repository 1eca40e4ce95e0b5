"""Fixtures of the shared-priorities pages: three small invented documents of the demo borough
(two partnerships' reports and the Health and Wellbeing Strategy) written as Markdown, and
their alignment worked out once for the whole module, since the pipeline takes a second or two.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

CHILDREN_REPORT = """# Larkhaven Safeguarding Children Partnership: Annual Report 2024-25

## Overview

The partnership brings together the council, the police and the integrated care board to keep
children in Larkhaven safe.

## Achievements

- Trained 400 practitioners to recognise parental mental ill health and its effect on children.
- Agreed a transitions protocol so that vulnerable 17-year-olds move to adult services without a
  gap in support.
- Ran a domestic abuse awareness campaign in every secondary school in the borough.

## Challenges

- Waiting times for child and adolescent mental health services remain long.

## Our priorities for 2025-26

- Improve support for children and young people affected by parental mental ill health.
- Strengthen transitions from children's to adult services for young people at risk of
  exploitation.
- Reduce the harm caused to children who live with domestic abuse.
"""

ADULTS_REPORT = """# Larkhaven Safeguarding Adults Board: Annual Report 2024-25

## Overview

The Board oversees how partners safeguard adults with care and support needs in Larkhaven.

## Achievements

- Held focus groups with people with lived experience of mental health crisis.
- Set up a transitions panel with children's services for young adults leaving care.

## Our priorities for 2025-26

- Improve the safeguarding response to adults with mental health needs and those at risk of
  suicide.
- Make the move from children's services to adult social care safe for young adults.
- Respond to domestic abuse affecting older adults and adults with care and support needs.
"""

STRATEGY = """# Larkhaven Health and Wellbeing Strategy 2023-30

## Our vision

Everyone in Larkhaven starts well, lives well and ages well.

## Our priorities

- Improve mental health and emotional wellbeing for people of all ages.
- Make transitions between services safe at every stage of life, from childhood to adulthood.
- Reduce domestic abuse and the harm it does to health.
"""

DOCUMENTS = {
    "LSCP": ("lscp-annual-report.md", "partnership", CHILDREN_REPORT),
    "LSAB": ("lsab-annual-report.md", "partnership", ADULTS_REPORT),
    "HWS": ("health-and-wellbeing-strategy.md", "strategy", STRATEGY),
}


@pytest.fixture(scope="module")
def alignment_json() -> dict[str, Any]:
    """The alignment of the three documents, worked out once for the module."""
    from safeguarding.documents.extract import read_document_bytes
    from safeguarding.themes.alignment import Source, align

    sources = []
    for name, (file_name, kind, text) in DOCUMENTS.items():
        document = read_document_bytes(text.encode("utf-8"), file_name, name)
        sources.append(Source(name=name, kind=kind, document=document, file=file_name))
    return align(sources)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
