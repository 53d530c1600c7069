"""The JSON-lines commands `microcareer roles` and `microcareer skills`: stable contracts used
by evaluations and recommenders outside this repository (see docs/cli.md)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import polars as pl

from schemas.taxonomy import Taxonomy

# The CLI ranks: any cosine may fill the top K (the nightly tables use a 0.55 floor).
RANKER_MIN_SCORE = 0.0


@contextlib.contextmanager
def _open(path: str, mode: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdin if "r" in mode else sys.stdout
    else:
        with Path(path).open(mode, encoding="utf-8") as fh:
            yield fh


def read_lines(path: str) -> list[dict[str, Any]]:
    """Input records in order; a line that is not a JSON object becomes {"_error": ...}."""
    out = []
    with _open(path, "r") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                record = {"_error": f"line {n}: {exc}"}
            out.append(record)
    return out


def write_lines(path: str, records: list[dict[str, Any]]) -> None:
    with _open(path, "w") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def roles(records: list[dict[str, Any]], *,
          taxonomy: Taxonomy | None = None) -> list[dict[str, Any]]:
    """Each record's role by the role matcher of `taxonomy` (default: the shipped one)."""
    from transform.linking.roles import calibrate, role_matcher

    matcher = role_matcher(taxonomy or Taxonomy.shipped())
    matches = matcher.match_many([_text(r.get("title")) for r in records],
                                 [_text(r.get("description")) for r in records],
                                 [_text(r.get("sector")) for r in records])
    out = []
    for record, match in zip(records, matches, strict=True):
        row = {"id": record.get("id"), "role": match.role, "role_title": match.role_title,
               "confidence": calibrate(match.confidence) if match.role else 0.0}
        if "_error" in record:
            row["error"] = record["_error"]
        out.append(row)
    return out


def skills(records: list[dict[str, Any]], top_k: int, *, ranker: bool = True,
           rerank: bool = True, min_score: float = RANKER_MIN_SCORE,
           taxonomy: Taxonomy | None = None) -> list[dict[str, Any]]:
    """Lexical matches first (score 0.8-1.0 by label kind), then, with `ranker`, the ranker's
    skills for the text's sentences, with `rerank` ranked again by label cover (score 0.8 x
    the mean of cosine and label cover, that mean >= `min_score`; else 0.8 x cosine, cosine
    >= `min_score`); the ESCO skills of `taxonomy` (default: the shipped one)."""
    from transform.linking.skills import extract_skills, load_ranker

    taxonomy = taxonomy or Taxonomy.shipped()

    frame = pl.LazyFrame({"row": list(range(len(records))),
                          "text": [_text(r.get("text")) for r in records]},
                         schema={"row": pl.Int64, "text": pl.String})
    labels = taxonomy.esco_skills().select("skill_uri", "label")
    found = (
        extract_skills(frame, "row", taxonomy=taxonomy,
                       ranker=load_ranker(taxonomy) if ranker else None,
                       ranker_k=top_k, ranker_min_score=min_score, ranker_min_words=1,
                       ranker_rerank=rerank)
        .collect().join(labels, on="skill_uri")
        .with_columns(length=pl.col("evidence").str.len_chars())
        .sort(["row", "score", "length", "skill_uri"], descending=[False, True, True, False])
        .group_by("row", maintain_order=True).head(top_k)
    )
    by_row: dict[int, list[dict[str, Any]]] = {}
    for row, uri, label, score in found.select("row", "skill_uri", "label", "score").iter_rows():
        by_row.setdefault(row, []).append({"uri": uri, "label": label, "score": score})
    out = []
    for i, record in enumerate(records):
        row = {"id": record.get("id"), "skills": by_row.get(i, [])}
        if "_error" in record:
            row["error"] = record["_error"]
        out.append(row)
    return out
