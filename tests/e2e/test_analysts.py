"""Every code block of docs/analysts.md runs as written against a published release."""

from __future__ import annotations

import os
import re

import pandas as pd
import polars as pl
import pytest

from microcareer.paths import PROJECT_ROOT
from schemas.taxonomy import Taxonomy

DOC = PROJECT_ROOT / "docs" / "analysts.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def answers(small_run, tmp_path_factory) -> dict[int, pd.DataFrame | pl.DataFrame]:
    """Run the blocks in order, as a reader would, in a folder laid out like the project."""
    data_dir, _ = small_run
    home = tmp_path_factory.mktemp("analyst")
    (home / "data").symlink_to(data_dir)
    (home / "taxonomy").symlink_to(Taxonomy.shipped().root)
    scope: dict = {}
    out = {}
    cwd = os.getcwd()
    os.chdir(home)
    try:
        question = 0
        for block in _blocks():
            exec(compile(block, str(DOC), "exec"), scope)  # noqa: S102 - the doc's own code
            if "answer" in scope:
                question += 1
                out[question] = scope.pop("answer")
    finally:
        os.chdir(cwd)
    return out


def _rows(frame) -> list[dict]:
    return frame.to_dicts() if isinstance(frame, pl.DataFrame) else frame.to_dict("records")


def test_the_doc_has_at_least_five_worked_questions_each_with_an_answer(answers):
    assert len(answers) >= 5
    for n, frame in answers.items():
        assert len(frame) > 0, f"question {n} gave no rows on the snapshot release"


def test_answers_agree_with_the_tables(answers, small_run):
    data_dir, _ = small_run
    ds = data_dir / "dataset"
    nurse = set(pl.read_parquet(ds / "role_skills.parquet").filter(role="29-1141.00")["skill_uri"])
    assert {r["skill_uri"] for r in _rows(answers[1])} <= nurse  # carried over = nurse has it
    mutual = [r["mutual_score"] for r in _rows(answers[2])]
    assert mutual == sorted(mutual, reverse=True) and all(0 <= m <= 1 for m in mutual)
    assert all(r["postings"] >= 20 for r in _rows(answers[3]))
    transfer = pl.read_parquet(ds / "role_transfer.parquet").filter(from_role="13-2011.00")
    for r in _rows(answers[4]):
        row = transfer.filter(to_role=r["to_role"]).row(0, named=True)
        assert row["crosses_industry"] and row["score"] >= 0.2
    taught = set(pl.read_parquet(ds / "pathway_courses.parquet")["skill_uri"])
    assert not {r["skill_uri"] for r in _rows(answers[5])} & taught
    assert {r["provenance"] for r in _rows(answers[6])} <= {
        "postings", "taxonomy", "taxonomy_group", "taxonomy_isco", "both"}
    assert all(r["rank"] <= 3 for r in _rows(answers[7]))
    assert all(r["is_free"] and r["level_normalised"] == "introductory"
               and r["duration_hours"] <= 40 and r["esco_skills"] for r in _rows(answers[8]))
