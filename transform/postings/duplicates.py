"""One canonical posting per job, across sources and nights.

Postings are linked when they share a specific natural URL, or the same normalised content
(title + employer + text) at the same place, or are near-duplicates: MinHash (datasketch)
Jaccard of word 5-gram shingles >= NEAR_DUPLICATE, with the same normalised title, a
compatible employer and the same place. The same ad for two towns is two vacancies.
Linked postings form one canonical posting whose id, first_seen and last_seen persist in a
small state file (data/state/postings_seen.parquet), one row per source record, so a
reposted job never counts twice; a record not seen for REPOST_WINDOW_DAYS keeps its exact keys
only (no signature: near-duplicates are looked for among recent records alone).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import date as date_cls
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import polars as pl
from datasketch import MinHash, MinHashLSH

from schemas.files import atomic_write
from schemas.layout import DataLayout
from transform.fields.distinct import map_distinct, per_distinct

NUM_PERM = 64  # MinHash permutations: 256 bytes of signature per posting
SHINGLE = 5  # words per shingle
MAX_SHINGLES = 1000  # of the text's start: long legal footers add cost, not evidence
LSH_THRESHOLD = 0.7  # candidate pairs from LSH bands (then verified on the signature)
NEAR_DUPLICATE = 0.8  # estimated Jaccard of shingles that makes two postings one job
REPOST_WINDOW_DAYS = 180  # near-duplicates are looked for among records seen this recently
MIN_TOKENS = 30  # shorter texts are too thin for near-duplicate evidence (exact keys still work)
SEED = 1
SCHEME = "affine32"  # datasketch 2 hashing scheme of the stored signatures

STATE_SCHEMA = pl.Schema({
    "posting_id": pl.String(), "canonical_id": pl.String(), "source": pl.String(),
    "record_id": pl.String(), "url_key": pl.String(), "content_key": pl.String(),
    "title_key": pl.String(), "employer_key": pl.String(), "location_key": pl.String(),
    "signature": pl.Binary(), "first_seen": pl.Date(), "last_seen": pl.Date(),
})

_WORDS = r"[\p{L}\p{N}]+"
_NON_WORD = re.compile(r"[\W_]+")
_TRACKING = re.compile(r"^(utm_|gh_src|source|ref|lever-|src)", re.I)


def words_expr(col: str) -> pl.Expr:
    """Lower-case words (letters and digits) joined by single spaces: the form keys compare."""
    return pl.col(col).fill_null("").str.to_lowercase().str.extract_all(_WORDS).list.join(" ")


def url_key(url: str | None) -> str | None:
    """A URL without scheme, port, 'www.', trailing slash or tracking parameters: the same
    vacancy page however a board links it."""
    if not url or "://" not in url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k))
    path = parts.path.rstrip("/")
    if not host or (not path and not query):
        return None
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def with_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the keys duplicates are found by (url_key, content_key, title/employer/location)
    and the text's MinHash signature. Per distinct value: the Python steps (URL parsing,
    SHA-1) run once per distinct URL or content, the signatures in numpy batches."""
    frame = frame.with_columns(
        title_key=words_expr("title"),
        employer_key=words_expr("company"),
        location_key=words_expr("location"),
        text_key=words_expr("text"),
    ).with_columns(
        content_key=pl.concat_str(["title_key", "employer_key", "text_key"], separator="\x1f"),
    )
    return frame.with_columns(
        map_distinct(frame, ["url"], url_key, {"url_key": pl.String()}).to_series(),
        map_distinct(frame, ["content_key"], _content_hash,
                     {"content_key": pl.String()}).to_series(),
        per_distinct(frame, ["text_key"],
                     lambda d: signatures(d["text_key"]).to_frame("signature")).to_series(),
    ).drop("text_key").with_columns(
        # A URL several records of one source share (a careers home page) is no id.
        url_key=pl.when(pl.col("record_id").n_unique().over("source", "url_key") == 1)
        .then("url_key"),
    )


def _content_hash(content: str) -> str:
    return hashlib.sha1(content.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations (a, b) for NUM_PERM and SEED, drawn once."""
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme=SCHEME).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch's affine32 scheme pre-mixes inputs."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


BATCH_SHINGLES = 1 << 18  # shingles hashed at once (x NUM_PERM x 4 bytes: 64 MiB)


SIGNATURE_TEXTS = 2000  # texts split into words at once


def signatures(text_keys: pl.Series) -> pl.Series:
    """`signature` of each text key (words joined by single spaces), vectorised: the same
    bytes as datasketch's MinHash (affine32, identity hash of each shingle) would give,
    since a signature is the minimum over the shingles of each permuted, pre-mixed hash.
    In blocks of SIGNATURE_TEXTS texts: memory bounded by the block, not the night."""
    parts = [_signatures(text_keys.slice(i, SIGNATURE_TEXTS))
             for i in range(0, len(text_keys), SIGNATURE_TEXTS)]
    return pl.concat(parts) if parts else pl.Series([], dtype=pl.Binary)


def _signatures(text_keys: pl.Series) -> pl.Series:
    words = pl.DataFrame({"w": text_keys}).select(
        words=pl.when(pl.col("w") != "").then(pl.col("w").str.split(" ")).otherwise([]))
    lengths = words["words"].list.len().to_numpy().astype(np.int64)
    usable = lengths >= MIN_TOKENS
    out: list[bytes | None] = [None] * len(lengths)
    rows = np.flatnonzero(usable)
    if len(rows) == 0:
        return pl.Series(out, dtype=pl.Binary)
    kept = words["words"].gather(rows).list.head(MAX_SHINGLES + SHINGLE - 1)
    flat = kept.explode().to_frame("t")
    distinct = flat.unique("t")
    distinct = distinct.with_columns(
        id=pl.Series([zlib.crc32(t.encode()) for t in distinct["t"]], dtype=pl.UInt64))
    ids = flat.join(distinct, on="t", how="left", maintain_order="left")["id"].to_numpy()
    n_tok = np.minimum(lengths[rows], MAX_SHINGLES + SHINGLE - 1)
    total = len(ids) - SHINGLE + 1
    shingles = np.zeros(total, dtype=np.uint64)
    for j in range(SHINGLE):  # polynomial combination of the words of each shingle
        shingles = (shingles * _MULT + ids[j: j + total]) & np.uint64(0xFFFFFFFF)
    # A text's shingles start where its words start; the last SHINGLE - 1 positions of each
    # text would run into the next one.
    n_sh = n_tok - SHINGLE + 1
    pos = np.arange(total) - np.repeat(np.cumsum(n_tok) - n_tok, n_tok)[:total]
    hv = _fmix32(shingles[pos < np.repeat(n_sh, n_tok)[:total]].astype(np.uint32))
    ends = np.cumsum(n_sh)
    a, b = _permutations()
    a, b = a[:, None], b[:, None]
    doc = 0
    while doc < len(rows):  # texts in batches of about BATCH_SHINGLES shingles
        first = ends[doc] - n_sh[doc]
        end = max(doc + 1, int(np.searchsorted(ends, first + BATCH_SHINGLES, side="right")))
        phv = a * hv[None, first:ends[end - 1]] + b  # (NUM_PERM, shingles)
        mins = np.minimum.reduceat(phv, ends[doc:end] - n_sh[doc:end] - first, axis=1)
        mins = np.ascontiguousarray(mins.T).astype("<u4")
        for k, d in enumerate(range(doc, end)):
            out[rows[d]] = mins[k].tobytes()
        doc = end
    return pl.Series(out, dtype=pl.Binary)


_MULT = np.uint64(0x9E3779B1)


def signature(text_key: str) -> bytes | None:
    """MinHash signature of the text's word 5-gram shingles (little-endian uint32), or None
    when the text is too short to say anything."""
    return signatures(pl.Series([text_key], dtype=pl.String))[0]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")))


class _Components:
    """Union-find over row numbers."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _same_place(a: str, b: str) -> bool:
    """Location keys agree: one's words contain the other's ("new york" and "new york ny"),
    or one is unknown. "walsall" and "sandwell" do not: those are two vacancies."""
    if not a or not b or a == b:
        return True
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def _lsh_bands() -> list[tuple[int, int]]:
    """The (start, end) signature ranges of datasketch's MinHashLSH bands for LSH_THRESHOLD."""
    return MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges


def near_duplicate_candidates(rows: pl.DataFrame) -> list[tuple[int, int]]:
    """Row pairs (i, j), i a row of the night (`in_batch`), j any other `recent` row with a
    signature, that share an LSH band (as datasketch's MinHashLSH would return them), have
    the same title key, compatible employers and estimated Jaccard >= NEAR_DUPLICATE; sorted
    by i, then j. Vectorised: band keys and the pair checks in Polars and numpy."""
    usable = rows.with_row_index("i").filter(pl.col("recent") & pl.col("signature").is_not_null())
    if usable.height < 2:
        return []
    sig = np.frombuffer(b"".join(usable["signature"].to_list()), "<u4").reshape(
        usable.height, NUM_PERM)
    idx = usable["i"].to_numpy()
    batch = usable["in_batch"].to_numpy()
    pairs = []
    for start, end in _lsh_bands():
        band = np.ascontiguousarray(sig[:, start:end]).view(np.uint64)  # exact band values
        keys = pl.DataFrame({f"k{c}": band[:, c] for c in range(band.shape[1])})
        frame = keys.with_columns(row=pl.int_range(pl.len(), dtype=pl.UInt32),
                                  in_batch=pl.Series(batch))
        on = [f"k{c}" for c in range(band.shape[1])]
        pairs.append(frame.filter("in_batch").select(*on, a="row")
                     .join(frame.select(*on, b="row"), on=on).select("a", "b")
                     .filter(pl.col("a") != pl.col("b")))
    found = pl.concat(pairs).unique()
    a, b = found["a"].to_numpy(), found["b"].to_numpy()
    same = (sig[a] == sig[b]).sum(axis=1) / NUM_PERM  # = similarity() of each pair
    found = found.with_columns(i=pl.Series(idx[a]), j=pl.Series(idx[b]),
                               ok=pl.Series(same >= NEAR_DUPLICATE))
    keys = usable.select("title_key", employer=pl.col("employer_key").fill_null(""))
    found = found.filter("ok")
    a, b = found["a"], found["b"]
    found = (found.with_columns(ti=keys["title_key"].gather(a), tj=keys["title_key"].gather(b),
                                ei=keys["employer"].gather(a), ej=keys["employer"].gather(b))
             .filter(pl.col("ti").eq_missing(pl.col("tj"))
                     & ((pl.col("ei") == "") | (pl.col("ej") == "")
                        | (pl.col("ei") == pl.col("ej"))))
             .sort("i", "j"))
    return list(zip(found["i"].to_list(), found["j"].to_list(), strict=True))


@dataclass
class DedupResult:
    members: pl.DataFrame  # the night's postings: posting_id, canonical_id, first/last seen
    state: pl.DataFrame  # every source record ever seen, as written to the state file
    links: dict[str, int]  # pairs linked, by kind of evidence


def read_state(data_dir: Path | None) -> pl.DataFrame:
    """Every source record seen so far under data_dir (empty for None or a first run)."""
    path = DataLayout(data_dir).seen_postings if data_dir is not None else None
    if path is None or not path.exists():
        return pl.DataFrame(schema=STATE_SCHEMA)
    return pl.read_parquet(path).select(STATE_SCHEMA.names()).cast(dict(STATE_SCHEMA))


def read_state_file(path: Path) -> pl.DataFrame:
    """A state file (the current one or a night's snapshot, transform/postings/state.py)."""
    return pl.read_parquet(path).select(STATE_SCHEMA.names()).cast(dict(STATE_SCHEMA))


def write_state(data_dir: Path, state: pl.DataFrame) -> None:
    """Sorted, then written through a temporary file and a rename (never half a state)."""
    import io

    buf = io.BytesIO()
    state.select(STATE_SCHEMA.names()).sort("posting_id").write_parquet(buf)
    atomic_write(DataLayout(data_dir).seen_postings, buf.getvalue())


def resolve(batch: pl.DataFrame, state: pl.DataFrame, day: date_cls) -> DedupResult:
    """Link the night's postings (with_keys applied, unique posting_id) to each other and to
    every posting seen before; return canonical ids and first/last seen dates."""
    cols = [c for c in STATE_SCHEMA.names() if c not in ("canonical_id", "first_seen",
                                                         "last_seen")]
    new = batch.select(cols).join(
        state.select("posting_id", "canonical_id", "first_seen", "last_seen"),
        on="posting_id", how="left")
    new = new.with_columns(
        first_seen=pl.min_horizontal(pl.col("first_seen"), pl.lit(day)),
        last_seen=pl.max_horizontal(pl.col("last_seen"), pl.lit(day)),
        in_batch=pl.lit(True),
    )
    old = state.filter(~pl.col("posting_id").is_in(batch["posting_id"].implode())) \
        .with_columns(in_batch=pl.lit(False))
    rows = pl.concat([new, old.select(new.columns)]).sort("posting_id")
    n = rows.height
    uf = _Components(n)
    links = {"canonical": 0, "url": 0, "content": 0, "near_duplicate": 0}

    places = rows["location_key"].to_list()

    def link_groups(key: str, kind: str, by_place: bool = False) -> None:
        """Link rows sharing `key` (with by_place: only rows at the same place)."""
        groups = (rows.with_row_index("i").filter(pl.col(key).is_not_null())
                  .group_by(key).agg(pl.col("i").sort()).filter(pl.col("i").list.len() > 1)
                  .sort(key))
        for members in groups["i"].to_list():
            heads: list[int] = []  # one row per distinct place seen in the group
            for j in members:
                head = next((h for h in heads
                             if not by_place or _same_place(places[h], places[j])), None)
                if head is None:
                    heads.append(j)
                    continue
                if uf.find(head) != uf.find(j):
                    links[kind] += 1
                uf.union(head, j)

    link_groups("canonical_id", "canonical")
    link_groups("url_key", "url")
    link_groups("content_key", "content", by_place=True)

    recent = rows["in_batch"] | (rows["last_seen"] >= day - timedelta(days=REPOST_WINDOW_DAYS))
    for i, j in near_duplicate_candidates(rows.select("signature", "in_batch", "title_key",
                                                     "employer_key", recent=recent)):
        if uf.find(i) == uf.find(j) or not _same_place(places[i], places[j]):
            continue
        links["near_duplicate"] += 1
        uf.union(i, j)

    rows = rows.with_columns(component=pl.Series([uf.find(i) for i in range(n)],
                                                 dtype=pl.UInt32))
    # A component keeps the canonical id it had (the earliest seen, if it merged several);
    # a new one takes the id of its first-seen member (smallest posting_id on ties).
    had = (rows.filter(pl.col("canonical_id").is_not_null())
           .group_by("component", "canonical_id").agg(pl.col("first_seen").min())
           .sort("first_seen", "canonical_id").unique("component", keep="first")
           .select("component", "canonical_id"))
    fresh = (rows.sort("first_seen", "posting_id").unique("component", keep="first")
             .select("component", pl.col("posting_id").alias("fresh_id")))
    span = rows.group_by("component").agg(canonical_first_seen=pl.col("first_seen").min(),
                                          canonical_last_seen=pl.col("last_seen").max())
    rows = (rows.drop("canonical_id")
            .join(had, on="component", how="left").join(fresh, on="component")
            .join(span, on="component")
            .with_columns(canonical_id=pl.coalesce("canonical_id", "fresh_id"))
            .sort("posting_id"))
    members = rows.filter("in_batch").select(
        "posting_id", "canonical_id", first_seen="canonical_first_seen",
        last_seen="canonical_last_seen")
    # Records not seen within the near-duplicate window keep their exact keys only: their
    # signature is never read again (a record seen again brings a new one).
    window = day - timedelta(days=REPOST_WINDOW_DAYS)
    state = rows.with_columns(signature=pl.when(pl.col("last_seen") >= window)
                              .then("signature")).select(STATE_SCHEMA.names())
    return DedupResult(members=members, state=state, links=links)
