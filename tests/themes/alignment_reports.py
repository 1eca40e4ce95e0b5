"""Three small invented reports for the Larkhaven area, and a small taxonomy, whose shared
priorities are known by construction.

- transitions and mental_health: priorities of both partnerships and ambitions of the strategy,
  so shared;
- domestic_abuse: a priority of both partnerships, absent from the strategy, so an additional
  focus area and never shared;
- exploitation (the children's partnership only), self_neglect (the adults' board only) and
  housing (the strategy only): held by one source each, so neither shared nor a focus area;
- neglect appears only among the children's partnership's achievements, not its priorities.
"""

from __future__ import annotations

from pathlib import Path

CHILDREN = """\
# Larkhaven Safeguarding Children Partnership: Annual Report 2024-25

## Overview

The partnership brings together Larkhaven Council, Larkhaven Police and the integrated care
board to keep children safe.

## Achievements

- We trained 300 practitioners to recognise neglect in the early years.
- Our audit of missing episodes led to a new return-home interview service.

## Challenges

- Waiting times for child and adolescent mental health services remain too long.

## Our priorities for 2025-26

- Improve transitions from children's to adult services so that young people moving into
  adulthood keep continuity of care.
- Support children whose parents have mental health needs, and make sure teenagers get quick
  help with anxiety and low mood.
- Protect children from criminal exploitation, county lines and online grooming.
- Help children who live with domestic abuse, working with refuges and the police.
"""

ADULTS = """\
# Larkhaven Safeguarding Adults Board: Annual Report 2024-25

## Overview

The board oversees how partners safeguard adults with care and support needs.

## Achievements

- Over 85% of adults were asked about the outcomes they wanted from their enquiry.

## Priorities for 2025-26

- Support young people moving into adulthood, with a focus on transitions from children's
  services.
- Improve the response to adults with mental ill-health and poor emotional wellbeing.
- Strengthen the response to domestic abuse, including for older victims and carers.
- Tackle self-neglect and hoarding through a multi-agency protocol.
"""

STRATEGY = """\
# Larkhaven Health and Wellbeing Strategy 2023-30

## Our ambitions

- Start well: every child has good mental health and emotional wellbeing, with quick help when
  they need it.
- Live well: young people move smoothly into adulthood, with joined-up transitions between
  children's and adult health services.
- Age well: older residents live in warm, safe and affordable homes.
"""

TAXONOMY_YAML = """\
version: "test-1"
themes:
  - id: transitions
    label: Transitions to adulthood
    description: Young people moving from children's to adult services and into adulthood.
    examples:
      - Improve the move from children's to adult social care at eighteen.
      - Young people preparing for adulthood get joined-up support.
    keywords: [transition, transitions, adulthood, preparing for adulthood]
  - id: mental_health
    label: Mental health and emotional wellbeing
    description: Mental health, mental ill-health and emotional wellbeing at every age.
    examples:
      - Faster access to mental health support for children and adults.
      - Promote good emotional wellbeing and resilience.
    keywords: [mental health, mental ill-health, wellbeing, anxiety]
  - id: domestic_abuse
    label: Domestic abuse
    description: Abuse between partners or family members, and its effect on children.
    examples:
      - Support victims of domestic abuse and their children.
      - Respond to domestic violence and coercive control.
    keywords: [domestic abuse, domestic violence, coercive control, refuge]
  - id: exploitation
    label: Exploitation outside the home
    description: Criminal and sexual exploitation, county lines and grooming.
    examples:
      - Disrupt county lines and the criminal exploitation of children.
      - Protect young people from grooming online and in the community.
    keywords: [exploitation, county lines, grooming]
  - id: self_neglect
    label: Self-neglect and hoarding
    description: Adults who do not look after themselves or their homes.
    examples:
      - Respond to adults who neglect their own care or hoard.
    keywords: [self-neglect, hoarding]
  - id: housing
    label: Safe homes and housing
    description: Warm, safe, affordable homes and homelessness.
    examples:
      - Everyone lives in a warm, safe and affordable home.
      - Reduce homelessness and rough sleeping.
    keywords: [housing, homes, homelessness]
  - id: neglect
    label: Neglect
    description: Children whose basic needs are not met by those who care for them.
    examples:
      - Practitioners recognise and respond to child neglect early.
    keywords: [neglect]
"""

SHARED = {"transitions", "mental_health"}
FOCUS = {"domestic_abuse"}
SINGLE_SOURCE = {"exploitation", "self_neglect", "housing", "neglect"}


def write_reports(folder: Path) -> dict[str, Path]:
    """The three reports as Markdown files in ``folder``, by source name."""
    paths = {}
    for name, text in (("LSCP", CHILDREN), ("LSAB", ADULTS), ("HWS", STRATEGY)):
        path = folder / f"{name.lower()}.md"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths
