"""Job titles map to O*NET-SOC 2019 roles. Expected codes are O*NET's own for these titles."""

from __future__ import annotations

import polars as pl
import pytest

from transform.roles import assign_roles, clean_title, default_matcher


@pytest.mark.parametrize(("title", "code"), [
    ("Registered Nurse", "29-1141.00"),
    ("Staff Nurse - Cardiology", "29-1141.00"),
    ("Band 5 Staff Nurse (Nights)", "29-1141.00"),
    ("Pharmacist, GS-0660-11/12", "29-1051.00"),
    ("Senior Accountant", "13-2011.00"),
    ("Police Officer", "33-3051.00"),
    ("Senior Software Engineer, Backend", "15-1252.00"),
    ("Heavy Equipment Mechanic", "49-3042.00"),
])
def test_common_titles_get_their_onet_role(title, code):
    match = default_matcher().match(title)
    assert match.role == code, match
    assert 0 < match.confidence <= 1


def test_title_cleaning_removes_noise_but_keeps_the_job():
    assert clean_title("Softwareentwickler (m/w/d)") == "softwareentwickler"
    assert clean_title("Sr. Data Engineer - Remote | EMEA") == "data engineer"


def test_unmatchable_and_empty_titles_get_no_role():
    matcher = default_matcher()
    for title in ("", "   ", None, "Xq7 zzv"):
        assert matcher.match(title).role is None
        assert matcher.match(title).method == "none"


def test_assign_roles_keeps_row_order_and_nulls():
    frame = assign_roles(pl.Series(["Pharmacist", None, "Registered Nurse", "Pharmacist"]))
    assert frame["role"].to_list() == ["29-1051.00", None, "29-1141.00", "29-1051.00"]
    assert frame["role_method"][1] == "none"
