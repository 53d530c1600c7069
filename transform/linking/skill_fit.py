"""How well a skill fits what a role does: the best cosine between the skill's vector and the
sentences of the role's O*NET text (description, task statements, detailed work activities),
in the skill ranker's static embedding space (transform.linking.skill_ranker).

It weighs and prunes the taxonomy prior of a role's profile (transform.marts.aggregate) and
measures off-topic profile rows (the `role_skills.offtopic_weight` check). The products are
numpy einsum loops, not BLAS, so the values do not depend on the thread count.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from transform.linking.skill_ranker import SkillRanker

_SENTENCE = re.compile(r"\n|(?<=[.!?;])\s+")
MIN_WORDS = 2
MIN_SENTENCES = 4  # a catch-all role ("All other life scientists") has no text to fit to
DIGITS = 4


def role_sentences(text: str) -> list[str]:
    """A role text cut into its sentences (the O*NET statements are one per line)."""
    return [s.strip() for s in _SENTENCE.split(text or "") if len(s.split()) >= MIN_WORDS]


class SkillFit:
    """fit(role, skill) for any pairs; the roles' sentence vectors are embedded once."""

    def __init__(self, ranker: SkillRanker, role_texts: pl.DataFrame) -> None:
        self._ranker = ranker
        self._skill = {u: i for i, u in enumerate(ranker.skill_uris)}
        sentences = [(role, s) for role, text in role_texts.select("role", "text").iter_rows()
                     for s in role_sentences(text)]
        vectors = ranker.embed([s for _, s in sentences])
        owners = np.array([r for r, _ in sentences])
        order = np.argsort(owners, kind="stable")
        owners, self._vectors = owners[order], vectors[order]
        roles, starts = np.unique(owners, return_index=True)
        ends = np.r_[starts[1:], len(owners)]
        self._span = {r: (int(a), int(b)) for r, a, b in zip(roles, starts, ends, strict=True)
                      if b - a >= MIN_SENTENCES}

    def fit(self, pairs: pl.DataFrame) -> pl.DataFrame:
        """`pairs` (role, skill_uri, ...) with `fit` (Float64, 4 decimals; null when the role
        has fewer than MIN_SENTENCES O*NET statements or the skill no vector)."""
        keys = pairs.select("role", "skill_uri").unique().sort("role", "skill_uri")
        values = np.full(keys.height, np.nan)
        skills = self._ranker.skill_vectors  # (dims, skills), unit columns
        roles = keys["role"].to_numpy()
        uris = keys["skill_uri"].to_list()
        bounds = np.flatnonzero(np.r_[True, roles[1:] != roles[:-1], True])
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            span = self._span.get(roles[a])
            idx = [(k, self._skill.get(uris[k])) for k in range(a, b)]
            idx = [(k, j) for k, j in idx if j is not None]
            if span is None or not idx:
                continue
            rows = np.array([k for k, _ in idx])
            cols = skills[:, [j for _, j in idx]].astype(np.float64)
            sims = np.einsum("sd,dk->sk", self._vectors[span[0]:span[1]].astype(np.float64),
                             cols, optimize=False)
            values[rows] = sims.max(axis=0)
        fitted = keys.with_columns(fit=pl.Series(np.round(values, DIGITS)).fill_nan(None))
        return pairs.join(fitted, on=["role", "skill_uri"], how="left")
