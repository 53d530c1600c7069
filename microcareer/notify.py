"""Failure notifications: a webhook notifier for Airflow's `on_failure_callback`.

Set MICROCAREER_NOTIFY_WEBHOOK to an http(s) URL and every task that fails for good (after its
retries) POSTs a small JSON message there; unset, no callback is attached. Standard library only,
so the DAG file can import it while staying cheap to parse.
"""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

from airflow.sdk import BaseNotifier

WEBHOOK_ENV = "MICROCAREER_NOTIFY_WEBHOOK"


class WebhookNotifier(BaseNotifier):
    """POST {dag_id, run_id, task_id, map_index, try_number, logical_date, error} as JSON."""

    template_fields = ("url",)

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        super().__init__()
        self.url = url
        self.timeout = timeout

    def notify(self, context: Any) -> None:
        body = json.dumps(failure_message(context)).encode()
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()


def failure_message(context: Any) -> dict[str, Any]:
    """What failed, from a task callback context (plain keys only: it must serialise)."""
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    logical_date = context.get("logical_date") or getattr(dag_run, "logical_date", None)
    error = context.get("exception") or context.get("reason")
    return {
        "event": "task_failed",
        "dag_id": getattr(ti, "dag_id", None) or getattr(dag_run, "dag_id", None),
        "run_id": context.get("run_id") or getattr(dag_run, "run_id", None),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", None),
        "try_number": getattr(ti, "try_number", None),
        "logical_date": logical_date.isoformat() if logical_date else None,
        "error": str(error) if error else None,
    }


def failure_callbacks(environ: dict[str, str] | None = None) -> list[BaseNotifier]:
    """The notifiers configured in the environment (an empty list when none is)."""
    url = (environ if environ is not None else os.environ).get(WEBHOOK_ENV, "").strip()
    return [WebhookNotifier(url)] if url else []
