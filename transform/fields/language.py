"""Language of a posting's text (ISO 639-1) with py3langid, and whether it is not English.

The title and the first MAX_CHARS characters of the text are classified; texts shorter than
MIN_CHARS get no language (null) rather than a guess."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl

from transform.fields.distinct import apply_batches, per_distinct

MAX_CHARS = 600
MIN_CHARS = 40


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def detect(text: str | None) -> str | None:
    """ISO 639-1 code of the text's main language, or None for too little text or a
    language without a two-letter code."""
    if not text or len(text) < MIN_CHARS:
        return None
    lang, _ = _identifier().classify(text[:MAX_CHARS])
    # Codes outside ISO 639-1 (e.g. "zxx", "bcl") came only from junk text on the snapshot:
    # hashed placeholders, Word style sheets.
    return str(lang) if len(lang) == 2 else None


BATCH = 2000  # texts walked through the tokeniser's automaton together


@lru_cache(maxsize=1)
def _automaton() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """py3langid's tokeniser automaton as int64 arrays (next move, row bases, outputs),
    made once per process rather than once per batch (its next-move table is large)."""
    ident = _identifier()
    return (np.frombuffer(ident.tk_nextmove, dtype=np.uint32).astype(np.int64),
            np.asarray(ident._rowbase, dtype=np.int64),
            np.asarray(ident.tk_output, dtype=np.int64))


def detect_many(texts: list[str | None]) -> list[str | None]:
    """`detect` of each text, the same codes: py3langid's byte automaton walked by all texts
    of a batch at once in numpy (one step per byte position instead of a Python loop per
    byte), then each text scored by py3langid itself from its feature counts (in the order
    of first appearance, as its own Counter has them)."""
    ident = _identifier()
    nm, rowbase, output = _automaton()
    floor = float(np.finfo(np.float32).min)
    out: list[str | None] = [None] * len(texts)
    todo = [i for i, t in enumerate(texts) if t and len(t) >= MIN_CHARS]
    for start in range(0, len(todo), BATCH):
        rows = todo[start:start + BATCH]
        encoded = [ident._encode(texts[i][:MAX_CHARS]) for i in rows]  # type: ignore[index]
        order = sorted(range(len(rows)), key=lambda k: -len(encoded[k]))
        lengths = np.array([len(encoded[k]) for k in order], dtype=np.int64)
        width = int(lengths[0]) if len(lengths) else 0
        data = np.zeros((len(order), width), dtype=np.int64)
        for r, k in enumerate(order):
            data[r, :len(encoded[k])] = np.frombuffer(encoded[k], dtype=np.uint8)
        state = np.zeros(len(order), dtype=np.int64)
        feats = np.full((len(order), width), -1, dtype=np.int64)
        active = len(order)
        for p in range(width):
            while active and lengths[active - 1] <= p:
                active -= 1
            s = nm[rowbase[state[:active]] + data[:active, p]]
            state[:active] = s
            feats[:active, p] = output[s]
        for r, k in enumerate(order):
            f = feats[r, :lengths[r]]
            f = f[f >= 0]
            if len(f) == 0:
                out[rows[k]] = detect(texts[rows[k]])
                continue
            uniq, first, counts = np.unique(f, return_index=True, return_counts=True)
            o = np.argsort(first, kind="stable")
            scores = ident._sparse_score(dict(zip(uniq[o].tolist(), counts[o].tolist(),
                                                  strict=True)), ident.nb_ptc)
            for i, j in ident._alias_pairs:
                scores[i] = max(scores[i], scores[j])
                scores[j] = floor
            lang = ident.nb_classes[int(scores.argmax())]
            out[rows[k]] = str(lang) if len(lang) == 2 else None
    return out


def _detect_batch(samples: pl.DataFrame) -> pl.DataFrame:
    languages = apply_batches(detect_many, samples["sample"].to_list(), parallel=True)
    return pl.DataFrame({"language": languages}, schema={"language": pl.String()})


def with_language(frame: pl.DataFrame) -> pl.DataFrame:
    """language and non_english from title and text (each distinct sample classified once,
    in batches over the worker pool)."""
    sample = frame.select(sample=pl.concat_str(
        [pl.col("title").fill_null(""), pl.col("text").fill_null("")],
        separator="\n").str.slice(0, MAX_CHARS))
    language = per_distinct(sample, ["sample"], _detect_batch)
    return frame.hstack(language).with_columns(non_english=pl.col("language") != "en")
