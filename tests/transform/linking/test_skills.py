"""Lexical ESCO matching: word boundaries, longest match, suppressed ordinary words."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.taxonomy import Taxonomy
from transform.linking import skills
from transform.linking.skills import extract_skills

SHIPPED = Taxonomy.shipped()
LABELS = SHIPPED.esco_skills()


def _labels(text: str) -> set[str]:
    frame = pl.LazyFrame({"id": ["a"], "text": [text]})
    found = extract_skills(frame, "id", taxonomy=SHIPPED).collect().join(LABELS, on="skill_uri")
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


def test_overlapping_patterns_are_all_found_and_the_automaton_is_built_once():
    labels = pl.DataFrame({"pattern": [" project management ", " management ",
                                       " project ", " risk management "]})
    records = pl.LazyFrame({"id": ["a", "b", "c"],
                            "text": ["Project-management and RISK management.", "", None]})
    before = skills._automaton.cache_info()

    found = skills.main_matches(records, "id", "text", labels).collect()
    again = skills.main_matches(records.head(1), "id", "text", labels).collect()

    assert sorted(found.rows()) == [("a", " management "), ("a", " project "),
                                    ("a", " project management "), ("a", " risk management ")]
    assert sorted(again.rows()) == sorted(found.rows())
    after = skills._automaton.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


def test_matches_found_in_chunks_belong_to_their_own_records(monkeypatch):
    # main_matches normalises texts MATCH_CHUNK at a time while it matches the last chunk:
    # with chunks of 2, records 3-5 are matched in later chunks and keep their own ids.
    monkeypatch.setattr(skills, "MATCH_CHUNK", 2)
    labels = pl.DataFrame({"pattern": [" welding ", " python ", " forklift "]})
    records = pl.LazyFrame({"id": ["r1", "r2", "r3", "r4", "r5"],
                            "text": ["Welding.", None, "Python and welding", "", "Forklift"]})

    found = skills.main_matches(records, "id", "text", labels).collect()

    assert sorted(found.rows()) == [("r1", " welding "), ("r3", " python "),
                                    ("r3", " welding "), ("r5", " forklift ")]


def test_ordinary_words_on_the_stoplist_do_not_fire():
    assert _labels("Access to our plan, history and energy.") == set()


def test_inspection_methods_are_not_survey_techniques():
    # ESCO gives *survey techniques* (questionnaires) the alternative label "inspection
    # methods"; ten manufacturing engineers' ads of one employer (ashby) made it their role's
    # second skill.
    assert "survey techniques" not in _labels(
        "have a deep working knowledge of production and inspection methods for Welding.")
    assert "survey techniques" in _labels("Design questionnaires and choose survey methods.")


@pytest.mark.parametrize(("text", "wrong"), [
    ("Ensure all enrollment and billing processes align with regulatory requirements.",
     "good laboratory practice"),
    ("Including thermal management, materials selection, and structural analysis.",
     "think analytically"),
    ("Raiser's Edge software and retail POS systems experience a plus.",
     "blockchain consensus mechanisms"),
    ("First article inspections and CMM report verification.", "ICT process quality models"),
    ("Located in the Field Office at 7400 N Mineral Dr. Ste. 100.", "solar energy"),
    ('Experienced in traditional "stick and rudder" type controls for piloting aircraft.',
     "tools for software configuration management"),
    ("Strong working knowledge of building codes, NFPA 70E, NEC requirements.",
     "procurement of ICT network equipment"),
    ("Develop and manage infrastructure as code (IaC) using tools such as Terraform.",
     "monitor swimming-pool infrastructure"),
    ("The team maintains Radiology medical equipment across the Trust.", "medical furniture"),
    ("Design and layout CMOS analog, mixed-signal, and RF circuit blocks.",
     "digital camera sensors"),
    ("Follow start-up and clean-up procedures. Monitor operations and make mechanical "
     "adjustments as needed.", "monitor operations in the leather industry"),
    ("Conduct quality checks to ensure all work meets company standards.",
     "statistical quality control"),
    ("Ensure compliance with federal, state, and international tax laws.",
     "international tariffs"),
    ("Relocation expenses may be authorized to any geographical area.", "geographic areas"),
    ("You will work across the Trust's geographical area with community teams.",
     "geographic areas"),
])
def test_alternative_labels_of_another_sense_do_not_fire(text, wrong):
    # snapshot ads (linkedin, usajobs, ashby); ESCO files each phrase under the skill named
    assert wrong not in _labels(text)


@pytest.mark.parametrize(("text", "wrong"), [
    # snapshot postings and courses whose label words straddle a comma, colon, bracket,
    # full stop or line break
    ("Candidates who have worked in public health, education or care service",
     "health education"),
    ("Job Ref: NHSP_FSA\nJob Title and Grade: Food Service Assistant", "grade foods"),
    ("experience in the AEC (Architecture, Engineering, Construction) industry is required",
     "construction industry"),
    ("Bachelor's degree or diploma in Business, Law, or any related field", "business law"),
    ("with daily medical support. Nurses, physiotherapists and therapists", "support nurses"),
    ("Strong communication, problem solving and team working skills", "communication disorders"),
])
def test_a_label_does_not_straddle_the_end_of_a_phrase(text, wrong):
    assert wrong not in _labels(text)


def test_a_label_written_with_its_own_punctuation_still_matches():
    assert "organise information, objects and resources" in _labels(
        "You will organise information, objects and resources for the team.")
    assert "work in teams" in _labels("Able to work in teams. Strong communication skills.")


def test_evidence_is_published_without_the_phrase_barriers():
    # a label and a stated item written with punctuation: the words only, as before barriers
    frame = pl.LazyFrame({"id": ["a"], "text": [
        "You will organise information, objects and resources for the team."]})
    found = extract_skills(frame, "id", taxonomy=SHIPPED).collect()
    assert "organise information objects and resources" in found["evidence"].to_list()
    courses = pl.LazyFrame({"course_id": ["c"],
                            "stated_skills": [["Cascading Style Sheets (CSS)"]]})
    stated = skills.stated_matches(courses, taxonomy=SHIPPED).collect()
    assert stated["evidence"].to_list() == ["cascading style sheets css"]
    assert not any("#" in e for e in found["evidence"].to_list() + stated["evidence"].to_list())


def test_maven_is_the_build_tool_only_with_its_capital():
    # ashby: sales ads; a system administrator's list of tools
    assert "Apache Maven" not in _labels("Become a DailyPay product maven and perfect your "
                                         "skills in presenting our value proposition.")
    assert "Apache Maven" in _labels("Knowledge of Vagrant, Maven, Puppet and LDAP.")


def test_plc_is_a_controller_only_in_capitals():
    # nhs_jobs: a British company name; ads for electricians write the acronym
    assert "programmable logic controller" not in _labels(
        "Vocare, a subsidiary of Totally plc is currently looking for General Practitioners.")
    assert "programmable logic controller" in _labels(
        "Strong PLC and control system troubleshooting skills a plus.")


def test_empty_and_missing_text_give_no_rows():
    frame = pl.LazyFrame({"id": ["a", "b"], "text": ["", None]})
    assert extract_skills(frame, "id", taxonomy=SHIPPED).collect().is_empty()


def test_every_row_names_a_real_esco_skill_with_evidence():
    frame = pl.LazyFrame({"id": ["a"], "text": ["Registered nurse: patient care, triage, CPR"]})
    found = extract_skills(frame, "id", taxonomy=SHIPPED).collect()
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
    from transform.linking.skills import load_ranker

    # ashby/AtomicSemi.json.gz: no ESCO label is written, the skill is implied.
    text = "Integrate microcontrollers, sensors, actuators in system assembly, including wiring."
    frame = pl.LazyFrame({"id": ["a"], "text": [text]})
    plain = extract_skills(frame, "id", taxonomy=SHIPPED).collect()
    ranked = extract_skills(frame, "id", taxonomy=SHIPPED, ranker=load_ranker(SHIPPED),
                            ranker_min_score=0.4).collect()
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


def test_a_label_whose_twin_names_a_closer_skill_goes_to_that_skill():
    # ESCO files "environmental laws" under oil rig legislation and "environmental law"
    # under environmental legislation (usajobs_2017, a materials handler's ad)
    found = _labels("Knowledge of transportation, security, environmental laws, and "
                    "regulations in daily warehouse duties.")
    assert "environmental legislation" in found and "oil rig legislation" not in found
    # "resolve conflict" is an alternative label of negotiate compromises (emscad 193)
    found = _labels("strong verbal, written communications skills, ability to resolve "
                    "conflict and effective interpersonal skills.")
    assert "resolve conflicts" in found and "negotiate compromises" not in found
    # and "analyse loan" one of redirect callers
    assert skills.label_table(SHIPPED).filter(pattern=" analyse loan ").join(
        LABELS, on="skill_uri")["label"].to_list() == ["analyse loans"]
    # a twin whose skill shares few words stays ("use global positioning system")
    assert "solve location and navigation problems by using GPS tools" in _labels(
        "Use global positioning system devices to find each site.")


def test_nightly_stage_adds_ranker_rows_only_when_enabled(tmp_path, monkeypatch):
    from schemas.layout import DataLayout
    from transform.linking import skills

    folder = DataLayout(tmp_path).normalised("2026-11-01")
    folder.mkdir(parents=True)
    # ashby/AtomicSemi.json.gz
    text = ("Hands-on experience with electromechanical assembly design. Integrate "
            "microcontrollers, sensors, actuators in system assembly, including wiring.")
    pl.DataFrame({"posting_id": ["p1"], "text": [text]}).write_parquet(folder / "postings.parquet")
    pl.DataFrame({"course_id": ["c1"], "text": [""]}).write_parquet(folder / "courses.parquet")

    monkeypatch.delenv("MICROCAREER_SKILL_RANKER", raising=False)
    skills.run(data_dir=tmp_path, date="2026-11-01", taxonomy=SHIPPED)
    off = pl.read_parquet(folder / "posting_skills.parquet")
    monkeypatch.setenv("MICROCAREER_SKILL_RANKER", "1")
    skills.run(data_dir=tmp_path, date="2026-11-01", taxonomy=SHIPPED)
    on = pl.read_parquet(folder / "posting_skills.parquet")
    assert set(off["method"]) == {"lexical"}
    assert set(on["method"]) == {"lexical", "ranker"}
    assert on.columns == ["posting_id", "skill_uri", "score", "method", "evidence"]
    assert on.filter(pl.col("method") == "lexical").equals(off)
    assert on.filter(pl.col("method") == "ranker").height <= skills.RANKER_K


# Named false matches (issue #19). Real sentences, cited per case; the labels are ESCO's own
# alternative labels for skills of another sense.
def test_operational_excellence_is_lean_manufacturing_only_in_a_production_context():
    # Mariana Minerals (ashby, bundled snapshot): a company value, not lean manufacturing.
    assert "lean manufacturing" not in _labels(
        "We are committed to operational excellence, innovation, and building "
        "high-performing teams that drive measurable results.")
    # HR posting wording (snapshot): "Driving Operational Excellence: You will execute process
    # improvement tasks by assisting senior team members".
    assert "lean manufacturing" not in _labels(
        "Driving Operational Excellence: You will execute process improvement tasks by "
        "assisting senior team members.")
    assert "lean manufacturing" in _labels(
        "Lead operational excellence on the shop floor with kaizen events and 5S.")
    # Since 3.4.2 "continuous improvement" is no cue: software and finance ads pair the two
    # (skill precision sample B, a data engineering manager's ad; 22 bulk postings).
    assert "lean manufacturing" not in _labels(
        "Champion governance, CI/CD, and operational excellence: drive automation, "
        "reliability, and continuous improvement across data systems.")
    assert "lean manufacturing" in _labels(
        "Drive operational excellence and continuous improvement on the production line.")


def test_security_systems_are_a_buildings_only_beside_its_alarms_or_guards():
    bms = "building systems monitoring technology"
    # USAJOBS IT Specialist (INFOSEC) and an infosec engineer's ad (snapshot).
    assert bms not in _labels(
        "One year of experience monitoring and investigating security, privacy incidents, "
        "and breaches that impact national security systems.")
    assert bms not in _labels(
        "Design, implement, and maintain security systems and solutions with AWS and GitHub.")
    # A federal security officer's ad (snapshot).
    assert bms in _labels(
        "Experience conducting assessments and testing of all electronic security systems.")


def test_equipment_assembly_is_not_the_assembly_language():
    # USAJOBS repairer postings (snapshot, 32 of them): a federal qualification element.
    assert "Assembly (computer programming)" not in _labels(
        "Ability To Use and Maintain Tools and Equipment. Knowledge of Equipment Assembly, "
        "Installation, Repair, etc.")
    # A data scientist posting (snapshot): the language.
    assert "Assembly (computer programming)" in _labels(
        "Familiarity with one or more of the following (C/C++, C#, Java, Python, Assembly).")


def test_surgery_counts_only_in_a_surgical_sentence():
    # NHS Jobs (snapshot): a British GP practice is a "surgery"; VA postings list a
    # hospital's services.
    assert "surgery" not in _labels(
        "Rhoslan Surgery is looking to recruit a Pharmacy Technician to join our team.")
    assert "surgery" not in _labels(
        "Care is provided in areas of medicine, surgery, psychiatry, physical medicine and "
        "rehabilitation.")
    # NHS Jobs specialty doctor in urology (snapshot).
    assert "surgery" in _labels(
        "Trained in open as well as laparoscopic renal and prostate surgery.")


def test_a_sales_pipeline_is_not_inspect_pipelines():
    # ashby Sales Manager postings (snapshot): "pipeline inspection" of a sales pipeline.
    assert "inspect pipelines" not in _labels(
        "Drive rigor in pipeline inspection, forecasting, and activity hygiene using tools "
        "like HubSpot.")
    assert "inspect pipelines" not in _labels(
        "Coach and develop your team through regular feedback, deal reviews, pipeline "
        "inspection, and career development planning.")
    assert "inspect pipelines" in _labels("Carry out pipeline inspection on gas mains and "
                                          "report corrosion and leaks.")


def test_the_fbi_selection_system_sass_is_not_the_stylesheet_language():
    # usajobs Special Agent postings (snapshot): FBI's "Special Agent Selection System
    # (SASS)" made Sass (a CSS preprocessor) the top skill of the role those ads went to.
    assert "Sass" not in _labels(
        "The Special Agent Selection System (SASS) is a mentally and physically challenging "
        "process designed to find only the most capable applicants.")
    assert "Sass" not in _labels("For more information about the SASS, physical fitness "
                                 "requirements and work experience waivers, visit the site.")
    # remoteok Content Manager posting (snapshot): the word, not the language.
    assert "Sass" not in _labels("Think Ryanair sass with a sprinkle of TSA humor.")
    # snapshot front-end postings: the language.
    assert "Sass" in _labels("You have experience with dynamic CSS preprocessors such as "
                             "SASS and LESS.")
    assert "Sass" in _labels("- Experience with Compass / Sass / Grunt")


@pytest.mark.parametrize(("label", "text", "found"), [
    # usajobs_2017 (snapshot): a US Attorneys' Office footer made PHP a top skill of
    # paralegals, and the radiographers' credentialing statute made "public law" the top
    # skill of dental assistants; their qualification paragraphs made osteopathy one too.
    ("PHP", "See http://bestplacestowork.org/BPTW/index.php or www.justice.gov/usao.", False),
    ("ASP.NET", "Apply at https://www.usajobs.gov/GetJob/ViewDetails.aspx today.", False),
    ("PHP", "Send your CV to php.jobs@example.com.", False),
    ("public law", "Public Law 97-35 requires persons who administer radiologic procedures "
                   "to meet the credentialing standards.", False),
    ("osteopathy", "Certification from a licensed practitioner such as a doctor of medicine, "
                   "osteopathy, dentistry, podiatry, or chiropractic.", False),
    ("osteopathy", "Degree: Doctor of Medicine or Doctor of Osteopathy from a school in the "
                   "United States.", False),
    # their duty-station blurbs gave paralegals and physician assistants these
    ("ski", "Within a day's drive of Zion National Park and several ski areas.", False),
    ("sporting events", "Sports fans revel in the Thunder NBA basketball team and many "
                        "national sporting events.", False),
    # since 3.3.5: recreation blurbs of federal and start-up ads, and CPT billing codes
    # (revenue-cycle and claims ads) gave cashiers, bartenders, material handlers, dental
    # hygienists and systems analysts these
    ("tennis", "Recreational facilities (swimming pool, tennis and basketball courts), "
               "barbershop and dining facility.", False),
    ("tennis", "A bright office with everything you desire, like table tennis and table "
               "football.", False),
    ("ice-skating", "Facilities such as golfing venues, a skeet range, ice skating rink and "
                    "fitness centers.", False),
    ("snowboard", "Ski or snowboard Mt. Ashland, Mt. Shasta and Mt. Bachelor in winter.", False),
    ("cable-propelled transit", "Knowledge of CPT, HCPCS, and ICD-10 coding.", False),
    # since 3.3.9: the agency whose qualification standards federal ads cite gave 75
    # snapshot postings, 21 of them lawyers', "personnel management"
    ("personnel management", "You must meet the Office of Personnel Management (OPM) "
                             "qualification standards for the series.", False),
    ("personnel management", "See the U.S. OFFICE OF PERSONNEL MANAGEMENT website.", False),
    ("manage contracts", "The Defense Contract Management Agency is hiring.", False),
    ("personnel management", "Experience in personnel management and staff scheduling.",
     True),
    # since 3.4.1: OPM's engineering education standard, quoted by federal ads for every
    # kind of engineer, gave computer engineers *geology* and *fluid mechanics* (snapshot)
    ("geology", "A curriculum leading to a bachelor's degree in an appropriate scientific "
                "field, e.g., engineering technology, physics, chemistry, architecture, "
                "computer science, mathematics, hydrology, or geology, may be accepted in "
                "lieu of a degree in engineering.", False),
    ("fluid mechanics", "Courses in five of the following seven areas of engineering science "
                        "or physics: (a) statics, dynamics; (b) strength of materials; (c) "
                        "fluid mechanics, hydraulics; (d) thermodynamics; (e) electrical "
                        "fields and circuits; (f) nature and properties of materials; and (g) "
                        "any other comparable area of fundamental engineering science or "
                        "physics, such as optics, heat transfer, soil mechanics, or "
                        "electronics.", False),
    ("thermodynamics", "(b) strength of materials (stress-strain relationships); (c) fluid "
                       "mechanics, hydraulics; (d) thermodynamics; (e) electrical fields and "
                       "circuits; (f) nature and properties of materials (relating particle "
                       "and aggregate structure to properties).", False),
    # ESCO's "natural science(s)", a label of *physics*, is the broad field on ads (two
    # credit analysts', snapshot)
    ("physics", "A degree in mathematics, natural sciences, or engineering.", False),
    ("physics", "A degree in physics or astronomy.", True),
    ("geology", "A degree in geology and two years of field mapping.", True),
    ("fluid mechanics", "You model pipe flow with computational fluid mechanics.", True),
    # since 3.4.2 (skill precision sample B): ESCO's *logging* fells trees, software ads log
    # events (36 snapshot postings); *computer equipment*'s label "a computer" is in "work
    # on a computer" and "a computer science degree" (20); a British criminal-records
    # notice named *rehabilitation* (9)
    ("logging", "Implement centralized logging, monitoring, alerting and uptime tracking.",
     False),
    ("logging", "Support the harvesting team in contract logging and timber sales.", True),
    ("computer equipment", "Ability to sit for extended periods and work on a computer.",
     False),
    ("computer equipment", "A computer science degree from a top university.", False),
    ("computer equipment", "You know the computer equipment and peripherals we sell.", True),
    ("rehabilitation", "This post is subject to the Rehabilitation of Offenders Act "
                       "(Exceptions Order) 1975.", False),
    ("rehabilitation", "REHABILITATION OF OFFENDERS ACT 1974 applies.", False),
    ("rehabilitation", "Experience in stroke rehabilitation is essential.", True),
    # VA medical centers' blurb of their services, quoted by every VA ad whatever its job
    # (36 snapshot postings: an orthopedic surgeon's had *psychiatry* and *neurology*), and
    # the accreditor of rehabilitation facilities they name
    ("geriatrics", "Comprehensive health care is provided through primary care, tertiary "
                   "care and long-term care in areas of medicine, surgery, psychiatry, "
                   "physical medicine and rehabilitation, neurology, oncology, dentistry, "
                   "geriatrics and extended care.", False),
    ("primary care", "Health care is provided through our primary care providers and "
                     "tertiary care is offered in areas of medicine, surgery, and "
                     "psychiatry.", False),
    ("neurology", "Comprehensive healthcare is provided through primary care and long-term "
                  "care in the areas of dentistry, extended care, medicine, neurology, "
                  "oncology, pharmacy, physical medicine, psychiatry, rehabilitation and "
                  "surgery.", False),
    ("rehabilitation", "Accredited by the Commission on Accreditation of Rehabilitation "
                       "Facilities.", False),
    ("geriatrics", "You will provide care in geriatrics and extended care.", True),
    ("primary care", "Primary care is provided by our nurse practitioners.", True),
    # since 3.4.3 (skill precision sample C): smoke-free notices and FDA's Center for
    # Tobacco Products named *tobacco products* (8 snapshot postings), a software ad's
    # monitoring tool *graphite*, a glamping company and an app's feature *Canvas*, and
    # radiology's image archive *communication*
    ("tobacco products", "On January 1, 2013, Madigan Healthcare System became a tobacco "
                         "free campus. This includes all tobacco products and electronic "
                         "nicotine delivery devices such as e-cigarettes.", False),
    ("tobacco products", "There are not any pharmacists positions available in the Center "
                         "for Tobacco Products (CTP).", False),
    ("tobacco products", "Restock and sell tobacco products, lottery tickets and snacks.",
     True),
    ("graphite", "We store data in MySQL and Redis and monitor it with StatsD and Graphite.",
     False),
    ("graphite", "Process graphite and carbon powders for battery anodes.", True),
    ("Canvas (learning management systems)", "Under Canvas is a leader in glamping.", False),
    ("Canvas (learning management systems)", "Build courses for our students in Canvas.",
     True),
    # its maker's name, as O*NET's technology example writes it for 4 education roles
    # (since 3.4.7: `make taxonomy` rebuilds role_tech_skills as shipped)
    ("Canvas (learning management systems)", "Instructure Canvas", True),
    ("communication", "Experience using radiology Picture Archiving & Communication System "
                      "(PACS) is highly preferred.", False),
    ("communication", "Excellent written and verbal communication skills.", True),
    # the skills themselves
    ("tennis", "Get started in this wonderful sport with a working knowledge of tennis.", True),
    ("ice-skating", "Our ice skating coaches give lessons to children and adults.", True),
    ("cable-propelled transit", "Operate the gondola lines of our CPT network.", True),
    ("PHP", "You build web services in PHP and Python.", True),
    ("public law", "Five years of experience in public law and litigation.", True),
    ("osteopathy", "You are a registered osteopath offering osteopathy for musculoskeletal "
                   "pain.", True),
    ("ski", "Ski instructors teach ski lessons to groups of all levels.", True),
    ("sporting events", "Learn how to promote and market sporting events.", True),
])
def test_addresses_statutes_degree_lists_and_blurbs_are_no_evidence(label, text, found):
    assert (label in _labels(text)) is found


def test_business_acumen_is_its_own_skill_and_identifying_opportunities_no_spirit():
    # Pathway review Z: ESCO files "business acumen", "business strategy" and "identify
    # opportunities" under *show entrepreneurial spirit*, which HR business partners' and
    # data engineers' ads then had (snapshot).
    found = _labels("Strong business acumen. You will shape the business strategy and "
                    "identify opportunities for process improvement and automation.")
    assert {"apply business acumen", "business strategy concepts"} <= found
    assert "show entrepreneurial spirit" not in found
    assert "show entrepreneurial spirit" in _labels("Show an entrepreneurial spirit.")


def test_every_reowned_label_names_an_esco_skill(tmp_path, monkeypatch):
    bad = tmp_path / "owners.tsv"
    bad.write_text("business acumen\tapply business acumens\n", encoding="utf-8")
    monkeypatch.setattr(skills, "OWNERS", bad)
    with pytest.raises(ValueError, match="apply business acumens"):
        skills._label_table(Taxonomy.shipped())


def test_work_with_hands_on_is_not_crafting():
    # ashby board footer (snapshot): "hands-on", not manual work.
    assert "crafting" not in _labels(
        "No matter your role and seniority level, you’ll enjoy impact-driven work with "
        "hands-on career development in an innovative, driven, and fast-paced environment.")


_PIECES = ["a", "Z", "k", "K", "\u212a", "ſ", "İ", "Σ", "é", "9", "-", "–", "on", "ON", "In",
           "back", "Over", "onion", " ", ".", ",", "\n", "#", "+", "\u0301", "٣", "²", "_",
           "\x1f"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), min_size=1,
                max_size=30))
def test_the_text_is_normalised_as_the_case_insensitive_rule_says(texts):
    # `_text_norm` lower-cases before it glues "hands-on", and tells a word's end by ASCII
    # (for speed); the rule as first written, glue case-insensitively at a Unicode word
    # boundary then lower-case, must give the same text.
    from transform.linking.tokens import NON_WORD

    rule = (r"(?i)([a-z0-9])-(" + "|".join(skills.HYPHEN_PARTICLES) + r")\b", "${1}#${2}")
    as_written = (pl.lit(" ") + skills._barriers(pl.col("t").fill_null("")
                                                 .str.replace_all(*rule))
                  .str.to_lowercase().str.replace_all(NON_WORD, " ") + pl.lit(" "))
    frame = pl.DataFrame({"t": [*texts, "ſ-on", "\u212a-ON", "İ-in", "x-oné", "x-ON\u0301",
                             "x-in٣", "x-upⅣ", "x-on²", "x-on_", "hands-on-up", None]}).select(
        a=as_written, b=skills._text_norm(pl.col("t")))
    assert frame["a"].to_list() == frame["b"].to_list()


def test_employer_boilerplate_sections_are_no_evidence():
    text = "\n".join([
        "More about Hopper",  # ashby Hopper postings (snapshot): the company description
        "By leveraging massive amounts of data and advanced machine learning algorithms, "
        "Hopper combines its world-class travel agency offering with proprietary fintech.",
        "What you'll do",
        "Manage key accounts and report in SQL and Salesforce.",
        "Benefits",
        "Free access to Python courses and a yearly budget for project management training.",
        "Equal opportunity",
        "We are an equal opportunity employer and value diversity in software engineering.",
    ])
    found = _labels(text)
    assert "SQL" in found  # the job's own section
    assert "machine learning" not in found
    assert "Python (computer programming)" not in found
    assert not any("project management" in f for f in found)
    # An equal-opportunity line counts for nothing even without a heading.
    assert _labels("We are an equal opportunity employer and value experience with machine "
                   "learning.") == set()
    # NHS Wales' Welsh Language Standards line is such a statement (nhs_jobs, snapshot: it
    # made Welsh a skill of 10 posts); a post that needs Welsh says so in its own words.
    assert _labels("The ability to speak Welsh is desirable for this post; Welsh and/or "
                   "English speakers are equally welcome to apply.") == set()
    assert "interact verbally in Welsh" in _labels("The ability to speak Welsh is essential "
                                                   "for this post.")
    # A text that names no section of the job keeps its lines (only such statements go).
    assert "machine learning" in _labels("About the team\nWe build machine learning models.")


def test_a_company_introduced_by_its_name_or_mission_is_no_evidence():
    # ashby Ansible Health postings (snapshot): a registered nurse's ad had *Ansible* from
    # the heading "What is Ansible Health?" and the paragraph under it.
    text = "\n".join([
        "What is Ansible Health?",
        "Ansible Health is a virtual medical group; our engineers use Python and Ansible.",
        "Responsibilities",
        "Provide telehealth nursing care and document visits in SQL-backed records.",
    ])
    found = _labels(text)
    assert "SQL" in found
    assert "Ansible" not in found
    assert "Python (computer programming)" not in found
    assert "Python (computer programming)" not in _labels(
        "Our mission\nWe teach Python to every child.\nWhat you'll do\nSell our courses.")
    # A question about the job is the job's own heading (an ABA provider's RBT ads).
    assert "communication" in _labels(
        "What is a Registered Behavior Technician?\nYou teach communication and daily "
        "living skills.\nRequirements\nA high school diploma.")


def test_boilerplate_repeated_across_one_employers_ads_is_no_evidence(tmp_path):
    from schemas.layout import DataLayout
    from transform.linking import skills

    folder = DataLayout(tmp_path).normalised("2026-11-01")
    folder.mkdir(parents=True)
    # 1Password's hiring notice (ashby, snapshot) closes ads with different titles.
    notice = ("1Password uses artificial intelligence (AI) and machine learning (ML) "
              "technologies, including natural language processing and predictive analytics, "
              "to assist in the recruiting process.")
    jobs = {"p1": ("Account Executive", "Sell to small businesses and negotiate contracts."),
            "p2": ("Senior Developer", "Build browser extensions in TypeScript."),
            "p3": ("Payroll Specialist", "Run the monthly payroll in Workday."),
            "p4": ("Data Scientist", "Train machine learning models on login data.")}
    pl.DataFrame({
        "posting_id": list(jobs), "title": [t for t, _ in jobs.values()],
        "company": ["1Password"] * 4, "url": [f"https://jobs.ashbyhq.com/1password/{k}"
                                               for k in jobs],
        "text": [f"{d}\n{notice}" for _, d in jobs.values()],
    }).write_parquet(folder / "postings.parquet")
    pl.DataFrame({"course_id": ["c1"], "text": [""]}).write_parquet(folder / "courses.parquet")
    skills.run(data_dir=tmp_path, date="2026-11-01", taxonomy=SHIPPED,
               use_ranker=False)
    found = (pl.read_parquet(folder / "posting_skills.parquet").join(LABELS, on="skill_uri")
             .group_by("posting_id").agg("label"))
    labels = {p: set(x) for p, x in found.iter_rows()}
    assert "machine learning" in labels["p4"]  # the job's own line
    assert all("machine learning" not in labels.get(p, set()) for p in ("p1", "p2", "p3"))
    assert "TypeScript" in labels["p2"]


# OPM's definitions of the competencies US federal IT ads rate (usajobs_2017, snapshot: 11
# agencies' ads, 13 titles); the ad around them names the job's own work.
OPM_COMPETENCIES = (
    "Having IT-related experience demonstrating each of the four competencies listed below. "
    "Customer Service - Works with clients and customers (that is, any individuals who use or "
    "receive the services or products that your work unit produces, including the general "
    "public, individuals who work in the agency, other agencies, or organizations outside the "
    "Government) to assess their needs, provide information or assistance, resolve their "
    "problems, or satisfy their expectations; knows about available products and services; is "
    "committed to providing quality products and services.")


def _federal_ads(tmp_path, agencies: int) -> dict[str, set[str]]:
    """The skills of one IT ad per agency (each its own title), each with OPM's definitions
    in the middle of its qualifications line."""
    from schemas.layout import DataLayout
    from transform.linking import skills

    folder = DataLayout(tmp_path).normalised("2026-11-01")
    folder.mkdir(parents=True)
    work = ["Configure Cisco routers.", "Administer Oracle databases.",
            "Write Python scripts for the help desk.", "Maintain Linux servers.",
            "Patch Windows workstations."]
    titles = ["IT Specialist (NETWORK)", "IT Specialist (DATAMGT)", "IT Specialist (CUSTSPT)",
              "IT Specialist (SYSADMIN)", "IT Specialist (OS)"]
    ids = [f"p{i}" for i in range(agencies)]
    pl.DataFrame({
        "posting_id": ids, "title": titles[:agencies],
        "company": [f"Agency {chr(65 + i)}" for i in range(agencies)],
        "url": [f"https://www.usajobs.gov/job/{i}" for i in range(agencies)],
        "text": [f"Duties\n{work[i]}\nQualifications\n{OPM_COMPETENCIES} Experience with "
                 f"project management is required." for i in range(agencies)],
    }).write_parquet(folder / "postings.parquet")
    pl.DataFrame({"course_id": ["c1"], "text": [""]}).write_parquet(folder / "courses.parquet")
    skills.run(data_dir=tmp_path, date="2026-11-01", taxonomy=SHIPPED, use_ranker=False)
    found = (pl.read_parquet(folder / "posting_skills.parquet").join(LABELS, on="skill_uri")
             .group_by("posting_id").agg("label"))
    return {p: set(x) for p, x in found.iter_rows()}


def test_sentences_copied_across_employers_are_no_evidence(tmp_path):
    labels = _federal_ads(tmp_path, 5)
    assert all("customer service" not in found for found in labels.values())
    assert all("provide information" not in found for found in labels.values())
    assert "Cisco" in labels["p0"] and "Python (computer programming)" in labels["p2"]
    # The sentence after the copied ones, in the same line, still counts.
    assert all(any("project management" in f for f in found) for found in labels.values())


def test_a_sentence_four_employers_share_still_counts(tmp_path):
    labels = _federal_ads(tmp_path, 4)
    assert all("customer service" in found for found in labels.values())


def test_strip_boilerplate_cuts_only_the_sentences_named():
    from transform.linking.sections import strip_boilerplate

    text = "Own work here.  Copied sentence one is eight words long here; Rest stays!\nNext"
    drop = pl.LazyFrame({"id": ["a"], "key": ["copied sentence one is eight words long here"]})
    out = strip_boilerplate(pl.LazyFrame({"id": ["a", "b"], "text": [text, text]}), "id",
                            drop=drop).collect()
    assert out["text"].to_list() == ["Own work here.  Rest stays!\nNext", text]


def test_skills_in_shards_are_the_bytes_of_one_pass(small_run, tmp_path, monkeypatch):
    """The skills stage as the DAG's mapped tasks run it (plan, one task per shard of
    postings or courses, reduce), with shards of 700 records in one process or over a pool
    of two, or one shard per table, and with the employers' boilerplate lines and shared
    sentences looked for in buckets of 400 postings, writes the bytes `skills.run` writes in
    one pass."""
    import shutil

    from microcareer import stages
    from schemas.layout import DataLayout, RunContext
    from transform.fields import distinct

    source, _ = small_run
    folder = DataLayout(source).normalised("2026-11-01")
    whole = tmp_path / "whole"
    shutil.copytree(folder, whole / "normalised" / "date=2026-11-01")
    skills.run(data_dir=whole, date="2026-11-01", taxonomy=SHIPPED)
    expected = {t: (whole / "normalised/date=2026-11-01" / t).read_bytes()
                for t in ("posting_skills.parquet", "course_skills.parquet")}
    stage = next(s for s in stages.STAGES if s.name == "extract_skills")
    for size, workers, bucket in (("700", "1", None), ("700", "2", None),
                                  ("100000", "1", None), ("100000", "1", 400)):
        monkeypatch.setenv(skills.SKILL_SHARD_ENV, size)
        monkeypatch.setenv(distinct.WORKERS_ENV, workers)
        monkeypatch.setattr(skills, "REPEAT_BUCKET", bucket or skills.REPEAT_BUCKET)
        data_dir = tmp_path / f"{size}-{workers}-{bucket}"
        shutil.copytree(folder, data_dir / "normalised" / "date=2026-11-01")
        ctx = RunContext(DataLayout(data_dir), "2026-11-01", "run_1")
        if size == "700":
            planned = stage.shards.plan(ctx, str(ctx.normalised))
            assert len(planned) > 2 and planned[0]["name"].startswith("postings 1/")
        if bucket:  # the boilerplate lines looked for in buckets of employers
            stage.shards.plan(ctx, str(ctx.normalised))
            found = list((data_dir / "runs").glob("**/repeated-postings-*.parquet"))
            assert len(found) > 2 and sum(pl.read_parquet(f).height for f in found) > 0
            # and the sentences employers copy from each other, in buckets of sentences
            shared = [f for f in found if "-shared-" in f.name]
            assert len(shared) > 2 and sum(pl.read_parquet(f).height for f in shared) > 0
        assert stages.run_stage(stage, ctx, str(ctx.normalised)) == str(ctx.normalised)
        assert not (data_dir / "runs" / "run_1" / "shards").exists()
        for table, data in expected.items():
            assert (ctx.normalised / table).read_bytes() == data, (size, workers, table)
