"""The synthetic children's data: valid CIN XML, sensible journeys, SSDA903 and planted ratios.

Counts are taken straight from the files with ElementTree and csv, independently of the
platform's own CIN and SSDA903 readers.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import cache
from pathlib import Path

import pyarrow.compute as pc
import pytest
from lxml import etree

from safeguarding.casedata.population import read_population
from safeguarding.casedata.synth.children import (
    SCHEMA_FOR_YEAR,
    ChildrenSynthResult,
    InventedChildrenCouncil,
    high_level_groups,
    parse_over_represent,
    synth_children,
)

SPECS = Path(__file__).resolve().parents[4] / "shared" / "specs" / "cin"
if not SPECS.is_dir():  # the checkout may sit elsewhere; the specs live beside it
    SPECS = Path("/work/shared/specs/cin")
DMY = re.compile(r"\d{2}/\d{2}/\d{4}")


@cache
def schema(year: int) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SPECS / f"CIN_schema_{year}.xsd")))


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def year_bounds(label: str) -> tuple[dt.date, dt.date]:
    start = int(label[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> ChildrenSynthResult:
    out = tmp_path_factory.mktemp("children")
    return synth_children(3, list(SCHEMA_FOR_YEAR), 5, out, scale=0.1)


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = synth_children(2, ["2024-25"], 11, tmp_path / "a", scale=0.05)
    second = synth_children(2, ["2024-25"], 11, tmp_path / "b", scale=0.05)
    other = synth_children(2, ["2024-25"], 12, tmp_path / "c", scale=0.05)
    names = sorted(p.relative_to(first.out) for p in first.out.rglob("*") if p.is_file())
    assert len(names) == 2 * (1 + 5) + 1
    assert names == sorted(p.relative_to(second.out) for p in second.out.rglob("*") if p.is_file())
    for name in names:
        assert (first.out / name).read_bytes() == (second.out / name).read_bytes(), name
    assert first.cin_files[0].read_bytes() != other.cin_files[0].read_bytes()


@pytest.mark.parametrize("year", list(SCHEMA_FOR_YEAR))
def test_cin_files_validate_against_their_years_schema(
    small: ChildrenSynthResult, year: str
) -> None:
    files = [f for f in small.cin_files if f.stem.endswith(year)]
    assert len(files) == 3
    xsd = schema(SCHEMA_FOR_YEAR[year])
    for path in files:
        document = etree.parse(str(path))
        assert xsd.validate(document), f"{path.name}: {xsd.error_log.last_error}"
        root = document.getroot()
        assert root.findtext("Header/Source/LEA") == path.stem.split("_")[1]
        assert root.findtext("Header/CollectionDetails/ReferenceDate") == (
            f"{int(year[:4]) + 1}-03-31"
        )
        # 2024 records GenderCurrent; from 2025 the schema has Sex instead.
        old = SCHEMA_FOR_YEAR[year] == 2024
        assert (root.find("Children/Child/ChildIdentifiers/GenderCurrent") is not None) == old
        assert (root.find("Children/Child/ChildIdentifiers/Sex") is not None) == (not old)
    # A file written for one year does not pass another year's schema.
    other = 2025 if SCHEMA_FOR_YEAR[year] == 2024 else 2024
    assert not schema(other).validate(etree.parse(str(files[0])))


def test_journeys_are_in_order(small: ChildrenSynthResult) -> None:
    seen = defaultdict(int)
    for path in small.cin_files:
        root = ET.parse(path).getroot()  # noqa: S314 - our own generated file
        reference = day(root.findtext("Header/CollectionDetails/ReferenceDate"))
        for child in root.iter("Child"):
            born = day(child.findtext("ChildIdentifiers/PersonBirthDate"))
            for details in child.iter("CINdetails"):
                referral = day(details.findtext("CINreferralDate"))
                assert born <= referral <= reference
                assert (referral - born).days < 18 * 366
                closure = day(details.findtext("CINclosureDate"))
                assert closure is None or referral <= closure <= reference
                nfa = details.findtext("ReferralNFA") == "1"
                assert not (nfa and details.find("Assessments") is not None)
                seen["nfa"] += nfa
                for assessment in details.iter("Assessments"):
                    start = day(assessment.findtext("AssessmentActualStartDate"))
                    authorised = day(assessment.findtext("AssessmentAuthorisationDate"))
                    assert referral <= start
                    assert authorised is None or start < authorised <= reference
                    seen["assessments"] += 1
                enquiries = [
                    (day(s.findtext("S47ActualStartDate")), day(s.findtext("DateOfInitialCPC")))
                    for s in details.iter("Section47")
                ]
                for s47, icpc in enquiries:
                    assert referral <= s47
                    assert icpc is None or s47 <= icpc <= reference
                for plan in details.iter("ChildProtectionPlans"):
                    start = day(plan.findtext("CPPstartDate"))
                    end = day(plan.findtext("CPPendDate"))
                    # A plan follows a section 47 enquiry and the conference that made it.
                    assert any(icpc == start for s47, icpc in enquiries if s47 <= start)
                    assert day(details.findtext("DateOfInitialCPC")) == start
                    assert end is None or start < end <= reference
                    reviews = [day(r.text) for r in plan.iter("CPPreviewDate")]
                    assert reviews == sorted(reviews)
                    assert all(start < r <= (end or reference) for r in reviews)
                    seen["plans"] += 1
                    seen["reviewed"] += bool(reviews)
    assert seen["nfa"] and seen["assessments"] and seen["plans"] and seen["reviewed"]


def referral_count(result: ChildrenSynthResult, year: str) -> int:
    first, last = year_bounds(year)
    total = 0
    for path in result.cin_files:
        if path.stem.endswith(year):
            root = ET.parse(path).getroot()  # noqa: S314
            total += sum(first <= day(d.text) <= last for d in root.iter("CINreferralDate"))
    return total


def test_volumes_scale_with_scale(tmp_path: Path) -> None:
    low = synth_children(4, ["2024-25"], 3, tmp_path / "low", scale=0.1)
    high = synth_children(4, ["2024-25"], 3, tmp_path / "high", scale=0.3)
    assert low.councils == high.councils
    low_count, high_count = referral_count(low, "2024-25"), referral_count(high, "2024-25")
    assert low_count == low.referrals and high_count == high.referrals
    assert 2.6 < high_count / low_count < 3.4
    # The population does not scale: it is England's real size.
    assert low.population.read_bytes() == high.population.read_bytes()


def test_national_volumes_are_realistic(tmp_path: Path) -> None:
    result = synth_children(153, ["2024-25"], 2, tmp_path, scale=0.02)
    _, last = year_bounds("2024-25")
    # At scale 0.02, England's ~600,000 referrals, ~50,000 children on plans and ~83,000
    # looked after on 31 March become about 12,000, 1,000 and 1,660.
    assert 10_500 < referral_count(result, "2024-25") < 13_500
    on_plans = 0
    for path in result.cin_files:
        root = ET.parse(path).getroot()  # noqa: S314
        on_plans += sum(
            day(p.findtext("CPPstartDate")) <= last and p.find("CPPendDate") is None
            for p in root.iter("ChildProtectionPlans")
        )
    assert 800 < on_plans < 1_250
    looked_after = 0
    for folder in result.ssda903_folders:
        with (folder / "episodes.csv").open(encoding="utf-8", newline="") as handle:
            looked_after += len({row["CHILD"] for row in csv.DictReader(handle) if not row["DEC"]})
    assert 1_350 < looked_after < 2_000
    population, report = read_population(result.population)
    assert report.ok
    total = sum(population.column("population").to_pylist())
    assert 11_500_000 < total < 13_000_000
    assert len(set(population.column("geography_code").to_pylist())) == 153


def test_ssda903_files_parse_and_match_the_cin_children(small: ChildrenSynthResult) -> None:
    expected = {
        "header": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
        "episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
        "HOME_POST,PL_POST,URN",
        "uasc": "CHILD,SEX,DOB,DUC",
        "missing": "CHILD,MIS_START,MIS_END,MISSING",
        "reviews": "CHILD,DOB,REVIEW,REVIEW_CODE",
    }
    date_columns = {"DOB", "MC_DOB", "DECOM", "DEC", "DUC", "MIS_START", "MIS_END", "REVIEW"}
    rows_seen = defaultdict(int)
    for folder in small.ssda903_folders:
        la, year = folder.parent.name, folder.name
        assert la in small.councils and year in SCHEMA_FOR_YEAR
        tables = {}
        for name, header in expected.items():
            with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                assert ",".join(reader.fieldnames or []) == header
                tables[name] = list(reader)
            rows_seen[name] += len(tables[name])
            for row in tables[name]:
                assert len(row) == len(header.split(","))
                for column in date_columns & set(row):
                    if row[column]:
                        assert DMY.fullmatch(row[column]), (name, column, row[column])
                        dt.datetime.strptime(row[column], "%d/%m/%Y")
        children = {row["CHILD"]: row for row in tables["header"]}
        _, last = year_bounds(year)
        cin_root = ET.parse(small.out / "cin" / f"cin_{la}_{year}.xml").getroot()  # noqa: S314
        cin_children = {c.findtext("ChildIdentifiers/LAchildID"): c for c in cin_root.iter("Child")}
        by_child = defaultdict(list)
        for row in tables["episodes"]:
            assert row["CHILD"] in children
            by_child[row["CHILD"]].append(row)
        for child, episodes in by_child.items():
            # A looked-after child is a child in need: in the census with the same details.
            assert child in cin_children
            cin = cin_children[child]
            assert cin.findtext("ChildCharacteristics/Ethnicity") == children[child]["ETHNIC"]
            born = dt.datetime.strptime(children[child]["DOB"], "%d/%m/%Y").date()
            assert cin.findtext("ChildIdentifiers/PersonBirthDate") == born.isoformat()
            dates = [dt.datetime.strptime(e["DECOM"], "%d/%m/%Y").date() for e in episodes]
            assert dates == sorted(dates) and len(set(dates)) == len(dates)
            assert all(d <= last for d in dates) and born < dates[0]
            for this, after in itertools.pairwise(episodes):
                assert this["REC"] == "X1" and this["DEC"] == after["DECOM"]
            if episodes[-1]["DEC"]:
                assert episodes[-1]["REC"] not in ("", "X1")
    assert all(rows_seen[name] for name in expected), rows_seen


def test_population_file_matches_the_councils(small: ChildrenSynthResult) -> None:
    population, report = read_population(small.population)
    assert report.ok
    assert set(population.column("geography_code").to_pylist()) == set(small.councils)
    assert set(population.column("period").to_pylist()) == set(SCHEMA_FOR_YEAR)
    assert set(population.column("age_band").to_pylist()) == {"0-17"}
    assert set(population.column("sex").to_pylist()) == {"all"}
    ethnicities = set(population.column("ethnicity").to_pylist())
    assert "WBRI" in ethnicities and "REFU" not in ethnicities and len(ethnicities) == 18


def stage_counts(result: ChildrenSynthResult, year: str) -> dict[str, dict[tuple[str, str], int]]:
    """Distinct children reaching each stage in the year, by council and recorded ethnicity."""
    first, last = year_bounds(year)
    reached: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))

    def within(text: str | None) -> bool:
        return text is not None and first <= day(text) <= last

    for path in result.cin_files:
        if not path.stem.endswith(year):
            continue
        la = path.stem.split("_")[1]
        for child in ET.parse(path).getroot().iter("Child"):  # noqa: S314
            ident = child.findtext("ChildIdentifiers/LAchildID")
            key = (la, child.findtext("ChildCharacteristics/Ethnicity"))
            for details in child.iter("CINdetails"):
                if within(details.findtext("CINreferralDate")):
                    reached["referral"][key].add(ident)
                for a in details.iter("Assessments"):
                    if within(a.findtext("AssessmentAuthorisationDate")):
                        reached["assessment"][key].add(ident)
                for s in details.iter("Section47"):
                    if within(s.findtext("S47ActualStartDate")):
                        reached["s47"][key].add(ident)
                for p in details.iter("ChildProtectionPlans"):
                    if within(p.findtext("CPPstartDate")):
                        reached["cp_plan"][key].add(ident)
    for folder in result.ssda903_folders:
        if folder.name != year:
            continue
        la = folder.parent.name
        with (folder / "header.csv").open(encoding="utf-8", newline="") as handle:
            ethnicity = {row["CHILD"]: row["ETHNIC"] for row in csv.DictReader(handle)}
        with (folder / "episodes.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                started = dt.datetime.strptime(row["DECOM"], "%d/%m/%Y").date()
                if row["RNE"] == "S" and first <= started <= last:
                    reached["cla"][la, ethnicity[row["CHILD"]]].add(row["CHILD"])
    return {stage: {k: len(v) for k, v in found.items()} for stage, found in reached.items()}


def standardised_ratio(
    counts: dict[tuple[str, str], int],
    population: dict[tuple[str, str], int],
    codes: tuple[str, ...],
) -> float:
    """Observed over expected at each council's White British rate (indirect standardisation)."""
    councils = {la for la, _ in population}
    observed = sum(counts.get((la, c), 0) for la in councils for c in codes)
    expected = sum(
        population[la, c] * counts.get((la, "WBRI"), 0) / population[la, "WBRI"]
        for la in councils
        for c in codes
    )
    return observed / expected


def test_planted_over_representation_shows_in_simple_counts(tmp_path: Path) -> None:
    result = synth_children(
        8,
        ["2024-25"],
        21,
        tmp_path,
        scale=1.0,
        over_represent=["BLACK:s47:2.0", "MIXED:referral:1.4", "MIXED:cla:2.5"],
    )
    planted = result.planted
    assert planted.rri["BCRB"] == {
        "referral": 1.0,
        "assessment": 1.0,
        "s47": 2.0,
        "cp_plan": 2.0,
        "cla": 2.0,
    }
    assert planted.stage_rri("BAFR", "s47") == 2.0 and planted.stage_rri("BAFR", "cla") == 1.0
    assert planted.rri["MWBC"]["s47"] == 1.4 and planted.rri["MWBC"]["cla"] == 2.5
    assert planted.group_rri("MIXED", "cla") == 2.5 and planted.group_rri("ASIAN", "s47") == 1.0

    population: dict[tuple[str, str], int] = {}
    with result.population.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            population[row["geography_code"], row["ethnicity"]] = int(row["population"])
    counts = stage_counts(result, "2024-25")
    groups = high_level_groups()
    black, mixed, asian = groups["BLACK"], groups["MIXED"], groups["ASIAN"]
    tolerance = {"referral": 0.08, "assessment": 0.08, "s47": 0.12, "cp_plan": 0.2, "cla": 0.25}
    for stage in ("referral", "assessment", "s47", "cp_plan", "cla"):
        for name, codes in (("BLACK", black), ("MIXED", mixed), ("ASIAN", asian)):
            want = planted.group_rri(name, stage)
            got = standardised_ratio(counts[stage], population, codes)
            assert abs(got / want - 1) < tolerance[stage], (name, stage, got, want)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("BCRB:s47", "GROUP:STAGE:FACTOR"),
        ("WBRI:s47:2", "reference group"),
        ("XXXX:s47:2", "not an ethnicity code"),
        ("BCRB:court:2", "stage must be one of"),
        ("BCRB:s47:lots", "not a number"),
        ("BCRB:s47:0", "more than 0"),
    ],
)
def test_bad_over_representation_is_refused_plainly(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_over_represent(spec)


def test_impossible_factors_and_years_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be planted that high at assessment"):
        synth_children(1, ["2024-25"], 1, tmp_path, over_represent=["BCRB:assessment:1.5"])
    with pytest.raises(ValueError, match="given more than once"):
        synth_children(1, ["2024-25"], 1, tmp_path, over_represent=["BCRB:s47:2", "BLACK:s47:3"])
    with pytest.raises(ValueError, match="no CIN census schema here for 2021-22"):
        synth_children(1, ["2021-22"], 1, tmp_path)
    assert not any(tmp_path.iterdir())


def test_no_further_action_and_long_plans_are_in_the_published_range(tmp_path: Path) -> None:
    # Published for England: about 7% to 8% of referrals end in no further action, and 3% to 4%
    # of the plans ended in a year had lasted two years or more. The second year written is
    # checked, as the first lacks the plans that began before the simulated history.
    result = synth_children(4, ["2023-24", "2024-25"], 3, tmp_path)
    first, last = year_bounds("2024-25")
    referrals = nfa = ended = long_plans = 0
    for path in result.cin_files:
        if not path.name.endswith("_2024-25.xml"):
            continue
        root = ET.parse(path).getroot()  # noqa: S314
        for details in root.iter("CINdetails"):
            referred = day(details.findtext("CINreferralDate"))
            if referred is not None and first <= referred <= last:
                referrals += 1
                nfa += details.findtext("ReferralNFA") in ("1", "true")
        for plan in root.iter("ChildProtectionPlans"):
            end = day(plan.findtext("CPPendDate"))
            if end is not None and first <= end <= last:
                start = day(plan.findtext("CPPstartDate"))
                assert start is not None
                ended += 1
                # Two years or more: on or after the same date two years later.
                two_years_on = (start.year + 2, start.month, start.day)
                long_plans += (end.year, end.month, end.day) >= two_years_on
    assert referrals > 3_000 and ended > 300
    assert 0.06 < nfa / referrals < 0.09, nfa / referrals
    assert 0.025 < long_plans / ended < 0.05, long_plans / ended


def test_a_council_with_no_child_in_need_at_a_tiny_scale_gets_no_census_file(
    tmp_path: Path,
) -> None:
    result = synth_children(153, ["2024-25"], 2, tmp_path, scale=0.0005)
    assert result.without_children, "at this scale some small councils have no child in need"
    written = {path.name for path in (tmp_path / "cin").glob("*.xml")}
    assert written == {path.name for path in result.cin_files}
    assert len(result.cin_files) + len(result.without_children) == 153
    # Every file written holds at least one child, as the schema requires.
    for path in result.cin_files:
        assert ET.parse(path).getroot().find(".//Child") is not None  # noqa: S314


# --- Invented councils -------------------------------------------------------------------------

LARKHAVEN = InventedChildrenCouncil("E06000097", "Larkhaven", 6_000, "197", "E12000009")
RIVERSMEET = InventedChildrenCouncil("E06000098", "Riversmeet", 4_000, "198", "E12000007")


def file_names(root: Path, la: str) -> dict[str, bytes]:
    """Every file written for one council (CIN files and SSDA903 folders), by relative path."""
    found = [*(root / "cin").glob(f"cin_{la}_*.xml"), *(root / "ssda903" / la).rglob("*.csv")]
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(found)}


def test_invented_councils_get_valid_files_under_their_numbers(tmp_path: Path) -> None:
    years = list(SCHEMA_FOR_YEAR)
    result = synth_children(1, years, 5, tmp_path, invented=[LARKHAVEN, RIVERSMEET])
    real = result.councils[0]
    assert result.councils == (real, "197", "198") and real not in ("197", "198")
    for la in ("197", "198"):
        files = [f for f in result.cin_files if f.name.startswith(f"cin_{la}_")]
        assert len(files) == 3
        for path in files:
            year = path.stem.split("_")[2]
            document = etree.parse(str(path))
            xsd = schema(SCHEMA_FOR_YEAR[year])
            assert xsd.validate(document), f"{path.name}: {xsd.error_log.last_error}"
            assert document.getroot().findtext("Header/Source/LEA") == la
            assert len(document.getroot().findall("Children/Child")) > 50
        folders = [f for f in result.ssda903_folders if f.parent.name == la]
        assert [f.name for f in folders] == years
        with (folders[-1] / "header.csv").open(encoding="utf-8", newline="") as handle:
            children = [row["CHILD"] for row in csv.DictReader(handle)]
        assert children and all(child.startswith(f"{la}C") for child in children)
    population, report = read_population(result.population)
    assert report.ok
    totals: dict[str, int] = defaultdict(int)
    for row in population.filter(pc.equal(population["period"], "2024-25")).to_pylist():
        totals[row["geography_code"]] += row["population"]
    assert set(totals) == {real, "197", "198"}
    # The number given is the 2024-25 population, give or take rounding of the cells.
    assert abs(totals["197"] - 6_000) <= 18 and abs(totals["198"] - 4_000) <= 18


def test_an_invented_council_is_the_same_whatever_is_generated_with_it(tmp_path: Path) -> None:
    years = ["2024-25"]
    alone = synth_children(0, years, 8, tmp_path / "alone", invented=[LARKHAVEN])
    again = synth_children(0, years, 8, tmp_path / "again", invented=[LARKHAVEN])
    mixed = synth_children(2, years, 8, tmp_path / "mixed", invented=[RIVERSMEET, LARKHAVEN])
    other_seed = synth_children(0, years, 9, tmp_path / "other", invented=[LARKHAVEN])
    assert alone.councils == ("197",)
    written = file_names(alone.out, "197")
    assert len(written) == 1 + 5
    assert written == file_names(again.out, "197") == file_names(mixed.out, "197")
    assert alone.population.read_bytes() == again.population.read_bytes()
    assert written != file_names(other_seed.out, "197")


def test_planted_over_representation_shows_in_an_invented_council(tmp_path: Path) -> None:
    # London, so that there are enough Black children for the ratio to show.
    borough = InventedChildrenCouncil("E06000099", "Blackwater", 150_000, "150", "E12000007")
    result = synth_children(
        0, ["2024-25"], 6, tmp_path, invented=[borough], over_represent=["BLACK:s47:2.0"]
    )
    population: dict[tuple[str, str], int] = {}
    with result.population.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            population[row["geography_code"], row["ethnicity"]] = int(row["population"])
    counts = stage_counts(result, "2024-25")
    black = high_level_groups()["BLACK"]
    for stage, want, tolerance in (("referral", 1.0, 0.12), ("s47", 2.0, 0.15)):
        got = standardised_ratio(counts[stage], population, black)
        assert abs(got / want - 1) < tolerance, (stage, got)


@pytest.mark.parametrize(
    ("las", "invented", "message"),
    [
        (0, [], "at least one council"),
        (0, [InventedChildrenCouncil("E06000099", "Copy", 900, "805")], "of Hartlepool"),
        (0, [InventedChildrenCouncil("E06000001", "Copy", 900, "150")], "real council"),
        (1, [LARKHAVEN, InventedChildrenCouncil("E06000099", "Twin", 900, "197")], "two invented"),
    ],
)
def test_refused_invented_councils_write_nothing(
    tmp_path: Path, las: int, invented: list[InventedChildrenCouncil], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        synth_children(las, ["2024-25"], 1, tmp_path, invented=invented)
    assert not any(tmp_path.iterdir())
