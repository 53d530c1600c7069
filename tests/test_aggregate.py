"""Transfer and portability formulas, checked against values worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from transform import aggregate

EMPTY_PRIORS = pl.LazyFrame(schema={"role": pl.String, "skill_uri": pl.String,
                                    "essential": pl.UInt32, "optional": pl.UInt32,
                                    "esco_occupations": pl.UInt32})


def test_role_transfer_is_weighted_coverage_of_the_destination():
    # B's profile: s1 0.5, s2 0.3, s3 0.2 (5+ skills needed: pad both with shared s4..s6 at 0).
    profiles = pl.LazyFrame({
        "role": ["A"] * 6 + ["B"] * 6,
        "skill_uri": ["s1", "s2", "x1", "x2", "x3", "x4", "s1", "s2", "s3", "y1", "y2", "y3"],
        "weight": [1 / 6] * 6 + [0.5, 0.3, 0.2, 0.0, 0.0, 0.0],
    })
    sectors = pl.LazyFrame({"role": ["A", "B"], "main_sector": ["62", "92"]})
    out = aggregate.role_transfer(profiles, sectors).collect()
    a_to_b = out.filter(from_role="A", to_role="B").row(0, named=True)
    assert a_to_b["score"] == pytest.approx(0.8)  # A has s1 and s2: 0.5 + 0.3
    assert a_to_b["shared_skills"] == 2 and a_to_b["crosses_industry"] is True
    b_to_a = out.filter(from_role="B", to_role="A").row(0, named=True)
    assert b_to_a["score"] == pytest.approx(2 / 6)  # asymmetric


def test_role_skills_weights_sum_to_one_and_blend_prior_with_evidence():
    postings = pl.LazyFrame({"posting_id": ["p1", "p2"], "role": ["R", "R"],
                             "role_confidence": [1.0, 1.0], "sector": ["62", "62"]})
    found = pl.LazyFrame({"posting_id": ["p1", "p2", "p2"], "skill_uri": ["a", "a", "b"]})
    priors = pl.LazyFrame({"role": ["R", "Q"], "skill_uri": ["c", "c"],
                           "essential": [1, 1], "optional": [0, 0], "esco_occupations": [1, 1]},
                          schema_overrides={"essential": pl.UInt32, "optional": pl.UInt32,
                                            "esco_occupations": pl.UInt32})
    out = aggregate.role_skills(postings, found, priors).collect()
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
    import math
    p = [0.5 / 0.7, 0.2 / 0.7]
    assert a["portability"] == pytest.approx(-sum(x * math.log(x) for x in p) / math.log(2),
                                             abs=1e-6)
    assert port.filter(skill_uri="b")["portability"][0] == 0.0
