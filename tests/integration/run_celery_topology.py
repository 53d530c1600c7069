"""The docker-compose topology run for real on one machine, without Docker (make test-integration).

PostgreSQL (metadata) and Redis (Celery broker) from Debian's packages, installed when missing
and started on loopback ports; then Airflow's api-server, scheduler, dag-processor, triggerer and
one Celery worker, all with the CeleryExecutor, as in docker-compose.yml. Through the REST API it
triggers `microcareer_nightly` twice for the same logical date: once undisturbed, once with the
Celery worker killed (SIGKILL, with its task processes) in the middle of a long task and started
again. Both runs must succeed, the killed task must have been retried, and the two published
datasets must be identical table by table (rows and sha256 in manifest.json, and no duplicate
rows), locally and in the object-store copy (MICROCAREER_DATASET_URL, a file:// URL here).
Everything started is stopped at the end; pass --keep to keep the temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DAG_ID = "microcareer_nightly"
LOGICAL_DATE = "2026-11-01T00:00:00Z"
RUN_TIMEOUT = 600
AIRFLOW_COMPONENTS = {
    "api-server": ["api-server", "--host", "127.0.0.1", "--workers", "1"],
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
    "triggerer": ["triggerer"],
    # started by Topology.start_worker, once per worker, with its slots and name
    "worker": ["celery", "worker", "--without-mingle", "--without-gossip"],
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_root() -> bool:
    return os.geteuid() == 0


def pg_bin() -> Path | None:
    """The newest PostgreSQL server's bin folder (Debian layout), if one is installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def ensure_packages() -> None:
    """Install PostgreSQL and Redis from Debian's packages when they are missing."""
    missing = [pkg for pkg, present in (("postgresql", pg_bin()),
                                        ("redis-server", shutil.which("redis-server")))
               if not present]
    if not missing:
        return
    sudo = [] if as_root() else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log(f"installing {' '.join(missing)} with apt-get")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends",
                    *missing], check=True, env=env, stdout=subprocess.DEVNULL)


class Topology:
    """Postgres, Redis and the Airflow components, started under one temporary folder."""

    def __init__(self, base: Path, workers: int = 1, slots: int = 2,
                 config: Path | None = None, pin_workers: bool = False) -> None:
        """`workers` Celery workers (named worker-1...), each running `slots` tasks at a
        time (AIRFLOW__CELERY__WORKER_CONCURRENCY); `config`, a sources YAML the runs read
        instead of the bundled snapshot (with the stages' own shard sizes); `pin_workers`,
        worker i and its tasks on CPU i-1 only, as if each worker had a one-core machine of
        its own (otherwise one task's threads already use every core)."""
        self.base = base
        self.workers, self.slots = workers, slots
        self.config, self.pin_workers = config, pin_workers
        self.logs = base / "logs"
        self.logs.mkdir(parents=True)
        self.procs: dict[str, subprocess.Popen] = {}
        self.pg_port, self.redis_port, self.api_port = free_port(), free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.pg_data = base / "pg"
        self.password = secrets.token_urlsafe(16)
        self.session = requests.Session()

    # -- services ---------------------------------------------------------------------------
    def _as_pg_user(self, cmd: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if as_root() else cmd

    def start_postgres(self) -> None:
        bindir = pg_bin()
        assert bindir, "no PostgreSQL server installed"
        sock = self.base / "pgsock"
        for folder in (self.pg_data, sock):
            folder.mkdir()
            if as_root():
                shutil.chown(folder, "postgres", "postgres")
        subprocess.run(self._as_pg_user([str(bindir / "initdb"), "-D", str(self.pg_data),
                                         "-U", "airflow", "--auth=trust", "-E", "UTF8",
                                         "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
        options = (f"-p {self.pg_port} -k {sock} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        pg_log = self.logs / "postgres.log"
        pg_log.touch()
        if as_root():
            shutil.chown(pg_log, "postgres", "postgres")
        subprocess.run(self._as_pg_user([str(bindir / "pg_ctl"), "-D", str(self.pg_data), "-w",
                                         "-l", str(pg_log), "-o", options, "start"]),
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                        "-U", "airflow", "airflow"], check=True)
        log(f"postgres on 127.0.0.1:{self.pg_port}")

    def stop_postgres(self) -> None:
        bindir = pg_bin()
        if bindir and (self.pg_data / "postmaster.pid").exists():
            subprocess.run(self._as_pg_user([str(bindir / "pg_ctl"), "-D", str(self.pg_data),
                                             "-m", "immediate", "stop"]),
                           check=False, stdout=subprocess.DEVNULL)

    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind",
                              "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--daemonize", "no"], env=os.environ.copy())
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        log(f"redis on 127.0.0.1:{self.redis_port}")
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("redis did not answer PING")

    # -- airflow ----------------------------------------------------------------------------
    def airflow_env(self) -> dict[str, str]:
        """The settings of docker-compose.yml / .env.example, pointed at loopback services."""
        home = self.base / "airflow"
        home.mkdir(exist_ok=True)
        passwords = self.base / "passwords.json"
        passwords.write_text(json.dumps({"admin": self.password}))
        db = f"airflow@127.0.0.1:{self.pg_port}/airflow"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AIRFLOW", "MICROCAREER_"))}
        env.update({
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{db}",
            # SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3: name the driver.
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://{db}",
            "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(self.slots),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api}/execution/",
            "AIRFLOW__API__BASE_URL": self.api,
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(free_port()),
            # A dead worker's task stops heartbeating: fail it (and retry) after 20 s, not 5 min.
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "2",
            "MICROCAREER_SCHEDULE": "none",
            "MICROCAREER_TASK_RETRIES": "2",
            "MICROCAREER_RETRY_DELAY_SECONDS": "2",
            "MICROCAREER_RETRY_BACKOFF": "2",
            "MICROCAREER_MAX_RETRY_DELAY_SECONDS": "30",
            "MICROCAREER_DATASET_URL": f"file://{self.base}/objectstore/microcareer",
            "GX_ANALYTICS_ENABLED": "false",
            "PYTHONWARNINGS": "ignore",
        })
        if self.config is None:
            # Small shards, so the snapshot's normalise and skills are several mapped task
            # instances each (4 and 2 + 3), which the worker's two slots share.
            env.update({"MICROCAREER_NORMALISE_SHARD": "1300",
                        "MICROCAREER_SKILL_SHARD": "2500"})
        return env

    def start_airflow(self) -> None:
        self.env = self.airflow_env()
        started = time.time()
        out = subprocess.run([str(BIN / "airflow"), "db", "migrate"], env=self.env,
                             capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"airflow db migrate failed:\n{out.stdout[-3000:]}"
                               f"\n{out.stderr[-3000:]}")
        log(f"airflow db migrate on postgres: {time.time() - started:.0f} s")
        for name, args in AIRFLOW_COMPONENTS.items():
            if name != "worker":
                self._spawn(name, [str(BIN / "airflow"), *args], env=self.env)
        for i in range(1, self.workers + 1):
            self.start_worker(i)
        self.wait_healthy()

    def start_worker(self, i: int = 1) -> None:
        """Celery worker i (the first is the one the disturbed run kills: `worker`)."""
        cmd = [str(BIN / "airflow"), *AIRFLOW_COMPONENTS["worker"],
               "--concurrency", str(self.slots), "--celery-hostname", f"worker-{i}@%h"]
        if self.pin_workers:  # taskset execs the worker: its pid stays the worker's
            cmd = ["taskset", "-c", str((i - 1) % (os.cpu_count() or 1)), *cmd]
        self._spawn("worker" if i == 1 else f"worker-{i}", cmd, env=self.env)

    def restart_worker(self) -> None:
        self.start_worker(1)

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        out = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.procs[name] = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    def kill_worker(self) -> list[int]:
        """SIGKILL the Celery worker and every process under it, as a crashed host would."""
        worker = self.procs["worker"]
        victims = [worker.pid, *descendants(worker.pid)]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=10)
        deadline = time.time() + 10
        while any(alive(pid) for pid in victims) and time.time() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in victims), "worker processes survived SIGKILL"
        return victims

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.time() + 30
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.time()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        self.stop_postgres()

    def tail_logs(self, lines: int = 40) -> None:
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()
            print(f"\n----- {path.name} (last {lines} lines) -----")
            print("\n".join(text[-lines:]))

    # -- REST API ---------------------------------------------------------------------------
    def wait_healthy(self, timeout: float = 180) -> None:
        deadline = time.time() + timeout
        health: dict[str, Any] = {}
        while time.time() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}")
            try:
                health = requests.get(f"{self.api}/api/v2/monitor/health", timeout=5).json()
                parts = ("metadatabase", "scheduler", "triggerer", "dag_processor")
                if all((health.get(p) or {}).get("status") == "healthy" for p in parts):
                    break
            except (requests.RequestException, ValueError):
                pass
            time.sleep(1)
        else:
            raise RuntimeError(f"components not healthy after {timeout} s: {health}")
        token = requests.post(f"{self.api}/auth/token", timeout=10,
                              json={"username": "admin", "password": self.password})
        token.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        log(f"api-server on {self.api}: metadatabase, scheduler, triggerer and dag-processor "
            "healthy; token issued")

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.api}/api/v2{path}", timeout=30, **kwargs)

    def wait_for_dag(self, timeout: float = 180) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.call("GET", f"/dags/{DAG_ID}").status_code == 200:
                errors = self.call("GET", "/importErrors").json()
                assert errors["total_entries"] == 0, errors
                response = self.call("PATCH", f"/dags/{DAG_ID}", json={"is_paused": False})
                response.raise_for_status()
                log(f"{DAG_ID} parsed by the dag-processor and unpaused")
                return
            time.sleep(1)
        raise RuntimeError(f"{DAG_ID} was not parsed within {timeout} s")

    def trigger(self, run_id: str, data_dir: Path) -> None:
        response = self.call("POST", f"/dags/{DAG_ID}/dagRuns", json={
            "dag_run_id": run_id, "logical_date": LOGICAL_DATE,
            "conf": {"data_dir": str(data_dir),
                     **({"config": str(self.config)} if self.config else {})}})
        assert response.status_code == 200, response.text
        log(f"triggered {run_id} for {LOGICAL_DATE}, data_dir {data_dir}")

    def run_state(self, run_id: str) -> str:
        return self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}").json()["state"]

    def task_instances(self, run_id: str) -> list[dict[str, Any]]:
        response = self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances",
                             params={"limit": 100})
        response.raise_for_status()
        return response.json()["task_instances"]

    def wait_for_run(self, run_id: str, timeout: float = RUN_TIMEOUT) -> str:
        deadline = time.time() + timeout
        while time.time() < deadline:
            state = self.run_state(run_id)
            if state in {"success", "failed"}:
                return state
            time.sleep(2)
        raise RuntimeError(f"{run_id} still running after {timeout} s")


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        parents.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    out, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        out.extend(children)
        todo.extend(children)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def durations(tis: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds each single (unmapped) task ran."""
    from datetime import datetime

    out = {}
    for ti in tis:
        if ti["map_index"] == -1 and ti.get("start_date") and ti.get("end_date"):
            start, end = (datetime.fromisoformat(ti[k].replace("Z", "+00:00"))
                          for k in ("start_date", "end_date"))
            out[ti["task_id"]] = (end - start).total_seconds()
    return out


MAPPED = ("normalise_shard", "extract_skills_shard")  # the sharded stages' mapped tasks


def timelines(tis: list[dict[str, Any]]) -> dict[str, Any]:
    """Per mapped task of a sharded stage: its instances (shard name, worker host, start and
    end in seconds after the first one started) and the seconds two or more ran at once."""
    from datetime import datetime

    def at(value: str) -> float:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()

    out: dict[str, Any] = {}
    for task_id in MAPPED:
        runs = sorted((at(ti["start_date"]), at(ti["end_date"]),
                       ti.get("rendered_map_index") or str(ti["map_index"]),
                       ti.get("hostname") or "?")
                      for ti in tis if ti["task_id"] == task_id and ti["map_index"] >= 0
                      and ti.get("start_date") and ti.get("end_date"))
        if not runs:
            continue
        t0 = runs[0][0]
        # Seconds covered by at least two instances: sweep over starts (+1) and ends (-1).
        events = sorted([(a, 1) for a, *_ in runs] + [(b, -1) for _, b, *_ in runs])
        together, level, last = 0.0, 0, t0
        for when, step in events:
            if level >= 2:
                together += when - last
            level, last = level + step, when
        out[task_id] = {
            "instances": [{"shard": name, "host": host, "start": round(a - t0, 1),
                           "end": round(b - t0, 1)} for a, b, name, host in runs],
            "span_s": round(max(b for _, b, *_ in runs) - t0, 1),
            "overlap_s": round(together, 1)}
    return out


def tables(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Rows, sha256 and duplicate-row count of each published table, checked against the files."""
    import hashlib

    import polars as pl

    manifest = json.loads((data_dir / "dataset" / "manifest.json").read_text())
    out = {}
    for name, entry in manifest["tables"].items():
        path = data_dir / "dataset" / entry["path"]
        frame = pl.read_parquet(path)
        assert frame.height == entry["rows"], (name, frame.height, entry["rows"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
        duplicates = int(frame.is_duplicated().sum()) if frame.height else 0
        out[name] = {"rows": entry["rows"], "sha256": entry["sha256"], "duplicates": duplicates}
    return out


def release_tables(data_dir: Path) -> dict[str, str]:
    """sha256 of each table of the run's one unpublished release."""
    import hashlib

    (release,) = (data_dir / "dataset" / "releases").iterdir()
    return {p.stem: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(release.glob("*.parquet"))}


def undisturbed(top: Topology) -> dict[str, Any]:
    """One run, nothing killed: its wall time, single tasks' seconds and the mapped tasks'
    timelines (for timing workers against each other). On a `config` night only the
    quality gate may fail (bulk postings fail the role-profile off-topic check,
    benchmarks/README.md), and the report with it, which says so: the unpublished
    release's tables are compared instead."""
    started = time.time()
    data = top.base / "data-undisturbed"
    top.trigger("undisturbed", data)
    state = top.wait_for_run("undisturbed")
    took = time.time() - started
    tis = top.task_instances("undisturbed")
    failed = sorted({ti["task_id"] for ti in tis if ti["state"] == "failed"})
    if top.config is not None and failed in (["validate"], ["report", "validate"]):
        log("the release failed the quality gate (bench postings); comparing it unpublished")
        hashes = release_tables(data)
    else:
        assert state == "success", f"undisturbed run {state}; failed tasks {failed}"
        hashes = {k: v["sha256"] for k, v in tables(data).items()}
    return {"workers": top.workers, "slots": top.slots, "undisturbed_s": took,
            "state": state, "tasks_s": durations(tis), "mapped": timelines(tis),
            "tables": hashes}


def scenario(top: Topology, victim_task: str | None) -> dict[str, Any]:
    """Run 1: undisturbed. Run 2: kill the worker mid-task, restart it. Compare the datasets."""
    base = top.base
    started = time.time()
    top.trigger("undisturbed", base / "data-undisturbed")
    state = top.wait_for_run("undisturbed")
    undisturbed_s = time.time() - started
    assert state == "success", f"undisturbed run {state}"
    first_tis = top.task_instances("undisturbed")
    took = durations(first_tis)
    log(f"undisturbed run succeeded in {undisturbed_s:.0f} s; task seconds: "
        + ", ".join(f"{k} {v:.0f}" for k, v in took.items()))
    for task_id, line in timelines(first_tis).items():
        log(f"{task_id}: {len(line['instances'])} mapped instances in {line['span_s']} s, "
            f"{line['overlap_s']} s of it two or more at once: "
            + "; ".join(f"{i['shard']} on {i['host']} {i['start']}-{i['end']} s"
                        for i in line["instances"]))
    reference = tables(base / "data-undisturbed")
    objectstore = base / "objectstore" / "microcareer"
    mirrored = json.loads((objectstore / "manifest.json").read_text())
    assert mirrored["run_id"] == "undisturbed"
    assert mirrored["tables"] == json.loads(
        (base / "data-undisturbed/dataset/manifest.json").read_text())["tables"]

    # The same logical date again needs the first run's record out of the way.
    response = top.call("DELETE", f"/dags/{DAG_ID}/dagRuns/undisturbed")
    assert response.status_code == 204, response.text

    victim = victim_task or max(("normalise_plan", "normalise", "extract_skills", "aggregate"),
                                key=lambda t: took.get(t, 0))
    started = time.time()
    top.trigger("disturbed", base / "data-disturbed")
    running_since = None
    while True:
        assert time.time() - started < RUN_TIMEOUT, "disturbed run never reached the victim"
        states = {ti["task_id"]: ti["state"] for ti in top.task_instances("disturbed")
                  if ti["map_index"] == -1}
        if states.get(victim) == "running":
            running_since = running_since or time.time()
            if time.time() - running_since >= max(2.0, took.get(victim, 8) / 2):
                break
        elif states.get(victim) in {"success", "failed", "upstream_failed"}:
            raise AssertionError(f"{victim} ended ({states[victim]}) before the kill")
        time.sleep(0.5)
    killed = top.kill_worker()
    log(f"killed the celery worker and its {len(killed) - 1} child processes (SIGKILL) "
        f"while {victim} was running")
    time.sleep(2)
    top.restart_worker()
    log("celery worker restarted")
    state = top.wait_for_run("disturbed")
    disturbed_s = time.time() - started
    tis = top.task_instances("disturbed")
    tries = {ti["task_id"]: ti["try_number"] for ti in tis if ti["map_index"] == -1}
    assert state == "success", f"disturbed run {state}: {tis}"
    assert tries[victim] >= 2, f"{victim} was not retried: {tries}"
    log(f"disturbed run succeeded in {disturbed_s:.0f} s; {victim} ran {tries[victim]} tries")

    result = tables(base / "data-disturbed")
    # Same rows, bytes and duplicate-row counts: nothing lost, nothing written twice.
    assert result == reference, {"undisturbed": reference, "disturbed": result}
    mirrored = json.loads((objectstore / "manifest.json").read_text())
    assert mirrored["run_id"] == "disturbed"
    assert {k: (v["rows"], v["sha256"]) for k, v in mirrored["tables"].items()} == \
        {k: (v["rows"], v["sha256"]) for k, v in reference.items()}
    for name, entry in result.items():
        log(f"  {name}: {entry['rows']} rows, sha256 {entry['sha256'][:12]}, identical")
    return {"undisturbed_s": undisturbed_s, "disturbed_s": disturbed_s, "victim": victim,
            "tries": tries[victim], "tables": len(result)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--victim", help="task to kill the worker under (default: the "
                        "longest of normalise_plan, normalise, extract_skills, aggregate in the "
                        "first run)")
    parser.add_argument("--workers", type=int, default=1, help="Celery workers (default 1)")
    parser.add_argument("--slots", type=int, default=2,
                        help="tasks each worker runs at a time (default 2)")
    parser.add_argument("--undisturbed-only", action="store_true",
                        help="one run, no worker killed: for timing (benchmarks/celery_workers.py)")
    parser.add_argument("--json", type=Path, help="write the run's summary and mapped-task "
                        "timelines here")
    parser.add_argument("--pin-workers", action="store_true", help="each worker (and its "
                        "tasks) on one CPU of its own, as on one-core machines")
    parser.add_argument("--config", type=Path, help="sources YAML to run instead of the "
                        "bundled snapshot (e.g. a `make bench-scale` night's), with the stages' "
                        "own shard sizes")
    args = parser.parse_args()

    t0 = time.time()
    ensure_packages()
    base = Path(tempfile.mkdtemp(prefix="microcareer-celery-"))
    base.chmod(0o755)  # the postgres user must reach its data folder
    top = Topology(base, workers=args.workers, slots=args.slots,
                   config=args.config.resolve() if args.config else None,
                   pin_workers=args.pin_workers)
    ok = False
    try:
        top.start_postgres()
        top.start_redis()
        top.start_airflow()
        top.wait_for_dag()
        summary = (undisturbed(top) if args.undisturbed_only
                   else scenario(top, args.victim))
        if args.json:
            args.json.write_text(json.dumps(summary, indent=1))
        ok = True
    finally:
        if not ok:
            top.tail_logs()
        top.stop()
        log(f"stopped everything; logs in {base / 'logs'}" if args.keep or not ok
            else "stopped everything")
        if ok and not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    total = time.time() - t0
    if args.undisturbed_only:
        log(f"CeleryExecutor topology, {args.workers} worker(s) x {args.slots} slot(s): run "
            f"{summary['undisturbed_s']:.0f} s, all in {total:.0f} s")
        return 0
    log(f"integration: CeleryExecutor topology passed in {total:.0f} s (undisturbed run "
        f"{summary['undisturbed_s']:.0f} s, disturbed run {summary['disturbed_s']:.0f} s, "
        f"{summary['victim']} retried, {summary['tables']} tables identical)")
    print("2 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
