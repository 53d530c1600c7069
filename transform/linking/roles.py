"""Job title -> O*NET-SOC 2019 role, using O*NET occupation, reported and alternate titles.

Steps, first hit wins: the whole normalised title; the title cleaned of seniority, levels,
gendered suffixes and trailing qualifiers; else the most similar known titles: TF-IDF over
stemmed words, word pairs and character 4-grams (so word order, plurals and typos matter
little), the ten nearest titles voting for their role with the cube of their similarity
(so the closest titles dominate), plus, for every role, the cosine to the role's centroid
(the mean of all its known titles) in TF-IDF and, with a smaller weight, in the static word
embeddings of the skill ranker (``taxonomy/skill_ranker.npz``; synonyms with no shared
letters, e.g. "violinist" and "musician").

When the title leaves the role open (a known title several roles share, such as "Project
Manager", unless its first role holds most of their US jobs, or two roles scoring almost
alike) and the posting has a description, the candidates
are re-ranked by how close the description is to each role's O*NET description, tasks and work
activities (TF-IDF cosine); `role_method` then says "description". Before that, the
posting's NAICS sector (as its source or employer gives it) rules out candidates of another
industry that the sector hardly employs in the US (BLS OEWS); `role_method` "industry" when
that changes the role.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
from scipy import sparse

from schemas.taxonomy import Taxonomy
from transform.linking import skill_ranker
from transform.linking.oews import role_oews_codes
from transform.linking.role_texts import RoleTexts, role_texts, unit_rows
from transform.linking.tokens import NON_WORD_RE

ORIGIN_RANK = {"occupation": 0, "reported": 1, "short": 2, "alternate": 3}
MIN_ROLE_CONFIDENCE = 0.5  # below this a posting's role is not used for role profiles
NEIGHBOURS = 10  # nearest known titles that vote on the role of an unmatched title
MIN_SIMILARITY = 0.3  # below this cosine similarity to any known title: no role
VOTE_POWER = 3  # a neighbour's vote is its cosine similarity to this power
CENTROID_WEIGHT = 1.0  # weight of the cosine to a role's TF-IDF centroid in a role's score
EMBEDDING_WEIGHT = 0.3  # weight of the cosine to a role's mean title embedding
CHUNK = 2048  # titles scored at once against every role
CANDIDATES = 5  # roles, best by title, that a description may choose between
RERANK_CANDIDATES = 20  # roles, best by votes, that the learned re-ranker orders
# What a learned re-ranker knows of a candidate role (`RoleMatcher._candidate_features`).
RERANK_FEATURES = (
    "votes", "votes_share", "centroid", "embedding", "neighbour_votes", "neighbours",
    "nearest_title", "head_names", "head_in_role_title", "role_title_words_in_title",
    "title_words_in_role_title", "log_jobs", "specialty", "log_rank", "support_head",
    "log_known_titles", "nb_words", "words_known", "words_share", "nb_grams", "text_cosine")
AMBIGUOUS = 0.8  # a title is ambiguous when the runner-up scores at least this share of the best
DESCRIPTION_WEIGHT = 1.0  # weight of the description's cosine to a role's O*NET text
SHARED_TITLE_SCORE = 0.9  # title score, relative to the first, of a shared title's other roles
# A shared title whose first role holds at least this share of its roles' US jobs is that
# role whatever the description says: of 66 such description choices read by hand, 31 had
# moved a right role to a wrong one, 7 a wrong one to the right one
# (benchmarks/role_postings/description_picks.tsv).
FIRM_SHARE = 0.75
TITLE_TEXT_WEIGHT = 1.0  # weight of the whole title's cosine to a role's O*NET text
HEAD_SHARE = 0.8  # a role named by the title's head noun wins at this share of the best score
HEAD_SPREAD = 100  # head nouns of at most this many roles' titles count ("nurse", not "worker")
JOB_NOUN_TITLES = 20  # a word ends at least this many known titles: it names a job ("cleaner")
# Head nouns of a support post, and the words of the O*NET occupations that hold such posts
# ("Dental Assistants", "Helpers--Carpenters", "Funeral Attendants"). Not "technician":
# installers and repairers hold most technician titles under names without the word.
SUPPORT_HEADS = frozenset({"assistant", "aide", "helper", "attendant"})
SUPPORT_ROLE = re.compile(rf"\b(?:{'|'.join(sorted(SUPPORT_HEADS))})s?\b", re.IGNORECASE)
RANK_ONLY_FACTOR = 0.5  # a similarity match's score when the title names only a rank
SHARED_MIN, SHARED_MAX = 0.2, 0.8  # bounds of a shared title's confidence (employment share)
# A candidate role with under SECTOR_RARE of its US jobs in the posting's NAICS sector is
# not chosen when another has at least SECTOR_TYPICAL of its own there (BLS OEWS by sector).
SECTOR_RARE, SECTOR_TYPICAL = 0.01, 0.1
SECTOR_HOME = 0.5  # ... and the role belongs to one sector: this share of its US jobs in it
# Not OEWS's government sector: it holds every line of work public bodies run (federal
# hospitals, shipyards, commissaries), so an occupation rare in it is not rare in their ads.
SECTOR_ANY_WORK = frozenset({"92"})
MILITARY_GROUP = "55-"  # SOC major group: Military Specific Occupations
# Stemmed words (`_stem`) that let a title go to a military occupation by similarity.
MILITARY_WORDS = frozenset({
    "military", "army", "navy", "naval", "air", "force", "marine", "infantry", "infantryman",
    "artillery", "armor", "armour", "armored", "armoured", "warfare", "weapon", "missile",
    "combat", "combatant", "tactical", "airborne", "reconnaissance", "aircrew", "aircrewman",
    "crewmember", "crewman", "intelligence", "counterintelligence", "gunner", "gunnery",
    "gunfire", "antisubmarine", "submarine", "targeting", "assault", "cryptologic", "ordnance",
    "munition", "parachutist", "seal", "humint", "sigint", "amphibiou", "squadron", "platoon",
    "battalion", "brigade", "sergeant", "lieutenant", "colonel", "command", "rocket",
    "aviation", "helicopter", "flight", "aerospace", "battle", "soldier", "sailor", "airman",
    "enlisted", "special", "space", "launch", "radar", "sonar", "surveillance", "defense",
    "defence",
})
# Law enforcement occupations whose O*NET titles are mostly "... Officer" (SOC 33-3, not
# detectives and criminal investigators, whose titles name the work).
POLICE_GROUP = ("33-3011", "33-3012", "33-3031", "33-3041", "33-3051", "33-3052")
POLICE_WORDS = frozenset({
    "police", "policing", "sheriff", "patrol", "trooper", "constable", "correction",
    "correctional", "jail", "jailer", "detention", "custody", "custodial", "prison", "inmate",
    "warden", "detective", "investigator", "investigation", "criminal", "crime", "enforcement",
    "marshal", "bailiff", "court", "transit", "railroad", "game", "wildlife", "fish",
    "parking", "border", "custom", "immigration", "agent", "narcotic", "homicide", "k9",
    "swat", "law", "conservation", "ranger",
})
# Casino surveillance officers, whose "Surveillance Officer" drew public health surveillance
# posts ("Infection Surveillance Nurse", "HIV/STI Surveillance Scientist").
GAMBLING_GROUP = ("33-9031",)
GAMBLING_WORDS = frozenset({"casino", "gaming", "gambling", "betting", "bookmaker", "slot",
                            "racetrack", "racebook", "sportsbook", "bingo", "lottery"})
# Intelligence Analysts, whose "Intelligence Analyst" drew AI posts ("AI Content Expert",
# "AI Coach": "artificial intelligence"; the word does not count after "artificial" or
# "super", _MACHINE_INTELLIGENCE).
INTELLIGENCE_GROUP = ("33-3021.06",)
INTELLIGENCE_WORDS = frozenset({"intelligence", "counterintelligence", "threat", "osint",
                                "humint", "sigint", "geoint", "imagery", "targeting",
                                "counterterrorism", "terrorism"})
_MACHINE_INTELLIGENCE = frozenset({"artificial", "super"})  # words before an AI "intelligence"
RESTRICTED = ((MILITARY_GROUP, MILITARY_WORDS), (POLICE_GROUP, POLICE_WORDS),
              (GAMBLING_GROUP, GAMBLING_WORDS), (INTELLIGENCE_GROUP, INTELLIGENCE_WORDS))
OVERRIDES = Path(__file__).parent / "mappings" / "role_title_overrides.tsv"
# Matcher score -> share of labelled postings whose role was right (isotonic, fitted on the
# development half of benchmarks/role_postings: `python -m tools.role_postings calibrate`).
CALIBRATION = Path(__file__).parent / "mappings" / "role_confidence_calibration.tsv"

_SENIORITY = {
    "senior", "sr", "junior", "jr", "lead", "principal", "staff", "trainee", "graduate",
    "entry", "level", "mid", "intern", "internship", "experienced", "apprentice", "deputy",
    "i", "ii", "iii", "iv", "v", "1", "2", "3", "4", "5",
    # a start-up's first hire in a line of work ("Founding Engineer", "Founding AE"), no
    # line of work of its own: word similarity chose Foundry Mold and Coremakers
    "founding",
    # a US federal post open to several series ("Interdisciplinary (Engineer/Physical
    # Scientist)"), no line of work of its own: word similarity chose Postsecondary
    # Teachers, All Other (O*NET's "Interdisciplinary Professor") and Conservation Scientists
    "interdisciplinary",
}
# An NHS grade or staffing word before a known title: "Consultant Psychiatrist", "Bank
# Registered Nurse", "Salaried GP", "Highly Specialist Occupational Therapist" are that
# title's posts.
_GRADE_FIRST = re.compile(
    r"^(?:(?:consultant|locum|bank|salaried|rotational|(?:highly\s+)?specialist)\s+)+(.+)$")
_DIRECTOR_RANKS = frozenset({"assistant", "associate"})  # a rank before "director" (clean_title)
_ABBREVIATIONS = {
    "mgr": "manager", "eng": "engineer", "engr": "engineer", "dev": "developer",
    "admin": "administrator", "asst": "assistant", "rn": "registered nurse",
    "hr": "human resources", "qa": "quality assurance", "it": "information technology",
    "ux": "user experience", "ui": "user interface", "swe": "software engineer",
    "ml": "machine learning", "ai": "artificial intelligence", "devops": "devops engineer",
    # as O*NET writes them ("Front End Engineer", "Back End Developer", "Full Stack ...")
    "frontend": "front end", "backend": "back end", "fullstack": "full stack",
    # human resources as start-ups name it: "People Partner", "Head of People", "Sourcer"
    "people": "human resources", "sourcer": "recruiter",
    # NHS titles: a general practitioner, a healthcare assistant, a ward's senior nurse
    "gp": "general practitioner", "hca": "healthcare assistant",
    "sister": "nurse", "rgn": "registered general nurse", "rmn": "registered mental health nurse",
    "cpn": "community psychiatric nurse",
    # NHS advanced practice ("ANP/ACP") and start-ups' sales and HR posts ("SDR, Mid-Market",
    # "BDR, SMB (DACH)", "Senior HRBP, Operations"): alone, such titles had got no role
    "anp": "advanced nurse practitioner", "acp": "advanced clinical practitioner",
    "sdr": "sales development representative", "bdr": "business development representative",
    "hrbp": "human resources business partner",
    # board certified (assistant) behavior analysts of autism therapy ads: "BCBA/BCaBA"
    "bcba": "behavior analyst", "bcbas": "behavior analyst", "bcaba": "behavior analyst",
    # a programme or project management office ("PMO Officer" had gone to Loan Officers)
    "pmo": "project management office",
    # US federal IT specialists' parenthetical specialties (OPM series 2210): "IT Specialist
    # (INFOSEC)", "(SYSADMIN)", "(APPSW)", "(SYSANALYSIS)", "(ENTARCH)", "(DATAMGT)"
    "infosec": "information security", "sysadmin": "systems administrator",
    "appsw": "software developer", "sysanalysis": "systems analyst",
    "entarch": "enterprise architect", "datamgt": "data management",
    # UK heavy and large goods vehicles ("HGV Technician", "Class 1 HGV Driver") and
    # communications ("Internal Comms Officer")
    "hgv": "heavy truck", "lgv": "heavy truck", "comms": "communications",
    # a federal veterinary medical officer ("VMO (Public Health)")
    "vmo": "veterinary medical officer",
}
# British spellings of title words, as O*NET (US) spells them; an anaesthetist is a doctor
# (the US "anesthetist" is a nurse anesthetist).
_SPELLING = {
    "paediatric": "pediatric", "paediatrics": "pediatrics", "paediatrician": "pediatrician",
    "paeds": "pediatrics", "haematology": "hematology", "haematologist": "hematologist",
    "anaesthetist": "anesthesiologist", "anaesthetists": "anesthesiologists",
    "anaesthesia": "anesthesiology", "anaesthetics": "anesthesiology",
    "orthopaedic": "orthopedic", "orthopaedics": "orthopedics",
    "gynaecology": "gynecology", "gynaecologist": "gynecologist",
    "programme": "program", "programmes": "programs", "labour": "labor",
    "fulfilment": "fulfillment", "maths": "math",
    "labourer": "laborer", "labourers": "laborers", "organisational": "organizational",
    "organisation": "organization", "organiser": "organizer", "centre": "center",
    "counselling": "counseling", "counsellor": "counselor", "behaviour": "behavior",
    "behavioural": "behavioral", "colour": "color", "defence": "defense",
    "jeweller": "jeweler", "jewellery": "jewelry", "modelling": "modeling", "modeller": "modeler",
    "tyre": "tire", "tyres": "tires", "aluminium": "aluminum", "immunisation": "immunization",
    "harbour": "harbor", "windscreen": "windshield", "windscreens": "windshields",
}
_CO_ORDINATE = re.compile(r"\bco-ordinat", re.IGNORECASE)  # "co-ordinator": "coordinator"
_NOISE = re.compile(
    r"\((?:[^)]*)\)|\[(?:[^\]]*)\]|\b(?:m|f|w|d|x)\s*/\s*(?:m|f|w|d|x)(?:\s*/\s*(?:m|f|w|d|x))?\b"
    r"|\b(?:band|grade|gs|level)\s*[-\d/]+\w*|\b\d+(?:\.\d+)?\s*(?:k|hrs?|hours?)\b"
    r"|\b(?:part|full)[ -]?time\b"
)
_SPLIT = re.compile(r"\s+[-–—|:/@]\s+|,|;|\s+-\s*|-\s+|\s+at\s+|\s+in\s+(?=[a-z ]+$)")
_NON_WORD = NON_WORD_RE
# A known title before a colon, a team or specialty after it: "Site Reliability Engineer:
# Postgres", "Principal Clinical Psychologist: Neuropsychology" (not a rank alone:
# "Director: Security").
_COLON = re.compile(r"^([^:]*\w):\s+\S")


def normalise_title(title: str) -> str:
    """Lower-case, punctuation to spaces, single-spaced, US spelling."""
    words = _NON_WORD.sub(" ", _CO_ORDINATE.sub("coordinat", title.lower())).split()
    return " ".join(_SPELLING.get(w, w) for w in words)


# People a service is for, not a start-up's human resources ("Medicine for Older People",
# "Children and Young People's Nurse" had gone to Human Resources Managers and Specialists).
_PEOPLE_SERVED = frozenset({"older", "young", "younger", "vulnerable", "homeless"})


def _expanded(title: str) -> str:
    """The normalised title with its abbreviations written out ("infosec specialist":
    "information security specialist"; "older people" stays people served)."""
    words = normalise_title(title).split()
    return " ".join(w if w == "people" and k and words[k - 1] in _PEOPLE_SERVED
                    else _ABBREVIATIONS.get(w, w) for k, w in enumerate(words))


def strip_title(title: str) -> str:
    """A job title without brackets, gendered markers, pay bands or trailing qualifiers; its
    first part that is left once they are gone ("Band 6 - Staff Nurse": "staff nurse")."""
    t = _NOISE.sub(" ", title.lower())
    return _expanded(next((p for p in _SPLIT.split(t) if p.strip()), "") if _SPLIT.search(t)
                     else t)


def clean_title(title: str) -> str:
    """`strip_title` without seniority and level words: the core of a job title. An
    "Assistant Director of Nursing" or "Associate Nursing Director" is a director's post
    one rank down (a bare "Assistant Director" may be a film's)."""
    words = strip_title(title).split()
    core = [w for k, w in enumerate(words) if w not in _SENIORITY
            and not (k == 0 and w in _DIRECTOR_RANKS and len(words) > 2
                     and (words[1:3] == ["director", "of"] or words[-1] == "director"))]
    return " ".join(core or words)


_PAY_PLAN = re.compile(  # US federal pay plans and grades: GS-0303-7/8, NF-01, WG-4742-10,
    # and appointment terms: "Direct Hire Authority", "(Part Time) Temporary NTE 1 Year",
    # a closing "Seasonal" (not "Temporary Staffing Administrator")
    r"\b(?:gs|gm|ws|wg|wl|na|nf|cy|dr|nh|nd|nt)-?\d{1,4}(?:[-/]\d{1,4})*\b"
    r"|\bdirect[ -]hire(?: authority)?\b"
    r"|\b(?:(?:part[ -]time\s+)?temporary|seasonal)\b(?=\W*(?:$|nte\b|not[ -]to[ -]exceed\b))"
    r"|\b(?:nte|not[ -]to[ -]exceed)\s+\d+\s*(?:years?|months?|days?|hours?)\b"
    # an NHS staff bank's post ("Bank - MIU Emergency Nurse": not a bank's)
    r"|^\s*bank\s*[-–—:|]\s*"
    r"|^\s*dh\s*[-–—:|]\s*",  # "DH - Clinical Pharmacist": a direct hire
    re.IGNORECASE)
# An NHS doctor's grade before " in " and the specialty: "Consultant in Cardiology",
# "Consultant Physician in Dermatology", "Senior Clinical Fellow (ST3+) in Cardiology",
# "Trust Fellow in Paediatric Urology", "Specialty Doctor in Urology", "Specialty Registrar
# in Gastroenterology". The " in " split kept the grade alone, which named no specialty
# (Physicians, All Other, Hospitalists), a clerk's role for a registrar, or a postsecondary
# teaching assistant's for a fellow.
# So are a doctor in training's ("Specialty Trainee in Paediatrics", "Core Trainee in
# Psychiatry", "Trust Doctor in Acute Medicine", "LAS ST4+ in Psychiatry"): by word
# similarity they had gone to restaurant cooks, foundry coremakers and middle school teachers.
_GRADE = (r"(?:(?:senior|junior|locum|bank|trust|academic|higher|st\d\+?|ct\d)\s+)*"
          r"(?:consultants?(?:\s+physicians?)?|(?:clinical\s+)?fellow|speciali?ty\s+doctor"
          r"|(?:specialty|specialist)\s+registrar"
          r"|(?:speciali?ty|core|foundation)\s+train(?:ee|ing)|(?:trust|clinical)\s+doctor"
          r"|sho|spr|fy?\d"  # a senior house officer, specialist registrar, foundation year
          r"|la[st](?:\s+st\d\+?)?"  # a locum appointment for service or training: "LAS ST4+"
          r"|registrar|associate\s+specialist|(?:trust|staff)\s+grade(?:\s+doctor)?)")
_DOCTOR_IN = re.compile(
    rf"^\s*{_GRADE}(?:(?:\s*/\s*|\s+(?:and|or)\s+){_GRADE})?"  # "Consultant and Locum Consultant"
    r"(?:\s*\([^)]*\)|\s+st\d\+?|\s+ct\d(?:/\d)?)*\s+in\s+(.+)$", re.IGNORECASE)
# A specialty registrar's specialty may follow without " in ": "LAS Specialty Registrar
# General Surgery (ST3+)" (a locum appointment for service).
_REGISTRAR_OF = re.compile(
    r"^\s*(?:(?:las|lat|locum|trust|senior|junior)\s+)*(?:specialty|specialist)\s+registrar"
    r"(?:\s+st\d\+?)?\s+(?!in\b)([a-z].*)$", re.IGNORECASE)
_SURGERY = re.compile(r"\bsurgery$", re.IGNORECASE)
# A training level after the specialty: "Neurosurgery ST1", "Ophthalmology - Level One
# (ST1)", "Acute Medicine (ST3+)", "Urology FY2".
_TRAINING_LEVEL = re.compile(
    r"(?:\s*[-–—,]?\s*(?:level\s+\w+\s*)?\(?\b(?:st|ct|fy?)\d(?:\s*[-/]\s*(?:st|ct)?\d)*\+?"
    r"(?:\s+(?:level|grade|equivalent))?\)?)+\s*$", re.IGNORECASE)
# An NHS consultant named after the specialty, before or after the grade ("Haematology
# Consultant", "Locum Cardiology Consultant", "Consultant - Palliative Medicine"), is the
# doctor of "Consultant in X": word similarity sent "Colorectal Consultant" and "Stroke
# Consultant" to Travel Agents and "Haematology Consultant" to Computer Occupations, All
# Other; so are a registrar, a clinical fellow and a specialty doctor ("General Surgery
# Registrar" had gone to Medical Registrars, the clerks). Only where X names a medical
# specialty, no other profession and no "in" ("Nurse Consultant", "IT Development
# Consultant" keep their readings).
_SPECIALTY = (r"\w*(?:cardi|onc|hae?mat|enter|neur|nephr|ur|dermat|rheumat|endocrin|vir|bi|path"
              r"|radi|thalm|immun|gyna?ec|laryng|pulmon|neonat|hepat|cyt|esthesi|geront)olog(?:y|ical)"
              r"|\w*iatr(?:y|ic|ics)|medicine|surgery|surgical|\w*paediatric|\w*pediatric"
              r"|ana?esthe\w*|obstetric\w*|orthopa?edic\w*|stroke|colorectal|ent|respiratory"
              r"|intensive care|critical care|palliative|camhs|geriatric\w*|renal|diabetes"
              r"|vascular|cardiac|breast|elderly|pain|a&e")
_SPECIALTY_WORD = re.compile(rf"\b(?:{_SPECIALTY})\b", re.IGNORECASE)
_DOCTOR_GRADE = r"consultant|registrar|(?:clinical\s+)?fellow|speciali?ty\s+doctor"
_SPECIALTY_CONSULTANT = re.compile(
    r"^(?:(?:locum|bank|senior|junior|trust)\s+)*"
    rf"(?:(?P<before>[^-–—:]+?)\s+(?P<grade>{_DOCTOR_GRADE})"
    rf"|(?P<grade2>{_DOCTOR_GRADE})\s*[-–—:]\s*(?P<after>[^-–—:]+?))\s*$", re.IGNORECASE)
_OTHER_PROFESSION = re.compile(
    r"\b(?:nurs\w*|psychologist|\w*therap\w*|pharmac\w*|scientist|midwi\w*|physio\w*"
    r"|practitioner|dietitian|radiographer|sales|business|account|it|software)\b", re.IGNORECASE)
# An employer's talent pool, not a post: "Future Opportunities", "General Application
# (insert job you excel at)", "Talent Community Form". No role (word similarity had filed
# five under Equal Opportunity Representatives and Officers, three under Talent Directors).
_NOT_A_POST = re.compile(
    r"^\W*(?:[\w-]+\s+){0,2}?(?:future|general)\b(?:\s+[\w-]+)?\s+opportunit(?:y|ies)\W*$"
    # not a consultant's "with general interest" in a field
    r"|\btalent\s+(?:pool|community|network)\b|(?<!with )\bgeneral\s+(?:application|interest)\b"
    r"|\b(?:expression\s+of\s+interest|open\s+application|speculative\s+application)\b",
    re.IGNORECASE)
# "Porter Opportunities" are porters' posts; not in "Equal (Employment) Opportunity Officer".
_OPPORTUNITIES = re.compile(r"(?<!\bequal)(?<!\bemployment)\s+(?:job\s+)?opportunit(?:y|ies)\b",
                            re.IGNORECASE)
_PARTS = re.compile(r"\s*[|,]\s*|\s+[-–—]\s+|-\s+")
_PARTS_OR = re.compile(rf"{_PARTS.pattern}|\s+/\s+")  # "Trainee / Senior Radiographer"
# "Customer Experience - Dental Lab Technician", "Clinical / Counselling Psychologist"
_TEAM_FIRST = re.compile(r"\s+[-–—|/]\s+")
_BRACKET = re.compile(r"\(([^)]*)\)")
_EMPTY_BRACKET = re.compile(r"\(\s*\)|\[\s*\]")
_POOL_NAME = re.compile(r"\b(?:future|join|our)\b", re.IGNORECASE)  # "Future Builders", "Join us"
# Letters of a script other than Latin (CJK, Hangul, Kana, Cyrillic, ...), and the full-width
# punctuation East Asian titles write their English part with.
_OTHER_SCRIPT = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff]+")
_FULL_WIDTH = str.maketrans({"\uff08": " (", "\uff09": ") ", "\uff0c": ", ", "\uff5c": " | "})
_PIPE = re.compile(r"\s+\|\s+")  # "AI 제품 책임자 (한국) | Product Lead, AI (Korea)"
_GENERIC = {"director", "manager", "head", "vp", "lead", "supervisor", "officer", "specialist",
            "engineer", "assistant", "associate", "analyst", "consultant", "student",
            "technician", "coordinator", "chief"}

# Words that name a rank, a grade or a relation to a team, not a line of work: a title made
# only of them ("Consultant", "Associate", "Senior Practitioner", "Team Lead") that O*NET does
# not list names no occupation, and similarity to O*NET's "Sales Consultant" or "Team
# Assembler" is no evidence.
_RANK_WORDS = frozenset({
    *_GENERIC, *_SENIORITY, "practitioner", "member", "team", "partner", "leader", "adviser",
    "advisor", "professional", "expert", "representative", "agent", "fellow",
})


# Words of a bracket that say how or where a post is held, not its field: "Recruiter
# (Contract)" is no "Contract Specialist" (Purchasing Agents), "Blind Rehabilitation
# Specialist (Outpatient)" no "Outpatient Counselor" (Substance Abuse Counselors).
_NOT_A_FIELD = frozenset({"contract", "contractor", "temporary", "temp", "permanent", "locum",
                          "bank", "remote", "hybrid", "freelance", "outpatient", "inpatient",
                          "community"})


def names_rank_only(title: str) -> bool:
    """Whether every word of the cleaned `title` names a rank or relation (`_RANK_WORDS`,
    plurals too) and no override names it as work wherever it ends a title (a tail):
    "Senior Consultant" and "Staff Engineer" do, "Sales Consultant" and the NHS
    "Assistant Practitioner" do not."""
    words = clean_title(title).split()
    return (bool(words) and all(w in _RANK_WORDS or len(w) > 3 and _stem(w) in _RANK_WORDS
                                for w in words)
            and " ".join(words) not in _override_tails())


# A leader's post named by what it leads ("Director of Nursing", "Head of Sales", "VP of
# Engineering", "Chief of Pharmacy"), as O*NET's titles name it the other way round
# ("Nursing Director", "Sales Manager", "Police Chief"): the leading word, after seniority
# words, and what it leads. A chief of staff leads no staff: O*NET lists the title itself.
_LEADS = re.compile(
    r"^((?:(?:senior|sr|associate|assistant|deputy|executive|group|global|regional)\.?\s+)*)"
    r"(director|head|chief(?!\s+of\s+staff\b)|vice president|vp|svp|evp|avp|manager)"
    r"\s+(?:of|for)\s+(.+)$", re.I)
# A vice president named before the function, after a comma or a dash ("Vice President,
# Marketing", "VP - Engineering"): "Vice President" alone is O*NET's Chief Executives.
_VICE_PRESIDENT = re.compile(
    r"^(?:(?:senior|sr|executive|group|global|regional)\.?\s+)*(?:vice president|vp|svp|evp)\s*$",
    re.IGNORECASE)
# US federal "Supervisory X", an "X Supervisor", "X Foreman" or "X Team Lead(er)": the
# first-line supervisors of the group X belongs to, by SOC code prefix (the first that fits);
# not for professions, managers or supervisors already.
_SUPERVISORY = re.compile(
    r"^\s*supervisory\s+\w"
    r"|\b(?:supervisor|foreman|forewoman|foreperson|(?:team|shift|crew)\s+lead(?:er)?)s?\b",
    re.IGNORECASE)
FIRST_LINE = (
    ("33-1", None), ("33-2", "33-1021.00"), ("33-3012", "33-1011.00"),
    ("33-3021.06", None),  # intelligence analysts: a profession
    ("33-3", "33-1012.00"), ("33-9032", "33-1091.00"),
    ("35-1", None), ("35-", "35-1012.00"), ("37-1", None), ("37-2", "37-1011.00"),
    ("37-3", "37-1012.00"), ("39-1", None), ("39-3", "39-1014.00"), ("39-9032", "39-1014.00"),
    ("39-", "39-1022.00"), ("41-1", None), ("41-2", "41-1011.00"), ("41-", "41-1012.00"),
    ("43-1", None), ("43-", "43-1011.00"), ("45-1", None), ("45-", "45-1011.00"),
    ("47-1", None), ("47-", "47-1011.00"), ("49-1", None), ("49-", "49-1011.00"),
    ("51-1", None), ("51-", "51-1011.00"), ("53-7", "53-1042.00"), ("53-3", "53-1043.00"),
)
# An unknown "X Director" (its first part) is searched as "X Manager": "director" alone draws
# O*NET's art, film and religious directors ("GTM Director", "Country Director").
_AS_MANAGER = re.compile(r"^([^-–—|,(:]*\w\s+)director\b(?=\s*(?:$|[-–—|,(:]))", re.IGNORECASE)
_LEAD_AS = {"head": "manager", "vice president": "director", "vp": "director",
            "svp": "director", "evp": "director", "avp": "director"}


def led_first(title: str, as_manager: bool = False) -> str:
    """A leader's post named by what it leads, turned round as O*NET names such posts
    ("Head of Sales" -> "Sales manager", "Director of Nursing" -> "Nursing director", or
    with `as_manager` "Nursing manager"); other titles unchanged."""
    first, *rest = _PARTS.split(title, maxsplit=1)
    leads = _LEADS.match(first)
    if not leads and rest and _VICE_PRESIDENT.match(first):
        # "Vice President, Marketing" as "Vice President of Marketing"
        vice_president = first.strip()
        first, *rest = _PARTS.split(rest[0], maxsplit=1)
        leads = _LEADS.match(f"{vice_president} of {first}")
    if not leads:
        return title
    word = "manager" if as_manager else _LEAD_AS.get(leads.group(2).lower(),
                                                      leads.group(2).lower())
    return " - ".join([f"{leads.group(1)}{leads.group(3)} {word}", *rest])


# A teacher's post named by its subject ("Professor of Aerospace Engineering", "Lecturer in
# Economics"), as O*NET's titles name it the other way round ("Engineering Professor",
# "Economics Lecturer"; none of its 538 professors' titles says "Professor of"). A British
# "Teacher of Mathematics" teaches at a school: O*NET's "Mathematics Teacher" is a college's.
_TEACHES = re.compile(
    r"^(.*?)\b(professor|lecturer|instructor)\s+(?:of|in)\s+(?!the\b)(.+)$",
    re.IGNORECASE)


def taught_first(title: str) -> str:
    """A teacher's post named by its subject, turned round as O*NET names such posts
    ("Assistant Professor of Nursing" -> "Nursing Assistant Professor"); other titles
    unchanged. A subject beginning "the" is left ("Instructor of the Deaf")."""
    first, *rest = _PARTS.split(title, maxsplit=1)
    teaches = _TEACHES.match(first)
    if not teaches:
        return title
    before, word, subject = teaches.groups()
    if "/" in before:  # ranks as alternatives: "Assist/Assoc/ Professor of ..."
        before = ""
    return " - ".join([" ".join(f"{subject} {before}{word}".split()), *rest])


# A rank named before its field ("Analyst in Agricultural Policy", "Specialist in Paediatric
# Dentistry"): the " in " split kept the rank alone, which named no occupation. Not "in
# training" (a trainee's post).
_RANK_IN = re.compile(r"^\s*(.+?)\s+in\s+(?!training\b)(.+)$", re.IGNORECASE)


def rank_first(title: str) -> str:
    """A post named as a rank in a field, turned round as O*NET names it ("Analyst in
    Agricultural Policy" -> "Agricultural Policy Analyst"); other titles unchanged."""
    first, *rest = _PARTS.split(title, maxsplit=1)
    found = _RANK_IN.match(first)
    if not found or not names_rank_only(found.group(1)):
        return title
    return " - ".join([f"{found.group(2)} {found.group(1)}", *rest])


# A federal programme for new graduates, its bracket the post: "DHA Recent Graduates
# Program (Management Analyst)", "DON Pathways Internship Program (Student Trainee -
# Pipefitter)" (word similarity read "program" as a computer programmer's).
_GRADUATES = re.compile(r"\b(?:recent\s+graduates?|pathways)\b", re.IGNORECASE)


def _trained_for(title: str) -> str | None:
    """The work a US federal "Student Trainee (Accounting)" trains for: its first bracket
    that is no term or number, the first of its alternatives ("Clerk/Office Automation")."""
    for inside in _BRACKET.findall(title):
        work = inside.split("/")[0].strip(" (")  # "((Computer Engineer/Computer Scientist)"
        if len(work) > 2 and not re.search(r"\d|remote|contract", inside, re.IGNORECASE):
            return work
    return None


def _specialty_consultant(title: str) -> str:
    """"X Consultant" or "Consultant - X" as "Consultant in X" (also a registrar, clinical
    fellow or specialty doctor) when X names a medical specialty (`_SPECIALTY_CONSULTANT`);
    other titles as they are."""
    found = _SPECIALTY_CONSULTANT.match(title)
    if found is None:
        return title
    specialty = (found["before"] or found["after"]).strip()
    if (not _SPECIALTY_WORD.search(specialty) or _OTHER_PROFESSION.search(specialty)
            or re.search(r"\bin\b", specialty)):
        return title
    return f"{found['grade'] or found['grade2']} in {specialty}"


def _doctor_in(title: str) -> str:
    """An NHS doctor's post in a specialty as its physician ("Cardiology physician") or,
    for a surgical one, its surgeon ("General surgeon"); other titles as they are."""
    found = _DOCTOR_IN.match(title) or _REGISTRAR_OF.match(title)
    if found is None:
        return title
    specialty = re.sub(r"\s*[/&]\s*", " and ", _TRAINING_LEVEL.sub("", found.group(1)).strip())
    unbracketed = _BRACKET.sub(" ", specialty).strip()
    if _SURGERY.search(unbracketed):
        return _SURGERY.sub("surgeon", unbracketed)
    return f"{specialty} physician"


def posting_title(title: str) -> str:
    """A posting's title with the noise job ads add and O*NET titles lack: US federal pay
    plans and terms ("NF-01", "GS-0303-7/8", "Direct Hire Authority", "Temporary NTE 1
    Year") and an NHS staff bank's "Bank - "; a doctor's "Consultant in X" (clinical fellow,
    specialty doctor, registrar; "X Consultant" for a medical specialty X) as "X
    physician" ("X surgeon" for "X Surgery"); a rank in a field as O*NET names it
    ("Analyst in Agricultural Policy": `rank_first`); a first part that names only a rank
    ("Director | Product Marketing", "Staff Engineer, Site Reliability", "Trainee / Senior
    Radiographer": read after the next part, "Product Marketing Director"); the bracket of
    a federal student trainee, graduates' programme or interdisciplinary post, the work
    ("Student Trainee (Clerk/Office Automation)": "Clerk", "Interdisciplinary
    (Engineer/Physical Scientist)": "Engineer"); an outside that names no occupation but
    its bracket does ("Staff Engineer (Geotechnical)", "Student Trainee (Management
    Assistant)": the bracket first). The matcher also tries `led_first` on a title it does
    not know."""
    t = " ".join(_OPPORTUNITIES.sub(" ", _PAY_PLAN.sub(" ", title)).split()).rstrip(" -–—|,")
    t = rank_first(taught_first(_doctor_in(_specialty_consultant(t))))
    outside = [w for w in normalise_title(_BRACKET.sub(" ", t)).split() if w not in _SENIORITY]
    inside = [b for b in _BRACKET.findall(t)
              if not re.search(r"\d|remote|contract|/|^\W*\w\W*$", b, re.IGNORECASE)]
    if (not outside or set(outside) == {"student"} or outside[-1:] == ["program"]
            and _GRADUATES.search(t)) and (trained := _trained_for(t)):
        # a student trainee's, a federal graduates' programme's or an interdisciplinary post
        t = trained
    elif inside and len(outside) <= 1 and set(outside) <= _GENERIC:
        t = " ".join([inside[0].replace(",", " "), *outside])
    parts = [p for p in _PARTS_OR.split(t) if p.strip()]
    if len(parts) > 1 and names_rank_only(parts[0]) and not _VICE_PRESIDENT.match(parts[0]):
        t = " ".join([parts[1], parts[0], *(f"- {p}" for p in parts[2:])])
    return t.strip() or title


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _singular(title: str) -> str:
    return " ".join(w[:-3] + "fe" if w.endswith("wives") else _stem(w)  # Midwives
                    for w in normalise_title(title).split())


def _head_singular(title: str) -> str:
    """A plural title with its last word, the head noun, in the singular: "Facilities
    Managers" is "facilities manager" (`_singular` makes "facilitie manager")."""
    *words, head = normalise_title(title).split() or [""]
    head = head[:-3] + "y" if head.endswith("ies") else _singular(head)
    return " ".join([*words, head])


def _head(title: str) -> str:
    """The stemmed last word of the cleaned title, its head noun ("" for none)."""
    words = clean_title(title).split()
    return _stem(words[-1]) if words else ""


def _features(title: str) -> list[str]:
    """Stemmed words, word pairs and character 4-grams of a cleaned title."""
    words = [_stem(w) for w in clean_title(title).split()]
    padded = f" {' '.join(words)} "
    return [*words, *(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)),
            *(f"#{padded[i:i + 4]}" for i in range(len(padded) - 3))]


def _overlap(a: str, b: str) -> int:
    return len({_stem(w) for w in a.split()} & {_stem(w) for w in normalise_title(b).split()})


@dataclass(frozen=True)
class Reranker:
    """Orders a title's candidate roles by a linear score of their RERANK_FEATURES
    (standardised by `mean` and `scale`): a logistic regression fitted by
    tools/train_reranker.py. Tried and not shipped (docs/methodology.md, roles)."""
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    def score(self, features: np.ndarray) -> np.ndarray:
        """One score per row of `features` (candidates x RERANK_FEATURES); higher: likelier."""
        return ((features - self.mean) / self.scale) @ self.weights


@dataclass(frozen=True)
class RoleMatch:
    role: str | None
    role_title: str | None
    confidence: float
    method: str


class RoleMatcher:
    """Maps job titles to O*NET-SOC codes; build once, call `match` per title."""

    def __init__(self, taxonomy: Taxonomy, holdout: set[str] | None = None,
                 texts: RoleTexts | None = None, calibrated: bool = False,
                 reranker: Reranker | None = None) -> None:
        """`taxonomy`: the O*NET titles, roles and texts, US employment and the skill
        ranker's embeddings to match with; `holdout`: titles left out of the index, to
        measure accuracy on unseen titles;
        `texts`: the roles' texts for descriptions (default: the taxonomy's); `calibrated`:
        confidence as the calibrated probability that the role is right (`calibrate`; the
        published role_confidence and `microcareer roles`), else the matcher's own score;
        `reranker`: what orders the candidates of a title matched by similarity, else their
        votes (tools/train_reranker.py; tried, not used by the nightly stage)."""
        self._calibrated = calibrated
        self.reranker = reranker
        titles = taxonomy.titles()
        if holdout:
            titles = titles.filter(~pl.col("title").is_in(list(holdout)))
        roles = taxonomy.roles()
        self.role_titles: dict[str, str] = dict(zip(roles["role"], roles["title"], strict=True))
        titles = titles.with_columns(
            rank=pl.col("origin").replace_strict(ORIGIN_RANK, return_dtype=pl.Int8))
        variants = pl.concat([
            titles.with_columns(key=pl.col("title").map_elements(
                normalise_title, return_dtype=pl.String)),
            # Cleaned forms rank after every verbatim title; an occupation's own title in
            # the singular competes with them ("customer service representative" is also an
            # alternate title of Credit Authorizers, Checkers, and Clerks).
            titles.with_columns(key=pl.col("title").map_elements(
                clean_title, return_dtype=pl.String), rank=pl.col("rank") + 10),
            titles.filter(pl.col("origin") == "occupation").with_columns(
                key=pl.col("title").map_elements(_singular, return_dtype=pl.String),
                rank=pl.lit(5, pl.Int8)),
        ])
        # An ambiguous title goes to the role whose own title shares most words with it, then
        # to the role employing most people in the US (the likelier meaning), then to the
        # SOC occupation itself before its O*NET specialties (Registered Nurses before
        # Critical Care Nurses), then by where O*NET lists the title.
        employment = _employment(taxonomy)
        ranked = (
            variants.filter(pl.col("key") != "")
            .join(roles.select("role", role_title="title"), on="role")
            .with_columns(soc_code=pl.col("role").str.slice(0, 7))
            .join(employment, on="soc_code", how="left")
            .with_columns(jobs=-pl.col("jobs").fill_null(0))
            .with_columns(overlap=pl.struct("key", "role_title").map_elements(
                lambda r: -_overlap(r["key"], r["role_title"]), return_dtype=pl.Int32))
            .with_columns(tier=pl.col("rank") >= 10,
                          specialty=~pl.col("role").str.ends_with(".00"))
            .sort("key", "tier", "overlap", "jobs", "specialty", "rank", "role")
        )
        best_tier = ranked.filter(pl.col("tier") == pl.col("tier").first().over("key"))
        # Every role a known title names, in the order above: what a description chooses from.
        self.shared_titles: dict[str, list[str]] = {
            key: roles_ for key, roles_ in best_tier.group_by("key", maintain_order=True)
            .agg(pl.col("role").unique(maintain_order=True)).iter_rows() if len(roles_) > 1}
        # A role's own O*NET title names it, whatever else lists the title.
        self._occupation_keys = set(ranked.filter(pl.col("rank").is_in([0, 5]))["key"].to_list())
        ranked = ranked.unique("key", keep="first", maintain_order=True)
        self.index: dict[str, str] = dict(zip(ranked["key"], ranked["role"], strict=True))
        # So does its title with the head noun in the singular, where O*NET also lists that
        # form for it ("Facilities Manager", which it also gives office supervisors).
        self._occupation_keys |= {
            key for role, key in titles.filter(pl.col("origin") == "occupation")
            .select("role", key=pl.col("title").map_elements(_head_singular,
                                                             return_dtype=pl.String))
            .iter_rows() if self.index.get(key) == role}
        self._jobs: dict[str, float] = {
            r: -float(j) for r, j in ranked.select("role", "jobs").unique("role").iter_rows()}
        self._oews_codes = role_oews_codes(taxonomy)
        # Each OEWS occupation's sector mix: P(sector | occupation), the share of its US jobs
        # in each NAICS sector.
        self._sector_mix: dict[str, dict[str, float]] = {}
        for soc, sector, share in taxonomy.bls_employment().select(
                "soc_code", "sector",
                share=pl.col("employment") / pl.col("employment").sum().over("soc_code"),
        ).iter_rows():
            self._sector_mix.setdefault(soc, {})[sector] = share
        self._catch_alls = frozenset(r for r, t in self.role_titles.items() if "All Other" in t)
        rows = _override_rows()
        overrides = _overrides(rows)
        # An "unindexed" override of a title O*NET lists leaves the similarity search as O*NET
        # has it: the title still votes there for O*NET's role ("Airport Security Officer",
        # Airfield Operations Specialists, whose remaining titles, all "... operations ...",
        # drew a start-up's strategy and operations posts without it).
        unindexed = _unindexed_overrides(rows)
        self._similar_roles = {key: self.index[key] for key in unindexed if key in self.index}
        self._override_keys = {key for key, _, _, _ in overrides}
        self._tail_keys = {key for key, _, _, tail in overrides if tail}
        # A line's key also stands written out: the matcher writes abbreviations out before
        # it takes rank words off, so "Senior Admin Officer" is looked up as "administrator
        # officer" and "Senior QA Automation Engineer" as O*NET's "quality assurance
        # automation engineer" (a line on the written-out title itself still wins, and so
        # does O*NET's title where it names the line's role: "ward sister", "ward nurse").
        written_out = [(long, role, others) for key, role, others, _ in overrides
                       if (long := _expanded(key)) != key and long not in self._override_keys
                       and self.index.get(long) != role]
        for key, role, others in [(k, r, o) for k, r, o, _ in overrides] + written_out:
            self.index[key] = role
            self.shared_titles[key] = [role, *others]
            self._occupation_keys.discard(key)
        self._texts = texts if texts is not None else role_texts(taxonomy)
        # An override's title that O*NET does not list joins its role's titles, so that its
        # variants ("Platform Growth Lead" for "growth lead") find the role by similarity;
        # not a catch-all's ("locum consultant": a specialty named beside it should win), nor
        # one flagged "unindexed" (its words drew unrelated titles: "bank cashier", NHS
        # staff-bank posts).
        known = set(ranked["key"].to_list()) | unindexed
        self.keys: list[str] = ranked["key"].to_list() + [
            key for key, role, _, _ in overrides
            if key not in known and role not in self._catch_alls]
        self._build_index(taxonomy)

    def _result(self, role: str, confidence: float, method: str) -> RoleMatch:
        return RoleMatch(role, self.role_titles.get(role), round(confidence, 3), method)

    def match(self, title: str | None, description: str | None = None,
              sector: str | None = None) -> RoleMatch:
        return self.match_many([title], None if description is None else [description],
                               None if sector is None else [sector])[0]

    def match_many(self, titles: list[str | None],
                   descriptions: list[str | None] | None = None,
                   sectors: list[str | None] | None = None) -> list[RoleMatch]:
        """Match titles (each distinct title once; the similarity search runs in bulk over
        those no known title matches); `descriptions` and the postings' NAICS `sectors`,
        when given, settle ambiguous titles."""
        posts = {t: post for t in dict.fromkeys(titles) if t and (post := self._post_title(t))}
        distinct = list(posts)
        query, keys = {}, {}
        for t in distinct:
            query[t], keys[t] = self._posting_query(posts[t])
        found = {t: self._exact_result(query[t], key) for t, key in keys.items()}
        choices: dict[str, list[tuple[str, float]]] = {}
        nearest: dict[str, list[tuple[str, float]]] = {}  # a clear similarity match's runners-up
        firm: set[str] = set()  # shared titles a description does not overturn (FIRM_SHARE)
        for t, key in keys.items():
            if key in self.shared_titles and key not in self._occupation_keys:
                # The first role (see the tie-break above) keeps a lead a description must beat.
                choices[t] = [(r, 1.0 if k == 0 else SHARED_TITLE_SCORE)
                              for k, r in enumerate(self.shared_titles[key])]
                found[t] = self._shared(key, found[t])
                if self._firm(self.shared_titles[key]):
                    firm.add(t)
        pending = [t for t, r in found.items() if r.method == "none"]
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start:start + CHUNK]
            for t, (match, top) in zip(chunk, self._similar_chunk([query[t] for t in chunk]),
                                       strict=True):
                found[t] = match
                near = self._named(query[t], [(r, v) for r, v in top if v >= AMBIGUOUS * top[0][1]])
                if len(near) > 1:
                    choices[t] = near
                elif match.role is not None and top and top[0][0] == match.role \
                        and not self._head_names(query[t], match.role):
                    nearest[t] = top  # a match its head noun does not name: a word's echo
                if match.role is not None and names_rank_only(query[t]):
                    # The title names no line of work: its nearest titles share a rank with
                    # it, not an occupation ("Consultant": O*NET's "Sales Consultant").
                    found[t] = self._result(match.role, RANK_ONLY_FACTOR * match.confidence,
                                            match.method)
                if match.role is not None and (key := self._override_tail(query[t])):
                    # "SMB Account Executive" is first the override's "account executive",
                    # not the advertising one its nearest O*NET titles name; a description
                    # still chooses among the override's roles and that nearest one.
                    ours = self.shared_titles[key]
                    choices[t] = [(r, 1.0 if k == 0 else SHARED_TITLE_SCORE)
                                  for k, r in enumerate(ours)]
                    if match.role not in ours:
                        choices[t].append((match.role, SHARED_TITLE_SCORE))
                    found[t] = self._shared(key, self._result(ours[0], 0.9, "cleaned"))
                    if self._firm(ours):
                        firm.add(t)
        for t in distinct:
            if (bracketed := self._bracketed_role(t, keys[t], found[t])) is not None:
                found[t] = bracketed
                choices.pop(t, None)
        none = RoleMatch(None, None, 0.0, "none")
        results = [found.get(t, none) if t else none for t in titles]
        options = [choices.get(t) if t else None for t in titles]
        for i, (title, sector) in enumerate(zip(titles, sectors or [None] * len(titles),
                                                strict=True)):
            if not sector or sector in SECTOR_ANY_WORK:
                continue
            cands = options[i]
            if not cands and (wide := nearest.get(title)) and results[i].role == wide[0][0]:
                cands = wide  # a clear match by words alone may fall to its runners-up
            if not cands:
                continue
            kept = self._in_sector(cands, sector)
            if kept[0][0] == results[i].role and not options[i]:
                continue  # a clear match the sector employs stays one
            options[i] = kept
            if kept[0][0] != results[i].role:
                results[i] = self._result(kept[0][0], results[i].confidence, "industry")
        if descriptions is not None:
            asked = [i for i, (t, d) in enumerate(zip(titles, descriptions, strict=True))
                     if (cands := options[i]) and len(cands) > 1 and d and d.strip()
                     and t not in firm]
            if asked:
                picked = self._by_description([options[i] for i in asked],  # type: ignore[misc]
                                              [titles[i] for i in asked],  # type: ignore[misc]
                                              [descriptions[i] for i in asked])  # type: ignore[misc]
                for i, role in zip(asked, picked, strict=True):
                    if role != results[i].role:
                        results[i] = self._result(role, results[i].confidence, "description")
        # An override's post is what its line says ("door supervisor": a security guard).
        supervisory = {t for t in distinct if _SUPERVISORY.search(t)
                       and keys[t] not in self._override_keys
                       and self._override_tail(query[t]) is None}
        results = [self._supervisor(r) if t in supervisory else r
                   for t, r in zip(titles, results, strict=True)]
        if self._calibrated:
            results = [r if r.role is None else RoleMatch(
                r.role, r.role_title, calibrate(r.confidence), r.method) for r in results]
        return results

    def _in_sector(self, cands: list[tuple[str, float]], sector: str
                   ) -> list[tuple[str, float]]:
        """`cands` without the roles of another industry that the posting's NAICS sector
        hardly employs: at least SECTOR_HOME of their US jobs in one sector and under
        SECTOR_RARE in this one, while it holds at least SECTOR_TYPICAL of another
        candidate's (BLS OEWS). A heating contractor's "Service Manager" is no health
        services manager, a hospital's "Discharge Matron" no metal worker. A role OEWS does not
        publish is kept; a catch-all ("All Other") takes no lead from a ruled-out role."""
        mixes = [self._sector_mix.get(self._oews_codes.get(r[:7], r[:7])) for r, _ in cands]
        if max((m.get(sector, 0.0) for m in mixes if m), default=0.0) < SECTOR_TYPICAL:
            return cands
        kept = [c for c, m in zip(cands, mixes, strict=True)
                if not m or m.get(sector, 0.0) >= SECTOR_RARE or max(m.values()) < SECTOR_HOME]
        if not kept or (kept[0] != cands[0] and kept[0][0] in self._catch_alls) or all(
                r in self._catch_alls for r, _ in kept):
            return cands  # "Wood Worker" is no more Social Workers, All Other for it
        return kept

    def _supervisor(self, match: RoleMatch) -> RoleMatch:
        """The match of a US federal "Supervisory X", an "X Supervisor" or "X Team Leader" of a
        trade, service, sales or clerical X: the first-line supervisors of X's group
        (`FIRST_LINE`), as the labelling criteria code it; a supervisor of professionals keeps
        the profession ("Supervisory Pharmacist", "Clinical Supervisor")."""
        for prefix, role in FIRST_LINE if match.role else ():
            if match.role.startswith(prefix):
                if role is None or role not in self.role_titles:
                    return match
                return self._result(role, match.confidence, match.method)
        return match

    def _bracketed_role(self, title: str, key: str | None, match: RoleMatch) -> RoleMatch | None:
        """The role a title's bracket names, when it is a known title of another role of the
        same SOC minor group as the title's own match: US federal titles name the post, then
        the specialty ("Physician (Psychiatrist)", "Physician (Orthopedic Surgeon)"), or its
        field, a known title with the role's noun ("Medical Officer (Internal Medicine)":
        "Internal Medicine Physician"). For a title an override settles, only a field naming
        one of its roles: a bracket's title may be another name of the post ("Health Care
        Assistant (Support Worker)")."""
        brackets = _BRACKET.findall(title)
        if match.role is None or not brackets:
            return None
        ours = self.shared_titles.get(key, []) if key in self._override_keys else None
        noun = _head_singular(self.role_titles.get(match.role, "").split(",")[0]).split()[-1:]
        # the post itself in the bracket's field first: "Engineering Technician (Civil)" is a
        # "civil engineering technician" before a "civil technician" (a drafter's title)
        post = [" ".join(_BRACKET.sub(" ", title).split())]
        for inside in brackets:
            field = next((k for n in post + noun if (k := _expanded(f"{inside} {n}")) in self.index
                          and not set(k.split()[:-1]) <= _NOT_A_FIELD), None)
            sub_key = field if ours is not None else self._known_key(inside) or field
            if sub_key is None:
                continue
            if (ours is None and match.role not in self._catch_alls
                    and sub_key in self._override_keys
                    and len(self.shared_titles.get(sub_key, [])) > 1):
                # "Research Geneticist (Postdoctoral Research Associate)": a bracket an
                # override reads as several roles names no one specialty of a named role
                return None
            sub = self._exact_result(inside, sub_key)
            if (sub.role == match.role or sub.role[:5] != match.role[:5]
                    or ours is not None and sub.role not in ours):
                return None
            if sub_key in self.shared_titles and sub_key not in self._occupation_keys:
                sub = self._shared(sub_key, sub)
            return sub
        return None

    def _shared(self, key: str, match: RoleMatch) -> RoleMatch:
        """Honest ambiguity for a title several roles share: the match's confidence times
        the chosen role's share of their US jobs (its likelihood if ads follow
        employment), never "1.00"."""
        return self._result(match.role, match.confidence * self._share(self.shared_titles[key]),
                            match.method)

    def _share(self, roles: list[str]) -> float:
        """The first role's share of the US employment of `roles` (O*NET specialties of one
        SOC occupation count once, with it), between SHARED_MIN and SHARED_MAX (employment
        unknown: an equal share)."""
        socs = list(dict.fromkeys(r[:7] for r in roles))
        jobs = [max(self._jobs.get(r, 0.0) for r in roles if r[:7] == soc) for soc in socs]
        share = jobs[0] / sum(jobs) if sum(jobs) > 0 else 1 / len(socs)
        return min(max(share, SHARED_MIN), SHARED_MAX)

    def _firm(self, roles: list[str]) -> bool:
        """Whether the first of a shared title's `roles` holds at least FIRM_SHARE of their
        US jobs, every one's employment known (OEWS has no military jobs: "Flight Engineer",
        Aerospace Engineers or the armed forces' Air Crew Members, is not firm)."""
        return (all(self._jobs.get(r, 0.0) > 0 for r in roles)
                and self._share(roles) >= FIRM_SHARE)

    def _work_first(self, title: str) -> str:
        """A title whose first part, before " - ", " | " or " / ", names no job (a place, an
        employer, a team, a qualifier of the job: its last word ends no known title) and whose
        rest does (its last word ends JOB_NOUN_TITLES known titles or more, and not only a
        rank), read from the rest: "BERLIN - Station Manager", "Canals - Sr Backend
        Engineer", "Customer Experience - Dental Lab Technician", "Clinical / Counselling
        Psychologist". Cleaning keeps a title's first part ("Data Engineer - Platform"), so
        the first part would otherwise be all that is matched."""
        first, *rest = _TEAM_FIRST.split(title, maxsplit=1)
        if not rest or first.count("(") != first.count(")"):
            return title
        head = _head(first)
        if (not head or self._head_titles[head] or names_rank_only(rest[0])
                or not self._names_a_job(rest[0])):
            return title
        return f"{rest[0]} - {first}"

    def _post_title(self, title: str) -> str | None:
        """The title of the post a posting is for: its own, or the post a speculative
        application names (`_applied_for`); None for a talent pool's that names none."""
        return self._applied_for(title) if _NOT_A_POST.search(title) else title

    def _applied_for(self, title: str) -> str | None:
        """The post a speculative application or talent pool names, if it names one ("Data
        Engineer - Open Application": "Data Engineer"; "Senior Account Development
        Representative (Expression of Interest)"); None for one that names no post ("General
        Application", "Join the Engineering Talent Pool", "Other Profiles - Open Application",
        "Future Builders - General Interest")."""
        rest = _EMPTY_BRACKET.sub(" ", _NOT_A_POST.sub(" ", title)).strip(" -–—|:,;/")
        if (rest and not names_rank_only(rest) and not _POOL_NAME.search(rest)
                and self._names_a_job(_BRACKET.sub(" ", rest))):
            return rest
        return None

    def _names_a_job(self, title: str) -> bool:
        """Whether the title's head noun ends JOB_NOUN_TITLES known titles or more."""
        return self._head_titles[_head(title)] >= JOB_NOUN_TITLES

    def _posting_query(self, title: str) -> tuple[str, str | None]:
        """`_query` of a post's title (`_post_title`) as written: its Latin-script title
        (`_latin_title`), its job part first (`_work_first`), then the ads' noise taken out
        (`posting_title`)."""
        return self._query(posting_title(self._work_first(self._latin_title(title))))

    def _latin_title(self, title: str) -> str:
        """The English title of one written in two scripts: a bracket that names a job
        ("MLOps 工程師 (MLOps Engineer)", "高级软件工程师, JavaScript/TypeScript (Senior Software
        Engineer) (Remote)"), else the Latin words, of the part that names a job ("AI 제품
        책임자 (한국) | Product Lead, AI (Korea)"). Read whole, such titles had gone to no
        role or, by a word or two, to the textile cutting machine setters."""
        if not _OTHER_SCRIPT.search(title):
            return title
        t = title.translate(_FULL_WIDTH)
        for inside in _BRACKET.findall(t):
            if not _OTHER_SCRIPT.search(inside) and self._names_a_job(inside):
                return " ".join(inside.split())
        t = _OTHER_SCRIPT.sub(" ", _BRACKET.sub(
            lambda b: " " if _OTHER_SCRIPT.search(b.group(1)) else b.group(0), t))
        parts = [" ".join(p.split()).strip(" ,-–—|/") for p in _PIPE.split(t)]
        named = [p for p in parts if p and self._names_a_job(_BRACKET.sub(" ", p))]
        # else the part of two words or more ("Product Lead, AI (Korea)"), not an employer's
        # name alone ("캠퍼스 리드 - BeReal")
        return (named or [p for p in parts if len(p.split()) > 1] or [title])[0]

    def _query(self, title: str) -> tuple[str, str | None]:
        """(the form of a `posting_title` to match, its known key or None): the title, or a
        leader's post turned round (`led_first`) when only that is known (O*NET's own
        "Director of ..." titles are known as they are); an unknown turned title is
        searched as a manager's, since "director" alone draws Art Directors, and so is an
        unknown "X Director" (`_AS_MANAGER`; not an arts or media director's or a board's)."""
        key = self._known_key(title)
        if (key is None and (colon := _COLON.match(title))
                and not names_rank_only(colon.group(1))
                and (first := self._known_key(colon.group(1))) is not None):
            return colon.group(1), first
        if key is None and (turned := led_first(title)) != title:
            if (key := self._known_key(turned)) is None:
                turned = led_first(title, as_manager=True)
                key = self._known_key(turned)
            title = turned
        if key is None and (director := _AS_MANAGER.match(title)):
            # not where the last two words are an arts or media director's known post
            # ("MultiMedia Art Director") or a board's ("Non Executive Director")
            words = [w for w in director.group(1).lower().split() if w not in _SENIORITY]
            word = words[-1] if words else ""
            ending = self._known_key(f"{word} director") if word else None
            if word != "executive" and (ending is None or not self.index[ending].startswith("27-")):
                title = f"{director.group(1)}manager{title[director.end():]}"
                key = self._known_key(title)
        return title, key

    def _override_tail(self, title: str) -> str | None:
        """The override title marked "tail" (mappings/role_title_overrides.tsv) that ends the
        cleaned `title`, if any, and no longer known title ends it ("accident and emergency
        medicine physician" ends with O*NET's "emergency medicine physician": not the tail
        "medicine physician")."""
        words = clean_title(title).split()
        for n in range(len(words) - 1, 0, -1):
            if (tail := " ".join(words[-n:])) in self._tail_keys:
                return tail
            if tail in self.index:
                return None
        return None

    def _known_key(self, title: str) -> str | None:
        """The first of the whole normalised title, the stripped and the cleaned title, and
        the cleaned title with its head noun in the singular ("Cleaners (Bank Hours)",
        "Support Workers"), that is a known title; else the cleaned title after an NHS grade
        (`_GRADE_FIRST`), when that names one role."""
        cleaned = clean_title(title)
        for key in (normalise_title(title), strip_title(title), cleaned,
                    _head_singular(cleaned)):
            if key in self.index:
                return key
        if (graded := _GRADE_FIRST.match(cleaned)) and not names_rank_only(graded.group(1)):
            # not a title several roles share ("surgeon", "doctor", a line's with
            # alternatives): its first role is only a tie-break ("Consultant Vascular
            # Surgeon" is no orthopaedic surgeon)
            key = graded.group(1)
            if key in self.index and key not in self.shared_titles:
                return key
        return None

    def _exact_result(self, title: str, key: str | None) -> RoleMatch:
        if key is None:
            return RoleMatch(None, None, 0.0, "none")
        if key == normalise_title(title):
            return self._result(self.index[key], 1.0, "exact")
        return self._result(self.index[key], 0.9, "cleaned")

    def _named(self, query: str, choices: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """`choices` without the roles the title's head noun does not name, when it names
        the first: an "Endoscopy Nurse" stays a nurse whatever the ad says of endoscopy."""
        words = clean_title(query).split()
        if not choices or not words or SUPPORT_HEADS & set(words):
            return choices  # an "Assistant Occupational Therapist" may be a therapy assistant
        named = self._head_roles.get(_stem(words[-1]))
        if named is None or not named[self._role_id[choices[0][0]]]:
            return choices
        return [c for c in choices if named[self._role_id[c[0]]]]

    def _head_names(self, query: str, role: str) -> bool:
        """Whether the title's head noun names `role` ("Clinical Photographer": Photographers;
        not "Discharge Matron" the metal workers its nearest titles found)."""
        words = clean_title(query).split()
        named = self._head_roles.get(_stem(words[-1])) if words else None
        return named is not None and role in self._role_id and bool(named[self._role_id[role]])

    def _by_description(self, choices: list[list[tuple[str, float]]], titles: list[str],
                        descriptions: list[str]) -> list[str]:
        """For each posting, the candidate role with the highest title score (relative to the
        best) + TITLE_TEXT_WEIGHT x the cosine of the whole title to the role's O*NET text
        (words the matched title left out, as in "Physician - Neurologist", count there) +
        DESCRIPTION_WEIGHT x the cosine of the description to it; ties: the title's order."""
        texts = self._texts
        if texts is None:
            return [c[0][0] for c in choices]
        t, d = texts.vectors(titles), texts.vectors(descriptions)
        # Every (posting, candidate) pair at once: the cosines are row sums of elementwise
        # products.
        posting = np.repeat(np.arange(len(choices)), [len(c) for c in choices])
        m, known = self._role_text_rows([r for c in choices for r, _ in c])
        cos_t = np.asarray(m.multiply(t[posting]).sum(axis=1)).ravel() * known
        cos_d = np.asarray(m.multiply(d[posting]).sum(axis=1)).ravel() * known
        out, start = [], 0
        for cands in choices:
            end = start + len(cands)
            rel = np.array([s for _, s in cands]) / (cands[0][1] or 1.0)
            score = (rel + TITLE_TEXT_WEIGHT * cos_t[start:end]
                     + DESCRIPTION_WEIGHT * cos_d[start:end])
            out.append(cands[int(np.argmax(score))][0])
            start = end
        return out

    def _role_text_rows(self, roles: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The rows of `roles` in the role texts' TF-IDF matrix (an empty text's stands in
        for a role without one) and which roles have one."""
        at = [self._texts.row.get(r) for r in roles]
        return (self._texts.matrix[[0 if j is None else j for j in at]],
                np.array([j is not None for j in at]))

    def _vectors(self, texts: list[str]) -> sparse.csr_matrix:
        rows, cols = [], []
        for i, text in enumerate(texts):
            for f in dict.fromkeys(_features(text)):  # in order: no hash-seed effects
                j = self._vocab.get(f)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                              shape=(len(texts), len(self._vocab))) @ sparse.diags(self._idf)
        return unit_rows(x)

    def _build_index(self, taxonomy: Taxonomy) -> None:
        vocab: dict[str, int] = {}
        df: list[int] = []
        for key in self.keys:
            for f in dict.fromkeys(_features(key)):
                j = vocab.setdefault(f, len(vocab))
                if j == len(df):
                    df.append(0)
                df[j] += 1
        self._vocab = vocab
        self._idf = np.log(len(self.keys) / np.asarray(df, dtype=float)) + 1
        self._matrix = self._vectors(self.keys).T.tocsr()
        self._key_roles = [self._similar_roles.get(k, self.index[k]) for k in self.keys]
        # The names of catch-all occupations ("Legal Support Workers, All Other") are no job
        # titles: they vote as neighbours only for a title holding all their words ("support
        # worker" is no legal support worker; "healthcare support worker" may be one).
        catch_all = {f(t) for t in self.role_titles.values() if "All Other" in t
                     for f in (normalise_title, clean_title, _singular)}
        self._catch_all = np.array([k in catch_all for k in self.keys])
        self._key_words = [frozenset(_stem(w) for w in clean_title(k).split()) for k in self.keys]
        # Role centroids: the normalised sum of a role's known titles' vectors.
        self._roles = sorted(set(self._key_roles))
        role_ids = self._role_id = {r: i for i, r in enumerate(self._roles)}
        self._key_role_ids = np.array([role_ids[r] for r in self._key_roles])
        self._role_title_count = np.bincount(self._key_role_ids, minlength=len(self._roles))
        self._counts: tuple[sparse.csc_matrix, np.ndarray] | None = None
        # The roles whose known titles end in each head noun ("nurse": Registered Nurses,
        # Nurse Practitioners, ...). A rank ("manager", "advisor", "practitioner") names no
        # line of work, and nor does a noun ending the titles of many roles ("worker").
        heads: dict[str, set[int]] = {}
        ranks = _RANK_WORDS | {_stem(w) for w in _RANK_WORDS}
        self._head_titles: Counter[str] = Counter()
        for key, role in zip(self.keys, self._key_role_ids, strict=True):
            head = _head(key)
            heads.setdefault(head, set()).add(int(role))
            self._head_titles[head] += 1
        self._head_roles = {head: np.isin(np.arange(len(self._roles)), list(roles))
                            for head, roles in heads.items()
                            if head and head not in ranks and len(roles) <= HEAD_SPREAD}
        member = self._member = sparse.csr_matrix(  # roles x their known titles
            (np.ones(len(self.keys)), (self._key_role_ids, np.arange(len(self.keys)))),
            shape=(len(self._roles), len(self.keys)))
        centroids = sparse.csr_matrix(member @ self._matrix.T)
        self._centroids = unit_rows(centroids).T.tocsr()
        # Military and police occupations only for a title with a word of their work: O*NET
        # lists hundreds of "... Officer" titles for them, which drew a UK "Project Support
        # Officer" or "Clerical Officer" to Military Officer Special and Tactical Operations
        # Leaders. (words, their keys, their roles)
        self._restricted = [(words, np.array([r.startswith(group) for r in self._key_roles]),
                             np.array([r.startswith(group) for r in self._roles]))
                            for group, words in RESTRICTED]
        # The head noun puts none of them first: a wildland fire "crewmember" is no
        # artillery crew member.
        self._restricted_roles = np.any([roles for _, _, roles in self._restricted], axis=0)
        self._support_roles = np.array([bool(SUPPORT_ROLE.search(self.role_titles.get(r) or ""))
                                        for r in self._roles])
        self._role_words = [frozenset(_stem(w) for w in normalise_title(
            self.role_titles.get(r) or "").split()) for r in self._roles]
        self._embedder = skill_ranker.available(taxonomy)
        self._role_embeddings: np.ndarray | None = None
        if self._embedder is not None:
            cleaned = [clean_title(k) for k in self.keys]
            e = np.zeros((len(self._roles), self._embedder.word_vectors.shape[1]), np.float32)
            for start in range(0, len(cleaned), 8192):  # in chunks: lower peak memory
                e += member[:, start:start + 8192].astype(np.float32) @ self._embedder.embed(
                    cleaned[start:start + 8192])
            e /= np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)
            self._role_embeddings = np.ascontiguousarray(e.T)

    def _similar_chunk(self, titles: list[str], collect: list | None = None
                       ) -> list[tuple[RoleMatch, list[tuple[str, float]]]]:
        """Best role of each title, and its CANDIDATES best roles with their scores (their
        votes); `collect`, when given, receives each title's (title, RERANK_CANDIDATES
        roles, their RERANK_FEATURES rows), for fitting the re-ranker."""
        features = self.reranker is not None or collect is not None
        x = self._vectors(titles)
        sims = (x @ self._matrix).tocsr()
        centroid = (x @ self._centroids).toarray()
        embedded = np.zeros_like(centroid)
        if self._role_embeddings is not None:
            embedded = (self._embedder.embed([clean_title(t) for t in titles])
                        @ self._role_embeddings)
        scores = CENTROID_WEIGHT * centroid + EMBEDDING_WEIGHT * embedded
        text_vectors = (self._texts.vectors(titles) if features and self._texts is not None
                        else None)
        out = []
        for i in range(sims.shape[0]):
            start, end = sims.indptr[i], sims.indptr[i + 1]
            data, cols = sims.data[start:end], sims.indices[start:end]
            if len(data) == 0 or data.max() < MIN_SIMILARITY:
                out.append((RoleMatch(None, None, 0.0, "none"), []))
                continue
            votes = scores[i]
            cleaned = clean_title(titles[i]).split()
            words = {_stem(w) for w in cleaned}
            keep = ~self._catch_all[cols]
            for k in np.flatnonzero(~keep):  # a catch-all's title only when its words are there
                keep[k] = self._key_words[cols[k]] <= words
            for keys, roles in self._barred(words):
                keep &= ~keys[cols]
                votes[roles] = -np.inf
            data, cols = data[keep], cols[keep]
            if features:
                nearest = np.zeros(len(self._roles))  # each role's most similar known title
                np.maximum.at(nearest, self._key_role_ids[cols], data)
                knn = np.zeros(len(self._roles))  # the neighbours' votes alone, and their number
                neighbours = np.zeros(len(self._roles))
            if len(data) == 0 or data.max() < MIN_SIMILARITY:  # only restricted titles near
                out.append((RoleMatch(None, None, 0.0, "none"), []))
                continue
            if len(data) > NEIGHBOURS:  # only the NEIGHBOURS best (and ties) need sorting
                near = data >= np.partition(data, -NEIGHBOURS)[-NEIGHBOURS]
                data, cols = data[near], cols[near]
            for j in np.lexsort((cols, -data))[:NEIGHBOURS]:
                vote = float(data[j]) ** VOTE_POWER
                votes[self._key_role_ids[cols[j]]] += vote
                if features:
                    knn[self._key_role_ids[cols[j]]] += vote
                    neighbours[self._key_role_ids[cols[j]]] += 1
            many = RERANK_CANDIDATES if features else CANDIDATES
            tops = np.flatnonzero(votes >= np.partition(votes, -many)[-many])
            best = tops[np.lexsort((tops, -votes[tops]))][:many]  # ties: lowest code
            if features:
                rows = self._candidate_features(
                    best, cleaned, words, votes, centroid[i], embedded[i], knn, neighbours,
                    nearest, None if text_vectors is None else text_vectors[i])
                if collect is not None:
                    collect.append((titles[i], [self._roles[int(k)] for k in best], rows))
                if self.reranker is not None:  # ties: the order of the votes
                    order = np.lexsort((np.arange(len(best)), -self.reranker.score(rows)))
                    best = best[order]
                best = best[:CANDIDATES]
            head = _stem(cleaned[-1]) if cleaned else ""
            best = self._support_first(head, words, self._head_first(head, best, votes), votes)
            top = [(self._roles[int(k)], float(votes[k])) for k in best]
            out.append((self._result(top[0][0], 0.85 * float(data.max()), "similar"), top))
        return out

    def candidate_features(self, titles: list[str]
                           ) -> list[tuple[list[str], np.ndarray] | None]:
        """For each title the similarity search matches (no known title does), its
        RERANK_CANDIDATES roles by votes and their RERANK_FEATURES rows; None for the
        others. What tools/train_reranker.py fits the re-ranker on."""
        queries = {t: self._posting_query(post) for t in dict.fromkeys(titles)
                   if t and (post := self._post_title(t))}
        pending = list(dict.fromkeys(q for q, key in queries.values() if key is None))
        found: dict[str, tuple[list[str], np.ndarray]] = {}
        for start in range(0, len(pending), CHUNK):
            collect: list = []
            self._similar_chunk(pending[start:start + CHUNK], collect)
            found.update((q, (roles, rows)) for q, roles, rows in collect)
        return [found.get(queries[t][0]) if t in queries else None for t in titles]

    def _feature_counts(self) -> tuple[sparse.csc_matrix, np.ndarray]:
        """(roles x features, each role's total): how many of a role's known titles hold
        each title feature (`_features`), the counts of a naive Bayes model of the roles'
        titles; built on first use (only the re-ranker needs them)."""
        if self._counts is None:
            has = (self._matrix != 0).astype(np.float64)  # features x known titles
            counts = sparse.csc_matrix(self._member @ has.T)
            self._counts = counts, np.asarray(counts.sum(axis=1)).ravel()
        return self._counts

    def _candidate_features(self, best: np.ndarray, cleaned: list[str], words: set[str],
                            votes: np.ndarray, centroid: np.ndarray, embedded: np.ndarray,
                            knn: np.ndarray, neighbours: np.ndarray, nearest: np.ndarray,
                            text_vector: sparse.csr_matrix | None) -> np.ndarray:
        """One row of RERANK_FEATURES per candidate role in `best` (role ids, by votes)."""
        text_cos = np.zeros(len(best))
        if text_vector is not None:
            m, known = self._role_text_rows([self._roles[int(k)] for k in best])
            text_cos = np.asarray((m @ text_vector.T).todense()).ravel() * known
        head = _stem(cleaned[-1]) if cleaned else ""
        named = self._head_roles.get(head)
        # Naive Bayes log-likelihoods of the title's words and word pairs, and of its
        # character 4-grams, under each candidate's known titles, relative to the best.
        counts_of, totals_of = self._feature_counts()
        found = [f for f in dict.fromkeys(_features(" ".join(cleaned))) if f in self._vocab]
        grams = np.array([f.startswith("#") for f in found], dtype=bool)
        counts = counts_of[:, [self._vocab[f] for f in found]][best].toarray()
        logp = np.log((counts + 0.1) / (totals_of[best][:, None] + 0.1 * len(self._vocab)))
        nb_words, nb_grams = logp[:, ~grams].sum(axis=1), logp[:, grams].sum(axis=1)
        nb_words, nb_grams = nb_words - nb_words.max(), nb_grams - nb_grams.max()
        in_titles = counts[:, ~grams]  # how many of a candidate's titles hold each word
        known = np.zeros(len(best))
        share = np.zeros(len(best))
        if in_titles.shape[1]:
            known = (in_titles > 0).mean(axis=1)
            share = (in_titles / np.maximum(self._role_title_count[best][:, None], 1)).mean(axis=1)
        rows = []
        for rank, k in enumerate(best):
            k = int(k)
            role_words = self._role_words[k]
            shared = len(words & role_words)
            rows.append([
                votes[k], votes[k] / (votes[best[0]] or 1.0), centroid[k], embedded[k], knn[k],
                neighbours[k], nearest[k], float(named is not None and bool(named[k])),
                float(head in role_words), shared / max(len(role_words), 1),
                shared / max(len(words), 1),
                np.log1p(max(self._jobs.get(self._roles[k], 0.0), 0.0)),
                float(not self._roles[k].endswith(".00")), np.log1p(rank),
                float(self._support_roles[k] and head in SUPPORT_HEADS),
                np.log1p(self._role_title_count[k]), nb_words[rank], known[rank], share[rank],
                nb_grams[rank], text_cos[rank],
            ])
        return np.asarray(rows, dtype=float)

    def _head_first(self, head: str, best: np.ndarray, votes: np.ndarray) -> np.ndarray:
        """`best` (role ids, best first) with the first role named by the title's `head`
        noun put first (`_promote`) when the best is not: a "Substance Misuse Nurse" is a
        nurse before a substance abuse counselor."""
        named = self._head_roles.get(head)
        if named is None or named[best[0]]:
            return best
        return self._promote(best, votes, lambda k: bool(named[k]))

    def _support_first(self, head: str, words: set[str], best: np.ndarray,
                       votes: np.ndarray) -> np.ndarray:
        """`best` with the first support occupation that shares a word of the work with the
        title's stemmed `words` put first (`_promote`), when the `head` noun names a support
        post ("... Assistant", "... Aide") and the best role is none: a "Funeral Home
        Assistant" is a funeral attendant, not a funeral home manager."""
        if head not in SUPPORT_HEADS or self._support_roles[best[0]]:
            return best
        work = words - SUPPORT_HEADS
        return self._promote(best, votes, lambda k: bool(self._support_roles[k]
                                                         and work & self._role_words[k]))

    def _promote(self, best: np.ndarray, votes: np.ndarray,
                 fits: Callable[[int], bool]) -> np.ndarray:
        """`best` with its first other role that `fits`, is no military or police role and
        scores at least HEAD_SHARE of the best, put first; else `best` as it is."""
        for k in best[1:]:
            if (fits(int(k)) and not self._restricted_roles[k]
                    and votes[k] >= HEAD_SHARE * votes[best[0]]):
                return np.concatenate(([k], best[best != k]))
        return best

    def _barred(self, words: set[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(keys, roles) masks of the restricted occupations a title of these stemmed
        `words` may not go to by similarity: those it names no word of the work of (the
        "intelligence" of "artificial intelligence" or "super intelligence", an AI company's
        team, names no intelligence or military work)."""
        if words & _MACHINE_INTELLIGENCE:
            words = words - {"intelligence"}
        return [(keys, roles) for cues, keys, roles in self._restricted if not words & cues]

    def alternatives(self, title: str, chosen: str, k: int = 5
                     ) -> list[tuple[str, str | None, float]]:
        """Other roles `title` could mean besides `chosen`: every role O*NET lists a shared
        known title for (relative title score SHARED_TITLE_SCORE), else the roles whose
        known titles are nearly as similar as the best (at least AMBIGUOUS of it) and that
        are among the roles the title's nearest titles vote for; empty for an unambiguous
        title. (role, O*NET title, score), best first."""
        title, key = self._posting_query(self._post_title(title) or title)
        key = key if key is not None else self._override_tail(title)
        if key is not None:
            if key in self._occupation_keys or key not in self.shared_titles:
                return []
            return [(r, self.role_titles.get(r), SHARED_TITLE_SCORE)
                    for r in self.shared_titles[key] if r != chosen][:k]
        near = self.closest(title, k + 1)
        if not near:
            return []
        top = near[0][2]
        # only roles the matcher's own votes also weigh: one odd title of another role
        # ("Mobile App Developer" beside a psychiatric nurse's "APP" title) is no meaning
        voted = {r for r, _ in self._similar_chunk([title])[0][1]}
        return [(r, t, v) for r, t, v in near
                if r != chosen and v >= AMBIGUOUS * top and r in voted][:k]

    def closest(self, title: str, k: int = 5) -> list[tuple[str, str | None, float]]:
        """The k roles whose known titles are most similar to `title`: (role, O*NET title,
        cosine similarity), best first, whatever the similarity (military and police roles
        only as the matcher allows them); for "did you mean" messages."""
        sims = (self._vectors([title]) @ self._matrix).tocsr()
        barred = [keys for keys, _ in self._barred({_stem(w) for w in clean_title(title).split()})]
        best: dict[str, float] = {}
        for j, sim in zip(sims.indices, sims.data, strict=True):
            if any(keys[j] for keys in barred):
                continue
            role = self._key_roles[j]
            best[role] = max(best.get(role, 0.0), float(sim))
        ranked = sorted(best.items(), key=lambda x: (-x[1], x[0]))[:k]
        return [(role, self.role_titles.get(role), round(sim, 3)) for role, sim in ranked]


def _employment(taxonomy: Taxonomy) -> pl.DataFrame:
    """(soc_code, jobs): US employment of each SOC occupation (BLS OEWS). An occupation OEWS
    publishes only inside a group (home health and personal care aides, as 31-1120) gets an
    equal part of the group's, so a shared title does not fall to another role for want of
    a figure; an "All Other" occupation (code ending in 9) gets none, which an equal part
    would overstate."""
    published = (taxonomy.bls_employment()
                 .group_by("soc_code").agg(jobs=pl.col("employment").sum()))
    codes = {soc: code for soc, code in role_oews_codes(taxonomy).items()
             if not soc.endswith("9")}
    parts = (pl.DataFrame({"soc_code": list(codes), "code": list(codes.values())},
                          schema={"soc_code": pl.String, "code": pl.String})
             .join(published.rename({"soc_code": "code"}), on="code")
             .with_columns(jobs=pl.col("jobs") / pl.len().over("code"))
             .select("soc_code", "jobs"))
    return pl.concat([published.with_columns(pl.col("jobs").cast(pl.Float64)), parts])


_OVERRIDE_FLAGS = frozenset({"tail", "unindexed"})
OverrideRows = list[tuple[str, str, list[str], frozenset[str]]]


def _override_rows() -> OverrideRows:
    """(normalised title, role, other roles, flags) of mappings/role_title_overrides.tsv; a
    title on two lines, or a flag the table does not define, is refused (ValueError)."""
    rows, seen = [], {}
    for number, line in enumerate(OVERRIDES.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            title, role, *rest = line.split("\t")
            others, *columns = rest or [""]  # a line may end at its role: no other roles
            key = normalise_title(title)
            if key in seen:  # the later line would silently win, and vote twice as a title
                raise ValueError(f"{OVERRIDES.name}: {title!r} on line {number} is already "
                                 f"on line {seen[key]}")
            seen[key] = number
            flags = frozenset(f.strip() for c in columns for f in c.split(",") if f.strip())
            if unknown := flags - _OVERRIDE_FLAGS:
                raise ValueError(f"{OVERRIDES.name}: unknown flag {sorted(unknown)[0]!r} on "
                                 f"line {number} (known: {', '.join(sorted(_OVERRIDE_FLAGS))})")
            rows.append((key, role, [o for o in others.split(",") if o], flags))
    return rows


def _overrides(rows: OverrideRows | None = None) -> list[tuple[str, str, list[str], bool]]:
    """(normalised title, role, other roles, whether it also ends longer titles) of
    mappings/role_title_overrides.tsv, or of its already read `rows` (the flag "tail" says
    the last)."""
    return [(key, role, others, "tail" in flags)
            for key, role, others, flags in (_override_rows() if rows is None else rows)]


def _unindexed_overrides(rows: OverrideRows | None = None) -> frozenset[str]:
    """Override titles flagged "unindexed": matched as written (or as a tail), but not added
    to the titles the similarity search compares an unknown title with (one O*NET lists
    stays there as its O*NET role's)."""
    return frozenset(key for key, _, _, flags in (_override_rows() if rows is None else rows)
                     if "unindexed" in flags)


@lru_cache(maxsize=1)
def _override_tails() -> frozenset[str]:
    return frozenset(key for key, _, _, tail in _overrides() if tail)


@lru_cache(maxsize=1)
def _calibration() -> tuple[np.ndarray, np.ndarray] | None:
    """(scores, probabilities) of mappings/role_confidence_calibration.tsv, or None."""
    if not CALIBRATION.exists():
        return None
    rows = [line.split("\t") for line in CALIBRATION.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")][1:]
    return (np.array([float(a) for a, _ in rows]), np.array([float(b) for _, b in rows]))


def calibrate(score: float) -> float:
    """The probability that a match of this matcher score names the right role: linear
    interpolation in mappings/role_confidence_calibration.tsv (fitted on labelled postings;
    the score itself when the file is missing), to 3 decimals."""
    table = _calibration()
    if table is None:
        return score
    return round(float(np.interp(score, *table)), 3)


def role_matcher(taxonomy: Taxonomy) -> RoleMatcher:
    """The matcher of `taxonomy` (its own scores, calibrated=False), once per Taxonomy:
    loaded from the build cache (transform/build_cache.py), else built and kept there."""
    from transform import build_cache

    return taxonomy.built("role_matcher",
                          lambda tax: build_cache.load_or_build("role_matcher", tax, RoleMatcher))


def title_words(taxonomy: Taxonomy) -> frozenset[str]:
    """Every word of the O*NET titles the matcher knows (normalised), once per Taxonomy."""
    return taxonomy.built("role_title_words", lambda tax: frozenset(
        word for title in tax.titles()["title"] for word in normalise_title(title).split()))


def without_foreign_guesses(frame: pl.DataFrame, taxonomy: Taxonomy) -> pl.DataFrame:
    """`frame` (title, non_english and ROLE columns) with no role for a posting in another
    language whose role came from word similarity and whose title has a word no O*NET title
    has: the index is English, and on German or French titles similarity guessed absurdly
    ("Wohnmobil-Techniker" -> Manicurists and Pedicurists). English titles of such ads keep
    their role ("Sr. Performance Marketing Manager - B2B SaaS")."""
    words = title_words(taxonomy)

    def foreign(title: str) -> bool:
        return any(len(w) > 2 and not any(c.isdigit() for c in w) and w not in words
                   for w in strip_title(title).split())

    guessed = (frame["non_english"].fill_null(False)
               & frame["role_method"].is_in(["similar", "industry"]))
    if not guessed.any():
        return frame
    titles = frame["title"].fill_null("")
    drop = pl.Series([g and foreign(t) for g, t in zip(guessed, titles, strict=True)],
                     dtype=pl.Boolean)
    return frame.with_columns(
        role=pl.when(drop).then(None).otherwise(pl.col("role")),
        role_title=pl.when(drop).then(None).otherwise(pl.col("role_title")),
        role_confidence=pl.when(drop).then(0.0).otherwise(pl.col("role_confidence")),
        role_method=pl.when(drop).then(pl.lit("none")).otherwise(pl.col("role_method")),
    )


def assign_roles(titles: pl.Series, descriptions: pl.Series | None = None,
                 sectors: pl.Series | None = None, *, matcher: RoleMatcher) -> pl.DataFrame:
    """role, role_title, role_confidence (calibrated: `calibrate`), role_method for each
    title; `descriptions` and the postings' NAICS `sectors` (same length; a sector the
    posting's source or employer gives, not one inferred from its role) settle ambiguous
    titles. `matcher` (e.g. `role_matcher(taxonomy)`) must give the matcher's own score
    (calibrated=False)."""
    results = matcher.match_many(titles.to_list(),
                                 None if descriptions is None else descriptions.to_list(),
                                 None if sectors is None else sectors.to_list())
    return pl.DataFrame({
        "role": [r.role for r in results], "role_title": [r.role_title for r in results],
        # the probability that the role is right (calibrated on labelled postings)
        "role_confidence": [calibrate(r.confidence) if r.role else r.confidence
                            for r in results],
        "role_method": [r.method for r in results],
    }, schema={"role": pl.String, "role_title": pl.String, "role_confidence": pl.Float64,
               "role_method": pl.String})
