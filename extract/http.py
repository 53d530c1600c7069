"""The one HTTP layer every live source uses: timeouts, retries with backoff, identification."""

from __future__ import annotations

import os

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from microcareer import __version__

CONTACT_ENV = "MICROCAREER_CONTACT"
TIMEOUT = (10, 60)  # connect, read seconds
MAX_BYTES = 50 * 1024 * 1024


class FetchError(RuntimeError):
    """A request failed after its retries; the message names the URL and the cause."""


def user_agent() -> str:
    contact = os.environ.get(CONTACT_ENV, "https://github.com/microcareer/microcareer")
    return f"microcareer/{__version__} (+{contact})"


def make_session(retries: int = 3, backoff: float = 1.0) -> requests.Session:
    """A Session retrying connection errors, 429 and 5xx with jittered backoff and Retry-After."""
    retry = Retry(
        total=retries, backoff_factor=backoff, backoff_jitter=0.5,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}), respect_retry_after_header=True,
    )
    session = requests.Session()
    session.headers["User-Agent"] = user_agent()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def get(session: requests.Session, url: str, **kwargs) -> requests.Response:
    """GET `url`; raise FetchError on a network failure, a non-2xx status or an oversized body."""
    try:
        response = session.get(url, timeout=TIMEOUT, stream=True, **kwargs)
        response.raise_for_status()
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise FetchError(f"GET {url} failed: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise FetchError(f"GET {url}: body larger than {MAX_BYTES} bytes")
    response._content = body
    return response
