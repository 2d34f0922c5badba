"""A fake Microsoft Graph (and Entra ID token endpoint) over real HTTPS.

It speaks the wire protocol the backend uses: JSON bodies, OData error bodies
(`{"error": {"code", "message"}}`), `@odata.nextLink` paging with Graph's small
default page sizes, delta links, `$batch` (at most 20 requests), 401 without a
token it issued, 429 with Retry-After when more than 4 requests for one mailbox
are in flight, and faults a test queues (`fail_next`): a status with
Retry-After, a request processed whose response is lost (`drop`), or processed
and then answered with an error (`after`: a 504 from a gateway that gave up
waiting while the mailbox did the work).

Requests inside a `$batch` count toward the mailbox's limit of 4 in flight:
Graph runs them side by side (Microsoft Q&A 734143, Glen Scales: "requests in
the batch will be executed in parallel so ... if you tried to execute a batch
request with 5 requests the last request would be throttled"; a Microsoft
answer, Q&A 1660054, says Graph dispatches up to four at a time, which the
client's limit satisfies too). Here each sub-request beyond 4 in flight for its
mailbox, counting those outside the batch, gets 429 ApplicationThrottled.

The calendar lives in `graph_calendar.py` (free/busy and delta in
`graph_views.py`), mail in `graph_mail.py`: plain functions over the state in
`FakeGraph`, called for each route.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fakes import graph_auth, graph_calendar, graph_mail, graph_views
from fakes.graph_wire import GraphError, Reply, Request
from fakes.https import HttpsServer


@dataclass
class Fault:
    status: int = 429
    retry_after: str | None = "1"
    drop: bool = False  # process the request, then close the connection without answering
    after: bool = False  # process the request, then answer `status` (not 429) anyway
    match: str = ""  # a regular expression over "METHOD /path"; empty matches anything
    count: int = 1


@dataclass
class FakeGraph:
    users: set[str]
    lock: threading.RLock = field(default_factory=threading.RLock)
    version: int = 0
    epoch: int = 0  # bumped by `expire_sync_state`: older delta tokens answer 410
    faults: list[Fault] = field(default_factory=list)
    delay: float = 0.0  # seconds each Graph request takes (to make requests overlap)
    in_flight: dict[str, int] = field(default_factory=dict)
    max_in_flight: dict[str, int] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)  # "METHOD /path" of every Graph request
    tokens: set[str] = field(default_factory=set)
    auth: dict[str, Any] = field(default_factory=dict)  # graph_auth's state
    events: dict[str, Any] = field(default_factory=dict)  # graph_calendar's state
    messages: dict[str, Any] = field(default_factory=dict)  # graph_mail's state
    notices: list[tuple[str, str, str]] = field(default_factory=list)  # graph_calendar.notify
    rewrites_message_id: bool = False  # graph_mail: True is Exchange putting its own id
    server: HttpsServer | None = None

    def tick(self) -> int:
        self.version += 1
        return self.version

    def fail_next(self, **fault: Any) -> None:
        self.faults.append(Fault(**fault))

    def expire_sync_state(self) -> None:
        self.epoch += 1

    def deliver(self, user: str, raw: bytes) -> str:
        """A message arrives by SMTP in `user`'s inbox; returns its id."""
        with self.lock:
            return graph_mail.deliver(self, user, raw)

    @property
    def base(self) -> str:
        assert self.server is not None
        return self.server.base

    def start(self, cert: Path, key: Path) -> FakeGraph:
        self.server = HttpsServer(_handler(self), cert, key)
        return self

    def close(self) -> None:
        if self.server is not None:
            self.server.close()

    # -- dispatch ---------------------------------------------------------------------
    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if re.search(fault.match, f"{method} {path}"):
                    fault.count -= 1
                    if fault.count <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def graph(self, request: Request) -> Reply:
        """One Graph request (top level or inside $batch), faults and errors included."""
        self.log.append(f"{request.method} {request.path}")
        try:
            match = re.match(r"/(?:users/([^/]+)|me)(/.*)?$", request.path)
            if request.path == "/$batch" and request.method == "POST":
                return batch(self, request)
            if match is None:
                raise GraphError(400, "BadRequest", f"Resource not found for the segment "
                                 f"'{request.path.strip('/').split('/')[0]}'.")
            request.user = unquote(match.group(1) or "").lower()
            if request.user not in self.users:
                raise GraphError(404, "ErrorInvalidUser",
                                 f"The requested user '{request.user}' is invalid.")
            rest = request.path_rest = match.group(2) or "/"
            for routes in (graph_calendar.ROUTES, graph_views.ROUTES, graph_mail.ROUTES):
                for method, pattern, func in routes:
                    found = re.fullmatch(pattern, rest)
                    if found and method == request.method:
                        with self.lock:
                            return func(self, request, *found.groups())
            raise GraphError(400, "BadRequest", f"No route for {request.method} {rest} "
                             "in this fake Graph")
        except GraphError as exc:
            return exc.reply()


def batch(graph: FakeGraph, request: Request) -> Reply:
    payload = request.json()
    items = payload.get("requests")
    if not isinstance(items, list) or not items:
        raise GraphError(400, "BadRequest", "Invalid batch payload format.")
    if len(items) > 20:
        raise GraphError(400, "BadRequest", "Number of requests exceeds the limit of 20.")
    responses = []
    # Side by side (see the module docstring): those beyond 4 in flight per mailbox wait.
    busy = dict(graph.in_flight)
    for item in items:
        url = urlsplit(str(item.get("url", "")))
        headers = {k.lower(): v for k, v in (item.get("headers") or {}).items()}
        body = item.get("body")
        raw = b""
        if body is not None:
            raw = (json.dumps(body).encode() if "json" in headers.get("content-type", "json")
                   else str(body).encode())
        sub = Request(str(item.get("method", "GET")).upper(), unquote(url.path),
                      {k: v[0] for k, v in parse_qs(url.query).items()}, headers, raw)
        mailbox = _mailbox_of(sub.path)
        running = busy.get(mailbox, 0)
        busy[mailbox] = min(running + 1, 4)
        fault = None if mailbox and running >= 4 else graph.take_fault(sub.method, sub.path)
        if mailbox and running >= 4:
            status, head, out = GraphError(429, "ApplicationThrottled", "Application is over "
                                           "its MailboxConcurrency limit.",
                                           {"Retry-After": "1"}).reply()
        elif fault is not None and not fault.drop and not fault.after:
            status, head, out = error_for(fault)
        else:
            status, head, out = graph.graph(sub)
            if fault is not None and fault.after:
                status, head, out = error_for(fault)
        responses.append({"id": item.get("id"), "status": status, "headers": head,
                          "body": out})
    return 200, {}, {"responses": responses}


def _mailbox_of(path: str) -> str:
    user = re.match(r"/users/([^/]+)", path)
    return unquote(user.group(1)).lower() if user else ""


def error_for(fault: Fault) -> Reply:
    code = {429: "TooManyRequests", 504: "GatewayTimeout"}.get(fault.status,
                                                                 "ServiceUnavailable")
    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
    return GraphError(fault.status, code, "Please retry again later.", headers).reply()


def _handler(graph: FakeGraph) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One write per answer, sent at once: else Nagle and delayed ACKs add ~40 ms each.
        disable_nagle_algorithm = True
        wbufsize = -1

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, reply: Reply) -> None:
            status, headers, body = reply
            if isinstance(body, bytes):
                data, kind = body, headers.pop("Content-Type", "text/plain")
            elif body is None:
                data, kind = b"", ""
            else:
                data, kind = json.dumps(body).encode(), "application/json; odata.metadata=minimal"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            path = unquote(url.path)
            if not path.startswith("/v1.0/"):
                self._send(graph_auth.handle(graph, self.command, path, body))
                return
            request = Request(self.command, path[len("/v1.0"):], query, headers, body)
            token = headers.get("authorization", "").removeprefix("Bearer ")
            if token not in graph.tokens:
                self._send(GraphError(401, "InvalidAuthenticationToken",
                                      "Access token is empty or invalid.").reply())
                return
            fault = graph.take_fault(request.method, request.path)
            if fault is not None and not fault.drop and not fault.after:
                self._send(error_for(fault))
                return
            mailbox = _mailbox_of(request.path)
            with graph.lock:
                now = graph.in_flight[mailbox] = graph.in_flight.get(mailbox, 0) + 1
                graph.max_in_flight[mailbox] = max(graph.max_in_flight.get(mailbox, 0), now)
            try:
                if now > 4:
                    reply = GraphError(429, "ApplicationThrottled", "Application is over its "
                                       "MailboxConcurrency limit.", {"Retry-After": "1"}).reply()
                else:
                    time.sleep(graph.delay)
                    reply = graph.graph(request)
            finally:
                with graph.lock:
                    graph.in_flight[mailbox] -= 1
            if fault is not None and fault.drop:  # done, but the client never hears about it
                self.close_connection = True
                return
            self._send(error_for(fault) if fault is not None else reply)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

    return Handler
