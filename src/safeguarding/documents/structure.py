"""Turning blocks in reading order into a tree of sections nested by heading level."""

from __future__ import annotations

from dataclasses import replace

from safeguarding.documents.model import Block, Section
from safeguarding.documents.roles import heading_role


def build_sections(blocks: list[Block]) -> list[Section]:
    """The top-level sections; each heading opens a section under the nearest higher heading.

    Text before the first heading goes in a section with no heading (level 1). A heading with
    nothing under it is kept as a section with no blocks.
    """
    roots: list[Section] = []
    open_sections: list[Section] = []  # the section being filled and those above it
    preamble: Section | None = None
    for block in blocks:
        if block.kind == "heading":
            section = Section(heading=block.text, level=max(block.level, 1), page=block.page)
            _place(section, roots, open_sections, preamble)
            continue
        if not open_sections:
            preamble = Section(heading="", level=1, page=block.page)
            roots.append(preamble)
            open_sections.append(preamble)
        open_sections[-1].blocks.append(block)
    return roots


def _place(
    section: Section,
    roots: list[Section],
    open_sections: list[Section],
    preamble: Section | None,
) -> None:
    """Put ``section`` under the nearest open section of a higher level, or at the top."""
    # Text before the first heading never holds the headings that follow it.
    while open_sections and (
        open_sections[-1] is preamble or open_sections[-1].level >= section.level
    ):
        open_sections.pop()
    (open_sections[-1].children if open_sections else roots).append(section)
    open_sections.append(section)


def lift_title(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Take a document title written as its only top heading out of the headings.

    A report that opens with "# Annual Report 2024 to 2025" and puts every section under it
    would otherwise be one section holding all the others; its sections are moved up a level
    instead. A first heading that names a role ("Our priorities") is a real section and stays,
    unless the headings after it name roles of their own ("Progress report" above "Foreword",
    "Challenges" and "Priorities" is a title).
    """
    headings = [index for index, block in enumerate(blocks) if block.kind == "heading"]
    if len(headings) < 2 or headings[0] != 0:
        return blocks, None
    title = blocks[0]
    rest = [blocks[index] for index in headings[1:]]
    if min(b.level for b in rest) <= title.level:
        return blocks, None
    if (
        heading_role(title.text) is not None
        and len({heading_role(b.text) for b in rest} - {None}) < 2
    ):
        return blocks, None
    shift = min(b.level for b in rest) - 1
    lifted = [
        replace(block, level=block.level - shift) if block.kind == "heading" else block
        for block in blocks[1:]
    ]
    return lifted, title.text
