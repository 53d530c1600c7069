"""The acceptance scenario of issue 16, with `microcareer run` as the operator runs it.

Two runs start on one data folder at once, after the night 2026-11-01 (the small slice) was
published there:

- A, the night 2026-11-02: the small slice replayed, plus one source per fault served by a
  local HTTP server on 127.0.0.1 (500s, a 429 storm with Retry-After, truncated JSON, an HTML
  page, a 64 MiB body over a 1 MiB cap, a 1 GiB gzip bomb, payloads that raise
  OverflowError / OSError / RecursionError / AttributeError in a connector, one bad record
  among good ones, a malformed Content-Length, a server dripping a byte every 0.5 s);
- B, a backfill of 2026-11-01 with the small slice only (the normal run).

A publishes from the good sources, exits 3, names every problem source on stderr, in the
manifest and in the HTML report, keeps every good record, quarantines each bad payload or
record with its reason, and reads the hostile payloads within B's memory + 100 MB. The lock
makes B wait for A; B then writes its release, identical to the first night's, without making
it current. No state is lost: the current dedupe state holds every record of both nights.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

from tests.sources_helpers import SMALL_SOURCES, fault_sources, write_config
from transform.postings import state as dedupe_state

RUNNER = """
import json, sys
from microcareer import stages
from microcareer.cli import main

def peak():
    # this process's own peak (KiB): ru_maxrss would start at pytest's size, kept across exec
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

extract_kib = []
run_stage = stages.run_stage

def first_stage_after_extract(*args, **kwargs):  # the peak as extract ends
    if not extract_kib:
        extract_kib.append(peak())
    return run_stage(*args, **kwargs)

stages.run_stage = first_stage_after_extract
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "peak_kib": peak(), "extract_kib": extract_kib[0]}, fh)
sys.exit(code)
"""


def _start(tmp_path, name, *args):
    out = tmp_path / f"{name}.json"
    proc = subprocess.Popen([sys.executable, "-c", RUNNER, str(out), "run", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return proc, out


def _finish(proc, out):
    stdout, stderr = proc.communicate(timeout=900)
    result = json.loads(out.read_text()) if out.exists() else {"code": proc.returncode}
    return {**result, "returncode": proc.returncode, "stdout": stdout, "stderr": stderr}


def _wait_for_lock_holder(data_dir, pid, timeout=20.0):
    lock = data_dir / ".lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if json.loads(lock.read_text() or "{}").get("pid") == pid:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)


def test_hostile_sources_beside_good_ones_and_a_concurrent_backfill(small_run, small_config,
                                                                    tmp_path, httpserver):
    first_dir, _ = small_run
    data_dir = tmp_path / "data"
    shutil.copytree(first_dir, data_dir, symlinks=True)
    first = json.loads((data_dir / "dataset" / "manifest.json").read_text())
    first_state = dedupe_state.read(data_dir)
    faults, reasons = fault_sources(httpserver)
    (tmp_path / "a").mkdir()
    scenario = write_config(tmp_path / "a", SMALL_SOURCES, extra=faults)

    a, a_out = _start(tmp_path, "a", "--config", str(scenario), "--data-dir", str(data_dir),
                      "--date", "2026-11-02")
    _wait_for_lock_holder(data_dir, a.pid)
    b, b_out = _start(tmp_path, "b", "--config", str(small_config), "--data-dir",
                      str(data_dir), "--date", "2026-11-01")
    a, b = _finish(a, a_out), _finish(b, b_out)

    # A: published from the good sources, exit 3, every problem named with its reason
    assert a["returncode"] == a["code"] == 3, a["stderr"][-3000:]
    assert "Partial run:" in a["stderr"]
    assert "Validation (Great Expectations): passed" in a["stdout"]
    manifest = json.loads((data_dir / "dataset" / "manifest.json").read_text())
    assert manifest["logical_date"] == "2026-11-02"
    run_id = manifest["run_id"]
    reports = {p.stem: json.loads(p.read_text())
               for p in (data_dir / "runs" / run_id / "extract").glob("*.json")}
    problems = {n for n, r in reports.items() if r["status"] != "ok"}
    assert problems >= set(reasons) - {"f_content_length"}, problems
    assert problems <= set(reasons)
    html = (data_dir / "reports" / f"{run_id}.html").read_text()
    for name in problems:
        assert manifest["sources"][name]["status"] != "ok", name
        assert name in a["stderr"] and name in html, name
        r = reports[name]
        said = " ".join(p.get("error") or p.get("reason") or ""
                        for p in [*r["failed"], *r["quarantined"],
                                  *(r.get("quarantined_records") or [])])
        assert reasons[name] in said, (name, said)
        assert r["records_in"] == r["records"] + r["records_quarantined"], name
    assert reports["f_bad_record"]["records"] == 3  # the good records of that payload
    assert reports["f_content_length"]["status"] in ("ok", "partial", "failed")
    for name, entry in first["sources"].items():  # every good record kept
        assert manifest["sources"][name]["records"] == entry["records"], name
        assert manifest["sources"][name]["status"] == "ok", name
    quarantine = data_dir / "quarantine"
    for name in ("f_truncated", "f_html", "f_overflow", "f_recursion"):
        meta = json.loads((quarantine / f"source={name}/date=2026-11-02/{name}.meta.json")
                          .read_text())
        assert reasons[name] in meta["reason"]
    for name in ("f_bad_record", "f_attribute", "f_oserror"):
        assert (quarantine / f"source={name}/date=2026-11-02/{name}.records.gz").exists()

    # B: the backfill waited, wrote its own release (the same tables as the first night's),
    # said so, and left A's release current
    assert b["returncode"] == 0, b["stderr"][-3000:]
    assert "Backfill" in b["stderr"] and "not made current" in b["stderr"]
    [b_release] = [p for p in (data_dir / "dataset" / "releases").iterdir()
                   if p.name.startswith("local__2026-11-01")]
    b_manifest = json.loads((b_release / "manifest.json").read_text())
    assert b_manifest["current"] is False
    assert {n: t["sha256"] for n, t in b_manifest["tables"].items()} == {
        n: t["sha256"] for n, t in first["tables"].items()}

    # no state lost: the current state (A's night) holds every record of the first night
    state = dedupe_state.read(data_dir)
    assert set(first_state["posting_id"]) <= set(state["posting_id"])
    assert state["last_seen"].max().isoformat() == "2026-11-02"
    history = sorted(p.name for p in (data_dir / "state" / "history").iterdir())
    assert history == ["date=2026-11-01.json", "date=2026-11-02.json"]

    # memory: extract, where the hostile payloads are read and refused, peaks within the
    # normal run's extract + 100 MB (a 1 GiB bomb or a 64 MiB body held would show). The
    # later stages see only good records; A's are new to the night cache (B's are not), so
    # A loads the role and skill matchers there, some 300 MiB more: not compared.
    print(f"peak RSS after extract: scenario {a['extract_kib'] / 1024:.0f} MiB, normal "
          f"{b['extract_kib'] / 1024:.0f} MiB; whole run: scenario "
          f"{a['peak_kib'] / 1024:.0f} MiB, normal {b['peak_kib'] / 1024:.0f} MiB")
    assert a["extract_kib"] <= b["extract_kib"] + 100 * 1024
