"""A fake Exchange Web Services endpoint: SOAP over HTTP, for exchangelib.

exchangelib builds and parses every message; this fake answers the operations
the `exchange` backend uses (GetFolder, FindItem with restrictions and calendar
views, GetItem with occurrence ids, CreateItem, UpdateItem, DeleteItem,
GetServerTimeZones, GetUserAvailability) from items kept in memory, with
Exchange's response codes. Basic authentication is checked. A test can queue
`busy(n, back_off_ms)`: ErrorServerBusy with BackOffMilliseconds, as a
throttled Exchange answers; or put an operation in `drop`: it is done, and
the connection closes before the answer.

Items live in `ews_store.py`; this module is the SOAP plumbing.
"""

from __future__ import annotations

import base64
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

S = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
for _prefix, _uri in (("s", S), ("m", M), ("t", T)):
    ET.register_namespace(_prefix, _uri)


def m(tag: str) -> str:
    return f"{{{M}}}{tag}"


def t(tag: str) -> str:
    return f"{{{T}}}{tag}"


class EwsError(Exception):
    """One response message in error (`code` is an EWS ResponseCode)."""

    def __init__(self, code: str, text: str, xml: ET.Element | None = None) -> None:
        super().__init__(text)
        self.code, self.text, self.xml = code, text, xml


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def message(op: str, error: EwsError | None = None) -> ET.Element:
    """An empty `<m:{op}ResponseMessage>`, in success or in `error`."""
    node = ET.Element(m(f"{op}ResponseMessage"),
                      {"ResponseClass": "Error" if error else "Success"})
    if error is not None:
        sub(node, m("MessageText"), error.text)
        sub(node, m("ResponseCode"), error.code)
        sub(node, m("DescriptiveLinkKey"), "0")
        if error.xml is not None:
            sub(node, m("MessageXml")).append(error.xml)
    else:
        sub(node, m("ResponseCode"), "NoError")
    return node


# A handler returns its response messages, or (GetUserAvailability) its whole response.
Handler = Callable[["FakeEws", ET.Element], "list[ET.Element] | ET.Element"]


@dataclass
class FakeEws:
    username: str
    password: str
    users: set[str]
    store: Any = None  # ews_store.Store
    default_user: str = ""  # whose mailbox a request without a folder id acts on
    operations: dict[str, Handler] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)  # operation names, in order
    busy_left: int = 0
    busy_ms: int = 0
    drop: set[str] = field(default_factory=set)  # operations done once, their answer lost
    delay: float = 0.0  # seconds each answer takes, so a test's kills land between calls
    lock: threading.RLock = field(default_factory=threading.RLock)
    httpd: ThreadingHTTPServer | None = None

    @property
    def endpoint(self) -> str:
        assert self.httpd is not None
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/EWS/Exchange.asmx"

    def busy(self, times: int, back_off_ms: int) -> None:
        self.busy_left, self.busy_ms = times, back_off_ms

    def start(self) -> FakeEws:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def close(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    def answer(self, body: bytes) -> tuple[int, bytes]:
        try:
            envelope = ET.fromstring(body)
        except ET.ParseError as exc:
            return 500, fault("a:ErrorSchemaValidation", f"The request is not XML: {exc}")
        request = envelope.find(f"{{{S}}}Body/*")
        if request is None:
            return 500, fault("a:ErrorSchemaValidation", "No operation in the SOAP body.")
        op = request.tag.split("}")[1]
        self.log.append(op)
        handler = self.operations.get(op)
        if handler is None:
            return 500, fault("a:ErrorInvalidRequest", f"this fake does not answer {op}")
        if self.busy_left > 0:  # as Exchange throttles: a SOAP fault, HTTP 500
            self.busy_left -= 1
            return 500, busy_fault(self.busy_ms)
        try:
            with self.lock:
                messages = handler(self, request)
        except EwsError as exc:  # the whole request refused: a SOAP fault, as Exchange does
            return 500, fault(f"a:{exc.code}", exc.text, exc.code)
        return 200, envelope_of(op, messages)


def envelope_of(op: str, messages: list[ET.Element] | ET.Element) -> bytes:
    env = ET.Element(f"{{{S}}}Envelope")
    header = sub(env, f"{{{S}}}Header")
    sub(header, t("ServerVersionInfo"), MajorVersion="15", MinorVersion="1",
        MajorBuildNumber="2507", MinorBuildNumber="6", Version="V2017_07_11")
    body = sub(env, f"{{{S}}}Body")
    if isinstance(messages, ET.Element):
        body.append(messages)
    else:
        response = sub(body, m(f"{op}Response"))
        holder = sub(response, m("ResponseMessages"))
        for item in messages:
            holder.append(item)
    return b"<?xml version='1.0' encoding='utf-8'?>" + ET.tostring(env)


def busy_fault(back_off_ms: int) -> bytes:
    e = "http://schemas.microsoft.com/exchange/services/2006/errors"
    env = ET.Element(f"{{{S}}}Envelope")
    node = sub(sub(env, f"{{{S}}}Body"), f"{{{S}}}Fault")
    sub(node, "faultcode", "a:ErrorServerBusy")
    sub(node, "faultstring", "The server cannot service this request right now. Try again later.")
    detail = sub(node, "detail")
    sub(detail, f"{{{e}}}ResponseCode", "ErrorServerBusy")
    sub(detail, f"{{{e}}}Message", "The server cannot service this request right now.")
    sub(sub(detail, t("MessageXml")), t("Value"), str(back_off_ms), Name="BackOffMilliseconds")
    return ET.tostring(env)


def fault(code: str, text: str, response_code: str = "") -> bytes:
    e = "http://schemas.microsoft.com/exchange/services/2006/errors"
    env = ET.Element(f"{{{S}}}Envelope")
    body = sub(env, f"{{{S}}}Body")
    node = sub(body, f"{{{S}}}Fault")
    sub(node, "faultcode", code)
    sub(node, "faultstring", text)
    if response_code:
        detail = sub(node, "detail")
        sub(detail, f"{{{e}}}ResponseCode", response_code)
        sub(detail, f"{{{e}}}Message", text)
    return ET.tostring(env)


def _handler(ews: FakeEws) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # One write per answer, sent at once: else Nagle and delayed ACKs add ~40 ms each.
        disable_nagle_algorithm = True
        wbufsize = -1

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, data: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            expected = base64.b64encode(f"{ews.username}:{ews.password}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {expected}":
                self._reply(401, b"", {"WWW-Authenticate": 'Basic realm="fake"'})
                return
            time.sleep(ews.delay)
            status, data = ews.answer(body)
            op = ews.log[-1] if ews.log else ""
            if op in ews.drop:  # done, but the client never hears about it
                ews.drop.discard(op)
                self.close_connection = True
                return
            self._reply(status, data)

    return Handler
