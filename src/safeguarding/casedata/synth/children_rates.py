"""The rates, delays and proportions the synthetic children's data are drawn from.

Volumes follow the published Children in Need and SSDA903 statistics for England in broad terms
(2023-24: about 600,000 referrals, 20% re-referrals within 12 months, about 225,000 section 47
enquiries, about 70,000 child protection plans started and 50,000 open on 31 March, about
32,000 children starting to be looked after and 83,000 looked after on 31 March). Weights name
catalogue codes; ``weights_for`` checks them against ``codelists.yaml`` so that a change in the
catalogue shows here rather than as invalid output.
"""

from __future__ import annotations

import numpy as np

from safeguarding.catalogue import code_list

STAGES = ("referral", "assessment", "s47", "cp_plan", "cla")

CHILDREN_IN_ENGLAND = 12_200_000
ANCHOR_YEAR = 2024  # the financial year 2024-25, to which volumes are anchored
REFERRED_CHILDREN_RATE = 0.0414  # distinct children referred in a year, per child aged 0-17
EXTRA_REFERRALS = 0.25  # further referrals of the same child in the months before
POPULATION_GROWTH = 0.002

# Conversion between stages for a White British child (the planted factors multiply these).
# About 7% of referrals end in no further action (published: 7% to 8%); the others are assessed.
ASSESSED = 0.935  # of children referred in a year
S47_GIVEN_ASSESSED = 0.433  # so that 40.5% of children referred have a section 47 enquiry
PLAN_GIVEN_S47 = 0.35
ICPC_WITHOUT_PLAN = 0.10  # of section 47 enquiries that lead to no plan
# Chance of starting to be looked after, by how far the journey went.
CLA_GIVEN_PLAN = 0.20
CLA_GIVEN_S47_ONLY = 0.06
CLA_GIVEN_ASSESSMENT_ONLY = 0.042
EARLIER_REFERRAL_NFA = 0.06  # an earlier referral of an assessed child that went no further
RECORDED_UNKNOWN = {"NOBT": 0.022, "REFU": 0.008}  # of children, whatever their ethnicity
UASC_SHARE_OVER_14 = 0.30  # of children starting care aged 14 or more

# Delays in days (lognormal median and spread) unless said otherwise.
AUTHORISATION_MEDIAN = 28.0  # referral to assessment authorised; about 88% within 45 working days
AUTHORISATION_SPREAD = 0.7
ICPC_MEDIAN_WORKING_DAYS = 11.0  # section 47 start to conference; about 77% within 15
ICPC_SPREAD = 0.45
# About 3.5% to 4% of plans ended in a year had lasted two years or more (published: 3% to 4%)
# from the second year written on. In the first year written the share is nearer 2%: plans that
# started before the two years of history the generator simulates are missing.
PLAN_MEDIAN = 210.0
PLAN_SPREAD = 0.8
CIN_PLAN_MEDIAN = 180.0
CIN_PLAN_SPREAD = 0.6
CARE_MEDIAN = 650.0
CARE_SPREAD = 1.2
CHANCE_OF_CIN_PLAN = {"assessment": 0.35, "s47": 0.45, "cp_plan": 0.6}
PLACEMENT_MOVES_PER_YEAR = 0.45
LEGAL_CHANGE_SHARE = 0.3  # of new episodes, a change of legal status rather than placement
MISSING_CHANCE_PER_YEAR = 0.25  # children in care aged 11 or more who go missing in a year
REVIEW_FIRST_DAYS, REVIEW_SECOND_DAYS, REVIEW_EVERY_DAYS = 20, 91, 182  # looked-after reviews
CPP_FIRST_REVIEW_DAYS, CPP_REVIEW_EVERY_DAYS = 90, 182

# Ages 0..17 of children when referred: more babies and teenagers.
AGE_WEIGHTS = np.array(
    [0.090, 0.045, 0.045, 0.045, 0.045] + [0.052] * 5 + [0.062] * 6 + [0.055, 0.050]
)

# Ethnic mix of children in England (2021 census, broadly); London and some cities differ.
CHILD_ETHNIC_MIX = {
    "WBRI": 0.690,
    "WIRI": 0.002,
    "WIRT": 0.001,
    "WOTH": 0.060,
    "WROM": 0.004,
    "MWBC": 0.017,
    "MWBA": 0.009,
    "MWAS": 0.017,
    "MOTH": 0.020,
    "AIND": 0.028,
    "APKN": 0.040,
    "ABAN": 0.014,
    "AOTH": 0.018,
    "BCRB": 0.009,
    "BAFR": 0.040,
    "BOTH": 0.008,
    "CHNE": 0.005,
    "OOTH": 0.018,
}
WBRI_SHARE_LONDON, WBRI_SHARE_ELSEWHERE = 0.30, 0.74

SEX = {"M": 0.515, "F": 0.483, "U": 0.002}
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}  # schema 2024
SSDA903_SEX = {"M": "1", "F": "2", "U": "1"}
DISABLED_SHARE = 0.09
DISABILITY = {"LD": 0.3, "AUT": 0.3, "COMM": 0.12, "BEH": 0.12, "MOB": 0.06, "DDA": 0.1}
REFERRAL_SOURCE = {
    "1A": 0.035,
    "1B": 0.01,
    "1C": 0.01,
    "1D": 0.005,
    "2A": 0.20,
    "2B": 0.01,
    "3A": 0.02,
    "3B": 0.02,
    "3C": 0.01,
    "3D": 0.02,
    "3E": 0.04,
    "3F": 0.03,
    "4": 0.02,
    "5A": 0.04,
    "5B": 0.03,
    "5C": 0.04,
    "5D": 0.03,
    "6": 0.29,
    "7": 0.03,
    "8": 0.06,
    "9": 0.01,
    "10": 0.04,
}
PRIMARY_NEED = {
    "N1": 0.55,
    "N2": 0.08,
    "N3": 0.05,
    "N4": 0.10,
    "N5": 0.13,
    "N6": 0.03,
    "N7": 0.01,
    "N8": 0.03,
    "N9": 0.02,
}
PRIMARY_NEED_NFA = {"N9": 0.5, "N0": 0.5}
CATEGORY_OF_ABUSE = {"NEG": 0.50, "EMO": 0.37, "PHY": 0.06, "SAB": 0.04, "MUL": 0.03}
CATEGORY_CHANGES = 0.10
PREVIOUS_PLANS = (0.77, 0.17, 0.045, 0.015)  # 0, 1, 2, 3 earlier plans
FACTORS_EXTRA = 1.3  # mean number of factors beyond the first
ASSESSMENT_FACTOR = {
    "1A": 0.02,
    "1B": 0.06,
    "2A": 0.04,
    "2B": 0.08,
    "3A": 0.08,
    "3B": 0.20,
    "3C": 0.02,
    "4A": 0.09,
    "4B": 0.17,
    "5A": 0.03,
    "5B": 0.03,
    "6A": 0.02,
    "6B": 0.03,
    "7A": 0.01,
    "10A": 0.02,
    "11A": 0.02,
    "13A": 0.01,
    "14A": 0.03,
    "15A": 0.03,
    "16A": 0.09,
    "17A": 0.10,
    "18B": 0.02,
    "18C": 0.05,
    "19B": 0.01,
    "19C": 0.02,
    "20": 0.05,
    "22A": 0.002,
    "23A": 0.002,
    "24A": 0.02,
}
CLOSED_AFTER_ASSESSMENT = {"RC8": 0.6, "RC9": 0.4}

# SSDA903.
FIRST_LEGAL_STATUS = {"V2": 0.50, "C1": 0.32, "L1": 0.10, "L2": 0.08}
PLACEMENT = {"U1": 0.08, "U3": 0.06, "U4": 0.30, "U6": 0.24, "K2": 0.12, "R1": 0.06, "Z1": 0.02}
PLACEMENT_16_PLUS = {"U4": 0.25, "U6": 0.20, "K2": 0.20, "H5": 0.35}
PROVIDER = {
    "U1": "PR1",
    "U2": "PR1",
    "U3": "PR1",
    "U4": "PR1",
    "U5": "PR4",
    "U6": "PR4",
    "K2": "PR4",
    "R1": "PR0",
    "H5": "PR4",
    "A4": "PR1",
    "A6": "PR1",
    "Z1": "PR1",
}
REASON_PLACE_CHANGE = {
    "CARPL": 0.22,
    "CLOSE": 0.04,
    "ALLEG": 0.03,
    "STAND": 0.12,
    "APPRR": 0.14,
    "CREQB": 0.06,
    "CREQO": 0.08,
    "CHILD": 0.08,
    "LAREQ": 0.11,
    "PLACE": 0.06,
    "OTHER": 0.06,
}
CARE_ENDS_UNDER_5 = {"E4A": 0.30, "E11": 0.33, "E45": 0.08, "E46": 0.12, "E41": 0.05, "E8": 0.12}
CARE_ENDS_5_PLUS = {"E4A": 0.45, "E13": 0.12, "E45": 0.08, "E46": 0.06, "E41": 0.05, "E8": 0.24}
CARE_ENDS_AT_18 = {"E17": 0.25, "E5": 0.40, "E8": 0.35}
CLOSURE_FOR_CARE_END = {
    "E11": "RC1",
    "E12": "RC1",
    "E2": "RC2",
    "E41": "RC3",
    "E47": "RC3",
    "E48": "RC3",
    "E45": "RC4",
    "E46": "RC4",
    "E3": "RC5",
    "E5": "RC6",
    "E17": "RC6",
}
REVIEW_CODE = {"PN1": 0.55, "PN2": 0.10, "PN3": 0.08, "PN4": 0.08, "PN5": 0.07, "PN6": 0.07}
REVIEW_CODE_UNDER_4 = "PN0"
MISSING = {"M": 0.8, "A": 0.2}


def codes(list_id: str) -> tuple[str, ...]:
    """The codes of a catalogue list, in catalogue order."""
    return tuple(c.code for c in code_list(list_id).codes)


def weights_for(list_id: str, weights: dict[str, float]) -> np.ndarray:
    """Probabilities over the list's codes (in catalogue order), zero for codes not named."""
    known = codes(list_id)
    unknown = set(weights) - set(known)
    if unknown:
        raise RuntimeError(f"the children's generator names codes not in {list_id}: {unknown}")
    values = np.array([weights.get(code, 0.0) for code in known], dtype=float)
    return values / values.sum()
