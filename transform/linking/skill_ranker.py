"""The skill ranker: ESCO skills for implicit mentions, by cosine of static embeddings.

A text is cut into sentences (lines, and ``.!?;`` followed by a space); a sentence's vector is
the mean of its words' vectors (lower-cased runs of ``[a-z0-9+#]``, looked up in the shipped
vocabulary; unknown words are skipped); each ESCO skill has one vector ("label: description"
and the label, through the full MiniLM). A record's score for a skill is the best cosine over
its sentences. The vectors come from ``taxonomy/skill_ranker.npz``, distilled from
all-MiniLM-L6-v2 by ``tools.build_ranker`` (``make ranker``); run time is numpy and Polars
only, nothing is downloaded.

With ``rerank`` (``microcareer skills``' ranking), a sentence's best skills by cosine are
ranked again by late interaction: the mean of the cosine and of the label cover, how well
the sentence's words cover the words of the skill's best-covered ESCO label (preferred,
alternative or hidden; each label word's best cosine with a sentence word, weighted by the
word's norm, which the SIF weights make small for common words). A mean of word vectors
loses which words a sentence holds; the cover keeps them ("handle cash and card payments"
holds *process payments*' words better than *deal cards*').
"""

from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path

import numpy as np
import polars as pl

from schemas.taxonomy import Taxonomy
from transform.linking.tokens import NON_WORD, SENTENCE_SPLIT, WORD

ENV = "MICROCAREER_SKILL_RANKER"
CHUNK = 2048
# Skills per sentence, best by cosine, that the label cover ranks again
RERANK_CANDIDATES = 50


def _unit_rows(vectors: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """`vectors` divided by their row `norms`; all-zero rows stay zero."""
    norms = norms[:, None]
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def enabled_by_env() -> bool:
    """The nightly stage uses the ranker when MICROCAREER_SKILL_RANKER is 1/true/yes/on."""
    return os.environ.get(ENV, "").strip().lower() in {"1", "true", "yes", "on"}


class SkillRanker:
    def __init__(self, path: Path, labels: pl.DataFrame | None = None):
        """The vectors of `path`; `labels` (skill_uri, label), each skill's ESCO labels, are
        needed only to rerank (`hits`)."""
        data = np.load(path, allow_pickle=False)
        self.meta = json.loads(str(data["meta"]))
        self.vocab = pl.DataFrame({"word": data["words"].astype(str),
                                   "word_idx": np.arange(len(data["words"]), dtype=np.uint32)})
        self.word_vectors = data["word_vectors"].astype(np.float32) * data["word_scale"]
        self.skill_uris = data["skill_uris"].astype(str)
        skills = data["skill_vectors"].astype(np.float32) * data["skill_scale"]
        skills /= np.linalg.norm(skills, axis=1, keepdims=True)
        self.skill_vectors = np.ascontiguousarray(skills.T)
        self.labels = labels

    def _tokens(self, texts: list[str]) -> pl.DataFrame:
        """(row, word_idx): each text's known words, repeats kept."""
        return (
            pl.DataFrame({"text": texts}, schema={"text": pl.String})
            .with_row_index("row")
            .select("row", word=pl.col("text").fill_null("").str.to_lowercase()
                    .str.extract_all(WORD))
            .explode("word").drop_nulls("word")
            .join(self.vocab, on="word")
            .select("row", "word_idx")
        )

    def embed(self, texts: list[str], tokens: pl.DataFrame | None = None) -> np.ndarray:
        """(len(texts), dims) unit vectors; all-zero for a text with no known word."""
        from scipy import sparse

        tokens = self._tokens(texts) if tokens is None else tokens
        counts = sparse.csr_matrix(
            (np.ones(tokens.height, dtype=np.float32),
             (tokens["row"].to_numpy(), tokens["word_idx"].to_numpy())),
            shape=(len(texts), len(self.word_vectors)))
        vectors = counts @ self.word_vectors
        return _unit_rows(vectors, np.linalg.norm(vectors, axis=1))

    @cached_property
    def _label_words(self) -> tuple[np.ndarray, ...]:
        """Each skill's labels' known words, skill by skill and label by label, as flat
        arrays: the start of each skill's run, the word's place among its skill's distinct
        words, word weight, whether the word starts a label, and the total weight of the
        label it belongs to; then the start of each skill's distinct words and the words."""
        if self.labels is None:
            raise ValueError("SkillRanker: rerank needs the skills' labels (labels=...)")
        order = pl.DataFrame({"skill_uri": self.skill_uris,
                              "skill": np.arange(len(self.skill_uris), dtype=np.int64)})
        words = (
            self.labels.select("skill_uri", "label").unique(maintain_order=True)
            .join(order, on="skill_uri", maintain_order="left")
            .with_row_index("label_no")
            .with_columns(word=pl.col("label").str.to_lowercase().str.extract_all(WORD))
            .explode("word")
            .join(self.vocab, on="word")
            .unique(["label_no", "word_idx"])
            .sort("skill", "label_no", "word_idx")
        )
        skill = words["skill"].to_numpy()
        word = words["word_idx"].to_numpy().astype(np.int64)
        weight = self._word_norms[word]
        label = words["label_no"].to_numpy()
        label_start = np.r_[True, label[1:] != label[:-1]]
        label_weight = np.bincount(np.cumsum(label_start) - 1, weights=weight)
        starts = np.searchsorted(skill, np.arange(len(self.skill_uris) + 1))
        # each skill's distinct words: labels share most of theirs ("clean rooms", "room
        # cleaning"), and each is compared with the sentence once
        pairs = np.unique(np.c_[skill, word], axis=0)
        distinct_starts = np.searchsorted(pairs[:, 0], np.arange(len(self.skill_uris) + 1))
        place = (np.searchsorted(pairs[:, 0] * len(self.vocab) + pairs[:, 1],
                                 skill * len(self.vocab) + word)
                 - distinct_starts[skill])
        return (starts, place, weight.astype(np.float32), label_start,
                np.repeat(label_weight, np.diff(np.r_[np.flatnonzero(label_start),
                                                      len(label)])),
                distinct_starts, pairs[:, 1].copy())

    @cached_property
    def _word_norms(self) -> np.ndarray:
        return np.linalg.norm(self.word_vectors, axis=1)

    @cached_property
    def _word_units(self) -> np.ndarray:
        return _unit_rows(self.word_vectors, self._word_norms)

    def label_cover(self, sentence_words: np.ndarray, skills: np.ndarray) -> np.ndarray:
        """For each of `skills`, how well the words `sentence_words` (word indices) cover
        its best-covered label: each label word's best cosine with a sentence word, averaged
        with the words' norms as weights; 0 with no known word."""
        (starts, place, weight, label_start, label_weight,
         distinct_starts, distinct) = self._label_words
        cover = np.zeros(len(skills), np.float64)
        if not len(sentence_words) or not len(skills):
            return cover
        lengths = starts[skills + 1] - starts[skills]
        total = int(lengths.sum())
        if total == 0:
            return cover
        ends = np.cumsum(lengths)
        entry = np.repeat(starts[skills] - ends + lengths, lengths) + np.arange(total)
        counts = distinct_starts[skills + 1] - distinct_starts[skills]
        offsets = np.cumsum(counts) - counts
        gathered = (np.repeat(distinct_starts[skills] - offsets, counts)
                    + np.arange(int(counts.sum())))
        units = self._word_units
        best = (units[distinct[gathered]] @ units[sentence_words].T).max(axis=1)
        best = best[place[entry] + np.repeat(offsets, lengths)]
        # a skill's run of entries starts a label, and labels do not cross skills
        runs = np.flatnonzero(label_start[entry])
        per_label = (np.add.reduceat(weight[entry] * best, runs)
                     / label_weight[entry[runs]])
        has = lengths > 0
        cover[has] = np.maximum.reduceat(per_label,
                                         np.searchsorted(runs, (ends - lengths)[has]))
        return cover

    def _rerank(self, tokens: pl.DataFrame, sims: np.ndarray, per_text: int
                ) -> tuple[np.ndarray, np.ndarray]:
        """(candidates, scores): each row's RERANK_CANDIDATES (or `per_text`, if more) best
        skills by cosine and their mean of cosine and label cover."""
        k = min(max(RERANK_CANDIDATES, per_text), sims.shape[1] - 1)
        candidates = np.argpartition(-sims, k, axis=1)[:, :k]
        scores = np.take_along_axis(sims, candidates, axis=1).astype(np.float64)
        tokens = tokens.sort("row", "word_idx")
        rows = tokens["row"].to_numpy()
        words = tokens["word_idx"].to_numpy().astype(np.int64)
        bounds = np.searchsorted(rows, np.arange(sims.shape[0] + 1))
        for i in range(sims.shape[0]):
            cover = self.label_cover(words[bounds[i]:bounds[i + 1]], candidates[i])
            scores[i] = (scores[i] + cover) / 2
        return candidates, scores.astype(np.float32)

    def hits(self, texts: list[str], per_text: int, min_score: float, *, rerank: bool = False
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(text index, skill index, score) of each text's best `per_text` skills with score
        >= min_score, best first within a text; the score is the cosine, or with `rerank`
        the mean of the cosine and the label cover of the text's best skills by cosine."""
        rows, cols, vals = [], [], []
        # One product buffer for every chunk: a fresh 110 MB array each time costs its
        # pages' faults and zeroing again (0.8 s of 8 s on the bench's 179k sentences).
        buffer = np.empty((min(CHUNK, len(texts)), self.skill_vectors.shape[1]), np.float32)
        for start in range(0, len(texts), CHUNK):
            tokens = self._tokens(texts[start:start + CHUNK])
            vectors = self.embed(texts[start:start + CHUNK], tokens)
            sims = np.matmul(vectors, self.skill_vectors, out=buffer[:len(vectors)])
            if rerank:
                candidates, scores = self._rerank(tokens, sims, per_text)
                r = np.repeat(np.arange(sims.shape[0]), candidates.shape[1])
                c, v = candidates.ravel(), scores.ravel()
                keep = v >= min_score
                r, c, v = r[keep], c[keep], v[keep]
            elif min_score > 0:
                # few sentences reach the threshold (8% of the snapshot's): scan only those
                hit = np.flatnonzero(sims.max(axis=1) >= min_score)
                r, c = np.nonzero(sims[hit] >= min_score)
                r = hit[r]
            else:
                k = min(per_text, sims.shape[1] - 1)
                c = np.argpartition(-sims, k, axis=1)[:, :per_text].ravel()
                r = np.repeat(np.arange(sims.shape[0]), per_text)
            if not rerank:
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
                     min_words: int = 3, rerank: bool = False) -> pl.DataFrame:
        """(id_col, skill_uri, score, evidence): each record's best `k` skills over its
        sentences of at least `min_words` words (each distinct sentence, embedded once per
        call, proposes its `per_sentence` best skills with score >= min_score: the cosine,
        or with `rerank` the mean of cosine and label cover); a skill's score is its best in
        the record and evidence is that sentence (normalised)."""
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
        r, c, v = self.hits(distinct.to_list(), per_sentence, min_score, rerank=rerank)
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
    return taxonomy.built("skill_ranker", lambda t: SkillRanker(t.skill_ranker_path,
                                                                t.esco_skill_labels()))


def available(taxonomy: Taxonomy) -> SkillRanker | None:
    """`load(taxonomy)`, or None when the taxonomy has no ranker artefact."""
    return load(taxonomy) if taxonomy.skill_ranker_path.exists() else None
