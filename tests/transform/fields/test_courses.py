"""Course duration, cost, level, language and stated skills, on records real catalogues
published (the snapshot's payloads and tests/fixtures); expected values worked out by hand
from each record (quoted in the comments)."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest

from extract.connectors import get_connector
from schemas.tables import COURSES, STAGED_COURSES
from schemas.taxonomy import Taxonomy
from tests.paths import FIXTURES, SNAPSHOT
from transform.fields import courses as c
from transform.linking import skills
from transform.postings.normalise import normalise_courses

SHIPPED = Taxonomy.shipped()

PAYLOADS = SNAPSHOT / "payloads"


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _courses(connector: str, path: Path) -> pl.DataFrame:
    """Published-form courses of one real payload, keyed by record_id (its placeholder
    records, such as MIT OpenCourseWare's course "test", left out as extract does)."""
    staged, _ = get_connector(connector).parse_records(_read(path))
    rows = [{**r, "source": connector, "partition": path.name} for r in staged]
    return normalise_courses(pl.DataFrame(rows, schema=STAGED_COURSES.schema, strict=False))


def _row(frame: pl.DataFrame, record_id: str) -> dict:
    """The one course whose record id is (or, for long URLs, starts with) `record_id`."""
    return frame.filter(pl.col("record_id").str.starts_with(record_id)).row(named=True)


NEW = ["duration_text", "duration_weeks", "duration_hours", "is_free", "price",
       "price_currency", "level_normalised", "language_code", "stated_skills"]


@pytest.fixture(scope="module")
def edx() -> pl.DataFrame:
    return _courses("edx_csv", PAYLOADS / "edx" / "edx_courses.csv.gz")


@pytest.fixture(scope="module")
def coursera() -> pl.DataFrame:
    return _courses("coursera_csv", PAYLOADS / "coursera" / "coursera_courses.csv.gz")


def test_edx_rows(edx):
    # "2 Weeks" x "2–3 hours per week" (midpoint 2.5) = 5 hours; "FREE-Add a Verified
    # Certificate for $49 USD": free to take, the certificate is extra.
    row = _row(edx, "https://www.edx.org/course/how-to-learn-online")
    assert {k: row[k] for k in NEW} == {
        "duration_text": "2 Weeks; 2–3 hours per week", "duration_weeks": 2.0,
        "duration_hours": 5.0, "is_free": True, "price": 0.0, "price_currency": "USD",
        "level_normalised": "introductory", "language_code": "en",
        "stated_skills": ["Education & Teacher Training"]}
    # CS50: "12 Weeks", "6–18 hours per week" -> 12 x 12 = 144 hours
    cs50 = _row(edx, "https://www.edx.org/course/cs50s-introduction-to-computer-sc")
    assert (cs50["duration_weeks"], cs50["duration_hours"]) == (12.0, 144.0)
    # Published in their own names: "Español", "Português", "中文", "Italiano" ("Advanced")
    spanish = _row(edx, "https://www.edx.org/course/excel-fundamentos-y-herramientas")
    assert (spanish["language"], spanish["language_code"]) == ("Español", "es")
    assert spanish["duration_hours"] == 28.0  # 8 weeks x 3.5
    portuguese = _row(edx, "https://www.edx.org/course/gestao-de-riscos-em-projetos-de-d")
    assert (portuguese["language_code"], portuguese["level_normalised"]) == ("pt", "intermediate")
    assert _row(edx, "https://www.edx.org/course/introduction-to-psychology-2")[
        "language_code"] == "zh"
    italian = _row(edx, "https://www.edx.org/course/italian-language-and-culture-adva")
    assert (italian["level"], italian["level_normalised"], italian["language_code"]) == (
        "Advanced", "advanced", "it")
    # Every edX row of the 2021 scrape has length, effort, a "FREE-..." price and a subject.
    assert edx.select(pl.col(NEW).is_null().sum()).row(0) == (0,) * len(NEW)


def test_coursera_rows(coursera):
    sscp = _row(coursera, "https://www.coursera.org/specializations/sscp-training")
    # "3 - 6 Months": 4.5 months x 52/12 = 19.5 weeks; no workload, so no hours; Coursera's
    # CSV says nothing about cost.
    assert {k: sscp[k] for k in NEW[:7]} == {
        "duration_text": "3 - 6 Months", "duration_weeks": 19.5, "duration_hours": None,
        "is_free": None, "price": None, "price_currency": None,
        "level_normalised": "introductory"}
    # course_skills "['Security Software', 'Risk Management', ..., 'Risk Management']"
    assert sscp["stated_skills"] == [
        "Access Control", "Asset", "Cloud Computing Security", "Incident Detection and Response",
        "Risk Management", "Security Software", "Wireless Security"]
    project = _row(coursera,
                   "https://www.coursera.org/projects/analyze-network-traffic-with-tcpdump")
    # "Less Than 2 Hours" = 1 hour (midpoint of 0-2), no weeks; course_skills "[]"
    assert (project["duration_weeks"], project["duration_hours"]) == (None, 1.0)
    assert project["stated_skills"] is None
    mixed = _row(coursera,
                 "https://www.coursera.org/learn/wharton-ai-applications-marketing-finance")
    assert (mixed["level"], mixed["level_normalised"], mixed["duration_weeks"]) == (
        "Mixed", None, 2.5)  # "1 - 4 Weeks"
    # "aws security", "security" and "strategy" are published in lower case: kept so, sorted
    # ignoring case.
    aws = _row(coursera, "https://www.coursera.org/professional-certificates/"
                         "aws-cloud-technology-consulta")
    assert aws["stated_skills"][:5] == [
        "Application Programming Interfaces (API)", "Automation",
        "AWS Identity and Access Management", "AWS Management Console", "aws security"]
    assert aws["stated_skills"][-9:] == [
        "Reliability", "security", "Software Architecture", "Software Testing", "strategy",
        "Technical Troubleshooting", "Troubleshooting", "Version Management", "Web Development"]


def test_mitx_online_audit_is_free_verified_only_costs_its_price():
    mitx = _courses("mit_learn", FIXTURES / "mitxonline_courses.json")
    one = _row(mitx, "course-v1:MITxT+18.03.1x")  # "14 weeks", "7 hrs/wk", audit mode
    assert {k: one[k] for k in NEW} == {
        "duration_text": "14 weeks; 7 hrs/wk", "duration_weeks": 14.0, "duration_hours": 98.0,
        "is_free": True, "price": 0.0, "price_currency": None, "level_normalised": None,
        "language_code": "en", "stated_skills": ["Mathematics"]}
    two = _row(mitx, "course-v1:MITxT+18.03.2x")  # "9 weeks", "5-8 hrs/wk": 9 x 6.5
    assert two["duration_hours"] == 58.5
    # 18.03.3x: only the "verified" mode; its run's product costs "75.00" (no currency given)
    three = _row(mitx, "course-v1:MITxT+18.03.3x")
    assert (three["duration_hours"], three["is_free"], three["price"],
            three["price_currency"]) == (71.5, False, 75.0, None)  # 11 x 6.5


def test_mit_learn_and_ocw_are_free_and_undergraduate_is_no_level():
    learn = _courses("mit_learn", PAYLOADS / "mit_learn" /
                     "mit_learn_api_v1_courses_ocw_sample.json.gz")
    cc111 = _row(learn, "CC.111+spring_2013")  # runs[0].level [{"name": "Undergraduate"}]
    assert (cc111["level"], cc111["level_normalised"], cc111["is_free"], cc111["price"]) == (
        "Undergraduate", None, True, 0.0)
    assert cc111["stated_skills"] == ["Humanities", "Philosophy", "Political Philosophy"]
    assert cc111["duration_text"] is None and cc111["duration_hours"] is None
    assert _row(learn, "5.95J+fall_2015")["level_normalised"] == "advanced"  # "Graduate"

    ocw = _courses("mit_ocw_csv", PAYLOADS / "mit_ocw" / "ocw_oer_export.csv.gz")
    assert ocw["is_free"].all() and (ocw["price"] == 0).all()
    assert ocw["price_currency"].is_null().all()
    # CR_PRIMARY_USER "student|teacher" is no level; CR_LANGUAGE "en"
    assert ocw["level_normalised"].is_null().all() and (ocw["language_code"] == "en").all()
    # CR_SUBJECT "Physics|Physical Science", CR_KEYWORDS "...|Physics|Science": one Physics
    row = ocw.filter(pl.col("subjects").str.starts_with("Physics, Physical Science, ")).row(
        0, named=True)
    assert row["stated_skills"].count("Physics") == 1
    assert row["stated_skills"] == sorted(row["stated_skills"], key=str.casefold)


def test_edx_discovery_seats_and_effort():
    edx = _courses("edx_discovery", FIXTURES / "edx_discovery_mitx.json")
    edge = _row(edx, "MITx+15.071x")
    # run weeks_to_complete 13, min_effort 10, max_effort 15; seats audit 0.00 USD and
    # verified 150.00 USD; content_language "en-us"; level_type "Intermediate"
    assert {k: edge[k] for k in NEW} == {
        "duration_text": "13 weeks; 10–15 hours per week", "duration_weeks": 13.0,
        "duration_hours": 162.5, "is_free": True, "price": 0.0, "price_currency": "USD",
        "level_normalised": "intermediate", "language_code": "en",
        "stated_skills": ["Data Analysis & Statistics"]}
    # no weeks, effort 7 to 5 (as recorded), no seats, no subjects: nothing guessed
    review = _row(edx, "MITx+8.370.3x_review")
    assert (review["duration_weeks"], review["duration_hours"], review["is_free"],
            review["price"], review["stated_skills"]) == (None, None, None, None, None)


def test_udemy_prices_levels_and_hours():
    udemy = _courses("udemy_csv", FIXTURES / "udemy_courses_sample.csv")
    banking = _row(udemy, "1070968")  # True,200,...,All Levels,1.5,...,Business Finance
    assert {k: banking[k] for k in NEW} == {
        "duration_text": "1.5 hours", "duration_weeks": None, "duration_hours": 1.5,
        "is_free": False, "price": 200.0, "price_currency": None, "level_normalised": None,
        "language_code": None, "stated_skills": ["Business Finance"]}
    options = _row(udemy, "1148774")  # False,0,...,Beginner Level,0.55
    assert (options["is_free"], options["price"], options["level_normalised"],
            options["duration_hours"]) == (True, 0.0, "introductory", 0.55)
    expert = _row(udemy, "476268")  # True,195,...,Expert Level,2.5
    assert (expert["price"], expert["level_normalised"]) == (195.0, "advanced")
    assert _row(udemy, "975074")["duration_hours"] == 0.32  # 0.31666666666666665 hours
    assert _row(udemy, "1006314")["level_normalised"] == "intermediate"


@pytest.mark.parametrize(("length", "effort", "expected"), [
    ("6 Weeks", "4–6 hours per week", (6.0, 30.0)),  # edX, en dash
    ("9 weeks", "5-8 hrs/wk", (9.0, 58.5)),  # MITx Online, hyphen
    ("1 - 3 Months", None, (8.67, None)),  # Coursera: 2 x 52/12
    ("Less Than 2 Hours", None, (None, 1.0)),  # Coursera guided project
    ("Self-paced on your time", None, (None, None)),  # edX course_type: no length
    (None, "3–5 hours per week", (None, None)),  # workload without length: no total
    (None, None, (None, None)),
    ("PT4H", None, (None, 4.0)),  # schema.org timeRequired
    ("0 hours", None, (None, None)),  # Udemy content_duration 0.0
    ("2500 hours", None, (None, None)),  # beyond MAX_HOURS: a parsing accident
])
def test_duration_rules(length, effort, expected):
    out = c.duration(length, effort)
    assert (out["duration_weeks"], out["duration_hours"]) == expected


@pytest.mark.parametrize(("cost", "currency", "is_free", "expected"), [
    ("FREE-Add a Verified Certificate for $49.99 USD", None, None, (True, 0.0, "USD")),
    ("$49.99", None, None, (False, 49.99, None)),  # "$" alone: USD, CAD, AUD...
    ("€49", None, None, (False, 49.0, "EUR")),
    ("£1,299.50", None, None, (False, 1299.5, "GBP")),
    ("150.00", "USD", None, (False, 150.0, "USD")),  # edX discovery verified seat
    ("0.00", "USD", None, (True, 0.0, "USD")),  # edX discovery audit seat
    ("20", None, False, (False, 20.0, None)),  # Udemy is_paid True
    (None, None, False, (False, None, None)),  # paid, price unknown
    (None, None, None, (None, None, None)),  # nothing published
    ("ALL access 30", None, None, (False, 30.0, None)),  # "ALL" is a word here, not lek
    ("USD 1,200", None, None, (False, 1200.0, "USD")),
])
def test_cost_rules(cost, currency, is_free, expected):
    out = c.cost(cost, currency, is_free)
    assert (out["is_free"], out["price"], out["price_currency"]) == expected


@pytest.mark.parametrize(("published", "expected"), [
    ("Introductory", "introductory"), ("Beginner", "introductory"),
    ("Beginner Level", "introductory"), ("Intermediate Level", "intermediate"),
    ("Advanced", "advanced"), ("Expert Level", "advanced"), ("Graduate", "advanced"),
    ("Undergraduate", None), ("All Levels", None), ("Mixed", None),
    ("student|teacher", None), (None, None),
])
def test_level_rules(published, expected):
    assert c.level(published) == expected


@pytest.mark.parametrize(("published", "expected"), [
    ("English", "en"), ("Español", "es"), ("Français", "fr"), ("Italiano", "it"),
    ("中文", "zh"), ("Português", "pt"), ("日本語", "ja"), ("اللغة العربية", "ar"),
    ("en", "en"), ("en-us", "en"), ("EN", "en"), ("eng", "en"), (None, None), ("", None),
    ("Klingon", None),
])
def test_language_codes(published, expected):
    assert c.language_code(published) == expected


def test_stated_skills_cleaning():
    assert c.stated_skills(["security", " Security", "aws  security", None, ""]) == [
        "aws security", "Security"]
    assert c.stated_skills([]) is None and c.stated_skills(None) is None


def _labels() -> pl.DataFrame:
    return SHIPPED.esco_skills().select("skill_uri", "label")


def test_stated_skills_link_to_esco(edx, coursera):
    courses = pl.concat([edx, coursera]).select("course_id", "record_id", "stated_skills")
    found = (skills.stated_matches(courses.lazy(), taxonomy=SHIPPED).collect()
             .join(courses.select("course_id", "record_id"), on="course_id")
             .join(_labels(), on="skill_uri"))
    assert set(found["method"]) == {"stated"}

    def of(record_id: str) -> dict[str, tuple[float, str]]:
        rows = found.filter(pl.col("record_id").str.starts_with(record_id))
        return {r["label"]: (r["score"], r["evidence"]) for r in rows.iter_rows(named=True)}

    # edX subject "Computer Science": exactly ESCO's preferred label
    assert of("https://www.edx.org/course/cs50s-introduction-to-computer-sc") == {
        "computer science": (1.0, "computer science")}
    iot = of("https://www.coursera.org/specializations/iot")
    assert iot["computer programming"] == (1.0, "computer programming")  # exact, preferred
    # "Python Programming" holds "Python", an alternative label (0.9): 0.9 x 0.9
    assert iot["Python (computer programming)"] == (0.81, "python programming")
    # Coursera "Risk Management" -> risk management (preferred, exact)
    assert of("https://www.coursera.org/specializations/sscp-training")[
        "risk management"] == (1.0, "risk management")
    # A course stating nothing gets no stated rows
    assert of("https://www.coursera.org/learn/wharton-ai-applications-marketing-finance") == {}


def test_stated_and_description_rows_merge(coursera):
    iot = coursera.filter(pl.col("record_id") == "https://www.coursera.org/specializations/iot")
    text = skills.extract_skills(iot.lazy(), "course_id", taxonomy=SHIPPED).collect()
    stated = skills.stated_matches(iot.lazy(), taxonomy=SHIPPED).collect()
    merged = skills.with_stated(text, stated, "course_id")
    assert merged.columns == text.columns
    assert merged.select("course_id", "skill_uri").is_duplicated().sum() == 0
    embedded = merged.join(_labels(), on="skill_uri").filter(
        pl.col("label") == "embedded systems").row(0, named=True)
    # The description says "embedded systems" (preferred label, 1.0); the stated item
    # "Embedded System Design" holds the label's singular inside a longer item (0.9): one
    # stated row, with the higher score.
    assert (embedded["method"], embedded["score"], embedded["evidence"]) == (
        "stated", 1.0, "embedded system design")
    assert merged.height == text.join(stated, on=["course_id", "skill_uri"], how="anti"
                                      ).height + stated.height


def test_normalised_courses_are_deterministic_and_match_the_contract(edx):
    again = _courses("edx_csv", PAYLOADS / "edx" / "edx_courses.csv.gz")
    assert edx.equals(again)
    conformed = COURSES.conform(edx)
    assert conformed.schema == COURSES.schema
    for col in COURSES.columns:
        if col.values:
            assert set(conformed[col.name].drop_nulls()) <= set(col.values)


def test_published_courses_and_course_skills(small_run):
    data_dir, _ = small_run
    courses = pl.read_parquet(data_dir / "dataset" / "courses.parquet")
    assert courses.columns[-len(NEW) - 1:] == [*NEW, "level_inferred"]
    course_skills = pl.read_parquet(data_dir / "dataset" / "course_skills.parquet")
    methods = set(course_skills["method"])
    assert {"stated", "lexical"} <= methods <= {"stated", "lexical", "ranker"}
    stated = course_skills.filter(pl.col("method") == "stated")
    assert stated["score"].is_between(0, 1).all()
    # every stated row's evidence is one of its course's stated skills, normalised
    items = (courses.select("course_id", item=pl.col("stated_skills")).explode("item")
             .drop_nulls().select("course_id", evidence=skills.normalise_expr("item")
                                  .str.strip_chars()))
    assert stated.join(items, on=["course_id", "evidence"], how="anti").height == 0


@pytest.mark.parametrize(("text", "expected"), [
    # MIT OpenCourseWare abstracts: OCW publishes no level
    ("This graduate seminar introduces an emerging research program within International "
     "Relations on territorial conflict.", "advanced"),
    ("This course is a graduate level introduction to automatic discourse processing.",
     "advanced"),
    ("5.12 is an introduction to organic chemistry, focusing primarily on the basic "
     "principles.", "introductory"),
    ("Open to undergraduate and graduate students with an interest in policy.", None),
    ("Students develop and polish communication strategies through discussion.", None),
    (None, None),
])
def test_level_inferred_from_what_the_description_says(text, expected):
    assert c.level_from_text(text) == expected
