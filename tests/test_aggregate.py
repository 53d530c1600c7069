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
    courses = pl.LazyFrame({"course_id": ["c1", "c2", "c2"], "skill_uri": ["z", "z", "q"]})
    detail = aggregate.role_transfer_detail(transfer, PROFILES, courses).collect()
    row = detail.filter(from_role="A", to_role="B").row(0, named=True)
    assert row["shared_skills"] == ["y"] and row["gap_skills"] == ["z"]
    assert row["gap_weight"] == pytest.approx(0.5) and row["courses"] == ["c1", "c2"]
    assert row["rank"] == 1
    b_to_a = detail.filter(from_role="B", to_role="A").row(0, named=True)
    assert b_to_a["gap_skills"] == ["x"] and b_to_a["courses"] == []


def test_roles_missing_from_the_crosswalk_inherit_their_soc_groups_profile():
    priors = pl.LazyFrame({"role": ["29-1141.00", "29-1141.00", "29-1171.00"],
                           "skill_uri": ["care", "triage", "care"],
                           "essential": [1, 0, 1], "optional": [0, 1, 0],
                           "esco_occupations": [1, 1, 1]},
                          schema_overrides={"essential": pl.UInt32, "optional": pl.UInt32,
                                            "esco_occupations": pl.UInt32})
    roles = pl.LazyFrame({"role": ["29-1141.00", "29-1141.01", "29-1171.00", "47-2061.00"]})
    out = aggregate.complete_priors(priors, roles).collect()
    own = {s: p for _, s, p, _ in out.filter(role="29-1141.00").iter_rows()}
    assert own == pytest.approx({"care": 2 / 3, "triage": 1 / 3})
    child = out.filter(role="29-1141.01")  # same SOC detailed occupation 29-1141
    assert child["inherited"].all()
    assert dict(zip(child["skill_uri"], child["prior"], strict=True)) == pytest.approx(own)
    assert out.filter(role="47-2061.00").is_empty()  # no group with a profile: no prior


def test_role_skills_weights_sum_to_one_and_blend_prior_with_evidence():
    postings = pl.LazyFrame({"posting_id": ["p1", "p2"], "role": ["R", "R"],
                             "role_confidence": [1.0, 1.0], "sector": ["62", "62"]})
    found = pl.LazyFrame({"posting_id": ["p1", "p2", "p2"], "skill_uri": ["a", "a", "b"]})
    priors = pl.LazyFrame({"role": ["R", "Q"], "skill_uri": ["c", "c"],
                           "essential": [1, 1], "optional": [0, 0], "esco_occupations": [1, 1]},
                          schema_overrides={"essential": pl.UInt32, "optional": pl.UInt32,
                                            "esco_occupations": pl.UInt32})
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
    out = aggregate.industry_transfer(shares).collect()
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
