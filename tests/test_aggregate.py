"""Transfer and portability formulas, checked against values worked out by hand."""

from __future__ import annotations

import math

import polars as pl
import pytest

from transform import aggregate

PROFILES = pl.LazyFrame({  # weights per role sum to 1
    "role": ["A", "A", "B", "B", "C"],
    "skill_uri": ["x", "y", "y", "z", "z"],
    "weight": [0.5, 0.5, 0.5, 0.5, 1.0],
    "postings": [0, 0, 0, 0, 0],
    "provenance": ["taxonomy"] * 5,
})
SECTORS = pl.LazyFrame({"role": ["A", "B", "C"], "main_sector": ["62", "92", "92"]})


def test_role_transfer_is_the_specificity_weighted_share_of_destination_demand():
    out = aggregate.role_transfer(PROFILES, SECTORS).collect()
    score = {(a, b): s for a, b, s in out.select("from_role", "to_role", "score").iter_rows()}
    ln3, ln15 = math.log(3), math.log(1.5)  # idf of x (1 of 3 roles), of y and z (2 of 3)
    # A -> B: they share y; B's demand is y and z, equally specific: half of it is matched.
    assert score[("A", "B")] == pytest.approx(0.5, abs=1e-6)
    # B -> A: A's demand leans on x, which is rarer (more specific) than y.
    assert score[("B", "A")] == pytest.approx(0.5 * ln15 / (0.5 * ln3 + 0.5 * ln15), abs=1e-6)
    assert score[("C", "B")] == pytest.approx(0.5, abs=1e-6)
    assert ("A", "C") not in score  # nothing in common: no row
    row = out.filter(from_role="A", to_role="B").row(0, named=True)
    assert row["shared_skills"] == 1 and row["crosses_industry"] is True
    assert out.filter(from_role="C", to_role="B")["crosses_industry"][0] is False


def test_transfer_detail_lists_shared_and_gap_skills_and_courses():
    transfer = aggregate.role_transfer(PROFILES, SECTORS)
    courses = pl.LazyFrame({"course_id": ["c1", "c2", "c2"], "skill_uri": ["z", "z", "q"],
                            "relevance": [1.0, 1.0, 1.0]})
    detail = aggregate.role_transfer_detail(transfer, PROFILES, courses).collect()
    row = detail.filter(from_role="A", to_role="B").row(0, named=True)
    assert row["shared_skills"] == ["y"] and row["gap_skills"] == ["z"]
    assert row["gap_weight"] == pytest.approx(0.5) and row["courses"] == ["c1", "c2"]
    assert row["rank"] == 1
    b_to_a = detail.filter(from_role="B", to_role="A").row(0, named=True)
    assert b_to_a["gap_skills"] == ["x"] and b_to_a["courses"] == []


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


def test_role_skills_weights_sum_to_one_and_blend_prior_with_evidence():
    postings = pl.LazyFrame({"posting_id": ["p1", "p2"], "role": ["R", "R"],
                             "role_confidence": [1.0, 1.0], "sector": ["62", "62"]})
    found = pl.LazyFrame({"posting_id": ["p1", "p2", "p2"], "skill_uri": ["a", "a", "b"]})
    priors = _priors([("R", "c", 1, 0), ("Q", "c", 1, 0)])
    roles = pl.LazyFrame({"role": ["R", "Q"]})
    out = aggregate.role_skills(postings, found,
                                aggregate.complete_priors(priors, roles)).collect()
    r = {row["skill_uri"]: row for row in out.filter(role="R").iter_rows(named=True)}
    assert sum(x["weight"] for x in r.values()) == pytest.approx(1.0)
    # Two postings against PRIOR_POSTINGS=10: the prior keeps 10/12 of the weight.
    assert r["c"]["weight"] == pytest.approx(10 / 12) and r["c"]["provenance"] == "taxonomy"
    assert r["a"]["postings"] == 2 and r["a"]["share"] == 1.0
    assert r["b"]["share"] == 0.5
    q = out.filter(role="Q")  # a role with no postings still has a profile
    assert q["weight"].to_list() == [1.0]


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
    out = aggregate.role_transfer(PROFILES, SECTORS, mixes).collect()
    overlap = dict(zip(zip(out["from_role"], out["to_role"], strict=True), out["sector_overlap"],
                       strict=True))
    assert overlap[("A", "B")] == pytest.approx(0.4)  # min(0.7, 0.4) in 62, nothing else
    assert overlap[("B", "C")] == 0.0  # no sector in common
    few = mixes.filter(pl.col("role") != "C")
    out = aggregate.role_transfer(PROFILES, SECTORS, few).collect()
    assert out.filter(from_role="B", to_role="C")["sector_overlap"][0] is None  # C unknown


def test_sector_mixes_prefer_us_employment_and_fall_back_to_postings():
    employment = pl.LazyFrame({"soc_code": ["29-1141", "29-1141"], "sector": ["62", "61"],
                               "employment": [300, 100]})
    postings = pl.LazyFrame({"posting_id": ["p1", "p2", "p3"],
                             "role": ["29-1141.00", "55-1011.00", "55-1011.00"],
                             "sector": ["92", "92", "54"]})
    mixes = aggregate.sector_mixes(postings, employment).collect()
    nurse = dict(zip(*mixes.filter(role="29-1141.00").select("sector", "mix"), strict=True))
    assert nurse == pytest.approx({"62": 0.75, "61": 0.25})  # the posting in 92 is ignored
    officer = dict(zip(*mixes.filter(role="55-1011.00").select("sector", "mix"), strict=True))
    assert officer == pytest.approx({"92": 0.5, "54": 0.5})


def test_pathway_courses_rank_courses_that_name_the_gap_skill_in_their_title_first():
    courses = pl.LazyFrame({"course_id": ["c1", "c2", "c3"],
                            "title": ["Intro to Python", "Data science", "Statistics"]})
    course_skills = pl.LazyFrame({
        "course_id": ["c1", "c2", "c2", "c3"],
        "skill_uri": ["py", "py", "stats", "stats"],
        "score": [0.9, 1.0, 1.0, 1.0],
        "evidence": ["python", "python", "statistics", "statistics"]})
    relevance = aggregate.course_relevance(course_skills, courses)
    rel = {(c, s): r for c, s, r, *_ in relevance.collect().iter_rows()}
    assert rel[("c1", "py")] == pytest.approx(0.9)  # named in the title
    assert rel[("c2", "py")] == pytest.approx(1.0 * aggregate.BODY_ONLY)  # description only
    detail = pl.LazyFrame({"from_role": ["A", "B"], "to_role": ["B", "A"],
                           "gap_skills": [["py", "stats"], ["py"]]})
    out = aggregate.pathway_courses(detail, relevance).collect()
    py = out.filter(skill_uri="py").sort("rank")
    assert py["course_id"].to_list() == ["c1", "c2"] and py["gap_pairs"].to_list() == [2, 2]
    stats = out.filter(skill_uri="stats").sort("rank")
    assert stats["course_id"].to_list() == ["c3", "c2"]  # c3 names statistics in its title
    assert stats["title_match"].to_list() == [True, False]
