"""``safeguarding align``: the priorities that partnerships' reports share with a strategy."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from safeguarding.commands.common import err, fail, out, progress_bar

if TYPE_CHECKING:
    from safeguarding.themes.alignment import Source, SourceKind
    from safeguarding.themes.taxonomy import Taxonomy

# Messages here print as given: file names and document text may hold brackets.
_fail = partial(fail, markup=False)


def parse_source_option(value: str, option: str) -> tuple[str, Path]:
    """``NAME=FILE`` from ``--partnership`` or ``--strategy``, refused plainly when malformed."""
    from safeguarding.themes.alignment import SOURCE_NAME

    name, equals, file = value.partition("=")
    name, file = name.strip(), file.strip()
    if not equals or not name or not file:
        raise _fail(f"{option} {value!r} should be NAME=FILE, for example {option} CSCP=cscp.pdf.")
    if not SOURCE_NAME.match(name):
        raise _fail(
            f"{option} {value!r}: {name!r} cannot name a source; use a short name of letters "
            "and digits, such as CSCP."
        )
    return name, Path(file)


def _named_files(
    partnerships: list[str], strategies: list[str]
) -> list[tuple[str, Path, SourceKind]]:
    """Every source the options name, partnerships first, checked before any work is done."""
    if len(partnerships) < 2:
        raise _fail(
            "Give at least two partnerships' documents, each as --partnership NAME=FILE "
            f"(there {'is' if len(partnerships) == 1 else 'are'} {len(partnerships)})."
        )
    if len(strategies) != 1:
        raise _fail(
            "Give exactly one strategy as --strategy NAME=FILE "
            f"(there {'is' if len(strategies) == 1 else 'are'} {len(strategies)})."
        )
    named: list[tuple[str, Path, SourceKind]] = [
        (*parse_source_option(value, "--partnership"), "partnership") for value in partnerships
    ]
    named.append((*parse_source_option(strategies[0], "--strategy"), "strategy"))
    seen: dict[str, str] = {}
    for name, path, _kind in named:
        if name.casefold() in seen:
            raise _fail(f"Two documents are named {name}: give each source its own name.")
        seen[name.casefold()] = name
        if not path.exists():
            raise _fail(f"There is no file {path} (for {name}).")
        if not path.is_file():
            raise _fail(f"{path} (for {name}) is not a file.")
    return named


def _load_taxonomy(path: Path | None) -> Taxonomy:
    from safeguarding.themes.taxonomy import load_taxonomy

    if path is not None and not path.is_file():
        raise _fail(f"There is no taxonomy file {path}.")
    try:
        return load_taxonomy(path)
    except ValueError as error:
        which = f"The taxonomy {path}" if path is not None else "The catalogue's taxonomy"
        raise _fail(f"{which} cannot be used: {error}") from None
    except OSError as error:
        raise _fail(f"Cannot read the taxonomy {path}: {error.strerror}.") from None


def _check_out(out_path: Path) -> None:
    if out_path.suffix.lower() != ".json":
        raise _fail(f"--out {out_path} must end in .json.")
    if not out_path.parent.exists():
        raise _fail(f"The folder {out_path.parent} does not exist.")


def _print_summary(data: dict[str, Any], out_path: Path) -> None:
    """The shared themes with their sources, then the further focus areas."""
    shared = data["shared_themes"]
    focus = data["additional_focus_areas"]
    out.print(
        f"Wrote the analysis of {len(data['statements']):,} statements from "
        f"{len(data['sources'])} documents to {out_path}.",
        highlight=False,
        markup=False,
    )
    if shared:
        out.print("Shared themes:", highlight=False, markup=False)
        for entry in shared:
            out.print(
                f"  {entry['label']} ({', '.join(entry['sources'])}; strength "
                f"{entry['strength']:.2f})",
                highlight=False,
                markup=False,
            )
    else:
        out.print(
            "No theme is shared by the strategy and two or more partnerships.",
            highlight=False,
            markup=False,
        )
    if focus:
        out.print("Additional focus areas:", highlight=False, markup=False)
        for entry in focus:
            out.print(
                f"  {entry['label']} ({', '.join(entry['sources'])}; strength "
                f"{entry['strength']:.2f})",
                highlight=False,
                markup=False,
            )


def align_command(
    partnership: Annotated[
        list[str] | None,
        typer.Option(
            "--partnership",
            metavar="NAME=FILE",
            help="A partnership's report or plan (PDF, DOCX, HTML, Markdown or text); "
            "give two or more.",
        ),
    ] = None,
    strategy: Annotated[
        list[str] | None,
        typer.Option(
            "--strategy", metavar="NAME=FILE", help="The strategy to align with; give one."
        ),
    ] = None,
    *,
    out_path: Annotated[Path, typer.Option("--out", help="The JSON file to write.")],
    taxonomy_path: Annotated[
        Path | None,
        typer.Option("--taxonomy", help="A theme taxonomy (YAML) instead of the catalogue's."),
    ] = None,
) -> None:
    """Find the priorities that the partnerships share with the strategy (alignment JSON)."""
    from safeguarding.documents.extract import read_document
    from safeguarding.themes.alignment import (
        Source,
        alignment_json,
        check_sources,
        classify_sources,
    )
    from safeguarding.themes.model import load_embedder

    named = _named_files(partnership or [], strategy or [])
    _check_out(out_path)
    taxonomy = _load_taxonomy(taxonomy_path)
    sources: list[Source] = []
    progress = progress_bar()
    with progress:
        task = progress.add_task("Reading", total=2 * len(named) + 2)
        for name, path, kind in named:
            progress.update(task, description=f"Reading {path.name}")
            try:
                document = read_document(path, source=name)
            except ValueError as error:
                raise _fail(f"{path} ({name}): {error}") from None
            except OSError as error:
                raise _fail(f"Cannot read {path} ({name}): {error.strerror}.") from None
            sources.append(Source(name, kind, document, file=path.name))
            progress.advance(task)
        try:
            check_sources(sources)
        except ValueError as error:
            raise _fail(str(error)) from None
        progress.update(task, description="Loading the sentence model")
        try:
            embedder = load_embedder()
        except ValueError as error:
            raise _fail(str(error)) from None
        progress.advance(task)

        def classifying(name: str) -> None:
            progress.update(task, description=f"Classifying {name}")
            progress.advance(task)

        try:
            classified = classify_sources(sources, taxonomy, embedder, progress=classifying)
            progress.update(task, description="Aligning")
            data = alignment_json(sources, classified, taxonomy, embedder.name)
        except ValueError as error:
            raise _fail(str(error)) from None
        progress.advance(task)
    for source in sources:
        for note in source.document.notes:
            err.print(
                f"Note: {source.file}, page {note.page}: {note.message}",
                highlight=False,
                markup=False,
            )
    try:
        out_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    except OSError as error:
        raise _fail(f"Cannot write {out_path}: {error.strerror}.") from None
    _print_summary(data, out_path)
