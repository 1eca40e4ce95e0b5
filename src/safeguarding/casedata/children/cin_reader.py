"""Reading a CIN census XML file (schemas 2024, 2025 and 2026) into the tables of ``cin_schema``.

The file is streamed: ``lxml.etree.iterparse`` hands over one ``Child`` element at a time, which
is read, checked and then cleared, and the rows are turned into Arrow record batches every few
thousand children, so memory does not grow with the size of the file (only with the tables
produced).

Safety: a file with a document type declaration (DOCTYPE, hence entity declarations) is refused
before parsing starts, and the parser is set up not to load DTDs, resolve entities, use the
network or accept huge text nodes, so an XML bomb or an external entity pointing at a local
file cannot make it read anything but the input.

Checks: the structure is checked by the reader itself for every element it reads (required
elements, elements the year's schema does not have, codes against the catalogue, dates and
whole numbers), followed by content rules (dates out of order, dates after the census reference
date or long before it). The XSD is not run on every child: the reader's own checks cover what
the indicators use, give plainer messages, and keep parsing fast. Problems are collected in a
``ValidationReport`` with the line and the child's id; reading carries on past them. A file that
cannot be read at all (not well-formed, truncated, not UTF-8, wrong namespace or schema year)
raises ``InputFileError`` and nothing is returned.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pyarrow as pa
from lxml import etree

from safeguarding.casedata.children.cin_schema import SCHEMAS, CinCensus
from safeguarding.casedata.report import DEFAULT_LIMIT, InputFileError, Problem, ValidationReport
from safeguarding.catalogue import code_list

SCHEMA_YEARS = (2024, 2025, 2026)
FIRST_SEX_YEAR = 2025  # the first schema with Sex in place of GenderCurrent
PRE_PROCEEDINGS_YEAR = 2026
OLDEST_YEAR = 2009  # files older than the first schema are read with its rules, with a warning
PROLOG_BYTES = 64 * 1024
BATCH_CHILDREN = 5_000
MAX_YEARS_BEFORE = 25  # a date this long before the reference date is taken as a mistake
UNBORN_DAYS = 280  # a referral may come this long before birth (an unborn child)
FILE_NAME = re.compile(r"cin_(\d{3})_(\d{4})(?:-(\d{2}))?\.xml$", re.IGNORECASE)
NAMESPACE = re.compile(rb"""\sxmlns\s*=\s*(["'])(.*?)\1""", re.DOTALL)
ENCODING = re.compile(rb"""encoding\s*=\s*(["'])(.*?)\1""")

_IDENTIFIERS = {
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "Sex",
    "GenderCurrent",
    "PersonDeathDate",
}
_DETAILS = {
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "Assessments",
    "CINPlanDates",
    "Section47",
    "ReferralNFA",
    "ChildProtectionPlans",
    "PreProceedingsandFGDM",
}
_ASSESSMENT = {
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
    "FactorsIdentifiedAtAssessment",
}
_CIN_PLAN = {"CINPlanStartDate", "CINPlanEndDate"}
_SECTION47 = {"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"}
_CP_PLAN = {
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
    "Reviews",
}
_PRE_PROCEEDINGS = {
    "PPStartDate": ("start_date", "date"),
    "LBPSentDate": ("letter_before_proceedings_date", "date"),
    "FGDMMeetingOffer": ("fgdm_offered", "bool"),
    "FGDMMeetingFac": ("fgdm_facilitated", "bool"),
    "InitialPPMeetingDate": ("initial_meeting_date", "date"),
    "ReviewMeetingsCount": ("review_meetings", "int"),
    "StepDecisionDate": ("step_decision_date", "date"),
    "PPOutcome": ("outcome", "text"),
    "CourtAppDate": ("court_application_date", "date"),
    "LetterInitCPDate": ("letter_initial_cp_date", "date"),
}
_TRUE_FALSE = {"1": True, "0": False}
_WORDS = {"true": True, "false": False}


@cache
def _codes(list_id: str) -> frozenset[str]:
    return frozenset(c.code for c in code_list(list_id).codes)


@cache
def _read_as(list_id: str) -> dict[str, str]:
    """code -> the code it is read as, for lists whose descriptions name another list's code."""
    return {c.code: c.description for c in code_list(list_id).codes}


def _shown(codes: frozenset[str], most: int = 12) -> str:
    ordered = sorted(codes)
    text = ", ".join(ordered[:most])
    return text + (", ..." if len(ordered) > most else "")


def census_year(reference_year: int) -> str:
    """The financial year of a census whose reference date falls in ``reference_year``."""
    return f"{reference_year - 1}-{reference_year % 100:02d}"


def read_cin_census(
    path: str | os.PathLike[str],
    *,
    limit: int = DEFAULT_LIMIT,
    batch_children: int = BATCH_CHILDREN,
) -> CinCensus:
    """Read and check one CIN census file; problems are in ``.report``, not raised.

    Raises InputFileError when the file cannot be read at all.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"There is no file {path}.")
    if not path.is_file():
        raise InputFileError(f"{path} is not a file.")
    if path.stat().st_size == 0:
        raise InputFileError(f"{path.name} is empty.")
    _check_prolog(path)
    reader = _Reader(path, limit=limit, batch_children=batch_children)
    return reader.read()


def _check_prolog(path: Path) -> None:
    """Refuse, before any parsing, what must never be parsed: a DOCTYPE (entities, external
    references), another encoding, another namespace or another root element."""
    name = path.name
    with path.open("rb") as handle:
        head = handle.read(PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(
            f"{name} is saved as UTF-16 text; the CIN census is UTF-8. Export it again as UTF-8."
        )
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    position = 0
    while True:
        start = head.find(b"<", position)
        if start < 0:
            if len(head) < PROLOG_BYTES and not head[position:].strip():
                raise InputFileError(f"{name} has no XML elements: it is not a CIN census file.")
            raise InputFileError(
                f"{name} does not start with an XML element within its first "
                f"{PROLOG_BYTES // 1024} KB: it is not a CIN census file."
            )
        if head[position:start].strip():
            raise InputFileError(
                f"{name} is not XML: it starts with text, not with an element "
                "(a CIN census file starts with <?xml ...?> or <Message>)."
            )
        if head.startswith(b"<?", start):
            end = head.find(b"?>", start)
            if end < 0:
                raise InputFileError(
                    f"{name} is not well-formed XML: its declaration is not closed."
                )
            declaration = head[start:end]
            found = ENCODING.search(declaration)
            if found and found.group(2).decode("ascii", "replace").lower().replace(
                "_", "-"
            ) not in (
                "utf-8",
                "utf8",
            ):
                raise InputFileError(
                    f"{name} declares the encoding {found.group(2).decode('ascii', 'replace')}; "
                    "the CIN census is UTF-8. Export it again as UTF-8."
                )
            position = end + 2
        elif head.startswith(b"<!--", start):
            end = head.find(b"-->", start)
            if end < 0:
                raise InputFileError(f"{name} starts with a comment that is not closed.")
            position = end + 3
        elif head.startswith(b"<!", start):
            raise InputFileError(
                f"{name} has a document type declaration (<!DOCTYPE ...>). A CIN census file "
                "never needs one, and one can define entities that expand without end or read "
                "other files, so the file was refused without being read. Remove the "
                "declaration and try again."
            )
        else:
            break
    tag_end = head.find(b">", start)
    root_tag = head[start + 1 : tag_end if tag_end > 0 else len(head)]
    root_name = re.split(rb"[\s/]", root_tag, maxsplit=1)[0].decode("utf-8", "replace")
    namespace = NAMESPACE.search(root_tag)
    if ":" in root_name or (namespace and namespace.group(2).strip()):
        where = namespace.group(2).decode("utf-8", "replace") if namespace else root_name
        raise InputFileError(
            f"{name} puts its elements in the namespace {where!r}; CIN census elements have no "
            "namespace (the DfE schemas have no target namespace). This is not a CIN census file "
            "as the schemas define it."
        )
    if root_name != "Message":
        raise InputFileError(
            f"{name} starts with the element <{root_name}>, not <Message>: it is not a CIN "
            "census file."
        )


class _Columns:
    """The rows of one table not yet turned into Arrow, as one list per column."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.names = [n for n in schema.names if n not in ("la", "year")]
        self.lists: dict[str, list[object]] = {n: [] for n in self.names}
        self.batches: list[pa.RecordBatch] = []

    def flush(self, la: str, year: str) -> None:
        rows = len(self.lists["child_id"])
        if not rows:
            return
        arrays = [pa.array([la] * rows, pa.string()), pa.array([year] * rows, pa.string())]
        arrays += [
            pa.array(self.lists[n], self.schema.field(n).type) for n in self.schema.names[2:]
        ]
        self.batches.append(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
        for values in self.lists.values():
            values.clear()

    def table(self) -> pa.Table:
        return pa.Table.from_batches(self.batches, schema=self.schema)


class _Reader:
    """The state of reading one file."""

    def __init__(self, path: Path, *, limit: int, batch_children: int) -> None:
        self.path = path
        self.name = path.name
        self.report = ValidationReport(source=path.name, limit=limit)
        self.batch_children = batch_children
        self.columns = {name: _Columns(schema) for name, schema in SCHEMAS.items()}
        self.la: str | None = None
        self.year: str | None = None
        self.schema_year = 0
        self.reference_date = dt.date.min
        self.earliest = dt.date.min
        self.dates: dict[str, dt.date | None] = {}
        self.child_id = ""
        self.child_has_problem = False
        self.boolean_words_seen = False
        self.header_seen = False

    # -- problems --------------------------------------------------------------------------

    def problem(
        self, line: int | None, column: str, value: str | None, kind: str, text: str
    ) -> None:
        self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
        if not self.child_has_problem:
            self.child_has_problem = True
            self.report.rows_with_problems += 1
        if len(self.report.problems) < self.report.limit:
            who = f" (child {self.child_id})" if self.child_id else ""
            self.report.problems.append(
                Problem(row=line or 0, column=column, value=value, kind=kind, message=text + who)
            )

    # -- values ----------------------------------------------------------------------------

    def text(self, element: etree._Element) -> str | None:
        value = element.text
        if value is None:
            return None
        value = value.strip()
        return value or None

    def date(self, element: etree._Element, *, future_allowed: bool = False) -> dt.date | None:
        value = self.text(element)
        if value is None:
            self.problem(element.sourceline, element.tag, None, "missing_value", "is empty")
            return None
        if value in self.dates:
            parsed = self.dates[value]
            if parsed is None:
                self._bad_date(element, value)
                return None
        else:
            parsed = None
            if len(value) == 10 and value[4] == "-" and value[7] == "-":
                try:
                    parsed = dt.date.fromisoformat(value)
                except ValueError:
                    parsed = None
            if len(self.dates) < 100_000:
                self.dates[value] = parsed
            if parsed is None:
                self._bad_date(element, value)
                return None
        if parsed > self.reference_date and not future_allowed:
            self.problem(
                element.sourceline,
                element.tag,
                value,
                "future_date",
                f"{value} is after the census reference date {self.reference_date.isoformat()}",
            )
        elif parsed < self.earliest:
            self.problem(
                element.sourceline,
                element.tag,
                value,
                "out_of_range",
                f"{value} is more than {MAX_YEARS_BEFORE} years before the census reference "
                f"date {self.reference_date.isoformat()}",
            )
        return parsed

    def _bad_date(self, element: etree._Element, value: str) -> None:
        shaped = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
        self.problem(
            element.sourceline,
            element.tag,
            value,
            "impossible_date" if shaped else "wrong_type",
            f"{value} is not a real date"
            if shaped
            else f"{value} is not a date written YYYY-MM-DD",
        )

    def code(self, element: etree._Element, list_id: str) -> str | None:
        value = self.text(element)
        if value is None:
            self.problem(element.sourceline, element.tag, None, "missing_value", "is empty")
            return None
        codes = _codes(list_id)
        if value not in codes:
            self.problem(
                element.sourceline,
                element.tag,
                value,
                "unknown_code",
                f"{value} is not one of the codes for {element.tag} ({_shown(codes)})",
            )
        return value

    def flag(self, element: etree._Element) -> bool | None:
        value = self.text(element)
        if value in _TRUE_FALSE:
            return _TRUE_FALSE[value]
        if value is not None and value.lower() in _WORDS:
            if not self.boolean_words_seen:
                self.boolean_words_seen = True
                self.report.warnings.append(
                    f"The file writes true/false where the schema has 1/0 (first on line "
                    f"{element.sourceline}, {element.tag}); they were read as 1 and 0."
                )
            return _WORDS[value.lower()]
        self.problem(
            element.sourceline,
            element.tag,
            value,
            "missing_value" if value is None else "unknown_code",
            "is empty, but must be 1 or 0" if value is None else f"{value} is not 1 or 0",
        )
        return None

    def number(self, element: etree._Element) -> int | None:
        value = self.text(element)
        # ASCII only: str.isdigit() also passes superscripts and other scripts' digits.
        if value is None or not (value.isascii() and value.isdigit()):
            self.problem(
                element.sourceline,
                element.tag,
                value,
                "missing_value" if value is None else "wrong_type",
                "is empty" if value is None else f"{value} is not a whole number of 0 or more",
            )
            return None
        # Measured as text first: int() refuses a number thousands of digits long.
        if len(value.lstrip("0")) > 3 or int(value) > 999:
            self.problem(
                element.sourceline, element.tag, value, "out_of_range", f"{value} is too large"
            )
            return None
        return int(value)

    def unexpected(self, element: etree._Element, parent: str, why: str = "") -> None:
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            return
        self.problem(
            element.sourceline,
            tag,
            None,
            "unexpected_element",
            why or f"{tag} is not an element of {parent} in the {self.schema_year} schema; ignored",
        )

    def required(
        self, line: int | None, parent: str, present: set[str], names: tuple[str, ...]
    ) -> None:
        for name in names:
            if name not in present:
                self.problem(
                    line, name, None, "missing_value", f"{parent} has no {name}, which is required"
                )

    def order(
        self,
        element: etree._Element | None,
        later: dt.date | None,
        earlier: dt.date | None,
        earlier_name: str,
    ) -> None:
        if element is not None and later is not None and earlier is not None and later < earlier:
            self.problem(
                element.sourceline,
                element.tag,
                later.isoformat(),
                "inconsistent",
                f"{later.isoformat()} is before the {earlier_name} {earlier.isoformat()}",
            )

    # -- the file --------------------------------------------------------------------------

    def read(self) -> CinCensus:
        events = _events(self.path)
        try:
            for _, element in events:
                if element.tag == "Header":
                    self.header(element)
                    element.clear()
                    continue
                if self.la is None:
                    self.no_header()
                self.child_id = ""
                self.child_has_problem = False
                self.report.rows_read += 1
                self.child(element)
                parent = element.getparent()
                element.clear()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
                if self.report.rows_read % self.batch_children == 0:
                    self.flush()
        except etree.XMLSyntaxError as error:
            raise InputFileError(_syntax_message(self.path, error)) from None
        if self.la is None:
            self.no_header()
        if self.report.rows_read == 0:
            raise InputFileError(
                f"{self.name} has no Child elements (a CIN census file has Message / Children / "
                "Child). Nothing was read."
            )
        self.flush()
        self.child_id = ""
        assert self.la is not None and self.year is not None
        tables = {name: columns.table() for name, columns in self.columns.items()}
        return CinCensus(
            la=self.la,
            year=self.year,
            schema_year=self.schema_year,
            tables=tables,
            report=self.report,
        )

    def flush(self) -> None:
        assert self.la is not None and self.year is not None
        for columns in self.columns.values():
            columns.flush(self.la, self.year)

    def header(self, header: etree._Element) -> None:
        self.header_seen = True
        collection = header.findtext("CollectionDetails/Collection")
        if collection is not None and collection.strip() != "CIN":
            raise InputFileError(
                f"{self.name} is a {collection.strip()!r} collection, not a CIN census "
                "(Header / CollectionDetails / Collection should be CIN)."
            )
        year_text = (header.findtext("CollectionDetails/Year") or "").strip()
        reference_text = (header.findtext("CollectionDetails/ReferenceDate") or "").strip()
        lea = (header.findtext("Source/LEA") or "").strip()
        reference: dt.date | None = None
        if reference_text:
            try:
                reference = dt.date.fromisoformat(reference_text)
            except ValueError:
                raise InputFileError(
                    f"{self.name}: the header's ReferenceDate {reference_text!r} is not a date "
                    "written YYYY-MM-DD, so the census year cannot be told."
                ) from None
        year: int | None = None
        if year_text:
            if not re.fullmatch(r"\d{4}", year_text):
                raise InputFileError(
                    f"{self.name}: the header's Year {year_text!r} is not a year, so the census "
                    "year cannot be told."
                )
            year = int(year_text)
        if reference is None and year is not None:
            reference = dt.date(year, 3, 31)
        elif reference is not None and year is not None and year != reference.year:
            self.report.warnings.append(
                f"The header's Year ({year}) and ReferenceDate ({reference.isoformat()}) "
                f"disagree; the census year was taken from the reference date "
                f"({census_year(reference.year)})."
            )
        from_name = FILE_NAME.search(self.name)
        if reference is None and from_name:
            reference = dt.date(_name_year(from_name), 3, 31)
        if reference is None:
            raise InputFileError(
                f"{self.name}: the header gives neither a Year nor a ReferenceDate, and the file "
                "name is not cin_<LA number>_<year>.xml, so the census year cannot be told."
            )
        if not lea and from_name:
            lea = from_name.group(1)
        if not re.fullmatch(r"\d{3}", lea):
            raise InputFileError(
                f"{self.name}: the header's Source / LEA {lea!r} is not a three-digit DfE LA "
                "number, so the council cannot be told."
            )
        if from_name and from_name.group(1) != lea:
            self.report.warnings.append(
                f"The file name says LA {from_name.group(1)} but the header says {lea}; the "
                "header was used."
            )
        self.set_year(reference, lea)

    def no_header(self) -> None:
        """Without a header (it is optional in the schema), the file name must say it all."""
        from_name = FILE_NAME.search(self.name)
        if not from_name:
            raise InputFileError(
                f"{self.name} has no Header before its first Child, and its name is not "
                "cin_<LA number>_<year>.xml, so the council and census year cannot be told."
            )
        self.report.warnings.append(
            "The file has no header; the council and year were taken from its name."
        )
        self.set_year(dt.date(_name_year(from_name), 3, 31), from_name.group(1))

    def set_year(self, reference: dt.date, lea: str) -> None:
        if reference.year > SCHEMA_YEARS[-1] or reference.year < OLDEST_YEAR:
            raise InputFileError(
                f"{self.name} is for the census with reference date {reference.isoformat()}; this "
                f"reader knows the schemas of {', '.join(map(str, SCHEMA_YEARS))} (and reads "
                f"files back to {OLDEST_YEAR} with the {SCHEMA_YEARS[0]} rules), not that year."
            )
        if reference.year < SCHEMA_YEARS[0]:
            self.schema_year = SCHEMA_YEARS[0]
            self.report.warnings.append(
                f"The file is for the census of {census_year(reference.year)}, older than the "
                f"schemas this reader has; it was checked against the {SCHEMA_YEARS[0]} schema."
            )
        else:
            self.schema_year = reference.year
        self.la = lea
        self.year = census_year(reference.year)
        self.reference_date = reference
        self.earliest = dt.date(reference.year - MAX_YEARS_BEFORE, 1, 1)

    # -- one child -------------------------------------------------------------------------

    def child(self, child: etree._Element) -> None:
        identifiers = characteristics = None
        details: list[etree._Element] = []
        for element in child:
            tag = element.tag
            if tag == "ChildIdentifiers":
                identifiers = element
            elif tag == "ChildCharacteristics":
                characteristics = element
            elif tag == "CINdetails":
                details.append(element)
            else:
                self.unexpected(element, "Child")
        line = child.sourceline
        if identifiers is None:
            self.problem(
                line,
                "ChildIdentifiers",
                None,
                "missing_value",
                "Child has no ChildIdentifiers; the child was left out",
            )
            return
        child_row = self.identifiers(identifiers, line)
        if child_row is None:
            return
        if characteristics is None:
            self.problem(
                line,
                "ChildCharacteristics",
                None,
                "missing_value",
                "Child has no ChildCharacteristics, which is required",
            )
            child_row["ethnicity"] = None
        else:
            child_row["ethnicity"] = self.characteristics(characteristics)
        rows = self.columns["children"].lists
        for name, value in child_row.items():
            rows[name].append(value)
        if not details:
            self.problem(
                line,
                "CINdetails",
                None,
                "missing_value",
                "Child has no CINdetails, which is required",
            )
        birth = child_row["birth_date"] or child_row["expected_birth_date"]
        for number, element in enumerate(details, start=1):
            self.cin_details(element, number, birth)

    def identifiers(
        self, identifiers: etree._Element, line: int | None
    ) -> dict[str, object] | None:
        row: dict[str, object] = {
            "child_id": None,
            "line": line,
            "has_upn": False,
            "upn_unknown": None,
            "birth_date": None,
            "expected_birth_date": None,
            "sex": None,
            "death_date": None,
        }
        present: set[str] = set()
        sex_element = None
        for element in identifiers:
            tag = element.tag
            if tag not in _IDENTIFIERS:
                self.unexpected(element, "ChildIdentifiers")
                continue
            present.add(tag)
            if tag == "LAchildID":
                row["child_id"] = self.text(element)
                self.child_id = row["child_id"] or ""
            elif tag == "UPN":
                row["has_upn"] = self.text(element) is not None
            elif tag == "UPNunknown":
                row["upn_unknown"] = self.code(element, "cin_upn_unknown")
            elif tag == "PersonBirthDate":
                row["birth_date"] = self.date(element)
            elif tag == "ExpectedPersonBirthDate":
                row["expected_birth_date"] = self.date(element, future_allowed=True)
            elif tag in ("Sex", "GenderCurrent"):
                sex_element = element
            elif tag == "PersonDeathDate":
                row["death_date"] = self.date(element)
        if row["child_id"] is None:
            self.problem(
                line,
                "LAchildID",
                None,
                "missing_value",
                "Child has no LAchildID; the child was left out",
            )
            return None
        if sex_element is None:
            expected = "Sex" if self.schema_year >= FIRST_SEX_YEAR else "GenderCurrent"
            self.problem(
                line,
                expected,
                None,
                "missing_value",
                f"ChildIdentifiers has no {expected}, which is required",
            )
        else:
            row["sex"] = self.sex(sex_element)
        self.order(
            _find(identifiers, "PersonDeathDate"),
            row["death_date"],
            row["birth_date"],
            "birth date",  # type: ignore[arg-type]
        )
        return row

    def sex(self, element: etree._Element) -> str | None:
        """F, M or U, from Sex (2025 on) or GenderCurrent (up to 2024), whichever is given."""
        expected = "Sex" if self.schema_year >= FIRST_SEX_YEAR else "GenderCurrent"
        if element.tag != expected:
            self.unexpected(
                element,
                "ChildIdentifiers",
                f"the {self.schema_year} schema has {expected}, not {element.tag}; read anyway",
            )
        value = self.text(element)
        sexes = _read_as("cin_sex")
        genders = _read_as("cin_gender_current")
        own, other = (sexes, genders) if expected == "Sex" else (genders, sexes)
        if value in own:
            return value if own is sexes else genders[value]
        if value in other:
            read_as = value if other is sexes else genders[value]
            self.problem(
                element.sourceline,
                element.tag,
                value,
                "unknown_code",
                f"{value} is a {'Sex' if other is sexes else 'GenderCurrent'} code, not a "
                f"{expected} code ({', '.join(own)}); read as {read_as}",
            )
            return read_as
        self.problem(
            element.sourceline,
            element.tag,
            value,
            "missing_value" if value is None else "unknown_code",
            "is empty" if value is None else f"{value} is not a {expected} code ({', '.join(own)})",
        )
        return None

    def characteristics(self, characteristics: etree._Element) -> str | None:
        ethnicity = None
        found = False
        disabilities = self.columns["disabilities"].lists
        for element in characteristics:
            tag = element.tag
            if tag == "Ethnicity":
                found = True
                ethnicity = self.code(element, "cin_ethnicity")
            elif tag == "Disabilities":
                for disability in element:
                    if disability.tag != "Disability":
                        self.unexpected(disability, "Disabilities")
                        continue
                    code = self.code(disability, "cin_disability")
                    if code is not None:
                        disabilities["child_id"].append(self.child_id)
                        disabilities["line"].append(disability.sourceline)
                        disabilities["disability"].append(code)
            else:
                self.unexpected(element, "ChildCharacteristics")
        if not found:
            self.problem(
                characteristics.sourceline,
                "Ethnicity",
                None,
                "missing_value",
                "ChildCharacteristics has no Ethnicity, which is required",
            )
        return ethnicity

    def cin_details(self, details: etree._Element, number: int, birth: dt.date | None) -> None:
        referral_date = closure = initial_cpc = None
        source = need = reason = None
        nfa: bool | None = None
        present: set[str] = set()
        children: dict[str, list[etree._Element]] = {}
        closure_element = referral_element = reason_element = None
        for element in details:
            tag = element.tag
            if tag not in _DETAILS:
                self.unexpected(element, "CINdetails")
                continue
            present.add(tag)
            if tag == "CINreferralDate":
                referral_element = element
                referral_date = self.date(element)
            elif tag == "ReferralSource":
                source = self.code(element, "cin_referral_source")
            elif tag == "PrimaryNeedCode":
                need = self.code(element, "cin_primary_need")
            elif tag == "CINclosureDate":
                closure_element = element
                closure = self.date(element)
            elif tag == "ReasonForClosure":
                reason_element = element
                reason = self.code(element, "cin_reason_for_closure")
            elif tag == "DateOfInitialCPC":
                initial_cpc = self.date(element)
            elif tag == "ReferralNFA":
                nfa = self.flag(element)
            else:
                children.setdefault(tag, []).append(element)
        line = details.sourceline
        self.required(
            line, "CINdetails", present, ("CINreferralDate", "ReferralSource", "ReferralNFA")
        )
        self.order(closure_element, closure, referral_date, "referral date")
        if birth is not None and referral_date is not None and referral_element is not None:
            if (birth - referral_date).days > UNBORN_DAYS:
                self.problem(
                    referral_element.sourceline,
                    "CINreferralDate",
                    referral_date.isoformat(),
                    "inconsistent",
                    f"{referral_date.isoformat()} is more than 40 weeks before the child's "
                    f"birth date {birth.isoformat()}",
                )
        if closure_element is not None and reason_element is None:
            self.problem(
                closure_element.sourceline,
                "ReasonForClosure",
                None,
                "missing_value",
                "the referral has a closure date but no ReasonForClosure",
            )
        if reason_element is not None and closure_element is None:
            self.problem(
                reason_element.sourceline,
                "CINclosureDate",
                None,
                "missing_value",
                "the referral has a ReasonForClosure but no closure date",
            )
        rows = self.columns["cin_details"].lists
        for name, value in (
            ("child_id", self.child_id),
            ("referral_id", number),
            ("line", line),
            ("referral_date", referral_date),
            ("referral_source", source),
            ("primary_need", need),
            ("closure_date", closure),
            ("reason_for_closure", reason),
            ("initial_cpc_date", initial_cpc),
            ("referral_nfa", nfa),
        ):
            rows[name].append(value)
        for position, element in enumerate(children.get("Assessments", ()), start=1):
            self.assessment(element, number, position, referral_date)
        for element in children.get("CINPlanDates", ()):
            self.cin_plan(element, number, referral_date)
        for position, element in enumerate(children.get("Section47", ()), start=1):
            self.section47(element, number, position, referral_date)
        for position, element in enumerate(children.get("ChildProtectionPlans", ()), start=1):
            self.cp_plan(element, number, position, referral_date)
        for element in children.get("PreProceedingsandFGDM", ()):
            self.pre_proceedings(element, number)

    def assessment(
        self, assessment: etree._Element, referral: int, number: int, referral_date: dt.date | None
    ) -> None:
        start = review = authorised = None
        start_element = authorised_element = None
        factors = self.columns["assessment_factors"].lists
        for element in assessment:
            tag = element.tag
            if tag == "AssessmentActualStartDate":
                start_element = element
                start = self.date(element)
            elif tag == "AssessmentInternalReviewDate":
                review = self.date(element)
            elif tag == "AssessmentAuthorisationDate":
                authorised_element = element
                authorised = self.date(element)
            elif tag == "FactorsIdentifiedAtAssessment":
                for factor in element:
                    if factor.tag != "AssessmentFactors":
                        self.unexpected(factor, "FactorsIdentifiedAtAssessment")
                        continue
                    code = self.code(factor, "cin_assessment_factor")
                    if code is not None:
                        factors["child_id"].append(self.child_id)
                        factors["referral_id"].append(referral)
                        factors["assessment_id"].append(number)
                        factors["line"].append(factor.sourceline)
                        factors["factor"].append(code)
            else:
                self.unexpected(element, "Assessments")
        if start_element is None:
            self.problem(
                assessment.sourceline,
                "AssessmentActualStartDate",
                None,
                "missing_value",
                "Assessments has no AssessmentActualStartDate, which is required",
            )
        self.order(start_element, start, referral_date, "referral date")
        self.order(authorised_element, authorised, start, "assessment start date")
        rows = self.columns["assessments"].lists
        rows["child_id"].append(self.child_id)
        rows["referral_id"].append(referral)
        rows["assessment_id"].append(number)
        rows["line"].append(assessment.sourceline)
        rows["start_date"].append(start)
        rows["internal_review_date"].append(review)
        rows["authorisation_date"].append(authorised)

    def cin_plan(self, plan: etree._Element, referral: int, referral_date: dt.date | None) -> None:
        start = end = None
        start_element = end_element = None
        for element in plan:
            tag = element.tag
            if tag == "CINPlanStartDate":
                start_element = element
                start = self.date(element)
            elif tag == "CINPlanEndDate":
                end_element = element
                end = self.date(element)
            else:
                self.unexpected(element, "CINPlanDates")
        if start_element is None:
            self.problem(
                plan.sourceline,
                "CINPlanStartDate",
                None,
                "missing_value",
                "CINPlanDates has no CINPlanStartDate, which is required",
            )
        self.order(start_element, start, referral_date, "referral date")
        self.order(end_element, end, start, "CIN plan start date")
        rows = self.columns["cin_plans"].lists
        rows["child_id"].append(self.child_id)
        rows["referral_id"].append(referral)
        rows["line"].append(plan.sourceline)
        rows["start_date"].append(start)
        rows["end_date"].append(end)

    def section47(
        self, enquiry: etree._Element, referral: int, number: int, referral_date: dt.date | None
    ) -> None:
        start = target = icpc = None
        not_required: bool | None = None
        start_element = icpc_element = None
        present: set[str] = set()
        for element in enquiry:
            tag = element.tag
            if tag not in _SECTION47:
                self.unexpected(element, "Section47")
                continue
            present.add(tag)
            if tag == "S47ActualStartDate":
                start_element = element
                start = self.date(element)
            elif tag == "InitialCPCtarget":
                target = self.date(element, future_allowed=True)
            elif tag == "DateOfInitialCPC":
                icpc_element = element
                icpc = self.date(element)
            else:
                not_required = self.flag(element)
        self.required(
            enquiry.sourceline, "Section47", present, ("S47ActualStartDate", "ICPCnotRequired")
        )
        self.order(start_element, start, referral_date, "referral date")
        self.order(icpc_element, icpc, start, "section 47 start date")
        rows = self.columns["section47"].lists
        for name, value in (
            ("child_id", self.child_id),
            ("referral_id", referral),
            ("s47_id", number),
            ("line", enquiry.sourceline),
            ("start_date", start),
            ("icpc_target_date", target),
            ("icpc_date", icpc),
            ("icpc_not_required", not_required),
        ):
            rows[name].append(value)

    def cp_plan(
        self, plan: etree._Element, referral: int, number: int, referral_date: dt.date | None
    ) -> None:
        start = end = None
        start_element = None
        initial = latest = None
        previous: int | None = None
        end_element = None
        present: set[str] = set()
        review_dates: list[tuple[etree._Element, dt.date | None]] = []
        for element in plan:
            tag = element.tag
            if tag not in _CP_PLAN:
                self.unexpected(element, "ChildProtectionPlans")
                continue
            present.add(tag)
            if tag == "CPPstartDate":
                start_element = element
                start = self.date(element)
            elif tag == "CPPendDate":
                end_element = element
                end = self.date(element)
            elif tag == "InitialCategoryOfAbuse":
                initial = self.code(element, "cin_category_of_abuse")
            elif tag == "LatestCategoryOfAbuse":
                latest = self.code(element, "cin_category_of_abuse")
            elif tag == "NumberOfPreviousCPP":
                previous = self.number(element)
            else:
                for review in element:
                    if review.tag != "CPPreviewDate":
                        self.unexpected(review, "Reviews")
                        continue
                    review_dates.append((review, self.date(review)))
        self.required(
            plan.sourceline,
            "ChildProtectionPlans",
            present,
            (
                "CPPstartDate",
                "InitialCategoryOfAbuse",
                "LatestCategoryOfAbuse",
                "NumberOfPreviousCPP",
            ),
        )
        self.order(start_element, start, referral_date, "referral date")
        self.order(end_element, end, start, "plan start date")
        rows = self.columns["cp_plans"].lists
        for name, value in (
            ("child_id", self.child_id),
            ("referral_id", referral),
            ("plan_id", number),
            ("line", plan.sourceline),
            ("start_date", start),
            ("end_date", end),
            ("initial_category", initial),
            ("latest_category", latest),
            ("previous_plans", previous),
        ):
            rows[name].append(value)
        reviews = self.columns["cp_reviews"].lists
        for element, review_date in review_dates:
            self.order(element, review_date, start, "plan start date")
            if review_date is not None and end is not None and review_date > end:
                self.problem(
                    element.sourceline,
                    element.tag,
                    review_date.isoformat(),
                    "inconsistent",
                    f"{review_date.isoformat()} is after the plan's end date {end.isoformat()}",
                )
            reviews["child_id"].append(self.child_id)
            reviews["referral_id"].append(referral)
            reviews["plan_id"].append(number)
            reviews["line"].append(element.sourceline)
            reviews["review_date"].append(review_date)

    def pre_proceedings(self, block: etree._Element, referral: int) -> None:
        if self.schema_year < PRE_PROCEEDINGS_YEAR:
            self.unexpected(
                block,
                "CINdetails",
                f"PreProceedingsandFGDM is not in the {self.schema_year} schema (it comes in "
                f"{PRE_PROCEEDINGS_YEAR}); read anyway",
            )
        row: dict[str, object] = {column: None for column, _ in _PRE_PROCEEDINGS.values()}
        readers: dict[str, Callable[[etree._Element], object]] = {
            "date": lambda e: self.date(e, future_allowed=True),
            "bool": self.flag,
            "int": self.number,
            "text": self.text,
        }
        for element in block:
            field = _PRE_PROCEEDINGS.get(element.tag) if isinstance(element.tag, str) else None
            if field is None:
                self.unexpected(element, "PreProceedingsandFGDM")
                continue
            column, kind = field
            row[column] = readers[kind](element)
        rows = self.columns["pre_proceedings"].lists
        rows["child_id"].append(self.child_id)
        rows["referral_id"].append(referral)
        rows["line"].append(block.sourceline)
        for column, value in row.items():
            rows[column].append(value)


def _find(parent: etree._Element, tag: str) -> etree._Element | None:
    for element in parent:
        if element.tag == tag:
            return element
    return None


def _name_year(match: re.Match[str]) -> int:
    """The reference-date year a file name gives: ``2024-25`` and ``2025`` both mean 2025."""
    first = int(match.group(2))
    return first + 1 if match.group(3) else first


def _events(path: Path) -> Iterator[tuple[str, etree._Element]]:
    """The end of each Header and Child element, from a parser that reads nothing but ``path``."""
    return etree.iterparse(
        str(path),
        events=("end",),
        tag=("Header", "Child"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _syntax_message(path: Path, error: etree.XMLSyntaxError) -> str:
    line = error.lineno or (error.position[0] if error.position else 0)
    message = (error.msg or str(error)).strip().splitlines()[0]
    if "UTF-8" in message or "encoding" in message.lower():
        return (
            f"{path.name} is not UTF-8 text: line {line:,} has bytes that are not valid UTF-8 "
            "(perhaps the file was saved as Windows-1252 / Latin-1). Export it again as UTF-8. "
            "Nothing was read."
        )
    if _looks_truncated(path):
        return (
            f"{path.name} stops before its end (it does not finish with </Message>): it looks cut "
            f"short, perhaps by an interrupted copy or download (the parser stopped at line "
            f"{line:,}: {message}). Nothing was read."
        )
    if "Entity" in message or "entity" in message:
        return (
            f"{path.name} refers to an entity (line {line:,}: {message}). A CIN census file "
            "uses no entities but the five XML ones, so the file was refused. Nothing was read."
        )
    return (
        f"{path.name} is not well-formed XML: line {line:,}: {message}. Fix the file (or export "
        "it again) and try again. Nothing was read."
    )


def _looks_truncated(path: Path) -> bool:
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - 256))
        tail = handle.read()
    return not tail.rstrip().endswith(b"</Message>")
