"""Quiet console: our progress lines on stderr, third-party libraries only when they warn."""

from __future__ import annotations

import logging
import os
import sys
import warnings

NOISY = ("great_expectations", "airflow", "alembic", "sqlalchemy", "urllib3", "fastexcel",
         "py.warnings", "asyncio", "httpx")


def quiet() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    if not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.WARNING)


def progress(message: str) -> None:
    """One progress line on stderr (a terminal or a log file alike)."""
    print(message, file=sys.stderr, flush=True)
