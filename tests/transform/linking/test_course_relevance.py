"""Which courses teach a skill: the weighted similarity, worked out by hand on a toy embedding,
and the shipped embedding on real course titles."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from schemas.taxonomy import Taxonomy
from transform.linking import skill_ranker
from transform.linking.course_relevance import (
    MIN_RELEVANCE,
    course_relevance,
    rejected_pairs,
)
from transform.linking.skills import stated_matches

SHIPPED = Taxonomy.shipped()

ESCO = "http://data.europa.eu/esco/skill/"


class ToyRanker:
    """Three words, one dimension each; skills "py" and "stats" are the first two axes."""

    skill_uris = np.array(["py", "stats"])
    skill_vectors = np.eye(3, dtype=np.float32)[:, :2]
    words = {"python": 0, "statistics": 1, "cooking": 2}

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 3), np.float32)
        for i, text in enumerate(texts):
            for w in text.lower().split():
                if w in self.words:
                    out[i, self.words[w]] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


COURSES = pl.DataFrame({
    "course_id": ["c1", "c2", "c3", "c4"],
    "title": ["Python", "Cooking", "Cooking statistics", "Statistics cooking"],
    "stated_skills": [None, ["Python"], ["Statistics"], ["Stats 101"]],
    "text": ["cooking", "python", "statistics", "cooking"],
}, schema_overrides={"stated_skills": pl.List(pl.String)})


def _scores(stated: pl.DataFrame | None = None) -> dict[tuple[str, str], float]:
    out = course_relevance(COURSES, ["py", "stats"], ToyRanker(), stated=stated)  # type: ignore[arg-type]
    return {(c, s): r for c, s, r, *_ in out.iter_rows()}


def test_title_counts_most_and_a_course_only_mentioning_the_skill_is_not_listed():
    scores = _scores()
    # c1: title python (cos 1), no stated skills (the title again: 1), text 0 -> 0.5 + 0.3
    assert scores[("c1", "py")] == pytest.approx(0.8)
    # c2 names python in its topics and text but is about cooking: 0 + 0.3 + 0.2 < threshold
    assert ("c2", "py") not in scores and MIN_RELEVANCE > 0.5
    # c3: title cos 1/sqrt(2), stated 1, text 1
    assert scores[("c3", "stats")] == pytest.approx(0.5 / np.sqrt(2) + 0.5, abs=1e-4)
    # c4's stated item has no known word: 0.5/sqrt(2) alone is below the threshold
    assert ("c4", "stats") not in scores


def test_a_stated_item_that_is_the_skills_label_counts_fully():
    stated = pl.DataFrame({"course_id": ["c4"], "skill_uri": ["stats"], "score": [1.0]})
    scores = _scores(stated)
    assert scores[("c4", "stats")] == pytest.approx(0.5 / np.sqrt(2) + 0.3, abs=1e-4)


# Real Coursera records of the snapshot (title, stated skills, opening of the description).
PRONUNCIATION = ("The Pronunciation of American English", ["English Language", "Pronunciation"],
                 "This specialization is intended for anyone who wants to achieve clearer, more "
                 "understandable pronunciation of American English to help them communicate "
                 "more easily and effectively.")
COMMON_LAW = ("Introduction to English Common Law", None,
              "The common law of England and Wales is one of the major global legal "
              "traditions. This MOOC will give you an introduction to this influential legal "
              "system including its history, constitutional background, sources and "
              "institutions.")
SERVICE = ("Customer Service Fundamentals",
           ["Communication", "IT Customer Support", "Problem Solving", "Process Management"],
           "There are a growing number of exciting, well-paying jobs in today's tech industry "
           "that do not require a traditional college degree, an one of the hottest areas with "
           "high demand is in IT customer service and support.")
ANALYTICS = ("Customer Analytics", ["Business Analysis", "Data Analysis", "Market Research",
                                    "Marketing"],
             "Data about our browsing and buying patterns are everywhere. From credit card "
             "transactions and online shopping carts, to customer loyalty programs and "
             "user-generated ratings/reviews")


@pytest.mark.parametrize(("skill", "teaches", "does_not"), [
    ("6d3edede-8951-4621-a835-e04323300fa0", PRONUNCIATION, COMMON_LAW),  # English, the language
    ("15a33d76-4640-438d-ae64-fdc0c1d3eebc", SERVICE, ANALYTICS),  # customer service
])
def test_real_courses_teach_the_skill_or_are_left_out(skill, teaches, does_not):
    courses = pl.DataFrame([("a", *teaches), ("b", *does_not)],
                           schema={"course_id": pl.String, "title": pl.String,
                                   "stated_skills": pl.List(pl.String), "text": pl.String},
                           orient="row")
    stated = (stated_matches(courses.lazy(), taxonomy=SHIPPED).collect()
              .select("course_id", "skill_uri", "score"))
    listed = course_relevance(courses, [ESCO + skill], skill_ranker.load(SHIPPED), stated=stated)
    assert listed["course_id"].to_list() == ["a"]


def test_a_title_that_is_a_skill_label_names_the_skill_but_one_containing_it_does_not():
    from transform.linking.skills import label_table
    from transform.marts.aggregate import titled_skills

    labels = dict(SHIPPED.esco_skills()
                  .select("skill_uri", "label").iter_rows())
    courses = pl.LazyFrame({"course_id": ["a", "b", "c", "d"], "title": [
        "Customer Service Fundamentals", "Introduction to English Common Law",
        "JavaScript for beginners", "German I"]})
    named = {c: labels[s] for c, s, _ in titled_skills(courses, label_table(SHIPPED))
             .collect().iter_rows()}
    assert named == {"a": "customer service", "c": "JavaScript", "d": "German"}


def test_a_titled_skill_counts_as_title_similarity():
    course = pl.DataFrame({"course_id": ["c5"], "title": ["Stats course"], "stated_skills": [None],
                           "text": [""]}, schema_overrides={"stated_skills": pl.List(pl.String)})
    assert course_relevance(course, ["stats"], ToyRanker()).is_empty()  # type: ignore[arg-type]
    titled = pl.DataFrame({"course_id": ["c5"], "skill_uri": ["stats"], "score": [1.0]})
    out = course_relevance(course, ["stats"], ToyRanker(), titled=titled)  # type: ignore[arg-type]
    # title 1.0 (the label's score); no stated item: the title's again; no text
    assert out["relevance"].to_list() == [pytest.approx(0.8)]


# Real snapshot courses that share words with a skill they do not teach (a review of
# `microcareer pathways` listed each of them), beside ones that do teach theirs.
TCPDUMP = ("Analyze Network Traffic with TCPDump", None,
           "In this 1 hour guided project, you will learn how to use one of the most versatile "
           "Linux networking utilities tcpdump to capture and analyze TCP traffic. Popular among "
           "all ranks of networking professionals, tcpdump will definitely empower you in daily "
           "networking operations.")
AUDITING = ("Auditing I: Conceptual Foundations of Auditing", None,
            "This course provides an intensive conceptual and applied introduction to auditing "
            "in society. It focuses on concepts and applications related to financial-statement "
            "auditors' professional responsibilities as well as major facets of the audit "
            "process including risk assessment and audit reporting.")
ASSETS = ("Assets in Accounting", ["Accounts receivable and cash receipts", "Asset Accounting",
                                   "Depreciation", "Inventory costing methods", "PP&E Accounting"],
          "In this second course, you will dive deeper into the world of bookkeeping and focus "
          "on accounting for assets. You will gain an understanding of common asset types, "
          "learn how to account for inventory, calculate cost of goods sold, and work with "
          "Property, Plant, and Equipment (PP&E).")


@pytest.mark.parametrize(("skill", "course", "listed"), [
    ("be0afbfa-2d39-47d0-8d5c-81df2a27d250", TCPDUMP, False),  # interpret traffic signals
    ("d83cba15-8511-4d07-b89a-9fde0d1d8241", AUDITING, False),  # perform quality audits
    ("64be6a06-52e8-4f5c-b64d-caa516cfa291", ASSETS, True),  # depreciation
    ("15a33d76-4640-438d-ae64-fdc0c1d3eebc", SERVICE, True),  # customer service
])
def test_a_course_teaches_only_what_it_is_most_about(skill, course, listed):
    courses = pl.DataFrame([("a", *course)],
                           schema={"course_id": pl.String, "title": pl.String,
                                   "stated_skills": pl.List(pl.String), "text": pl.String},
                           orient="row")
    stated = (stated_matches(courses.lazy(), taxonomy=SHIPPED).collect()
              .select("course_id", "skill_uri", "score"))
    ranker = skill_ranker.load(SHIPPED)
    out = course_relevance(courses, [ESCO + skill], ranker, stated=stated)
    assert (not out.is_empty()) == listed
    # the words alone are close enough: without the rank check each would be listed
    assert not course_relevance(courses, [ESCO + skill], ranker, stated=stated,
                                top_skills=None).is_empty()


def test_a_pair_a_review_judged_irrelevant_is_never_listed():
    rejected = pl.DataFrame({"course_id": ["c1"], "skill_uri": ["py"]})
    listed = course_relevance(COURSES, ["py"], ToyRanker(), rejected=rejected.clear())  # type: ignore[arg-type]
    assert ("c1", "py") in set(listed.select("course_id", "skill_uri").iter_rows())
    kept = course_relevance(COURSES, ["py"], ToyRanker(), rejected=rejected)  # type: ignore[arg-type]
    assert ("c1", "py") not in set(kept.select("course_id", "skill_uri").iter_rows())
    # `*`: the course for any skill
    every = pl.DataFrame({"course_id": ["c3"], "skill_uri": ["*"]})
    assert ("c3", "stats") in set(_pairs(course_relevance(COURSES, ["py", "stats"], ToyRanker())))  # type: ignore[arg-type]
    assert "c3" not in {c for c, _ in _pairs(course_relevance(  # type: ignore[arg-type]
        COURSES, ["py", "stats"], ToyRanker(), rejected=every))}


def _pairs(frame: pl.DataFrame) -> list[tuple[str, str]]:
    return list(frame.select("course_id", "skill_uri").iter_rows())


def test_the_shipped_rejections_name_real_skills_and_course_ids():
    pairs = rejected_pairs()
    assert pairs.height >= 13
    known = set(SHIPPED.esco_skills()["skill_uri"])
    assert set(pairs["skill_uri"]) - {"*"} <= known
    assert pairs["course_id"].str.contains(r"^[0-9a-f]{16}$").all()
