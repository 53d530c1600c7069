"""Candidate ambiguous skill labels: labels whose evidence sentences are least like their skill.

    python -m tools.ambiguous_labels data/normalised/date=YYYY-MM-DD/postings.parquet [--top 70]
    python -m tools.ambiguous_labels POSTINGS --labels [--top 160]

Runs the lexical matcher over a normalised postings table, finds the sentence holding each
match, and lists the (evidence, skill) pairs seen in at least 4 postings by the median cosine
of those sentences to the skill in the skill ranker's embedding, lowest first. A low median
says the label is mostly used in another sense; the list is read by hand, and the labels whose
sentences showed another sense go to transform/linking/mappings/skill_label_context.tsv.

`--labels` lists instead the alternative and hidden labels that matched, by how many postings,
among those whose cosine to their skill's preferred label is under 0.45: labels ESCO gives a
skill of another sense ("regulatory requirements" under *good laboratory practice*, "POS"
under *blockchain consensus mechanisms*). Read in their ads, those go to
transform/linking/mappings/skill_label_stoplist.txt.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import polars as pl

from schemas.taxonomy import Taxonomy
from transform.linking.skills import extract_skills, load_ranker
from transform.linking.tokens import NON_WORD, SENTENCE_SPLIT


def candidates(postings: str, top: int = 70, min_postings: int = 4) -> pl.DataFrame:
    taxonomy = Taxonomy.shipped()
    p = pl.read_parquet(postings).select("posting_id", "text")
    found = extract_skills(p.lazy(), "posting_id", taxonomy=taxonomy).collect()
    sentences = (
        p.select("posting_id", s=pl.col("text").str.replace_all(SENTENCE_SPLIT, "\x00")
                 .str.split("\x00")).explode("s")
        .with_columns(n=pl.lit(" ") + pl.col("s").str.to_lowercase()
                      .str.replace_all(NON_WORD, " ") + pl.lit(" ")))
    m = (found.with_columns(pad=pl.lit(" ") + pl.col("evidence") + pl.lit(" "))
         .join(sentences, on="posting_id")
         .filter(pl.col("n").str.contains(pl.col("pad"), literal=True))
         .unique(["posting_id", "skill_uri"], keep="first", maintain_order=True))
    ranker = load_ranker(taxonomy)
    index = {u: i for i, u in enumerate(ranker.skill_uris)}
    vectors = ranker.skill_vectors.T[[index[u] for u in m["skill_uri"]]]
    cos = np.einsum("ij,ij->i", ranker.embed(m["n"].to_list()), vectors)
    labels = taxonomy.esco_skills().select("skill_uri", "label")
    return (m.with_columns(cos=cos).group_by("evidence", "skill_uri")
            .agg(postings=pl.len(), median_cosine=pl.col("cos").median())
            .filter(pl.col("postings") >= min_postings)
            .join(labels, on="skill_uri").sort("median_cosine", "evidence").head(top))


def unlike_labels(postings: str, top: int = 160, max_cosine: float = 0.45) -> pl.DataFrame:
    """(evidence, skill): matches through an alternative or hidden label whose cosine to the
    skill's preferred label is under `max_cosine`, most postings first."""
    taxonomy = Taxonomy.shipped()
    p = pl.read_parquet(postings).select("posting_id", "text")
    found = (extract_skills(p.lazy(), "posting_id", taxonomy=taxonomy).collect()
             .with_columns(norm=pl.col("evidence").str.to_lowercase()
                           .str.replace_all(NON_WORD, " ").str.strip_chars()))
    labels = (taxonomy.esco_skill_labels()
              .with_columns(norm=pl.col("label").str.to_lowercase()
                            .str.replace_all(NON_WORD, " ").str.strip_chars())
              .select("skill_uri", "norm", "kind").unique(["skill_uri", "norm"]))
    preferred = taxonomy.esco_skills().select("skill_uri", "label")
    pairs = (found.group_by("skill_uri", "norm").agg(postings=pl.col("posting_id").n_unique())
             .join(labels, on=["skill_uri", "norm"]).filter(pl.col("kind") != "preferred")
             .join(preferred, on="skill_uri"))
    ranker = load_ranker(taxonomy)
    a, b = ranker.embed(pairs["norm"].to_list()), ranker.embed(pairs["label"].to_list())
    cos = np.einsum("ij,ij->i", a, b) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
                                         + 1e-12)
    return (pairs.with_columns(cosine=cos).filter(pl.col("cosine") < max_cosine)
            .sort(["postings", "norm"], descending=[True, False]).head(top)
            .select("norm", "label", "kind", "postings", "cosine"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.ambiguous_labels", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("postings")
    p.add_argument("--top", type=int, default=70)
    p.add_argument("--labels", action="store_true",
                   help="alternative and hidden labels least like their skill, by postings")
    args = p.parse_args(argv)
    with pl.Config(tbl_rows=args.top, fmt_str_lengths=40):
        print(unlike_labels(args.postings, args.top) if args.labels
              else candidates(args.postings, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
