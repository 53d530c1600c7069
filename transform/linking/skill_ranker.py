"""The skill ranker: ESCO skills for implicit mentions, by cosine of static embeddings.

A text is cut into sentences (lines, and ``.!?;`` followed by a space); a sentence's vector is
the mean of its words' vectors (lower-cased runs of ``[a-z0-9+#]``, looked up in the shipped
vocabulary; unknown words are skipped); each ESCO skill has one vector ("label: description"
and the label, through the full MiniLM). A record's score for a skill is the best cosine over
its sentences. The vectors come from ``taxonomy/skill_ranker.npz``, distilled from
all-MiniLM-L6-v2 by ``tools.build_ranker`` (``make ranker``); run time is numpy and Polars
only, nothing is downloaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import polars as pl

from schemas.taxonomy import Taxonomy
from transform.linking.tokens import NON_WORD, SENTENCE_SPLIT, WORD

ENV = "MICROCAREER_SKILL_RANKER"
CHUNK = 2048


def enabled_by_env() -> bool:
    """The nightly stage uses the ranker when MICROCAREER_SKILL_RANKER is 1/true/yes/on."""
    return os.environ.get(ENV, "").strip().lower() in {"1", "true", "yes", "on"}


class SkillRanker:
    def __init__(self, path: Path):
        data = np.load(path, allow_pickle=False)
        self.meta = json.loads(str(data["meta"]))
        self.vocab = pl.DataFrame({"word": data["words"].astype(str),
                                   "word_idx": np.arange(len(data["words"]), dtype=np.uint32)})
        self.word_vectors = data["word_vectors"].astype(np.float32) * data["word_scale"]
        self.skill_uris = data["skill_uris"].astype(str)
        skills = data["skill_vectors"].astype(np.float32) * data["skill_scale"]
        skills /= np.linalg.norm(skills, axis=1, keepdims=True)
        self.skill_vectors = np.ascontiguousarray(skills.T)

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dims) unit vectors; all-zero for a text with no known word."""
        from scipy import sparse

        tokens = (
            pl.DataFrame({"text": texts}, schema={"text": pl.String})
            .with_row_index("row")
            .select("row", word=pl.col("text").fill_null("").str.to_lowercase()
                    .str.extract_all(WORD))
            .explode("word").drop_nulls("word")
            .join(self.vocab, on="word")
        )
        counts = sparse.csr_matrix(
            (np.ones(tokens.height, dtype=np.float32),
             (tokens["row"].to_numpy(), tokens["word_idx"].to_numpy())),
            shape=(len(texts), len(self.word_vectors)))
        vectors = counts @ self.word_vectors
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    def hits(self, texts: list[str], per_text: int, min_score: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(text index, skill index, cosine) of each text's best `per_text` skills with cosine
        >= min_score, best first within a text."""
        rows, cols, vals = [], [], []
        # One product buffer for every chunk: a fresh 110 MB array each time costs its
        # pages' faults and zeroing again (0.8 s of 8 s on the bench's 179k sentences).
        buffer = np.empty((min(CHUNK, len(texts)), self.skill_vectors.shape[1]), np.float32)
        for start in range(0, len(texts), CHUNK):
            vectors = self.embed(texts[start:start + CHUNK])
            sims = np.matmul(vectors, self.skill_vectors, out=buffer[:len(vectors)])
            if min_score > 0:
                # few sentences reach the threshold (8% of the snapshot's): scan only those
                hit = np.flatnonzero(sims.max(axis=1) >= min_score)
                r, c = np.nonzero(sims[hit] >= min_score)
                r = hit[r]
            else:
                k = min(per_text, sims.shape[1] - 1)
                c = np.argpartition(-sims, k, axis=1)[:, :per_text].ravel()
                r = np.repeat(np.arange(sims.shape[0]), per_text)
            v = sims[r, c]
            order = np.lexsort((c, -v, r))
            r, c, v = r[order], c[order], v[order]
            first = np.searchsorted(r, r, side="left")
            keep = (np.arange(len(r)) - first < per_text) & (v >= min_score)
            rows.append(r[keep] + start)
            cols.append(c[keep])
            vals.append(v[keep])
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def rank_records(self, records: pl.DataFrame, id_col: str, text_col: str = "text", *,
                     k: int = 10, per_sentence: int = 5, min_score: float = 0.55,
                     min_words: int = 3) -> pl.DataFrame:
        """(id_col, skill_uri, score, evidence): each record's best `k` skills over its
        sentences of at least `min_words` words (each distinct sentence, embedded once per
        call, proposes its `per_sentence` best skills with cosine >= min_score); a skill's
        score is its best cosine in the record and evidence is that sentence (normalised)."""
        sentences = (
            records.select(id_col, sentence=pl.col(text_col).fill_null("")
                           .str.replace_all(SENTENCE_SPLIT, "\x00").str.split("\x00"))
            .explode("sentence")
            .select(id_col, sentence=pl.col("sentence").str.to_lowercase()
                    .str.replace_all(NON_WORD, " ").str.strip_chars())
            .filter(pl.col("sentence").str.count_matches(" ") + 1 >= min_words,
                    pl.col("sentence").str.len_chars() > 0)
        )
        distinct = sentences["sentence"].unique(maintain_order=True)
        r, c, v = self.hits(distinct.to_list(), per_sentence, min_score)
        scored = pl.DataFrame({
            "sentence": distinct.gather(r), "skill_uri": self.skill_uris[c].tolist(),
            "score": v.astype(np.float64)},
            schema={"sentence": pl.String, "skill_uri": pl.String, "score": pl.Float64})
        return (
            sentences.unique().join(scored, on="sentence")
            .sort([id_col, "score", "skill_uri", "sentence"],
                  descending=[False, True, False, False])
            .unique([id_col, "skill_uri"], keep="first", maintain_order=True)
            .group_by(id_col, maintain_order=True).head(k)
            .select(id_col, "skill_uri", pl.col("score").clip(0.0, 1.0),
                    evidence=pl.col("sentence").str.slice(0, 300))
        )


def load(taxonomy: Taxonomy) -> SkillRanker:
    """The ranker of `taxonomy` (`Taxonomy.skill_ranker_path`), built once per Taxonomy."""
    return taxonomy.built("skill_ranker", lambda t: SkillRanker(t.skill_ranker_path))


def available(taxonomy: Taxonomy) -> SkillRanker | None:
    """`load(taxonomy)`, or None when the taxonomy has no ranker artefact."""
    return load(taxonomy) if taxonomy.skill_ranker_path.exists() else None
