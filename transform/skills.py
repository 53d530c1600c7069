"""Lexical ESCO skill extraction: every label of every ESCO skill, matched on word boundaries.

Text and labels are lower-cased with runs of anything but ``[a-z0-9+#]`` turned into one space
and padded with spaces, then matched with Polars' Aho-Corasick (`str.extract_many`,
overlapping), so "java" never fires inside "javascript". A label that lies inside a longer
label found in the same record is dropped (longest match wins). Risky labels are left out:
ones shared by several skills, one-letter/two-letter ones, and one-word alternative labels
that are ordinary words (kept only if written as a name: capitals, digits, '+' or '#'),
and the reviewed stoplist in mappings/skill_label_stoplist.txt.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

from microcareer.paths import TAXONOMY

STOPLIST = Path(__file__).parent / "mappings" / "skill_label_stoplist.txt"
SCORES = {"preferred": 1.0, "alt": 0.9, "hidden": 0.8}
# Ranker rows per record and their cosine floor in the nightly tables (see docs/methodology.md).
RANKER_K = 10
RANKER_MIN_SCORE = 0.55
# A ranker row's score is RANKER_WEIGHT x cosine: below every lexical match (0.8-1.0).
RANKER_WEIGHT = 0.8


def normalise_expr(col: str) -> pl.Expr:
    return (pl.lit(" ") + pl.col(col).fill_null("").str.to_lowercase()
            .str.replace_all(r"[^a-z0-9+#]+", " ") + pl.lit(" "))


@lru_cache(maxsize=1)
def label_table(taxonomy: Path = TAXONOMY) -> pl.DataFrame:
    """pattern (padded, normalised label) -> skill_uri, score; one skill per pattern."""
    labels = pl.read_parquet(taxonomy / "esco_skill_labels.parquet")
    single = ~pl.col("norm").str.strip_chars().str.contains(" ")
    looks_like_name = pl.col("label").str.contains(r"[A-Z0-9+#]")
    stop = [f" {w} " for w in _stoplist()]
    table = (
        labels.with_columns(pattern=normalise_expr("label"),
                            score=pl.col("kind").replace_strict(SCORES, return_dtype=pl.Float64))
        .with_columns(norm=pl.col("pattern"))
        .filter(pl.col("norm").str.strip_chars().str.len_chars() > 2)
        .filter(~single | (pl.col("kind") == "preferred") | looks_like_name)
        .filter(~pl.col("norm").is_in(stop))
    )
    owners = table.group_by("pattern").agg(pl.col("skill_uri").n_unique().alias("owners"))
    return (
        table.join(owners, on="pattern")
        .filter(pl.col("owners") == 1)
        .sort("pattern", "score", descending=[False, True])
        .unique("pattern", keep="first", maintain_order=True)
        .select("pattern", "skill_uri", "score")
    )


def _stoplist() -> list[str]:
    lines = STOPLIST.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def load_ranker():
    """The shipped static-embedding skill ranker (transform.skill_ranker), loaded once."""
    from transform import skill_ranker

    return skill_ranker.load()


def extract_skills(records: pl.LazyFrame, id_col: str, text_col: str = "text", *,
                   labels: pl.DataFrame | None = None, ranker=None,
                   ranker_k: int = RANKER_K, ranker_min_score: float = RANKER_MIN_SCORE,
                   ranker_min_words: int = 3) -> pl.LazyFrame:
    """(id_col, skill_uri, score, method, evidence) for every skill mentioned in each record.
    `labels`: a `label_table` (default: the shipped taxonomy's). `ranker`: a
    `skill_ranker.SkillRanker` adds, per record, up to `ranker_k` skills not found lexically
    whose best sentence (of at least `ranker_min_words` words) has cosine >=
    `ranker_min_score` (method "ranker", score RANKER_WEIGHT x cosine); None (default) runs
    the lexical matcher alone."""
    lexical = _lexical(records, id_col, text_col, labels)
    if ranker is None:
        return lexical
    frame = records.select(id_col, text_col).collect()
    found = lexical.collect()
    ranked = (
        ranker.rank_records(frame, id_col, text_col, k=ranker_k, per_sentence=ranker_k,
                            min_score=ranker_min_score, min_words=ranker_min_words)
        .join(found.select(id_col, "skill_uri"), on=[id_col, "skill_uri"], how="anti")
        .with_columns(method=pl.lit("ranker"), score=pl.col("score") * RANKER_WEIGHT)
        .select(found.columns)
    )
    return pl.concat([found, ranked]).sort(id_col, "skill_uri").lazy()


def _lexical(records: pl.LazyFrame, id_col: str, text_col: str,
             labels: pl.DataFrame | None) -> pl.LazyFrame:
    labels = label_table() if labels is None else labels
    patterns = labels["pattern"].to_list()
    matches = (
        records.select(id_col, normalise_expr(text_col).alias("norm"))
        .with_columns(pattern=pl.col("norm").str.extract_many(patterns, overlapping=True))
        .select(id_col, "pattern")
        .explode("pattern")
        .drop_nulls("pattern")
        .unique([id_col, "pattern"])
    )
    # Longest match wins: drop a pattern that occurs inside another pattern of the same record.
    inner = (
        matches.join(matches, on=id_col, suffix="_outer")
        .filter((pl.col("pattern") != pl.col("pattern_outer"))
                & pl.col("pattern_outer").str.contains(pl.col("pattern"), literal=True))
        .select(id_col, "pattern").unique()
    )
    return (
        matches.join(inner, on=[id_col, "pattern"], how="anti")
        .join(labels.lazy(), on="pattern")
        .group_by(id_col, "skill_uri")
        .agg(pl.col("score").max(), evidence=pl.col("pattern").sort_by("score", "pattern").last())
        .with_columns(method=pl.lit("lexical"), evidence=pl.col("evidence").str.strip_chars())
        .select(id_col, "skill_uri", "score", "method", "evidence")
        .sort(id_col, "skill_uri")
    )


def run(*, data_dir: str | Path, date: str, use_ranker: bool | None = None) -> dict[str, int]:
    """posting_skills and course_skills for `date`, next to the normalised tables. The ranker
    runs when `use_ranker`, or (None) when MICROCAREER_SKILL_RANKER is set to 1/true."""
    from transform import skill_ranker
    from transform.normalise import normalised_dir

    folder = normalised_dir(Path(data_dir), date)
    ranker = load_ranker() if (use_ranker if use_ranker is not None
                               else skill_ranker.enabled_by_env()) else None
    counts = {}
    for table, id_col in (("postings", "posting_id"), ("courses", "course_id")):
        found = extract_skills(pl.scan_parquet(folder / f"{table}.parquet"), id_col,
                               ranker=ranker).collect()
        found.write_parquet(folder / f"{table[:-1]}_skills.parquet")
        counts[f"{table[:-1]}_skills"] = found.height
    return counts
