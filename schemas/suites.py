"""Great Expectations suites for the published tables.

Every table gets a suite derived from its contract in tables.py (columns in order, non-null
columns, value ranges, allowed values and patterns, key uniqueness, volume against the
previous release, freshness).
Checks that span tables or releases run on small derived frames, each with its own suite:
references into the taxonomy (`<table>.<column>.unknown`: the distinct values not found in
ESCO, O*NET-SOC or NAICS, or course ids not in `courses`), every O*NET-SOC role having a
profile (`role_skills.role.missing`), role weights that must sum to 1, off-topic weight in
each role's strongest skills (`role_skills.offtopic_share`), and drift of each sector's skill
shares against the previous release.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import polars as pl

from schemas.tables import PUBLISHED, Table
from schemas.taxonomy import Taxonomy

REFERENCES = {  # column -> (taxonomy table, its key column)
    "skill_uri": ("esco_skills", "skill_uri"),
    "role": ("onet_roles", "role"), "from_role": ("onet_roles", "role"),
    "to_role": ("onet_roles", "role"),
    "sector": ("naics_sectors", "sector"), "from_sector": ("naics_sectors", "sector"),
    "to_sector": ("naics_sectors", "sector"),
}
VOLUME_MIN_RATIO = 0.6  # a table may not shrink below 60% of the previous release...
VOLUME_MAX_RATIO = 1.67  # ...or grow past 167% of it in one night
DRIFT_MAX = 0.25  # a sector's share of postings naming a skill may move by at most 0.25...
DRIFT_MOSTLY = 0.95  # ...for 95% of the (sector, skill) pairs present in both releases
WEIGHT_SUM_TOLERANCE = 1e-3
# Off-topic profile rows: a skill whose fit to the role's own O*NET texts is below
# OFFTOPIC_FIT (role_skills.fit) and that is not transversal. Per role, the share of its
# PROFILE_TOP strongest skills' weight on such rows may exceed OFFTOPIC_ROLE_MAX for at most
# 1 - OFFTOPIC_MOSTLY of the roles, and its mean over roles may not exceed OFFTOPIC_MEAN_MAX.
OFFTOPIC_FIT = 0.2
PROFILE_TOP = 20
OFFTOPIC_ROLE_MAX = 0.25
OFFTOPIC_MOSTLY = 0.98
OFFTOPIC_MEAN_MAX = 0.04


def freshness_days() -> int:
    """Oldest acceptable newest posting, in days before the logical date. The default suits
    the bundled snapshot (newest posting Aug 2026); a live deployment sets it to a few days."""
    return int(os.environ.get("MICROCAREER_FRESHNESS_DAYS", "400"))


@dataclass
class Check:
    """One batch to validate: a frame, the suite's expectations, and what it is about."""

    name: str
    table: str
    frame: pl.DataFrame
    expectations: list = field(default_factory=list)
    column: str | None = None


def reference_values(taxonomy: Taxonomy, table: str, column: str) -> pl.Series:
    """The known values of a column of a taxonomy table (e.g. onet_roles.role)."""
    return taxonomy.table(table)[column]


def offtopic_share(role_skills: pl.DataFrame, transversal: pl.Series) -> pl.DataFrame:
    """(role, offtopic_share): share of each role's PROFILE_TOP strongest skills' weight on
    skills unrelated to the role's O*NET texts (fit < OFFTOPIC_FIT) that are not
    transversal. A null fit (no O*NET text) counts as related."""
    top = (role_skills.sort(["role", "weight", "skill_uri"], descending=[False, True, False])
           .group_by("role", maintain_order=True).head(PROFILE_TOP))
    off = (pl.col("fit") < OFFTOPIC_FIT).fill_null(False) & ~pl.col("skill_uri").is_in(
        transversal.implode())
    return (top.group_by("role").agg(offtopic_share=(pl.col("weight").filter(off).sum()
                                                     / pl.col("weight").sum()).fill_nan(0.0))
            .sort("role"))


def transversal_skills(taxonomy: Taxonomy) -> pl.Series:
    """The ESCO skills of reuse level transversal (never off-topic for a role)."""
    skills = taxonomy.esco_skills()
    return skills.filter(pl.col("reuse_level") == "transversal")["skill_uri"]


def table_expectations(table: Table, previous_rows: int | None,
                       logical_date: str | None) -> list:
    import great_expectations.expectations as gxe

    exp: list = [
        gxe.ExpectTableColumnsToMatchOrderedList(column_list=[c.name for c in table.columns]),
    ]
    if previous_rows:
        exp.append(gxe.ExpectTableRowCountToBeBetween(
            min_value=math.ceil(previous_rows * VOLUME_MIN_RATIO),
            max_value=math.floor(previous_rows * VOLUME_MAX_RATIO)))
    else:
        exp.append(gxe.ExpectTableRowCountToBeBetween(min_value=0 if table.may_be_empty else 1))
    for c in table.columns:
        if not c.nullable:
            exp.append(gxe.ExpectColumnValuesToNotBeNull(column=c.name))
        if c.min_value is not None or c.max_value is not None:
            exp.append(gxe.ExpectColumnValuesToBeBetween(
                column=c.name, min_value=c.min_value, max_value=c.max_value))
        if c.values is not None:
            exp.append(gxe.ExpectColumnValuesToBeInSet(column=c.name, value_set=list(c.values)))
        if c.pattern is not None:
            exp.append(gxe.ExpectColumnValuesToMatchRegex(column=c.name, regex=c.pattern))
    if len(table.key) == 1:
        exp.append(gxe.ExpectColumnValuesToBeUnique(column=table.key[0]))
    elif table.key:
        exp.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(table.key)))
    if table.name == "postings" and logical_date:
        day = datetime.fromisoformat(logical_date).replace(tzinfo=UTC)
        exp.append(gxe.ExpectColumnMaxToBeBetween(
            column="posted_at", min_value=day - timedelta(days=freshness_days()),
            max_value=day + timedelta(days=1)))
    return exp


def _rows(frame: pl.DataFrame | pl.LazyFrame) -> int:
    if isinstance(frame, pl.LazyFrame):
        return frame.select(pl.len()).collect().item()
    return frame.height


def checks(release: dict[str, pl.DataFrame],
           previous: Mapping[str, pl.DataFrame | pl.LazyFrame] | None,
           logical_date: str | None, *, taxonomy: Taxonomy) -> list[Check]:
    """Every batch and suite for a release (`release`: table name -> frame), with references
    into `taxonomy`; `previous`: the release before, table name -> frame or lazy frame (of
    which only the row counts and industry_skills are read)."""
    import great_expectations.expectations as gxe

    out: list[Check] = []
    for table in PUBLISHED:
        frame = release[table.name]
        prev_rows = _rows(previous[table.name]) if previous and table.name in previous else None
        out.append(Check(table.name, table.name, frame,
                         table_expectations(table, prev_rows, logical_date)))
        for column in table.schema.names():
            if column not in REFERENCES or column not in frame.columns:
                continue
            ref = reference_values(taxonomy, *REFERENCES[column])
            unknown = (frame.select(pl.col(column).drop_nulls().unique().alias("value"))
                       .filter(~pl.col("value").is_in(ref.implode())).sort("value"))
            out.append(Check(f"{table.name}.{column}.unknown", table.name, unknown,
                             [gxe.ExpectTableRowCountToEqual(value=0)], column=column))
    missing = (reference_values(taxonomy, "onet_roles", "role").to_frame("value")
               .filter(~pl.col("value").is_in(release["role_skills"]["role"].implode())))
    out.append(Check("role_skills.role.missing", "role_skills", missing,
                     [gxe.ExpectTableRowCountToEqual(value=0)], column="role"))
    if "pathway_courses" in release:
        orphans = (release["pathway_courses"].select(value=pl.col("course_id").unique())
                   .filter(~pl.col("value").is_in(release["courses"]["course_id"].implode()))
                   .sort("value"))
        out.append(Check("pathway_courses.course_id.unknown", "pathway_courses", orphans,
                         [gxe.ExpectTableRowCountToEqual(value=0)], column="course_id"))
    sums = release["role_skills"].group_by("role").agg(weight_sum=pl.col("weight").sum())
    out.append(Check("role_skills.weight.sum_per_role", "role_skills", sums.sort("role"), [
        gxe.ExpectColumnValuesToBeBetween(column="weight_sum",
                                          min_value=1 - WEIGHT_SUM_TOLERANCE,
                                          max_value=1 + WEIGHT_SUM_TOLERANCE)],
                     column="weight"))
    if "fit" in release["role_skills"].columns:
        off = offtopic_share(release["role_skills"], transversal_skills(taxonomy))
        out.append(Check("role_skills.offtopic_share", "role_skills", off, [
            gxe.ExpectColumnValuesToBeBetween(column="offtopic_share", min_value=0,
                                              max_value=OFFTOPIC_ROLE_MAX,
                                              mostly=OFFTOPIC_MOSTLY),
            gxe.ExpectColumnMeanToBeBetween(column="offtopic_share", min_value=0,
                                            max_value=OFFTOPIC_MEAN_MAX)], column="fit"))
    if previous and "industry_skills" in previous:
        drift = (release["industry_skills"].join(previous["industry_skills"].lazy().collect(),
                                                 on=["sector", "skill_uri"], suffix="_prev")
                 .select("sector", "skill_uri",
                         share_change=pl.col("share") - pl.col("share_prev")))
        if drift.height:
            out.append(Check("industry_skills.share.drift", "industry_skills", drift, [
                gxe.ExpectColumnValuesToBeBetween(column="share_change", min_value=-DRIFT_MAX,
                                                  max_value=DRIFT_MAX, mostly=DRIFT_MOSTLY)],
                             column="share"))
    return out
