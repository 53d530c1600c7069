"""Transfer and portability formulas, checked against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from transform.linking.role_texts import RoleTexts
from transform.marts import aggregate
from transform.marts.transfer import RoleSpace

PROFILES = pl.LazyFrame({  # weights per role sum to 1
    "role": ["A", "A", "B", "B", "C"],
    "skill_uri": ["x", "y", "y", "z", "z"],
    "weight": [0.5, 0.5, 0.5, 0.5, 1.0],
    "postings": [0, 0, 0, 0, 0],
    "provenance": ["taxonomy"] * 5,
    "fit": [None] * 5,
    "esco_occupations": [1] * 5,
}, schema_overrides={"fit": pl.Float32, "esco_occupations": pl.UInt32})
NO_BROADER = pl.LazyFrame(schema={"skill_uri": pl.String, "broader_uri": pl.String})
NO_TRANSVERSAL = pl.LazyFrame(schema={"skill_uri": pl.String})
SECTORS = pl.LazyFrame({"role": ["A", "B", "C"], "main_sector": ["62", "92", "92"]})


def _space() -> RoleSpace:
    """Three roles: A and B do the same tasks and are rated by O*NET; C bakes, unrated."""
    texts = pl.DataFrame({"role": ["A", "B", "C"],
                          "text": ["drive trucks", "drive trucks", "bake bread"]})
    vectors = pl.DataFrame({"role": ["A", "B", "B"], "element": ["k1", "k1", "k2"],
                            "importance": [1.0, 1.0, 1.0]})
    facts = pl.DataFrame({"role": ["A", "B", "C"], "job_zone": [2, 2, 2],
                          "education_mean": [2.0, 2.0, 2.0],
                          "us_employment": [1000, 1000, 1000],
                          "median_wage": [40000.0, 40000.0, 40000.0]})
    return RoleSpace(roles=["A", "B", "C"], texts=RoleTexts(texts), vectors=vectors,
                     facts=facts)


def test_role_transfer_score_is_the_weighted_geometric_mean_of_its_components():
    out = aggregate.role_transfer(PROFILES, SECTORS, space=_space()).collect()
    rows = {(r["from_role"], r["to_role"]): r for r in out.iter_rows(named=True)}
    ab = rows[("A", "B")]
    # A's weight on skills B names: y (0.5); B's on A's: y (0.5); C's on B's: z (1.0).
    assert ab["skill_overlap"] == pytest.approx(0.5)
    assert rows[("C", "B")]["skill_overlap"] == pytest.approx(1.0)
    assert rows[("B", "C")]["skill_overlap"] == pytest.approx(0.5)
    # Same text: task cosine 1; O*NET vectors (1, 0) and (1, 1): cosine 1/sqrt(2).
    assert ab["task_similarity"] == pytest.approx(1.0)
    assert ab["onet_similarity"] == pytest.approx(1 / math.sqrt(2), abs=1e-4)
    # (overlap^1 x tasks^2 x onet^1)^(1/4)
    assert ab["score"] == pytest.approx((0.5 * 1 / math.sqrt(2)) ** 0.25, abs=1e-6)
    # C is not rated by O*NET: tasks take its weight; no word in common: floored at 1e-4.
    cb = rows[("C", "B")]
    assert cb["onet_similarity"] is None and cb["task_similarity"] == 0.0
    assert cb["score"] == pytest.approx((1.0 * 1e-4 ** 3) ** 0.25, abs=1e-9)
    assert ("A", "C") not in rows  # no skill in common: no row
    assert ab["shared_skills"] == 1 and ab["crosses_industry"] is True
    assert rows[("C", "B")]["crosses_industry"] is False
    assert ab["move_likelihood"] is None  # no model given


def test_transfer_detail_lists_shared_and_gap_skills_and_courses():
    transfer = aggregate.role_transfer(PROFILES, SECTORS, space=_space())
    courses = pl.LazyFrame({"course_id": ["c0", "c1", "c2", "c2"],
                            "skill_uri": ["z", "z", "z", "q"],
                            "relevance": [0.9, 0.8, 0.7, 0.9],
                            "language_code": ["es", "en", None, None],
                            "course_title": ["Python I", "Python", "Python II", "Python II"],
                            "listed_after": [False] * 4})
    detail = aggregate.role_transfer_detail(transfer, PROFILES, courses, NO_BROADER,
                                            NO_TRANSVERSAL).collect()
    row = detail.filter(from_role="A", to_role="B").row(0, named=True)
    assert row["shared_skills"] == ["y"] and row["gap_skills"] == ["z"]
    assert row["gap_weight"] == pytest.approx(0.5)
    # the best course for the gap taught in English (c0 is in Spanish), naming the gap
    assert row["courses"] == ["c1"] and row["course_gap_skills"] == ["z"]
    assert row["rank"] == 1
    b_to_a = detail.filter(from_role="B", to_role="A").row(0, named=True)
    assert b_to_a["gap_skills"] == ["x"] and b_to_a["courses"] == []
    assert b_to_a["course_gap_skills"] == []


PROFILE_SCHEMA = {"role": pl.String, "skill_uri": pl.String, "weight": pl.Float64,
                  "postings": pl.UInt32, "provenance": pl.String, "fit": pl.Float32,
                  "esco_occupations": pl.UInt32}
ONE_MOVE = pl.LazyFrame({"from_role": ["O"], "to_role": ["D"], "score": [0.3],
                         "move_likelihood": [None], "sector_overlap": [0.0]},
                        schema_overrides={"move_likelihood": pl.Float32})
NO_COURSES = pl.LazyFrame(schema={"course_id": pl.String, "skill_uri": pl.String,
                                  "relevance": pl.Float64, "language_code": pl.String,
                                  "course_title": pl.String, "listed_after": pl.Boolean})


def _profiles(rows: list[tuple]) -> pl.LazyFrame:
    """role_skills-like rows (role, skill_uri, weight, postings, provenance, fit,
    esco_occupations)."""
    return pl.LazyFrame(rows, schema=PROFILE_SCHEMA, orient="row")


def test_gaps_leave_out_what_the_origin_knows_near_duplicates_and_off_topic_posting_skills():
    # O knows java; D's profile: java_ee (narrower than java), sql and sql_server (narrower
    # than sql), welsh and urology (postings only, unrelated to D's O*NET texts), teamwork
    # (postings only, unrelated, but a transversal skill), photoshop (an O*NET technology
    # example no mapped ESCO occupation names, unrelated) and filing (named by one of D's
    # ESCO occupations: listed whatever its fit).
    rows = [("O", "java", 0.5, 0, "taxonomy", None, 1),
            ("O", "welsh", 0.5, 3, "postings", 0.1, 0),
            ("D", "java_ee", 0.3, 0, "taxonomy", 0.5, 1), ("D", "sql", 0.2, 0, "taxonomy", 0.5, 1),
            ("D", "sql_server", 0.15, 0, "taxonomy", 0.5, 1),
            ("D", "welsh", 0.1, 3, "postings", 0.1, 0),
            ("D", "urology", 0.05, 2, "postings", 0.1, 0),
            ("D", "teamwork", 0.05, 2, "postings", 0.1, 0),
            ("D", "photoshop", 0.05, 0, "taxonomy", 0.25, 0),
            ("D", "filing", 0.05, 0, "taxonomy", 0.1, 1)]
    profiles, transfer = _profiles(rows), ONE_MOVE
    broader = pl.LazyFrame({"skill_uri": ["java_ee", "sql_server"], "broader_uri": ["java", "sql"]})
    courses = NO_COURSES
    row = aggregate.role_transfer_detail(
        transfer, profiles, courses, broader, pl.LazyFrame({"skill_uri": ["teamwork"]}),
    ).collect().row(0, named=True)
    assert row["gap_skills"] == ["sql", "filing", "teamwork"]  # equal weight and fit: by URI
    assert row["gap_weight"] == pytest.approx(0.3)
    assert row["shared_skills"] == []  # welsh: both have it, but off-topic for both


def test_a_skill_and_the_knowledge_it_applies_are_one_skill_in_gaps_and_carried_over():
    # ESCO words some skills as a leading word and a knowledge concept: using CAD software
    # is having "CAD software"; maintaining customer service is more than knowing it
    skills = pl.LazyFrame(
        [("cs", "customer service", "knowledge"),
         ("mcs", "maintain customer service", "skill/competence"),
         ("cad", "CAD software", "knowledge"), ("ucad", "use CAD software", "skill/competence"),
         ("lab", "laboratory equipment", "knowledge"),
         ("ulab", "use laboratory equipment", "skill/competence"),
         ("sen", "sensors", "knowledge"), ("dsen", "design sensors", "skill/competence"),
         ("hlb", "help prepare lifeboats", "skill/competence"),
         ("plb", "prepare lifeboats", "skill/competence")],
        schema=["skill_uri", "label", "skill_type"], orient="row")
    variants = aggregate.label_variants(skills).collect()
    assert variants.rows() == [("dsen", "sen", False), ("mcs", "cs", False),
                               ("ucad", "cad", True), ("ulab", "lab", True)]
    rows = [("O", s, w, 0, "taxonomy", 0.5, 1)
            for s, w in (("cs", 0.3), ("cad", 0.3), ("lab", 0.2), ("ulab", 0.2))]
    rows += [("D", s, w, 0, "taxonomy", 0.5, 1)
             for s, w in (("ucad", 0.3), ("mcs", 0.25), ("cs", 0.2), ("lab", 0.15),
                          ("ulab", 0.1), ("dsen", 0.09), ("sen", 0.08))]
    profiles, transfer = _profiles(rows), ONE_MOVE
    courses = NO_COURSES
    row = aggregate.role_transfer_detail(transfer, profiles, courses, NO_BROADER,
                                         NO_TRANSVERSAL, variants.lazy()
                                         ).collect().row(0, named=True)
    # O knows CAD software, so "use CAD software" is no gap; "maintain customer service" is;
    # "design sensors" and "sensors" are listed once, as the heavier
    assert row["gap_skills"] == ["mcs", "dsen"]
    # both list laboratory equipment in both wordings: carried over once
    assert row["shared_skills"] == ["cs", "lab"]


def test_what_carries_over_is_what_both_roles_weigh_most():
    # a judge's strongest skill that lawyers' profiles barely list is no lawyer's work to
    # carry over (blind re-rating of pathways review BW: "make legal decisions"); the
    # skills both weigh come first, by the product of their weights
    rows = [("O", s, w, 0, "taxonomy", 0.5, 1)
            for s, w in (("research", 0.4), ("law", 0.3), ("decide", 0.01))]
    rows += [("D", s, w, 0, "taxonomy", 0.5, 1)
             for s, w in (("decide", 0.5), ("law", 0.3), ("research", 0.1))]
    row = aggregate.role_transfer_detail(ONE_MOVE, _profiles(rows), NO_COURSES, NO_BROADER,
                                         NO_TRANSVERSAL).collect().row(0, named=True)
    assert row["shared_skills"] == ["law", "research", "decide"]
    assert row["gap_skills"] == []


U32 = {"essential": pl.UInt32, "optional": pl.UInt32, "esco_occupations": pl.UInt32}


def _priors(rows: list[tuple[str, str, int, int]]) -> pl.LazyFrame:
    role, skill, essential, optional = zip(*rows, strict=True)
    return pl.LazyFrame({"role": role, "skill_uri": skill, "essential": essential,
                         "optional": optional, "esco_occupations": [1] * len(rows)},
                        schema_overrides=U32)


def _prior_of(out: pl.DataFrame, role: str) -> dict[str, float]:
    return dict(zip(*out.filter(role=role).select("skill_uri", "prior"), strict=True))


def test_roles_missing_from_the_crosswalk_inherit_their_soc_groups_profile():
    priors = _priors([("29-1141.00", "care", 1, 0), ("29-1141.00", "triage", 0, 1),
                      ("29-1171.00", "care", 1, 0)])
    roles = pl.LazyFrame({"role": ["29-1141.00", "29-1141.01", "29-1171.00", "47-2061.00"]})
    out = aggregate.complete_priors(priors, roles).collect()
    own = _prior_of(out, "29-1141.00")
    assert own == pytest.approx({"care": 2 / 3, "triage": 1 / 3})
    child = out.filter(role="29-1141.01")  # same SOC detailed occupation 29-1141
    assert child["source"].to_list() == ["taxonomy_group"] * 2
    assert _prior_of(out, "29-1141.01") == pytest.approx(own)
    assert out.filter(role="47-2061.00").is_empty()  # no group with a profile: no prior


def test_isco_groups_come_after_the_soc_occupation_and_before_broader_soc_groups():
    priors = _priors([("29-1141.00", "care", 1, 0), ("29-1171.00", "care", 1, 0)])
    isco = _priors([("29-1141.01", "isco_skill", 1, 0), ("29-1122.00", "therapy", 1, 0),
                    ("29-1122.00", "rehab", 0, 1)])
    roles = pl.LazyFrame({"role": ["29-1141.00", "29-1141.01", "29-1171.00", "29-1122.00",
                                   "29-1129.00"]})
    out = aggregate.complete_priors(priors, roles, isco=isco).collect()
    # 29-1141.01 has a sibling with its own profile: the SOC occupation wins over ISCO.
    assert _prior_of(out, "29-1141.01") == pytest.approx({"care": 1.0})
    # 29-1122.00 has no sibling: its ISCO groups' skills, essential 1.0 / optional 0.5.
    assert _prior_of(out, "29-1122.00") == pytest.approx({"therapy": 2 / 3, "rehab": 1 / 3})
    assert set(out.filter(role="29-1122.00")["source"]) == {"taxonomy_isco"}
    # 29-1129.00 has neither: the minor group 29-1 mean (roles with their own profile only).
    assert _prior_of(out, "29-1129.00") == pytest.approx({"care": 1.0})


def test_technology_skills_add_half_an_average_skill_to_the_profile():
    priors = _priors([("15-1252.00", "programming", 1, 0), ("15-1252.00", "testing", 1, 0)])
    tech = pl.LazyFrame({"role": ["15-1252.00", "15-1252.00"],
                         "skill_uri": ["java", "testing"]})
    roles = pl.LazyFrame({"role": ["15-1252.00"]})
    out = aggregate.complete_priors(priors, roles, tech=tech).collect()
    # ESCO: 0.5 each (mean 0.5); java adds 0.5 x 0.5; testing keeps its larger ESCO value.
    total = 0.5 + 0.5 + 0.25
    assert _prior_of(out, "15-1252.00") == pytest.approx(
        {"programming": 0.5 / total, "testing": 0.5 / total, "java": 0.25 / total})
    assert set(out["source"]) == {"taxonomy"}


def _postings(ids: list[str], roles: list[str], confidence: list[float],
              companies: list[str | None] | None = None,
              titles: list[str] | None = None) -> pl.LazyFrame:
    """Postings of distinct ads unless `companies` and `titles` say otherwise."""
    return pl.LazyFrame({
        "posting_id": ids, "role": roles, "role_confidence": confidence,
        "sector": ["62"] * len(ids), "company": companies or [f"employer {i}" for i in ids],
        "url": [None] * len(ids), "title": titles or ["Nurse"] * len(ids)},
        schema_overrides={"url": pl.String})


def test_role_skills_weights_sum_to_one_and_blend_prior_with_evidence():
    postings = _postings(["p1", "p2"], ["R", "R"], [1.0, 1.0])
    found = pl.LazyFrame({"posting_id": ["p1"] * 4 + ["p2"] * 4,
                          "skill_uri": ["a", "b", "d", "e", "a", "f", "g", "h"]})
    priors = _priors([("R", "c", 1, 0), ("Q", "c", 1, 0)])
    roles = pl.LazyFrame({"role": ["R", "Q"]})
    out = aggregate.role_skills(postings, found,
                                aggregate.complete_priors(priors, roles)).collect()
    r = {row["skill_uri"]: row for row in out.filter(role="R").iter_rows(named=True)}
    # weights are rounded to 6 digits
    assert sum(x["weight"] for x in r.values()) == pytest.approx(1.0, abs=1e-5)
    # Two ads naming four skills each against PRIOR_POSTINGS=10: the prior keeps 10/12.
    assert r["c"]["weight"] == pytest.approx(10 / 12) and r["c"]["provenance"] == "taxonomy"
    assert r["a"]["postings"] == 2 and r["a"]["share"] == 1.0
    assert r["b"]["share"] == 0.5
    q = out.filter(role="Q")  # a role with no postings still has a profile
    assert q["weight"].to_list() == [1.0]


def test_an_ad_naming_one_skill_cannot_lead_a_profile_and_ads_naming_none_add_no_weight():
    # Kindergarten Teachers in the 3.3.8 snapshot: one ad naming only "Russian" made it the
    # role's strongest skill, above everything ESCO says a kindergarten teacher does. Here
    # ten more ads of the role name no skill at all.
    ids = [f"p{i}" for i in range(11)]
    postings = _postings(ids, ["R"] * 11, [1.0] * 11)
    found = pl.LazyFrame({"posting_id": ["p0"], "skill_uri": ["russian"]})
    priors = _priors([("R", "teach", 1, 0), ("R", "play", 1, 0)])
    out = aggregate.role_skills(postings, found, aggregate.complete_priors(
        priors, pl.LazyFrame({"role": ["R"]}))).collect()
    w = dict(zip(*out.select("skill_uri", "weight"), strict=True))
    # one ad naming one skill is a quarter of an ad against the prior's ten
    alpha = 0.25 / (0.25 + aggregate.PRIOR_POSTINGS)
    assert w["russian"] == pytest.approx(alpha, abs=1e-6)
    assert w["teach"] == pytest.approx((1 - alpha) / 2, abs=1e-6)
    assert w["russian"] < w["teach"]


def test_industry_transfer_and_portability_by_hand():
    shares = pl.LazyFrame({"sector": ["62", "62", "92", "92"],
                           "skill_uri": ["a", "b", "a", "c"], "postings": [5, 5, 2, 8],
                           "share": [0.5, 0.5, 0.2, 0.8], "rca": [1.4, 2.0, 0.6, 2.0]})
    sizes = pl.LazyFrame({"sector": ["62", "92"], "sector_postings": [10, 10]})
    out = aggregate.industry_transfer(shares, sizes).collect()
    # 62 -> 92: common min(0.5, 0.2) = 0.2 over 92's demand 1.0
    assert out.filter(from_sector="62", to_sector="92")["score"][0] == pytest.approx(0.2)
    # 92 -> 62: common 0.2 over 62's demand 1.0
    assert out.filter(from_sector="92", to_sector="62")["score"][0] == pytest.approx(0.2)
    labels = pl.LazyFrame({"skill_uri": ["a", "b", "c"], "label": ["A", "B", "C"]})
    port = aggregate.skill_portability(shares, labels).collect()
    a = port.filter(skill_uri="a").row(0, named=True)  # p = (0.5/0.7, 0.2/0.7)
    p = [0.5 / 0.7, 0.2 / 0.7]
    assert a["portability"] == pytest.approx(-sum(x * math.log(x) for x in p) / math.log(2),
                                             abs=1e-6)
    assert port.filter(skill_uri="b")["portability"][0] == 0.0


def test_industry_transfer_carries_the_counts_behind_each_cell():
    shares = pl.LazyFrame({"sector": ["62", "62", "92", "92", "54"],
                           "skill_uri": ["a", "b", "a", "b", "c"], "postings": [5, 5, 2, 8, 3],
                           "share": [0.5, 0.5, 0.2, 0.8, 1.0], "rca": [1.0] * 5})
    sizes = pl.LazyFrame({"sector": ["62", "92", "54"], "sector_postings": [10, 10, 3]})
    detail = pl.LazyFrame({"from_role": ["A", "A", "B"], "to_role": ["B", "C", "C"]})
    sectors = pl.LazyFrame({"role": ["A", "B", "C"], "main_sector": ["62", "92", "92"]})
    moves = aggregate.role_moves(detail, sectors)
    out = aggregate.industry_transfer(shares, sizes, moves).collect()
    cell = out.filter(from_sector="62", to_sector="92").row(0, named=True)
    assert cell["shared_skills"] == 2 and cell["from_postings"] == 10
    assert cell["role_moves"] == 2  # A->B and A->C lead from 62 into 92; B->C stays in 92
    none = out.filter(from_sector="62", to_sector="54").row(0, named=True)
    assert none["score"] == 0.0 and none["shared_skills"] == 0 and none["role_moves"] == 0
    assert none["to_postings"] == 3
    assert out.height == 6  # every ordered pair of distinct sectors


def test_sector_overlap_compares_the_roles_sector_mixes():
    mixes = pl.LazyFrame({"role": ["A", "A", "B", "B", "C"],
                          "sector": ["62", "92", "62", "54", "31-33"],
                          "mix": [0.7, 0.3, 0.4, 0.6, 1.0]})
    out = aggregate.role_transfer(PROFILES, SECTORS, mixes, space=_space()).collect()
    overlap = dict(zip(zip(out["from_role"], out["to_role"], strict=True), out["sector_overlap"],
                       strict=True))
    assert overlap[("A", "B")] == pytest.approx(0.4)  # min(0.7, 0.4) in 62, nothing else
    assert overlap[("B", "C")] == 0.0  # no sector in common
    few = mixes.filter(pl.col("role") != "C")
    out = aggregate.role_transfer(PROFILES, SECTORS, few, space=_space()).collect()
    assert out.filter(from_role="B", to_role="C")["sector_overlap"][0] is None  # C unknown


def test_sector_mixes_prefer_us_employment_and_fall_back_to_postings():
    employment = pl.LazyFrame({"soc_code": ["29-1141", "29-1141"], "sector": ["62", "61"],
                               "employment": [300, 100]})
    postings = pl.LazyFrame({"posting_id": ["p1", "p2", "p3"],
                             "role": ["29-1141.00", "55-1011.00", "55-1011.00"],
                             "sector": ["92", "92", "54"]})
    roles = pl.LazyFrame({"role": ["29-1141.00", "55-1011.00"]})
    mixes = aggregate.sector_mixes(postings, employment, roles).collect()
    nurse = dict(zip(*mixes.filter(role="29-1141.00").select("sector", "mix"), strict=True))
    assert nurse == pytest.approx({"62": 0.75, "61": 0.25})  # the posting in 92 is ignored
    officer = dict(zip(*mixes.filter(role="55-1011.00").select("sector", "mix"), strict=True))
    assert officer == pytest.approx({"92": 0.5, "54": 0.5})


def test_pathway_courses_list_each_gap_skills_courses_best_first():
    relevance = pl.LazyFrame({
        "course_id": ["c1", "c2", "c3", "c2"], "skill_uri": ["py", "py", "stats", "stats"],
        "relevance": [0.9, 0.6, 0.7, 0.8], "title_similarity": [0.9, 0.5, 0.7, 0.8],
        "stated_similarity": [0.9, 0.8, 0.7, 0.9], "text_similarity": [0.9, 0.5, 0.6, 0.6],
        "title_match": [True, False, True, False], "language_code": ["en"] * 4,
        "listed_after": [False] * 4},
        schema_overrides={c: pl.Float32 for c in ("title_similarity", "stated_similarity",
                                                  "text_similarity")})
    detail = pl.LazyFrame({"from_role": ["A", "B"], "to_role": ["B", "A"],
                           "gap_skills": [["py", "stats"], ["py"]]})
    out = aggregate.pathway_courses(detail, relevance).collect()
    py = out.filter(skill_uri="py").sort("rank")
    assert py["course_id"].to_list() == ["c1", "c2"] and py["gap_pairs"].to_list() == [2, 2]
    stats = out.filter(skill_uri="stats").sort("rank")
    assert stats["course_id"].to_list() == ["c2", "c3"] and stats["gap_pairs"].to_list() == [1, 1]


def test_a_university_subject_s_materials_come_after_courses_made_for_learners():
    # MIT OpenCourseWare's "Development Economics: Macroeconomics" scores higher for
    # *economics* than a MOOC on managerial economics (its subject tag is "Economics"), but
    # it is a graduate subject narrower than the skill: the MOOC comes first. Its
    # "Introduction to Psychology", whose title names *psychology*, keeps its place.
    f32 = {c: pl.Float32 for c in ("title_similarity", "stated_similarity", "text_similarity")}
    scored = pl.LazyFrame({
        "course_id": ["ocw1", "mooc1", "ocw2", "mooc2"],
        "skill_uri": ["econ", "econ", "psych", "psych"],
        "relevance": [0.80, 0.75, 0.90, 0.85], "title_similarity": [0.70, 0.75, 1.0, 0.80],
        "stated_similarity": [1.0, 0.8, 1.0, 0.9], "text_similarity": [0.5] * 4},
        schema_overrides=f32)
    courses = pl.LazyFrame({
        "course_id": ["ocw1", "mooc1", "ocw2", "mooc2"],
        "title": ["Development Economics: Macroeconomics",
                  "Managerial Economics and Business Analysis", "Introduction to Psychology",
                  "The Science of Well-Being"],
        "language_code": ["en"] * 4,
        "url": ["https://ocw.mit.edu/courses/14-772-development-economics-macroeconomics",
                "https://www.coursera.org/learn/managerial-economics",
                "https://ocw.mit.edu/courses/9-00sc-introduction-to-psychology-fall-2011",
                "https://www.coursera.org/learn/the-science-of-well-being"]})
    course_skills = pl.LazyFrame(schema={"course_id": pl.String, "skill_uri": pl.String,
                                         "evidence": pl.String})
    relevance = aggregate.teaching(scored, course_skills, courses)
    detail = pl.LazyFrame({"from_role": ["A"], "to_role": ["B"],
                           "gap_skills": [["econ", "psych"]]})
    out = aggregate.pathway_courses(detail, relevance).collect().sort("skill_uri", "rank")
    assert out.filter(skill_uri="econ")["course_id"].to_list() == ["mooc1", "ocw1"]
    assert out.filter(skill_uri="psych")["course_id"].to_list() == ["ocw2", "mooc2"]
    best = aggregate.best_courses(relevance).collect()
    assert best.filter(skill_uri="econ")["course_id"].to_list() == ["mooc1", "ocw1"]


def test_prior_weighs_a_skill_by_how_many_mapped_occupations_name_it_and_its_fit():
    # The role maps to 4 ESCO occupations: "drive" is essential to all 4, "cargo" essential
    # to 1 and optional to 2, "animals" essential to 1 (a livestock-transport occupation).
    priors = pl.LazyFrame({"role": ["R"] * 4, "skill_uri": ["drive", "cargo", "animals", "talk"],
                           "essential": [4, 1, 1, 0], "optional": [0, 2, 0, 1],
                           "esco_occupations": [4, 3, 1, 1]}, schema_overrides=U32)
    occupations = pl.LazyFrame({"role": ["R"], "esco_occupations": [4]},
                               schema_overrides={"esco_occupations": pl.UInt32})
    fit = pl.LazyFrame({"role": ["R"] * 4, "skill_uri": ["drive", "cargo", "animals", "talk"],
                        "fit": [0.6, 0.35, 0.1, 0.1]})
    transversal = pl.LazyFrame({"skill_uri": ["talk"]})
    out = aggregate.complete_priors(priors, pl.LazyFrame({"role": ["R"]}),
                                    occupations=occupations, fit=fit,
                                    transversal=transversal).collect()
    # centrality: drive 4/4, cargo (1 + 0.5 x 2)/4 = 0.5, talk 0.5/4; fit factor
    # 0.25 + 0.75 x clip((fit - 0.2) / 0.3): drive 1, cargo 0.625, talk 0.25.
    # "animals" (centrality 0.25, fit 0.1, not transversal) is pruned; "talk" is
    # unrelated too but transversal, so it stays at the base factor.
    raw = {"drive": 1.0, "cargo": 0.5 * 0.625, "talk": 0.125 * 0.25}
    total = sum(raw.values())
    assert _prior_of(out, "R") == pytest.approx({k: v / total for k, v in raw.items()})
    row = out.filter(skill_uri="cargo").row(0, named=True)
    assert row["esco_occupations"] == 3 and row["role_esco_occupations"] == 4


def test_an_unrelated_skill_that_most_mapped_occupations_name_is_kept():
    priors = pl.LazyFrame({"role": ["R", "R"], "skill_uri": ["core", "other"],
                           "essential": [3, 1], "optional": [0, 0],
                           "esco_occupations": [3, 1]}, schema_overrides=U32)
    fit = pl.LazyFrame({"role": ["R", "R"], "skill_uri": ["core", "other"], "fit": [0.1, 0.1]})
    out = aggregate.complete_priors(priors, pl.LazyFrame({"role": ["R"]}), fit=fit).collect()
    # "core": 3 of 3 occupations (>= CORE_SHARE) stays; "other": 1 of 3, unrelated, goes.
    assert _prior_of(out, "R") == pytest.approx({"core": 1.0})


def test_posting_evidence_counts_each_posting_by_its_role_confidence():
    postings = _postings(["p1", "p2"], ["R", "R"], [1.0, 0.25])
    found = pl.LazyFrame({"posting_id": ["p1", "p2"], "skill_uri": ["a", "b"]})
    out = aggregate.role_skills(postings, found, aggregate.complete_priors(
        _priors([("Q", "c", 1, 0)]), pl.LazyFrame({"role": ["Q"]}))).collect()
    r = {row["skill_uri"]: row for row in out.filter(role="R").iter_rows(named=True)}
    # n = 1.25 confidence-weighted postings; shares 1/1.25 and 0.25/1.25; same idf.
    assert r["a"]["share"] == pytest.approx(0.8) and r["b"]["share"] == pytest.approx(0.2)
    assert r["a"]["weight"] == pytest.approx(0.8) and r["b"]["postings"] == 1


def test_an_employers_copies_of_one_ad_weigh_as_one_posting_in_the_profile():
    # Three copies of one employer's ad (posted at three places; the title's case and
    # punctuation differ) name "security threats"; two other employers' ads name "analysis".
    postings = _postings(
        ["p1", "p2", "p3", "p4", "p5"], ["R"] * 5, [1.0] * 5,
        companies=["GAO", "GAO", "gao", "Acme", None],
        titles=["Student Trainee (Analyst)", "Student Trainee - Analyst",
                "student trainee analyst", "Analyst", "Analyst"])
    found = pl.LazyFrame({"posting_id": ["p1", "p2", "p3", "p4", "p5"],
                          "skill_uri": ["threats", "threats", "threats", "analysis",
                                        "analysis"]})
    out = aggregate.role_skills(postings, found, aggregate.complete_priors(
        _priors([("R", "c", 1, 0)]), pl.LazyFrame({"role": ["R"]}))).collect()
    r = {row["skill_uri"]: row for row in out.filter(role="R").iter_rows(named=True)}
    # `postings` and `share` still count the five postings...
    assert r["threats"]["postings"] == 3 and r["threats"]["share"] == pytest.approx(0.6)
    # ...but the evidence is 1 ad of 3 against 2 of 3, and the prior weighs against 3 ads
    # naming one skill each, a quarter of an ad each: alpha = 0.75 / (0.75 + PRIOR_POSTINGS).
    alpha = 0.75 / (0.75 + aggregate.PRIOR_POSTINGS)
    assert r["threats"]["weight"] == pytest.approx(alpha / 3, abs=1e-6)
    assert r["analysis"]["weight"] == pytest.approx(alpha * 2 / 3, abs=1e-6)
    assert r["c"]["weight"] == pytest.approx(1 - alpha, abs=1e-6)


def test_exported_trees_are_evaluated_as_written():
    from transform.marts.transfer import Trees

    # One stump on feature 1 (x1 <= 0.5 -> -1.0, else 2.0) and one leaf of 0.5; baseline 0.1.
    arrays = {"t_baseline": np.array([0.1]), "t_offsets": np.array([0, 3, 4]),
              "t_feature": np.array([1, 0, 0, 0]), "t_threshold": np.array([0.5, 0, 0, 0]),
              "t_left": np.array([1, 0, 0, 0]), "t_right": np.array([2, 0, 0, 0]),
              "t_leaf": np.array([False, True, True, True]),
              "t_value": np.array([0.0, -1.0, 2.0, 0.5])}
    x = np.array([[9.0, 0.5], [9.0, 0.6]])
    assert Trees(arrays, "t").raw(x) == pytest.approx([0.1 - 1.0 + 0.5, 0.1 + 2.0 + 0.5])


def _stump_model(tmp_path, feature: str, threshold: float):
    """A move model whose first stage is a stump on `feature` (below: logit 0, above: logit
    ln 3, so P = 1/2 or 3/4) and whose second stage predicts log share 0."""
    import json

    from transform.marts.transfer import FEATURES, MoveModel

    j = FEATURES.index(feature)
    stump = {"offsets": np.array([0, 3]), "feature": np.array([j, 0, 0]),
             "threshold": np.array([threshold, 0.0, 0.0]), "left": np.array([1, 0, 0]),
             "right": np.array([2, 0, 0]), "leaf": np.array([False, True, True]),
             "value": np.array([0.0, 0.0, math.log(3)]), "baseline": np.array([0.0])}
    leaf = {"offsets": np.array([0, 1]), "feature": np.array([0]), "threshold": np.array([0.0]),
            "left": np.array([0]), "right": np.array([0]), "leaf": np.array([True]),
            "value": np.array([0.0]), "baseline": np.array([0.0])}
    arrays = {**{f"occurs_{k}": v for k, v in stump.items()},
              **{f"share_{k}": v for k, v in leaf.items()}}
    path = tmp_path / "model.npz"
    np.savez(path, meta=np.array(json.dumps({"features": list(FEATURES)})), **arrays)
    return MoveModel(path)


def test_move_likelihood_shares_each_origins_leavers_by_the_model(tmp_path):
    # A and B do the same tasks (task_similarity 1), C does not (0): P = 3/4 vs 1/2.
    model = _stump_model(tmp_path, "task_similarity", 0.5)
    out = aggregate.role_transfer(PROFILES, SECTORS, space=_space(), model=model).collect()
    likely = {(a, b): v for a, b, v in out.select("from_role", "to_role", "move_likelihood")
              .iter_rows()}
    # B's destinations: A (3/4) and C (1/2), normalised to sum 1: 0.6 and 0.4.
    assert likely[("B", "A")] == pytest.approx(0.6, abs=1e-6)
    assert likely[("B", "C")] == pytest.approx(0.4, abs=1e-6)
    # C's destinations: A and B, both 1/2: half each (C -> A has no shared skill, no row).
    assert likely[("C", "B")] == pytest.approx(0.5, abs=1e-6)
    detail = aggregate.role_transfer_detail(out.lazy(), PROFILES, NO_COURSES, NO_BROADER,
                                            NO_TRANSVERSAL)
    b = {r["to_role"]: r for r in detail.collect().filter(from_role="B").iter_rows(named=True)}
    assert b["A"]["relative_likelihood"] == pytest.approx(1.0)
    assert b["C"]["relative_likelihood"] == pytest.approx(0.4 / 0.6, abs=1e-4)


def test_transfer_detail_says_what_a_move_is_worth():
    detail = pl.LazyFrame({"from_role": ["A", "B", "A", "A"], "to_role": ["B", "A", "C", "D"]})
    # D: OEWS publishes its pay only for its SOC broad group
    facts = pl.LazyFrame({"role": ["A", "B", "C", "D"],
                          "median_wage": [40000.0, 50000.0, None, None],
                          "median_wage_group": [None, None, None, 30000.0],
                          "job_zone": [2, 3, None, 2], "education_level": [3, 6, 4, 3]},
                         schema_overrides={"job_zone": pl.UInt8, "education_level": pl.UInt8})
    out = {(r["from_role"], r["to_role"]): r
           for r in aggregate.with_move_facts(detail, facts).collect().iter_rows(named=True)}
    assert out[("A", "B")]["wage_change"] == pytest.approx(0.25)
    assert out[("B", "A")]["wage_change"] == pytest.approx(-0.2)
    assert (out[("A", "B")]["job_zone_change"], out[("A", "B")]["education_change"]) == (1, 3)
    assert (out[("B", "A")]["job_zone_change"], out[("B", "A")]["education_change"]) == (-1, -3)
    assert out[("A", "C")]["wage_change"] is None and out[("A", "C")]["job_zone_change"] is None
    assert out[("A", "C")]["education_change"] == 1
    assert out[("A", "D")]["wage_change"] == pytest.approx(-0.25)
