"""Helpers for tests that run sources: recorded fixtures, sources YAMLs (served by a local HTTP
server, or replaying a slice of the snapshot) and the hostile sources of issue 16."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml

from tests.paths import FIXTURES, SNAPSHOT

FAST = {"rate_per_second": 1000, "retries": 1, "backoff": 0.01, "timeout": 5}


def fixture(name: str) -> bytes:
    data = (FIXTURES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def fixture_json(name: str):
    return json.loads(fixture(name).decode("utf-8-sig"))


def write_sources(folder: Path, sources: list[dict]) -> Path:
    """A sources YAML; every source gets test-speed HTTP options unless it sets its own."""
    path = folder / "sources.yaml"
    doc = {"version": 1, "sources": [{**FAST, **s} for s in sources]}
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


# A slice of the bundled snapshot: four sectors' postings and two course catalogues.
SMALL_SOURCES = {
    "ashby": ["ashby/1password.json.gz", "ashby/dailypay.json.gz", "ashby/equip.json.gz",
              "ashby/hadrian-automation.json.gz"],
    "nhs_jobs": ["nhs_jobs/nhs_jobs_sample_2020-11.tar.gz"],
    "usajobs_2017": ["usajobs_2017/pharmacy_N_118_20171223141402.csv.gz"],
    "emscad": ["emscad/fake_job_postings_first499.csv.gz"],
    "edx": ["edx/edx_courses.csv.gz"],
    "mit_learn": ["mit_learn/mit_learn_api_v1_courses_ocw_sample.json.gz"],
}


def write_config(folder: Path, sources: dict[str, list[str]] | None = None,
                 extra: list[dict] | None = None) -> Path:
    """A sources YAML replaying `sources` (name -> snapshot payload files) from the snapshot."""
    full = yaml.safe_load((SNAPSHOT / "sources.yaml").read_text())
    chosen = []
    for src in full["sources"]:
        if sources is None or src["name"] in sources:
            keep = [p for p in src["partitions"]
                    if sources is None or p["replay"] in sources[src["name"]]]
            chosen.append({**src, "partitions": keep})
    doc = {"version": 1, "replay_dir": str(SNAPSHOT / "payloads"),
           "sources": chosen + (extra or [])}
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


# ---------- the hostile-source scenario of issue 16 (tests/e2e/test_scenario.py and
# tests/dags/test_dag.py)

MIB = 1024 * 1024


def gzip_bomb(inflated: int) -> bytes:
    """A gzip body of `inflated` zero bytes (about 1/1000 of that on the wire)."""
    import zlib

    z = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(MIB)
    return b"".join(z.compress(block) for _ in range(inflated // MIB)) + z.flush()


def stream_zeros(size: int):
    """A handler streaming `size` bytes of '0' in 1 MiB chunks (never held whole)."""
    from werkzeug import Response

    def handler(request):
        def body():
            for _ in range(size // MIB):
                yield b"0" * MIB
        return Response(body(), content_type="application/json")
    return handler


def drip(request, interval: float = 0.5):
    """A handler sending one byte every `interval` seconds, 20 times."""
    import time

    from werkzeug import Response

    def body():
        for _ in range(20):
            time.sleep(interval)
            yield b" "
    return Response(body(), content_type="application/json")


def fault_sources(httpserver) -> tuple[list[dict], dict[str, str]]:
    """Sources (config entries) each served one fault by `httpserver`, and for each the words
    its report must give as the reason. Greenhouse's good payload has 3 jobs."""
    from werkzeug import Response

    good = fixture_json("greenhouse_gitlab.json")
    good_body = json.dumps(good).encode()
    faults = {
        # name: (connector, how the server answers, source options, reason)
        "f_500": ("greenhouse", Response("oops", status=500), {},
                  "too many 500 error responses"),
        "f_429": ("greenhouse", Response("slow down", status=429, headers={"Retry-After": "1"}),
                  {"retries": 2}, "too many 429 error responses"),
        "f_truncated": ("greenhouse", Response(good_body[: len(good_body) // 2]), {},
                        "not valid JSON"),
        "f_html": ("greenhouse", Response(b"<html><body>Down for maintenance</body></html>",
                                          content_type="text/html"), {}, "not valid JSON"),
        "f_64mib": ("greenhouse", stream_zeros(64 * MIB), {"max_bytes": MIB}, "larger than"),
        "f_bomb": ("greenhouse", Response(gzip_bomb(1024 * MIB),
                                          headers={"Content-Encoding": "gzip"},
                                          content_type="application/json"),
                   {"max_bytes": MIB}, "after decompression"),
        "f_overflow": ("lever", Response(b'[{"id": "a", "text": "Nurse", "createdAt": 1e400}]'),
                       {}, "out of range"),
        "f_oserror": ("lever", Response(b'[{"id": "a", "text": "Nurse", '
                                        b'"createdAt": 100000000000000000000}]'), {},
                      "out of range"),
        "f_recursion": ("greenhouse", Response(b'{"jobs": ' + b"[" * 50_000 + b"]" * 50_000
                                               + b"}"), {}, "nested deeper"),
        "f_attribute": ("ashby", Response(json.dumps({"jobs": [
            {"id": "a", "title": "Nurse", "compensation": ["not", "a", "dict"]}]})), {},
            "AttributeError"),
        "f_bad_record": ("greenhouse", Response(json.dumps(
            {"jobs": [*good["jobs"], {"title": "no id"}]})), {}, "KeyError"),
        "f_content_length": ("greenhouse", Response(good_body, headers={
            "Content-Length": "12abc"}, content_type="application/json"), {}, ""),
        "f_drip": ("greenhouse", drip, {"timeout": [3, 3], "deadline": 2, "retries": 0},
                   "deadline"),
    }
    sources, reasons = [], {}
    for name, (connector, answer, options, reason) in faults.items():
        path = f"/{name}"
        if isinstance(answer, Response):
            httpserver.expect_request(path).respond_with_response(answer)
        else:
            httpserver.expect_request(path).respond_with_handler(answer)
        sources.append({**FAST, "name": name, "connector": connector, **options,
                        "partitions": [{"key": name, "url": httpserver.url_for(path)}]})
        reasons[name] = reason
    return sources, reasons
