"""Job titles map to O*NET-SOC 2019 roles. Expected codes are O*NET's own for these titles."""

from __future__ import annotations

import functools
import json

import numpy as np
import polars as pl
import pytest

from schemas.taxonomy import Taxonomy
from tests.paths import FIXTURES, ROOT
from transform.linking import roles as roles_module
from transform.linking.roles import (
    MIN_ROLE_CONFIDENCE,
    RERANK_CANDIDATES,
    RERANK_FEATURES,
    Reranker,
    RoleMatcher,
    assign_roles,
    clean_title,
    led_first,
    names_rank_only,
    posting_title,
    rank_first,
    role_matcher,
    taught_first,
)

SHIPPED = Taxonomy.shipped()


@functools.cache
def calibrated_matcher() -> RoleMatcher:
    """The shipped matcher with published (calibrated) confidences, built once (~4 s)."""
    return RoleMatcher(SHIPPED, calibrated=True)


@pytest.mark.parametrize(("title", "code"), [
    ("Registered Nurse", "29-1141.00"),
    ("Staff Nurse - Cardiology", "29-1141.00"),
    ("Band 5 Staff Nurse (Nights)", "29-1141.00"),
    ("Pharmacist, GS-0660-11/12", "29-1051.00"),
    ("Senior Accountant", "13-2011.00"),
    ("Police Officer", "33-3051.00"),
    ("Senior Software Engineer, Backend", "15-1252.00"),
    ("Heavy Equipment Mechanic", "49-3042.00"),
])
def test_common_titles_get_their_onet_role(title, code):
    match = role_matcher(SHIPPED).match(title)
    assert match.role == code, match
    assert 0 < match.confidence <= 1


def test_title_cleaning_removes_noise_but_keeps_the_job():
    assert clean_title("Softwareentwickler (m/w/d)") == "softwareentwickler"
    assert clean_title("Sr. Data Engineer - Remote | EMEA") == "data engineer"


def test_unmatchable_and_empty_titles_get_no_role():
    matcher = role_matcher(SHIPPED)
    for title in ("", "   ", None, "Xq7 zzv"):
        assert matcher.match(title).role is None
        assert matcher.match(title).method == "none"


def test_assign_roles_keeps_row_order_and_nulls():
    frame = assign_roles(pl.Series(["Pharmacist", None, "Registered Nurse", "Pharmacist"]),
                         matcher=role_matcher(SHIPPED))
    assert frame["role"].to_list() == ["29-1051.00", None, "29-1141.00", "29-1051.00"]
    assert frame["role_method"][1] == "none"


@pytest.mark.parametrize(("title", "code"), [
    ("Nurse", "29-1141.00"),  # O*NET lists it for Registered Nurses and two specialties
    ("Project Manager", "13-1082.00"),  # listed for four roles
    # BLS OEWS publishes home health and personal care aides only together (31-1120); the
    # aides still outnumber childcare workers, whom O*NET also lists for "Caregiver".
    ("Caregiver", "31-1121.00"),
    # OEWS publishes mental health counselors only with substance abuse counselors
    # (21-1018), purchasing agents only with buyers and clerks (13-1020).
    ("Mental Health Therapist", "21-1014.00"),
    ("Procurement Specialist Hardware", "13-1023.00"),
    # ...and O*NET lists "Health Care Assistant" for Home Health Aides too: on ads (NHS
    # wards) it is a nursing assistant
    ("Health Care Assistant", "31-1131.00"),
    # O*NET lists "Owner" only among Urologists' reported titles
    ("Owner", "11-1021.00"),
    ("Dispensary Owner", "11-1021.00"),
    # list Q: a tie between two O*NET specialties of 15-1299 went by code
    ("Cloud Engineer", "15-1299.08"),
    ("Demolition Worker", "47-2061.00"),  # list R: not the blasters, by the word "workers"
    # list S: listed for Carpenters and two woodworking roles; not the larger Carpenters
    ("Cabinet Maker", "51-7011.00"),
    ("Custom Cabinet Maker", "51-7011.00"),
    # O*NET lists "Growth Hacker" for forest workers and "Growth Specialist" for plant
    # scientists; on ads growth is marketing's, and an override's title also guides its
    # variants by similarity...
    ("Growth Hacker", "13-1161.00"),
    ("Growth Lead", "11-2021.00"),
    ("Platform Growth Lead", "11-2021.00"),
    # (since 3.3.19 a growth team's partnership lead is a partnerships post: it sells deals)
    ("Growth Partnership Lead", "41-3091.00"),
    ("Growth Engineer", "15-1252.00"),
    ("Plant Growth Specialist", "19-1013.00"),
    # ...but not a catch-all's: "locum consultant" (Physicians, All Other) must not take
    # the anaesthetist named beside it
    ("Locum Consultant Anaesthetist", "29-1211.00"),
    ("Senior Legal Cashier", "43-3031.00"),  # a law firm's client accounts, not a till
    # list T: the larger role won ties O*NET's listing leaves
    ("Forklift Technician", "49-3042.00"),
    ("Content Creator", "27-3043.00"),
    ("Veterinary Receptionist", "43-4171.00"),
    # O*NET: Commercial and Industrial Designers; on ads, software companies' screen design
    ("Senior Product Designer", "15-1255.00"),
    ("Digital Product Designer", "15-1255.00"),
    # the blockchain engineers won "Firmware Engineer" by code; federal production
    # controllers schedule aircraft maintenance
    ("Senior Firmware Engineer", "15-1299.08"),
    ("PRODUCTION CONTROLLER (AIRCRAFT)", "43-5061.00"),
    # O*NET lists "Plant Manager" for Industrial Production Managers and four energy
    # specialties; the word overlap had sent it to Biomass Power Plant Managers (review U)
    ("Plant Manager", "11-3051.00"),
    ("Biomass Plant Manager", "11-3051.04"),
    # review V: the word overlap sent "Policy Analyst" to the climate specialty, employment
    # sent "Risk Analyst" to operations research; "IT Support Technician" is O*NET's short
    # title for network support, the help desk on ads; "Site Engineer" had no role
    ("Policy Analyst", "19-3094.00"),
    ("Climate Policy Analyst", "19-2041.01"),
    ("Risk Analyst", "13-2054.00"),
    ("IT Support Technician", "15-1232.00"),
    ("Graduate Site Engineer - Rail", "17-2051.00"),
    # review W: the word overlap ("food") sent it to Food Servers, Nonrestaurant (room service)
    ("Food Runner", "35-9011.00"),
    # review X: the word "assistant" sent it to Secretaries and Administrative Assistants
    ("Bakery Assistant", "51-3011.00"),
    ("Part Time Bakery Assistant", "51-3011.00"),
    # review Y: word similarity sent a train driver to truck drivers and an ambulance
    # technician to ambulance drivers, except EMTs
    ("Trainee Train Driver", "53-4011.00"),
    ("Emergency Ambulance Technician", "29-2042.00"),
    # review Z: NHS biomedical scientists (snapshot) had gone to Biological Scientists, All
    # Other, a QA tester to factory inspectors, a copy editor to proofreaders; a housing
    # officer matched no role at all
    ("Band 5/6 Specialist Biomedical Scientist", "29-2011.00"),
    ("QA Tester", "15-1253.00"),
    ("Copy Editor", "27-3041.00"),
    ("Housing Officer", "11-9141.00"),
    # review AA: O*NET lists these only for Advanced Practice Psychiatric Nurses; NHS band 5
    # mental health nurses (snapshot) are registered nurses, the specialty keeps its own titles
    ("Mental Health Staff Nurse Band 5", "29-1141.00"),
    ("Bank Community Psychiatric Nurse", "29-1141.00"),
    ("Advanced Practice Psychiatric Nurse", "29-1141.02"),
    ("Adult PMHNP", "29-1141.02"),
])
def test_a_title_several_roles_share_goes_to_the_likelier_meaning(title, code):
    """Most US jobs first, then the SOC occupation before its O*NET specialties."""
    assert role_matcher(SHIPPED).match(title).role == code


@pytest.mark.parametrize(("title", "code"), [
    # US federal titles name the post, then the specialty in brackets (usajobs_2017)
    ("Physician (Psychiatrist)", "29-1223.00"),
    ("Physician (Orthopedic Surgeon)", "29-1242.00"),
    ("Attorney Examiner (General) (Administrative Judge)", "23-1021.00"),
    # ...but only a specialty of the same SOC minor group: a materials handler who drives
    # stays a materials handler, and an override's title stays settled
    ("Materials Handler (Motor Vehicle Operator)", "53-7062.00"),
    ("Health Care Assistant (Support Worker) (Mental Health)", "31-1131.00"),
])
def test_a_bracket_naming_a_specialty_of_the_post_settles_the_role(title, code):
    assert role_matcher(SHIPPED).match(title).role == code


def test_an_eye_clinic_s_ophthalmic_technician_is_no_lens_grinder():
    # O*NET's "Ophthalmic Tech (Ophthalmic Technician)" (Ophthalmic Medical Technicians):
    # an eye clinic's technician (linkedin, "Mountain View Eye Center") had gone to the
    # lens laboratory technicians, for whom "Ophthalmic Technician" is an alternate title
    # (review U); the laboratory stays the alternative
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Ophthalmic Technician").role == "29-2057.00"
    assert [r for r, _, _ in matcher.alternatives("Ophthalmic Technician", "29-2057.00")] == [
        "51-9083.00"]
    assert matcher.match("Ophthalmic Laboratory Technician").role == "51-9083.00"
    assert matcher.match("Optical Lab Technician").role == "51-9083.00"


def test_occupations_oews_publishes_only_in_a_group_share_its_employment():
    from transform.linking.roles import _employment
    jobs = dict(_employment(SHIPPED).iter_rows())
    group = SHIPPED.bls_employment().filter(soc_code="31-1120")["employment"].sum()
    assert jobs["31-1121"] == jobs["31-1122"] == pytest.approx(group / 2)
    assert "51-2099" not in jobs  # an "All Other" gets no part of 51-2090


def _ambiguous_postings() -> list[dict]:
    path = FIXTURES / "postings_with_ambiguous_titles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("posting", _ambiguous_postings(), ids=lambda p: p["title"][:30])
def test_the_description_settles_an_ambiguous_title(posting):
    match = role_matcher(SHIPPED).match(posting["title"], posting["description"])
    assert match.role == posting["role"], match


def test_descriptions_go_through_assign_roles_row_by_row():
    postings = _ambiguous_postings()
    frame = assign_roles(pl.Series([p["title"] for p in postings]),
                         pl.Series([p["description"] for p in postings]),
                         matcher=role_matcher(SHIPPED))
    assert frame["role"].to_list() == [p["role"] for p in postings]


def test_a_misleading_description_does_not_override_a_clear_title():
    unrelated = _ambiguous_postings()[1]["description"]  # a customer-service posting
    for title, code in [("Registered Nurse", "29-1141.00"), ("Pharmacist", "29-1051.00"),
                        ("Police Officer", "33-3051.00")]:
        match = role_matcher(SHIPPED).match(title, unrelated)
        assert match.role == code and match.method != "description", match


# Named cases (issue #19).
def test_a_title_onet_lists_for_several_roles_is_never_exact_and_certain():
    # O*NET lists "Data Engineer" for Database Architects (reported), Data Scientists and
    # Statisticians (alternate).
    matcher = role_matcher(SHIPPED)
    match = matcher.match("Data Engineer")
    assert match.confidence < 1.0
    others = {r for r, _, _ in matcher.alternatives("Data Engineer", match.role)}
    assert {"15-1243.00", "15-2051.00", "15-2041.00"} - {match.role} <= others
    assert matcher.match("Registered Nurse").confidence == 1.0  # one role: certain


def test_customer_success_manager_is_no_office_supervisor():
    for title in ("customer success manager", "Senior Customer Success Manager, EMEA"):
        match = role_matcher(SHIPPED).match(title)
        assert match.role != "43-1011.00", match
        assert match.confidence < 0.5


@pytest.mark.parametrize(("title", "role", "not_role"), [
    ("teacher assistant", "25-9042.00", "25-9044.00"),  # a school's, not a university's
    ("Teaching Assistant - Primary", "25-9042.00", "25-9044.00"),
    ("pest control technician", "37-2021.00", "37-3012.00"),  # buildings, not vegetation
    ("assembler", "51-2092.00", "51-2031.00"),  # the largest assembler occupation
    ("cable installer", "49-9052.00", "49-9051.00"),  # cable TV and internet, not power
    ("Care Assistant - Nights", "31-1122.00", "39-2021.00"),  # people, not animals
    ("Account Executive (Enterprise)", "41-3091.00", "11-2011.00"),  # sells, not an agency
    # ...and so do the SaaS segments' account executives (snapshot; word similarity to "Ad
    # Account Executive" had filed 13 under advertising managers)
    ("SMB Account Executive (EMEA)", "41-3091.00", "11-2011.00"),
    ("Mid-Market Account Executive", "41-3091.00", "11-2011.00"),
    ("Strategic Account Executive", "41-3091.00", "11-2011.00"),
    ("Data Engineer", "15-1243.00", "15-2051.00"),  # O*NET's incumbents' own title
    ("Site Manager", "11-9021.00", "11-9199.09"),  # a building site, not a wind farm
    ("Early Years Practitioner", "39-9011.00", "25-2011.00"),  # no nurse practitioner
    ("Lab Technician", "29-2012.00", "19-4021.00"),  # the most numerous, still shared
    ("Veterinary Assistant", "31-9096.00", "29-2056.00"),  # no credentialled technician
    ("Room Attendant - Hilton", "37-2012.00", "39-3093.00"),  # guest rooms, not a locker room
    # clinical laboratory posts (ASCP MT and MLS, California CLS), not research scientists
    ("Medical Laboratory Scientist", "29-2011.00", "19-1042.00"),
    ("Clinical Laboratory Scientist (CLS) - Nights", "29-2011.00", "19-1022.00"),
    ("Medical Technologist", "29-2011.00", "19-1022.00"),
    ("Purchasing Agent", "13-1023.00", "13-1021.00"),  # purchasing in general, not farm
    ("Sales Associate - Part Time", "41-2031.00", "41-3091.00"),  # the store floor
    ("Substitute Teacher", "25-3031.00", "25-2031.00"),  # the SOC occupation named for it
    ("Lineman", "49-9051.00", "47-2111.00"),  # power lines, not buildings' wiring
    # doctors, not military officers or document managers (usajobs, nhs_jobs)
    ("Medical Officer - Direct Hire, GS-0602-13/15", "29-1229.00", "29-1215.00"),
    ("Locum Consultant", "29-1229.00", "29-1216.00"),
    # NHS care posts (nhs_jobs): were Computer User Support Specialists, Nurse
    # Practitioners, Hospitalists
    ("Senior Clinical Support Worker", "31-1131.00", "31-1122.00"),
    ("Band 5 Operating Department Practitioner", "29-2055.00", "29-1141.00"),
    ("Hospital Porter", "31-1132.00", "39-6011.00"),
    ("People Officer", "13-1071.00", "21-1092.00"),  # HR, not probation
    # review AB: O*NET's "Ecologist" is an industrial ecologist's; a UK "Stock Controller"
    # keeps stock records (its general and cardiothoracic surgeons: below)
    ("Ecologist", "19-2041.00", "19-2041.03"),
    ("Stock Controller", "43-5071.00", "53-7065.00"),
    # review AC: O*NET lists "Administrative Assistant" for executive assistants only and
    # "Administrator" for administrative services managers; on ads both do clerical work
    ("Administrative Assistant", "43-6014.00", "43-6011.00"),
    ("Staff Administrative Assistant", "43-6014.00", "43-6011.00"),
    ("Administrator - Band 2", "43-6014.00", "11-3012.00"),
    ("Admin Team Leader", "43-1011.00", "11-3012.00"),
    ("Internal Medicine Physician", "29-1216.00", "29-1243.00"),  # not a surgeon's title
])
def test_common_titles_go_to_the_role_the_ads_mean(title, role, not_role):
    matcher = role_matcher(SHIPPED)
    match = matcher.match(title)
    assert match.role == role, match
    # the role O*NET's listing pointed to stays an alternative
    assert not_role in {r for r, _, _ in matcher.alternatives(title, match.role)}


@pytest.mark.parametrize("title", ["General Surgeon", "Cardiothoracic Surgeon",
                                   "Thoracic Surgeon", "Vascular Surgeon", "Plastic Surgeon"])
def test_surgeons_of_adults_have_no_paediatric_alternative(title):
    # review AB: adults' surgeons; since 3.3.20 O*NET's paediatric (and orthopaedic) listing
    # is no alternative, which the description step had chosen for NHS surgical ads
    matcher = role_matcher(SHIPPED)
    match = matcher.match(title)
    assert match.role == "29-1249.00", match
    assert matcher.alternatives(title, match.role) == []


def test_an_override_marked_tail_also_ends_longer_titles_but_not_onet_s_own():
    matcher = role_matcher(SHIPPED)
    # was Mental Health Counselors, by the words "behavioral health"
    assert matcher.match("Behavioral Health Account Executive").role == "41-3091.00"
    # O*NET lists these longer titles: they keep their roles
    assert matcher.match("Advertising Account Executive").role == "11-2011.00"
    assert matcher.match("Wholesale Account Executive").role == "41-3031.00"
    assert matcher.match("Executive Administrative Assistant").role == "43-6011.00"
    assert matcher.match("Medical Administrative Assistant").role == "43-6013.00"
    # an override without the mark does not: "risk analyst" is Financial Risk Specialists
    assert matcher.match("Information Security Risk Analyst II").role == "15-1212.00"


@pytest.mark.parametrize(("title", "role"), [
    # an NHS doctor's grade, then " in " and the specialty: the grade alone had named
    # Physicians, All Other, and a registrar Receptionists and Information Clerks or
    # Medical Registrars (health information technologists)
    ("Senior Clinical Fellow (ST3+) in Cardiology", "29-1212.00"),
    ("Specialty Doctor in Ophthalmology", "29-1241.00"),
    ("Clinical Fellow in Cellular Pathology", "29-1222.00"),
    ("Registrar in Gastroenterology", "29-1216.00"),
    ("Specialty Registrar ST3+ in Obstetrics and Gynaecology", "29-1218.00"),
    ("Specialty Doctor/Senior Clinical Fellow in Acute General Medicine", "29-1216.00"),
    # a trust, junior or senior fellow is a doctor too (was Teaching Assistants,
    # Postsecondary)
    ("Trust Fellow in Paediatric Urology", "29-1229.03"),
    ("Trust Junior Fellow in Orthopaedic Trauma", "29-1242.00"),
    ("Consultant Physician in Dermatology", "29-1213.00"),  # was Hospitalists
    # a surgical specialty is its surgeon: was Orthopedic, Pediatric Surgeons
    ("Consultant in General Surgery", "29-1249.00"),
    ("Clinical Fellow in Plastic Surgery", "29-1249.00"),
    ("Senior Clinical Fellow in General / Cardiac Anaesthesia", "29-1211.00"),
    # a specialty registrar is a doctor in training, not a medical records registrar
    ("LAS Specialty Registrar General Surgery (ST3+)", "29-1249.00"),
    ("Public Health Specialty Registrar", "29-1229.00"),
    # UK general and acute medicine: was Physical Medicine and Rehabilitation Physicians
    ("Consultant in Medicine", "29-1216.00"),
    ("Trust Registrar in Acute Medicine", "29-1216.00"),
    # a longer O*NET title ending the post beats the override's tail "medicine physician"
    ("Specialty Doctor in Accident and Emergency Medicine", "29-1214.00"),
    ("Specialty Doctor in Adult Mental Health", "29-1223.00"),
    # O*NET's own "... Medicine Physician" titles keep their roles
    ("Consultant in Emergency Medicine", "29-1214.00"),
    ("Family Medicine Physician", "29-1215.00"),
    # doctors in training and trust doctors (shared listings): were Restaurant Cooks,
    # Foundry Mold and Coremakers, Physicians, All Other
    ("Specialty Trainee in Paediatrics", "29-1221.00"),
    ("Core Trainee in Psychiatry", "29-1223.00"),
    ("Core Training (CT1) in Anaesthetics and ACCS (Anaesthetics)", "29-1211.00"),
    ("Trust Doctor in Urology (FY2)", "29-1229.03"),
    ("Trust Doctor (ST1-2) in Acute Medicine", "29-1216.00"),
    # a locum appointment for service (was Middle School Teachers)
    ("LAS ST4+ in Psychiatry", "29-1223.00"),
    ("LAS ST3+ in Respiratory Medicine", "29-1216.00"),
    # a staff bank's consultant, and two grades joined by "and" (were Computer Systems
    # Analysts and Document Management Specialists)
    ("Bank Consultant in Medicine for the Elderly", "29-1216.00"),
    ("Consultant and Locum Consultant in Emergency Medicine", "29-1214.00"),
])
def test_nhs_doctors_posts_keep_their_specialty(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_ecologists_and_cabin_crew():
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Field Ecologist").role == "19-2041.00"  # the override's tail
    assert matcher.match("Industrial Ecologist").role == "19-2041.03"  # O*NET's own title
    # was Reservation and Transportation Ticket Agents
    assert matcher.match("Cabin Crew").role == "53-2031.00"


def test_a_doctor_s_grade_in_a_specialty_reads_as_its_physician_or_surgeon():
    assert posting_title("Senior Clinical Fellow (ST3+) in Cardiology") == "Cardiology physician"
    assert posting_title("Associate Specialist in Oral Surgery (Locum)") == "Oral surgeon"
    # a training level after the specialty is no part of it
    assert posting_title(
        "Specialty Training in Ophthalmology - Level One (ST1)") == "Ophthalmology physician"
    assert posting_title("Specialty Trainee in Neurosurgery ST1") == "Neurosurgery physician"
    # research fellows and lecturers are not read as doctors
    assert posting_title("Clinical Research Fellow in Neonatal Clinical Trials") == (
        "Clinical Research Fellow in Neonatal Clinical Trials")
    assert posting_title("Lecturer in Economics") == "Economics Lecturer"


@pytest.mark.parametrize(("title", "role"), [
    # UK public-sector "officers" are clerks and specialists: all had gone to Military
    # Officer Special and Tactical Operations Leaders, All Other
    ("Clerical Officer", "43-9061.00"),
    ("Project Support Officer", "13-1082.00"),
    ("Pensions Officer", "13-1141.00"),
    ("Treasury Officer", "11-3031.01"),
    ("Patient Experience Officer", "29-2099.08"),
    # was Air Crew Members; "Entry Level" was Infantry Officers
    ("Mover/Junk Hauler/Crew Member", None),
])
def test_military_and_police_roles_need_a_word_of_their_work(title, role):
    matcher = role_matcher(SHIPPED)
    match = matcher.match(title)
    if role is None:
        assert not match.role.startswith("55-"), match
    else:
        assert match.role == role, match
    # nor are they offered as alternatives
    assert not any(r.startswith("55-") for r, _, _ in matcher.alternatives(title, match.role))


def test_casino_surveillance_needs_a_word_of_gambling():
    matcher = role_matcher(SHIPPED)
    # public health surveillance (were Gambling Surveillance Officers and Gambling
    # Investigators)
    assert matcher.match("Infection Surveillance Nurse").role == "29-1141.00"
    assert matcher.match("Surveillance and Response HCA").role == "31-1131.00"
    # casino titles keep the role
    assert matcher.match("Casino Surveillance Officer").role == "33-9031.00"
    assert matcher.match("Surveillance Agent - Casino").role == "33-9031.00"


def test_military_and_police_titles_keep_their_roles():
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Infantry Officer").role == "55-1016.00"  # O*NET's own title
    assert matcher.match("Army Officer").role.startswith("55-")
    assert matcher.match("Senior Police Patrol Officer").role == "33-3051.00"
    assert matcher.match("Senior Correctional Officer").role == "33-3012.00"
    assert matcher.match("AIR OPERATIONS OFFICER (PILOT/NAV)").role.startswith("55-")
    # a title whose only near known titles are military ones gets no role (it had raised)
    assert not (matcher.match("Minesweeping").role or "").startswith("55-")


@pytest.mark.parametrize("title, role", [
    # a speculative application for a named post is that post's (shared listings: they had
    # got no role)
    ("DevOps Engineer - Open Application", "15-1252.00"),
    ("Data Engineer - Open Application", "15-1243.00"),
    ("Senior Enterprise Sales/Account Development Representative (Expression of Interest)",
     "41-3091.00"),
])
def test_an_open_application_for_a_named_post_is_read_as_the_post(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_an_employer_s_talent_pool_is_no_post_and_gets_no_role():
    # review AA's scan: five went to Equal Opportunity Representatives and Officers and
    # three to Talent Directors by word similarity
    matcher = role_matcher(SHIPPED)
    for title in ("Future Opportunities", "Go-to-Market General Opportunities",
                  "Talent Community Form", "Lawhive Talent Pool",
                  "General Application (insert job you excel at)",
                  "Future Builders – General Interest", "Other Profiles - Open Application",
                  "Join the Jump Engineering Talent Pool"):
        assert matcher.match(title).method == "none", title
    # ...but posts named with the word keep their role
    assert matcher.match("Equal Employment Opportunity Specialist").role == "13-1041.03"
    porter = matcher.match("Porter Opportunities")
    assert porter.role == "31-1132.00" and porter.confidence < 0.5, porter  # shared: 5 roles


def test_a_social_security_claims_specialist_sells_no_insurance():
    # usajobs_2017 (bundled snapshot): 36 ads of the federal series GS-0105 went to Insurance
    # Sales Agents by the word "insurance", and gave that role *computer programming*.
    titles = pl.Series(["Social Insurance Specialist (Claims Specialist)",
                        "Lead Social Insurance Specialist (Program Leader)",
                        "Social Insurance Specialist (Program Analyst) NTE 1 Year",
                        "Supervisory Social Insurance Specialist (TSC Director)"])
    found = assign_roles(titles, pl.Series([None] * 4, dtype=pl.String),
                         matcher=role_matcher(SHIPPED))
    # Eligibility Interviewers, Government Programs, then their first-line supervisors
    assert found["role"].to_list() == ["43-4061.00"] * 3 + ["43-1011.00"], found
    assert (found["role_confidence"].head(3) < MIN_ROLE_CONFIDENCE).all()  # claims examiners


@pytest.mark.parametrize(("title", "role"), [
    # ashby and LinkedIn (bundled snapshot): went to Engineers, All Other, Blockchain
    # Engineers, Microsystems Engineers and (iOS) Broadcast Technicians
    ("Senior Backend Engineer", "15-1252.00"),  # the criteria's, not O*NET's Web Developers
    ("Frontend Engineer | All Levels", "15-1254.00"),
    ("Fullstack Engineer, Selling", "15-1252.00"),
    ("Senior Full Stack Engineer | Voice", "15-1252.00"),
    ("Senior iOS Engineer - China", "15-1252.00"),
    ("Staff Android Engineer, Platform", "15-1252.00"),
    ("Sr. Mobile Engineer - AI (Remote)", "15-1252.00"),
    ("Senior Platform Engineer I", "15-1252.00"),
])
def test_software_engineers_titles_go_to_software_roles(title, role):
    found = assign_roles(pl.Series([title]), pl.Series([None], dtype=pl.String),
                         matcher=role_matcher(SHIPPED))
    assert found["role"][0] == role, found


def test_nhs_mental_health_posts_are_neither_nurse_practitioners_nor_social_workers():
    titles = pl.Series(["Psychological Wellbeing Practitioner (PWP)",
                        "Senior Psychological Wellbeing Practitioner",
                        "Band 5 Community Mental Health Nurse",
                        "Community Mental Health Nurse"])
    text = ("Deliver low intensity CBT interventions to patients with common mental health "
            "problems in the community; liaise with GPs, social workers and families.")
    found = assign_roles(titles, pl.Series([text] * 4), matcher=role_matcher(SHIPPED))
    assert found["role"].to_list()[:2] == ["21-1014.00"] * 2, found  # Mental Health Counselors
    # registered nurses, not the advanced-practice specialty O*NET lists the title for
    # (review AA)
    assert found["role"].to_list()[2:] == ["29-1141.00"] * 2, found


@pytest.mark.parametrize("title, role", [
    # ashby (shared listings): the English title in a bracket...
    ("高级软件工程师, JavaScript/TypeScript (Senior Software Engineer) (Remote)", "15-1252.00"),
    ("シニアバックエンドエンジニア, NodeJs (Senior Backend Engineer) (Remote)", "15-1252.00"),
    ("MLOps 工程師 (MLOps Engineer)", "15-1252.00"),
    ("高级 QA 自动化工程师 (Senior QA Automation Engineer) (Remote)", "15-1253.00"),
    # ... or beside the other script's
    ("AI 제품 책임자 (한국) | Product Lead, AI (Korea)", "11-2021.00"),
    ("Paid Search Manager 媒介购买员", "13-1161.01"),
])
def test_a_title_in_two_scripts_is_read_by_its_english_title(title, role):
    # they had gone to no role, the textile cutting machine setters or the inspectors
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize("title, role", [
    # NHS advanced practice and start-ups' sales and HR abbreviations (shared listings): they
    # had got no role, or an ECG nurse practitioner Microsystems Engineers
    ("ANP/ACP", "29-1171.00"),
    ("ACS/Arrhythmia ANP", "29-1171.00"),
    ("SDR, Mid-Market", "41-3091.00"),
    ("SDR Manager - OnRamp", "11-2022.00"),
    # O*NET lists the business development representative for the marketing specialists;
    # an ad's is a sales prospector, as the sales development representative (since 3.4.5)
    ("BDR, SMB (DACH)", "41-3091.00"),
    ("Senior HRBP, Operations", "13-1071.00"),
])
def test_an_abbreviated_title_is_read_written_out(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize("title, role", [
    # a line keyed on the abbreviation ("admin lead", "it security manager") applies once the
    # title's rank or site is taken off, which the matcher does after writing the
    # abbreviation out; these had gone to the secretaries and the information security analysts
    ("Admin Lead - Crystal Place Road", "43-1011.00"),
    ("Senior IT Security Manager", "11-3021.00"),
])
def test_a_line_keyed_on_an_abbreviation_applies_to_its_title_with_a_rank(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_line_s_written_out_key_leaves_o_net_s_title_of_the_same_role_as_o_net_has_it():
    # "ward sister" is written out "ward nurse", O*NET's title for the same role: its
    # confidence stays O*NET's, not the line's shared title's
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Ward Nurse").confidence == matcher.match("Registered Nurse").confidence


def test_the_nhs_service_manager_line_leaves_other_services_managers_as_they_were():
    # the line puts the health services managers first for NHS posts; unindexed, it does not
    # draw a start-up's client services heads by word similarity
    matcher = role_matcher(SHIPPED)
    for title in ("Head of Client Services", "Senior Manager, Client Services"):
        assert matcher.match(title).role != "11-9111.00", title


@pytest.mark.parametrize("title, role", [
    # shared listings' NHS and federal titles that got no role: a consultant "with general
    # interest" (read as a talent pool's "General Interest"), a direct hire's "DH - ",
    # junior doctors' grades (SHO, SpR), posts named by their initials
    ("Consultant Anaesthetist  with general interest", "29-1211.00"),
    ("DH - Clinical Pharmacist", "29-1051.00"),
    ("DH- Health Technician (Ophthalmology)", "29-2057.00"),
    ("Locum SHO in General Surgery", "29-1249.00"),
    ("Locum SPR in General Medicine", "29-1216.00"),
    ("Band 6 SLT", "29-1127.00"),
    ("BMS - Blood Sciences", "29-2011.00"),
    ("ODP - Scrub/Anaesthetics & Recovery (RGN)", "29-2055.00"),
    ("Band 8a Freedom to Speak Up Guardian", "13-1041.00"),
    ("VMO (Public Health) (Public Health Veterinarian)", "29-1131.00"),
])
def test_posts_that_got_no_role_get_their_own(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_registered_nurse_or_odp_post_stays_the_nurse_s():
    # the "odp" line has no tail: a theatre post open to both keeps its first-named role
    assert role_matcher(SHIPPED).match("Registered Nurse/ODP").role == "29-1141.00"


@pytest.mark.parametrize("title, role", [
    # NHS titles that open with the pay band (shared listings): the band went as noise and
    # left an empty first part, so they got no role at all
    ("Band 6 - Staff Nurse", "29-1141.00"),
    ("Band 6 - Occupational Therapist", "29-1122.00"),
    ("Band 6 - Radiographer", "29-2034.00"),
    ("Band 8b - General Manager", "11-1021.00"),
    ("Band 5 - Anaesthetics Practitioner - Theatres", "29-2055.00"),
])
def test_a_pay_band_before_the_title_is_no_part_of_it(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_stripped_title_is_its_first_part_left_once_the_band_is_gone():
    from transform.linking.roles import strip_title

    assert strip_title("Band 6 - Staff Nurse") == "staff nurse"
    assert strip_title("Staff Nurse - Band 6") == "staff nurse"


def test_a_chc_nurse_reviewer_stays_a_nurse_whatever_the_description():
    # the tail "nurse reviewer" let a description choose the nearest role by word
    # similarity, Health Informatics Specialists; the title's own line leaves no such choice
    matcher = role_matcher(SHIPPED)
    description = ("Review CHC care packages and patient records on the clinical information "
                   "system, audit data quality and report to the informatics team.")
    assert matcher.match("CHC Nurse Reviewer", description).role == "29-1141.00"


def test_a_technician_s_lead_is_no_software_tech_lead():
    # the unindexed "tech lead" lines do not draw a pharmacy's or a laboratory's leads
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Pharmacy Tech Lead").role == "29-2052.00"
    assert matcher.match("Senior Pharmacy Technical Lead").role == "29-2052.00"


def test_a_trade_s_title_o_net_also_files_elsewhere_is_read_as_the_trade():
    # pathways review BC: O*NET also lists "Tool Maker" under Mechanical Engineers, which
    # made it ambiguous (confidence 0.24); "Warehouse Team Leader" was read by similarity,
    # which offered Registered Nurses among six roles
    matcher = role_matcher(SHIPPED)
    tool_maker = matcher.match("Tool Maker")
    assert (tool_maker.role, matcher.alternatives("Tool Maker", tool_maker.role)) == (
        "51-4111.00", [])
    assert tool_maker.confidence >= 0.5
    # pathways review BH: Medical Scientists had stood beside the soil scientists
    soil = matcher.match("Soil Scientist")
    assert (soil.role, matcher.alternatives("Soil Scientist", soil.role)) == ("19-1013.00", [])
    team_leader = matcher.match("Warehouse Team Leader - Nights")
    assert (team_leader.role, team_leader.method) == ("53-1042.00", "cleaned")


def test_a_title_in_another_script_with_only_an_employer_s_name_gets_no_role():
    assert role_matcher(SHIPPED).match("캠퍼스 리드 - BeReal").role is None


def test_a_foreign_title_gets_no_role_by_word_similarity():
    from transform.linking.roles import without_foreign_guesses

    # ashby (bundled snapshot): German and French titles went to Manicurists and Pedicurists,
    # Travel Agents, Food Preparation Workers...; the English titles of such ads keep theirs
    # (a French accounts payable clerk's title comes near Massage Therapists)
    frame = pl.DataFrame({
        "title": ["Wohnmobil-Techniker (m/w/d)", "Comptable fournisseurs H/F",
                  "Sr. Demand Generation Lead - B2B SaaS", "Wohnmobil-Techniker"],
        "non_english": [True, True, True, False]})
    found = assign_roles(frame["title"], None, matcher=role_matcher(SHIPPED))
    assert (found["role_method"] == "similar").all(), found  # what the rule is about
    kept = without_foreign_guesses(frame.hstack(found), SHIPPED)
    assert kept["role"].is_null().to_list() == [True, True, False, False], kept
    assert kept["role_method"].to_list()[:2] == ["none", "none"]
    assert kept["role_confidence"].to_list()[:2] == [0.0, 0.0]


@pytest.mark.parametrize(("title", "role"), [
    # ashby, remoteok (bundled snapshot): were Sales Managers, Probation Officers, Airfield
    # Operations Specialists, Fabric and Apparel Patternmakers, Media Technical Directors
    ("Head of People", "11-3121.00"),
    ("People Partner", "13-1071.00"),
    ("People Operations Specialist", "13-1071.00"),
    ("Technical Sourcer", "13-1071.00"),
    ("HR Officer", "13-1071.00"),
])
def test_people_and_sourcers_are_human_resources(title, role):
    assert role_matcher(SHIPPED).match(posting_title(title)).role == role


def test_federal_appointment_terms_are_title_noise():
    assert posting_title("Data Transcriber **TEMPORARY NTE 1 YEAR**").strip(" *") == (
        "Data Transcriber")
    assert posting_title("Social Insurance Specialist (Program Analyst) NTE 1 Year") == (
        "Social Insurance Specialist (Program Analyst)")
    assert posting_title("Supervisory Paralegal Specialist Temporary") == (
        "Supervisory Paralegal Specialist")
    assert posting_title("DATA TRANSCRIBER *SEASONAL*").strip(" *") == "DATA TRANSCRIBER"
    # a business that is temporary staffing is no appointment term
    assert posting_title("Temporary Staffing Administrator") == "Temporary Staffing Administrator"


def test_nhs_support_worker_is_no_legal_support_worker():
    # nhs_jobs (bundled snapshot): a care role for adults with learning disabilities.
    match = role_matcher(SHIPPED).match("Support Worker – Learning Disabilities")
    assert not match.role.startswith("23-"), match
    assert match.role == "31-1122.00"  # Personal Care Aides
    # An NHS healthcare support worker (or assistant) does a nursing assistant's ward work.
    assert role_matcher(SHIPPED).match("Healthcare Support Worker").role == "31-1131.00"
    assert role_matcher(SHIPPED).match("Healthcare Assistant").role == "31-1131.00"


def test_an_occupation_s_own_title_in_the_singular_names_it():
    # "Customer Service Representative" is also an alternate title of Credit Authorizers,
    # Checkers, and Clerks; the occupation Customer Service Representatives is meant.
    for title, role in (("Customer Service Representative", "43-4051.00"),
                        ("Telephone Operator", "43-2021.00"),
                        ("Midwife", "29-9099.01"),  # list R: Midwives, not "midwive"
                        # list AA: only the head noun is plural ("facilitie manager" was
                        # no key), so O*NET's listing of "Facilities Manager" for office
                        # supervisors made the occupation's own title ambiguous
                        ("Facilities Manager", "11-3013.00"),
                        ("Sales Engineer", "41-9031.00"),
                        ("Robotics Technician", "17-3024.01")):
        match = role_matcher(SHIPPED).match(title)
        assert (match.role, match.confidence) == (role, 1.0), match
        assert role_matcher(SHIPPED).alternatives(title, role) == []


def test_published_role_confidence_is_right_most_of_the_time_on_labelled_postings():
    # Held-out half of the hand-labelled postings (benchmarks/role_postings: roles judged by
    # a reader; never used to fit the calibration), titles and the set's description heads.
    labels = pl.read_csv(ROOT / "benchmarks/role_postings/labels.csv",
                         schema_overrides={"record_id": pl.String, "role": pl.String})
    held = labels.filter((pl.col("split") == "heldout") & (pl.col("role") != ""))
    found = assign_roles(held["title"], held["description"], matcher=role_matcher(SHIPPED))
    right = found["role"] == held["role"]
    sure = found["role_confidence"] >= MIN_ROLE_CONFIDENCE
    assert sure.sum() >= 20
    assert right.filter(sure).mean() > 0.6  # "confident" means right most of the time
    assert right.filter(~sure).mean() < 0.5


def test_an_fbi_special_agent_is_a_criminal_investigator_not_a_tax_examiner():
    # usajobs (bundled snapshot): FBI "Special Agent - ... Background" ads went to Tax
    # Examiners and Collectors, and Revenue Agents, whose top skill they then made.
    text = ("FBI Special Agents apply their professional expertise and unique skill sets to "
            "investigate violations of federal law: counterterrorism, cyber crime, public "
            "corruption and violent crime cases, working with law enforcement partners.")
    for title in ("Special Agent", "Special Agent - Psychology/Counseling Background"):
        found = assign_roles(pl.Series([title]), pl.Series([text]), matcher=role_matcher(SHIPPED))
        assert found["role"][0] == "33-3021.00", found


@pytest.mark.parametrize(("title", "code"), [
    # Development half of benchmarks/role_postings (ashby, LinkedIn): the part before the
    # separator, or outside the bracket, names no occupation.
    ("Director | Product Marketing", "11-2021.00"),
    ("Staff Engineer (Geotechnical, Geological or Mining)", "17-2151.00"),
])
def test_a_title_part_that_names_no_occupation_does_not_decide_the_role(title, code):
    assert role_matcher(SHIPPED).match(title).role == code


def test_federal_pay_plans_are_title_noise():
    assert posting_title("Recreation Aid (Lifeguard) NF-01") == "Recreation Aid (Lifeguard)"
    assert posting_title("Environmental Coordination Assistant, GS-0303-7/8") == (
        "Environmental Coordination Assistant")
    assert posting_title("Budget Technician - Direct Hire Authority") == "Budget Technician"


@pytest.mark.parametrize(("title", "role"), [
    ("Director of Nursing", "11-9111.00"),  # was Education Administrators, All Other
    ("Head of Sales", "11-2022.00"),  # was Sales Representatives of Services
    ("VP of Engineering", "11-9041.00"),  # was Engineering Teachers, Postsecondary
    ("Senior Director of Finance", "11-3031.00"),  # was Education Administrators
    ("Head of IT", "11-3021.00"),  # was Computer User Support Specialists
    # an assistant or associate director is a director one rank down (were Nursing
    # Assistants and Licensed Practical Nurses), but a bare "Assistant Director" may be a
    # film's and keeps its word
    ("Assistant Director of Nursing", "11-9111.00"),
    ("Associate Director of Nursing (XR11)", "11-9111.00"),
])
def test_a_leaders_post_named_by_what_it_leads_goes_to_that_function_s_managers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_only_a_director_s_post_one_rank_down_loses_its_assistant():
    assert clean_title("Associate Nursing Director") == "nursing director"
    assert clean_title("Assistant Director") == "assistant director"
    assert clean_title("Nursing Assistant") == "nursing assistant"


@pytest.mark.parametrize(("title", "role", "was"), [
    # USAJOBS (snapshot: three such West Point ads): an academy's professor
    ("Assist/Assoc/Professor of Aerospace Engineering", "25-1032.00", "17-3021.00"),
    ("Professor of Aerospace Engineering", "25-1032.00", "17-3021.00"),
    # " in " before the subject is no place: "Lecturer" alone drew Health Specialties
    ("Lecturer in Economics", "25-1063.00", "25-1071.00"),
    ("Senior Lecturer in Law", "25-1112.00", "25-1071.00"),
])
def test_a_teachers_post_named_by_its_subject_goes_to_that_subjects_teachers(title, role,
                                                                              was):
    assert role_matcher(SHIPPED).match(title).role == role
    assert taught_first("Teacher of Mathematics") == "Teacher of Mathematics"  # a school's


def test_onet_s_own_director_of_titles_are_still_known_as_they_are():
    assert led_first("Senior Director of Nursing") == "Senior Nursing director"
    assert led_first("Professor of Economics") == "Professor of Economics"
    assert led_first("Chief of Staff") == "Chief of Staff"  # an override of its own
    assert role_matcher(SHIPPED).match("Chief of Staff").role == "11-1021.00"
    # O*NET's own "Director of ..." titles (18) go to a role O*NET lists them for
    titles = SHIPPED.titles().filter(pl.col("title").str.starts_with("Director of "))
    assert titles.height >= 10
    matcher = role_matcher(SHIPPED)
    for title, roles in titles.group_by("title").agg("role").iter_rows():
        assert matcher.match(title).role in roles, title


@pytest.mark.parametrize(("title", "role", "was"), [
    # pathways review W and a read of British titles: what a UK careers service means
    ("Shop Assistant - Weekends", "41-2031.00", "43-6014.00"),
    ("Sales Assistant", "41-2031.00", "41-9099.00"),
    ("Bin Man", "53-7081.00", "17-3031.00"),
    ("Joiner", "47-2031.00", "51-9199.00"),
    ("Gas Engineer", "49-9021.00", "17-2171.00"),
    ("Vehicle Technician", "49-3023.00", "49-3092.00"),
    ("Credit Controller", "43-3011.00", "11-3031.01"),
    ("HR Administrator", "43-4161.00", "11-3121.00"),
    ("Claims Handler", "13-1031.00", "43-9041.00"),
    ("Sales Executive", "41-3091.00", "11-1011.00"),
    ("Business Development Manager", "11-2022.00", "11-9199.10"),
    ("Lettings Negotiator", "41-9022.00", "23-1022.00"),
    ("Clerk of Works", "47-4011.00", "43-9061.00"),
    ("Removals Porter", "53-7062.00", "47-4041.00"),
    ("Band 6 Deputy Ward Manager - Tazetta Suite", "29-1141.00", "33-3051.00"),
    ("Ward Manager", "11-9111.00", "11-9199.00"),
    ("Care Home Manager", "11-9111.00", "11-9171.00"),
    ("Domiciliary Care Worker", "31-1121.00", "39-9011.00"),
    ("Commis Chef", "35-2014.00", "35-1011.00"),
    ("Hotel Porter", "39-6011.00", "43-4081.00"),
    ("Van Driver", "53-3033.00", "53-3032.00"),
    # NHS administrators (bands 2-4) by word similarity to O*NET's "Administrator"
    ("Ward Administrator", "43-6014.00", "11-3012.00"),
    ("Finance Administrator", "43-6014.00", "15-1299.01"),
    ("Administration Officer - Testing Team", "43-6014.00", "11-3012.00"),
    # NHS officers O*NET lists in another sense, or word similarity reads so
    ("Senior Communications Officer", "27-3031.00", "43-5031.00"),
    ("Programme Officer", "13-1082.00", "19-3099.01"),
    ("Estates Officer - Decontamination", "11-3013.00", "13-2072.00"),
    # NHS "practitioners" and practice nurses, which word similarity sent to Nurse
    # Practitioners (advanced practice nurses)
    ("Practice Nurse", "29-1141.00", "29-1171.00"),
    ("Primary Care Nurse - HMP YOI Exeter", "29-1141.00", "29-1171.00"),
    ("Assistant Practitioner - Band 4 - Ward F4", "31-1131.00", "29-1171.00"),
    ("Recovery Practitioner", "29-1141.00", "29-1171.00"),
    ("Perioperative Practitioner – ENT and General Scrub", "29-2055.00", "29-1171.00"),
    ("Advanced Physiotherapy Practitioner – Lincoln", "29-1123.00", "29-1171.00"),
    ("IAPT Remote Counselling for Depression Practitioner (723 RD)", "21-1014.00",
     "29-1171.00"),
    ("Band 6 CAMHS Practitioner", "21-1014.00", "29-1171.00"),
    ("Palliative Care Nurse", "29-1141.00", "29-1171.00"),
    # NHS posts O*NET lists in another sense
    ("Pathology Assistant - Specimen Reception", "29-2012.00", "31-9099.01"),
    ("Clinic Nurse - Band 5", "29-1141.00", "29-2061.00"),
    ("High Intensity CBT Therapist", "21-1014.00", "29-1129.01"),
    # a care coordinator manages no service (O*NET: Medical and Health Services Managers)
    ("Care Coordinator - Band 6", "29-2099.08", "11-9111.00"),
])
def test_british_titles_go_to_the_role_they_mean_in_the_uk(title, role, was):
    match = role_matcher(SHIPPED).match(title)
    assert match.role == role, (match, was)


def test_us_titles_keep_their_us_meaning():
    matcher = role_matcher(SHIPPED)
    # was Community and Social Service Specialists, All Other: manages a Social Security office
    assert matcher.match("Social Insurance Administrator (District Manager)").role == (
        "11-9151.00")
    # a GS-9 unit administrator (hand-labelled development posting), whatever NHS
    # administrators are
    assert matcher.match("Army Reserve Administrator").role == "11-3012.00"
    # a US police or 911 communications officer is a dispatcher still
    assert matcher.match("Police Communications Officer").role == "43-5031.00"
    # was Pharmacy Aides: a clinic pharmacist with prescribing authority
    assert matcher.match("Clinical Pharmacy Specialist").role == "29-1051.00"
    # a care coordinator is an ambiguous title, its clinical and managerial senses offered
    match = matcher.match("Care Coordinator")
    assert match.role == "29-2099.08" and match.confidence < 0.5
    assert {"21-1023.00", "29-1141.00", "11-9111.00"} <= {
        r for r, _, _ in matcher.alternatives("Care Coordinator", match.role)}


def test_a_psychologist_post_open_to_cbt_therapists_stays_a_psychologist_s():
    # "cbt therapist" has no tail: the post's first title leads
    assert role_matcher(SHIPPED).match(
        "Clinical/Counselling Psychologist or CBT Therapist").role == "19-3033.00"


def test_advanced_practice_nurses_keep_their_role_beside_the_nhs_practitioners():
    matcher = role_matcher(SHIPPED)
    for title in ("Advanced Practice Nurse", "Advanced Nurse Practitioner",
                  "Nurse Practitioner", "Primary Care Nurse Practitioner"):
        assert matcher.match(title).role == "29-1171.00", title


@pytest.mark.parametrize(("title", "role"), [
    ("Consultant Haematologist", "29-1229.00"),  # was Dermatologists
    ("Consultant Neurodevelopmental Community Paediatrician", "29-1221.00"),  # was planners
    ("Clinical Teaching Fellow in Obstetrics & Gynaecology", "29-1218.00"),
    # a British anaesthetist is a doctor, the US "anesthetist" a nurse anesthetist
    ("Locum Consultant Anaesthetist with interest in Obstetric Anaesthesia", "29-1211.00"),
    ("Counsellor", "21-1012.00"),  # as "Counselor"
    # pathways review BC: a windscreen is a windshield (refused, nearest the structural
    # metal fitters)
    ("Windscreen Fitter", "49-3022.00"),
    ("Mobile Windscreen Technician", "49-3022.00"),
])
def test_british_spellings_read_as_onet_spells_them(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_part_time_and_behavior_analysts_initials_are_no_parts_salesperson():
    matcher = role_matcher(SHIPPED)
    # "part" had sent it to Parts Salespersons, "BCBA" to Remote Sensing or foundry roles
    for title in ("Part-Time BCBA/BCaBA - Garnet Valley, PA", "Remote BCBA/BCaBA - New York",
                  "Founding BCBA"):
        assert matcher.match(title).role == matcher.match("Behavior Analyst").role, title
    assert matcher.match("sales assistant part time").role == "41-2031.00"
    assert clean_title("Full-time Receptionist") == "receptionist"


def test_a_hyphen_before_a_space_ends_the_title_as_a_spaced_dash_does():
    matcher = role_matcher(SHIPPED)
    # was Obstetricians and Gynecologists: the ward's specialty read as the job
    assert matcher.match("Band 7 Ward Manager- Gynaecology").role == "11-9111.00"
    assert matcher.match("Staff Nurse- Rheumatology and Lupus").role == "29-1141.00"
    # a first part that names no occupation still joins the next one
    assert matcher.match("Intern- Business Analytics").role == matcher.match(
        "Business Analytics Intern").role
    assert posting_title("Intern- Business Analytics") == "Business Analytics Intern"


@pytest.mark.parametrize(("title", "role"), [
    # NHS titles: "deputy" is a rank, not a sheriff's deputy
    ("Deputy Sister / Charge Nurse", "29-1141.00"),
    ("Deputy Lead Nurse (Children & Young People)", "29-1141.00"),
    ("Rapid Response Sister", "29-1141.00"),  # was Emergency Management Directors
    ("Sessional GP", "29-1215.00"),  # was Athletes and Sports Competitors
    ("Salaried GP or Partner", "29-1215.00"),  # was Accountants and Auditors
    ("Bank - MIU Emergency Nurse", "29-1141.00"),  # a staff bank's post, not Tellers
    ("Bank Outpatient HCA", "31-1131.00"),
    ("Consultant in Emergency Medicine", "29-1214.00"),  # was Computer Systems Analysts
    ("Consultant in General Paediatrics", "29-1221.00"),
    ("Band 6 Community Learning Disability Nurse", "29-1141.00"),  # no special education
])
def test_nhs_ranks_staff_banks_and_consultants_in_a_specialty(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_onet_s_own_deputy_titles_keep_their_roles():
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Deputy Sheriff").role in {"33-3051.00", "33-1012.00"}
    assert matcher.match("Deputy Jailer").role == "33-3012.00"
    assert matcher.match("Bank Teller").role == "43-3071.00"
    assert posting_title("Bank - MIU Emergency Nurse") == "MIU Emergency Nurse"
    assert posting_title("Consultant in Haematology") == "Haematology physician"


@pytest.mark.parametrize(("title", "role"), [
    # a federal student trainee trains for the bracket's work (was Teaching Assistants,
    # Postsecondary, at confidence 0.74)
    ("Student Trainee (Clerk/Office Automation)", "43-9061.00"),
    ("Student Trainee (Biological Science Technician)", "19-4021.00"),
    # O*NET lists "Matron" for prison officers and "Test Analyst" for aerospace engineers
    ("Matron - Critical Care TACC - Band 8a - Permanent", "11-9111.00"),
    ("Senior Test Analyst", "15-1253.00"),
])
def test_federal_trainees_matrons_and_test_analysts(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_chief_named_before_the_office_is_no_fire_chief():
    # "Chief" alone names no occupation: "DEPUTY CHIEF, OFFICE OF CYBER AND ENTERPRISE
    # OPERATIONS" had gone to First-Line Supervisors of Firefighting at confidence 0.74
    matcher = role_matcher(SHIPPED)
    cyber = matcher.match("DEPUTY CHIEF, OFFICE OF CYBER AND ENTERPRISE OPERATIONS")
    assert cyber.role != "33-1021.00" and cyber.confidence < 0.5
    assert matcher.match("Fire Chief").role == "33-1021.00"
    assert matcher.match("Deputy Chief").role == "33-1021.00"


@pytest.mark.parametrize("title", ["Consultant", "Manager", "Team Manager", "Associate",
                                   "Senior Practitioner", "Team Lead"])
def test_a_title_naming_only_a_rank_is_a_weak_guess(title):
    # Word similarity to O*NET's "Sales Consultant" or "Team Assembler" is no evidence of an
    # occupation: such titles stay out of the role profiles (confidence under 0.5; "Manager"
    # was at 0.5, "Team Lead" went to Team Assemblers at a matcher score of 0.44)
    assert calibrated_matcher().match(title).confidence < 0.5
    assert role_matcher(SHIPPED).match(title).confidence <= 0.5 * 0.85


def test_what_names_only_a_rank():
    assert names_rank_only("Senior Consultant") and names_rank_only("Deputy Team Lead")
    assert not names_rank_only("Sales Consultant")
    assert not names_rank_only("Executive Assistant")
    assert not names_rank_only("Assistant Practitioner")  # an NHS support grade (override)


@pytest.mark.parametrize(("title", "role"), [
    # the first part names only a rank, so the next one says the work (were Team Assemblers,
    # Animal Trainers, Computer Systems Analysts); a team lead of clerical workers is their
    # first-line supervisor
    ("Deputy Team Lead - District Nurse", "29-1141.00"),
    ("Team Lead | Executive Assistant", "43-1011.00"),
    ("Trainee / Senior Radiographer, Breast Imaging", "29-2034.00"),
    ("Team Supervisor - Electrical", "47-1011.00"),
    # a title that names work before the slash keeps it
    ("Executive Assistant / Office Manager", "43-6011.00"),
    # NHS cardiac and clinical physiologists record ECGs and echocardiograms (were Exercise
    # Physiologists); the exercise physiologist keeps its role
    ("Cardiac Physiologist", "29-2031.00"),
    ("Highly Specialised Cardiac Physiologist - Echocardiographer", "29-2031.00"),
    ("Senior Clinical Physiologist", "29-2031.00"),
    ("Clinical Exercise Physiologist", "29-1128.00"),
])
def test_a_rank_before_the_work_and_nhs_physiologists(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_consultants_in_a_specialty_are_its_physicians():
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Consultants in Gastroenterology").role.startswith("29-12")
    assert matcher.match("Consultants in Respiratory Medicine").role.startswith("29-12")
    assert matcher.match("Executive Assistant / Office Manager").method != "similar"


def test_a_rank_in_a_field_is_turned_round():
    # the " in " split kept "Analyst" alone: Financial and Investment Analysts for the
    # Congressional Research Service's policy analysts
    assert rank_first("Analyst in Agricultural Policy") == "Agricultural Policy Analyst"
    assert rank_first("Manager in Training") == "Manager in Training"
    assert rank_first("Research Fellow in Economics") == "Research Fellow in Economics"
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Analyst in Agricultural Policy").role == "19-3094.00"
    assert matcher.match("Specialist in Paediatric Dentistry").role.startswith("29-102")


@pytest.mark.parametrize(("title", "role"), [
    # a first part naming only a rank is read after the field the next part names, as
    # O*NET names posts (were Validation Engineers and Engineers, All Other)
    ("Staff Engineer, Site Reliability", "15-1252.00"),
    ("Director, Engineering - Billing & MSP", "11-9041.00"),
    # O*NET lists "Demand Generation Manager" for Hydroelectric Production Managers
    ("Sr. Demand Generation Manager", "11-2021.00"),
])
def test_the_field_before_the_rank_and_demand_generation(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # the people a service is for are no human resources (were HR managers and specialists)
    ("Children and Young People's Nurse", "29-1141.00"),
    ("Head of People", "11-3121.00"),
    # NHS assessors and children's nurses are registered nurses (were Appraisers and
    # Assessors of Real Estate and Childcare Workers)
    ("CHC Nurse Assessor", "29-1141.00"),
    ("Clinical Assessor", "29-1141.00"),
    ("Community Children's Nurse", "29-1141.00"),
    ("Nursery Nurse", "39-9011.00"),
    # O*NET's "Service Manager" is first a landscaping supervisor's by word overlap; the
    # line makes it the health services managers', as on the NHS posts that bear it
    # (3.3.28; the mechanics' supervisors before, now its first alternative)
    ("Service Manager", "11-9111.00"),
])
def test_people_served_assessors_children_s_nurses_and_service_managers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_doctor_for_older_people_is_a_physician():
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Consultant in Medicine for Older People").role.startswith("29-12")
    lawn = matcher.match("Service Manager", "Lead our lawn care and landscaping crews: mowing, "
                         "irrigation, tree care, schedule crews and visit customer properties.")
    assert lawn.role == "37-1012.00"


@pytest.mark.parametrize(("title", "role"), [
    # a US federal interdisciplinary post names no work of its own; its bracket does (were
    # Postsecondary Teachers, All Other, O*NET's "Interdisciplinary Professor")
    ("INTERDISCIPLINARY (ENGINEER)", "17-2199.00"),
    ("Interdisciplinary (Engineer/Physical Scientist)", "17-2199.00"),
    ("Interdisciplinary Project Manager", "13-1082.00"),
    ("Interdisciplinary Professor", "25-1199.00"),
    # a bare engineer is no blockchain engineer
    ("Engineer", "17-2199.00"),
    # a federal graduates' programme's post is its bracket (were Computer Programmers)
    ("DHA RECENT GRADUATES PROGRAM (MANAGEMENT ANALYST)", "13-1111.00"),
    ("DON PATHWAYS INTERNSHIP PROGRAM (STUDENT TRAINEE - PIPEFITTER)", "47-2152.00"),
])
def test_federal_interdisciplinary_posts_and_graduates_programmes(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_programme_s_bracket_that_names_no_work_is_not_the_post():
    assert posting_title("Student Externship Program (Non-Paid)") == (
        "Student Externship Program (Non-Paid)")


@pytest.mark.parametrize(("title", "role"), [
    # O*NET's shared titles whose word-overlap tie-break chose bellhops, animal trainers and
    # artists' agents; NHS titles word similarity sent to unrelated roles
    ("Bank Porter", "31-1132.00"),
    ("Clinical Trainer", "13-1151.00"),
    ("Dog Trainer", "39-2011.00"),
    ("Practice Business Manager", "11-3012.00"),
    ("Band 3 Business Support", "43-6014.00"),
    ("Bank Level 5 Learning Disabilities Nurse", "29-1141.00"),
    ("Complex Discharge Facilitator", "29-1141.00"),
    ("Recovery Worker", "21-1093.00"),
    # a staff bank's post written without a space after the dash (was Tellers)
    ("Bank -Inpatient Healthcare Assistant", "31-1131.00"),
    ("Bank Teller", "43-3071.00"),
])
def test_nhs_porters_trainers_business_managers_and_recovery_workers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_plural_title_is_its_known_singular():
    # "Cleaners (Bank Hours)" went to Cleaners of Vehicles and Equipment by similarity; as
    # the known "cleaner" it is a janitor's post, and a plural of a shared title is as
    # uncertain as the singular
    matcher = calibrated_matcher()
    assert matcher.match("Cleaners (Bank Hours)").role == "37-2011.00"
    plural, singular = matcher.match("Support Workers"), matcher.match("Support Worker")
    assert plural.role == singular.role and plural.confidence <= singular.confidence
    assert plural.method == "cleaned"


@pytest.mark.parametrize(("title", "role"), [
    # development postings read for their errors (were Loan Officers, Skincare Specialists,
    # Tax Examiners and Collectors, and Revenue Agents)
    ("PMO Officer", "13-1082.00"),
    ("Nurse Injector", "29-1141.00"),
    ("Revenue Enablement", "13-1151.00"),
])
def test_a_pmo_a_nurse_injector_and_sales_enablement(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # the head noun names the work: NHS nurses went to Substance Abuse Counselors, Clinical
    # Research Coordinators and Ambulance Drivers, a physiotherapist to Nurse Practitioners,
    # a US federal helper to Industrial Machinery Mechanics
    ("Substance Misuse Nurse - HMP Leeds", "29-1141.00"),
    ("Research Nurse Band 5", "29-1141.00"),
    ("Emergency Care Nurse - Emergency Department", "29-1141.00"),
    ("Advanced Practitioner Physiotherapist", "29-1123.00"),
    ("Industial Equipment Maintenance Helper/Trainee - Direct Hire Authority", "49-9098.00"),
    # O*NET's "Histopathologist" is a medical scientist; on NHS ads, a pathologist
    ("Consultant Histopathologist", "29-1222.00"),
])
def test_the_head_noun_names_the_work(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_the_head_noun_puts_no_military_role_first():
    # "crewmember" lets a title reach military roles, and Artillery and Missile Crew Members
    # has titles ending in it; a wildland fire crew is firefighters'
    title = "Wildland Fire Module Crewmember (Forestry Technician)"
    assert role_matcher(SHIPPED).match(title).role == "33-2011.00"


def test_a_rank_at_the_end_is_no_head_noun():
    # "advisor" ends the titles of 61 roles, among them Personal Financial Advisors: as a head
    # noun it would send the NHS 111 clinical advisors there
    matcher = role_matcher(SHIPPED)
    assert matcher.match("111 Clinical Advisor - Ipswich").role != "13-2052.00"
    assert matcher.match("Operating Department Practitioner").role == "29-2055.00"


@pytest.mark.parametrize("title", [
    # NHS consultants named after their specialty went to Travel Agents, Computer
    # Occupations, All Other, Business Continuity Planners and Critical Care Nurses
    "Colorectal Consultant", "Stroke Consultant", "Haematology Consultant", "CAMHS Consultant",
    "Consultant - Virology", "Locum Paediatric Intensive Care Consultant", "ENT Consultant",
])
def test_a_consultant_named_after_a_medical_specialty_is_its_doctor(title):
    assert role_matcher(SHIPPED).match(title).role.startswith("29-12")


@pytest.mark.parametrize("title", [
    "IT Development Consultant", "Nurse Consultant - Rheumatology", "Oncology Sales Consultant",
    "Entry Level Oracle Financial Technology Consultant", "Improvement Consultant",
])
def test_other_consultants_are_no_doctors(title):
    assert not role_matcher(SHIPPED).match(title).role.startswith("29-12")


@pytest.mark.parametrize(("title", "role"), [
    # so are a registrar, a clinical fellow and a specialty doctor named after it, before or
    # after the grade (were Medical Registrars, the clerks, and Physicians, All Other)
    ("General Surgery Registrar", "29-1249.00"),
    ("Specialty Doctor - Urology", "29-1229.03"),
    ("Clinical Fellow - Ophthalmology", "29-1241.00"),
    ("Speciality Doctor - Obstetrics and Gynaecology", "29-1218.00"),
    # a post "in" something else is read as before
    ("Specialty Doctor - CESR Development post in General Adult Psychiatry", "29-1229.00"),
])
def test_a_registrar_fellow_or_specialty_doctor_named_after_the_specialty(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # NHS 111 clinical advisors (were Clinical Research Coordinators) and theatre nurses
    # (were Nurse Practitioners and Nurse Anesthetists) are registered nurses
    ("111 Clinical Advisor - Remote Working (Nurse/Paramedic/Pharmacist)", "29-1141.00"),
    ("Operating Department Practitioner/Anaesthetic Nurse", "29-1141.00"),
    ("Senior Anaesthetic Nurse/ODP", "29-1141.00"),
    ("Theatre Practitioner/Theatre Nurse", "29-1141.00"),
])
def test_clinical_advisors_and_theatre_nurses(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # O*NET files an endoscopy registered nurse under Endoscopy Technicians; NHS infection
    # prevention nurses went to Epidemiologists, respiratory physiotherapists and
    # physicians to Respiratory Therapists
    ("Endoscopy Staff Nurse", "29-1141.00"),
    ("Infection Prevention and Control Nurse", "29-1141.00"),
    ("Community Respiratory Physiotherapist", "29-1123.00"),
    ("Respiratory Consultant", "29-1229.00"),
])
def test_endoscopy_and_infection_nurses_and_respiratory_posts(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # NHS pharmacy technicians that name no pharmacy (were Managers, All Other and Electrical
    # and Electronic Engineering Technologists) and hospital play specialists (were Security
    # Management Specialists)
    ("Medicines Management Technician - Pharmacy", "29-2052.00"),
    ("Band 5 Accredited Checking Technician", "29-2052.00"),
    ("Bank Play Specialist - Band 5", "39-9011.00"),
])
def test_pharmacy_technicians_and_play_specialists(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_support_post_goes_to_the_support_occupation():
    # held out of the index, as the accuracy check does: word similarity found the
    # professionals the assistants work for
    titles = {"Funeral Home Assistant": "39-4021.00", "Library Aide": "43-4121.00"}
    matcher = RoleMatcher(SHIPPED, holdout=set(titles))
    assert {t: matcher.match(t).role for t in titles} == titles


def test_a_support_post_needs_a_word_of_the_work():
    # "Customer Assistant" shares no word with Secretaries and Administrative Assistants
    matcher = RoleMatcher(SHIPPED, holdout={"Customer Assistant"})
    assert matcher.match("Customer Assistant").role != "43-6014.00"


@pytest.mark.parametrize(("title", "role"), [
    # AI engineers and members of technical staff build software (were Computer and
    # Information Research Scientists and Chemical Technicians); solutions consultants of
    # software firms are sales engineers (were Sustainability Specialists)
    ("Senior AI Engineer (Paris only)", "15-1252.00"),
    ("Applied AI Engineer | All Levels", "15-1252.00"),
    ("Member of Technical Staff, Backend", "15-1252.00"),
    ("Principal Solutions Consultant | Enterprise", "41-9031.00"),
    # AI researchers and scientists stay research scientists
    ("AI Research Scientist", "15-1221.00"),
    ("Applied AI Researcher, Post-Training", "15-1221.00"),
])
def test_ai_engineers_technical_staff_and_solutions_consultants(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_known_title_before_a_colon_is_the_post():
    # the whole title went to word similarity: Validation Engineers
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Site Reliability Engineer: Postgres").role == "15-1252.00"
    # a rank alone before the colon is no post ("Director" is O*NET's Producers and Directors)
    assert matcher.match("Director: Security").role != "27-2012.00"


@pytest.mark.parametrize(("title", "role"), [
    # O*NET's "Tiler" lays vinyl floors (Floor Layers, Except ... Hard Tiles); a bookseller
    # had no role (pathways review AG)
    ("Wall and Floor Tiler", "47-2044.00"),
    ("Bookseller", "41-2031.00"),
])
def test_tilers_and_booksellers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # a vice president named before the function is its director (was Chief Executives, or
    # word similarity on "Human Resources VP": Human Resources Specialists)
    ("Vice President, Public Relations", "11-2032.00"),
    ("VP, Human Resources (Private Equity)", "11-3121.00"),
    ("VP - Finance", "11-3031.00"),
    # a vice president alone stays a chief executive
    ("Vice President", "11-1011.00"),
])
def test_a_vice_president_before_the_function(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # a US federal supervisor of a trade, service or clerical post is its first-line
    # supervisor (were Firefighters, Police and Sheriff's Patrol Officers, Medical
    # Secretaries)
    ("Supervisory Wildland Firefighter (Supervisory Range/Forestry Technician)", "33-1021.00"),
    ("SUPERVISORY POLICE OFFICER", "33-1012.00"),
    ("Supervisory Medical Support Assistant", "43-1011.00"),
    # a supervisor of professionals keeps the profession
    ("Supervisory Civil Engineer (DEU-MW)", "17-2051.00"),
    ("Supervisory Intelligence Specialist", "33-3021.06"),
])
def test_a_federal_supervisory_post(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # an "X Supervisor", "X Foreman" or "X Team Lead(er)" of trade, service, sales or clerical
    # workers is their first-line supervisor, as the labelling criteria code it (were
    # Janitors, Maids, Aircraft Mechanics, Plumbers' helpers, Bookkeeping Clerks, Customer
    # Service Representatives, Wholesale Sales Representatives)
    ("CUSTODIAL WORKER SUPERVISOR (HOUSEKEEPING SUPERVISOR)", "37-1011.00"),
    ("Domestic Supervisor - Band B1", "37-1011.00"),
    ("AIRCRAFT MECHANIC SUPERVISOR", "49-1011.00"),
    ("Plumbing Worker Supervisor (Plumbing Worker Foreman)", "47-1011.00"),
    ("Accounts Payable Team Leader (India)", "43-1011.00"),
    ("Customer Service Team Lead", "43-1011.00"),
    ("Sales Team Lead Asia-Pacific", "41-1012.00"),
    # a supervisor of professionals keeps the match it had
    ("Clinical Supervisor", "11-9111.00"),
    ("Nurse Supervisor", "11-9111.00"),
])
def test_a_supervisor_or_team_leader_of_workers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # back-end engineers build services: software developers, as "Software Engineer, Backend"
    # (O*NET files "Back End Engineer" under Web Developers); front-end ones stay web developers
    ("Staff Back-end Engineer (Golang) - Finance", "15-1252.00"),
    ("Backend Software Engineer (Python)", "15-1252.00"),
    ("backend Java developer", "15-1252.00"),
    ("Senior Frontend Engineer, Design Systems", "15-1254.00"),
    # a start-up's product engineer writes software (was Mechanical Engineers)
    ("Founding Product Engineer", "15-1252.00"),
    ("Product Engineer (x/f/m) - Claims Management", "15-1252.00"),
    # an enterprise account executive sells services or software (was Sales Representatives,
    # Wholesale and Manufacturing)
    ("Enterprise Account Executive | DACH", "41-3091.00"),
    # a software company's staff engineer writes software (O*NET: Computer Hardware Engineers)
    ("Staff Engineer", "15-1252.00"),
    # a start-up's founding engineer too (was Engineers, All Other)
    ("Founding Engineer - Anchor AI", "15-1252.00"),
    # "founding" names no work: the rest of the title does (were Foundry Mold and Coremakers,
    # Commercial and Industrial Designers)
    ("Founding, Enterprise Customer Success Manager", "11-2022.00"),
    ("Founding Product Designer", "15-1255.00"),
])
def test_software_companies_engineers_and_account_executives(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # a company's "talent" is its recruiting: human resources, not casting directors or the
    # agents of performers
    ("Head of Talent", "11-3121.00"),
    ("Director of Talent", "11-3121.00"),
    ("Sr. Talent Partner - Tech", "13-1071.00"),
    ("Talent Partner (Senior Recruiter)", "13-1071.00"),
    ("Talent Lead", "13-1071.00"),
    # a voice talent wanted for recordings is a voice actor
    ("Voice Talent Required - Hindi", "27-2011.00"),
    # an analytics director leads analysts and data scientists, not a data warehouse
    ("Director of Analytics, Credit Products", "15-2051.00"),
    ("Head of Analytics", "15-2051.00"),
    # a transplant surgeon operates on adults too (O*NET: Pediatric Surgeons only)
    ("Physician (Transplant Surgeon)", "29-1249.00"),
    ("Consultant Renal Transplant Surgeon", "29-1249.00"),
    # a marketing executive or administrator on ads is a marketing specialist
    ("Marketing Executive", "13-1161.00"),
    ("Digital Marketing Executive", "13-1161.00"),
    ("Marketing Administrator", "13-1161.00"),
    # an organisation's communications assistant does public relations work (O*NET: speech
    # pathology assistants; "Communications Assistant Professor": the teachers)
    ("Communications Assistant", "27-3031.00"),
    ("Marketing and Communications Assistant", "27-3031.00"),
    # and a marketing assistant supports campaigns (was Sales Managers, the teachers)
    ("Sales and Marketing Assistant (Graduate)", "13-1161.00"),
    ("Communications and Marketing Assistant", "13-1161.00"),
    # partnerships posts sell and grow deals with partner firms (O*NET lists no such title:
    # Sports Medicine Physicians, Online Merchants, Directors of Religious Activities)
    ("Sports Partnerships Lead", "41-3091.00"),
    ("Commercial Partnerships - France", "41-3091.00"),
    ("Director, Ecosystem Partnerships", "41-3091.00"),
    ("Partnerships Manager (f/m/d)", "41-3091.00"),
    ("Head of Partnerships", "11-2022.00"),
    # but a GP post "with a view to partnership" stays a GP's
    ("Salaried GP with a view to Partnership", "29-1215.00"),
    # customer experience posts answer customers or lead those who do (were Hairdressers,
    # O*NET's "Salon Customer Experience Specialist", and Web and Digital Interface Designers)
    ("Customer Experience Specialist", "43-4051.00"),
    ("Customer Experience Team Lead (Night Shift)", "43-1011.00"),
    # NHS patient transport drivers and ambulance care assistants crew non-emergency
    # ambulances (were Heavy and Tractor-Trailer Truck Drivers, Personal Care Aides)
    ("Patient Transport Driver", "53-3011.00"),
    ("PTS Care Assistant - Bank (Northamptonshire)", "53-3011.00"),
    ("BANK Ambulance Care Assistant - Sussex", "53-3011.00"),
    # an NHS GP or clinical practice's manager (were office supervisors, family physicians)
    ("Practice Manager", "11-9111.00"),
    ("GP Practice Manager", "11-9111.00"),
    # a CCTV operator watches cameras (was Telecommunications Line Installers and Repairers)
    ("CCTV Operator", "33-9032.00"),
    # a Scrum product owner is coded as a product manager (was General and Operations
    # Managers)
    ("Product Owner - Core Payments", "11-2021.00"),
    # a community nursery nurse is no registered nurse (the community nurse line below)
    ("Community Nursery Nurse", "39-9011.00"),
    # a nurse coach is a registered nurse (was Coaches and Scouts, by the head noun)
    ("Nurse Coach", "29-1141.00"),
    # pathways review AJ: a data protection officer (was Security Guards), an invigilator
    # (Private Detectives and Investigators), an energy assessor (real estate appraisers), an
    # NHS substance misuse practitioner (Nurse Practitioners)
    ("Data Protection Officer", "11-9199.02"),
    ("Invigilator", "25-9042.00"),
    ("Domestic Energy Assessor", "47-4011.01"),
    ("Substance Misuse Practitioner", "21-1011.00"),
    # pathways review AK and the NHS listings: a childminder (was Registered Nurses; a bare
    # "Childminder" was under every cut), a nursery practitioner (Nurse Practitioners), a
    # ward host or ward catering assistant (restaurant hosts, fast food workers), a medical
    # PA (Physician Assistants), a contracts manager (Transportation, Storage, and
    # Distribution Managers), a tenancy sustainment officer (Chief Sustainability Officers),
    # a duty manager (Gambling Managers)
    ("Ofsted Registered Childminder", "39-9011.00"),
    ("Nursery Practitioner (Band 3)", "39-9011.00"),
    ("Ward Host", "35-3041.00"),
    ("Ward Catering Assistant", "35-3041.00"),
    ("Medical PA", "43-6013.00"),
    ("Medical Personal Assistant", "43-6013.00"),
    ("Senior Contracts Manager - Band 8a", "11-3061.00"),
    ("Tenancy Sustainment Officer", "21-1093.00"),
    ("Duty Manager", "11-1021.00"),
    # and from the NHS and start-up listings: a UK nursing associate does a US licensed
    # practical nurse's work (were Nursing Assistants and Registered Nurses), a community
    # practitioner is a public health nurse (Nurse Practitioners), a theatre team leader a
    # theatre nurse (Managers, All Other), a forward deployed engineer writes software
    # (Engineers, All Other), a technical program manager runs IT projects (General and
    # Operations Managers)
    ("Band 4 Nursing Associate", "29-2061.00"),
    ("Registered Nurse Associate - District Nursing", "29-2061.00"),
    ("Community Practitioner", "29-1141.00"),
    ("Theatre Team Leader", "29-1141.00"),
    ("Forward Deployed Engineer (US)", "15-1252.00"),
    ("Technical Program Manager, Hardware", "15-1299.09"),
    # pathways review AL: a postal worker or UK "postie" carries the mail (were Postal
    # Service Clerks under every cut, and Paperhangers)
    ("Postal Worker", "43-5052.00"),
    ("Postie", "43-5052.00"),
    # pathways review AM: a UK call handler dispatches ambulances (was Laborers and Freight,
    # Stock, and Material Movers), a debt adviser (Personal Financial Advisors), a door
    # supervisor (first-line supervisors of material movers, then of security workers by
    # the supervisors' rule), a tax inspector (Inspectors, Testers, Sorters), a traffic
    # warden (Fish and Game Wardens), a civil enforcement officer (police officers), a
    # residential care worker (Psychiatric Aides), a medical physicist (Medical Scientists),
    # a beauty therapist (Hairdressers), a buyer (buyers of farm products)
    ("Call Handler (Band 2)", "43-5031.00"),
    ("Debt Adviser", "13-2071.00"),
    ("SIA Door Supervisor", "33-9032.00"),
    ("Tax Inspector", "13-2081.00"),
    ("Traffic Warden", "33-3041.00"),
    ("Civil Enforcement Officer", "33-3041.00"),
    ("Residential Care Worker", "39-9041.00"),
    ("Medical Physicist", "19-2012.00"),
    ("Beauty Therapist", "39-5094.00"),
    ("Buyer", "13-1023.00"),
    # pathways review AN and the UK titles read beside it: a building control officer
    # (Animal Control Workers), a building control surveyor (land Surveyors), a painter and
    # decorator (factory decorating workers), a decorator (Production Workers, All Other), a
    # trading standards officer (Chief Executives), a refuse loader (tank car loaders), credit
    # control (Credit Analysts, Animal Control Workers), a valeter (Parking Attendants), a
    # leisure assistant (Medical Assistants), a gym instructor (nursing teachers), a train
    # guard (Crossing Guards), a signaller (signal repairers), an MOT tester (factory
    # inspectors), a social media, PR or events executive (Chief Executives)
    ("Building Control Officer", "47-4011.00"),
    ("Senior Building Control Surveyor", "47-4011.00"),
    ("Painter and Decorator", "47-2141.00"),
    ("Painter & Decorator", "47-2141.00"),
    ("Decorator", "47-2141.00"),
    ("Trading Standards Officer", "13-1041.00"),
    ("Refuse Loader", "53-7081.00"),
    ("Credit Control Assistant", "43-3011.00"),
    ("Credit Control Officer", "43-3011.00"),
    ("Car Valeter", "53-7061.00"),
    ("Leisure Assistant", "39-3091.00"),
    ("Leisure Centre Assistant", "39-3091.00"),
    ("Gym Instructor", "39-9031.00"),
    ("Train Guard", "53-4031.00"),
    ("Railway Signaller", "53-4022.00"),
    ("Track Worker", "47-4061.00"),
    ("MOT Tester", "49-3023.00"),
    ("Social Media Executive", "13-1161.00"),
    ("PR Executive", "27-3031.00"),
    ("Events Executive", "13-1121.00"),
    # and US titles: a bellman (Production Workers, All Other), a fulfillment associate and a
    # merchandiser (Online Merchants), a promoter (Community Health Workers), a CNA (Home
    # Health Aides), a dispatcher (power dispatchers), an owner operator (General and
    # Operations Managers), a factory technician (medical laboratory technicians)
    ("Bellman", "39-6011.00"),
    ("Fulfillment Associate", "53-7062.00"),
    ("Merchandiser", "27-1026.00"),
    ("Promoter", "41-9011.00"),
    ("CNA", "31-1131.00"),
    ("Dispatcher", "43-5032.00"),
    ("Owner Operator", "53-3032.00"),
    ("Factory Technician - 2nd Shift", "51-9199.00"),
    # school, nursery and care posts: subject teachers (the postsecondary teachers of the
    # subject; "Science Teacher" Social Sciences Teachers, Postsecondary), an English teacher
    # abroad (English literature professors), a headteacher (Elementary School Teachers), a
    # cover supervisor (production supervisors), a SENCo (Remote Sensing Scientists), a
    # nursery manager (farm managers), a room leader (non-retail sales supervisors), a
    # nursery assistant (Secretaries), a play worker (Production Workers, All Other), a GP
    # receptionist (Family Medicine Physicians), a youth support worker (Personal Care
    # Aides), a homelessness officer (Animal Control Workers)
    ("Science Teacher", "25-2031.00"),
    ("History Teacher", "25-2031.00"),
    ("English Teacher", "25-2031.00"),
    ("Maths Teacher", "25-2031.00"),
    ("English Teacher Abroad", "25-3011.00"),
    ("Headteacher", "11-9032.00"),
    ("Deputy Headteacher", "11-9032.00"),
    ("Cover Supervisor", "25-3031.00"),
    ("SENCo", "25-2056.00"),
    ("Day Nursery Manager", "11-9031.00"),
    ("Baby Room Leader", "25-2011.00"),
    ("Nursery Assistant", "39-9011.00"),
    ("Play worker", "39-9011.00"),
    ("Part-time GP Receptionist", "43-4171.00"),
    ("Youth Support Worker", "21-1093.00"),
    ("Homelessness Officer", "21-1093.00"),
    # software teams' posts: a QA engineer (Validation Engineers), an SDET (Sailors and Marine
    # Oilers), an SRE (no role), a helpdesk engineer (Engineers, All Other), a delivery
    # manager and a relationship manager (the transportation and public relations managers)
    ("Senior QA Engineer", "15-1253.00"),
    ("Quality Assurance Engineer", "15-1253.00"),
    ("SR. SDET - E-Commerce", "15-1253.00"),
    ("Software Development Engineer in Test", "15-1253.00"),
    ("Senior SRE", "15-1252.00"),
    ("Helpdesk Engineer", "15-1232.00"),
    ("Delivery Manager", "15-1299.09"),
    ("Relationship Manager, Japan", "41-3091.00"),
    # trades, construction, warehouse and factory posts: a plumbing and heating engineer
    # (plumbers' helpers), a lift engineer and a CCTV engineer (Engineers, All Other), a steel
    # fixer (Industrial Machinery Mechanics), a dryliner (Underground Mining Machine
    # Operators), a groundworker (landscapers), a digger driver (Construction Laborers), a
    # reach truck driver (heavy truck drivers), a goods-in operative (Production Workers, All
    # Other), a transport manager (Orderlies), a production operative (expediting clerks), a
    # food production operative (Food Service Managers), a toolmaker (production helpers), a
    # line leader (Assemblers and Fabricators, All Other), a mechanical fitter (structural
    # metal fitters), a process engineer (Civil Engineers)
    ("Plumbing and Heating Engineer", "47-2152.00"),
    ("Lift Engineer", "47-4021.00"),
    ("CCTV Engineer", "49-2098.00"),
    ("Steel Fixer", "47-2171.00"),
    ("Dryliner", "47-2081.00"),
    ("Groundworker", "47-2061.00"),
    ("Digger Driver", "47-2073.00"),
    ("Reach Truck Driver", "53-7051.00"),
    ("Goods In Operative", "43-5071.00"),
    ("Transport Manager", "11-3071.00"),
    ("Production Operative", "51-9199.00"),
    ("Food Production Operative", "51-3092.00"),
    ("Toolmaker - Direct Hire Authority", "51-4111.00"),
    ("Line Leader", "51-1011.00"),
    ("Mechanical Fitter", "49-9041.00"),
    ("Process Engineer", "17-2112.00"),
    # a till operator (still machine setters), a PCSO (Security Guards)
    ("Till Operator", "41-2011.00"),
    ("PCSO", "33-9099.00"),
    # pathways review AO: a Border Force officer (Special Forces Officers), a coastguard, a
    # lunchtime supervisor and a pharmacovigilance scientist (refused), a court usher
    # (theatre ushers), a shelf stacker (hand laborers and movers)
    ("Border Force Officer", "33-3051.04"),
    ("Coastguard", "33-9099.00"),
    ("Lunchtime Supervisor", "39-9011.00"),
    ("Pharmacovigilance Scientist", "13-1041.07"),
    ("Court Usher", "33-3011.00"),
    ("Shelf Stacker", "53-7065.00"),
    # US health and federal titles: a utilization review nurse (Health Informatics
    # Specialists), a CMA (Home Health Aides), a contracting officer (Administrative Law
    # Judges), a logistics management specialist (transportation managers)
    ("Utilization Review Nurse", "29-1141.00"),
    ("CMA", "31-9092.00"),
    ("Contracting Officer", "13-1023.00"),
    ("Logistics Management Specialist, GS-0346-5/7", "13-1081.00"),
    # energy, arts and public posts: a cable jointer (woodworking machine setters), an
    # electrical fitter (electricians' helpers), a smart meter engineer (Electrical
    # Engineers), a gas fitter (repairers' helpers), a museum assistant (Secretaries), a box
    # office assistant (Office Clerks), a press officer (press machine setters), a campaigns
    # officer, a community development worker (Urban and Regional Planners), a peer support
    # worker (Personal Care Aides)
    ("Cable Jointer", "49-9051.00"),
    ("Electrical Fitter", "47-2111.00"),
    ("Smart Meter Engineer", "49-9012.00"),
    ("Gas Fitter", "47-2152.00"),
    ("Museum Assistant", "25-4013.00"),
    ("Box Office Assistant", "41-2011.00"),
    ("Press Officer", "27-3031.00"),
    ("Campaigns Officer", "27-3031.00"),
    ("Community Development Worker", "21-1099.00"),
    ("Safe Space Peer Support Worker", "21-1093.00"),
    # pathways review AP and the ad titles read beside it
    ("Stockbroker", "41-3031.00"),
    ("Recycling Operative", "53-7062.04"),
    ("Waste Operative", "53-7081.00"),
    ("Health and Safety Advisor", "19-5011.00"),
    ("HSE Adviser", "19-5011.00"),
    ("Glass Collector", "35-9011.00"),
    ("Night Porter", "43-4081.00"),
    ("Sports Therapist", "29-9091.00"),
    ("Cinema Assistant", "39-3031.00"),
    ("Holiday Rep", "39-7011.00"),
    ("Merchant Navy Officer", "53-5021.00"),
    ("Harbour Master", "53-5021.00"),
    ("Dumper Driver", "47-2073.00"),
    ("Telehandler Operator", "53-7051.00"),
    ("Warehouse Supervisor", "53-1042.00"),
    ("CRM Manager", "11-2021.00"),
    ("Senior Salesforce Administrator", "15-1211.00"),
    ("Lead Motion Designer", "27-1014.00"),
    ("Internal Comms Manager", "11-2032.00"),
    ("Lash Technician", "39-5094.00"),
    ("Dental Therapist", "29-1292.00"),
    ("Optical Consultant", "29-2081.00"),
    ("Dispensing Assistant", "31-9095.00"),
    ("Night Carer", "31-1122.00"),
    ("Blood Donor Carer", "31-9097.00"),
    ("Heat Pump Engineer", "49-9021.00"),
    ("EV Charger Installer", "47-2111.00"),
    ("Handyperson", "49-9071.00"),
    ("Site Agent", "47-1011.00"),
    ("Setting Out Engineer", "17-2051.00"),
    ("BIM Coordinator", "17-3011.00"),
    ("Kitchen Fitter", "47-2031.00"),
    ("Shopfitter", "47-2031.00"),
    ("Water Network Operative", "47-2151.00"),
    ("Air Conditioning Engineer", "49-9021.00"),
    ("Air Conditioning Equipment Mechanic", "49-9021.00"),
    ("HGV Technician", "49-3031.00"),
    ("HGV Fitter", "49-3031.00"),
    ("Motor Vehicle Technician", "49-3023.00"),
    ("Plant Fitter", "49-3042.00"),
    ("Postwoman", "43-5052.00"),
    ("Council Tax Officer", "13-2081.00"),
    ("Democratic Services Officer", "43-4031.00"),
    ("Committee Clerk", "43-4031.00"),
    ("NVQ Assessor", "13-1151.00"),
    ("ESOL Teacher", "25-3011.00"),
    ("Early Years Educator", "25-2011.00"),
    ("PE Teacher", "25-2031.00"),
    ("Legal Executive", "23-2011.00"),
    ("Keyholder", "41-1011.00"),
    ("Event Steward", "33-9032.00"),
    ("Custody Officer", "33-3012.00"),
    ("Mobile Patrol Officer", "33-9032.00"),
    ("Ecology Consultant", "19-2041.00"),
    ("Bid Coordinator", "27-3042.00"),
    ("Tender Coordinator", "27-3042.00"),
    ("Bid Manager", "13-1199.00"),
    ("Customer Advisor", "43-4051.00"),
    ("Print Finisher", "51-5113.00"),
    ("Furniture Maker", "51-7011.00"),
    ("Dairy Herdsperson", "45-2093.00"),
    ("Pig Stockperson", "45-2093.00"),
    ("Cattery Assistant", "39-2021.00"),
    ("Jockey", "27-2021.00"),
    ("Fishmonger", "51-3022.00"),
    ("Cafe Assistant", "35-3023.00"),
    ("Tea Room Assistant", "35-3023.00"),
    ("Banqueting Assistant", "35-3041.00"),
    ("Wedding Coordinator", "13-1121.00"),
    # pathways review AQ
    ("Fire Risk Assessor", "33-2021.00"),
    ("Radio Presenter", "27-3011.00"),
    ("TV Presenter", "27-3011.00"),
    ("Port Operative", "53-7062.00"),
    ("Dock Operative", "53-7062.00"),
    ("Store Detective", "33-9099.02"),
    ("EV Installer", "47-2111.00"),
    ("Master Electrician", "47-2111.00"),
    ("Safeguarding Advisor", "21-1021.00"),
    ("Designated Safeguarding Lead", "21-1021.00"),
    ("Adult Safeguarding Lead", "21-1022.00"),
    ("Safeguarding Children Lead", "21-1021.00"),
    ("Deputy Head of Safeguarding", "11-9151.00"),
    ("Safeguarding Manager - City & Hackney", "11-9151.00"),
    ("Cancer MDT Co-ordinator", "43-6013.00"),
    ("Dermatology Waiting List Co-ordinator", "43-6013.00"),
    ("Patient Pathway Coordinator - Radiotherapy", "43-6013.00"),
    ("Rota Co-Ordinator - Surgery", "43-3051.00"),
    ("LILT | Italian AI Content Experts", "27-3091.00"),
    ("Locum Consultant in Infectious Diseases", "29-1229.00"),
    ("Infectious Disease Physician", "29-1229.00"),
    ("Clinical Teaching Fellow - Neurology", "29-1229.00"),
    ("Senior Training Fellow in Cardiology", "29-1229.00"),
    ("CSW - Student Nurse", "29-1141.00"),
    # pathways review AR
    ("Senior Animal Technician", "31-9096.00"),
    ("Signwriter", "51-9123.00"),
    ("Scaffolding Supervisor", "47-1011.00"),
    ("Welfare Rights Officer", "21-1093.00"),
    # pathways review AS
    ("Picture Framer", "51-2099.00"),
    ("Bespoke Picture Framer", "51-2099.00"),
    ("L&D Manager", "11-3131.00"),
    ("Senior L&D Manager", "11-3131.00"),
    # UK ad titles read beside review AS
    ("Bar Supervisor", "35-1012.00"),
    ("Revenue Protection Inspector", "53-4031.00"),
    ("Station Assistant", "43-4181.00"),
    ("Bus Station Controller", "43-5032.00"),
    ("Traffic Marshal", "33-9091.00"),
    ("Banksman", "47-2061.00"),
    ("Slinger Signaller", "49-9096.00"),
    ("CMM Programmer", "51-9061.00"),
    ("Apprenticeship Skills Coach", "13-1151.00"),
    ("Internal Verifier", "13-1151.00"),
    ("Employability Coach", "21-1012.00"),
    ("Contact Lens Optician", "29-2081.00"),
    ("Lift Service Engineer", "47-4021.00"),
    ("Passenger Lift Fitter", "47-4021.00"),
    ("Building Services Engineer", "17-2141.00"),
    ("Toolroom Technician", "51-4111.00"),
    ("Community Safety Officer", "33-9099.00"),
    # US health, retail and logistics ad titles
    ("Revenue Cycle Specialist", "43-3021.00"),
    ("Surgical Scheduler", "43-6013.00"),
    ("Unit Secretary", "43-6013.00"),
    ("Behavioral Health Technician", "29-2053.00"),
    ("Peer Recovery Coach", "21-1093.00"),
    ("Recovery Support Specialist", "21-1093.00"),
    ("Yard Jockey", "53-7051.00"),
    ("Yard Driver", "53-7051.00"),
    ("Environmental Services Technician", "37-2011.00"),
    ("Loss Prevention Associate", "33-9099.02"),
    ("Patient Care Technician", "31-1131.00"),
    # office, data and policy ad titles
    ("Data Steward", "15-1243.00"),
    ("Data Architect", "15-1243.00"),
    ("Senior GRC Analyst", "13-1041.00"),
    ("Senior GRC Engineer", "15-1299.05"),
    ("IAM Analyst", "15-1212.00"),
    ("Identity and Access Management Analyst", "15-1212.00"),
    ("Localisation Specialist", "27-3091.00"),
    ("Virtual Assistant", "43-6014.00"),
    ("Policy Officer", "19-3094.00"),
    ("Housing Policy Officer", "19-3094.00"),
    ("Monitoring and Evaluation Officer", "13-1111.00"),
    # pathways review AT
    ("French Polisher", "51-7021.00"),
    ("Pub Manager", "11-9051.00"),
    ("Stenographer", "27-3092.00"),
    # O*NET's airport "Operations Specialist", "Coordinator", "Officer" and "Agent"
    ("Operations Coordinator", "13-1199.00"),
    ("Senior Operations Coordinator", "13-1199.00"),
    ("Sales Operations Specialist", "13-1199.00"),
    ("User Operations Specialist, EMEA", "13-1199.00"),
    # start-ups' strategy posts
    ("Founder's Associate Intern (f/m/d)", "13-1111.00"),
    ("Strategy & Operations Lead", "13-1111.00"),
    ("Strategy and Operations, Senior Associate | Housing", "13-1111.00"),
    ("Strategy Associate", "13-1111.00"),
    ("Founding Strategic Finance", "13-2051.00"),
    ("Strategic Finance Associate", "13-2051.00"),
    # O*NET's property developers' advocate and the 911 operators' telecommunications
    ("Developer Advocate (f/m/d)", "15-1252.00"),
    ("Telecommunications Specialist, GS-0391-12", "15-1241.01"),
    # the US Veterans Health Administration's diagnostic equipment technicians
    ("Medical Instrument Technician-Direct Hire Authority", "29-2099.00"),
    ("Medical Instrument Technician (Polysomnography)", "29-2099.01"),
    ("Medical Instrument Technician (Cardiac Catheterization)", "29-2031.00"),
    # pathways review AU
    ("Saddler", "51-6041.00"),
    ("Flight Dispatcher", "43-5032.00"),
    ("Orthodontic Therapist", "29-1292.00"),
    ("Cheesemonger", "41-2031.00"),
    # UK school, council and charity ad titles
    ("Exams Officer", "43-9199.00"),
    ("Pastoral Manager", "21-1012.00"),
    ("Head of Year", "25-2031.00"),
    ("Behaviour Mentor", "25-9042.00"),
    ("HLTA", "25-9042.00"),
    ("Supply Teacher", "25-3031.00"),
    ("Lecturer in Nursing", "25-1072.00"),
    ("Widening Participation Officer", "21-1012.00"),
    ("Technician Demonstrator", "25-9044.00"),
    ("Benefits Assessor", "43-4061.00"),
    ("Planning Enforcement Officer", "13-1041.00"),
    ("Countryside Officer", "19-1031.00"),
    ("Registration Officer", "43-4031.00"),
    ("Early Help Practitioner", "21-1021.00"),
    ("Senior Reablement Assistant", "31-1122.00"),
    ("Day Centre Officer", "21-1093.00"),
    ("Refuge Worker", "21-1093.00"),
    ("Charity Shop Manager", "41-1011.00"),
    ("Trusts and Foundations Manager", "13-1131.00"),
    # UK trades and utilities ad titles
    ("Commercial Gas Engineer", "49-9021.00"),
    ("Tarmac Operative", "47-2071.00"),
    ("Car Transporter Driver", "53-3032.00"),
    ("Cleaning Operative", "37-2011.00"),
    ("Conservatory Installer", "47-2121.00"),
    ("Car Sales Executive", "41-2031.00"),
    ("Workshop Controller", "49-1011.00"),
    ("Cladder", "47-2211.00"),
    ("Leadworker", "47-2181.00"),
    ("Damp Proofer", "47-4099.00"),
    ("Battery Storage Engineer", "17-2071.00"),
    ("EV Technician", "49-3023.00"),
    ("Gas Network Engineer", "47-2152.00"),
    ("Cathodic Protection Engineer", "17-2131.00"),
    ("Fibre Technician", "49-9052.00"),
    # US trades and farm ad titles
    ("Heavy Equipment Operator", "47-2073.00"),
    ("Dozer Operator", "47-2073.00"),
    ("Loader Operator", "47-2073.00"),
    ("Refrigeration Technician", "49-9021.00"),
    ("Dairy Worker", "45-2093.00"),
    ("Packing House Worker", "53-7064.00"),
    ("Line Lead", "51-1011.00"),
    # pathways review AV
    ("Conveyancer", "23-2011.00"),
    ("Licensed Conveyancer", "23-2011.00"),
    ("Conveyancing Assistant", "23-2011.00"),
    ("Conveyancing Fee Earner", "23-2011.00"),
    ("Residential Conveyancing Solicitor", "23-1011.00"),
    # UK legal, property and insurance ad titles
    ("Litigation Executive", "23-2011.00"),
    ("Costs Draftsman", "23-2099.00"),
    ("Claims Assessor", "13-1031.00"),
    ("Account Handler", "41-3021.00"),
    ("Lettings Manager", "11-9141.00"),
    ("Block Manager", "11-9141.00"),
    ("Valuer", "13-2023.00"),
    ("Building Surveyor", "47-4011.00"),
    ("Commercial Surveyor", "13-2023.00"),
    ("Assistant Quantity Surveyor", "13-1051.00"),
    # ports, ships and warehouses
    ("Second Engineer", "53-5031.00"),
    ("Engine Room Rating", "53-5011.00"),
    ("Tug Master", "53-5021.00"),
    ("Straddle Carrier Driver", "53-7051.00"),
    ("Despatch Operative", "53-7064.00"),
    ("Night Shift Warehouse Operative", "53-7065.00"),
    # health, justice and language posts
    ("Drug Safety Specialist", "13-1041.07"),
    ("Medical Science Liaison", "19-1042.00"),
    ("Theatre Technician", "27-4011.00"),
    ("Theatre Support Worker", "31-1131.00"),
    ("Mortuary Technician", "31-9099.00"),
    ("Anatomical Pathology Technologist", "31-9099.00"),
    ("Youth Justice Worker", "21-1092.00"),
    ("Offender Manager", "21-1092.00"),
    ("Operational Support Grade", "33-3012.00"),
    ("Climate Scientist", "19-2021.00"),
    ("Subtitler", "27-3092.00"),
    ("Headstone Fixer", "47-2022.00"),
    # IT and cyber security managers
    ("IT Security Manager", "11-3021.00"),
    ("Cyber Security Manager", "11-3021.00"),
    # O*NET titles the employment tie-break gives to a role few ads mean
    ("Caseworker", "21-1021.00"),
    ("Production Associate", "51-2092.00"),
    ("Assembly Technician", "51-2092.00"),
    ("Building Engineer", "49-9071.00"),
    ("Health Unit Coordinator", "43-6013.00"),
    ("Research Engineer, Applied AI", "15-1221.00"),
    ("Senior Network Engineer", "15-1241.00"),
    ("Supply Technician", "43-5071.00"),
    ("Administrative Officer", "11-3012.00"),
    ("Equipment Specialist", "13-1081.00"),
    ("Aircraft Electrician", "49-2091.00"),
    ("Content Strategist", "27-3031.00"),
    ("Creative Director", "27-1011.00"),
    ("Communications Manager", "11-2032.00"),
    ("Marketing Coordinator", "13-1161.00"),
    ("Tax Specialist", "13-2011.00"),
    # frequent titles under the profiles' cut in the bulk listings
    ("Engineering Manager", "11-3021.00"),
    ("Senior Software Engineering Manager", "11-3021.00"),
    ("Surface Maintenance Mechanic", "49-3042.00"),
    ("Electronic Integrated Systems Mechanic", "49-2091.00"),
    ("Child and Youth Program Assistant", "39-9011.00"),
    ("Cognitive Behavioural Therapist", "21-1014.00"),
    ("Therapeutic Radiographer", "29-1124.00"),
    # pathways review AW
    ("Water Bailiff", "33-3031.00"),
    ("Fishery Officer", "33-3031.00"),
    ("Maritime Operations Officer", "43-5031.00"),
    ("Wine Merchant", "41-2031.00"),
    ("Cake Maker", "51-3011.00"),
    ("Taxidermist", "27-1012.00"),
    # museum, foundry, media, science and farm ad titles
    ("Gallery Assistant", "39-3031.00"),
    ("Collections Assistant", "25-4013.00"),
    ("Moulder", "51-4071.00"),
    ("Glazing Operative", "47-2121.00"),
    ("Colourist", "27-4032.00"),
    ("GIS Officer", "15-1299.02"),
    ("Fisheries Scientist", "19-1023.00"),
    ("Livestock Technician", "45-2093.00"),
    ("Bus Captain", "53-3052.00"),
    ("Money Advice Caseworker", "13-2071.00"),
    # posts their source makes unlikely for the role they had (NHS and start-up ads)
    ("Band 3 Decontamination Technician", "31-9093.00"),
    ("Senior House Officer", "29-1229.00"),
    ("SATO - ECG Technician", "29-2031.00"),
    ("Nurse Floorwalker - Glasgow", "29-1141.00"),
    ("CHC Assessor", "29-1141.00"),
    ("Patient Services Assistant", "37-2011.00"),
    ("Senior HR Advisor", "13-1071.00"),
    ("Data Entry Administrator", "43-9021.00"),
    ("Business Administration Apprentice", "43-9061.00"),
    ("Band 7 Category Manager", "11-3061.00"),
    ("Commissioning Manager - Electrical", "11-9021.00"),
    # start-ups' posts O*NET lists for another trade
    ("Paid Media Manager (Remote US) - Future Opening", "11-2011.00"),
    ("Head of Paid Media - Startups (Remote US)", "11-2011.00"),
    ("GTM Engineer (London)", "13-1161.00"),
    ("Computer Vision Engineer", "15-1221.00"),
    ("VFX Artist - Card Factory", "27-1014.00"),
    ("Senior Technical Artist - Mob Control", "27-1014.00"),
    ("Facilities Tech II, Compounding", "49-9071.00"),
    ("Paid Digital Media Manager (Remote Canada) - Future Opening", "11-2011.00"),
    ("Influencer Manager", "11-2021.00"),
    ("Web Automation Engineer", "15-1252.00"),
    # US federal posts O*NET lists for a narrower role
    ("Staff Psychologist (Outpatient)", "19-3033.00"),
    ("Inventory Management Specialist", "13-1081.00"),
    ("CYP Operations Clerk", "43-9061.00"),
    ("Child and Youth Program Operations Clerk", "43-9061.00"),
    ("Interim Pharmacy Manager", "29-1051.00"),
    ("Senior IT Support Technician", "15-1232.00"),  # a line written out as the matcher reads it
    # pathways review AX
    ("Dry Liner", "47-2081.00"),
    ("Tenancy Officer", "11-9141.00"),
    ("Information Governance Officer", "13-1041.00"),
    ("Head of Information Governance", "11-9199.02"),
    ("Senior Information Governance Business Partner", "13-1041.00"),
    ("Outdoor Instructor", "39-9032.00"),
    # pathways review AY
    ("Crematorium Technician", "39-4012.00"),
    ("Ecology Surveyor", "19-2041.00"),
    ("Hygiene Therapist", "29-1292.00"),
    ("Senior Packaging Technologist", "17-2112.00"),
    ("Parcel Sorter", "53-7062.00"),
    ("Pattern Cutter", "51-6092.00"),
    ("Records Manager", "15-1299.03"),
    ("Welfare Benefits Adviser", "21-1093.00"),
    ("Key Cutter", "49-9094.00"),
    # pathways review AZ
    ("Asbestos Surveyor", "19-4042.00"),
    ("Cladding Installer", "47-2031.00"),
    ("Cleaning Supervisor", "37-1011.00"),
    ("Costume Maker", "51-6052.00"),
    ("Garment Technologist", "27-1022.00"),
    ("Route Planner", "13-1081.02"),
    ("Screen Printer", "51-5112.00"),
    ("Senior Trust and Safety Specialist", "13-2099.04"),
    ("Cruise Ship Steward", "37-2012.00"),
    # pathways review BA
    ("Abattoir Worker", "51-3023.00"),
    ("Deal Desk Analyst", "13-2051.00"),
    ("Exam Officer", "43-9199.00"),
    ("Offshore Medic", "29-2043.00"),
    ("Porter Supervisor", "53-1042.00"),
    ("Revenue Operations Manager", "11-2022.00"),
    ("Forklift Instructor", "13-1151.00"),
    # pathways review BB
    ("Curtain Wall Fitter", "47-2121.00"),
    ("Ductwork Installer", "47-2211.00"),
    ("Food Safety Officer", "45-2011.00"),
    ("Quarry Manager", "47-1011.00"),
    ("Road Sweeper", "53-7062.00"),
    ("Yacht Crew", "53-5011.00"),
    # pathways review BC
    ("Market Trader", "41-9091.00"),
    ("Mental Health Support Worker - Tyler Ward", "31-1133.00"),
    ("Senior Mental Health Support Worker", "31-1133.00"),
    # pathways review BD
    ("Dinner Lady", "35-9011.00"),
    ("Street Food Trader", "41-9091.00"),
    ("Boom Operator", "27-4014.00"),
    ("Data Labeller", "43-9021.00"),
    ("Multilingual Data Annotation Specialist", "43-9021.00"),
    ("Employment Adviser", "21-1012.00"),
    ("IPS Employment Specialist - Band 5", "21-1015.00"),
    # NHS posts word similarity read as another trade's (shared listings)
    ("Ward Leader", "29-1141.00"),
    ("Independent Prescriber", "29-1051.00"),
    ("CAMHS Specialist Non-Medical Prescriber", "29-1171.00"),
    ("Anaesthetic Associate", "29-1071.00"),
    ("Associate Specialist", "29-1229.00"),
    ("Macmillan Cancer Care Co-ordinator", "29-2099.08"),
    ("Service Manager - Community CAMHS", "11-9111.00"),
    # start-ups' software leads (were the environmental science and geological technicians,
    # Engineering Teachers, Postsecondary, Managers, All Other)
    ("Tech Lead - Platform", "15-1252.00"),
    ("Technical Lead (Rust/C++)", "15-1252.00"),
    ("Engineering Lead", "11-3021.00"),
    ("Tech Lead Manager, Core Product", "11-3021.00"),
    # US federal posts (were teachers, securities agents, media directors, recreation
    # supervisors)
    ("Health Science Specialist", "11-9121.01"),
    ("Research Health Science Specialist", "19-1042.00"),
    ("FINANCIAL SERVICES TECHNICIAN", "43-3031.00"),
    ("CDC Director - Small or Medium CDC", "11-9031.00"),
    ("Automotive Worker Supervisor (Automotive Worker Foreman)", "49-1011.00"),
    # pathways review BE
    ("Data Cabling Engineer", "49-2022.00"),
    ("Deli Assistant", "35-2021.00"),
    ("Foley Artist", "27-4014.00"),
    ("Gravedigger", "53-7062.00"),
    ("Housing Needs Officer", "21-1093.00"),
    ("Newsreader", "27-3011.00"),
    ("Piano Teacher", "25-3021.00"),
    ("Prompt Engineer", "15-1252.00"),
    ("Victim Support Worker", "21-1093.00"),
    ("Wildlife Ranger", "19-1031.03"),
    # more NHS posts (were Document Management Specialists, Personal Financial Advisors,
    # Fundraisers)
    ("ENT Specialist", "29-1229.00"),
    ("Independent Sexual Violence Advisor", "21-1093.00"),
    ("Specialist Nurse Organ Donation/Requester", "29-1141.00"),
    ("Student Recruitment Officer", "21-1012.00"),  # pathways review BF
    # NHS assessors (were Appraisers and Assessors of Real Estate, the first at 0.90)
    ("Specialist Assessor", "29-1141.00"),
    ("Generic Assessor", "29-1122.00"),
    ("Home1st Assessor", "29-1122.00"),
    ("Care Act Assessor", "21-1093.00"),
    ("PCN Care Coordinator", "29-2099.08"),
    # start-ups' workplace and deployment posts (were Occupational Health and Safety
    # Technicians, Lodging Managers, Radio Frequency Identification Device Specialists)
    ("Sr. Workplace Coordinator", "43-6014.00"),
    ("Workplace Experience Manager", "11-3013.00"),
    ("Deployment Engineer", "15-1252.00"),
    ("Field Deployment Engineer", "15-1252.00"),
    # pathways review BG
    ("AI Trainer", "43-9021.00"),
    ("Bereavement Officer", "43-6013.00"),
    ("Hedge Layer", "37-3011.00"),
    ("Launderette Assistant", "51-6011.00"),
    ("Sports Scientist", "29-1128.00"),
    ("Typesetter", "51-5111.00"),
    # pathways review BH
    ("Family Court Adviser", "21-1021.00"),
    ("Service Designer", "15-1255.00"),
    ("Weaver", "51-6063.00"),
    # titles earlier pathways reviews typed, refused (were Heavy Truck Drivers, Data
    # Scientists, Driver/Sales Workers, Financial Managers, the medical records specialists,
    # Flight Attendants)
    ("7.5 Tonne Driver", "53-3033.00"),
    # (an analytics engineer: Data Warehousing Specialists since 3.4.4, as the labelled
    # postings' readers code one, building the warehouse's models)
    ("Analytics Engineer", "15-1243.01"),
    ("Delivery Rider", "43-5021.00"),
    ("Finance Officer", "43-3031.00"),
    ("Registrar of Births", "43-4031.00"),
    ("Lifeboat Crew", "53-5011.00"),
    # NHS posts the industry step showed (were the telecoms installers, Library Assistants
    # three times, the catch-all practitioners)
    ("Bank Telephonist (Grade A)", "43-2011.00"),
    ("Sterile Services Assistant", "31-9093.00"),
    ("Domestic Services Assistant - Porter", "37-2012.00"),
    ("Senior Assistant Technical Officer - Cytolab", "29-2012.00"),
    ("Principal Public Health Practitioner - Tobacco Control", "21-1091.00"),
    # pathways review BI (the safety technicians)
    ("Occupational Health Advisor", "29-1141.00"),
    # pathways review BJ (refused twice; Photonics Technicians)
    ("Piling Operative", "47-2072.00"),
    ("Insolvency Practitioner", "13-2011.00"),
    ("Fibre Optic Technician", "49-9052.00"),
    # pathways review BK (refused twice; Farmers, Ranchers, and Other Agricultural Managers)
    ("Revenue Protection Ticket Inspector", "53-6061.00"),
    ("Education Welfare Officer", "21-1021.00"),
    ("Aquaculture Technician", "45-2093.00"),
    # pathways review BL (refused; Couriers and Messengers, the explosives workers, Traffic
    # Technicians)
    ("Scenic Painter", "27-1013.00"),
    ("Diplomat", "19-3094.00"),
    ("Shotblaster", "51-9021.00"),
    ("Traffic Management Operative", "47-4051.00"),
    # pathways review BM (titles O*NET shares, the tie-break's choice: the technicians, the
    # hand laborers)
    ("Pharmacy Clerk", "31-9095.00"),
    ("Produce Clerk", "53-7065.00"),
    # pathways review BN (office supervisors, the athletes; refused twice; Health and Safety
    # Engineers)
    ("Script Supervisor", "27-2012.00"),
    ("Assistant Golf Professional", "27-2022.00"),
    ("Mine Worker", "47-5041.00"),
    ("Tarmac Layer", "47-2061.00"),
    ("Leak Detection Technician", "51-9061.00"),
    # pathways review BO (electricians, travel ticket agents, production supervisors,
    # Managers, All Other, pipelayers; refused)
    ("Gaffer", "27-4015.00"),
    ("Repo Agent", "43-3011.00"),
    ("Midday Supervisor", "39-9011.00"),
    ("Bed Manager", "11-9111.00"),
    ("Kerb Layer", "47-2061.00"),
    ("Poll Worker", "43-9199.00"),
    # pathways review BP (refused four times; a factory's inspectors, the stock clerks,
    # the winch operators, the aircraft assemblers)
    ("Ceiling Fixer", "47-2081.00"),
    ("Ghillie", "39-7011.00"),
    ("Sailmaker", "51-6099.00"),
    ("Scaffold Inspector", "47-4011.00"),
    ("Pig Stockman", "45-2093.00"),
    ("Hoist Engineer", "47-4021.00"),
    ("Aircraft De-Icer", "53-6032.00"),
    # pathways review BQ (US titles; refused twice; Pharmacy Aides; titles O*NET shares,
    # the tie-break's choice: the auto mechanics, the parts salespersons, the hand laborers)
    ("AP Clerk", "43-3031.00"),
    ("Payment Poster", "43-3021.00"),
    ("Pharmacy Buyer", "13-1023.00"),
    ("Detailer", "53-7061.00"),
    ("Parts Runner", "53-3033.00"),
    ("Houseman", "37-2012.00"),
    # pathways review BR (the office supervisors; refused; Sales Managers)
    ("Office Coordinator", "43-6014.00"),
    ("RevOps", "11-2022.00"),
    ("Customer Success Engineer", "15-1232.00"),
    # pathways review BS (titles O*NET shares, the tie-break's choice: the surveying
    # technicians, the hand laborers, the head chefs; refused three times; Surgical
    # Assistants, school bus drivers, administrative assistants, personal care aides)
    ("CAD Technician", "17-3011.00"),
    ("Key Grip", "49-9096.00"),
    ("Pizza Chef", "35-2011.00"),
    ("Diary Manager", "43-6011.00"),
    ("Stage Door Keeper", "43-4171.00"),
    ("Befriender", "21-1093.00"),
    ("Post Room Assistant", "43-9051.00"),
    ("Minibus Driver", "53-3053.00"),
    ("Mortgage Administrator", "43-4131.00"),
    ("Pastoral Support Worker", "25-9042.00"),
])
def test_posts_whose_o_net_listing_misleads_as_ads_mean_them(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize("title, role", [("Naval Officer", "55-1019.00"),
                                         ("Sewage Worker", "51-8031.00"),
                                         ("Rail Signaller", "53-4022.00"),
                                         ("Maintenance Fitter", "49-9041.00"),
                                         ("Quarry Operative", "47-5022.00"),
                                         ("Au Pair", "39-9011.01"),
                                         ("Greengrocer", "41-2031.00"),
                                         ("Live-in Carer", "31-1122.00"),
                                         ("Thatcher", "47-2181.00"),
                                         ("Antiques Dealer", "41-2031.00"),
                                         ("Celebrant", "21-2011.00"),
                                         ("Coastguard Officer", "43-5031.00")])
def test_posts_pathways_refused_are_known_titles(title, role):
    # by word similarity alone they came near these roles, too weakly for `pathways`
    found = role_matcher(SHIPPED).match(title)
    assert (found.role, found.method) == (role, "exact")


@pytest.mark.parametrize(("title", "description", "role"), [
    ("Front End Developer",
     "Build responsive web pages in JavaScript, HTML5 and CSS3 with a JavaScript MVC "
     "framework, and consume REST APIs from our back end.", "15-1254.00"),
    ("Game Developer - Puzzle Games",
     "Join our mobile games studio: implement gameplay features in Unity and C#, work with "
     "designers and artists on new levels, and keep the game fast on every device.",
     "15-1252.00"),
    ("Biomedical Engineer",
     "To care for him who shall have borne the battle, and for his widow, and his orphan: "
     "serve and honour the men and women who are America's Veterans at our medical center "
     "in a small town near three large cities.", "17-2031.00"),
    ("Licensed Professional Counselor - Eating Disorder",
     "Provide evidence-based virtual therapy to patients with eating disorders and their "
     "families, as part of a care team with a dietitian and a physician.", "21-1014.00"),
    ("Healthcare Support Worker",
     "We are looking for a Healthcare Support Worker to join our ward team, delivering "
     "personal care to patients under the supervision of registered nurses, taking "
     "observations and supporting patients' nutrition.", "31-1131.00"),
    ("Project Manager",
     "We are looking for a project manager to lead the delivery of our digital "
     "transformation programme across the trust, working with clinical and operational "
     "teams.", "13-1082.00"),
    ("Applied Psychologist - Band 7",
     "Our adult mental health service is looking for an HCPC-registered clinical or "
     "counselling psychologist to provide psychological assessment, formulation and "
     "therapy, and to supervise assistant psychologists.", "19-3033.00"),
    ("Practitioner Psychologist", "", "19-3033.00"),
    ("IAPT High Intensity Therapist",
     "Deliver high intensity cognitive behavioural therapy to adults with depression and "
     "anxiety disorders in our NHS Talking Therapies service.", "21-1014.00"),
    ("Senior Psychological Therapist",
     "Deliver high intensity cognitive behavioural therapy to adults with depression and "
     "anxiety disorders in our NHS Talking Therapies service.", "21-1014.00"),
    ("Senior Research Scientist",
     "We are an AI research lab training frontier language models. Design and run "
     "experiments on pre-training and evaluation, publish your results and turn them into "
     "models our customers use.", "15-1221.00"),
    ("Voice Talent Required - Afrikaans",
     "AI is changing how the world communicates: we use machine translation and human "
     "expertise to make information accessible in every language. We are looking for native "
     "speakers to record scripts in a quiet room.", "27-2011.00"),
    ("POWERED SUPPORT SYSTEMS MECHANIC",  # a USAJOBS announcement's opening
     "THIS IS A NATIONAL GUARD TITLE 32 EXCEPTED SERVICE POSITION. This National Guard "
     "position is for a POWERED SUPPORT SYSTEMS MECHANIC, Position Description Number "
     "D0342000 and is part of the OK AASF 1, Oklahoma Army National Guard. The National Guard "
     "is the oldest component of the Armed Forces of the ", "49-3042.00"),
    ("Practice Development Nurse",
     "A band 6 practice development nurse with an education focus, working in clinical "
     "practice, supporting and developing clinical staff and their on-the-job knowledge.",
     "29-1141.00"),
    # ashby (shared listings): openings of real ads
    ("MLOps Engineer",
     "Transform Language Models into Real-World Applications We’re building AI systems for a "
     "global audience. This is a remote role based in Indonesia, working closely with our HQ "
     "in Malaysia and cross-functional regional teams. You’ll operate across the stack, from "
     "backend logic and integration to frontend delivery, building intelligent systems that "
     "scale fast and matter deeply.", "15-1252.00"),
    # the opening of a real ad: the "quality assurance automation engineer" O*NET lists for
    # the industrial engineering technologists too, which the description had chosen
    ("高级 QA 自动化工程师 (Senior QA Automation Engineer) (Remote)",
     "Bjak 致力于为东南亚地区人民提供可负担且可持续的金融服务。总部位于马来西亚，Bjak 是东"
     "南亚最大的保险门户平台。我们的主平台 Bjak.com 帮助数百万人找到最具性价比和最高保障的"
     "保险方案。 我们在技术方面的投资（如定制 API、交易系统和数据科学）旨在让金融服务更易"
     "获取，打破以往难以接触或难以理解的壁垒。 随着我们在东南亚持续扩展业务，欢迎加入这段"
     "令人振奋的旅程。如果你认同我们的愿景，并希望为 Bjak 的下一个成功篇章贡献力量，我们期"
     "待你的加入。 职责描述： 开发并执行微服务及基础架构组件的自动化测试。 通过 Pact 合约"
     "测试确保 API 的稳定性。 设计并维护后端服务的测试自动化框架。 执行分布式系统的性能测"
     "试和负载测试。 与 DevOps 工程师合作，将测试集成到 CI/CD 流水线。 确保测试执行的可观"
     "测性和日志记录，例如 OpenTelemetry、ELK。 与软件工程师协作，确保系统重构过程中的质量"
     "控制。 任职资格 Requirements： 计算机科学、软件工程或相关领域的本科及以上学历。 3 年"
     "以上后端服务和云基础架构的 QA 自动化测试经验。 精通 API 和微服务测试，例如 Postman、"
     "RestAssured、Supertest。 具备微服务合约测试和集成测试的经验。 熟练使用性能测试工具，"
     "例如 JMeter、k6、Locust。 了解 Docker、Kubernetes 及云端测试环境。 具备基础设施即代"
     "码（IaC）验证和安全测试经验。 加分项： 熟悉服务网格测试，例如 Istio、Linkerd。 具备 "
     "gRPC 及事件驱动架构的测试经验，例如 Kafka、RabbitMQ。 了解故障注入测试，例如混沌工程"
     "（Chaos Engineering）、Gremlin。 福利待遇： 完全远程角色： 可以在任何地方工作，享受"
     "完全远程工作的自由。",
     "15-1253.00"),
    ("Commissioning Manager",
     "As a Commissioning Manager at Crusoe.ai , you will be the driving force behind ensuring "
     "our data center construction projects are commissioned flawlessly. You will lead the "
     "development and execution of comprehensive commissioning plans.", "11-9021.00"),
])
def test_a_description_does_not_choose_o_net_s_other_role_for_a_clear_title(
        title, description, role):
    # the description chose O*NET's other role for the title (web designers, video game
    # designers, catch-alls); the lines give no such alternative
    assert role_matcher(SHIPPED).match(title, description).role == role


@pytest.mark.parametrize(("title", "role"), [
    ("Consultant Psychiatrist", "29-1223.00"),
    ("Locum Consultant Anaesthetist", "29-1211.00"),
    ("Bank Registered Nurse", "29-1141.00"),
    ("Bank Dietician", "29-1031.00"),
])
def test_an_nhs_grade_before_a_known_title_is_that_title_s_post(title, role):
    # by word similarity alone they came to the right role under the profiles' cut (0.49)
    found = calibrated_matcher().match(title)
    assert (found.role, found.method) == (role, "cleaned")
    assert found.confidence >= MIN_ROLE_CONFIDENCE


@pytest.mark.parametrize(("title", "not_role"), [
    # a title O*NET shares keeps the reading that settled it: a consultant surgeon is no
    # orthopaedic surgeon by O*NET's tie-break for "surgeon"
    ("Consultant Vascular Surgeon", "29-1242.00"),
    ("Consultant Surgeon", "29-1242.00"),
])
def test_an_nhs_grade_before_a_shared_title_does_not_take_its_tie_break(title, not_role):
    assert role_matcher(SHIPPED).match(title).role != not_role


@pytest.mark.parametrize(("title", "role"), [
    ("Artificial Intelligence Software Engineer", "15-1252.00"),
    ("Performance Marketing Manager", "11-2021.00"),
    ("Commercial Counsel", "23-1011.00"),
    ("Advanced Nurse Practitioner", "29-1171.00"),
    ("Compounding Pharmacist", "29-1051.00"),
    ("CT Radiographer", "29-2034.00"),
    ("Research Nurse", "29-1141.00"),
    ("Attorney Advisor", "23-1011.00"),
    ("Veterinary Medical Officer", "29-1131.00"),
    ("Specialist Occupational Therapist", "29-1122.00"),
    ("Salaried GP", "29-1215.00"),
    ("MSK Physiotherapist", "29-1123.00"),
    ("Student Adviser", "21-1012.00"),  # pathways review BA: refused at 0.24
    ("Bin Lorry Driver", "53-3032.00"),  # pathways review BB: refused
    ("Lollipop Lady", "33-9091.00"),  # pathways review BD: refused at 0.42
    ("Alarm Engineer", "49-2098.00"),  # pathways review BE: refused
    # pathways review BF: refused at 0.42
    ("Alumni Relations Officer", "27-3031.00"),
    ("Tissue Viability Nurse - Band 6", "29-1141.00"),
    # pathways review BH: refused at 0.42 and 0.24
    ("Radiotherapist", "29-1124.00"),
    ("Continence Nurse", "29-1141.00"),
    # titles earlier pathways reviews typed, refused at 0.42 or 0.24
    ("Class 1 Driver", "53-3032.00"),
    ("Bar Staff", "35-3011.00"),
    ("Carpet Fitter", "47-2041.00"),
    ("Electrician's Mate", "47-3013.00"),
    ("Fencer", "47-4031.00"),
    ("Recovery Nurse", "29-1141.00"),
    ("Senior Carer", "31-1122.00"),
    ("Specialty Doctor", "29-1229.00"),
    ("Harbour Master", "53-5021.00"),
    ("Signalling Technician", "49-9097.00"),
    ("SAP Consultant", "15-1211.00"),
    ("FP&A Analyst", "13-2051.00"),
    ("Groom", "39-2021.00"),
    ("Dry Stone Waller", "47-2022.00"),
    ("Childcare Practitioner", "39-9011.00"),
])
def test_a_clear_title_word_similarity_read_right_reaches_the_profiles(title, role):
    # their role was right, but by word similarity alone, under the profiles' cut (0.49)
    found = calibrated_matcher().match(title)
    assert found.role == role
    assert found.confidence >= MIN_ROLE_CONFIDENCE


@pytest.mark.parametrize(("title", "role", "left_out"), [
    # descriptions of software companies' posts chose the advertising managers
    ("Account Manager", "11-2022.00", "11-2011.00"),
    # descriptions of band 5 prison nurses' posts chose the nurse practitioners
    ("Primary Care Nurse", "29-1141.00", "29-1171.00"),
])
def test_a_clear_title_leaves_out_the_role_descriptions_chose_wrongly(title, role, left_out):
    matcher = role_matcher(SHIPPED)
    assert matcher.match(title).role == role
    assert left_out not in {r for r, _, _ in matcher.alternatives(title, role)}


def test_a_window_fitter_is_a_known_glazier_s_post():
    # by word similarity alone it came near Glaziers, too weakly for `pathways` to accept it
    found = role_matcher(SHIPPED).match("Window Fitter")
    assert (found.role, found.method) == ("47-2121.00", "exact")


def test_a_recruiter_s_description_full_of_talent_keeps_human_resources():
    # the words of a recruiter's ad are close to O*NET's text of the casting directors
    found = role_matcher(SHIPPED).match(
        "Sr. Talent Partner - Tech",
        "As a Senior Talent Partner you own full-cycle recruiting for our engineering teams: "
        "attract top talent, partner with hiring managers, build talent pipelines and a "
        "great candidate experience from sourcing to offer.")
    assert found.role == "13-1071.00"


@pytest.mark.parametrize(("title", "role"), [
    # O*NET's own occupation titles beside those lines keep their occupation
    ("Talent Directors", "27-2012.04"),
    ("Pediatric Surgeons", "29-1243.00"),
    ("Marketing Managers", "11-2021.00"),
    ("Communication Assistant", "31-9099.01"),
    ("Communications Assistant Professor", "25-1122.00"),
    ("Salon Customer Experience Specialist", "39-5012.00"),
    ("Patient Transportation Driver", "53-3053.00"),
    ("Patient Transporter", "31-1132.00"),
    ("CCTV Technician", "49-9052.00"),
    ("Owner", "11-1021.00"),
    ("Endoscopy Technician", "31-9099.02"),
    ("Advanced Practice Psychiatric Nurse", "29-1141.02"),
    ("Lookout", "53-5011.00"),
    ("Forestry Technician", "19-4071.00"),
    ("Pediatric Vascular Surgeon", "29-1243.00"),
    ("Orthopedic Surgeon", "29-1242.00"),
    # a field named beside a policy title, an airport's or flights' operations posts
    ("Climate Change Policy Advisor", "19-2041.01"),
    ("Airport Operations Officer", "53-2022.00"),
    ("Flight Operations Specialist", "53-2022.00"),
])
def test_o_net_titles_near_those_lines_keep_their_role(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # a place, an employer or a team before the dash names no job: the part after it does
    ("Canals - Sr Backend Engineer (Typescript, Node)", "15-1252.00"),  # was ship captains
    ("DUBLIN - Car Cleaner (m/f/d)", "53-7061.00"),  # was no role
    ("Customer Experience - Dental Lab Technician (Anterior Crown & Bridge)", "51-9081.00"),
    ("New College Graduate - Software Engineer", "15-1252.00"),
    ("NC - Police Officer", "33-3051.00"),  # a US federal non-competitive post
    # a job before the dash keeps it, whatever follows
    ("Speciality Doctor in Psychiatry - York", "29-1223.00"),
    ("Staff Nurse - Surgical Wards", "29-1141.00"),
    ("Machine Learning Lead - Bay Area", "15-2051.00"),
    # NHS nurses' abbreviations name the job (a community psychiatric nurse)
    ("Band 6 CPN - Care Home Liaison - Juniper Centre", "29-1141.00"),
    ("RMN", "29-1141.00"),
    # so does the part after a spaced slash when the part before it only qualifies it
    ("Pharmaceutical / Compound Sales Representative- Georgia", "41-4011.00"),  # was chemists
    ("Clinical / Counselling Psychologist", "19-3033.00"),  # was clinical nurse specialists
    ("Helpdesk / Switchboard Operator (Casual Worker)", "43-2011.00"),  # was IT support
    ("Endoscopy / Ward Nurse", "29-1141.00"),  # was endoscopy technicians
    # a job before the slash keeps it
    ("Graphic Designer / Illustrator", "27-1024.00"),
    ("Trainee / Senior Radiographer", "29-2034.00"),
])
def test_the_part_of_a_title_that_names_the_job_comes_first(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "description", "role"), [
    # NHS nurses and doctors whose ads, full of their unit's work, led the description step
    # to a technician's or an advanced practice role (were Endoscopy Technicians, Advanced
    # Practice Psychiatric Nurses), or whose title matched a manager's or a sailor's
    ("Endoscopy Staff Nurse", "Join our endoscopy unit as a band 5 staff nurse: you will "
     "prepare patients for gastroscopy, colonoscopy and bronchoscopy, assist the endoscopist "
     "during procedures, decontaminate endoscopes and care for patients in recovery.",
     "29-1141.00"),
    ("Consultant Gastroenterologist", "The gastroenterology department performs diagnostic "
     "and therapeutic endoscopy, including ERCP and endoscopic ultrasound; the consultant will "
     "run endoscopy lists, outpatient clinics and the inpatient gastroenterology service.",
     "29-1229.00"),
    ("Mental Health Nurse - HMP Lewes", "Provide psychiatric nursing care to prisoners with "
     "mental illness: mental health assessments, care planning, administering psychiatric "
     "medication, crisis intervention and liaison with the prison psychiatrist.", "29-1141.00"),
    ("Nurse Team Leader - Critical Care", "Lead a team of nurses on the critical care unit, "
     "coordinate patient care, supervise staff and manage the shift.", "29-1141.00"),
    # NHS surgeons of adults (were Pediatric and Orthopedic Surgeons, by the description)
    ("Consultant in Thoracic Surgery", "Thoracic surgery consultant: lung resections, "
     "oesophagectomy and chest wall surgery, outpatient clinics and operating lists.",
     "29-1249.00"),
    ("Specialty Doctor in General Surgery", "Join the general surgery department: "
     "emergency laparotomy, hernia repair, appendicectomy, orthopaedic trauma referrals, "
     "ward rounds and theatre lists.", "29-1249.00"),
    # a US Forest Service fire lookout (was Sailors and Marine Oilers, O*NET's "Lookout")
    ("Fire Lookout (Forestry Technician)", "Staff a fire lookout tower, detect and report "
     "wildfires, record weather observations and maintain radio communications with "
     "dispatch.", "33-2022.00"),
])
def test_nurses_doctors_and_lookouts_whose_ads_misled(title, description, role):
    assert role_matcher(SHIPPED).match(title, description).role == role


@pytest.mark.parametrize(("title", "description", "role"), [
    # the title's head noun names the role it matched by similarity; the ad's words of the
    # unit or of colleagues had drawn it to another (were Cardiologists, Substance Abuse
    # Counselors, Clinical Nurse Specialists, Clinical Research Coordinators,
    # Speech-Language Pathology Assistants)
    ("Heart Failure Specialist Nurse", "Support patients with heart failure in the cardiology "
     "service: titrate heart failure medication, review echocardiograms and ECGs, and run "
     "nurse-led clinics with the cardiologists.", "29-1141.04"),
    ("Alcohol Liaison Nurse", "Assess patients admitted with alcohol dependence, manage "
     "alcohol withdrawal, deliver brief interventions and refer to community addiction and "
     "substance misuse services.", "29-1141.00"),
    ("Clinical Specialist Radiographer", "Lead the CT and MRI service: perform complex imaging "
     "examinations, supervise radiographers and support clinical nurse specialists and "
     "radiologists with patient pathways.", "29-2034.00"),
    ("Consultant Clinical Oncologist", "Deliver radiotherapy and chemotherapy for patients "
     "with breast cancer, working with clinical nurse specialists, therapeutic radiographers "
     "and the oncology team.", "29-1229.00"),
    ("Research Nurse", "Recruit and consent patients to clinical trials, collect research "
     "data and samples, and coordinate study visits with the trial team.", "29-1141.00"),
    ("Substance Misuse Nurse - HMP Leeds", "Provide clinical care to prisoners with drug and "
     "alcohol dependence: detoxification, opiate substitution therapy, recovery support and "
     "harm reduction.", "29-1141.00"),
    ("Band 6/7 Speech & Language Therapist", "Assess and treat adults with communication and "
     "swallowing difficulties, supervise speech and language therapy assistants and deliver "
     "dysphagia training.", "29-1127.00"),
    # the description still chooses among all where the title names a support post
    ("Assistant Occupational Therapist", "Support the occupational therapists: carry out home "
     "visits, practise daily living activities with patients and order equipment under their "
     "supervision.", "31-2011.00"),
])
def test_an_ad_does_not_take_a_title_from_the_work_its_head_noun_names(title, description,
                                                                       role):
    assert role_matcher(SHIPPED).match(title, description).role == role


@pytest.mark.parametrize(("title", "role"), [
    # a bracket naming the post's field: with the role's noun it is a known title of another
    # role of the same SOC minor group ("Internal Medicine Physician"); federal doctors' and
    # IT specialists' posts (were Physicians, All Other and Computer User Support Specialists)
    ("Medical Officer (Family Medicine) - Direct Hire, GS-0602-13/15", "29-1215.00"),
    ("Medical Officer (Internal Medicine)", "29-1216.00"),
    ("PHYSICIAN (PEDIATRICS)", "29-1221.00"),
    ("Physician (Psychiatry)", "29-1223.00"),
    ("Trust Doctor (Psychiatry)", "29-1223.00"),
    ("IT Specialist (Information Security)", "15-1212.00"),
    ("Registered Nurse (ICU)", "29-1141.03"),
    ("Human Resources Specialist (Labor Relations)", "13-1075.00"),
    # OPM's abbreviated IT specialties
    ("IT Specialist (INFOSEC)", "15-1212.00"),
    ("IT SPECIALIST (SYSADMIN)", "15-1244.00"),
    ("IT Specialist (APPSW), GG-2210-14", "15-1252.00"),
    # how or where a post is held is no field ("Contract Specialist" is a purchasing agent's
    # title, "Outpatient Counselor" a substance abuse counselor's)
    ("Senior Recruiter (Contract)", "13-1071.00"),
    ("Blind Rehabilitation Specialist (Outpatient)", "21-1015.00"),
    # and a bracket's other name of an override's post does not replace it
    ("Health Care Assistant (Support Worker) (Mental Health)", "31-1131.00"),
])
def test_a_bracket_naming_the_field_of_the_post_settles_the_role(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_british_jewellery_maker_is_a_jeweler_as_surely_as_an_american_one():
    # "jewellery" read as written matched only by similarity, under the confidence that
    # `microcareer pathways` accepts a title at ("no role fits the title")
    british, american = (role_matcher(SHIPPED).match(t) for t in ("Jewellery Maker",
                                                                   "Jewelry Maker"))
    assert british.role == american.role == "51-9071.00"
    assert british.confidence == american.confidence >= MIN_ROLE_CONFIDENCE


@pytest.mark.parametrize("title", ["Specialist Community Staff Nurse",
                                   "Specialist Continence Community Nurse",
                                   "Substance Misuse Nurse - HMP Leeds",
                                   "Senior Substance Misuse Nurse"])
def test_a_uk_community_or_substance_misuse_nurse_is_surely_a_registered_nurse(title):
    # only by similarity before, under the profiles' cut (`microcareer pathways` refused
    # "substance misuse nurse"), with Community Health Workers or the counselors beside
    match = role_matcher(SHIPPED).match(title)
    assert match.role == "29-1141.00"
    assert match.confidence >= MIN_ROLE_CONFIDENCE
    assert not role_matcher(SHIPPED).alternatives(title, match.role)


@pytest.mark.parametrize(("title", "role"), [
    # an unknown "X Director" is a manager's post (were Directors, Religious Activities and
    # Education, Producers and Directors, by the word "director")
    ("GTM Director", "11-9199.00"),
    ("Country Director - Italy", "11-9199.00"),
    ("Brand Director", "11-2021.00"),
    ("Product Director", "11-2021.00"),
    # arts, media and board directors keep their roles
    ("MultiMedia Art Director", "27-1011.00"),
    ("Non Executive Director", "11-1011.00"),
    ("Creative Director", "27-1011.00"),  # O*NET's reported title; was Producers and Directors
    ("Funeral Director", "39-4031.00"),
])
def test_an_unknown_director_s_post_is_read_as_a_manager_s(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_title_on_two_override_lines_is_refused(tmp_path, monkeypatch):
    # the later line silently won (and its title voted twice in the similarity step)
    table = tmp_path / "overrides.tsv"
    table.write_text("porter\t39-6011.00\n# why\nPorter\t31-1132.00\n", encoding="utf-8")
    monkeypatch.setattr(roles_module, "OVERRIDES", table)
    with pytest.raises(ValueError, match="'Porter' on line 3 is already on line 1"):
        roles_module._overrides()


def test_an_override_line_may_end_at_its_role(tmp_path, monkeypatch):
    # a line without other roles, its trailing tab trimmed by an editor, still loads
    table = tmp_path / "overrides.tsv"
    table.write_text("# why\nhead of talent\t11-3121.00\nbookseller\t41-2031.00\t\ttail\n",
                     encoding="utf-8")
    monkeypatch.setattr(roles_module, "OVERRIDES", table)
    assert roles_module._overrides() == [("head of talent", "11-3121.00", [], False),
                                         ("bookseller", "41-2031.00", [], True)]


@pytest.mark.parametrize("title", ["AI Coach", "AI Evaluation Analyst",
                                   "AI Conversational Designer", "Lead, Responsible AI"])
def test_an_ai_post_is_no_intelligence_analyst_s(title):
    # "AI" reads as "artificial intelligence", whose second word drew O*NET's "Intelligence
    # Analyst"
    assert role_matcher(SHIPPED).match(title).role != "33-3021.06"


@pytest.mark.parametrize("title", ["Super Intelligence Support Account Lead",
                                   "Manager, Super Intelligence HPC Support"])
def test_an_ai_company_s_super_intelligence_team_is_no_military_post(title):
    assert not role_matcher(SHIPPED).match(title).role.startswith("55-")


@pytest.mark.parametrize("title", ["Threat Intelligence Specialist (US)",
                                   "Intelligence Operations Specialist"])
def test_an_intelligence_post_still_finds_the_intelligence_analysts(title):
    assert role_matcher(SHIPPED).match(title).role == "33-3021.06"


def test_override_flags_are_read_and_an_unknown_flag_is_refused(tmp_path, monkeypatch):
    table = tmp_path / "overrides.tsv"
    table.write_text("bank cashier\t43-3071.00\t\ttail,unindexed\n", encoding="utf-8")
    monkeypatch.setattr(roles_module, "OVERRIDES", table)
    assert roles_module._overrides() == [("bank cashier", "43-3071.00", [], True)]
    assert roles_module._unindexed_overrides() == {"bank cashier"}
    table.write_text("bank cashier\t43-3071.00\t\ttial\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown flag 'tial' on line 1"):
        roles_module._overrides()


def test_an_unindexed_override_title_does_not_draw_other_posts():
    # in the similarity index "bank cashier" drew the NHS's staff-bank posts to Tellers
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Senior Bank Cashier").role == "43-3071.00"
    assert matcher.match("Bank Care & Support Worker").role != "43-3071.00"
    assert "bank cashier" not in matcher.keys


def test_an_unindexed_override_of_an_o_net_title_leaves_the_similarity_search_as_it_was():
    # moved in the index too, O*NET's "Airport Security Officer" left Airfield Operations
    # Specialists with titles all "... operations ...", which then drew strategy posts
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Airport Security Officer").role == "33-9093.00"
    assert matcher.closest("Airport Security Officer", 1)[0][0] == "53-2022.00"


def test_a_shared_override_title_names_its_alternatives():
    # the wholesale sense stays an alternative, and the confidence says the title is shared
    matcher = role_matcher(SHIPPED)
    found = matcher.match("Enterprise Account Executive")
    assert found.confidence < 1.0
    assert "41-4012.00" in [r for r, _, _ in matcher.alternatives(
        "Enterprise Account Executive", found.role)]


# The posting's NAICS sector (from its source or employer) rules out a role of another
# industry that the sector hardly employs in the US (BLS OEWS by sector).
@pytest.mark.parametrize(("title", "sector", "without", "code"), [
    # a title several roles share: a heating contractor's service manager
    ("Service Manager", "23", "11-9111.00", "49-1011.00"),
    # near-tied roles by title: an NHS reception supervisor, a manufacturer's inside sales
    ("Reception Supervisor", "62", "51-1011.00", "43-1011.00"),
    ("Inside Sales Lead", "31-33", "41-9041.00", "41-4012.00"),
    # a school's front desk is no hotel's (the example before 3.4.5, a retailer's "Junior
    # Customer Care & Community Manager", is no longer read as a property manager at all)
    ("Administrative/Front Desk", "61", "43-4081.00", "43-6014.00"),
    # a clear match by words alone, its head noun naming neither: the runners-up decide
    ("Home Intensive Treatment Clinician", "62", "51-8031.00", "29-1141.04"),
    ("Discharge Matron", "62", "51-4199.00", "29-1141.00"),
])
def test_the_posting_sector_rules_out_another_industry_role(title, sector, without, code):
    matcher = calibrated_matcher()
    assert matcher.match(title).role == without
    match = matcher.match(title, None, sector)
    assert (match.role, match.method) == (code, "industry"), match


@pytest.mark.parametrize(("title", "sector", "code"), [
    ("Service Manager", "62", "11-9111.00"),  # the sector's own role stays
    ("Clinical Photographer", "62", "27-4021.00"),  # the head noun names the role
    ("Mobile Developer", "62", "15-1252.00"),  # a role every industry's firms employ
    ("Backend Engineer", "44-45", "15-1252.00"),
    ("Industrial Specialist", "92", "17-2112.00"),  # government runs every line of work
    ("Wood Worker", "62", "51-7032.00"),  # no catch-all (Social Workers, All Other) instead
])
def test_the_posting_sector_leaves_roles_it_does_not_rule_out(title, sector, code):
    matcher = calibrated_matcher()
    assert matcher.match(title, None, sector).role == code
    assert matcher.match(title).role == code


def test_sectors_go_through_assign_roles_row_by_row():
    frame = assign_roles(pl.Series(["Discharge Matron"] * 3),
                         pl.Series([None, "", None], dtype=pl.String),
                         pl.Series(["62", None, "92"]), matcher=role_matcher(SHIPPED))
    assert frame["role"].to_list() == ["29-1141.00", "51-4199.00", "51-4199.00"]
    assert frame["role_method"].to_list() == ["industry", "similar", "similar"]


def test_a_complaints_handler_is_answered_not_refused():
    """Pathways review BI: by similarity the title reached the customer service
    representatives only under the confidence `pathways` answers at (refused, nearest the
    switchboard operators); its line answers it."""
    match = calibrated_matcher().match("Complaints Handler")
    assert match.role == "43-4051.00"
    assert match.confidence >= MIN_ROLE_CONFIDENCE, match


@pytest.mark.parametrize("title", ["Councillor", "Parish Councillor"])
def test_a_councillor_is_answered_not_refused(title):
    """Pathways review BL: O*NET spells it "Councilor"; the British spelling reached the
    legislators by similarity only under the confidence `pathways` answers at."""
    match = calibrated_matcher().match(title)
    assert match.role == "11-1031.00"
    assert match.confidence >= MIN_ROLE_CONFIDENCE, match


def test_a_civil_servant_is_an_office_clerk_at_a_shared_titles_confidence():
    """Pathways review BN: "civil servant" names the employer, not the work; by similarity it
    went to Personal Care and Service Workers, All Other at 0.63."""
    matcher = calibrated_matcher()
    match = matcher.match("Civil Servant")
    assert match.role == "43-9061.00"
    assert match.confidence < MIN_ROLE_CONFIDENCE, match
    assert {r for r, _, _ in matcher.alternatives("Civil Servant", match.role)} >= {
        "11-3012.00", "13-1199.00"}


def test_a_fire_door_inspector_is_answered_by_its_line_not_by_similarity():
    """Pathways review BP: by similarity the title came near the fire inspectors, too weakly
    for `pathways` (refused); its line answers it, the building inspectors the alternative."""
    match = role_matcher(SHIPPED).match("Fire Door Inspector")
    assert (match.role, match.method) == ("33-2021.00", "exact")


def test_a_boatbuilder_is_read_as_o_nets_boat_builder():
    """Pathways review BP: O*NET spells "Boat Builder" (Carpenters; Fiberglass Laminators and
    Fabricators); the one-word spelling reached the carpenters only by similarity, with the
    production supervisors as the other reading."""
    matcher = calibrated_matcher()
    match = matcher.match("Boatbuilder")
    assert (match.role, match.method) == ("47-2031.00", "exact")
    assert "51-2051.00" in {r for r, _, _ in matcher.alternatives("Boatbuilder", match.role)}


def test_alternatives_are_roles_the_votes_weigh_not_one_odd_title():
    """Pathways review BJ: "Mobile App Developer" was listed as possibly an Advanced Practice
    Psychiatric Nurse, whose O*NET titles carry "APP"; the matcher's votes never weigh it."""
    matcher = role_matcher(SHIPPED)
    assert matcher.match("Mobile App Developer").role == "15-1252.00"
    assert matcher.alternatives("Mobile App Developer", "15-1252.00") == []
    # near ties the votes do weigh are still listed
    assert [r for r, _, _ in matcher.alternatives("Fibre Optic Technician", "17-3029.08")] == [
        "49-9052.00"]


@pytest.mark.parametrize(("title", "description", "role"), [
    # A title most of whose US jobs are one role's (FIRM_SHARE) is that role: on the bulk
    # listings the description step had moved such posts to a neighbour whose O*NET text
    # echoed the ad (were Licensed Practical Nurses, Regulatory Affairs Specialists,
    # Financial Examiners, Penetration Testers, Respiratory Therapists, Railroad Conductors
    # and Yardmasters)
    ("Clinic Nurse - Band 5", "Join our outpatient clinics as a band 5 nurse: take "
     "observations, dress wounds, give injections, take blood and assist the consultants "
     "with minor procedures and patient examinations.", "29-1141.00"),
    ("Regulatory Counsel", "Advise the business on FDA regulations, regulatory submissions "
     "and compliance with federal regulatory requirements; review labeling and advertising "
     "and monitor changes in regulations.", "23-1011.00"),
    ("Senior Internal Auditor", "Plan and carry out audits of financial controls and "
     "compliance with regulations, examine financial records and transactions and report "
     "findings to the audit committee.", "13-2011.00"),
    ("Cyber Security Engineer", "Run penetration tests and vulnerability assessments, "
     "exploit weaknesses in networks and applications, and report security vulnerabilities "
     "to the engineering teams.", "15-1299.05"),
    ("Respiratory/Medical Physiotherapist", "Treat patients with respiratory disease on the wards: "
     "chest physiotherapy, airway clearance, oxygen therapy, non-invasive ventilation and "
     "tracheostomy care.", "29-1123.00"),
])
def test_a_title_most_of_whose_jobs_are_one_role_s_keeps_it_whatever_the_ad(
        title, description, role):
    assert role_matcher(SHIPPED).match(title, description).role == role


def test_a_shared_title_with_a_military_role_is_still_settled_by_the_ad():
    # OEWS counts no military jobs, so the armed forces' Air Crew Members hold no share of
    # "Flight Engineer" beside Aerospace Engineers: the title is not firm, and a federal
    # flight engineer instructor's ad chooses the aircrew
    ad = ("Serves as a flight engineer instructor on C-130 aircraft: performs preflight, "
          "through-flight and postflight inspections, operates aircraft systems in flight, "
          "computes weight and balance and fuel loads, and trains aircrew members in flight "
          "engineer duties.")
    match = role_matcher(SHIPPED).match("FLIGHT ENGINEER (INSTRUCTOR)", ad)
    assert (match.role, match.method) == ("55-3011.00", "description"), match


@pytest.mark.parametrize(("title", "role"), [
    # titles of the description picks that neither the title nor the description step read
    # right (were Nurse Practitioners or Family Medicine Physicians, Security Managers, Pest
    # Control Workers, Financial and Investment or Logistics Analysts, Property, Real Estate,
    # and Community Association Managers, Healthcare Support Workers, All Other)
    ("Trainee Systemic Family Practitioner", "21-1013.00"),
    ("Recruit to Train CAMHS Systemic Family Practitioner", "21-1013.00"),
    ("Bank Security Operatives", "33-9032.00"),
    ("Construction Control Representative (CCR), GS-0809-11", "47-4011.00"),
    ("Senior Product Analyst (Experimentation)", "15-2051.01"),
    ("Renewal Manager, SMB - Americas", "41-3091.00"),
    ("Animal Health Assistant (Developmental) NF-03", "31-9096.00"),
])
def test_titles_neither_the_title_nor_the_ad_had_read(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # recurring snapshot titles read as nothing like the post (were Educational, Guidance,
    # and Career Counselors and Advisors, Financial Managers, Amusement and Recreation
    # Attendants, Computer Programmers, Interior Designers and Designers, All Other)
    ("Finance Coordinator", "43-3031.00"),
    ("Branch Associate", "43-3071.00"),
    ("Tools and Parts Attendant - Direct Hire Authority", "53-7065.00"),
    ("CYS Program Associate Homework Lab, NF-03", "39-9011.00"),
    ("Dental CAD Posterior (P) Designer", "51-9081.00"),
    ("Dental CAD Implant I3 Designer (3Shape)", "51-9081.00"),
])
def test_recurring_snapshot_titles_read_as_their_posts(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_bare_program_associate_is_no_army_youth_worker():
    # the CYS lines stay out of the similarity index: "Program Associate" alone was not
    # a childcare post before them and is not after
    assert role_matcher(SHIPPED).match("Program Associate").role != "39-9011.00"


@pytest.mark.parametrize(("title", "role"), [
    # recurring titles of the bulk recordings (were Weighers, Measurers, Checkers, and
    # Samplers, Recordkeeping; Low Vision Therapists, Orientation and Mobility Specialists,
    # and Vision Rehabilitation Therapists; Computer Systems Analysts; Electrical and
    # Electronic Engineering Technologists and Technicians)
    ("SALES STORE CHECKER", "41-2011.00"),
    ("Apprentice Rehabilitation Support Worker", "31-2021.00"),
    ("Health Systems Specialist Trainee (GHATP Recent Graduate)", "13-1111.00"),
    ("CYS Program Associate Technology Lab NF-03", "39-9011.00"),
])
def test_recurring_bulk_titles_read_as_their_posts(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # more recurring bulk titles (were Farm Labor Contractors, Probation Officers and
    # Correctional Treatment Specialists, Public Relations Specialists, Power Distributors
    # and Dispatchers, Nurse Practitioners, Clinical Research Coordinators, Financial
    # Managers)
    ("Commissary Contractor Monitor", "13-1041.00"),
    ("Paediatric Resuscitation Officer", "21-1091.00"),
    ("VISUAL INFORMATION SPECIALIST", "27-1024.00"),
    ("FUEL DISTRIBUTION SYSTEM WORKER", "51-8093.00"),
    ("Civilian Medical Practitioner", "29-1215.00"),
    ("Deputy Clinical Team Manager - Adult Eating Disorders Team", "11-9111.00"),
    ("FINANCIAL MANAGEMENT TECHNICIAN", "43-3031.00"),
])
def test_more_recurring_bulk_titles_read_as_their_posts(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # and more (were Social Workers, All Other, Personal Care Aides, Physical Therapists,
    # Radiologic Technologists and Technicians); the therapy support worker line is no tail,
    # so the speech and language therapists' and occupational therapists' support workers
    # keep their own assistants
    ("MEATCUTTING WORKER", "51-3021.00"),
    ("Band 3 Therapy Support Worker", "31-2021.00"),
    ("Occupational Therapy Support Worker", "31-2011.00"),
    ("Maternity Support Worker Band 3", "31-1131.00"),
    ("Physiotherapy Technician Older Persons Medicine", "31-2022.00"),
    ("Interventional Radiology Manager", "11-9111.00"),
])
def test_support_workers_and_managers_of_the_bulk_titles(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # pathways review BU (were Structural Metal Fabricators and Fitters, Amusement and
    # Recreation Attendants, Cleaners of Vehicles and Equipment, Light Truck Drivers, Nursing
    # Instructors and Teachers, Postsecondary, or refused)
    ("Bra Fitter", "41-2031.00"),
    ("Car Park Attendant", "53-6021.00"),
    ("Gutter Cleaner", "37-2019.00"),
    ("Ice Cream Van Driver", "53-3031.00"),
    ("Climbing Wall Instructor", "25-3021.00"),
    ("Surf Instructor", "25-3021.00"),
    ("Escape Room Host", "39-3091.00"),
    ("Hot Tub Technician", "49-9071.00"),
    ("Medicines Counter Assistant", "31-9095.00"),
    ("Will Writer", "23-2011.00"),
])
def test_posts_from_pathways_review_bu(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # pathways review BV (were Coaches and Scouts, Graphic Designers, or refused)
    ("Work Coach", "21-1012.00"),
    ("Narrative Designer", "27-3043.00"),
    ("Sortation Associate", "53-7062.00"),
    ("Marina Assistant", "53-6031.00"),
    ("Forest School Leader", "25-2011.00"),
    ("Field Studies Tutor", "25-3021.00"),
])
def test_posts_from_pathways_review_bv(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_a_ghost_writer_is_a_known_title_pathways_answers():
    # its nearest title was already O*NET's "Ghostwriter", but by similarity under the
    # confidence `microcareer pathways` answers at; the line makes it a known title
    match = role_matcher(SHIPPED).match("Ghost Writer")
    assert (match.role, match.method) == ("27-3043.05", "exact"), match


@pytest.mark.parametrize(("title", "role"), [
    # NHS therapy technical instructors are senior therapy support workers (were
    # Career/Technical Education Teachers, Postsecondary); a technical instructor elsewhere
    # keeps O*NET's teachers
    ("Senior Therapy Technical Instructor", "31-2021.00"),
    ("Physiotherapy Technical Instructor", "31-2021.00"),
    ("Band 4 Occupational Therapy Technical Instructor", "31-2011.00"),
    ("Generic Stroke Rehab Technical Instructor", "31-2021.00"),
    ("Technical Instructor", "25-1194.00"),
])
def test_nhs_therapy_technical_instructors_are_support_workers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # NHS booking clerks book patients' appointments (were Bookkeeping, Accounting, and
    # Auditing Clerks, the first role O*NET lists "Booking Clerk" for); a passenger booking
    # clerk and a bookkeeping clerk keep O*NET's roles
    ("Booking Clerk", "43-4171.00"),
    ("Outpatient Booking Clerk", "43-4171.00"),
    ("Booking Clerk (Telephone Agent)", "43-4171.00"),
    ("Passenger Booking Clerk", "43-4181.00"),
    ("Bookkeeping Clerk", "43-3031.00"),
    # an endocrinologist is a physician (was Medical Scientists, Except Epidemiologists)
    ("Endocrinologist", "29-1216.00"),
    ("TeleHealth Endocrinologist", "29-1216.00"),
    ("Consultant Endocrinologist", "29-1216.00"),
    # the plural missed the fuel distribution system worker's line (was Power Distributors
    # and Dispatchers)
    ("FUEL DISTRIBUTION SYSTEMS WORKER", "51-8093.00"),
])
def test_booking_clerks_and_endocrinologists_as_ads_mean_them(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # development postings of the labelled set's wave 2: a revenue operations ("RevOps")
    # specialist runs a company's sales systems and reporting (were Tax Examiners and
    # Collectors, and Revenue Agents, by "revenue"); an office manager is O*NET's reported
    # first-line supervisor of office workers (was General and Operations Managers); a
    # programme director is no director of religious activities
    ("Founding Revenue Operations", "13-1111.00"),
    ("Revenue Operations Associate", "13-1111.00"),
    ("Lead Revenue Operations Specialist (Hybrid)", "13-1111.00"),
    ("Office Manager", "43-1011.00"),
    ("Office Manager (Las Palmas)", "43-1011.00"),
    ("Programme Director", "11-1021.00"),
    ("Senior Sales Operations Manager", "11-2022.00"),  # pathways review BW
    # guards: O*NET's revenue operations manager and revenue officer keep their roles; a
    # head of a programme management office is no office manager
    ("Revenue Operations Manager", "11-2022.00"),
    ("Revenue Officer", "13-2081.00"),
    ("Head of Programme Management Office", "11-1021.00"),
])
def test_revops_office_managers_and_programme_directors_as_ads_mean_them(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_an_analytics_engineer_s_ad_does_not_make_a_data_scientist():
    # labelled postings, wave 2 (dev): with Data Scientists as the line's alternative, every
    # analytics engineer's ad chose them by its words (20 of 20 in the bulk listings)
    text = ("As an Analytics Engineer you will build and own our dbt models in Snowflake, turn "
            "raw event data into clean, tested tables, and partner with data scientists and "
            "analysts on metrics, dashboards and experimentation.")
    found = assign_roles(pl.Series(["Senior Analytics Engineer"]), pl.Series([text]),
                         matcher=role_matcher(SHIPPED))
    assert found["role"][0] == "15-1243.01", found


@pytest.mark.parametrize(("title", "role"), [
    # a chief of a service is named by what it leads, as a head is (US federal: were Pharmacy
    # Aides and General and Operations Managers; NHS: the HR specialists)
    ("Chief of Pharmacy", "29-1051.00"),
    ("Chief of Nephrology", "29-1229.00"),
    ("Deputy Chief of People", "11-3121.00"),
    # guards: O*NET's "Police Chief" and "Chief of Staff" keep their roles
    ("Chief of Police", "33-1012.00"),
    ("Chief of Staff", "11-1021.00"),
    ("Chief of Staff to the CEO", "11-1011.00"),
])
def test_a_chief_of_a_service_is_read_as_a_head_of_it(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # pathways review BX: O*NET files the postdoctoral titles under Clinical Research
    # Coordinators, a managers' specialty, and "Exhibition Designer" under the museum
    # technicians; an NHS clinical research fellow is a doctor doing research (SOC: Medical
    # Scientists), not a trial coordinator
    ("Postdoctoral Researcher", "19-1042.00"),
    ("Post-Doctoral Fellow", "19-1042.00"),
    ("Postdoctoral Research Fellow in Chemistry", "19-1042.00"),
    ("FY3 Clinical Research Fellow", "19-1042.00"),
    ("Clinical Research Fellow (CT1-2 equiv)", "19-1042.00"),
    ("Exhibition Designer", "27-1027.00"),
    # guards: a postdoc whose post is named keeps it; a bracket that names a postdoc is no
    # specialty of the post it follows (was Medical Scientists by the bracket rule); a
    # physician's bracket still names the specialty; trial coordinators keep their role
    ("Astronomer (Post-Doctoral Research Fellow)", "19-2011.00"),
    ("Research Geneticist Plants (Postdoctoral Research Associate)", "19-1029.03"),
    ("Physician (Internal Medicine)", "29-1216.00"),
    ("Clinical Research Coordinator", "11-9121.01"),
])
def test_postdocs_clinical_research_fellows_and_exhibition_designers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # pathways review BY (UK titles): a radiotherapy radiographer gives radiotherapy (was a
    # diagnostic radiographer by the "radiographer" tail); a special needs teacher is no
    # kindergarten teacher first, nor an SEN teacher a mainstream one; a content designer
    # writes (was Graphic Designers); an estate agent negotiator sells homes (no role
    # answered); a commissioning engineer is no wind turbine technician
    ("Band 6 Radiotherapy Radiographer", "29-1124.00"),
    ("Special Needs Teacher", "25-2056.00"),
    ("SEN Teacher", "25-2056.00"),
    ("Content Designer", "27-3042.00"),
    ("Estate Agent Negotiator", "41-9022.00"),
    ("Commissioning Engineer", "17-2141.00"),
    # guards: a diagnostic radiographer, O*NET's sales negotiator, an electrical
    # commissioning engineer read by its words
    ("Diagnostic Radiographer", "29-2034.00"),
    ("Sales Negotiator", "41-4012.00"),
    ("Electrical Commissioning Engineer", "17-2071.00"),
])
def test_posts_from_pathways_review_by(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # the blind audit of frequent published readings: both raters called these wrong
    ("Business Development Representative, US", "41-3091.00"),   # was the marketing specialists
    ("Clinical Nurse (ER)", "29-1141.00"),       # a VA staff nurse, no clinical nurse specialist
    ("Consultant Medical Microbiologist", "29-1222.00"),   # an NHS doctor, no lab scientist
    ("ELECTRONICS ENGINEER", "17-2072.00"),      # O*NET: only Computer Hardware Engineers
    ("PROGRAM SPECIALIST", "13-1199.00"),        # was the eligibility interviewers
    ("Implementation Specialist", "15-1211.00"),  # was Software Developers
    ("Client Service Associate", "43-4051.00"),  # was the securities sales agents
    ("Clinical Educator", "13-1151.00"),         # trains staff; was Health Education Specialists
    # guards: the clinical nurse specialist, the computer hardware engineer, the sales
    # development representative and O*NET's clinical nurse educator keep their roles
    ("Clinical Nurse Specialist", "29-1141.04"),
    ("Computer Hardware Engineer", "17-2061.00"),
    ("Sales Development Representative", "41-3091.00"),
    ("Clinical Nurse Educator", "21-1091.00"),
])
def test_readings_a_blind_audit_of_published_titles_called_wrong(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # the same audit: a start-up's community manager runs an online community (both raters;
    # was Property, Real Estate, and Community Association Managers), its head of community
    # leads that work, a market manager runs a city's business; a field in a bracket names
    # the post in it before the role's noun ("civil engineering technician", not the
    # drafters' "civil technician")
    ("Community Manager - Vietnamese", "27-3031.00"),
    ("Head of Community", "11-2032.00"),
    ("Market Manager", "11-1021.00"),
    ("Engineering Technician (Civil)", "17-3022.00"),
    ("Registered Nurse (Intensive Care Unit)", "29-1141.03"),
    # guards: O*NET's apartment community manager and the property manager keep their role
    ("Apartment Community Manager", "11-9141.00"),
    ("Property Manager", "11-9141.00"),
    ("Physician (Internal Medicine)", "29-1216.00"),
])
def test_community_and_market_managers_and_a_field_in_a_bracket(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def test_an_apartment_community_manager_s_ad_still_chooses_the_property_managers():
    titles = ["Community Manager", "Community Manager"]
    texts = ["Join our apartment community as Community Manager: you will oversee leasing, "
             "resident relations, rent collection, maintenance and the budget of a 300-unit "
             "multifamily property.",
             "As Community Manager you will grow and engage our Discord and social channels, "
             "run events and AMAs, moderate the community and report engagement to marketing."]
    found = role_matcher(SHIPPED).match_many(titles, texts)
    assert [m.role for m in found] == ["11-9141.00", "27-3031.00"]


@pytest.mark.parametrize(("title", "role"), [
    # the audit: a UK consultant geriatrician is a hospital physician (was Family Medicine
    # Physicians, O*NET's listing); an NHS infection prevention and control lead is a
    # specialist nurse (was Epidemiologists)
    ("Consultant Geriatrician", "29-1216.00"),
    ("Geriatrician", "29-1216.00"),
    ("Infection Prevention and Control Lead", "29-1141.04"),
    ("Senior Infection Prevention and Control Practitioner", "29-1141.04"),
    # guards: geriatric medicine read as before; an IPC nurse stays a registered nurse
    ("Consultant in Geriatric Medicine", "29-1216.00"),
    ("Infection Prevention and Control Nurse", "29-1141.00"),
])
def test_geriatricians_and_infection_prevention_leads(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # pathway review CA (both blind raters): an NHS patient safety manager or lead runs the
    # hospital's patient-safety programme (was Occupational Health and Safety Specialists)
    ("Patient Safety Manager", "11-9111.00"),
    ("Patient Safety Manager(s)", "11-9111.00"),
    ("Patient Safety Lead", "11-9111.00"),
    # guards: O*NET's patient safety coordinator and a health and safety manager keep theirs
    ("Patient Safety Coordinator", "19-5012.00"),
    ("Health and Safety Manager", "17-2111.00"),
])
def test_patient_safety_managers(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


@pytest.mark.parametrize(("title", "role"), [
    # pathway review CB (both blind raters): an NHS theatre manager runs operating theatres
    # (was General and Operations Managers), and a solution architect is read as a solutions
    # architect is (was Software Developers)
    ("Theatre Manager", "11-9111.00"),
    ("Bank Band 8b Theatre Manager", "11-9111.00"),
    ("Main Theatres Manager", "11-9111.00"),
    ("Solution Architect", "15-1299.08"),
    ("Solution Architect - Public Sector", "15-1299.08"),
    # guards: O*NET's American spellings and the plural keep their roles
    ("Theater Manager", "11-9199.00"),
    ("Movie Theater Manager", "11-1021.00"),
    ("Solutions Architect", "15-1299.08"),
    ("Cloud Solution Architect", "15-1299.08"),
])
def test_theatre_managers_and_solution_architects(title, role):
    assert role_matcher(SHIPPED).match(title).role == role


def _rank_reranker(sign: float) -> Reranker:
    """A re-ranker scoring a candidate by its place in the votes' order (log_rank) x sign."""
    weights = np.zeros(len(RERANK_FEATURES))
    weights[RERANK_FEATURES.index("log_rank")] = sign
    return Reranker(np.zeros(len(weights)), np.ones(len(weights)), weights)


def test_candidate_features_are_the_similarity_searchs_candidates_in_vote_order():
    # a misspelt title only the similarity search matches; a known title has none
    matcher = calibrated_matcher()
    (roles, rows), exact = matcher.candidate_features(["Internet Entrepeneur",
                                                       "Registered Nurse"])
    assert exact is None
    assert len(roles) == len(set(roles)) == RERANK_CANDIDATES
    assert rows.shape == (RERANK_CANDIDATES, len(RERANK_FEATURES))
    assert roles[0] == matcher.match("Internet Entrepeneur").role
    votes = rows[:, RERANK_FEATURES.index("votes")]
    assert (np.diff(votes) <= 0).all()


def test_a_reranker_orders_the_candidates_of_a_similarity_match():
    # scoring by the votes' order changes nothing; scoring against it picks the 20th role
    matcher = calibrated_matcher()
    title = "Print Traffic"
    roles, _ = matcher.candidate_features([title])[0]
    try:
        matcher.reranker = _rank_reranker(-1.0)
        assert matcher.match(title).role == roles[0]
        matcher.reranker = _rank_reranker(1.0)
        assert matcher.match(title).role == roles[-1]
        assert matcher.match("Registered Nurse").role == "29-1141.00"  # exact: not re-ranked
    finally:
        matcher.reranker = None
