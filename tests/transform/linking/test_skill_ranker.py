"""The shared tokeniser (transform/linking/tokens.py) and the skill ranker
(transform/linking/skill_ranker.py): words and sentences, sentence vectors, and ESCO skills
ranked for real sentences."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest

from schemas.taxonomy import Taxonomy
from transform.linking import skill_ranker
from transform.linking.tokens import NON_WORD_RE, SENTENCE_SPLIT, WORD, WORD_RE

SHIPPED = Taxonomy.shipped()

ESCO = "http://data.europa.eu/esco/skill/"
SQL = ESCO + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"  # SQL
DATABASE = ESCO + "43ae58b9-5e56-4524-b45a-b422777a0576"  # database
TEACH_MATHS = ESCO + "71a6ac5f-f220-4bdc-95b7-b1b2e640fec5"  # teach mathematics
ADMINISTER_MEDICATION = ESCO + "1fd57242-267e-46df-bd8c-849fdd593a50"  # administer
# prescribed medication
CLEAN_ROOMS = ESCO + "7bb01a18-4637-4535-ba18-258f48f705b8"  # clean rooms
DRIVE_VEHICLES = ESCO + "2a82241a-216e-44d8-bb50-6b9a0ef82084"  # drive vehicles
HEAVY_TRUCKS = ESCO + "8215bbba-2f6d-4530-bf41-904d871eaf72"  # manoeuvre heavy trucks
PROCESS_PAYMENTS = ESCO + "bdcac0c8-b77a-4640-9eaf-c0cf3efd1e23"  # process payments

SQL_SENTENCE = "Strong SQL queries against Postgres databases"
MATHS_SENTENCE = "Teach mathematics (to primary-school pupils)"
MEDICATION_SENTENCE = "Administer medication to patients on the ward"


@pytest.fixture(scope="module")
def ranker():
    return skill_ranker.load(SHIPPED)


def rank(ranker, texts, **kwargs):
    records = pl.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "text": texts},
                           schema={"id": pl.String, "text": pl.String})
    return ranker.rank_records(records, "id", **kwargs)


def test_words_keep_programming_language_names():
    """C++, C# and .NET-style names survive as words; punctuation and case do not."""
    text = "C++ and C# developers, Node.js (full-time)!".lower()
    assert WORD_RE.findall(text) == ["c++", "and", "c#", "developers", "node", "js", "full",
                                     "time"]
    assert NON_WORD_RE.sub(" ", text).split() == WORD_RE.findall(text)


def test_sentences_end_at_lines_stops_and_bullets_but_not_inside_numbers():
    """Sentences split at line breaks, '.!?;' + space and list bullets; 3.5 and Node.js stay."""
    text = "Build APIs in Node.js. Write tests; review code!\nDeploy \u2022 Monitor - Fix 3.5 bugs"
    assert re.split(SENTENCE_SPLIT, text) == [
        "Build APIs in Node.js", "Write tests", "review code", "Deploy", "Monitor",
        "Fix 3.5 bugs"]


def test_ranker_vocabulary_is_cut_by_the_shared_tokeniser(ranker):
    """Every vocabulary word is a whole token of transform/linking/tokens.py, so lookups hit it."""
    words = ranker.vocab["word"]
    assert words.str.contains(f"^{WORD}$").all()
    assert {"sql", "c++", "c#", "nurse"} <= set(words)


def test_ranker_has_one_vector_per_esco_skill(ranker):
    """Every ESCO skill of the taxonomy can be ranked, each once."""
    esco = SHIPPED.esco_skills()["skill_uri"]
    assert sorted(ranker.skill_uris) == sorted(esco)
    assert ranker.skill_vectors.shape == (ranker.meta["dims"], esco.len())


def test_embed_gives_unit_vectors_and_zero_without_a_known_word(ranker):
    """A text's vector has length 1; empty, null or unknown-word texts get the zero vector."""
    vectors = ranker.embed([SQL_SENTENCE, "", None, "qzxv blorptangle"])
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 0.0, 0.0, 0.0], abs=1e-5)


def test_embed_ignores_case_punctuation_order_and_unknown_words(ranker):
    """A sentence vector is the mean of its known words' vectors (a bag of words)."""
    a, b, c, d = ranker.embed(["SQL databases", "sql, DATABASES!", "databases sql",
                               "sql qzxv databases"])
    assert a == pytest.approx(b, abs=1e-6)
    assert a == pytest.approx(c, abs=1e-6)
    assert a == pytest.approx(d, abs=1e-6)
    assert a != pytest.approx(ranker.embed(["sql"])[0], abs=1e-3)


def test_real_sentences_rank_their_esco_skill_first(ranker):
    """The best skill of a sentence naming an ESCO skill is that skill."""
    out = rank(ranker, [SQL_SENTENCE, MATHS_SENTENCE, MEDICATION_SENTENCE], k=3)
    best = out.group_by("id", maintain_order=True).first().sort("id")
    assert best["skill_uri"].to_list() == [SQL, TEACH_MATHS, ADMINISTER_MEDICATION]
    assert best["evidence"].to_list() == [
        "strong sql queries against postgres databases",
        "teach mathematics to primary school pupils",
        "administer medication to patients on the ward"]


def test_records_keep_their_best_k_skills_best_first_within_0_and_1(ranker):
    """At most k skills per record, scores in [0, 1] and not increasing."""
    out = rank(ranker, [f"{SQL_SENTENCE}. {MATHS_SENTENCE}"], k=2, min_score=0.3)
    assert out.height == 2
    assert out["score"].is_between(0, 1).all()
    assert out["score"].to_list() == sorted(out["score"].to_list(), reverse=True)
    assert out["skill_uri"].to_list()[0] == SQL


def test_a_skill_found_in_several_sentences_is_listed_once(ranker):
    """Two sentences about SQL give one SQL row for the record, not two."""
    out = rank(ranker, [f"{SQL_SENTENCE}. Write SQL queries for the monthly reports.\n"
                        f"{SQL_SENTENCE}"], k=10, min_score=0.3)
    assert out["skill_uri"].to_list().count(SQL) == 1
    assert out["skill_uri"].is_unique().all()


def test_each_skill_keeps_the_sentence_that_evidences_it(ranker):
    """A record of several sentences credits each skill to its own sentence."""
    out = rank(ranker, [f"{MATHS_SENTENCE}.\n{SQL_SENTENCE}"], k=10)
    evidence = dict(zip(out["skill_uri"], out["evidence"], strict=True))
    assert evidence[SQL] == "strong sql queries against postgres databases"
    assert evidence[DATABASE] == "strong sql queries against postgres databases"
    assert evidence[TEACH_MATHS] == "teach mathematics to primary school pupils"


def test_records_sharing_a_sentence_both_get_its_skills(ranker):
    """A sentence embedded once still credits every record that contains it."""
    out = rank(ranker, [SQL_SENTENCE, f"We hire. {SQL_SENTENCE}"], k=1)
    assert out.sort("id").select("id", "skill_uri").rows() == [("r0", SQL), ("r1", SQL)]


def test_short_sentences_and_weak_matches_propose_nothing(ranker):
    """Sentences under min_words words, and cosines under min_score, give no skill."""
    assert rank(ranker, ["SQL.", "SQL databases", "", None]).height == 0
    assert rank(ranker, [SQL_SENTENCE], min_score=0.95).height == 0
    assert rank(ranker, ["SQL databases"], min_words=2).height > 0


def test_hits_without_a_floor_give_exactly_per_text_best_first(ranker):
    """With min_score 0 each text proposes exactly per_text skills, best first."""
    texts, skills, scores = ranker.hits(["strong sql queries", "teach mathematics to pupils"],
                                        4, 0.0)
    assert texts.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert ranker.skill_uris[skills[0]] == SQL
    assert ranker.skill_uris[skills[4]] == TEACH_MATHS
    assert all(scores[i] >= scores[i + 1] for i in (0, 1, 2, 4, 5, 6))


def test_label_cover_is_full_when_the_sentence_holds_a_label_s_words(ranker):
    """"clean rooms" covers ESCO's *clean rooms* (its preferred label) fully and *drive
    vehicles* hardly; a sentence with no known word covers nothing."""
    words = ranker._tokens(["Clean rooms"])["word_idx"].to_numpy().astype(np.int64)
    place = {u: i for i, u in enumerate(ranker.skill_uris)}
    skills = np.array([place[CLEAN_ROOMS], place[DRIVE_VEHICLES]])
    cover = ranker.label_cover(words, skills)
    assert cover[0] == pytest.approx(1.0, abs=1e-4)
    assert cover[1] < 0.3
    assert ranker.label_cover(np.zeros(0, np.int64), skills).tolist() == [0.0, 0.0]


def test_rerank_brings_up_the_skills_whose_labels_the_sentence_words(ranker):
    """A cashier's and a lorry driver's duties: by cosine alone the best five are card
    dealing and road haulage planning; ranked again by label cover, payments come first and
    driving is among the five."""
    texts = ["Greet customers, handle cash and card payments and keep the shelves stocked",
             "Drive a tractor-trailer on long-haul routes and keep the logbook up to date"]
    for rerank in (False, True):
        out = rank(ranker, texts, k=5, min_score=0.0, min_words=1, rerank=rerank)
        cashier = out.filter(pl.col("id") == "r0")["skill_uri"].to_list()
        driver = set(out.filter(pl.col("id") == "r1")["skill_uri"].to_list())
        if rerank:
            assert cashier[0] == PROCESS_PAYMENTS
            assert {DRIVE_VEHICLES, HEAVY_TRUCKS} <= driver
        else:
            assert PROCESS_PAYMENTS not in cashier
            assert not {DRIVE_VEHICLES, HEAVY_TRUCKS} & driver


def test_rerank_scores_are_the_mean_of_cosine_and_cover(ranker):
    """Each reranked score is (cosine + label cover) / 2 of that sentence and skill."""
    text = "clean the guest rooms to our standards"
    texts, skills, scores = ranker.hits([text], 5, 0.0, rerank=True)
    cosine = ranker.embed([text])[0] @ ranker.skill_vectors[:, skills]
    words = ranker._tokens([text])["word_idx"].to_numpy().astype(np.int64)
    expected = (cosine + ranker.label_cover(words, skills)) / 2
    assert texts.tolist() == [0] * 5
    assert ranker.skill_uris[skills[0]] == CLEAN_ROOMS
    assert scores == pytest.approx(expected, abs=1e-5)
    # more places than candidates: the text still fills them all
    assert len(ranker.hits([text], 80, 0.0, rerank=True)[0]) == 80


def test_rerank_without_labels_names_what_is_missing():
    bare = skill_ranker.SkillRanker(SHIPPED.skill_ranker_path)
    with pytest.raises(ValueError, match="rerank needs the skills' labels"):
        bare.hits(["clean the rooms"], 3, 0.0, rerank=True)


@pytest.mark.parametrize(("value", "enabled"), [
    ("1", True), ("true", True), (" Yes ", True), ("ON", True),
    ("", False), ("0", False), ("false", False), ("enabled", False)])
def test_ranker_is_switched_on_by_the_environment(monkeypatch, value, enabled):
    """MICROCAREER_SKILL_RANKER=1/true/yes/on (any case) turns the nightly ranker on."""
    monkeypatch.setenv("MICROCAREER_SKILL_RANKER", value)
    assert skill_ranker.enabled_by_env() is enabled


def test_ranker_is_off_when_the_variable_is_unset(monkeypatch):
    """Without MICROCAREER_SKILL_RANKER the nightly run uses the lexical matcher only."""
    monkeypatch.delenv("MICROCAREER_SKILL_RANKER", raising=False)
    assert skill_ranker.enabled_by_env() is False
