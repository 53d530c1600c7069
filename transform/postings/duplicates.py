"""One canonical posting per job, across sources and nights.

Postings are linked when they share a specific natural URL, or the same normalised content
(title + employer + text) at the same place, or are near-duplicates: MinHash (datasketch)
Jaccard of word 5-gram shingles >= NEAR_DUPLICATE, with the same normalised title, a
compatible employer and the same place. The same ad for two towns is two vacancies.
Linked postings form one canonical posting whose id, first_seen and last_seen persist in the
dedupe state (data/state/, one row per source record; its files and life cycle:
transform/postings/state.py), so a reposted job never counts twice; a record not seen for
REPOST_WINDOW_DAYS keeps its exact keys only (no signature: near-duplicates are looked for
among recent records alone).

A night reads only the part of the state it can link to (`lookup`): the records sharing one
of its exact keys or an LSH band with it, and every record of the canonical postings those
belong to. `resolve` links the night against that part exactly as it would against the
whole state (see `lookup` for why), and `changed` says which rows the night rewrote.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as date_cls
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import polars as pl
from datasketch import MinHash, MinHashLSH

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
# Read only by the near-duplicate search, so a record outside the window keeps none of them.
NEAR_DUPLICATE_COLUMNS = ("signature", "title_key", "employer_key")

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
    and the text's MinHash signature, for a whole night: `record_keys`, then
    `drop_shared_urls`."""
    return drop_shared_urls(record_keys(frame))


def record_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """`with_keys` but the night-wide URL rule: each record's keys from its own fields, so
    shards of a night can key their records apart. Per distinct value: the Python steps (URL
    parsing, SHA-1) run once per distinct URL or content, the signatures in numpy batches."""
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
    ).drop("text_key")


def drop_shared_urls(frame: pl.DataFrame) -> pl.DataFrame:
    """A URL several records of one source share in the night (a careers home page) is no
    id: their url_key becomes null."""
    return frame.with_columns(
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


@lru_cache(maxsize=1)
def lsh_columns() -> tuple[str, ...]:
    """The stored band key columns, one per LSH band: lsh_0, lsh_1, ..."""
    return tuple(f"lsh_{k}" for k in range(len(_lsh_bands())))


LSH_BLOCK = 100_000  # signatures hashed at once


def lsh_keys(signature: pl.Series) -> pl.DataFrame:
    """Per LSH band, a 64-bit hash of each signature's band values (null without a
    signature). Two signatures that share a band share its key, so the state can store the
    keys and a night can find the records that share a band with its own by equality on
    narrow columns, without reading the window's signatures. (Two different bands may
    share a key too, rarely: such extra candidates are dropped by the exact band check of
    `near_duplicate_candidates`.)"""
    names = lsh_columns()
    parts = []
    for start in range(0, len(signature), LSH_BLOCK):
        block = signature.slice(start, LSH_BLOCK)
        present = block.is_not_null().to_numpy()
        values = np.zeros((len(block), len(names)), dtype=np.uint64)
        if present.any():
            sig = np.frombuffer(b"".join(block.drop_nulls().to_list()), "<u4").reshape(
                -1, NUM_PERM).astype(np.uint64)
            for k, (lo, hi) in enumerate(_lsh_bands()):
                h = np.full(len(sig), 0xCBF29CE484222325, dtype=np.uint64)  # FNV-1a, per word
                for c in range(lo, hi):
                    h = (h ^ sig[:, c]) * np.uint64(0x100000001B3)
                values[present, k] = h ^ (h >> np.uint64(29))
        parts.append(pl.DataFrame({n: values[:, k] for k, n in enumerate(names)}).with_columns(
            pl.when(pl.Series(present)).then(pl.col(n)).alias(n) for n in names))
    if not parts:
        return pl.DataFrame(schema={n: pl.UInt64() for n in names})
    return pl.concat(parts)


def near_duplicate_candidates(rows: pl.DataFrame) -> list[tuple[int, int]]:
    """Row pairs (i, j), i a row of the night (`in_batch`), j any other `recent` row with a
    signature, that share an LSH band (as datasketch's MinHashLSH would return them), have
    the same title key, compatible employers and estimated Jaccard >= NEAR_DUPLICATE; sorted
    by i, then j. Vectorised: band keys and the pair checks in Polars and numpy. The title
    and employer are part of each band's join, so a text many employers post (or one
    employer under many titles) gives no pairs that would be dropped: pairs grow with the
    copies of one ad by one employer, not with all copies of it."""
    usable = rows.with_row_index("i").filter(pl.col("recent") & pl.col("signature").is_not_null())
    if usable.height < 2:
        return []
    sig = np.frombuffer(b"".join(usable["signature"].to_list()), "<u4").reshape(
        usable.height, NUM_PERM)
    idx = usable["i"].to_numpy()
    # Null title keys match each other (eq_missing), never a text: a key no words can make.
    match = usable.select(title=pl.col("title_key").fill_null("\x00"),
                          employer=pl.col("employer_key").fill_null(""),
                          in_batch="in_batch")
    pairs = []
    for start, end in _lsh_bands():
        band = np.ascontiguousarray(sig[:, start:end]).view(np.uint64)  # exact band values
        frame = match.with_columns(row=pl.int_range(pl.len(), dtype=pl.UInt32),
                                   **{f"k{c}": band[:, c] for c in range(band.shape[1])})
        on = ["title", *(f"k{c}" for c in range(band.shape[1]))]
        left = frame.filter("in_batch").select(*on, "employer", a="row")
        right = frame.select(*on, "employer", b="row")
        known = pl.col("employer") != ""
        pairs += [  # employers compatible: the same (or both unknown), or one unknown
            left.join(right, on=[*on, "employer"]).select("a", "b"),
            left.filter(~known).join(right.filter(known), on=on).select("a", "b"),
            left.filter(known).join(right.filter(~known), on=on).select("a", "b")]
    found = pl.concat(pairs).filter(pl.col("a") != pl.col("b")).unique()
    a, b = found["a"].to_numpy(), found["b"].to_numpy()
    same = np.concatenate([  # = similarity() of each pair, a block of pairs at a time
        (sig[a[k:k + LSH_BLOCK]] == sig[b[k:k + LSH_BLOCK]]).sum(axis=1) / NUM_PERM
        for k in range(0, len(a), LSH_BLOCK)] or [np.zeros(0)])
    found = (found.with_columns(i=pl.Series(idx[a]), j=pl.Series(idx[b]))
             .filter(pl.Series(same >= NEAR_DUPLICATE)).sort("i", "j"))
    return list(zip(found["i"].to_list(), found["j"].to_list(), strict=True))


@dataclass
class DedupResult:
    members: pl.DataFrame  # the night's postings: posting_id, canonical_id, first/last seen
    state: pl.DataFrame  # the state rows read (all, or lookup's) and the night's, updated
    links: dict[str, int]  # pairs linked, by kind of evidence
    before: pl.DataFrame | None = None  # the state rows read, as they were (lookup's)


def empty_state() -> pl.DataFrame:
    """The state before the first night: nothing seen."""
    return pl.DataFrame(schema=STATE_SCHEMA)


def read_state_file(path: Path) -> pl.DataFrame:
    """A single-file state, as older versions wrote it (transform/postings/state.py reads it
    once, to migrate)."""
    return pl.read_parquet(path).select(STATE_SCHEMA.names()).cast(dict(STATE_SCHEMA))


def stored(state: pl.DataFrame) -> pl.DataFrame:
    """State rows as the state's files hold them: STATE_SCHEMA and the LSH band keys."""
    state = state.select(STATE_SCHEMA.names())
    return state.hstack(lsh_keys(state["signature"]))


def exact_only(state: pl.DataFrame) -> pl.DataFrame:
    """Stored rows of records outside the near-duplicate window: exact keys only (their
    signature, title and employer keys and band keys are never read again)."""
    return state.with_columns(pl.lit(None, dtype=state.schema[c]).alias(c)
                              for c in (*NEAR_DUPLICATE_COLUMNS, *lsh_columns()))


# A state reader (transform/postings/state.py, Snapshot.select): the rows matching a
# predicate, with the given columns (default: STATE_SCHEMA) and `segment` (the file holding
# the row), only from months last seen >= `since` ("YYYY-MM") when given.
Select = Callable[..., pl.DataFrame]


def _ids(values: set[str] | pl.Series) -> pl.Expr:
    return pl.Series(sorted(values), dtype=pl.String).implode() if isinstance(values, set) \
        else values.implode()


def lookup(select: Select, batch: pl.DataFrame, day: date_cls) -> pl.DataFrame:
    """The rows of the state night `day` can link to, with their `segment`: `resolve` gives
    the same canonical ids and dates against them as against the whole state.

    Read: the records of the night's posting ids, those sharing its URL or content keys, those
    sharing the URL or content key a record of the night had before (a record seen again with
    an edited text leaves that group, whose other members may then link differently), those
    seen within the window sharing an LSH band key with one of its signatures; then every
    record of the canonical postings these belong to (repeated until no new one appears).

    Why that is enough: in a state written by `resolve`, records that share a URL or content
    key are linked only within one canonical posting (those links were made when it was
    written, and the same rows in the same order give the same links). A key group the night
    does not change links the same rows again, so a set of whole canonical postings gives the
    links the whole state would among them; the groups the night changes are read whole;
    near-duplicate pairs always include a record of the night and share a band with it."""
    window = day - timedelta(days=REPOST_WINDOW_DAYS)
    ids = batch["posting_id"].unique()
    urls = batch["url_key"].drop_nulls().unique()
    contents = batch["content_key"].drop_nulls().unique()
    hit = select(pl.col("posting_id").is_in(_ids(ids)) | pl.col("url_key").is_in(_ids(urls))
                 | pl.col("content_key").is_in(_ids(contents)),
                 ["posting_id", "url_key", "content_key", "canonical_id"])
    again = hit.filter(pl.col("posting_id").is_in(_ids(ids)))
    left_urls = set(again["url_key"].drop_nulls().to_list()) - set(urls.to_list())
    left_contents = set(again["content_key"].drop_nulls().to_list()) - set(contents.to_list())
    canonical = set(hit["canonical_id"].to_list())
    bands = lsh_keys(batch["signature"]).drop_nulls()
    if bands.height:
        near = select((pl.col("last_seen") >= window) & pl.any_horizontal(
            pl.col(c).is_in(bands[c].unique().implode()) for c in lsh_columns()),
            ["posting_id", "canonical_id"], since=window.strftime("%Y-%m"))
        canonical |= set(near["canonical_id"].to_list())
    wanted = pl.col("canonical_id").is_in(_ids(canonical))
    if left_urls or left_contents:
        wanted = (wanted | pl.col("url_key").is_in(_ids(left_urls))
                  | pl.col("content_key").is_in(_ids(left_contents)))
    rows = select(wanted)
    while True:  # whole canonical postings of the records the left groups brought
        more = set(rows["canonical_id"].to_list()) - canonical
        if not more:
            break
        canonical |= more
        rows = pl.concat([rows, select(pl.col("canonical_id").is_in(_ids(more)))]).unique(
            "posting_id", keep="first", maintain_order=True)
    return rows.sort("posting_id").with_columns(
        signature=pl.when(pl.col("last_seen") >= window).then("signature"))


def changed(after: pl.DataFrame, before: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows to write, (segment, posting_id) of the stored rows they replace): the rows of
    `after` (resolve's state) new or different from `before` (lookup's rows)."""
    cols = STATE_SCHEMA.names()
    old = before.select(*cols, "segment", known=pl.lit(True)).rename(
        {c: f"{c}:before" for c in cols[1:]})
    both = after.select(cols).join(old, on="posting_id", how="left")
    differs = pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}:before")) for c in cols[1:])
    rows = both.filter(pl.col("known").is_null() | differs)
    return rows.select(cols), rows.filter(pl.col("segment").is_not_null()).select(
        "segment", "posting_id")


def resolve(batch: pl.DataFrame, state: pl.DataFrame, day: date_cls) -> DedupResult:
    """Link the night's postings (with_keys applied, unique posting_id) to each other and to
    the postings seen before (`state`: all of them, or the rows `lookup` read); return
    canonical ids and first/last seen dates, and `state` with the night's records."""
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
