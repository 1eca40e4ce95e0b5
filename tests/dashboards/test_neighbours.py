"""Statistical neighbours from a measures file: reading it, the distances and the method."""

from __future__ import annotations

import math

import pytest

from safeguarding.dashboards.neighbours import (
    MOST_BYTES,
    MeasuresError,
    measure_name,
    method_text,
    nearest,
    read_measures,
)


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode() + b"\r\n"


#: Invented councils; one score that rises by 1 from council to council.
LINE = csv_bytes(
    "council_code,council_name,score",
    "E06000097,Larkhaven,0",
    "E06000098,Brindle Vale,1",
    "E06000099,Otterby,2",
    "E08000098,Castle Fenwick,3",
)


def test_reads_codes_names_and_measures_with_a_byte_order_mark() -> None:
    data = csv_bytes(
        "council_code,council_name,population_0_17,imd_average_score",
        "E06000097,Larkhaven,41200,22.5",
        'E06000001,,"93,000",-1.5e1',
        "E10000016,,310000,17",
        "E07000999,,1000,3",
        bom=True,
    )
    measures = read_measures(data, "measures.csv")
    assert measures.file_name == "measures.csv"
    assert measures.measures == ("population_0_17", "imd_average_score")
    assert [c.code for c in measures.councils] == [
        "E06000097",
        "E06000001",
        "E10000016",
        "E07000999",
    ]
    # A blank name is looked up, and a code the platform does not know stands for itself.
    assert [c.name for c in measures.councils] == ["Larkhaven", "Hartlepool", "Kent", "E07000999"]
    assert measures.councils[1].values == (93000.0, -15.0)


def test_names_come_from_the_catalogue_when_there_is_no_name_column() -> None:
    data = csv_bytes("council_code,score", "E08000001,4", "E09000001,5")
    measures = read_measures(data, "m.csv")
    assert [c.name for c in measures.councils] == ["Bolton", "City of London"]


def test_every_problem_is_named_by_row_and_column_at_once() -> None:
    data = csv_bytes(
        "council_code,council_name,population_0_17,imd_average_score",
        "E06000097,Larkhaven,41200,22.5",
        "E06000098,Brindle Vale,lots,22.5",
        "E06000099,Otterby,,22.5",
        "W06000001,Elsewhere,100,1",
        "E06000097,Larkhaven again,100,1",
        "E06000100,Short row,100",
        "E06000101,Empty town,0,1",
        "E06000102,Infinite town,100,inf",
    )
    with pytest.raises(MeasuresError) as raised:
        read_measures(data, "measures.csv")
    error = raised.value
    assert error.problem_count == 7
    text = str(error)
    assert text.startswith("measures.csv has 7 problems:")
    for line in (
        "row 3 population_0_17 'lots': is not a number",
        "row 4 population_0_17: is blank",
        "row 5 council_code 'W06000001': is not a council's ONS code such as E06000097",
        "row 6 council_code 'E06000097': is also in row 2",
        "row 7: has 3 cells but the header has 4",
        "row 8 population_0_17 '0': is a population, so must be more than 0",
        "row 9 imd_average_score 'inf': is not a number",
    ):
        assert line in text
    assert [(p.row, p.column) for p in error.problems][:2] == [
        (3, "population_0_17"),
        (4, "population_0_17"),
    ]


def test_at_most_twenty_problems_are_listed() -> None:
    rows = [f"E06000{n:03d},Town {n},x" for n in range(100, 125)]
    with pytest.raises(MeasuresError) as raised:
        read_measures(csv_bytes("council_code,council_name,score", *rows), "m.csv")
    assert raised.value.problem_count == 25
    assert len(raised.value.problems) == 20
    assert str(raised.value).endswith("... and 5 more.")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(b"", "m.csv is empty.", id="empty"),
        pytest.param(b"\xff\xfe\x00c\x00o", "binary data", id="binary"),
        pytest.param(
            b"council_code,score\nE06000097,1\nE06000098,caf\xe9\n", "not UTF-8 text", id="latin-1"
        ),
        pytest.param(
            csv_bytes("code,score", "E06000097,1"), "no council_code column", id="no-code"
        ),
        pytest.param(
            csv_bytes("council_code;score", "E06000097;1"), "does not use commas", id="semicolons"
        ),
        pytest.param(
            csv_bytes("council_code,council_name", "E06000097,Larkhaven"),
            "no measure columns",
            id="no-measures",
        ),
        pytest.param(
            csv_bytes("council_code,score", "E06000097,1"),
            "needs at least 2 councils to compare; it has 1",
            id="one-council",
        ),
        pytest.param(
            csv_bytes("council_code,score,Score", "E06000097,1,2"),
            "row 1 Score: is in the header more than once",
            id="same-column-twice",
        ),
        pytest.param(
            csv_bytes("council_code,,score", "E06000097,,2"),
            "row 1 column 2: has no name",
            id="unnamed-column",
        ),
    ],
)
def test_files_that_cannot_be_used_are_explained(data: bytes, words: str) -> None:
    with pytest.raises(MeasuresError) as raised:
        read_measures(data, "m.csv")
    assert words in str(raised.value)


def test_a_file_over_five_megabytes_is_refused_before_it_is_read() -> None:
    data = b"council_code,score\n" + b"E06000097,1\n" * (MOST_BYTES // 12 + 1)
    assert len(data) > MOST_BYTES
    with pytest.raises(MeasuresError, match="larger than 5 MB"):
        read_measures(data, "m.csv")


def test_distances_are_between_standardised_scores() -> None:
    found = nearest(read_measures(LINE, "m.csv"), "E06000097")
    # Scores 0 to 3 have mean 1.5 and standard deviation sqrt(1.25).
    step = 1 / math.sqrt(1.25)
    assert [n.code for n in found] == ["E06000098", "E06000099", "E08000098"]
    assert [n.name for n in found] == ["Brindle Vale", "Otterby", "Castle Fenwick"]
    assert [n.distance for n in found] == pytest.approx([step, 2 * step, 3 * step])
    assert found.warnings == []
    assert found.measures_used == ("score",)


def test_count_limits_the_neighbours_and_a_small_file_gives_fewer() -> None:
    measures = read_measures(LINE, "m.csv")
    assert [n.code for n in nearest(measures, "E06000099", count=2)] == [
        "E06000098",
        "E08000098",
    ]
    assert len(nearest(measures, "E06000099")) == 3
    with pytest.raises(ValueError, match="at least 1"):
        nearest(measures, "E06000099", count=0)


def test_measures_weigh_equally_whatever_their_scale() -> None:
    small = csv_bytes("council_code,a,b", "E06000097,0,0", "E06000098,1,0", "E06000099,0,1")
    large = csv_bytes("council_code,a,b", "E06000097,0,0", "E06000098,1000,0", "E06000099,0,0.001")
    for data in (small, large):
        found = nearest(read_measures(data, "m.csv"), "E06000097")
        # Equally far on one measure each: a tie, broken by code.
        assert [n.code for n in found] == ["E06000098", "E06000099"]
        assert found[0].distance == pytest.approx(found[1].distance)


def test_populations_are_compared_on_a_log_scale_and_ties_go_by_code() -> None:
    data = csv_bytes(
        "council_code,population_18_plus",
        "E06000099,10000",
        "E06000097,100000",
        "E06000098,1000000",
    )
    found = nearest(read_measures(data, "m.csv"), "E06000097")
    # Ten times larger and ten times smaller are the same distance apart on a log scale, so
    # the tie goes by code (on the counts themselves E06000099 would be far nearer).
    assert [n.code for n in found] == ["E06000098", "E06000099"]
    assert found[0].distance == pytest.approx(found[1].distance)


def test_a_measure_the_same_everywhere_is_left_out_with_a_warning() -> None:
    data = csv_bytes(
        "council_code,score,population_0_17",
        "E06000097,0,5000",
        "E06000098,1,5000",
        "E06000099,3,5000",
    )
    measures = read_measures(data, "m.csv")
    found = nearest(measures, "E06000097")
    assert [n.code for n in found] == ["E06000098", "E06000099"]
    assert found.measures_used == ("score",)
    assert found.warnings == [
        "population_0_17 is the same for every council in m.csv, so it was left out."
    ]
    assert "Left out because every council has the same value: population aged 0 to 17." in (
        method_text(measures, council_code="E06000097")
    )


def test_no_measure_that_tells_councils_apart_is_an_error() -> None:
    measures = read_measures(csv_bytes("council_code,score", "E06000097,2", "E06000098,2"), "m")
    with pytest.raises(MeasuresError, match="no council is nearer than another"):
        nearest(measures, "E06000097")


def test_a_council_not_in_the_file_is_an_error() -> None:
    measures = read_measures(LINE, "m.csv")
    with pytest.raises(MeasuresError, match=r"E06000001 is not in m\.csv"):
        nearest(measures, "E06000001")
    with pytest.raises(MeasuresError, match=r"E06000001 is not in m\.csv"):
        method_text(measures, council_code="E06000001")


def test_the_method_is_described_in_plain_english() -> None:
    data = csv_bytes(
        "council_code,council_name,population_0_17,population_18_plus,imd_average_score",
        *(f"E06000{n},Town {n},{1000 * n},{3000 * n + n * n},{n % 7}" for n in range(100, 115)),
        "E06000097,Larkhaven,41200,160000,22.5",
    )
    measures = read_measures(data, "measures.csv")
    assert method_text(measures, council_code="E06000097") == (
        "The 10 councils nearest to Larkhaven on 3 measures (population aged 0 to 17, "
        "population aged 18 and over and Index of Multiple Deprivation average score), "
        "each standardised, from the file measures.csv. "
        "Populations were compared on a log scale."
    )
    line = read_measures(LINE, "line.csv")
    assert method_text(line, 1, council_code="E06000097") == (
        "The council nearest to Larkhaven on 1 measure (score), standardised, "
        "from the file line.csv."
    )
    # A file with fewer councils than asked for says how many there are.
    assert method_text(line, council_code="E06000097").startswith("The 3 councils nearest to")
    assert method_text(line, 2).startswith("The 2 nearest councils on 1 measure (score)")


@pytest.mark.parametrize(
    ("column", "name"),
    [
        ("population_0_17", "population aged 0 to 17"),
        ("population_65_plus", "population aged 65 and over"),
        ("income_deprivation_children", "income deprivation affecting children"),
        ("share_in_social_housing", "share in social housing"),
    ],
)
def test_measure_names_read_as_plain_english(column: str, name: str) -> None:
    assert measure_name(column) == name
