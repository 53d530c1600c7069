"""The raw landing zone and quarantine: payloads as received, gzipped, with a sidecar record."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def partition_dir(data_dir: Path, zone: str, source: str, date: str) -> Path:
    return data_dir / zone / f"source={source}" / f"date={date}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename, so readers never see half;
    the file is readable by others (0644), like the Parquet files beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(folder: Path, name: str, body: bytes, meta: dict[str, Any]) -> Path:
    payload = folder / f"{name}.gz"
    atomic_write(payload, gzip.compress(body, compresslevel=6, mtime=0))
    sidecar = {**meta, "sha256": sha256(body), "bytes": len(body)}
    atomic_write(folder / f"{name}.meta.json",
                 json.dumps(sidecar, indent=2, sort_keys=True).encode())
    return payload


def land(data_dir: Path, source: str, date: str, name: str, body: bytes,
         meta: dict[str, Any]) -> Path:
    """Keep a payload as received under raw/source=<source>/date=<date>/; idempotent per name."""
    return _store(partition_dir(data_dir, "raw", source, date), name, body, meta)


def quarantine(data_dir: Path, source: str, date: str, name: str, body: bytes,
               meta: dict[str, Any], reason: str) -> Path:
    """Keep a payload that could not be used, with the reason, under quarantine/."""
    folder = partition_dir(data_dir, "quarantine", source, date)
    return _store(folder, name, body, {**meta, "reason": reason})
