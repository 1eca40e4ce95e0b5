"""A read document as JSON (what ``safeguarding documents extract`` writes) and back again."""

from __future__ import annotations

from typing import Any, cast, get_args

from safeguarding.documents.model import (
    SECTION_ROLES,
    Block,
    BlockKind,
    Document,
    DocumentProblem,
    PageNote,
    Section,
    Statement,
)

FORMATS = ("pdf", "docx", "html", "markdown", "text")
BLOCK_KINDS: tuple[str, ...] = get_args(BlockKind)


def document_to_json(document: Document) -> dict[str, Any]:
    """The document as plain JSON data: sections nested, statements in reading order."""
    return {
        "source": document.source,
        "file": document.file_name,
        "format": document.format,
        "pages": document.pages,
        "title": document.title,
        "notes": [{"page": note.page, "message": note.message} for note in document.notes],
        "sections": [_section_to_json(section) for section in document.sections],
        "statements": [_statement_to_json(statement) for statement in document.statements],
    }


def _section_to_json(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "level": section.level,
        "page": section.page,
        "role": section.role,
        "blocks": [
            {
                "kind": block.kind,
                "text": block.text,
                "page": block.page,
                "level": block.level,
                "marker": block.marker,
            }
            for block in section.blocks
        ],
        "children": [_section_to_json(child) for child in section.children],
    }


def _statement_to_json(statement: Statement) -> dict[str, Any]:
    return {
        "id": statement.id,
        "source": statement.source,
        "section": statement.section,
        "heading": statement.heading,
        "text": statement.text,
        "page": statement.page,
        "list_item": statement.list_item,
    }


def document_from_json(data: dict[str, Any]) -> Document:
    """The document that ``document_to_json`` wrote; refuse JSON that is not one."""
    if not isinstance(data, dict):
        raise DocumentProblem("The document JSON is not an object with a source and sections.")
    document_format = _text(data, "format", "the document")
    if document_format not in FORMATS:
        raise DocumentProblem(f"The document JSON names an unknown format {document_format!r}.")
    return Document(
        source=_text(data, "source", "the document"),
        file_name=_text(data, "file", "the document"),
        format=document_format,  # type: ignore[arg-type]
        pages=_optional_int(data, "pages", "the document"),
        title=_optional_text(data, "title", "the document"),
        sections=[_section(item, depth=1) for item in _list(data, "sections", "the document")],
        statements=[_statement(item) for item in _list(data, "statements", "the document")],
        notes=[_note(item) for item in _list(data, "notes", "the document", required=False)],
    )


MAX_DEPTH = 50  # far deeper than any report's headings; deeper JSON is not ours


def _section(data: Any, depth: int) -> Section:
    where = "a section"
    if not isinstance(data, dict) or depth > MAX_DEPTH:
        raise DocumentProblem("The document JSON has a section that is not an object.")
    return Section(
        heading=_text(data, "heading", where, allow_empty=True),
        level=_int(data, "level", where),
        page=_optional_int(data, "page", where),
        blocks=[_block(item) for item in _list(data, "blocks", where)],
        children=[_section(item, depth + 1) for item in _list(data, "children", where)],
        role=_role(data, "role", where),
    )


def _block(data: Any) -> Block:
    where = "a block"
    if not isinstance(data, dict):
        raise DocumentProblem("The document JSON has a block that is not an object.")
    kind = _text(data, "kind", where)
    if kind not in BLOCK_KINDS:
        raise DocumentProblem(f"The document JSON has a block of unknown kind {kind!r}.")
    return Block(
        kind=cast(BlockKind, kind),
        text=_text(data, "text", where, allow_empty=True),
        page=_optional_int(data, "page", where),
        level=_int(data, "level", where),
        marker=_optional_text(data, "marker", where),
    )


def _statement(data: Any) -> Statement:
    where = "a statement"
    if not isinstance(data, dict):
        raise DocumentProblem("The document JSON has a statement that is not an object.")
    list_item = data.get("list_item", False)
    if not isinstance(list_item, bool):
        raise DocumentProblem(
            "The document JSON has a statement whose list_item is not true/false."
        )
    return Statement(
        id=_text(data, "id", where),
        source=_text(data, "source", where),
        section=_role(data, "section", where),
        heading=_text(data, "heading", where, allow_empty=True),
        text=_text(data, "text", where),
        page=_optional_int(data, "page", where),
        list_item=list_item,
    )


def _note(data: Any) -> PageNote:
    if not isinstance(data, dict):
        raise DocumentProblem("The document JSON has a page note that is not an object.")
    return PageNote(
        page=_int(data, "page", "a page note"), message=_text(data, "message", "a note")
    )


def _role(data: dict[str, Any], key: str, where: str) -> Any:
    role = _text(data, key, where)
    if role not in SECTION_ROLES:
        raise DocumentProblem(
            f"The document JSON gives {where} the role {role!r}; roles are "
            + ", ".join(SECTION_ROLES)
            + "."
        )
    return role


def _text(data: dict[str, Any], key: str, where: str, *, allow_empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise DocumentProblem(f"The document JSON gives {where} no {key} text.")
    return value


def _optional_text(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise DocumentProblem(f"The document JSON gives {where} a {key} that is not text.")
    return value


def _int(data: dict[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DocumentProblem(f"The document JSON gives {where} no whole-number {key}.")
    return value


def _optional_int(data: dict[str, Any], key: str, where: str) -> int | None:
    return None if data.get(key) is None else _int(data, key, where)


def _list(data: dict[str, Any], key: str, where: str, *, required: bool = True) -> list[Any]:
    value = data.get(key, None if required else [])
    if not isinstance(value, list):
        raise DocumentProblem(f"The document JSON gives {where} no list of {key}.")
    return value
