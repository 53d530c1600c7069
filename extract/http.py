"""The one HTTP layer every live source uses.

A `Client` per source wraps a requests Session that
- identifies itself (User-Agent with a contact: $MICROCAREER_CONTACT),
- waits between requests to the same host (per-host rate limit, requests-ratelimiter),
- retries connection errors, 429 and 5xx with jittered exponential backoff, honouring
  Retry-After up to a cap (urllib3 Retry),
- revalidates what it fetched before (ETag / Last-Modified, so an unchanged board costs a 304;
  requests-cache, SQLite under the data folder),
- gives up on bodies over a size cap, and
- checks robots.txt (Protego) before scraping a page.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from requests_cache import CacheMixin
from requests_ratelimiter import LimiterMixin
from urllib3.util.retry import Retry

from schemas.project import VERSION as __version__

CONTACT_ENV = "MICROCAREER_CONTACT"
KEEP_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Date", "Cache-Control")


class FetchError(RuntimeError):
    """A request failed after its retries; the message names the URL and the cause."""


@dataclass(frozen=True)
class Policy:
    """How politely and patiently a source is fetched; a source's options override these."""

    timeout: tuple[float, float] = (10.0, 60.0)  # connect, read seconds
    retries: int = 3
    backoff: float = 1.0
    retry_after_max: int = 120  # never sleep longer than this on a Retry-After
    rate_per_second: float = 1.0  # per host
    max_bytes: int = 50 * 1024 * 1024
    refetch_after_hours: float = 0.0  # 0: revalidate every run; Remotive asks for >= 6
    max_pages: int = 20

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Policy:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in options.items() if k in known}
        if "timeout" in values and not isinstance(values["timeout"], (list, tuple)):
            values["timeout"] = (float(values["timeout"]), float(values["timeout"]))
        elif "timeout" in values:
            values["timeout"] = tuple(float(t) for t in values["timeout"])
        return cls(**values)


def user_agent() -> str:
    contact = os.environ.get(CONTACT_ENV, "https://github.com/microcareer/microcareer")
    return f"microcareer/{__version__} (+{contact})"


class PoliteSession(CacheMixin, LimiterMixin, requests.Session):
    """requests.Session with an HTTP cache (conditional requests) and a per-host limiter."""


def make_session(policy: Policy | None = None, cache: Path | None = None) -> PoliteSession:
    policy = policy or Policy()
    expire = timedelta(hours=policy.refetch_after_hours) if policy.refetch_after_hours else 0
    session = PoliteSession(
        cache_name=str(cache) if cache else "microcareer-http",
        backend="sqlite" if cache else "memory",
        cache_control=True, expire_after=expire, allowable_codes=(200,),
        per_second=policy.rate_per_second, per_host=True, max_delay=None,
    )
    retry = Retry(
        total=policy.retries, backoff_factor=policy.backoff, backoff_jitter=0.5,
        status_forcelist=(429, 500, 502, 503, 504), allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True, retry_after_max=policy.retry_after_max,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = user_agent()
    return session


class Client:
    """Fetches URLs for one source under its `Policy`; every failure is a FetchError."""

    def __init__(self, policy: Policy | None = None, cache: Path | None = None) -> None:
        self.policy = policy or Policy()
        self.session = make_session(self.policy, cache)
        self._robots: dict[str, Protego | None] = {}
        self._last_page: dict[str, float] = {}
        self.requests = 0

    def get(self, url: str, headers: dict[str, str] | None = None) -> requests.Response:
        self.requests += 1
        try:
            response = self.session.get(url, headers=headers, timeout=self.policy.timeout)
        except requests.exceptions.RetryError as exc:
            raise FetchError(f"GET {url}: gave up after {self.policy.retries} retries "
                             f"({_reason(exc)})") from exc
        except requests.RequestException as exc:
            raise FetchError(f"GET {url} failed: {type(exc).__name__}: {_reason(exc)}") from exc
        if response.status_code >= 400:
            raise FetchError(f"GET {url}: HTTP {response.status_code} {response.reason}")
        declared = int(response.headers.get("Content-Length") or 0)
        if max(declared, len(response.content)) > self.policy.max_bytes:
            raise FetchError(f"GET {url}: body larger than {self.policy.max_bytes} bytes")
        return response

    def meta(self, response: requests.Response) -> dict[str, Any]:
        """What the landing zone's sidecar keeps of a response."""
        headers = {h: response.headers[h] for h in KEEP_HEADERS if h in response.headers}
        return {"url": response.url, "status": response.status_code, "headers": headers,
                "from_cache": bool(getattr(response, "from_cache", False)),
                "revalidated": bool(getattr(response, "is_expired", False)), "replayed": False}

    def allowed(self, url: str) -> bool:
        """robots.txt of the URL's site allows us to fetch it (no robots.txt: allowed)."""
        rules = self._robots_for(url)
        return rules is None or rules.can_fetch(url, user_agent())

    def crawl_delay(self, url: str) -> float:
        rules = self._robots_for(url)
        delay = rules.crawl_delay(user_agent()) if rules is not None else None
        return float(delay or 0)

    def polite_get(self, url: str) -> requests.Response:
        """GET a page to scrape: robots.txt first, then its Crawl-delay between pages."""
        if not self.allowed(url):
            raise FetchError(f"GET {url}: disallowed by robots.txt")
        site = _site(url)
        wait = self.crawl_delay(url) - (time.monotonic() - self._last_page.get(site, -1e9))
        if wait > 0:
            time.sleep(wait)
        self._last_page[site] = time.monotonic()
        return self.get(url)

    def _robots_for(self, url: str) -> Protego | None:
        site = _site(url)
        if site not in self._robots:
            # RFC 9309: no robots.txt (4xx) allows all; an unreachable one (5xx) disallows all.
            try:
                response = self.session.get(urljoin(site, "/robots.txt"),
                                            timeout=self.policy.timeout)
                status, text = response.status_code, response.text
            except requests.RequestException:
                status, text = 503, ""
            if status >= 500:
                text = "User-agent: *\nDisallow: /"
            self._robots[site] = Protego.parse(text) if status < 400 or status >= 500 else None
        return self._robots[site]


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _reason(exc: Exception) -> str:
    inner = getattr(exc, "args", [None])[0]
    reason = getattr(inner, "reason", None) or inner or exc
    return str(reason)[:300]
