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


# Real sentences from the bundled snapshot (snapshot/payloads/<source>/<file>, cited per case).
def test_r_counts_only_as_written_and_next_to_programming_words():
    # ashby/dailypay.json.gz, ashby/backmarket.json.gz
    assert "R" in _labels("Familiarity with programming languages like Python or R for advanced "
                          "financial analysis, automation, or statistical modeling is highly "
                          "valued")
    assert "R" in _labels("Advanced SQL & Python (and/or R)")
    assert "R" not in _labels("We invest in R&D every year.")
    assert "R" not in _labels("Must hold a Category R licence.")
    assert "R" not in _labels("r u ready?")


def test_go_and_c_are_not_esco_skills_and_never_fire():
    # ashby/1password.json.gz: "Go-to-Market", the Go language, "C-Suite"
    assert _labels("4+ years of experience in Go-to-Market, Sales, Sales Enablement, or a "
                   "related field") == _labels("4+ years of experience in Sales, Sales "
                                               "Enablement, or a related field")
    found = _labels("Advanced skills and experience in some of the languages used by our team, "
                    "such as Go and TypeScript.")
    assert found == {"TypeScript"}
    assert _labels("Business acumen, relationship building, solution selling, negotiation, "
                   "& presenting to C-Suite") & {"C++", "C#", "Objective-C"} == set()
    assert {"C++", "C#"} <= _labels("C, C++ and C# developers")


def test_sas_the_language_not_the_nhs_grade_or_a_department():
    # coursera/coursera_courses.csv.gz; nhs_jobs/nhs_jobs_sample_2020-11.tar.gz
    assert "SAS language" in _labels("Each project will demonstrate your comprehensive knowledge "
                                     "of the learned SAS programming skills.")
    assert "SAS language" not in _labels("The successful candidates will join a team of 36 "
                                         "Consultants, 10 SAS Grades, up to 24 Trainees, 3 Acute "
                                         "Pain Nurses and 4 administrative staff.")
    assert "SAS language" not in _labels("The Rheumatology and Lupus unit is part of the "
                                         "Directorate of Specialist Ambulatory Service (SAS).")


def test_erp_ml_hr_pr_acronyms_in_context():
    erp = "manage standard enterprise resource planning system"
    # ashby/AtomicSemi.json.gz
    assert erp in _labels("Foundational understanding of GAAP, budgeting, expense management, "
                          "and financial reporting, with exposure to tools such as QuickBooks, "
                          "Ramp, or ERP systems")
    # ashby/1password.json.gz
    assert "machine learning" in _labels("2+ years of experience building, training, and "
                                         "deploying ML/LLM models in production.")
    assert "human resource management" in _labels("6+ years experience working as an HR "
                                                  "Business Partner.")
    # ashby/Solvd.json.gz (public relations) vs ashby/Forward%20Financing.json.gz (pull requests)
    assert "public relations" in _labels("generate compelling insights and content for our "
                                         "advertising, partnerships, marketing, and PR teams.")
    assert "public relations" not in _labels("Boost engineering productivity by creating "
                                             "technical artifacts, and coaching team through "
                                             "Design / PR reviews")
    assert "machine learning" not in _labels("Dilute 5 ml of the solution.")


def test_names_that_are_ordinary_words_need_their_capital():
    # ashby/1password.json.gz; ashby/AtomicSemi.json.gz; ashby/Solvd.json.gz
    assert "Swift (computer programming)" in _labels(
        "Experience with Kotlin, Swift, Rust, JavaScript, Go, or related languages.")
    assert "Swift (computer programming)" not in _labels("We expect a swift response.")
    assert "Assembly (computer programming)" not in _labels("Hands-on prototyping, fabrication, "
                                                             "and assembly")
    assert "operating systems" in _labels("Develop and maintain Windows applications using C++.")
    assert "operating systems" not in _labels("Clean the windows and floors daily.")


def test_a_label_shared_by_skills_goes_to_its_preferred_owner():
    # ashby/backmarket.json.gz
    assert {"SQL", "Python (computer programming)"} <= _labels("Advanced SQL & Python (and/or R)")


def test_ranker_adds_implicit_mentions_with_evidence_and_is_optional():
    from transform.skills import load_ranker

    # ashby/AtomicSemi.json.gz: no ESCO label is written, the skill is implied.
    text = "Integrate microcontrollers, sensors, actuators in system assembly, including wiring."
    frame = pl.LazyFrame({"id": ["a"], "text": [text]})
    plain = extract_skills(frame, "id").collect()
    ranked = extract_skills(frame, "id", ranker=load_ranker(), ranker_min_score=0.4).collect()
    assert set(plain["method"]) <= {"lexical"}
    extra = ranked.filter(pl.col("method") == "ranker")
    implied = set(extra.join(LABELS, on="skill_uri")["label"].to_list())
    assert implied & {"assemble sensors", "assemble electrical components", "microsensors",
                      "hardware components"}
    assert extra["score"].is_between(0, 0.8).all()
    assert (extra["evidence"] == "integrate microcontrollers sensors actuators in system "
                                 "assembly including wiring").all()
    assert ranked.select("id", "skill_uri").is_unique().all()
    assert plain.equals(ranked.filter(pl.col("method") == "lexical"))


def test_number_and_hyphen_variants_of_noun_labels():
    # ashby/dandy.json.gz: ESCO has "medical devices" only; the singular is a variant.
    assert "medical devices" in _labels("Background in regulated or precision industries "
                                        "(medical device, dental, optical, or semiconductor) is "
                                        "preferred.")
    # ashby/hadrian-automation.json.gz: "manufacturing system" is the label, plural in the text.
    assert "manufacturing processes" in _labels("Lead the electrical and controls design for "
                                                "advanced automated manufacturing systems.")
    assert "machine learning" in _labels("Experience with machine-learning pipelines")


def test_nightly_stage_adds_ranker_rows_only_when_enabled(tmp_path, monkeypatch):
    from schemas.layout import DataLayout
    from transform import skills

    folder = DataLayout(tmp_path).normalised("2026-11-01")
    folder.mkdir(parents=True)
    # ashby/AtomicSemi.json.gz
    text = ("Hands-on experience with electromechanical assembly design. Integrate "
            "microcontrollers, sensors, actuators in system assembly, including wiring.")
    pl.DataFrame({"posting_id": ["p1"], "text": [text]}).write_parquet(folder / "postings.parquet")
    pl.DataFrame({"course_id": ["c1"], "text": [""]}).write_parquet(folder / "courses.parquet")

    monkeypatch.delenv("MICROCAREER_SKILL_RANKER", raising=False)
    skills.run(data_dir=tmp_path, date="2026-11-01")
    off = pl.read_parquet(folder / "posting_skills.parquet")
    monkeypatch.setenv("MICROCAREER_SKILL_RANKER", "1")
    skills.run(data_dir=tmp_path, date="2026-11-01")
    on = pl.read_parquet(folder / "posting_skills.parquet")
    assert set(off["method"]) == {"lexical"}
    assert set(on["method"]) == {"lexical", "ranker"}
    assert on.columns == ["posting_id", "skill_uri", "score", "method", "evidence"]
    assert on.filter(pl.col("method") == "lexical").equals(off)
    assert on.filter(pl.col("method") == "ranker").height <= skills.RANKER_K
