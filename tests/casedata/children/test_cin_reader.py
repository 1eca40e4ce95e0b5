"""The CIN census reader: tables, problems, the samples, bad input and memory."""

from __future__ import annotations

import datetime as dt
import re
import tracemalloc
from pathlib import Path

import pytest

from safeguarding.casedata.children.cin_reader import read_cin_census
from safeguarding.casedata.children.cin_schema import SCHEMAS
from safeguarding.casedata.report import InputFileError
from tests.casedata.children.cin_files import FOOTER, HEADER, big_cin_file, child, cin_file

SAMPLES = Path("/work/shared/specs/cin/samples")


def test_a_valid_file_gives_every_table_and_no_problems(tmp_path: Path) -> None:
    census = read_cin_census(cin_file(tmp_path, [child(1), child(2, ethnicity="BCRB")]))
    assert census.report.ok, census.report.summary()
    assert (census.la, census.year, census.schema_year) == ("201", "2024-25", 2025)
    counts = {name: table.num_rows for name, table in census.tables.items()}
    assert counts == {
        "children": 2,
        "disabilities": 2,
        "cin_details": 2,
        "assessments": 2,
        "assessment_factors": 4,
        "cin_plans": 0,
        "section47": 2,
        "cp_plans": 2,
        "cp_reviews": 2,
        "pre_proceedings": 0,
    }
    for name, table in census.tables.items():
        assert table.schema == SCHEMAS[name]
    children = census.children.to_pylist()
    assert [c["ethnicity"] for c in children] == ["WBRI", "BCRB"]
    assert children[0]["child_id"] == "C000001"
    assert children[0]["has_upn"] is True
    assert "upn" not in census.children.column_names
    assert children[0]["birth_date"] == dt.date(2017, 2, 14)
    assert children[0]["line"] == HEADER.count("\n") + 1
    plan = census.cp_plans.to_pylist()[0]
    assert plan["initial_category"] == "NEG" and plan["previous_plans"] == 1
    assert census.section47.to_pylist()[0]["icpc_not_required"] is False


@pytest.mark.parametrize(
    ("year", "given", "expected"),
    [(2024, "1", "M"), (2024, "2", "F"), (2024, "9", "U"), (2025, "F", "F"), (2026, "U", "U")],
)
def test_sex_is_normalised_whatever_the_schema_year(
    tmp_path: Path, year: int, given: str, expected: str
) -> None:
    census = read_cin_census(cin_file(tmp_path, [child(1, year=year, sex=given)], year=year))
    assert census.report.ok, census.report.summary()
    assert census.schema_year == year
    assert census.children.column("sex").to_pylist() == [expected]


def test_the_wrong_sex_element_for_the_year_is_reported_and_read(tmp_path: Path) -> None:
    old_style = child(1, year=2025).replace("<Sex>F</Sex>", "<GenderCurrent>2</GenderCurrent>")
    census = read_cin_census(cin_file(tmp_path, [old_style], year=2025))
    assert census.children.column("sex").to_pylist() == ["F"]
    assert census.report.counts == {"unexpected_element": 1, "unknown_code": 1}
    assert "the 2025 schema has Sex, not GenderCurrent" in census.report.summary()


def test_pre_proceedings_are_read_in_2026_and_reported_before(tmp_path: Path) -> None:
    block = """
        <PreProceedingsandFGDM>
          <PPStartDate>2025-09-09</PPStartDate>
          <FGDMMeetingOffer>1</FGDMMeetingOffer>
          <ReviewMeetingsCount>3</ReviewMeetingsCount>
          <PPOutcome>A</PPOutcome>
        </PreProceedingsandFGDM>"""
    census = read_cin_census(
        cin_file(tmp_path, [child(1, year=2026, extra_details=block)], year=2026)
    )
    assert census.report.ok, census.report.summary()
    row = census.pre_proceedings.to_pylist()[0]
    assert row["start_date"] == dt.date(2025, 9, 9)
    assert row["fgdm_offered"] is True and row["review_meetings"] == 3 and row["outcome"] == "A"
    earlier = read_cin_census(
        cin_file(tmp_path, [child(1, year=2025, extra_details=block)], year=2025)
    )
    assert earlier.pre_proceedings.num_rows == 1
    assert earlier.report.counts == {"unexpected_element": 1}


def test_content_problems_have_line_and_child_and_reading_carries_on(tmp_path: Path) -> None:
    bad = child(1).replace(
        "<PrimaryNeedCode>N1</PrimaryNeedCode>",
        "<PrimaryNeedCode>N1</PrimaryNeedCode><CINclosureDate>2024-04-01</CINclosureDate>"
        "<ReasonForClosure>RC8</ReasonForClosure>",
    )
    bad = bad.replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>XXXX</Ethnicity>")
    bad = bad.replace(
        "<AssessmentAuthorisationDate>2024-06-20", "<AssessmentAuthorisationDate>2024-02-30"
    )
    bad = bad.replace("<ReferralSource>6</ReferralSource>", "")
    path = cin_file(tmp_path, [bad, child(2)])
    census = read_cin_census(path)
    report = census.report
    assert report.rows_read == 2 and report.rows_with_problems == 1
    assert report.counts == {
        "inconsistent": 1,
        "unknown_code": 1,
        "impossible_date": 1,
        "missing_value": 1,
    }
    lines = path.read_text().splitlines()
    for problem in report.problems:
        assert "(child C000001)" in problem.message
        # a missing element is reported on the line of the element that should hold it
        expected = "CINdetails" if problem.kind == "missing_value" else problem.column
        assert expected in lines[problem.row - 1]
    closure = next(p for p in report.problems if p.kind == "inconsistent")
    assert closure.column == "CINclosureDate"
    assert "before the referral date 2024-05-02" in closure.message
    assert census.child_count == 2 and census.referral_count == 2
    assert census.children.column("ethnicity").to_pylist() == ["XXXX", "WBRI"]
    assert census.assessments.column("authorisation_date").to_pylist()[0] is None


def test_dates_after_the_reference_date_and_long_before_are_reported(tmp_path: Path) -> None:
    late = child(1, referral="2025-04-02")
    early = child(2).replace("<PersonBirthDate>2017-02-14", "<PersonBirthDate>1960-02-14")
    census = read_cin_census(cin_file(tmp_path, [late, early]))
    assert census.report.counts["future_date"] == 1
    assert census.report.counts["out_of_range"] == 1


# -- the samples ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "la", "year", "children", "referrals", "counts"),
    [
        (
            "d2i_CIN_Census_2024.xml",
            "201",
            "2023-24",
            2,
            2,
            {"future_date": 3, "unknown_code": 2, "inconsistent": 4, "unexpected_element": 2},
        ),
        (
            "d2i_CIN_Census_2026.xml",
            "201",
            "2023-24",
            2,
            2,
            {"future_date": 3, "unknown_code": 2, "inconsistent": 4, "unexpected_element": 3},
        ),
        ("d2i_fake_CIN_data.xml", "975", "2021-22", 332, 402, None),
        ("liia_BAR_cin_2022.xml", "201", "2021-22", 1, 1, {"out_of_range": 17, "inconsistent": 3}),
    ],
)
def test_every_sample_is_read(
    sample: str,
    la: str,
    year: str,
    children: int,
    referrals: int,
    counts: dict[str, int] | None,
) -> None:
    census = read_cin_census(SAMPLES / sample)
    assert (census.la, census.year) == (la, year)
    assert census.child_count == children
    assert census.referral_count == referrals
    if counts is not None:
        assert census.report.counts == counts, census.report.summary()
    else:
        assert census.report.counts["future_date"] == census.report.total_problems > 0
    assert any("true/false" in w for w in census.report.warnings)


# -- bad input ------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str | bytes, name: str = "cin_201_2025.xml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, "utf-8")
    else:
        path.write_bytes(text)
    return path


def test_malformed_xml_is_refused_with_its_line(tmp_path: Path) -> None:
    text = (
        HEADER.format(year=2025, la="201") + child(1).replace("</Ethnicity>", "</Ethnic>") + FOOTER
    )
    with pytest.raises(InputFileError, match=r"not well-formed XML: line 2\d"):
        read_cin_census(_write(tmp_path, text))


def test_billion_laughs_is_refused_before_parsing(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}' * 1 + '">'
        for i in range(1, 10)
    )
    text = f'<?xml version="1.0"?>\n<!DOCTYPE Message [{entities}]>\n<Message>&lol9;</Message>'
    with pytest.raises(InputFileError, match="document type declaration"):
        read_cin_census(_write(tmp_path, text))


def test_an_external_entity_is_refused_and_the_file_it_names_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    body = child(1).replace("<LAchildID>C000001</LAchildID>", "<LAchildID>&xxe;</LAchildID>")
    text = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        + HEADER.split("\n", 1)[1].format(year=2025, la="201")
        + body
        + FOOTER
    )
    with pytest.raises(InputFileError) as caught:
        read_cin_census(_write(tmp_path, text))
    assert "document type declaration" in str(caught.value)
    assert "TOP-SECRET" not in str(caught.value)


def test_the_parser_itself_resolves_no_entity_even_without_the_prolog_check(
    tmp_path: Path,
) -> None:
    from safeguarding.casedata.children.cin_reader import _events

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    body = child(1).replace("<LAchildID>C000001</LAchildID>", "<LAchildID>&xxe;</LAchildID>")
    text = (
        f'<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        + HEADER.split("\n", 1)[1].format(year=2025, la="201")
        + body
        + FOOTER
    )
    seen = []
    for _, element in _events(_write(tmp_path, text)):
        seen.append(etree_text(element))
    assert seen and not any("TOP-SECRET" in s for s in seen)


def etree_text(element: object) -> str:
    from lxml import etree

    return etree.tostring(element, encoding="unicode")


def test_a_wrong_namespace_is_refused(tmp_path: Path) -> None:
    text = (HEADER.format(year=2025, la="201") + child(1) + FOOTER).replace(
        "<Message>", '<Message xmlns="http://example.org/not-cin">'
    )
    with pytest.raises(InputFileError, match=re.escape("namespace 'http://example.org/not-cin'")):
        read_cin_census(_write(tmp_path, text))


def test_another_root_element_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="starts with the element <Return>"):
        read_cin_census(_write(tmp_path, "<Return><Child/></Return>"))


@pytest.mark.parametrize("year", [2031, 1999])
def test_an_unknown_schema_year_is_refused(tmp_path: Path, year: int) -> None:
    path = cin_file(tmp_path, [child(1, year=year)], year=year)
    with pytest.raises(InputFileError, match="this reader knows the schemas of 2024, 2025, 2026"):
        read_cin_census(path)


def test_a_collection_other_than_cin_is_refused(tmp_path: Path) -> None:
    text = (HEADER.format(year=2025, la="201") + child(1) + FOOTER).replace(
        "<Collection>CIN<", "<Collection>SSDA903<"
    )
    with pytest.raises(InputFileError, match="not a CIN census"):
        read_cin_census(_write(tmp_path, text))


def test_a_truncated_file_is_refused_and_nothing_returned(tmp_path: Path) -> None:
    whole = (HEADER.format(year=2025, la="201") + child(1) + child(2) + FOOTER).encode()
    with pytest.raises(InputFileError, match="looks cut short"):
        read_cin_census(_write(tmp_path, whole[: len(whole) * 2 // 3]))


def test_non_utf8_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    text = HEADER.format(year=2025, la="201") + child(1) + FOOTER
    data = text.encode().replace(b"<LAchildID>C000001", b"<LAchildID>C\xe9001")
    with pytest.raises(InputFileError, match="not UTF-8 text: line 17 "):
        read_cin_census(_write(tmp_path, data))


def test_another_declared_encoding_is_refused(tmp_path: Path) -> None:
    text = (HEADER.format(year=2025, la="201") + child(1) + FOOTER).replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"'
    )
    with pytest.raises(InputFileError, match="declares the encoding ISO-8859-1"):
        read_cin_census(_write(tmp_path, text))


def test_an_empty_or_childless_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="is empty"):
        read_cin_census(_write(tmp_path, ""))
    with pytest.raises(InputFileError, match="has no Child elements"):
        read_cin_census(_write(tmp_path, HEADER.format(year=2025, la="201") + FOOTER))


def test_without_a_header_the_file_name_gives_council_and_year(tmp_path: Path) -> None:
    text = "<Message><Children>" + child(1, year=2026) + "</Children></Message>"
    census = read_cin_census(_write(tmp_path, text, "cin_316_2025-26.xml"))
    assert (census.la, census.year, census.schema_year) == ("316", "2025-26", 2026)
    assert census.report.ok


# -- memory ---------------------------------------------------------------------------------


def _peak(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        # a batch smaller than the small file, so that both runs reach the steady state
        census = read_cin_census(path, batch_children=500)
        return tracemalloc.get_traced_memory()[1], census.child_count
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_file_grows(tmp_path: Path) -> None:
    small, large = tmp_path / "cin_201_2025.xml", tmp_path / "big" / "cin_201_2025.xml"
    large.parent.mkdir()
    big_cin_file(small, 2)
    big_cin_file(large, 50)
    read_cin_census(small)  # load the code lists first, so that both runs are measured alike
    small_peak, small_children = _peak(small)
    large_peak, large_children = _peak(large)
    assert large_children > 20 * small_children
    # Python-side memory is bounded by the batch of children, not the file (the Arrow buffers
    # are the output tables and are not traced): 25 times the file, about the same peak.
    assert large_peak < 1.5 * small_peak + 2_000_000, (small_peak, large_peak)
