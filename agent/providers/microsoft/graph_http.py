"""Microsoft Graph over plain HTTPS (httpx): throttling, paging, `$batch`.

Terms:
- *mailbox*: the user whose data a request touches (`/users/{mailbox}/...`).
  Exchange Online lets one app have at most 4 requests in flight per mailbox
  and answers 429 beyond; `Graph` keeps to that with a semaphore per mailbox,
  shared by every client in the process. Requests inside a `$batch` count too
  (Graph runs them side by side: Microsoft Q&A 734143 and 1660054), so a batch
  holds at most 4 of them and takes all 4 places of its mailbox while it runs.
- *wait budget* (`max_wait`): how long one call may spend waiting before it
  gives up. 429, 503 and 504 are retried after the Retry-After the service sent
  (or an exponential backoff when it sent none) while the budget lasts; then
  `TemporaryError(retry_after)` goes up and the reconcile loop tries later.
  The budget keeps a tick from blocking for minutes behind one throttled call.

Errors: other 4xx are `PermanentError` carrying Graph's OData code and message
(a 404 can be asked for instead with `missing_ok`); 410 Gone (an expired delta
token) is `SyncReset`, so the caller can start a full sync. Only requests safe
to repeat (`idempotent`) are retried blindly after a 5xx or a network failure: a
504 may come after the mailbox did the work, so for the others (creating or
sending a draft) it is `TemporaryError` at once and the caller's own lookup
decides what happened. A 429 is retried whatever the request: it was refused.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from agent.core.errors import PermanentError, TemporaryError

log = logging.getLogger(__name__)

RETRYABLE = {429, 503, 504}
BATCH_LIMIT = 20  # Graph's limit of requests in one $batch
MAILBOX_CONCURRENCY = 4

_slots: dict[str, tuple[threading.BoundedSemaphore, threading.Lock]] = {}
_slots_lock = threading.Lock()


@contextlib.contextmanager
def _hold(mailbox: str, places: int = 1) -> Iterator[None]:
    """Hold `places` of the mailbox's places in flight; one holder of several at a time, so
    two batches never wait on each other half-served."""
    with _slots_lock:
        slot, gate = _slots.setdefault(mailbox.lower(), (
            threading.BoundedSemaphore(MAILBOX_CONCURRENCY), threading.Lock()))
    with contextlib.ExitStack() as stack:
        if places > 1:
            stack.enter_context(gate)
        for _ in range(places):
            stack.enter_context(slot)
        yield


class SyncReset(PermanentError):
    """A delta link the service no longer knows (410 Gone): start a full sync."""


@dataclass(frozen=True)
class Sub:
    """One request inside a `$batch`: `url` is relative to the API root."""

    method: str
    url: str
    body: Any = None


def retry_after(headers: httpx.Headers | dict[str, str]) -> float | None:
    """Retry-After in seconds, or None when absent or a date."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return None  # an HTTP date: Graph sends seconds; fall back to backoff
    return None


def odata_error(response: httpx.Response) -> str:
    """`code: message` from an OData error body, or the start of whatever came."""
    try:
        error = response.json()["error"]
        return f"{error.get('code', '?')}: {error.get('message', '')}".strip()
    except (ValueError, KeyError, TypeError):
        return response.text[:200] or response.reason_phrase


class Graph:
    """A Graph API root (`https://graph.microsoft.com/v1.0`) reached with a bearer token."""

    def __init__(self, root: str, token: Callable[[], str], *,
                 verify: ssl.SSLContext | bool = True, max_wait: float = 60.0,
                 attempts: int = 6, timeout: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.root = root.rstrip("/")
        self.token = token
        self.max_wait = max_wait
        self.attempts = attempts
        self.sleep = sleep
        self._client = httpx.Client(timeout=timeout, verify=verify, headers={
            # Every time in every answer in UTC: no Windows zone names to translate.
            "Prefer": 'outlook.timezone="UTC"'})

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def _wait(self, what: str, wait: float, waited: float, attempt: int) -> float:
        if attempt + 1 >= self.attempts or waited + wait > self.max_wait:
            raise TemporaryError(f"{what}: still throttled or unavailable after "
                                 f"{attempt + 1} tries", retry_after=wait)
        log.info("%s: retrying in %.1f s", what, wait)
        self.sleep(wait)
        return waited + wait

    def call(self, method: str, url: str, *, mailbox: str, json: Any = None,
             content: bytes | None = None, headers: dict[str, str] | None = None,
             params: dict[str, str] | None = None, idempotent: bool = True,
             missing_ok: bool = False, places: int = 1) -> httpx.Response:
        """One request (`url` absolute or relative to the root), retried as the module says;
        it takes `places` of the mailbox's places in flight (a `$batch` takes them all)."""
        full = url if url.startswith("https://") or url.startswith("http://") \
            else self.root + url
        what = f"Microsoft Graph {method} {url.split('?')[0]}"
        waited = 0.0
        for attempt in range(self.attempts):
            try:
                head = {"Authorization": f"Bearer {self.token()}", **(headers or {})}
                with _hold(mailbox, places):
                    response = self._client.request(method, full, json=json, content=content,
                                                     headers=head, params=params)
            except httpx.TransportError as exc:
                if not idempotent:
                    raise TemporaryError(f"{what}: {exc or type(exc).__name__}") from exc
                waited = self._wait(what, float(2 ** attempt), waited, attempt)
                continue
            status = response.status_code
            if status >= 500 and not idempotent:
                raise TemporaryError(f"{what}: {status} {odata_error(response)}; it may have "
                                     "been done: looked up before any new attempt")
            if status in RETRYABLE or status >= 500:
                wait = retry_after(response.headers)
                waited = self._wait(f"{what}: {status} {odata_error(response)}",
                                    float(2 ** attempt) if wait is None else wait,
                                    waited, attempt)
                continue
            if status == 404 and missing_ok:
                return response
            if status == 410:
                raise SyncReset(f"{what}: {odata_error(response)}")
            if status >= 400:
                raise PermanentError(f"{what} for {mailbox}: {status} {odata_error(response)}")
            return response
        raise AssertionError("unreachable: the last attempt raises")  # pragma: no cover

    def json(self, method: str, url: str, *, mailbox: str, **kwargs: Any) -> dict[str, Any]:
        """The JSON object a call answers ({} for a 404 with `missing_ok` or an empty answer)."""
        response = self.call(method, url, mailbox=mailbox, **kwargs)
        if response.status_code == 404 or not response.content:
            return {}
        try:
            body = response.json()
        except ValueError as exc:
            raise TemporaryError(f"Microsoft Graph {method} {url}: not JSON: {exc}") from exc
        return body if isinstance(body, dict) else {}

    def pages(self, url: str, *, mailbox: str, params: dict[str, str] | None = None,
              headers: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Each page of a collection, following `@odata.nextLink` to the end."""
        page = self.json("GET", url, mailbox=mailbox, params=params, headers=headers)
        yield page
        while "@odata.nextLink" in page:
            page = self.json("GET", page["@odata.nextLink"], mailbox=mailbox, headers=headers)
            yield page

    def batch(self, subs: Sequence[Sub], *, mailbox: str) -> list[tuple[int, Any]]:
        """(status, body) of each request, sent `MAILBOX_CONCURRENCY` at a time (they count
        toward the mailbox's limit); throttled ones are sent again after the largest
        Retry-After among them, within the budget."""
        results: dict[int, tuple[int, Any, float | None]] = {}
        pending = list(range(len(subs)))
        waited, attempt = 0.0, 0
        size = min(BATCH_LIMIT, MAILBOX_CONCURRENCY)
        while pending:
            for start in range(0, len(pending), size):
                chunk = pending[start:start + size]
                payload = {"requests": [_sub_json(i, subs[i]) for i in chunk]}
                answer = self.json("POST", "/$batch", mailbox=mailbox, json=payload,
                                   places=len(chunk))
                for item in answer.get("responses", []):
                    results[int(item["id"])] = (int(item["status"]), item.get("body"),
                                                retry_after(item.get("headers") or {}))
            throttled = [i for i in pending if results.get(i, (503, None, None))[0] in RETRYABLE]
            if not throttled:
                break
            waits = [results[i][2] for i in throttled if i in results]
            wait = max((w for w in waits if w is not None), default=float(2 ** attempt))
            waited = self._wait(f"Microsoft Graph $batch ({len(throttled)} throttled)", wait,
                                waited, attempt)
            pending, attempt = throttled, attempt + 1
        return [(results[i][0], results[i][1]) for i in range(len(subs))]


def _sub_json(index: int, sub: Sub) -> dict[str, Any]:
    item: dict[str, Any] = {"id": str(index), "method": sub.method, "url": sub.url}
    if sub.body is not None:
        item["body"] = sub.body
        item["headers"] = {"Content-Type": "application/json"}
    return item
