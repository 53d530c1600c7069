"""Language of a posting's text (ISO 639-1) with py3langid, and whether it is not English.

The title and the first MAX_CHARS characters of the text are classified; texts shorter than
MIN_CHARS get no language (null) rather than a guess."""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from transform.distinct import map_distinct

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


def with_language(frame: pl.DataFrame) -> pl.DataFrame:
    """language and non_english from title and text (each distinct sample classified once)."""
    sample = frame.select(sample=pl.concat_str(
        [pl.col("title").fill_null(""), pl.col("text").fill_null("")],
        separator="\n").str.slice(0, MAX_CHARS))
    language = map_distinct(sample, ["sample"], detect, {"language": pl.String()},
                            parallel=True)
    return frame.hstack(language).with_columns(non_english=pl.col("language") != "en")
