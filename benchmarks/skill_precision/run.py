"""Sample a run's published skill rows, with the line around each match, for a reviewer.

    python benchmarks/skill_precision/run.py OUT.tsv --data-dir data [--n 150] [--seed 47]
        [--method lexical|ranker] [--date YYYY-MM-DD]

Reads `posting_skills` of the current release and the night's normalised postings (their
text), draws `--n` rows of `--method` at random (`--seed`), and writes OUT.tsv: row, source,
title, skill (ESCO preferred label), evidence, context (up to 160 characters either side of
the first whole-word match of the evidence in the text; the ranker's evidence is its
sentence) and an empty `judgement` column to fill in with the rubric of README.md.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from schemas.taxonomy import Taxonomy  # noqa: E402


def context(text: str, evidence: str, width: int = 160) -> str:
    """The line around the first whole-word match of `evidence` in `text`, cut to `width`
    characters either side; "" when the evidence is not found as written."""
    found = re.search(r"(?<![A-Za-z])" + re.escape(evidence) + r"(?![A-Za-z])", text, re.I)
    if not found:
        return ""
    start = max(text.rfind("\n", 0, found.start()) + 1, found.start() - width)
    end = text.find("\n", found.end())
    end = len(text) if end < 0 else min(end, found.end() + width)
    return text[start:end].replace("\t", " ")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--data-dir", type=Path, default=Path("data"))
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--seed", type=int, default=47)
    ap.add_argument("--method", default="lexical", choices=["lexical", "ranker"])
    ap.add_argument("--date", help="the night whose normalised postings hold the texts "
                    "(default: the latest)")
    args = ap.parse_args(argv)
    nights = sorted((args.data_dir / "normalised").glob("date=*"))
    if not nights:
        raise SystemExit(f"no normalised postings under {args.data_dir / 'normalised'}: "
                         "run `make run` (or `microcareer run --data-dir ...`) first")
    night = (args.data_dir / "normalised" / f"date={args.date}") if args.date else nights[-1]
    rows = (pl.read_parquet(args.data_dir / "dataset/current/posting_skills.parquet")
            .filter(pl.col("method") == args.method))
    texts = pl.read_parquet(night / "postings.parquet",
                            columns=["posting_id", "source", "title", "text"])
    labels = Taxonomy.shipped().esco_skills().select("skill_uri", skill="label")
    sample = (rows.sample(min(args.n, rows.height), seed=args.seed)
              .join(texts, on="posting_id", how="left")
              .join(labels, on="skill_uri", how="left"))
    with args.out.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, delimiter="\t", lineterminator="\n")
        out.writerow(["row", "source", "title", "skill", "evidence", "context", "judgement"])
        for i, r in enumerate(sample.iter_rows(named=True)):
            shown = (r["evidence"] if args.method == "ranker"
                     else context(r["text"] or "", r["evidence"]))
            out.writerow([i, r["source"], r["title"], r["skill"], r["evidence"], shown, ""])
    print(f"{sample.height} {args.method} rows -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
