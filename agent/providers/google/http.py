"""Calling Google APIs: retries, waits and the two failure kinds of the contract.

Every request of the `google` backend goes through `Caller`, never through the
client library's own `num_retries`: that one ignores Retry-After and never
retries 403 `quotaExceeded`. Here:

- 429, 403 `rateLimitExceeded` / `userRateLimitExceeded`, 5xx and transport
  failures (refused, reset, timed out) are retried with exponential backoff and
  full jitter, never sooner than the service's Retry-After, while the total wait
  stays under `Policy.max_wait`; past that, `TemporaryError(retry_after)`.
- 403 `quotaExceeded` is Calendar's "Calendar usage limits exceeded": not a
  per-minute quota but the calendar turned read-only for hours (Google's admin
  help, "Avoid Calendar use limits": users "edit their calendars normally again
  within several hours"), tripped by mailing invitations too often. Waiting a
  minute and retrying, tick after tick, only adds to it: it is `UsageLimited`
  at once, with `retry_after` the Retry-After or `Policy.usage_pause`.
  `dailyLimitExceeded` does not wait either (the window is a day).
- 404, 409 and 410 become `NotFound`, `Conflict`, `Gone` (kinds of
  `PermanentError`) so that callers can turn them into answers (a 409 on insert
  means "already created"); every other 4xx is a `PermanentError` naming the
  request and Google's message.

`sleep` and `rand` are parameters so tests wait milliseconds, reproducibly.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from agent.core.clock import Clock
from agent.core.errors import PermanentError, TemporaryError

log = logging.getLogger(__name__)

RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "backendError"}
QUOTA_REASON = "quotaExceeded"
BATCH_MAX = 50  # Google accepts up to 1000 calls per batch, but advises 50


class NotFound(PermanentError):
    """404: the thing (event, message, history id) does not exist (any more)."""


class Conflict(PermanentError):
    """409: the id is taken (an insert that already happened)."""


class Gone(PermanentError):
    """410: a sync token expired; a full sync is needed."""


class UsageLimited(TemporaryError):
    """403 quotaExceeded: Calendar's usage limits; changes fail for hours (module docstring)."""


@dataclass(frozen=True)
class Policy:
    """How long to insist before handing the failure back to the agent's loop."""

    attempts: int = 6
    base: float = 1.0  # first backoff, seconds; doubled at each attempt
    cap: float = 32.0  # largest single backoff
    max_wait: float = 60.0  # total waiting for one call, beyond which TemporaryError
    usage_pause: float = 2 * 3600.0  # how long Calendar's usage limits are left alone


@dataclass(frozen=True)
class Failure:
    """One failed call as the retry rules see it (status 0: no HTTP answer at all)."""

    status: int
    reason: str
    message: str
    retry_after: float | None


class Caller:
    """Runs requests built by googleapiclient with the retry rules above."""

    def __init__(self, clock: Clock, policy: Policy | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 rand: random.Random | None = None) -> None:
        self.clock = clock
        self.policy = policy or Policy()
        self.sleep = sleep
        self.rand = rand or random.Random()

    def execute(self, request: Any, what: str, idempotent: bool = True) -> Any:
        """Run one request; returns its decoded JSON body.

        A request that is not `idempotent` (a Gmail send) is retried only when Google
        surely did not act on it (rate limits); after a 5xx or a lost connection it may
        have, so the caller gets the TemporaryError and checks before trying again.
        """
        return self._insist(what, lambda: self._once(request), idempotent)

    def pages(self, make: Callable[[str | None], Any], what: str) -> Iterator[dict[str, Any]]:
        """Each page of a listing: `make(page_token)` builds the request for one page
        (None for the first); stops after the page without a `nextPageToken`."""
        token: str | None = None
        while True:
            page: dict[str, Any] = self.execute(make(token), what)
            yield page
            token = page.get("nextPageToken")
            if not token:
                return

    def batch(self, requests: Sequence[Any], what: str, uri: str,
              missing_ok: bool = False) -> list[Any]:
        """Run `requests` as few batch HTTP requests (to `uri`); results in the same order.

        Parts failing with a retryable error are sent again (only them), with the
        same waits as a single call; a part failing for good fails the whole call,
        except a 404 when `missing_ok` (its result is None: the thing is gone).
        """
        results: dict[int, Any] = {}
        todo = list(range(len(requests)))
        answers: dict[str, tuple[Any, HttpError | None]] = {}

        def keep(rid: str, response: Any, exc: HttpError | None) -> None:
            answers[rid] = (response, exc)

        def round_() -> None:
            answers.clear()
            for start in range(0, len(todo), BATCH_MAX):
                batch = BatchHttpRequest(callback=keep, batch_uri=uri)
                for index in todo[start:start + BATCH_MAX]:
                    batch.add(requests[index], request_id=str(index))
                self._once(batch)
            failures: dict[int, Failure] = {}
            for rid, (response, exc) in answers.items():
                if exc is None:
                    results[int(rid)] = response
                    continue
                failure = failure_of(exc, self.clock)
                if missing_ok and failure.status == 404:
                    results[int(rid)] = None
                else:
                    failures[int(rid)] = failure
            todo[:] = sorted(failures)
            if failures:  # the one that decides: a permanent failure, else the longest wait
                worst = max(failures.values(),
                            key=lambda f: (not retryable(f), f.retry_after or 0.0))
                raise _PartsFailed(worst)

        self._insist(what, round_)
        return [results[i] for i in range(len(requests))]

    # -- the loop -------------------------------------------------------------------
    def _once(self, request: Any) -> Any:
        return request.execute(num_retries=0) if not isinstance(
            request, BatchHttpRequest) else request.execute()

    def _insist(self, what: str, call: Callable[[], Any], idempotent: bool = True) -> Any:
        waited, attempt = 0.0, 0
        while True:
            try:
                return call()
            except _PartsFailed as exc:
                failure = exc.failure
            except HttpError as exc:
                failure = failure_of(exc, self.clock)
            except RefreshError as exc:
                # google-auth says whether a refresh failure is worth retrying.
                if not getattr(exc, "retryable", False):
                    raise PermanentError(f"{what}: Google refused the credentials: {exc}; "
                                         "check the key, or run `binome auth google` again"
                                         ) from exc
                failure = Failure(0, "refresh", str(exc), None)
            except (TimeoutError, TransportError, httplib2.HttpLib2Error, OSError) as exc:
                failure = Failure(0, "transport", f"{type(exc).__name__}: {exc}", None)
            attempt += 1
            if not idempotent and (failure.status == 0 or failure.status >= 500):
                raise TemporaryError(f"{what}: {describe(failure)}; it may have been done: "
                                     "checked before any new attempt")
            if failure.reason == QUOTA_REASON:
                pause = max(failure.retry_after or 0.0, self.policy.usage_pause)
                raise UsageLimited(f"{what}: {describe(failure)}; Google lifts these limits "
                                   "after some hours", retry_after=pause)
            delay = self._delay(failure, attempt)
            if delay is None:
                raise error_for(failure, what)
            if waited + delay > self.policy.max_wait or attempt >= self.policy.attempts:
                raise TemporaryError(f"{what}: {describe(failure)}; gave up after "
                                     f"{attempt} attempt(s)", retry_after=max(delay, 1.0))
            log.info("%s: %s; retrying in %.2f s", what, describe(failure), delay)
            self.sleep(delay)
            waited += delay

    def _delay(self, failure: Failure, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None: do not retry."""
        if not retryable(failure):
            return None
        backoff = min(self.policy.cap, self.policy.base * 2.0 ** (attempt - 1))
        jittered = backoff * (0.5 + self.rand.random() / 2)
        return max(jittered, failure.retry_after or 0.0)


class _PartsFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        self.failure = failure


def retryable(failure: Failure) -> bool:
    """Whether `failure` is worth another attempt (rate limits, 5xx, transport)."""
    return (failure.status in (0, 429) or failure.status >= 500
            or (failure.status == 403 and failure.reason in RATE_REASONS))


def failure_of(exc: HttpError, clock: Clock) -> Failure:
    """What a googleapiclient `HttpError` says: status, first reason, message, Retry-After."""
    status = int(exc.resp.status)
    reason, message = "", str(getattr(exc, "reason", "") or "")
    try:
        body = json.loads(exc.content.decode("utf-8", "replace"))
        error = body.get("error", {}) if isinstance(body, dict) else {}
        message = str(error.get("message", message))
        errors = error.get("errors") or [{}]
        reason = str(errors[0].get("reason", ""))
    except (ValueError, AttributeError):
        pass
    header = exc.resp.get("retry-after")
    return Failure(status, reason, message, retry_after_of(str(header) if header else None, clock))


def retry_after_of(value: str | None, clock: Clock) -> float | None:
    """Retry-After as seconds: it is either a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - clock.now()).total_seconds())


def describe(failure: Failure) -> str:
    """`failure` in a few words, for messages and logs."""
    if failure.status == 0:
        return failure.message
    reason = f" {failure.reason}" if failure.reason else ""
    return f"HTTP {failure.status}{reason}: {failure.message}"


def error_for(failure: Failure, what: str) -> PermanentError | TemporaryError:
    """The contract's failure for a call that will not be retried."""
    text = f"{what}: {describe(failure)}"
    kinds: dict[int, type[PermanentError]] = {404: NotFound, 409: Conflict, 410: Gone}
    if failure.status in kinds:
        return kinds[failure.status](text)
    if failure.reason == "dailyLimitExceeded":
        return TemporaryError(text, retry_after=3600.0)
    if failure.status == 401:
        return PermanentError(f"{text}; the credentials were refused: check the service "
                              "account's delegation, or run `binome auth google` again")
    return PermanentError(text)
