"""What every connector is: a name, a kind (which staged table it fills: its schema), a live
URL, how to split a payload, how to map a record.

The staged table of a connector's kind (schemas/tables.py) is its contract: `row` may produce
only the staged columns a connector maps (`fields`: every staged column but those the runner
sets from the configuration, `RUNNER_COLUMNS`), and each value is brought to its column's type.
A key outside the contract is a bug of the connector's mapping code, not of the data: it raises
ContractError naming the connector and the keys, instead of disappearing."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from extract.paginators import Paginator, Request, origin, same_origin
from extract.partition import Partition
from schemas.tables import STAGED_COURSES, STAGED_POSTINGS, Table

if TYPE_CHECKING:
    from extract.http import Client

# The staged table each kind of connector fills: its contract.
STAGED_TABLES: dict[str, Table] = {"jobs": STAGED_POSTINGS, "courses": STAGED_COURSES}
# Staged columns extract/run.py sets from the configuration; a connector never maps them.
RUNNER_COLUMNS = frozenset({"source", "partition", "sector"})


class PayloadError(ValueError):
    """A payload does not have the shape its connector expects (it goes to quarantine)."""


class ContractError(TypeError):
    """A connector's mapping code produced a key its staged table does not have: a bug of the
    connector, not of the payload, so it is not contained like one (the source fails, and the
    message names the connector and the keys)."""


@dataclass
class Rejected:
    """A record of a usable payload that could not be mapped (quarantined alone)."""

    index: int
    record: Any
    reason: str


# A title a publisher left as a placeholder ("test", "Untitled", "TBD"): not a real record.
_PLACEHOLDER_TITLE = re.compile(
    r"(?:tests?\d*|test (?:course|job|posting|record)|untitled|tb[ad]|placeholder"
    r"|sample|dummy|lorem ipsum.*|n/?a|none|null|-+)", re.IGNORECASE)


def placeholder_problem(row: Mapping[str, Any]) -> str | None:
    """Why a staged row is a placeholder rather than a record (its title is one), or None."""
    title = row.get("title")
    if isinstance(title, str) and _PLACEHOLDER_TITLE.fullmatch(title.strip()):
        return f"placeholder title {title.strip()!r}: not a real record"
    return None


def describe(exc: BaseException) -> str:
    """'<exception type>: <message>', cut to a readable length."""
    return f"{type(exc).__name__}: {exc}"[:500]


@dataclass
class Payload:
    """One response body as received, with what the sidecar records about it."""

    name: str
    body: bytes
    meta: dict[str, Any] = field(default_factory=dict)
    index: bool = False  # a listing page: landed, read for links, holds no records


@dataclass
class Failure:
    """A request of a partition that failed; the others go on."""

    name: str
    error: str


class Connector:
    """A source of job postings or courses. Subclasses set `name`, `kind` (its staged
    table, `schema`), `url_template` and, when the source pages, a `paginator`
    (extract/paginators.py), and override `records` (payload -> raw records) and `row` (raw
    record -> staged columns); scrapers override `fetch`."""

    name: ClassVar[str]
    kind: ClassVar[str] = "jobs"  # or "courses": a key of STAGED_TABLES
    url_template: ClassVar[str | None] = None
    paginator: ClassVar[Paginator | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind not in STAGED_TABLES:
            raise TypeError(f"connector {cls.__name__}: kind {cls.kind!r} is not one of "
                            f"{', '.join(sorted(STAGED_TABLES))}")

    def url(self, partition: Partition) -> str | None:
        """The live URL of a partition (a `url` parameter overrides the connector's template),
        or None when the source has no live endpoint."""
        if partition.params.get("url"):
            return str(partition.params["url"])
        if self.url_template is None:
            return None
        return self.url_template.format(**partition.params)

    def next_request(self, request: Request, body: bytes,
                     headers: Mapping[str, str] | None = None) -> Request | None:
        """The request after `request`, whose answer was `body`: the connector's `paginator`
        on the decoded JSON payload (None when it does not decode) and the headers; None when
        the connector has no paginator or this was the last page."""
        if self.paginator is None:
            return None
        try:
            payload = load_json(body)
        except PayloadError:  # the parser quarantines the page; a Link header may still do
            payload = None
        return self.paginator.next_request(request, payload, headers)

    def fetch(self, partition: Partition, client: Client) -> Iterator[Payload | Failure]:
        """Fetch a partition live: its URL, then the pages its paginator names, up to the
        policy's cap, each only on the scheme, host and port of the page before. Raises
        FetchError when the first page cannot be had."""
        from extract.http import FetchError

        url = self.url(partition)
        if url is None:
            raise FetchError(f"{self.name}: partition {partition.key!r} has no live URL and "
                             "no replay file")
        headers = self.headers(partition)
        request: Request | None = Request(url)
        while request is not None and request.page <= client.policy.max_pages:
            page = request.page
            name = partition.key if page == 1 else f"{partition.key}-p{page}"
            try:
                response = client.get(request.url, headers=headers)
            except FetchError as exc:
                if page == 1:
                    raise
                yield Failure(name, str(exc))
                return
            yield Payload(name, response.content, client.meta(response))
            try:
                following = self.next_request(request, response.content, response.headers)
            except Exception:  # any: an unreadable page is quarantined by the parser; stop
                following = None
            if following is not None and not same_origin(following.url, request.url):
                yield Failure(f"{partition.key}-p{page + 1}",
                              f"next page {following.url[:200]!r} is not on "
                              f"{origin(request.url)}: not followed")
                return
            request = following

    def headers(self, partition: Partition) -> dict[str, str]:
        """Extra request headers (credentials); raise FetchError when a required one is unset."""
        return {}

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def row(self, record: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def schema(self) -> Table:
        """The staged table this connector fills (its contract)."""
        return STAGED_TABLES[self.kind]

    @property
    def fields(self) -> tuple[str, ...]:
        """The staged columns `row` may produce, in the staged table's order."""
        return tuple(name for name, _ in _COERCERS[self.kind])

    def check_keys(self, row: dict[str, Any]) -> None:
        """ContractError when `row` has a key outside `fields` (a mapping bug)."""
        unknown = row.keys() - _ALLOWED[self.kind]
        if unknown:
            table = STAGED_TABLES[self.kind]
            raise ContractError(
                f"connector {self.name!r} maps key(s) {', '.join(sorted(map(repr, unknown)))} "
                f"that {table.name} does not have (schemas/tables.py); its columns: "
                f"{', '.join(self.fields)}")

    def parse(self, body: bytes) -> list[dict[str, Any]]:
        """All staged rows of one payload; raises PayloadError when the payload is unusable
        or any record cannot be mapped (see `parse_records` to keep the good ones)."""
        rows, rejected = self.parse_records(body)
        if rejected:
            raise PayloadError(f"{self.name}: record {rejected[0].index}: {rejected[0].reason}")
        return rows

    def parse_records(self, body: bytes) -> tuple[list[dict[str, Any]], list[Rejected]]:
        """The staged rows of one payload, and the records that could not be mapped (each
        with its reason); raises PayloadError when the payload as a whole is unusable. Any
        exception the data causes is contained: nothing but PayloadError leaves this method,
        except ContractError when `row` itself maps a key outside `fields` (a bug)."""
        coercers = _COERCERS[self.kind]
        rows: list[dict[str, Any]] = []
        rejected: list[Rejected] = []
        try:
            for i, record in enumerate(self.records(body)):
                try:
                    row = self.row(record)
                    if not isinstance(row, dict):
                        raise TypeError(f"row is a {type(row).__name__}")
                except Exception as exc:  # any: one record never costs its payload
                    rejected.append(Rejected(i, record, describe(exc)))
                    continue
                self.check_keys(row)  # outside the record's containment: a bug, not data
                try:
                    staged = {f: coerce(row.get(f)) for f, coerce in coercers}
                except Exception as exc:  # any: one record never costs its payload
                    rejected.append(Rejected(i, record, describe(exc)))
                    continue
                problem = placeholder_problem(staged)
                if problem is not None:
                    rejected.append(Rejected(i, record, problem))
                    continue
                rows.append(staged)
        except (PayloadError, ContractError):
            raise
        except Exception as exc:  # any: a payload that cannot be read is quarantined
            raise PayloadError(f"{self.name}: {describe(exc)}") from exc
        return rows, rejected


class JSONConnector(Connector):
    """A source whose payload is JSON with the records in a list under `records_key`
    (None: the payload itself is a JSON array)."""

    records_key: ClassVar[str | None] = "jobs"
    bare_list_ok: ClassVar[bool] = False  # recorders sometimes keep only the list

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        doc = load_json(body)
        if isinstance(doc, list) and (self.records_key is None or self.bare_list_ok):
            yield from doc
        elif self.records_key is None:
            raise PayloadError(f"expected a JSON array, got {type(doc).__name__}")
        else:
            yield from expect(doc, self.records_key, list)


class CSVConnector(Connector):
    """A source whose payload is a CSV file with a header row."""

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        yield from read_csv_rows(body)


# ---------- helpers shared by connectors


MAX_JSON_DEPTH = 64
MAX_JSON_NUMBER = 1e21  # larger magnitudes are no salary, date or id a source sends


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_JSON_NUMBER:
        raise PayloadError(f"JSON number {text[:40]} is out of range")
    return value


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 21:
        raise PayloadError(f"JSON number {text[:40]}... is out of range")
    return int(text)


def _json_constant(name: str) -> Any:
    raise PayloadError(f"JSON constant {name} is not allowed")


def json_depth_ok(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether no array/object in `text` nests deeper than `limit` (brackets inside strings
    are skipped; cheap: it only looks at the bracket and quote characters)."""
    if text.count("[") + text.count("{") <= limit:
        return True
    import re

    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return False
        elif c in "]}":
            depth -= 1
    return True


def load_json(body: bytes | str) -> Any:
    """Decode a JSON payload (UTF-8, with or without BOM), refusing nesting deeper than
    MAX_JSON_DEPTH and numbers outside +-MAX_JSON_NUMBER (more than 21 digits; NaN and
    Infinity included)."""
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    except UnicodeDecodeError as exc:
        raise PayloadError(f"payload is not UTF-8: {exc}") from exc
    if not json_depth_ok(text):
        raise PayloadError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_float=_json_float, parse_int=_json_int,
                          parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"payload is not valid JSON (truncated?): {exc}") from exc
    except RecursionError as exc:
        raise PayloadError(f"JSON nested too deep: {exc}") from exc
    except ValueError as exc:  # int() of a huge literal
        raise PayloadError(f"JSON number out of range: {exc}") from exc


# A mapped value in its staged column's type (String, Boolean, Float64 or a list of strings),
# so building the staged table never fails on a hostile value: a value of another shape
# becomes text (String columns) or null.


def _as_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _as_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def _as_strings(value: Any) -> list[str | None] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    return [v if v is None or isinstance(v, str) else json.dumps(v, default=str)
            for v in items]


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | bool):
        return str(value)
    return json.dumps(value, default=str, ensure_ascii=False)


def _coercer(table: Table, name: str, dtype: pl.DataType) -> Any:
    if dtype == pl.String:
        return _as_text
    if dtype == pl.Boolean:
        return _as_bool
    if dtype == pl.Float64:
        return _as_float
    if dtype == pl.List(pl.String):
        return _as_strings
    raise TypeError(f"{table.name}.{name}: connectors cannot stage a {dtype} column yet "
                    "(extract/connectors/base.py, _coercer)")


# Per kind: (column, how a mapped value becomes its type), for every staged column a
# connector maps, in the staged table's order; and the same names as a set.
_COERCERS: dict[str, tuple[tuple[str, Any], ...]] = {
    kind: tuple((c.name, _coercer(table, c.name, c.dtype)) for c in table.columns
                if c.name not in RUNNER_COLUMNS)
    for kind, table in STAGED_TABLES.items()}
_ALLOWED: dict[str, frozenset[str]] = {
    kind: frozenset(name for name, _ in coercers) for kind, coercers in _COERCERS.items()}


def expect(doc: Any, key: str, kind: type) -> Any:
    """`doc[key]` if it is a `kind`, else a PayloadError naming the missing piece."""
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, kind):
        raise PayloadError(f"expected '{key}' ({kind.__name__}) in payload, got "
                           f"{type(value).__name__}")
    return value


CSV_FIELD_LIMIT = 64 * 1024 * 1024


def read_csv_rows(body: bytes) -> Iterator[dict[str, str]]:
    """Rows of a CSV payload, decoded as UTF-8 (BOM allowed) or, failing that, Windows-1252."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
    csv.field_size_limit(CSV_FIELD_LIMIT)  # the body is already under the source's max_bytes
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise PayloadError("CSV payload has no header row")
    yield from reader


def epoch_to_iso(value: Any, millis: bool = False) -> str | None:
    """An epoch time (seconds or milliseconds) as ISO 8601; None when absent, and a ValueError
    when it is no plausible time (the record is then quarantined with the reason)."""
    if value in (None, "", 0):
        return None
    seconds = float(value) / (1000 if millis else 1)
    if not -62_135_596_800 <= seconds <= 253_402_300_799:  # years 1..9999
        raise ValueError(f"epoch time {value!r} is out of range")
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()


def number(value: Any) -> float | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        out = float(str(value).replace(",", ""))
    except (ValueError, OverflowError):
        return None
    return out if math.isfinite(out) else None


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    value = str(value).strip()
    return value or None
