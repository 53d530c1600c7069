"""What each O*NET role does, as text to compare a posting's description with.

The text of a role is its O*NET description, task statements and detailed work activities
(``taxonomy/onet_role_texts.parquet``). Both sides become TF-IDF vectors of stemmed words with
sublinear term frequency; a word every role uses carries no weight.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import polars as pl
from scipy import sparse

from schemas.taxonomy import Taxonomy

ARTIFACT = "onet_role_texts.parquet"
_WORD = re.compile(r"[a-z][a-z0-9+#]+")


def _words(text: str) -> list[str]:
    return [w[:-1] if w.endswith("s") and not w.endswith("ss") else w
            for w in _WORD.findall(text.lower())]


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
            found = Counter(j for j in map(vocab.get, doc) if j is not None)
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
