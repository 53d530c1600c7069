"""Tune the skill ranker's word vectors contrastively on pairs the project already has.

    make ranker-tuned  # both steps below: build/ranker/tuned.npz (not shipped, see below)
    python -m tools.tune_ranker pairs --shared ../shared/data --out build/ranker/pairs.parquet
    python -m tools.tune_ranker train --pairs build/ranker/pairs.parquet \
        --base taxonomy/skill_ranker.npz --out build/ranker/tuned.npz   # needs torch

Maintainers only; run time never imports torch. The distilled model embeds a sentence as the
sum of its words' vectors, each word passed through MiniLM alone, so context words that
signal a skill without naming it carry little. Tuning moves the word vectors, not the skill
vectors (those stay the teacher's), so that a text's normalised sum lands on its skill among
all 13,896, with a softmax over every skill (temperature 0.05):

- ESCO v1.1.1: each alternative and hidden label → its skill, each description → its skill;
- real postings (the Ashby and USAJOBS bulk recordings `tools.build_ranker` counts words in,
  the first 20,000): each sentence the lexical matcher links to a skill, with the matched
  words cut out, → that skill, so the context has to carry it. Sentences of the skill-linking
  validation split are left out.

One epoch, Adam at 3e-4, batches of 512, seed 0, 5% of the pairs held out to report the fit.
To score the result, put it in place of taxonomy/skill_ranker.npz in a scratch worktree and
run `python -m tools.evaluate skills`. The numbers, the variants tried and why the shipped
ranker is still the distilled one (the role matcher, course relevance and the taxonomy
links share its embedding, and their thresholds were set on it): docs/methodology.md, Skills.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[a-z0-9+#]+")  # transform.linking.tokens.WORD: the run-time tokeniser


def build_pairs(shared: Path, postings: int) -> pl.DataFrame:
    """(text, skill_uri, kind) training pairs; kind: alt, description or context."""
    from schemas.taxonomy import Taxonomy
    from tools.build_ranker import esco_skills, posting_texts
    from transform.linking.skills import extract_skills
    from transform.linking.tokens import NON_WORD, SENTENCE_SPLIT

    skills = esco_skills(shared)
    labels = pl.read_parquet(ROOT / "taxonomy/esco_skill_labels.parquet")
    esco = pl.concat([
        labels.filter(pl.col("kind") != "preferred")
        .select(text="label", skill_uri="skill_uri", kind=pl.lit("alt")),
        skills.select(text="description", skill_uri="skill_uri", kind=pl.lit("description"))
        .drop_nulls("text"),
    ])
    texts = [t for _, t in zip(range(postings), posting_texts(shared), strict=False)]
    held = set()
    for split in ("tech", "house"):
        v = pl.read_csv(shared / f"eval/skill_linking/{split}_validation_annotations.csv")
        held |= {s.strip().lower() for s in v["sentence"].drop_nulls().to_list()}
    sentences = (
        pl.DataFrame({"text": texts}, schema={"text": pl.String})
        .select(text=pl.col("text").str.replace_all(SENTENCE_SPLIT, "\x00").str.split("\x00"))
        .explode("text").select(pl.col("text").str.strip_chars())
        .filter(pl.col("text").str.count_matches(r"\s+") >= 4,
                pl.col("text").str.len_chars() < 400,
                ~pl.col("text").str.to_lowercase().is_in(list(held)))
        .unique(maintain_order=True)
        .with_row_index("sid").with_columns(pl.col("sid").cast(pl.String))
    )
    found = extract_skills(sentences.lazy(), "sid", taxonomy=Taxonomy.shipped(),
                           boilerplate=False).collect()
    norm = sentences.select("sid", norm=pl.col("text").str.to_lowercase()
                            .str.replace_all(NON_WORD, " "))
    context = (
        found.join(norm, on="sid")
        .with_columns(text=pl.struct("norm", "evidence").map_elements(
            lambda r: re.sub(rf"\b{re.escape(r['evidence'] or '')}\b", " ", r["norm"]),
            return_dtype=pl.String))
        .filter(pl.col("text").str.count_matches(r"[a-z]{3,}") >= 3)
        .select("text", "skill_uri", kind=pl.lit("context"))
    )
    return (pl.concat([esco, context])
            .filter(pl.col("skill_uri").is_in(skills["skill_uri"].implode())))


def train(pairs: pl.DataFrame, base: Path, out: Path, *, epochs: int = 1, lr: float = 3e-4,
          tau: float = 0.05, batch: int = 512, seed: int = 0) -> dict:
    """Tune `base`'s word vectors on `pairs` and save the ranker to `out` (same format)."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    rng = np.random.default_rng(seed)
    z = np.load(base, allow_pickle=False)
    vocab = {w: i for i, w in enumerate(z["words"].astype(str))}
    skill_ids = {u: i for i, u in enumerate(z["skill_uris"].astype(str))}
    words0 = z["word_vectors"].astype(np.float32) * z["word_scale"]
    skills = z["skill_vectors"].astype(np.float32) * z["skill_scale"]
    skills /= np.linalg.norm(skills, axis=1, keepdims=True)
    tokens, target = [], []
    for text, uri in pairs.select("text", "skill_uri").iter_rows():
        ids = [vocab[w] for w in WORD.findall((text or "").lower()) if w in vocab]
        if ids and uri in skill_ids:
            tokens.append(ids)
            target.append(skill_ids[uri])
    order = rng.permutation(len(tokens))
    held, fit = order[: len(order) // 20], order[len(order) // 20:]
    bag = torch.nn.EmbeddingBag(len(vocab), words0.shape[1], mode="sum")
    bag.weight.data = torch.tensor(words0)
    s = torch.tensor(skills)
    opt = torch.optim.Adam([bag.weight], lr=lr)

    def loss(ix: np.ndarray) -> tuple:
        flat = torch.tensor([w for i in ix for w in tokens[i]])
        offsets = torch.tensor(np.cumsum([0] + [len(tokens[i]) for i in ix[:-1]]))
        x = torch.nn.functional.normalize(bag(flat, offsets), dim=1) @ s.T
        y = torch.tensor([target[i] for i in ix])
        return torch.nn.functional.cross_entropy(x / tau, y), (x.argmax(1) == y).float()

    def held_out() -> tuple[float, float]:
        with torch.no_grad():
            parts = [loss(held[k:k + 2048]) for k in range(0, len(held), 2048)]
        return (float(np.mean([float(p[0]) for p in parts])),
                float(torch.cat([p[1] for p in parts]).mean()))

    report = {"pairs": len(tokens), "held_out_before": held_out()}
    for _ in range(epochs):
        shuffled = rng.permutation(np.sort(fit))
        for k in range(0, len(shuffled), batch):
            value, _ = loss(shuffled[k:k + batch])
            opt.zero_grad()
            value.backward()
            opt.step()
    report["held_out_after"] = held_out()

    def q(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scale = np.abs(x).max(1, keepdims=True) / 127
        scale[scale == 0] = 1
        return np.round(x / scale).astype(np.int8), scale.astype(np.float32)

    word_vectors, word_scale = q(bag.weight.data.numpy())
    meta = json.loads(str(z["meta"]))
    meta["tuned"] = {"epochs": epochs, "lr": lr, "tau": tau, "batch": batch, "seed": seed,
                     "pairs": len(tokens), "tool": "tools/tune_ranker.py"}
    art = {k: z[k] for k in z.files}
    art.update(word_vectors=word_vectors, word_scale=word_scale, meta=np.array(json.dumps(meta)))
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **art)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="step", required=True)
    a = sub.add_parser("pairs")
    a.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    a.add_argument("--postings", type=int, default=20000)
    a.add_argument("--out", type=Path, default=ROOT / "build/ranker/pairs.parquet")
    t = sub.add_parser("train")
    t.add_argument("--pairs", type=Path, default=ROOT / "build/ranker/pairs.parquet")
    t.add_argument("--base", type=Path, default=ROOT / "taxonomy/skill_ranker.npz")
    t.add_argument("--out", type=Path, default=ROOT / "build/ranker/tuned.npz")
    args = p.parse_args(argv)
    if args.step == "pairs":
        pairs = build_pairs(args.shared, args.postings)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        pairs.write_parquet(args.out)
        print(pairs.group_by("kind").len().sort("kind"), file=sys.stderr)
    else:
        print(json.dumps(train(pl.read_parquet(args.pairs), args.base, args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
