"""A fake Google, over real HTTP on 127.0.0.1, for the `google` backend's tests.

What it does as Google does:
- OAuth token endpoint (`/token`): a service account's signed JWT (signature
  checked with the key registered by the test, `sub` must be a user the
  delegation covers, scopes must have been granted), an authorization code
  from the consent page (`/o/oauth2/auth`, PKCE checked), or a refresh token; access
  tokens it issued are required on every call (401 otherwise) and must carry one
  of the method's scopes (403 `insufficientPermissions`).
- Calendar v3 under `/calendar/v3/`, Gmail under `/gmail/v1/`; every request is
  routed and checked against the discovery documents (see google_discovery).
- Batch requests (`/batch/calendar/v3`, `/batch/gmail/v1`): multipart/mixed of
  `application/http` parts, answered part by part with matching Content-IDs.
- Injected faults: `fail(method, status, reason, retry_after, times)` answers
  the next matching calls with that error in Google's format; `limit_rate`
  refuses calls beyond a rate, with the Retry-After that ends the excess.
- Calendar usage limits (`trip_usage_limits`): 403 quotaExceeded "Calendar usage
  limits exceeded." on every change to the calendar for hours, while reading
  still works. Google's admin help ("Avoid Calendar use limits",
  support.google.com/a/answer/2905486) says a user who hits them can "edit their
  calendars normally again within several hours" and can still view events; it
  is tripped by sending many invitations, above all to guests outside the domain
  (the Calendar API error guide: "403: Calendar usage limits exceeded", domain
  usageLimits, reason quotaExceeded; not the per-minute API quota).

`calls` lists every API method called (batch parts included); `http_requests`
counts HTTP requests (a batch counts once).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from google.auth import jwt
from google.auth.exceptions import GoogleAuthError

from fakes.google_calendar_state import CalendarState
from fakes.google_discovery import ApiError, Method, check_body, load, parameters, route
from fakes.google_gmail_state import GmailState

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CALENDAR_WRITES = {f"calendar.events.{m}" for m in (
    "insert", "patch", "update", "delete", "import", "move", "quickAdd")}


@dataclass
class Fault:
    method: str  # a method id ("calendar.events.insert"), or "*" for any
    status: int
    reason: str
    retry_after: str | None
    times: int
    after: bool = False  # do the call, then answer the error (a response lost on the way)


class FakeGoogle:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.methods = load("calendar.v3", "/calendar/v3/") + load("gmail.v1", "/")
        self.calendar = CalendarState()
        self.gmail = GmailState()
        self.service_accounts: dict[str, tuple[str, set[str], set[str]]] = {}
        self.refresh_tokens: dict[str, tuple[str, set[str]]] = {}
        self.oauth_clients: dict[str, str] = {}  # installed-app client id -> secret
        self.consent_user = ""  # who signs in on the consent page
        self.codes: dict[str, tuple[dict[str, str], str]] = {}
        self.tokens: dict[str, tuple[str, set[str]]] = {}
        self.faults: list[Fault] = []
        self.calls: list[str] = []
        self.params: list[tuple[str, dict[str, Any]]] = []  # checked query parameters per call
        self.bodies: list[tuple[str, Any]] = []  # request bodies per call
        self.http_requests = 0
        self.token_requests = 0
        self.latency = 0.0  # seconds before answering each API call (outside the lock)
        self.rate: tuple[int, float, Callable[[], float]] | None = None
        self.rate_log: list[float] = []
        self.rejected = 0  # calls refused by the rate limit
        self.usage_limited: tuple[float, Callable[[], float]] | None = None  # until, clock
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]
        self.root = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def start(self) -> FakeGoogle:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test hooks ---------------------------------------------------------------------
    def add_service_account(self, email: str, public_pem: str, users: set[str],
                            scopes: set[str]) -> None:
        """Register a key, and the domain-wide delegation a super-admin granted it."""
        self.service_accounts[email] = (public_pem, users, scopes)

    def add_refresh_token(self, token: str, user: str, scopes: set[str]) -> None:
        self.refresh_tokens[token] = (user, scopes)

    def fail(self, method: str, status: int, reason: str, retry_after: str | None = None,
             times: int = 1, after: bool = False) -> None:
        self.faults.append(Fault(method, status, reason, retry_after, times, after))

    def limit_rate(self, calls: int, window: float, now: Callable[[], float]) -> None:
        """At most `calls` API calls per `window` seconds of the clock `now` (the test's),
        beyond which Google answers 429 rateLimitExceeded with Retry-After."""
        self.rate = (calls, window, now)
        self.rate_log = []

    def _rate_limit(self) -> None:
        if self.rate is None:
            return
        calls, window, now = self.rate
        t = now()
        self.rate_log = [c for c in self.rate_log if c > t - window]
        if len(self.rate_log) >= calls:
            wait = math.ceil(self.rate_log[0] + window - t)
            self.rejected += 1
            raise ApiError(429, "rateLimitExceeded", "Rate Limit Exceeded",
                           {"Retry-After": str(max(wait, 1))}, "usageLimits")
        self.rate_log.append(t)

    def trip_usage_limits(self, hours: float, now: Callable[[], float]) -> None:
        """The programme calendar turns read-only for `hours` of the clock `now` (seconds)."""
        self.usage_limited = (now() + hours * 3600, now)

    def _usage_limits(self, method: str) -> None:
        if self.usage_limited is None or method not in CALENDAR_WRITES:
            return
        until, now = self.usage_limited
        if now() < until:
            raise ApiError(403, "quotaExceeded", "Calendar usage limits exceeded.", {},
                           "usageLimits")

    def expire_access_tokens(self) -> None:
        self.tokens.clear()

    def count(self, prefix: str = "") -> int:
        return sum(1 for c in self.calls if c.startswith(prefix))

    # -- dispatch -----------------------------------------------------------------------
    def handle(self, verb: str, target: str, headers: Any, body: bytes
               ) -> tuple[int, dict[str, str], bytes]:
        if self.latency:
            time.sleep(self.latency)
        with self.lock:
            self.http_requests += 1
            url = urllib.parse.urlsplit(target)
            try:
                if url.path == "/token":
                    return self._json(200, self._token(body))
                if url.path == "/o/oauth2/auth":
                    return self._consent(url.query)
                if url.path.startswith("/batch/"):
                    self._fault("batch")
                    return self._batch(headers, body, url.path)
                return self._json(200, self._api(verb, url, headers, body))
            except ApiError as exc:
                return self._json(exc.status, exc.body(), exc.headers)
            except _OAuthError as exc:
                return self._json(exc.status, exc.args[0])

    def _api(self, verb: str, url: urllib.parse.SplitResult, headers: Any, body: bytes) -> Any:
        method, path_values = route(self.methods, verb, url.path)
        self.calls.append(method.id)
        self._fault(method.id, after=False)
        user = self._authorize(method, headers.get("Authorization", ""))
        self._rate_limit()
        self._usage_limits(method.id)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        query.pop("alt", None)  # the client always asks for JSON
        params = parameters(method, path_values, query)
        self.params.append((method.id, params))
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            raise ApiError(400, "parseError", "Parse Error") from None
        check_body(method, payload)
        self.bodies.append((method.id, payload))
        service = self.calendar if method.id.startswith("calendar.") else self.gmail
        result = service.call(method.id, user, params, payload or {})
        self._fault(method.id, after=True)
        return result

    def _fault(self, method: str, after: bool = False) -> None:
        for fault in self.faults:
            if fault.times > 0 and fault.method in (method, "*") and fault.after == after:
                fault.times -= 1
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                domain = "usageLimits" if fault.status in (403, 429) else "global"
                raise ApiError(fault.status, fault.reason, f"injected {fault.reason}",
                               headers, domain)

    def _authorize(self, method: Method, header: str) -> str:
        token = header.removeprefix("Bearer ").strip()
        if token not in self.tokens:
            raise ApiError(401, "authError", "Request had invalid authentication credentials.",
                           {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
        user, scopes = self.tokens[token]
        if not scopes & method.scopes:
            raise ApiError(403, "insufficientPermissions",
                           "Request had insufficient authentication scopes.")
        return user

    def _token(self, body: bytes) -> dict[str, Any]:
        self.token_requests += 1
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        if form.get("grant_type") == JWT_GRANT:
            user, scopes = self._jwt_grant(form.get("assertion", ""))
        elif form.get("grant_type") == "authorization_code":
            user, scopes = self._code_grant(form)
            refresh = f"1//fake-refresh-{next(self._ids)}"
            self.refresh_tokens[refresh] = (user, scopes)
            token = f"ya29.fake-{next(self._ids)}"
            self.tokens[token] = (user, scopes)
            return {"access_token": token, "expires_in": 3599, "token_type": "Bearer",
                    "refresh_token": refresh, "scope": " ".join(sorted(scopes))}
        elif form.get("grant_type") == "refresh_token":
            found = self.refresh_tokens.get(form.get("refresh_token", ""))
            if found is None:
                raise _OAuthError({"error": "invalid_grant",
                                   "error_description": "Token has been expired or revoked."})
            user, scopes = found
        else:
            raise _OAuthError({"error": "unsupported_grant_type"})
        token = f"ya29.fake-{next(self._ids)}"
        self.tokens[token] = (user, scopes)
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer",
                "scope": " ".join(sorted(scopes))}

    def _consent(self, query: str) -> tuple[int, dict[str, str], bytes]:
        """The consent page: `consent_user` clicks "Allow" at once; back to the app with a code."""
        params = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        if params.get("client_id") not in self.oauth_clients or params.get(
                "response_type") != "code" or params.get("code_challenge_method") != "S256":
            return self._json(400, {"error": "invalid_request"})
        code = f"4/fake-code-{next(self._ids)}"
        self.codes[code] = (params, self.consent_user)
        back = urllib.parse.urlencode({"code": code, "state": params.get("state", ""),
                                       "scope": params.get("scope", "")})
        return 302, {"Location": f"{params['redirect_uri']}?{back}"}, b""

    def _code_grant(self, form: dict[str, str]) -> tuple[str, set[str]]:
        params, user = self.codes.pop(form.get("code", ""), ({}, ""))
        secret = self.oauth_clients.get(form.get("client_id", ""))
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if (not params or secret != form.get("client_secret")
                or params.get("redirect_uri") != form.get("redirect_uri")
                or challenge.decode() != params.get("code_challenge")):
            raise _OAuthError({"error": "invalid_grant", "error_description": "Bad Request"})
        return user, set(params.get("scope", "").split())

    def _jwt_grant(self, assertion: str) -> tuple[str, set[str]]:
        claims = jwt.decode(assertion, verify=False)
        account = self.service_accounts.get(claims.get("iss", ""))
        if account is None:
            raise _OAuthError({"error": "invalid_grant", "error_description": "Invalid email"})
        public, users, granted = account
        try:  # signature, expiry, and the audience google-auth always signs for
            jwt.decode(assertion, certs=public, audience=GOOGLE_TOKEN_URI)
        except (ValueError, GoogleAuthError) as exc:
            raise _OAuthError({"error": "invalid_grant", "error_description": str(exc)}) from None
        scopes = set(claims.get("scope", "").split())
        if claims.get("sub") not in users or not scopes or not scopes <= granted:
            raise _OAuthError({"error": "unauthorized_client", "error_description":
                               "Client is unauthorized to retrieve access tokens using this "
                               "method, or client not authorized for any of the scopes "
                               "requested."}, 401)
        return str(claims["sub"]), scopes

    def _batch(self, headers: Any, body: bytes, path: str) -> tuple[int, dict[str, str], bytes]:
        head = f"Content-Type: {headers.get('Content-Type', '')}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise ApiError(400, "badRequest", "Batch requests must be multipart/mixed")
        parts = list(message.iter_parts())
        # Gmail's batch guide: "You're limited to 100 calls in a single batch request";
        # Calendar's: 1000. Each part still counts as one call against the quotas.
        most = 100 if path.startswith("/batch/gmail") else 1000
        if len(parts) > most:
            raise ApiError(400, "badRequest", f"Too many requests in batch (max {most})")
        boundary = f"batch_{next(self._ids)}"
        out: list[bytes] = []
        for part in parts:
            inner = part.get_payload(decode=True) or b""
            request_line, _, rest = inner.partition(b"\n")  # the client ends lines with \n
            verb, target, _ = request_line.decode().strip().split(" ", 2)
            inner_headers = BytesParser(policy=HTTP).parsebytes(rest)
            inner_body = inner_headers.get_payload(decode=True) or b""
            if not inner_headers.get("Authorization") and headers.get("Authorization"):
                inner_headers["Authorization"] = headers["Authorization"]
            status, extra, payload = self.handle_part(verb, target, inner_headers, inner_body)
            content_id = str(part.get("Content-ID", "")).replace("<", "<response-", 1)
            lines = [f"HTTP/1.1 {status} {'OK' if status < 300 else 'Error'}",
                     "Content-Type: application/json; charset=UTF-8",
                     *(f"{k}: {v}" for k, v in extra.items()),
                     f"Content-Length: {len(payload)}", "", ""]
            out.append(f"--{boundary}\r\nContent-Type: application/http\r\n"
                       f"Content-ID: {content_id}\r\n\r\n".encode() +
                       "\r\n".join(lines).encode() + payload + b"\r\n")
        data = b"".join(out) + f"--{boundary}--\r\n".encode()
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, data

    def handle_part(self, verb: str, target: str, headers: Any, body: bytes
                    ) -> tuple[int, dict[str, str], bytes]:
        url = urllib.parse.urlsplit(target)
        try:
            return self._json(200, self._api(verb, url, headers, body))
        except ApiError as exc:
            return self._json(exc.status, exc.body(), exc.headers)

    @staticmethod
    def _json(status: int, body: Any, headers: dict[str, str] | None = None
              ) -> tuple[int, dict[str, str], bytes]:
        if body is None:
            return 204, dict(headers or {}), b""
        data = json.dumps(body).encode()
        return status, {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}, data


class _OAuthError(Exception):
    def __init__(self, body: dict[str, str], status: int = 400) -> None:
        super().__init__(body)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        fake: FakeGoogle = self.server.fake  # type: ignore[attr-defined]
        status, headers, data = fake.handle(self.command, self.path, self.headers, body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass
