"""What every connector is: a name, a kind, a live URL, how to split a payload, how to map
a record."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from extract.config import Partition

POSTING_FIELDS = (
    "record_id", "url", "title", "company", "description", "location", "country", "remote",
    "employment_type", "posted_at", "salary_min", "salary_max", "salary_currency",
    "salary_period", "industry_label", "organisation",
)
COURSE_FIELDS = (
    "record_id", "url", "title", "provider", "description", "subjects", "level", "language",
)


class PayloadError(ValueError):
    """A payload does not have the shape its connector expects (it goes to quarantine)."""


class Connector:
    """A source of job postings or courses. Subclasses set `name`, `kind` and override
    `records` (payload -> raw records) and `row` (raw record -> staged columns)."""

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
