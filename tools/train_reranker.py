"""Fit a learned re-ranker of the role matcher's candidates (`transform.linking.roles.Reranker`)
on O*NET's reported titles; `python -m tools.evaluate roles` scores it on its held-out fifth.
Tried and not shipped: docs/methodology.md, roles, "A learned re-ranker, tried".

Data: O*NET's Sample of Reported Titles (the "reported" titles of the shipped taxonomy), in
FOLDS folds. Each fold's titles are left out of a matcher's index, and every one of them
the similarity search then matches gives RERANK_CANDIDATES rows (its candidate roles by
votes, with their RERANK_FEATURES), labelled by whether O*NET reports the title for that
role. A title is weighted by the square root of its role's US employment (BLS OEWS): O*NET
samples about eight titles per role whatever the role's size, while job ads follow
employment, and unweighted the model learned to prefer small, specialised roles.

Model: scikit-learn LogisticRegression (C = 1) on standardised features; the matcher orders
a title's candidates by its linear score.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import polars as pl

from schemas.taxonomy import Taxonomy
from transform.linking.roles import RERANK_FEATURES, Reranker, RoleMatcher

FOLDS = 4
C = 1.0
JOBS_POWER = 0.5  # a title's weight: its role's US employment to this power
_LOG_JOBS = RERANK_FEATURES.index("log_jobs")


def training_rows(taxonomy: Taxonomy, exclude: Iterable[str] = (), seed: int = 0,
                  folds: int = FOLDS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, weights), one row per candidate role of each reported title
    matched by similarity, with `exclude`d titles (an evaluation's held-out ones) left
    out of every index and of the rows."""
    excluded = set(exclude)
    reported = (taxonomy.titles().filter(pl.col("origin") == "reported")
                .filter(~pl.col("title").is_in(list(excluded))))
    roles_of: dict[str, set[str]] = {}
    for title, role in reported.select("title", "role").iter_rows():
        roles_of.setdefault(title, set()).add(role)
    titles = sorted(roles_of)
    fold = np.random.default_rng(seed).integers(0, folds, len(titles))
    features, labels, weights = [], [], []
    for f in range(folds):
        held = [t for t, k in zip(titles, fold, strict=True) if k == f]
        matcher = RoleMatcher(taxonomy, holdout=excluded | set(held), reranker=None)
        for title, found in zip(held, matcher.candidate_features(held), strict=True):
            if found is None:
                continue
            roles, rows = found
            right = np.array([r in roles_of[title] for r in roles])
            features.append(rows)
            labels.append(right)
            jobs = np.expm1(rows[right, _LOG_JOBS].max()) if right.any() else np.nan
            weights.append(np.full(len(roles), jobs))
    w = np.concatenate(weights)
    w = np.where(np.isnan(w), np.nanmedian(w), w) ** JOBS_POWER
    return np.vstack(features), np.concatenate(labels), w / w.mean()


def fit(taxonomy: Taxonomy, exclude: Iterable[str] = (), seed: int = 0) -> Reranker:
    """The re-ranker fitted on the reported titles but `exclude`."""
    from sklearn.linear_model import LogisticRegression

    x, y, w = training_rows(taxonomy, exclude, seed)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=3000).fit((x - mean) / scale, y, sample_weight=w)
    return Reranker(mean, scale, model.coef_[0])
