"""Run one configured source: fetch or replay each partition, land it, parse it, stage rows.

A failing partition (network error, bad payload) never stops the others: its payload goes to
quarantine with the reason and the returned report says what happened.
"""

from __future__ import annotations

import gzip
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from extract import http, landing
from extract.config import Partition, SourceConfig, load_config
from extract.connectors import Connector, PayloadError, get_connector
from schemas.tables import STAGED_COURSES, STAGED_POSTINGS

log = logging.getLogger(__name__)


def staged_path(data_dir: Path, source: str, date: str, kind: str) -> Path:
    name = "postings" if kind == "jobs" else "courses"
    return landing.partition_dir(data_dir, "staging", source, date) / f"{name}.parquet"


def _read_replay(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _obtain(connector: Connector, part: Partition, session) -> tuple[bytes, dict[str, Any]]:
    """The payload of a partition and its sidecar metadata (URL, status, headers)."""
    if part.replay is not None:
        return _read_replay(part.replay), {"url": f"file:{part.replay.name}", "status": None,
                                            "replayed": True}
    url = connector.url(part)
    if url is None:
        raise http.FetchError(f"{connector.name}: partition {part.key!r} has no live URL "
                              "and no replay file")
    response = http.get(session, url, headers=connector.headers(part))
    keep = ("Content-Type", "ETag", "Last-Modified", "Date")
    headers = {h: response.headers[h] for h in keep if h in response.headers}
    return response.content, {"url": url, "status": response.status_code, "headers": headers,
                              "replayed": False}


def extract_source(source_name: str, *, data_dir: str | Path, date: str, run_id: str,
                   config: str | Path | None = None) -> dict[str, Any]:
    """Land, parse and stage every partition of `source_name`; return the source's report."""
    data_dir = Path(data_dir)
    source: SourceConfig = load_config(config).source(source_name)
    connector = get_connector(source.connector)
    table = STAGED_POSTINGS if connector.kind == "jobs" else STAGED_COURSES
    report: dict[str, Any] = {
        "source": source.name, "connector": source.connector, "kind": connector.kind,
        "partitions": len(source.partitions), "landed": 0, "records": 0,
        "quarantined": [], "failed": [],
    }
    rows: list[dict[str, Any]] = []
    session = None
    for part in source.partitions:
        if part.replay is None and session is None:
            session = http.make_session()
        meta = {"source": source.name, "partition": part.key, "run_id": run_id,
                "fetched_at": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            body, fetch_meta = _obtain(connector, part, session)
        except (http.FetchError, OSError) as exc:
            log.warning("%s/%s: fetch failed: %s", source.name, part.key, exc)
            report["failed"].append({"partition": part.key, "error": str(exc)})
            continue
        meta |= fetch_meta
        landing.land(data_dir, source.name, date, part.key, body, meta)
        report["landed"] += 1
        try:
            parsed = connector.parse(body)
        except PayloadError as exc:
            log.warning("%s/%s: quarantined: %s", source.name, part.key, exc)
            landing.quarantine(data_dir, source.name, date, part.key, body, meta, str(exc))
            report["quarantined"].append({"partition": part.key, "reason": str(exc)})
            continue
        for row in parsed:
            row |= {"source": source.name, "partition": part.key}
            if connector.kind == "jobs":
                row["sector"] = part.sector
        rows.extend(parsed)

    frame = pl.DataFrame(rows, schema=table.schema, strict=False) if rows else \
        pl.DataFrame(schema=table.schema)
    out = staged_path(data_dir, source.name, date, connector.kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(out)
    report["records"] = frame.height
    report["status"] = ("failed" if report["landed"] == 0 or frame.height == 0 and
                        report["quarantined"] else
                        "partial" if report["failed"] or report["quarantined"] else "ok")
    _write_report(data_dir, run_id, source.name, report)
    return report


def _write_report(data_dir: Path, run_id: str, source: str, report: dict[str, Any]) -> None:
    path = data_dir / "runs" / run_id / "extract" / f"{source}.json"
    landing.atomic_write(path, json.dumps(report, indent=2, sort_keys=True).encode())
