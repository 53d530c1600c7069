"""Location, salary, employment type and language columns, on values real payloads carry."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from extract.connectors import get_connector
from tests.paths import FIXTURES, SNAPSHOT
from transform.fields.employment import employment_expr
from transform.fields.language import detect
from transform.fields.locations import parse_location
from transform.fields.salary import salary_columns
from transform.fields.text import html_to_text


@pytest.mark.parametrize(("location", "country", "expected"), [
    ("Remote (United States | Canada)", None, (None, None)),  # ashby: two countries
    ("Saint Louis, MO, USA", None, ("US", "US-MO")),  # remoteok
    ("Seattle, Washington|Los Angeles, California|San Francisco, California", "US",
     ("US", None)),  # usajobs 2017: several states
    ("Washington DC, District of Columbia", "US", ("US", "US-DC")),
    ("Bombay, MH", "IN", ("IN", None)),  # lever: country field wins
    ("New York, NY (HQ)", "USA", ("US", "US-NY")),  # ashby, alpha-3 country
    ("Remote - Ontario, Canada", None, ("CA", "CA-ON")),
    ("Eastbourne", "GB", ("GB", None)),  # NHS Jobs
    ("Paris, France", None, ("FR", None)),  # greenhouse
    ("Worldwide", None, (None, None)),  # remotive
    ("Berlin", None, (None, None)),  # arbeitnow: no country named, none guessed
])
def test_location_to_country_and_region(location, country, expected):
    assert parse_location(location, country) == expected


def test_salary_is_annualised_from_real_rows():
    usajobs = get_connector("usajobs").parse(gzip.decompress(
        (FIXTURES / "usajobs_search.json.gz").read_bytes()))
    ashby = get_connector("ashby").parse(gzip.decompress(
        (SNAPSHOT / "payloads" / "ashby" / "ramp.json.gz").read_bytes()))
    rows = pl.DataFrame(usajobs + ashby, infer_schema_length=None)
    out = rows.with_columns(*salary_columns()).select(
        "salary_min", "salary_period", "salary_currency", "salary_annual_min",
        "salary_annual_max")
    hourly = out.filter(pl.col("salary_min") == 19.44).row(0, named=True)  # "Per Hour"
    assert hourly["salary_period"] == "hour"
    assert hourly["salary_annual_min"] == pytest.approx(19.44 * 2080)
    unpaid = out.filter(pl.col("salary_period").is_null() & (pl.col("salary_currency") == "USD"))
    assert unpaid["salary_annual_min"].is_null().all()  # "Without Compensation"
    ramp = out.filter(pl.col("salary_min") == 159100).row(0, named=True)  # Ashby "1 YEAR"
    assert (ramp["salary_period"], ramp["salary_currency"], ramp["salary_annual_max"]) == (
        "year", "USD", 218800)


def test_implausible_annual_salaries_are_dropped():
    nhs = json.loads((FIXTURES / "nhs_jobposting_915390428.json").read_text("utf-8-sig"))
    row = get_connector("jobposting_archive").row(nhs)
    frame = pl.DataFrame([row, {**row, "salary_min": 140.0, "salary_max": 18_369_000.0}],
                         infer_schema_length=None)
    out = frame.with_columns(*salary_columns())
    assert out["salary_currency"].to_list() == ["GBP", "GBP"]
    assert out["salary_annual_min"][0] == row["salary_min"]
    assert out["salary_annual_min"][1] is None and out["salary_annual_max"][1] is None


def test_employment_types_map_to_a_small_vocabulary():
    published = ["FullTime", "FULL_TIME", "Full-time", "Regular Full Time (Salary)",
                 "PartTime", "part_time", "Intern", "Internship", "Contractor", "freelance",
                 "TEMPORARY", "Intermittent", "Permanent", "Volunteer", "Multiple Schedules",
                 None]
    got = pl.DataFrame({"employment_type": published}).select(employment_expr())
    assert got.to_series().to_list() == [
        "full_time", "full_time", "full_time", "full_time", "part_time", "part_time",
        "internship", "internship", "contract", "contract", "temporary", "temporary",
        "permanent", "volunteer", "other", None]


def _text(doc: dict) -> str:
    return f"{doc['title']}\n{html_to_text(doc['description'])}"


def test_language_of_real_postings():
    welsh = json.loads((FIXTURES / "nhs_jobposting_916253275_welsh.json").read_text("utf-8-sig"))
    english = json.loads((FIXTURES / "nhs_jobposting_915390428.json").read_text("utf-8-sig"))
    board = json.loads((FIXTURES / "arbeitnow.json").read_text("utf-8-sig"))["data"]
    assert detect(_text(welsh)) == "cy"
    assert detect(_text(english)) == "en"
    # Arbeitnow: two German ads, one English.
    assert [detect(_text(r)) for r in board] == ["de", "de", "en"]
    assert detect("Nurse") is None  # too short to say


def test_snapshot_postings_have_the_new_columns(small_run):
    data_dir, _ = small_run
    postings = pl.read_parquet(Path(data_dir) / "dataset" / "postings.parquet")
    nhs = postings.filter(pl.col("source") == "nhs_jobs")
    assert (nhs["country_code"] == "GB").all()
    assert (nhs["salary_currency"] == "GBP").all()
    assert nhs["salary_annual_min"].is_not_null().mean() > 0.8
    assert postings["language"].is_not_null().mean() > 0.95
    assert (postings["duplicates"] >= 1).all()
    assert (postings["first_seen"] <= postings["last_seen"]).all()
