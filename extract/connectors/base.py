"""What every connector is: a name, a kind, a live URL, how to split a payload, how to map
a record."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from extract.config import Partition

if TYPE_CHECKING:
    from extract.http import Client

POSTING_FIELDS = (
    "record_id", "url", "title", "company", "description", "location", "country", "remote",
    "employment_type", "posted_at", "salary_min", "salary_max", "salary_currency",
    "salary_period", "industry_label", "organisation",
)
COURSE_FIELDS = (
    "record_id", "url", "title", "provider", "description", "subjects", "level", "language",
    "duration", "effort", "cost", "currency", "is_free", "skills",
)


class PayloadError(ValueError):
    """A payload does not have the shape its connector expects (it goes to quarantine)."""


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
    """A source of job postings or courses. Subclasses set `name`, `kind` and override
    `records` (payload -> raw records) and `row` (raw record -> staged columns); paged
    sources override `next_url`, scrapers `fetch`."""

    name: ClassVar[str]
    kind: ClassVar[str] = "jobs"  # or "courses"
    url_template: ClassVar[str | None] = None

    def url(self, partition: Partition) -> str | None:
        """The live URL of a partition (a `url` parameter overrides the connector's template),
        or None when the source has no live endpoint."""
        if partition.params.get("url"):
            return str(partition.params["url"])
        if self.url_template is None:
            return None
        return self.url_template.format(**partition.params)

    def next_url(self, body: bytes, url: str, page: int, partition: Partition) -> str | None:
        """The URL of the page after `page` (1-based), or None on the last page."""
        return None

    def fetch(self, partition: Partition, client: Client) -> Iterator[Payload | Failure]:
        """Fetch a partition live: its URL, then following pages up to the policy's cap.
        Raises FetchError when the first page cannot be had."""
        from extract.http import FetchError

        url, page = self.url(partition), 1
        if url is None:
            raise FetchError(f"{self.name}: partition {partition.key!r} has no live URL and "
                             "no replay file")
        headers = self.headers(partition)
        while url and page <= client.policy.max_pages:
            name = partition.key if page == 1 else f"{partition.key}-p{page}"
            try:
                response = client.get(url, headers=headers)
            except FetchError as exc:
                if page == 1:
                    raise
                yield Failure(name, str(exc))
                return
            yield Payload(name, response.content, client.meta(response))
            try:
                url = self.next_url(response.content, url, page, partition)
            except (ValueError, KeyError, TypeError):
                url = None  # an unreadable page is quarantined by the parser; stop paging
            page += 1

    def headers(self, partition: Partition) -> dict[str, str]:
        """Extra request headers (credentials); raise FetchError when a required one is unset."""
        return {}

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def row(self, record: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @property
    def fields(self) -> tuple[str, ...]:
        return POSTING_FIELDS if self.kind == "jobs" else COURSE_FIELDS

    def parse(self, body: bytes) -> list[dict[str, Any]]:
        """All staged rows of one payload; raises PayloadError when the payload is unusable."""
        try:
            rows = [self.row(r) for r in self.records(body)]
        except PayloadError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, csv.Error) as exc:
            raise PayloadError(f"{self.name}: {type(exc).__name__}: {exc}") from exc
        fields = self.fields
        return [{f: row.get(f) for f in fields} for row in rows]


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


class NextLinkConnector(JSONConnector):
    """A JSON API whose pages say where the next one is (`next`, a URL or null)."""

    def next_url(self, body: bytes, url: str, page: int, partition: Partition) -> str | None:
        doc = load_json(body)
        return doc.get("next") or None if isinstance(doc, dict) else None


class CSVConnector(Connector):
    """A source whose payload is a CSV file with a header row."""

    def records(self, body: bytes) -> Iterator[dict[str, Any]]:
        yield from read_csv_rows(body)


# ---------- helpers shared by connectors


def load_json(body: bytes) -> Any:
    """Decode a JSON payload (UTF-8, with or without BOM)."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PayloadError(f"payload is not UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise PayloadError(f"payload is not valid JSON (truncated?): {exc}") from exc


def expect(doc: Any, key: str, kind: type) -> Any:
    """`doc[key]` if it is a `kind`, else a PayloadError naming the missing piece."""
    value = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(value, kind):
        raise PayloadError(f"expected '{key}' ({kind.__name__}) in payload, got "
                           f"{type(value).__name__}")
    return value


def read_csv_rows(body: bytes) -> Iterator[dict[str, str]]:
    """Rows of a CSV payload, decoded as UTF-8 (BOM allowed) or, failing that, Windows-1252."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise PayloadError("CSV payload has no header row")
    yield from reader


def with_query(url: str, **params: Any) -> str:
    """`url` with query parameters set (added or replaced)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_value(url: str, key: str, default: str = "") -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query).get(key, [default])[0]


def epoch_to_iso(value: Any, millis: bool = False) -> str | None:
    if value in (None, "", 0):
        return None
    seconds = float(value) / (1000 if millis else 1)
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()


def number(value: Any) -> float | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    value = str(value).strip()
    return value or None
