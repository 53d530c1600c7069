"""Course relevance on the hand-labelled (gap skill, course) pairs, and course coverage of the
published gaps per sector.

    python benchmarks/course_relevance/run.py [--data-dir data]

Reads the normalised courses of the newest night in DATA_DIR (after `make run`) and its
current release. For each labelled skill, the three best courses by
transform.linking.course_relevance in English or an unpublished language, a university
subject's materials after courses made for learners (as role_transfer_detail chooses them:
course_relevance.listed_after), at several thresholds, without and with the rank check
(top_skills: the skill among the course's TOP_SKILLS most relevant): how many are listed, the share
judged relevant / weak / irrelevant (unjudged pairs counted apart), and the share of skills
with a course (coverage). Then, per main sector of the destination, the share of the gap
skills shown by `microcareer pathways` (first five of each move to a role's ten best
destinations) that have a relevant course.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from schemas.layout import DataLayout  # noqa: E402
from schemas.taxonomy import Taxonomy  # noqa: E402
from transform.linking import skill_ranker  # noqa: E402
from transform.linking.course_relevance import (  # noqa: E402
    MIN_RELEVANCE,
    TOP_SKILLS,
    course_relevance,
    listed_after,
)
from transform.linking.skills import label_table  # noqa: E402
from transform.marts.aggregate import (  # noqa: E402
    COURSE_DESCENDING,
    COURSE_ORDER,
    titled_skills,
)

HERE = Path(__file__).parent
THRESHOLDS = (0.45, 0.5, MIN_RELEVANCE, 0.55, 0.6)
TOP = 3


def precision_table(courses: pl.DataFrame, stated: pl.DataFrame, labels: pl.DataFrame,
                    ) -> pl.DataFrame:
    taxonomy = Taxonomy.shipped()
    titled = titled_skills(courses.lazy(), label_table(taxonomy)).collect()
    english = courses.filter(pl.col("language_code").is_in(["en"])
                             | pl.col("language_code").is_null())["course_id"]
    skills = labels["skill_uri"].n_unique()
    rows = []
    for top_skills, th in [(t, th) for t in (None, TOP_SKILLS) for th in THRESHOLDS]:
        if th == THRESHOLDS[0]:
            scored = course_relevance(courses, labels["skill_uri"].unique().to_list(),
                                      skill_ranker.load(taxonomy), stated=stated,
                                      titled=titled, min_relevance=min(THRESHOLDS),
                                      per_skill=50, top_skills=top_skills)
            ranked = (scored.filter(pl.col("course_id").is_in(english.implode()))
                      .join(labels.select("skill_uri", "course_id", "judgement"),
                            on=["skill_uri", "course_id"], how="left")
                      .join(courses.select("course_id", "url"), on="course_id", how="left")
                      .with_columns(listed_after=listed_after(pl.col("url"),
                                                              pl.col("title_similarity"))))
        top = (ranked.filter(pl.col("relevance") >= th)
               .sort(COURSE_ORDER, descending=COURSE_DESCENDING)
               .group_by("skill_uri", maintain_order=True).head(TOP))
        judged = top.filter(pl.col("judgement").is_not_null())
        share = {j: (judged["judgement"] == j).sum() / max(judged.height, 1)
                 for j in ("relevant", "weak", "irrelevant")}
        rows.append({"top_skills": top_skills or 0, "threshold": th, "listed": top.height,
                     "relevant": share["relevant"],
                     "weak": share["weak"], "irrelevant": share["irrelevant"],
                     "unjudged": top.height - judged.height,
                     "coverage": top["skill_uri"].n_unique() / skills})
    return pl.DataFrame(rows).with_columns(pl.col("relevant", "weak", "irrelevant",
                                                  "coverage").round(3))


def sector_coverage(release: Path) -> pl.DataFrame:
    detail = pl.read_parquet(release / "role_transfer_detail.parquet")
    taught = pl.read_parquet(release / "pathway_courses.parquet")["skill_uri"].unique()
    sectors = pl.read_parquet(release / "role_demand.parquet").select(
        to_role="role", sector="main_sector")
    shown = (detail.filter(pl.col("rank") <= 10).join(sectors, on="to_role", how="left")
             .select("sector", skill=pl.col("gap_skills").list.head(5)).explode("skill")
             .drop_nulls("skill"))
    return (shown.group_by("sector")
            .agg(gaps_shown=pl.len(), with_course=pl.col("skill").is_in(taught.implode()).mean()
                 .round(3))
            .sort("sector"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data")
    args = ap.parse_args()
    layout = DataLayout(args.data_dir)
    night = sorted(layout.root.glob(str(layout.normalised("*").relative_to(layout.root))))[-1]
    courses = pl.read_parquet(night / "courses.parquet")
    stated = (pl.read_parquet(night / "course_skills.parquet").filter(method="stated")
              .select("course_id", "skill_uri", "score"))
    labels = pl.read_csv(HERE / "labels.csv")
    counts = labels.group_by("judgement").len().sort("judgement").rows()
    print(f"labelled pairs: {labels.height} over {labels['skill_uri'].n_unique()} skills "
          f"({', '.join(f'{j} {n}' for j, n in counts)}); catalogue: {courses.height} courses "
          f"({night.name}); shipped: threshold {MIN_RELEVANCE}, top_skills {TOP_SKILLS}")
    with pl.Config(tbl_rows=30, tbl_hide_dataframe_shape=True):
        print(precision_table(courses, stated, labels))
        print("Gap skills shown (5 per move, 10 best destinations) with a relevant course, "
              "by destination sector:")
        print(sector_coverage(layout.current))


if __name__ == "__main__":
    main()
