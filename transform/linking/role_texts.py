"""What each O*NET role does, as text to compare a posting's description with.

The text of a role is its O*NET description, task statements and detailed work activities
(``taxonomy/onet_role_texts.parquet``). Both sides become TF-IDF vectors of stemmed words with
sublinear term frequency; a word every role uses carries no weight.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import repeat

import numpy as np
import polars as pl
from scipy import sparse

from schemas.taxonomy import Taxonomy

ARTIFACT = "onet_role_texts.parquet"
_WORD = re.compile(r"[a-z][a-z0-9+#]+")


class _Stems(dict):
    """word -> its stem (a plural "s" dropped, "ss" kept), each word worked out once: a
    lookup per word runs in C, where a Python expression per word cost most of `_words`.
    Emptied at MAX_STEMS words, so a night of odd tokens cannot grow it without bound."""

    def __missing__(self, word: str) -> str:
        stem = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        if len(self) >= MAX_STEMS:
            self.clear()
        self[word] = stem
        return stem


MAX_STEMS = 200_000
_STEMS = _Stems()


def _words(text: str) -> list[str]:
    return list(map(_STEMS.__getitem__, _WORD.findall(text.lower())))


def unit_rows(x: sparse.spmatrix) -> sparse.csr_matrix:
    """`x` with every row scaled to unit length (all-zero rows stay zero)."""
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-12)) @ x)


class RoleTexts:
    """TF-IDF vectors of the roles' O*NET texts; `vectors` maps descriptions to the same space."""

    def __init__(self, texts: pl.DataFrame) -> None:
        self.row: dict[str, int] = {r: i for i, r in enumerate(texts["role"])}
        docs = [_words(t) for t in texts["text"]]
        vocab: dict[str, int] = {}
        for doc in docs:
            for w in dict.fromkeys(doc):
                vocab.setdefault(w, len(vocab))
        self._vocab = vocab
        df = np.zeros(len(vocab))
        for doc in docs:
            df[[vocab[w] for w in set(doc)]] += 1
        self._idf = np.log(len(docs) / df)
        self.matrix = self._weigh(docs)

    def vectors(self, texts: list[str]) -> sparse.csr_matrix:
        """Unit-length TF-IDF rows of `texts` (all zero when no word is known)."""
        return self._weigh([_words(t) for t in texts])

    def _weigh(self, docs: list[list[str]]) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        vocab = self._vocab
        for i, doc in enumerate(docs):
            # unknown words count under -1, then leave: the known ones keep their order
            found = Counter(map(vocab.get, doc, repeat(-1)))
            found.pop(-1, None)
            rows += [i] * len(found)
            cols += found.keys()
            counts += found.values()
        vals = 1 + np.log(np.asarray(counts, dtype=float))
        x = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self._vocab)))
        return unit_rows(sparse.csr_matrix(x @ sparse.diags(self._idf)))


def role_texts(taxonomy: Taxonomy) -> RoleTexts | None:
    """The role texts of `taxonomy` (built once per Taxonomy), or None when the artifact is
    missing."""
    if not taxonomy.has(ARTIFACT):
        return None
    return taxonomy.built("role_texts", lambda t: RoleTexts(t.role_texts()))
