"""``safeguarding documents``: reading partnership reports and strategies.

A thin layer over ``safeguarding.documents.extract``; registered on the main app as
``documents``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeguarding.commands.common import err, fail, out

if TYPE_CHECKING:
    from safeguarding.documents.model import Document

documents_app = typer.Typer(
    help="Reading partnership reports and strategies.", no_args_is_help=True
)


@documents_app.command("extract")
def extract_command(
    file: Annotated[Path, typer.Argument(help="A PDF, Word (.docx), HTML, Markdown or text file.")],
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the JSON.")],
    source: Annotated[
        str | None,
        typer.Option(
            help="A short name for the document, used in statement ids (default: the "
            "file's name without its extension)."
        ),
    ] = None,
) -> None:
    """Read a document into sections, roles and statements, and write them as JSON."""
    from safeguarding.documents.extract import document_to_json, read_document
    from safeguarding.documents.model import DocumentProblem

    if not file.is_file():
        raise fail(f"{file}: no such file.", markup=False)
    if not out_path.parent.exists():
        raise fail(f"The folder {out_path.parent} does not exist.", markup=False)
    try:
        with err.status(f"Reading {file.name}..."):
            document = read_document(file, source)
    except DocumentProblem as problem:
        message = str(problem)
        # some problems already name the file ("report.pdf is not a PDF: ..."); do not repeat it
        if not message.startswith(file.name):
            message = f"{file.name}: {message}"
        raise fail(message, markup=False) from None
    except (MemoryError, RecursionError):
        raise fail(f"{file.name} is too large or too complex to read.", markup=False) from None
    except Exception as error:  # a reader's own failure must still end in one line, not a trace
        raise fail(
            f"{file.name} could not be read ({type(error).__name__}).", markup=False
        ) from None
    try:
        out_path.write_text(
            json.dumps(document_to_json(document), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    except OSError as error:
        raise fail(f"Cannot write {out_path}: {error.strerror}.", markup=False) from None
    for note in document.notes:
        err.print(f"Note: page {note.page}: {note.message}", highlight=False, soft_wrap=True)
    out.print(summary_line(document, out_path), highlight=False, markup=False, soft_wrap=True)


def summary_line(document: Document, out_path: Path) -> str:
    """One line: pages, sections, statements by role, how many page notes, where written."""
    from safeguarding.documents.model import SECTION_ROLES

    sections = sum(len(root.walk()) for root in document.sections)
    counts = document.section_counts()
    by_role = ", ".join(f"{counts[role]} {role}" for role in SECTION_ROLES if counts.get(role))
    pages = f"{document.pages} pages, " if document.pages is not None else ""
    statements = f"{len(document.statements)} statements" + (f" ({by_role})" if by_role else "")
    notes = f", {len(document.notes)} page notes" if document.notes else ""
    return (
        f"Read {document.file_name} ({document.format}): {pages}{sections} sections, "
        f"{statements}{notes}. Wrote {out_path}."
    )
