"""A release that breaks expectations is never published: the previous release stays current,
the rejected one is kept, and the summary names what broke."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest

from microcareer.pipeline import validate_and_publish
from schemas import validate
from schemas.taxonomy import Taxonomy

SHIPPED = Taxonomy.shipped()


def _null_key(frame):
    return frame.with_columns(
        posting_id=pl.when(pl.int_range(pl.len()) < 2).then(None).otherwise("posting_id"))


def _score_out_of_range(frame):
    return frame.with_columns(score=pl.when(pl.int_range(pl.len()) == 0).then(1.5)
                              .otherwise("score"))


def _unknown_skill(frame):
    return frame.with_columns(skill_uri=pl.when(pl.int_range(pl.len()) == 0)
                              .then(pl.lit("http://data.europa.eu/esco/skill/not-a-skill"))
                              .otherwise("skill_uri"))


def _half_the_rows(frame):
    return frame.head(frame.height // 2)


def _level_outside_the_set(frame):
    # "Beginner" is a published level, not one of the normalised ones
    return frame.with_columns(level_normalised=pl.when(pl.int_range(pl.len()) == 0)
                              .then(pl.lit("Beginner")).otherwise("level_normalised"))


def _language_name_as_code(frame):
    return frame.with_columns(language_code=pl.when(pl.int_range(pl.len()) == 0)
                              .then(pl.lit("English")).otherwise("language_code"))


def _negative_price(frame):
    return frame.with_columns(price=pl.when(pl.int_range(pl.len()) == 0).then(-49.0)
                              .otherwise("price"))


def _unknown_method(frame):
    return frame.with_columns(method=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("llm"))
                              .otherwise("method"))


def _offtopic_profiles(frame):
    # every role's skills unrelated to its O*NET texts (as a profile built from postings filed
    # under the wrong role would be)
    return frame.with_columns(fit=pl.lit(0.05, dtype=pl.Float32))


CORRUPTIONS = [
    ("postings", _null_key, "postings.posting_id: expect_column_values_to_not_be_null"),
    ("role_transfer", _score_out_of_range,
     "role_transfer.score: expect_column_values_to_be_between"),
    ("posting_skills", _unknown_skill,
     "posting_skills.skill_uri: expect_table_row_count_to_equal [posting_skills.skill_uri."
     "unknown] (1 values not in the taxonomy"),
    ("role_transfer", _half_the_rows,
     "role_transfer.*: expect_table_row_count_to_be_between"),
    ("courses", _level_outside_the_set,
     "courses.level_normalised: expect_column_values_to_be_in_set"),
    ("courses", _language_name_as_code,
     "courses.language_code: expect_column_values_to_match_regex"),
    ("courses", _negative_price, "courses.price: expect_column_values_to_be_between"),
    ("course_skills", _unknown_method,
     "course_skills.method: expect_column_values_to_be_in_set"),
    ("role_skills", _offtopic_profiles, "[role_skills.offtopic_share]"),
]


def _corrupted_copy(small_run, tmp_path, run_id: str, table: str, corrupt):
    """(data_dir, release): the small run's dataset as current, and a release `run_id` with
    its tables and `table` corrupted."""
    source, _ = small_run
    data_dir = tmp_path / "data"
    shutil.copytree(source / "dataset", data_dir / "dataset",
                    ignore=shutil.ignore_patterns("releases"))
    release = data_dir / "dataset" / "releases" / run_id
    release.mkdir(parents=True)
    for f in (data_dir / "dataset").glob("*.parquet"):
        shutil.copyfile(f, release / f.name)
    corrupt(pl.read_parquet(release / f"{table}.parquet")).write_parquet(
        release / f"{table}.parquet")
    return data_dir, release


@pytest.mark.parametrize(("table", "corrupt", "named"), CORRUPTIONS,
                         ids=["null key", "score > 1", "unknown skill", "half the rows",
                              "level not normalised", "language name as code",
                              "negative price", "unknown skill method", "off-topic profiles"])
def test_corrupted_release_is_blocked_and_previous_stays_current(small_run, tmp_path, table,
                                                                 corrupt, named):
    data_dir, release = _corrupted_copy(small_run, tmp_path, "bad_run", table, corrupt)
    current = data_dir / "dataset"
    before = {p.name: p.read_bytes() for p in current.iterdir() if p.is_file()}

    with pytest.raises(validate.ValidationFailed) as err:
        validate_and_publish(data_dir=data_dir, run_id="bad_run", date="2026-11-01",
                             release=release)

    assert named in str(err.value)
    assert {p.name: p.read_bytes() for p in current.iterdir() if p.is_file()} == before
    assert json.loads((current / "manifest.json").read_text())["run_id"] == "test_run_1"
    assert (release / f"{table}.parquet").exists()  # kept for inspection
    report = json.loads((data_dir / "quality" / "bad_run.json").read_text())
    assert report["success"] is False and report["tables"][table]["success"] is False
    assert (data_dir / "quality/gx/uncommitted/data_docs/local_site/index.html").exists()


def test_good_release_passes_against_the_previous_one_with_data_docs(small_run, tmp_path):
    source, _ = small_run
    data_dir = tmp_path / "data"
    shutil.copytree(source / "dataset", data_dir / "dataset",
                    ignore=shutil.ignore_patterns("releases"))
    result = validate.run(data_dir=data_dir, run_id="again", release_dir=data_dir / "dataset",
                          date="2026-11-01", taxonomy=SHIPPED)
    assert result["success"] and result["expectations"] > 90
    assert result["data_docs"].endswith("index.html")


def test_stored_results_keep_only_the_newest_runs(tmp_path):
    import os

    tree = tmp_path / "validations" / "postings"
    for i in range(5):
        run = tree / f"local__2026-11-0{i + 1}__x" / "20261101T000000Z"
        run.mkdir(parents=True)
        (run / "result.json").write_text("{}")
        os.utime(tree / f"local__2026-11-0{i + 1}__x", (1_000_000 + i, 1_000_000 + i))
    (tree / "test_run_1").mkdir()
    validate.prune_history(tmp_path, keep=2)
    assert sorted(p.name for p in tree.iterdir()) == [
        "local__2026-11-04__x", "local__2026-11-05__x", "test_run_1"]


def test_the_first_release_of_a_new_major_version_is_not_held_to_the_old_row_counts(
        small_run, tmp_path):
    # A current dataset of major version 2 (as published before 3.0.0 widened the course
    # catalogue): halving role_transfer is no volume break against it, as it is within 3.x.
    data_dir, release = _corrupted_copy(small_run, tmp_path, "new_major", "role_transfer",
                                        _half_the_rows)
    current = data_dir / "dataset"
    manifest = json.loads((current / "manifest.json").read_text())
    assert validate.same_major(validate.DataLayout(data_dir))
    (current / "manifest.json").write_text(json.dumps({**manifest, "dataset_version": "2.0.0"}))
    assert not validate.same_major(validate.DataLayout(data_dir))
    result = validate.run(data_dir=data_dir, run_id="new_major", release_dir=release,
                          date="2026-11-01", taxonomy=SHIPPED)
    assert result["success"]
