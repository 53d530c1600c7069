"""The Great Expectations suites of the published tables (schemas/suites.py), run for real on
small frames: a good row passes, a bad one fails the expectation a user relies on."""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime

import polars as pl
import pytest

from schemas import suites
from schemas.tables import (
    COURSE_SKILLS,
    COURSES,
    INDUSTRY_SKILLS,
    PATHWAY_COURSES,
    POSTING_SKILLS,
    POSTINGS,
    PUBLISHED,
    ROLE_SKILLS,
)
from schemas.taxonomy import Taxonomy

SHIPPED = Taxonomy.shipped()

ESCO = "http://data.europa.eu/esco/skill/"
SQL = ESCO + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"  # SQL, sector-specific
DATABASE = ESCO + "43ae58b9-5e56-4524-b45a-b422777a0576"  # database, cross-sector
TEAMWORK = ESCO + "60c78287-22eb-4103-9c8c-28deaa460da0"  # work in teams, transversal
NOT_A_SKILL = ESCO + "not-a-skill"
NURSE, DEVELOPER = "29-1141.00", "15-1252.00"  # Registered Nurses, Software Developers

NOT_NULL = "expect_column_values_to_not_be_null"
BETWEEN = "expect_column_values_to_be_between"
IN_SET = "expect_column_values_to_be_in_set"
REGEX = "expect_column_values_to_match_regex"
ROW_COUNT = "expect_table_row_count_to_be_between"


@pytest.fixture(scope="module")
def failures():
    """Run expectations on a Polars frame as schemas/validate.py does (an ephemeral pandas
    batch); return the failed (expectation type, column) pairs."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_pandas("unit")
    names = (f"check{i}" for i in itertools.count())

    def run(frame: pl.DataFrame, expectations: list) -> set:
        name = next(names)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        suite = ctx.suites.add(gx.ExpectationSuite(
            name=name, expectations=[copy.copy(e) for e in expectations]))
        definition = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite))
        outcome = definition.run(batch_parameters={"dataframe": frame.to_pandas()})
        return {(r.expectation_config.type, r.expectation_config.kwargs.get("column"))
                for r in outcome.results if not r.success}

    return run


def posting_skills(*rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=POSTING_SKILLS.schema, orient="row")


GOOD_POSTING_SKILLS = [("p1", SQL, 1.0, "lexical", "sql"),
                       ("p1", DATABASE, 0.52, "ranker", "strong sql queries"),
                       ("p2", SQL, 0.8, "lexical", "structured query language")]


def test_a_good_table_passes_its_suite(failures):
    """Well-formed posting skills raise no failure."""
    frame = posting_skills(*GOOD_POSTING_SKILLS)
    assert failures(frame, suites.table_expectations(POSTING_SKILLS, None, None)) == set()


@pytest.mark.parametrize(("bad_row", "failed"), [
    ((None, SQL, 1.0, "lexical", "sql"), (NOT_NULL, "posting_id")),
    (("p3", None, 1.0, "lexical", "sql"), (NOT_NULL, "skill_uri")),
    (("p3", SQL, 1.5, "lexical", "sql"), (BETWEEN, "score")),
    (("p3", SQL, -0.1, "lexical", "sql"), (BETWEEN, "score")),
    (("p1", SQL, 0.9, "lexical", "sql"), ("expect_compound_columns_to_be_unique", None)),
], ids=["null posting", "null skill", "score > 1", "score < 0", "duplicate key"])
def test_a_bad_row_fails_the_expectation_users_rely_on(failures, bad_row, failed):
    """One bad row among good ones fails exactly the expectation that guards it."""
    frame = posting_skills(*GOOD_POSTING_SKILLS, bad_row)
    assert failures(frame, suites.table_expectations(POSTING_SKILLS, None, None)) == {failed}


def test_columns_out_of_contract_order_fail(failures):
    """A table whose columns are reordered breaks the contract."""
    frame = posting_skills(*GOOD_POSTING_SKILLS).select("skill_uri", "posting_id", "score",
                                                        "method", "evidence")
    assert failures(frame, suites.table_expectations(POSTING_SKILLS, None, None)) == {
        ("expect_table_columns_to_match_ordered_list", None)}


def test_course_columns_keep_their_allowed_values_and_patterns(failures):
    """Level, currency, language code and price hold normalised values only."""
    base = {c.name: None for c in COURSES.columns} | {
        "source": "edx", "record_id": "1", "title": "Databases", "description_chars": 10}
    rows = [base | {"course_id": "good", "level_normalised": "advanced",
                    "price_currency": "USD", "language_code": "en", "price": 49.0},
            base | {"course_id": "b1", "level_normalised": "Beginner"},
            base | {"course_id": "b2", "price_currency": "$"},
            base | {"course_id": "b3", "language_code": "English"},
            base | {"course_id": "b4", "price": -49.0}]
    frame = pl.DataFrame(rows, schema=COURSES.schema)
    assert failures(frame, suites.table_expectations(COURSES, None, None)) == {
        (IN_SET, "level_normalised"), (REGEX, "price_currency"), (REGEX, "language_code"),
        (BETWEEN, "price")}


def test_course_skill_methods_are_stated_lexical_or_ranker(failures):
    """A course skill found by an unknown method fails; the three known ones pass."""
    good = [("c1", SQL, 1.0, "stated", "sql"), ("c1", DATABASE, 0.8, "lexical", "database"),
            ("c2", SQL, 0.6, "ranker", "queries")]
    frame = pl.DataFrame([*good, ("c2", DATABASE, 0.9, "llm", "db")],
                         schema=COURSE_SKILLS.schema, orient="row")
    exps = suites.table_expectations
    assert failures(frame.head(3), exps(COURSE_SKILLS, None, None)) == set()
    assert failures(frame, exps(COURSE_SKILLS, None, None)) == {(IN_SET, "method")}


def test_only_tables_that_may_be_empty_pass_empty(failures):
    """An empty posting_skills fails (no rows published); empty course_skills is allowed."""
    assert failures(posting_skills(), suites.table_expectations(POSTING_SKILLS, None, None)
                    ) == {(ROW_COUNT, None)}
    empty = pl.DataFrame(schema=COURSE_SKILLS.schema)
    assert failures(empty, suites.table_expectations(COURSE_SKILLS, None, None)) == set()


def industry_skills(n: int) -> pl.DataFrame:
    return pl.DataFrame({"sector": ["62"] * n, "skill_uri": [f"{ESCO}{i}" for i in range(n)],
                         "postings": [1] * n, "share": [0.1] * n, "rca": [1.0] * n},
                        schema=INDUSTRY_SKILLS.schema)


@pytest.mark.parametrize(("rows", "ok"), [(6, False), (7, True), (18, True), (19, False)])
def test_volume_may_move_between_60_and_167_percent_of_the_previous_release(failures, rows,
                                                                            ok):
    """Against 11 previous rows: 6 (55%) and 19 (173%) fail, 7 (64%) and 18 (164%) pass."""
    failed = failures(industry_skills(rows),
                      suites.table_expectations(INDUSTRY_SKILLS, 11, None))
    assert failed == (set() if ok else {(ROW_COUNT, None)})


def freshness(logical_date):
    return [e for e in suites.table_expectations(POSTINGS, None, logical_date)
            if e.expectation_type == "expect_column_max_to_be_between"]


def newest(*days: str) -> pl.DataFrame:
    times = [datetime.fromisoformat(d).replace(tzinfo=UTC) for d in days]
    return pl.DataFrame({"posted_at": times}, schema={"posted_at": POSTINGS.schema["posted_at"]})


FRESHNESS_FAILS = {("expect_column_max_to_be_between", "posted_at")}


def test_postings_must_be_fresh_and_not_from_the_future(failures, monkeypatch):
    """The newest posting is at most MICROCAREER_FRESHNESS_DAYS old and not after the day."""
    monkeypatch.setenv("MICROCAREER_FRESHNESS_DAYS", "7")
    checks = freshness("2026-11-01")
    assert failures(newest("2026-09-01", "2026-10-28"), checks) == set()
    assert failures(newest("2026-10-01", "2026-11-01T23:00"), checks) == set()
    assert failures(newest("2026-09-01", "2026-10-20"), checks) == FRESHNESS_FAILS
    assert failures(newest("2026-11-03"), checks) == FRESHNESS_FAILS


def test_freshness_default_accepts_400_days_for_the_bundled_snapshot(failures, monkeypatch):
    """Without the variable the newest posting may be 400 days old (2025-09-27 for 2026-11-01)."""
    monkeypatch.delenv("MICROCAREER_FRESHNESS_DAYS", raising=False)
    checks = freshness("2026-11-01")
    assert failures(newest("2025-09-28"), checks) == set()
    assert failures(newest("2025-09-26"), checks) == FRESHNESS_FAILS
    assert freshness(None) == []


def release(**tables: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every published table, empty unless given."""
    return {t.name: tables.get(t.name, pl.DataFrame(schema=t.schema)) for t in PUBLISHED}


def role_skills(*rows) -> pl.DataFrame:
    """role_skills from (role, skill_uri, weight, fit) rows."""
    frame = pl.DataFrame(list(rows), orient="row", schema={
        "role": pl.String, "skill_uri": pl.String, "weight": pl.Float64, "fit": pl.Float32})
    return frame.with_columns(postings=pl.lit(0, pl.UInt32), share=0.0,
                              provenance=pl.lit("taxonomy"),
                              esco_occupations=pl.lit(0, pl.UInt32),
                              role_esco_occupations=pl.lit(0, pl.UInt32)).select(
        *ROLE_SKILLS.schema.names())


def release_checks(release, previous, logical_date) -> list:
    return suites.checks(release, previous, logical_date, taxonomy=SHIPPED)


def by_name(checks) -> dict:
    return {c.name: c for c in checks}


def test_values_outside_the_taxonomy_are_listed_and_fail(failures):
    """Unknown skills, roles and sectors are named ("31": manufacturing is NAICS 31-33)."""
    out = by_name(release_checks(release(
        posting_skills=posting_skills(("p1", SQL, 1.0, "lexical", "sql"),
                                      ("p2", NOT_A_SKILL, 1.0, "lexical", "x")),
        role_skills=role_skills((NURSE, SQL, 1.0, None), ("99-9999.00", SQL, 1.0, None)),
        industry_skills=industry_skills(2).with_columns(sector=pl.Series(["31", "31-33"])),
    ), None, None))
    assert out["posting_skills.skill_uri.unknown"].frame["value"].to_list() == [NOT_A_SKILL]
    assert out["role_skills.role.unknown"].frame["value"].to_list() == ["99-9999.00"]
    assert out["industry_skills.sector.unknown"].frame["value"].to_list() == ["31"]
    check = out["posting_skills.skill_uri.unknown"]
    assert failures(check.frame, check.expectations) == {("expect_table_row_count_to_equal",
                                                          None)}
    check = out["role_transfer.from_role.unknown"]
    assert check.frame.height == 0 and failures(check.frame, check.expectations) == set()


def test_every_onet_role_must_have_a_profile():
    """Roles of O*NET-SOC without a skill profile are listed as missing."""
    out = by_name(release_checks(release(role_skills=role_skills((NURSE, SQL, 1.0, None))),
                                None, None))
    missing = set(out["role_skills.role.missing"].frame["value"])
    assert DEVELOPER in missing and NURSE not in missing


def test_pathway_courses_must_point_at_published_courses():
    """A pathway course id that is not in `courses` is an orphan."""
    courses = pl.DataFrame({"course_id": ["c1"]}).with_columns(
        *[pl.lit(None, c.dtype).alias(c.name) for c in COURSES.columns[1:]])
    paths = pl.DataFrame({"course_id": ["c1", "gone"]}).with_columns(
        *[pl.lit(None, dt).alias(n) for n, dt in PATHWAY_COURSES.schema.items()
          if n != "course_id"])
    out = by_name(release_checks(release(courses=courses, pathway_courses=paths), None, None))
    assert out["pathway_courses.course_id.unknown"].frame["value"].to_list() == ["gone"]


def test_role_weights_must_sum_to_one(failures):
    """A role profile whose weights sum to 0.9 fails; one summing to 1 passes."""
    out = by_name(release_checks(release(role_skills=role_skills(
        (NURSE, SQL, 0.6, None), (NURSE, DATABASE, 0.4, None),
        (DEVELOPER, SQL, 0.6, None), (DEVELOPER, DATABASE, 0.3, None))), None, None))
    check = out["role_skills.weight.sum_per_role"]
    assert check.frame["weight_sum"].to_list() == pytest.approx([0.9, 1.0])
    assert failures(check.frame, check.expectations) == {(BETWEEN, "weight_sum")}
    assert failures(check.frame.filter(pl.col("role") == NURSE), check.expectations) == set()


def test_offtopic_share_counts_unrelated_non_transversal_weight():
    """Off-topic = fit < 0.2 and not transversal; a null fit counts as related."""
    frame = role_skills((DEVELOPER, SQL, 0.5, 0.6),  # related
                        (DEVELOPER, DATABASE, 0.3, 0.1),  # unrelated: off-topic
                        (DEVELOPER, TEAMWORK, 0.2, 0.05),  # unrelated but transversal
                        (NURSE, SQL, 1.0, None))  # no O*NET text: related
    share = suites.offtopic_share(frame, suites.transversal_skills(SHIPPED))
    assert share.rows() == [(DEVELOPER, pytest.approx(0.3)), (NURSE, 0.0)]


def test_offtopic_share_looks_at_the_20_strongest_skills_only():
    """An off-topic skill weaker than a role's 20 strongest does not count."""
    strong = [(NURSE, f"{ESCO}s{i}", 0.049, 0.9) for i in range(20)]
    weak = role_skills(*strong, (NURSE, DATABASE, 0.02, 0.1))
    assert suites.offtopic_share(weak, suites.transversal_skills(SHIPPED))["offtopic_share"][0] == 0
    heavy = role_skills(*strong, (NURSE, DATABASE, 0.5, 0.1))
    assert suites.offtopic_share(heavy, suites.transversal_skills(SHIPPED))["offtopic_share"][0] > 0


def test_offtopic_profiles_fail_the_release(failures):
    """Profiles whose strongest skills are all unrelated to the role fail the gate."""
    out = by_name(release_checks(release(role_skills=role_skills(
        (NURSE, SQL, 1.0, 0.05), (DEVELOPER, SQL, 1.0, 0.9))), None, None))
    check = out["role_skills.offtopic_share"]
    assert failures(check.frame, check.expectations) == {
        (BETWEEN, "offtopic_share"), ("expect_column_mean_to_be_between", "offtopic_share")}


def drifted(changed: int) -> tuple[dict, dict]:
    """(release, previous) with 20 (sector, skill) pairs, `changed` of them up by 0.3."""
    before = industry_skills(20)
    after = before.with_columns(share=pl.when(pl.int_range(20) < changed).then(0.4)
                                .otherwise(pl.col("share")))
    return release(industry_skills=after), release(industry_skills=before)


@pytest.mark.parametrize(("changed", "ok"), [(1, True), (2, False)])
def test_skill_share_drift_is_tolerated_on_5_percent_of_pairs(failures, changed, ok):
    """A share moving by more than 0.25 is allowed on 1 pair in 20, not on 2."""
    now, before = drifted(changed)
    check = by_name(release_checks(now, before, None))["industry_skills.share.drift"]
    assert failures(check.frame, check.expectations) == (set() if ok else
                                                         {(BETWEEN, "share_change")})


def test_a_first_release_has_no_drift_or_volume_bound(failures):
    """Without a previous release there is nothing to compare with: any non-empty size passes."""
    out = by_name(release_checks(release(industry_skills=industry_skills(1000)), None, None))
    assert "industry_skills.share.drift" not in out
    assert failures(out["industry_skills"].frame, out["industry_skills"].expectations) == set()


def test_the_previous_release_is_read_from_its_files_lazily(failures, tmp_path):
    """validate reads the previous release unread (its row counts from the Parquet footers,
    industry_skills for the drift): the same bounds and drift as from frames in memory, so a
    night of a million postings does not hold two releases' postings at once."""
    from schemas import validate
    from schemas.layout import table_file

    now, before = drifted(2)
    before["industry_skills"] = before["industry_skills"].vstack(industry_skills(20))
    for name, frame in before.items():
        frame.write_parquet(table_file(tmp_path, name))
    lazy = validate.scan_tables(tmp_path)
    assert all(isinstance(f, pl.LazyFrame) for f in lazy.values())
    eager, scanned = (by_name(release_checks(now, prev, None)) for prev in (before, lazy))
    assert eager.keys() == scanned.keys()
    for name in ("industry_skills", "industry_skills.share.drift"):
        assert scanned[name].frame.equals(eager[name].frame)
        assert scanned[name].expectations == eager[name].expectations
    assert failures(scanned["industry_skills"].frame, scanned["industry_skills"].expectations) \
        == {("expect_table_row_count_to_be_between", None)}  # 20 rows after 40: below 60%
