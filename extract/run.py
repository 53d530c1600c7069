"""Run one configured source: fetch or replay each partition, land every payload, parse it,
and stage the rows.

A failing request, a bad payload or a bad record never stops the others: any exception while
fetching, paging or parsing a partition becomes a failed request or a quarantined payload with
its reason (exception type and message), and the source goes on with its next partition; a
record that cannot be mapped is quarantined alone, its payload's good records kept. The report
accounts for every payload and every record:
``payloads = parsed + quarantined + index pages`` and
``records_in = records + records_quarantined``.

The one exception is a bug of the connector itself: a `row` mapping a key its staged table
does not have (ContractError) fails the whole source at once, naming the connector and keys,
since no payload is to blame and every partition would fail alike.

The report is written before the first request (status "failed", "did not finish") and
rewritten at the end, so a source whose task crashed or was killed still has a failed report;
`run_reports` also counts a configured source with no report at all as failed.
"""

from __future__ import annotations

import gzip
import json
import logging
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from extract import http, landing
from extract.config import SourceConfig, load_config
from extract.connectors import Connector, PayloadError, get_connector
from extract.connectors.base import ContractError, Failure, Payload, Rejected, describe
from extract.partition import Partition
from schemas.layout import DataLayout
from schemas.records import SourceReport, write_source_report

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
    """Land, parse and stage every partition of `source_name`; return the source's report.
    The report is on disk whatever happens: a crash leaves it 'failed' with the exception."""
    from extract.config import check_date, check_name

    layout = DataLayout(Path(data_dir))
    check_name(source_name, "source name")
    check_date(date)
    check_name(run_id, "run id")
    report: dict[str, Any] = {
        "source": source_name, "connector": None, "kind": "unknown", "partitions": 0,
        "requests": 0, "payloads": 0, "parsed": 0, "index_pages": 0, "records": 0,
        "records_in": 0, "records_quarantined": 0, "quarantined": [],
        "failed": [{"partition": "*", "error": "did not finish (crashed or killed)"}],
        "status": "failed",
    }
    write_source_report(layout, run_id, report)  # type: ignore[arg-type]
    try:
        report = _extract(source_name, layout=layout, date=date, run_id=run_id,
                          config=config, report=report)
    except BaseException as exc:
        report["failed"] = [p for p in report["failed"] if p["partition"] != "*"]
        report["failed"].append({"partition": "*", "error": f"source crashed: {describe(exc)}"})
        report["status"] = "failed"
        write_source_report(layout, run_id, report)  # type: ignore[arg-type]
        raise
    write_source_report(layout, run_id, report)  # type: ignore[arg-type]
    return report  # type: ignore[return-value]


def _extract(source_name: str, *, layout: DataLayout, date: str, run_id: str,
             config: str | Path | None, report: dict[str, Any]) -> dict[str, Any]:
    source: SourceConfig = load_config(config).source(source_name)
    connector: Connector = get_connector(source.connector)
    table = connector.schema
    report.update({"connector": source.connector, "kind": connector.kind,
                   "partitions": len(source.partitions), "failed": []})
    staged = StagedWriter(layout.staged(source.name, date, connector.kind), table.schema)
    try:
        _partitions(source, connector, staged, layout, date, run_id, report)
        report["records"] = staged.close()
    finally:
        staged.discard()
    troubled = report["failed"] or report["quarantined"] or report["records_quarantined"]
    report["status"] = ("failed" if report["parsed"] == 0 and troubled
                        else "partial" if troubled else "ok")
    return report


class StagedWriter:
    """A source's staged rows written payload by payload as row groups of one Parquet file
    (to a temporary name, renamed by `close`), so a source's memory is one payload's rows,
    not the night's."""

    def __init__(self, path: Path, schema: pl.Schema) -> None:
        self.path, self.schema, self.rows = path, schema, 0
        self._tmp = path.with_name(f".{path.name}.tmp")
        self._writer: Any = None

    def add(self, table: Any) -> None:
        """Append one payload's rows, already in the staged schema (an Arrow table; None:
        none)."""
        if table is None or not table.num_rows:
            return
        if self._writer is None:
            import pyarrow.parquet as pq

            self._tmp.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self._tmp, table.schema, compression="zstd")
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> int:
        """The staged file in place (empty, with the schema, when no row came); its rows."""
        if self._writer is None:
            self._tmp.parent.mkdir(parents=True, exist_ok=True)
            pl.DataFrame(schema=self.schema).write_parquet(self._tmp)
        else:
            self._writer.close()
            self._writer = None
        os.replace(self._tmp, self.path)
        return self.rows

    def discard(self) -> None:
        """Drop an unfinished file (a source that crashed keeps no half-staged rows)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._tmp.unlink(missing_ok=True)


def _partitions(source: SourceConfig, connector: Connector, staged: StagedWriter,
                layout: DataLayout, date: str, run_id: str, report: dict[str, Any]) -> None:
    """Every partition's payloads fetched (or read) here, one request at a time, and each
    landed and parsed: here, or over `parsers()` processes when the source has at least
    PARSE_POOL_MIN partitions (rows staged and the report written in payload order all
    the same)."""
    n = parsers() if len(source.partitions) >= PARSE_POOL_MIN else 1
    if n <= 1:
        with ThreadPoolExecutor(1, thread_name_prefix=f"land-{source.name}") as lander:
            def take(item: Payload, part: Partition) -> None:
                _merge(staged, report, source.name, part.key,
                       lambda: _take(item, part, connector, source.name, layout.root, date,
                                     run_id, lander))

            _each_partition(source, connector, layout, report, take)
        return
    # Spawned, not forked (a forked child of a process running Polars' threads can hang).
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[tuple[str, Future]] = deque()

        def drain(keep: int) -> None:
            while len(pending) > keep:
                key, future = pending.popleft()
                _merge(staged, report, source.name, key, future.result)

        def submit(item: Payload, part: Partition) -> None:
            pending.append((part.key, pool.submit(_take_in_worker, item, part,
                                                  source.connector, source.name, layout.root,
                                                  date, run_id)))
            drain(2 * n)  # payloads in flight: memory stays a few payloads'

        try:
            _each_partition(source, connector, layout, report, submit)
            drain(0)
        finally:
            for _, future in pending:
                future.cancel()


PARSE_POOL_MIN = 4  # partitions from which a source's payloads are parsed over processes
PARSERS_ENV = "MICROCAREER_EXTRACT_WORKERS"


def parsers() -> int:
    """Processes that land and parse a source's payloads: $MICROCAREER_EXTRACT_WORKERS, else
    every core; 1 inside a daemonic process (a Celery prefork worker may not start
    children). The staged rows do not depend on it (tests/extract/test_extract.py)."""
    if multiprocessing.current_process().daemon:
        return 1
    value = os.environ.get(PARSERS_ENV, "").strip()
    return max(1, int(value)) if value else (os.cpu_count() or 1)


def _each_partition(source: SourceConfig, connector: Connector, layout: DataLayout,
                    report: dict[str, Any], take: Callable[[Payload, Partition], None]) -> None:
    """Fetch (or read) each partition's payloads and hand each to `take`, which lands,
    parses and stages it (or queues that work; `_merge` reports a payload that fails); a
    partition whose fetching fails is reported and the others go on."""
    client: http.Client | None = None
    for part in source.partitions:
        try:
            if part.replay is not None:
                payloads: Any = [_replay(part)]
            else:
                if client is None:
                    client = http.Client(http.Policy.from_options(source.options),
                                         cache=layout.http_cache)
                payloads = connector.fetch(part, client)
            for item in payloads:
                if isinstance(item, Failure):
                    report["failed"].append({"partition": item.name, "error": item.error})
                    continue
                take(item, part)
        except http.FetchError as exc:
            log.warning("%s/%s: %s", source.name, part.key, exc)
            report["failed"].append({"partition": part.key, "error": str(exc)})
        except ContractError:
            raise  # the connector's own mapping is wrong: every partition would fail alike
        except Exception as exc:  # any: one partition never stops the source
            log.warning("%s/%s: %s", source.name, part.key, describe(exc))
            report["failed"].append({"partition": part.key, "error": describe(exc)})
    report["requests"] = client.requests if client else 0


def _merge(staged: StagedWriter, report: dict[str, Any], source: str, key: str,
           result: Callable[[], Taken]) -> None:
    """Stage one payload's rows and add its counts to the report; a payload whose landing
    or parse raised fails its partition (`key`), as if it had raised there."""
    try:
        table, counts = result()
    except ContractError:
        raise
    except Exception as exc:  # any: one payload never stops the source
        log.warning("%s/%s: %s", source, key, describe(exc))
        report["failed"].append({"partition": key, "error": describe(exc)})
        return
    for name, value in counts.items():
        report[name] = report.get(name, 0 if isinstance(value, int) else []) + value
    staged.add(table)


# One payload's staged rows (Arrow, None when none) and what the report counts of it.
Taken = tuple[Any, dict[str, Any]]


def _counts() -> dict[str, Any]:
    return {"payloads": 0, "index_pages": 0, "parsed": 0, "records_in": 0,
            "records_quarantined": 0, "quarantined": []}


# A parse worker's connectors (by name) and landing thread, made once per process.
_worker_connectors: dict[str, Connector] = {}
_worker_lander: ThreadPoolExecutor | None = None


def _take_in_worker(item: Payload, part: Partition, connector: str, source: str,
                    data_dir: Path, date: str, run_id: str) -> Taken:
    global _worker_lander
    if _worker_lander is None:
        _worker_lander = ThreadPoolExecutor(1, thread_name_prefix="land")
    if connector not in _worker_connectors:
        _worker_connectors[connector] = get_connector(connector)
    return _take(item, part, _worker_connectors[connector], source, data_dir, date, run_id,
                 _worker_lander)


def _take(item: Payload, part: Partition, connector: Connector, source: str,
          data_dir: Path, date: str, run_id: str, lander: Executor) -> Taken:
    """Land one payload and parse it; a payload that does not parse goes to quarantine, and
    so does each record that cannot be mapped (the payload's good records are kept). The
    payload is landed (on `lander`, beside the parse: gzip releases the GIL) before
    anything of it is staged or quarantined, and its landing error is its own."""
    counts = _counts()
    meta = {"source": source, "partition": part.key, "run_id": run_id,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"), **item.meta}
    landed = lander.submit(landing.land, data_dir, source, date, item.name, item.body, meta)
    if item.index:
        landed.result()
        counts["payloads"] += 1
        counts["index_pages"] += 1
        return None, counts
    try:
        parsed, rejected = connector.parse_records(_utf8(item))
    except ContractError:
        landed.result()
        raise  # a bug of the connector, not of this payload: nothing to quarantine
    except Exception as exc:  # PayloadError, or anything a connector let through
        landed.result()
        counts["payloads"] += 1
        reason = str(exc) if isinstance(exc, PayloadError) else describe(exc)
        log.warning("%s/%s: quarantined: %s", source, item.name, reason)
        landing.quarantine(data_dir, source, date, item.name, item.body, meta, reason)
        counts["quarantined"].append({"partition": item.name, "reason": reason})
        return None, counts
    landed.result()
    counts["payloads"] += 1
    counts["parsed"] += 1
    counts["records_in"] += len(parsed) + len(rejected)
    if rejected:
        _quarantine_records(rejected, item, meta, source, data_dir, date, counts)
    for row in parsed:
        row["source"], row["partition"] = source, part.key
        if connector.kind == "jobs":
            row["sector"] = part.sector
    table = connector.schema.schema
    return (pl.DataFrame(parsed, schema=table, strict=False).to_arrow() if parsed else None,
            counts)


def _quarantine_records(rejected: list[Rejected], item: Payload, meta: dict[str, Any],
                        source: str, data_dir: Path, date: str,
                        report: dict[str, Any]) -> None:
    """Keep the records of a payload that could not be mapped, one JSON line each with its
    index in the payload and the reason, under quarantine/ as <payload>.records."""
    lines = [json.dumps({"index": r.index, "reason": r.reason, "record": r.record},
                        default=str, ensure_ascii=False) for r in rejected]
    reason = f"{len(rejected)} record(s) could not be mapped; first: {rejected[0].reason}"
    landing.quarantine(data_dir, source, date, f"{item.name}.records",
                       ("\n".join(lines) + "\n").encode(), meta, reason)
    report["records_quarantined"] += len(rejected)
    report["quarantined_records"] = report.get("quarantined_records", []) + [
        {"partition": item.name, "index": r.index, "reason": r.reason} for r in rejected[:100]]
    log.warning("%s/%s: %s", source, item.name, reason)
