"""Run one configured source: fetch or replay each partition, land every payload, parse it,
and stage the rows.

A failing request or a bad payload never stops the others: failures are reported, unusable
payloads go to quarantine with the reason, and the report accounts for every payload:
``payloads = parsed + quarantined + index pages``.
"""

from __future__ import annotations

import gzip
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from extract import http, landing
from extract.config import Partition, SourceConfig, load_config
from extract.connectors import Connector, PayloadError, get_connector
from extract.connectors.base import Failure, Payload
from schemas.layout import DataLayout
from schemas.records import SourceReport, write_source_report
from schemas.tables import STAGED_COURSES, STAGED_POSTINGS

log = logging.getLogger(__name__)


class SourceFailed(RuntimeError):
    """A source produced no usable payload; its report names every failure."""


def _replay(part: Partition) -> Payload:
    assert part.replay is not None
    data = part.replay.read_bytes()
    body = gzip.decompress(data) if part.replay.suffix == ".gz" else data
    return Payload(part.key, body, {"url": f"file:{part.replay.name}", "status": None,
                                    "replayed": True})


def _utf8(payload: Payload) -> bytes:
    """The body as UTF-8 when the server declared another charset (the raw copy keeps the
    original bytes)."""
    declared = re.search(r"charset=([\w.-]+)",
                         (payload.meta.get("headers") or {}).get("Content-Type", ""), re.I)
    charset = declared.group(1).lower() if declared else "utf-8"
    if charset in ("utf-8", "utf8"):
        return payload.body
    try:
        return payload.body.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return payload.body


def extract_source(source_name: str, *, data_dir: str | Path, date: str, run_id: str,
                   config: str | Path | None = None) -> SourceReport:
    """Land, parse and stage every partition of `source_name`; return the source's report."""
    data_dir = Path(data_dir)
    layout = DataLayout(data_dir)
    source: SourceConfig = load_config(config).source(source_name)
    connector: Connector = get_connector(source.connector)
    table = STAGED_POSTINGS if connector.kind == "jobs" else STAGED_COURSES
    report: dict[str, Any] = {
        "source": source.name, "connector": source.connector, "kind": connector.kind,
        "partitions": len(source.partitions), "requests": 0, "payloads": 0, "parsed": 0,
        "index_pages": 0, "records": 0, "quarantined": [], "failed": [],
    }
    client: http.Client | None = None
    rows: list[dict[str, Any]] = []
    for part in source.partitions:
        if part.replay is not None:
            payloads: Any = [_replay(part)]
        else:
            if client is None:
                client = http.Client(http.Policy.from_options(source.options),
                                     cache=layout.http_cache)
            payloads = connector.fetch(part, client)
        try:
            for item in payloads:
                if isinstance(item, Failure):
                    report["failed"].append({"partition": item.name, "error": item.error})
                    continue
                rows.extend(_take(item, part, connector, source, data_dir, date, run_id, report))
        except http.FetchError as exc:
            log.warning("%s/%s: %s", source.name, part.key, exc)
            report["failed"].append({"partition": part.key, "error": str(exc)})
        except OSError as exc:
            report["failed"].append({"partition": part.key, "error": f"{type(exc).__name__}: "
                                                                      f"{exc}"})
    report["requests"] = client.requests if client else 0
    frame = (pl.DataFrame(rows, schema=table.schema, strict=False) if rows
             else pl.DataFrame(schema=table.schema))
    out = layout.staged(source.name, date, connector.kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(out)
    report["records"] = frame.height
    report["status"] = ("failed" if report["parsed"] == 0 and (report["failed"] or
                                                                report["quarantined"])
                        else "partial" if report["failed"] or report["quarantined"] else "ok")
    write_source_report(layout, run_id, report)  # type: ignore[arg-type]
    return report  # type: ignore[return-value]


def _take(item: Payload, part: Partition, connector: Connector, source: SourceConfig,
          data_dir: Path, date: str, run_id: str, report: dict[str, Any]) -> list[dict]:
    """Land one payload and parse it; a payload that does not parse goes to quarantine."""
    meta = {"source": source.name, "partition": part.key, "run_id": run_id,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"), **item.meta}
    landing.land(data_dir, source.name, date, item.name, item.body, meta)
    report["payloads"] += 1
    if item.index:
        report["index_pages"] += 1
        return []
    try:
        parsed = connector.parse(_utf8(item))
    except PayloadError as exc:
        log.warning("%s/%s: quarantined: %s", source.name, item.name, exc)
        landing.quarantine(data_dir, source.name, date, item.name, item.body, meta, str(exc))
        report["quarantined"].append({"partition": item.name, "reason": str(exc)})
        return []
    report["parsed"] += 1
    for row in parsed:
        row["source"], row["partition"] = source.name, part.key
        if connector.kind == "jobs":
            row["sector"] = part.sector
    return parsed
