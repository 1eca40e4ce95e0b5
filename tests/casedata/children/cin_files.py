"""Helpers for the children's reader tests: small CIN census files written from parts."""

from __future__ import annotations

from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>{year}</Year>
      <ReferenceDate>{year}-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>{la}</LEA>
    </Source>
  </Header>
  <Children>
"""
FOOTER = "  </Children>\n</Message>\n"


def child(
    number: int = 1,
    *,
    year: int = 2025,
    sex: str | None = None,
    ethnicity: str = "WBRI",
    referral: str | None = None,
    extra_details: str = "",
    extra_identifiers: str = "",
) -> str:
    """A child with one referral, an assessment, a section 47 and a plan, valid for ``year``."""
    sex_element = (
        f"<Sex>{sex or 'F'}</Sex>"
        if year >= 2025
        else f"<GenderCurrent>{sex or '2'}</GenderCurrent>"
    )
    referral = referral or f"{year - 1}-05-02"
    return f"""    <Child>
      <ChildIdentifiers>
        <LAchildID>C{number:06d}</LAchildID>
        <UPN>A123456789012</UPN>
        <PersonBirthDate>{year - 8}-02-14</PersonBirthDate>
        {sex_element}{extra_identifiers}
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>{ethnicity}</Ethnicity>
        <Disabilities><Disability>NONE</Disability></Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>{referral}</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>{year - 1}-05-03</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>{year - 1}-06-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>3A</AssessmentFactors>
            <AssessmentFactors>4B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Section47>
          <S47ActualStartDate>{year - 1}-05-10</S47ActualStartDate>
          <InitialCPCtarget>{year - 1}-05-31</InitialCPCtarget>
          <DateOfInitialCPC>{year - 1}-05-28</DateOfInitialCPC>
          <ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>{year - 1}-05-28</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>{year - 1}-08-20</CPPreviewDate></Reviews>
        </ChildProtectionPlans>{extra_details}
      </CINdetails>
    </Child>
"""


def cin_file(
    folder: Path, children: list[str], *, la: str = "201", year: int = 2025, name: str = ""
) -> Path:
    """A CIN census file holding ``children``."""
    path = folder / (name or f"cin_{la}_{year}.xml")
    path.write_text(HEADER.format(year=year, la=la) + "".join(children) + FOOTER, "utf-8")
    return path


def big_cin_file(path: Path, megabytes: float, *, year: int = 2025) -> int:
    """A file of about ``megabytes`` MB made by repeating children; returns how many."""
    target = int(megabytes * 1_000_000)
    one = len(child(1, year=year).encode())
    count = max(1, target // one)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER.format(year=year, la="201"))
        for number in range(1, count + 1):
            handle.write(child(number, year=year))
        handle.write(FOOTER)
    return count
