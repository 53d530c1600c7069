"""Lexical ESCO matching: word boundaries, longest match, suppressed ordinary words."""

from __future__ import annotations

import polars as pl

from transform.skills import extract_skills

LABELS = pl.read_parquet("taxonomy/esco_skills.parquet")


def _labels(text: str) -> set[str]:
    frame = pl.LazyFrame({"id": ["a"], "text": [text]})
    found = extract_skills(frame, "id").collect().join(LABELS, on="skill_uri")
    return set(found["label"].to_list())


def test_word_boundaries_java_not_inside_javascript():
    assert _labels("We build with JavaScript.") == {"JavaScript"}
    assert "Java (computer programming)" in _labels("Java, Kotlin and Spring")


def test_multi_word_labels_and_punctuation():
    found = _labels("Experience in machine-learning and customer service; Python.")
    assert {"machine learning", "Python (computer programming)"} <= found
    assert any("customer service" in f for f in found)


def test_longest_match_wins():
    found = _labels("natural language processing")
    assert "natural language processing" in {f.lower() for f in found}
    assert "language" not in {f.lower() for f in found}


def test_ordinary_words_on_the_stoplist_do_not_fire():
    assert _labels("Access to our plan, history and energy.") == set()


def test_empty_and_missing_text_give_no_rows():
    frame = pl.LazyFrame({"id": ["a", "b"], "text": ["", None]})
    assert extract_skills(frame, "id").collect().is_empty()


def test_every_row_names_a_real_esco_skill_with_evidence():
    frame = pl.LazyFrame({"id": ["a"], "text": ["Registered nurse: patient care, triage, CPR"]})
    found = extract_skills(frame, "id").collect()
    assert found.height > 0
    assert found["skill_uri"].is_in(LABELS["skill_uri"].implode()).all()
    assert (found["evidence"].str.len_chars() > 0).all()
    assert found["score"].is_between(0, 1).all()
