"""The mail half of the fake Graph: MIME drafts, send, Sent Items, inbox delta.

A draft is created from base64 MIME (`Content-Type: text/plain`) and keeps the
Message-ID of the MIME as its `internetMessageId`; `send` moves it to Sent
Items under a new id, as Exchange does. `$value` returns the MIME unchanged.
Whether Exchange Online keeps a MIME Message-ID as `internetMessageId` is not
documented anywhere we found: `FakeGraph.rewrites_message_id = True` makes it put
its own, so tests check the backend is right either way. Extended properties set
on a draft stay on its sent copy, and `$filter` finds a message by one, or by
`internetMessageId`, in a folder or in the whole mailbox (`/messages`).
An attendee's answer to a meeting arrives in the organizer's Inbox as an
`eventMessage` (meetingMessageType meetingAccepted, meetingDeclined, ...), which
Graph lists with its `@odata.type` among the messages (eventMessage resource:
"a message that represents a meeting request, cancellation, or response").
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from typing import TYPE_CHECKING, Any

from fakes.graph_wire import GraphError

if TYPE_CHECKING:
    from fakes.graph_server import FakeGraph
    from fakes.graph_wire import Reply, Request

FOLDERS = {"inbox", "drafts", "sentitems", "deleteditems"}
T0 = datetime(2026, 3, 1, tzinfo=UTC)
_ids = itertools.count(1)


@dataclass
class Message:
    id: str
    owner: str
    folder: str
    raw: bytes
    internet_message_id: str
    subject: str
    received: datetime
    version: int
    is_draft: bool = False
    is_read: bool = False
    categories: list[str] = field(default_factory=list)
    ext: dict[str, str] = field(default_factory=dict)
    meeting: str = ""  # an eventMessage's meetingMessageType ("" for plain mail)

    def json(self) -> dict[str, Any]:
        found = {"id": self.id, "@odata.etag": f'W/"m{self.version}"',
                 "internetMessageId": self.internet_message_id, "subject": self.subject,
                 "receivedDateTime": self.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "isDraft": self.is_draft, "isRead": self.is_read,
                 "categories": list(self.categories), "parentFolderId": self.folder}
        if self.ext:
            found["singleValueExtendedProperties"] = [{"id": k, "value": v}
                                                      for k, v in self.ext.items()]
        if self.meeting:
            found |= {"@odata.type": "#microsoft.graph.eventMessage",
                      "meetingMessageType": self.meeting}
        return found


def _new(graph: FakeGraph, owner: str, folder: str, raw: bytes) -> Message:
    headers = BytesHeaderParser().parsebytes(raw)
    imid = str(headers.get("Message-ID") or f"<fake{next(_ids)}@fake.outlook.com>").strip()
    n = next(_ids)
    message = Message(id=f"AAMkMsg{n:06d}", owner=owner, folder=folder, raw=raw,
                      internet_message_id=imid, subject=str(headers.get("Subject", "")),
                      received=T0 + timedelta(seconds=n), version=graph.tick())
    graph.messages[message.id] = message
    return message


def deliver(graph: FakeGraph, user: str, raw: bytes, meeting: str = "") -> str:
    message = _new(graph, user.lower(), "inbox", raw)
    message.meeting = meeting
    return message.id


def _find(graph: FakeGraph, request: Request, ident: str) -> Message:
    message = graph.messages.get(ident)
    if message is None or message.owner != request.user:
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    return message


def _renamed(raw: bytes, n: int) -> tuple[bytes, str]:
    """`raw` with the Message-ID Exchange would put (only when `rewrites_message_id`)."""
    ours = f"<AM{n:06d}FAKE@AM0PR07MB0000.eurprd07.prod.outlook.com>"
    head, sep, body = raw.partition(b"\r\n\r\n")
    lines = [x for x in head.split(b"\r\n") if not x.lower().startswith(b"message-id:")]
    return b"\r\n".join([*lines, b"Message-ID: " + ours.encode()]) + sep + body, ours


def create_draft(graph: FakeGraph, request: Request) -> Reply:
    if not request.headers.get("content-type", "").startswith("text/plain"):
        raise GraphError(400, "ErrorInvalidRequest", "this fake creates drafts from MIME only")
    try:
        raw = base64.b64decode(request.body, validate=True)
    except (binascii.Error, ValueError):
        raise GraphError(400, "ErrorMimeContentInvalidBase64String",
                         "Invalid base64 string for MIME content.") from None
    if graph.rewrites_message_id:
        raw, _ = _renamed(raw, next(_ids))
    message = _new(graph, request.user, "drafts", raw)
    message.is_draft = True
    return 201, {}, message.json()


def send(graph: FakeGraph, request: Request, ident: str) -> Reply:
    message = _find(graph, request, ident)
    if not message.is_draft:
        raise GraphError(400, "ErrorInvalidOperation", "Only drafts can be sent.")
    del graph.messages[message.id]
    sent = _new(graph, request.user, "sentitems", message.raw)
    sent.is_read, sent.ext = True, dict(message.ext)
    return 202, {}, None


def raw_value(graph: FakeGraph, request: Request, ident: str) -> Reply:
    return 200, {"Content-Type": "text/plain"}, _find(graph, request, ident).raw


def get_message(graph: FakeGraph, request: Request, ident: str) -> Reply:
    return 200, {}, _find(graph, request, ident).json()


def patch(graph: FakeGraph, request: Request, ident: str) -> Reply:
    message, body = _find(graph, request, ident), request.json()
    if "categories" in body:
        message.categories = [str(c) for c in body["categories"]]
    if "isRead" in body:
        message.is_read = bool(body["isRead"])
    for prop in body.get("singleValueExtendedProperties", []):
        message.ext[str(prop["id"])] = str(prop["value"])
    message.version = graph.tick()
    return 200, {}, message.json()


def _filter(request: Request) -> Any:
    """A test of one message for the request's `$filter` (internetMessageId or an extended
    property equal to a value); 400 for any other filter."""
    query = request.query.get("$filter", "")
    imid = re.fullmatch(r"internetMessageId eq '((?:[^']|'')*)'", query)
    ext = re.fullmatch(r"singleValueExtendedProperties/Any\(ep: ep/id eq '([^']+)' and "
                       r"ep/value eq '((?:[^']|'')*)'\)", query)
    if imid:
        return lambda m: m.internet_message_id == imid.group(1).replace("''", "'")
    if ext:
        return lambda m: m.ext.get(ext.group(1)) == ext.group(2).replace("''", "'")
    if query:
        raise GraphError(400, "BadRequest", f"Invalid filter clause: {query}")
    return lambda m: True


def folder_messages(graph: FakeGraph, request: Request, folder: str) -> Reply:
    folder = folder.lower()
    if folder not in FOLDERS:
        raise GraphError(404, "ErrorInvalidIdMalformed", f"unknown folder {folder!r}")
    wanted = _filter(request)
    found = [m.json() for m in graph.messages.values()
             if m.owner == request.user and m.folder == folder and wanted(m)]
    return 200, {}, {"value": found[:10]}


def all_messages(graph: FakeGraph, request: Request) -> Reply:
    """`/messages`: every folder of the mailbox."""
    wanted = _filter(request)
    found = [m.json() for m in graph.messages.values() if m.owner == request.user and wanted(m)]
    return 200, {}, {"value": found[:10]}


def _token(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def inbox_delta(graph: FakeGraph, request: Request) -> Reply:
    text = request.query.get("$deltatoken") or request.query.get("$skiptoken")
    state = json.loads(base64.urlsafe_b64decode(text)) if text else {
        "since": -1, "o": 0, "at": graph.version, "g": graph.epoch, "seen": []}
    if state["g"] != graph.epoch:
        raise GraphError(410, "SyncStateNotFound", "The sync state generation is out of date.")
    if "$deltatoken" in request.query:
        state |= {"since": state["at"], "o": 0, "at": graph.version}
    items: list[dict[str, Any]] = []
    here = set()
    for message in sorted(graph.messages.values(), key=lambda m: m.received):
        if message.owner != request.user or message.folder != "inbox":
            continue
        here.add(message.id)
        if state["since"] < message.version <= state["at"]:
            items.append(message.json())
    items += [{"id": gone, "@removed": {"reason": "deleted"}}
              for gone in state["seen"] if gone not in here]
    size = int(re.search(r"maxpagesize=(\d+)", request.headers.get("prefer", "")
                         + " maxpagesize=10").group(1))  # type: ignore[union-attr]
    page, offset = items[state["o"]:state["o"] + size], state["o"] + size
    link = f"{graph.base}/v1.0/users/{request.user}/mailFolders/inbox/messages/delta?"
    if offset < len(items):
        return 200, {}, {"value": page, "@odata.nextLink":
                         link + "$skiptoken=" + _token(state | {"o": offset})}
    state["seen"] = sorted(here)
    return 200, {}, {"value": page, "@odata.deltaLink": link + "$deltatoken=" + _token(state)}


ROUTES = [
    ("POST", r"/messages", create_draft),
    ("POST", r"/messages/([^/]+)/send", send),
    ("GET", r"/messages/([^/]+)/\$value", raw_value),
    ("PATCH", r"/messages/([^/]+)", patch),
    ("GET", r"/messages/([^/]+)", get_message),
    ("GET", r"/messages", all_messages),
    ("GET", r"/mailFolders/([^/]+)/messages", folder_messages),
    ("GET", r"/mailFolders/inbox/messages/delta", inbox_delta),
]
