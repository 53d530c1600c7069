"""One run at a time per data folder: an OS lock (fcntl.flock) on DATA_DIR/.lock
(`DataLayout.lock`).

Every stage that writes shared state (the dedupe state, the releases' current pointer) takes
it; `microcareer run` holds it for the whole run. A second run waits for it, up to
$MICROCAREER_LOCK_TIMEOUT seconds (default 6 hours), then fails with a message naming the
holder. The lock is released by the kernel when its holder exits, also when it is killed, so a
crashed run never leaves a stale lock. It is re-entrant within a process (a stage called from
a run that already holds it does not deadlock).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from schemas.layout import DataLayout

TIMEOUT_ENV = "MICROCAREER_LOCK_TIMEOUT"
_held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, depth) in this process
_guard = threading.RLock()


class LockTimeout(RuntimeError):
    """Another run held the data folder's lock for longer than the timeout."""


def default_timeout() -> float:
    return float(os.environ.get(TIMEOUT_ENV) or 6 * 3600)


@contextmanager
def data_lock(data_dir: str | Path | DataLayout, *, holder: str = "",
              timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of `data_dir` for the block (waiting for it when another
    process holds it)."""
    layout = DataLayout.of(data_dir)
    path = layout.lock
    key = str(path.resolve())
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _guard:
                fd, depth = _held[key]
                _held[key] = (fd, depth - 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + (default_timeout() if timeout is None else timeout)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(f"{layout.root} is locked by another run "
                                      f"({_holder(path)}); try again later") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "holder": holder}).encode(), 0)
        with _guard:
            _held[key] = (fd, 1)
        try:
            yield
        finally:
            with _guard:
                del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "holder unknown"
    return f"pid {info.get('pid')}, {info.get('holder') or 'unnamed run'}"
