"""Gmail as Google keeps it: messages, threads, labels, history ids, search.

Every change (a message added, a label added or removed) takes the next history
id. `expire_history(user)` makes older history ids answer 404, as Gmail does
when it no longer keeps that far back. Sending joins `threadId` only when the
message's References / In-Reply-To name a message of that thread and the
subjects match (Gmail's own rule); otherwise it starts a new thread.
Search (`q`) knows the operators the backend uses: `rfc822msgid:`, `in:`,
`label:`, `-label:`, `to:` and `after:`.

As Gmail really does, and awkward for us:
- `messages.send` replaces the Message-ID of the message with one of its own and
  keeps no trace of ours (FlowCrypt/flowcrypt-browser#4273: "Gmail overwrites
  Message-ID and don't even keep the original value"; #4876 removed Message-ID
  retention from their own Gmail mock for that reason; gauteh/lieer#198: mail
  sent through the API gets a new Message-ID, mail sent over SMTP keeps its own).
  Other headers (our X-Binome-Key) are kept: no report says otherwise, and
  `keeps_message_id = True` lets a test check the code is right either way.
- `delete_for_good(user, id)` is a message deleted for ever (emptied from the
  Trash): `messages.get` answers 404, while the history records that added it
  still name it, so a history listing returns ids that no longer exist.
"""

from __future__ import annotations

import base64
import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from fakes.google_discovery import ApiError

SYSTEM = ["INBOX", "SENT", "UNREAD", "TRASH", "SPAM", "DRAFT", "IMPORTANT", "STARRED"]


@dataclass
class Message:
    id: str
    thread: str
    labels: list[str]
    raw: bytes
    date: int
    message_id: str
    subject: str


@dataclass
class Box:
    messages: dict[str, Message] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=lambda: {s: s for s in SYSTEM})
    history: list[dict[str, Any]] = field(default_factory=list)
    floor: int = 0


def headers_of(raw: bytes) -> Any:
    return BytesHeaderParser(policy=compat32).parsebytes(raw)


def bare_subject(subject: str) -> str:
    return re.sub(r"^((re|fwd?|tr)\s*:\s*)+", "", subject.strip(), flags=re.I).lower()


def search_name(name: str) -> str:
    return "-".join(name.lower().replace("/", " ").split())


def _moment(value: str) -> int:
    """An `after:`/`before:` value in seconds since the epoch: seconds, or a date read as
    midnight US Pacific time (the Gmail API's filtering guide says both)."""
    if value.isdigit():
        return int(value)
    day = datetime.strptime(value.replace("-", "/"), "%Y/%m/%d")
    return int(day.replace(tzinfo=ZoneInfo("America/Los_Angeles")).timestamp())


class GmailState:
    def __init__(self) -> None:
        self.boxes: dict[str, Box] = {}
        self.history_id = 1000
        self.page_cap = 500  # Gmail may return fewer items than asked: tests lower this
        self.keeps_message_id = False  # True: as if Gmail kept ours (the code works either way)
        self._ids = itertools.count(0x18c0000000)
        self._clock = itertools.count(1_700_000_000_000, 1000)
        self._rewritten = itertools.count(1)

    def box(self, user: str) -> Box:
        return self.boxes.setdefault(user, Box())

    # -- test hooks ---------------------------------------------------------------------
    def deliver(self, user: str, raw: bytes) -> str:
        """A message arrives in `user`'s inbox, threaded by its References as Gmail does."""
        head = headers_of(raw)
        refs = str(head.get("References", "") or "").split()
        refs.append(str(head.get("In-Reply-To", "") or "").strip())
        box = self.box(user)
        thread = next((m.thread for m in box.messages.values() if m.message_id in refs), None)
        return self._add(user, raw, ["INBOX", "UNREAD"], thread).id

    def expire_history(self, user: str) -> None:
        self.box(user).floor = self.history_id + 1

    def delete_for_good(self, user: str, mid: str) -> None:
        """The message is gone for ever (deleted from the Trash, or `messages.delete`): Gmail
        records a messagesDeleted entry, and the entries that added it still name it."""
        box = self.box(user)
        message = box.messages.pop(mid)
        self._record(user, "messagesDeleted", message, [])

    def sent(self, user: str) -> list[Message]:
        return [m for m in self.box(user).messages.values() if "SENT" in m.labels]

    # -- storage ------------------------------------------------------------------------
    def _record(self, user: str, kind: str, message: Message, labels: list[str]) -> None:
        self.history_id += 1
        ref = {"id": message.id, "threadId": message.thread, "labelIds": list(message.labels)}
        entry = {"id": str(self.history_id), "messages": [ref],
                 kind: [{"message": ref, **({"labelIds": labels} if labels else {})}]}
        self.box(user).history.append(entry)

    def _add(self, user: str, raw: bytes, labels: list[str], thread: str | None) -> Message:
        head = headers_of(raw)
        mid = f"{next(self._ids):x}"
        message_id = str(head.get("Message-ID", "") or f"<{mid}@mail.gmail.com>").strip()
        message = Message(mid, thread or mid, labels, raw, self._received(head), message_id,
                          str(head.get("Subject", "") or ""))
        self.box(user).messages[mid] = message
        self._record(user, "messagesAdded", message, [])
        return message

    def _received(self, head: Any) -> int:
        """internalDate: when Gmail took the message. The tests run on a simulated clock,
        which the agent writes into each Date header: that Date stands for the moment."""
        tick = next(self._clock)
        try:
            when = parsedate_to_datetime(str(head.get("Date", "")))
        except (TypeError, ValueError):
            return tick
        return int(when.timestamp() * 1000) + tick % 1000

    def _rewrite_message_id(self, raw: bytes) -> bytes:
        """The raw message as Gmail sends it: our Message-ID replaced by one of Gmail's."""
        if self.keeps_message_id:
            return raw
        ours = f"<CAGm{next(self._rewritten):06d}x{next(self._ids):x}@mail.gmail.com>"
        head, sep, body = raw.partition(b"\r\n\r\n")
        lines = [line for line in head.split(b"\r\n")
                 if not line.lower().startswith(b"message-id:")]
        return b"\r\n".join([*lines, b"Message-ID: " + ours.encode()]) + sep + body

    # -- the API ------------------------------------------------------------------------
    def call(self, method: str, user: str, params: dict[str, Any], body: dict[str, Any]) -> Any:
        if params.get("userId") not in ("me", user):
            raise ApiError(403, "forbidden", "Delegation denied for " + user)
        name = method.removeprefix("gmail.users.").replace(".", "_")
        handler = getattr(self, name, None)
        if handler is None:
            raise ApiError(501, "notImplemented", f"the fake does not implement {method}")
        return handler(self.box(user), user, params, body)

    def getProfile(self, box: Box, user: str, params: dict[str, Any], body: Any) -> Any:
        threads = {m.thread for m in box.messages.values()}
        return {"emailAddress": user, "messagesTotal": len(box.messages),
                "threadsTotal": len(threads), "historyId": str(self.history_id)}

    def messages_send(self, box: Box, user: str, params: dict[str, Any], body: Any) -> Any:
        if not body.get("raw"):
            raise ApiError(400, "invalidArgument", "'raw' RFC822 payload message string or "
                           "uploading message via /upload/* URL required")
        try:
            raw = base64.urlsafe_b64decode(body["raw"] + "=" * (-len(body["raw"]) % 4))
        except ValueError:
            raise ApiError(400, "invalidArgument", "Invalid raw payload") from None
        head = headers_of(raw)
        if not head.get("To") and not head.get("Cc") and not head.get("Bcc"):
            raise ApiError(400, "invalidArgument", "Recipient address required")
        thread = body.get("threadId")
        if thread is not None:
            members = [m for m in box.messages.values() if m.thread == thread]
            if not members:
                raise ApiError(404, "notFound", "Requested entity was not found.")
            refs = set(str(head.get("References", "") or "").split())
            refs.add(str(head.get("In-Reply-To", "") or "").strip())
            subject = bare_subject(str(head.get("Subject", "") or ""))
            if not any(m.message_id in refs for m in members) or all(
                    bare_subject(m.subject) != subject for m in members):
                thread = None  # Gmail quietly starts a new thread
        message = self._add(user, self._rewrite_message_id(raw), ["SENT"], thread)
        return {"id": message.id, "threadId": message.thread, "labelIds": message.labels}

    def _matches(self, box: Box, message: Message, query: str) -> bool:
        for token in query.split():
            negate = token.startswith("-")
            op, _, value = token.lstrip("-").partition(":")
            if op == "rfc822msgid":
                hit = message.message_id.strip("<>") == value.strip("<>")
            elif op == "in":
                hit = value.upper() in message.labels
            elif op == "label":
                names = {search_name(box.labels[i]) for i in message.labels if i in box.labels}
                hit = search_name(value) in names
            elif op == "to":
                head = headers_of(message.raw)
                people = getaddresses([str(head.get(h, "") or "") for h in ("To", "Cc")])
                hit = value.lower() in {a.lower() for _, a in people}
            elif op in ("after", "before"):
                hit = (message.date // 1000 > _moment(value)) == (op == "after")
            else:
                hit = token.lower().encode() in message.raw.lower()
            if hit == negate:
                return False
        return True

    def messages_list(self, box: Box, user: str, params: dict[str, Any], body: Any) -> Any:
        hidden = set() if params.get("includeSpamTrash") else {"SPAM", "TRASH"}
        wanted = set(params.get("labelIds", []))
        found = [m for m in box.messages.values()
                 if wanted <= set(m.labels) and not hidden & set(m.labels)
                 and self._matches(box, m, params.get("q", ""))]
        found.sort(key=lambda m: m.date, reverse=True)  # newest first, like Gmail
        size = min(int(params.get("maxResults", 100)), self.page_cap)
        offset = int(params.get("pageToken", "0") or 0)
        page: dict[str, Any] = {"resultSizeEstimate": len(found)}
        if found[offset:offset + size]:
            page["messages"] = [{"id": m.id, "threadId": m.thread}
                                for m in found[offset:offset + size]]
        if offset + size < len(found):
            page["nextPageToken"] = str(offset + size)
        return page

    def messages_get(self, box: Box, user: str, params: dict[str, Any], body: Any) -> Any:
        message = box.messages.get(params["id"])
        if message is None:
            raise ApiError(404, "notFound", "Requested entity was not found.")
        found: dict[str, Any] = {"id": message.id, "threadId": message.thread,
                                 "labelIds": list(message.labels), "historyId":
                                 str(self.history_id), "internalDate": str(message.date),
                                 "sizeEstimate": len(message.raw)}
        form = params.get("format", "full")
        if form == "raw":
            found["raw"] = base64.urlsafe_b64encode(message.raw).decode("ascii")
        elif form == "metadata":  # only the headers asked for (all of them when none is)
            wanted = {h.lower() for h in params.get("metadataHeaders", [])}
            head = headers_of(message.raw)
            found["payload"] = {"headers": [
                {"name": name, "value": str(value)} for name, value in head.items()
                if not wanted or name.lower() in wanted]}
        return found

    def messages_batchModify(self, box: Box, user: str, params: dict[str, Any],
                             body: Any) -> Any:
        adding, removing = body.get("addLabelIds", []), body.get("removeLabelIds", [])
        for label in adding + removing:
            if label not in box.labels:
                raise ApiError(400, "invalidArgument", f"Invalid label: {label}")
        if len(body.get("ids", [])) > 1000:
            raise ApiError(400, "invalidArgument", "Too many ids (max 1000)")
        for mid in body.get("ids", []):
            message = box.messages.get(mid)
            if message is None:
                continue
            added = [label for label in adding if label not in message.labels]
            removed = [label for label in removing if label in message.labels]
            message.labels = [x for x in message.labels if x not in removed] + added
            if added:
                self._record(user, "labelsAdded", message, added)
            if removed:
                self._record(user, "labelsRemoved", message, removed)
        return None

    def labels_list(self, box: Box, user: str, params: dict[str, Any], body: Any) -> Any:
        return {"labels": [{"id": i, "name": n, "type": "system" if i in SYSTEM else "user"}
                           for i, n in box.labels.items()]}

    def labels_create(self, box: Box, user: str, params: dict[str, Any], body: Any) -> Any:
        name = body.get("name", "")
        if not name or any(n.lower() == name.lower() for n in box.labels.values()):
            raise ApiError(409, "alreadyExists", "Label name exists or conflicts")
        lid = f"Label_{len(box.labels)}"
        box.labels[lid] = name
        return {"id": lid, "name": name, "type": "user"}

    def history_list(self, box: Box, user: str, params: dict[str, Any], body: Any) -> Any:
        start = int(params.get("startHistoryId", "0") or 0)
        if start < box.floor or start > self.history_id:
            raise ApiError(404, "notFound", "Requested entity was not found.")
        names = {"messageAdded": "messagesAdded", "messageDeleted": "messagesDeleted",
                 "labelAdded": "labelsAdded", "labelRemoved": "labelsRemoved"}
        kinds = {names[k] for k in params.get("historyTypes", [])} or {
            "messagesAdded", "labelsAdded", "labelsRemoved"}
        label = params.get("labelId")
        found = []
        for entry in box.history:
            if int(entry["id"]) <= start or not kinds & set(entry):
                continue
            if label and not any(label in m["labelIds"] for m in entry["messages"]):
                continue
            found.append(entry)
        size = min(int(params.get("maxResults", 100)), self.page_cap)
        offset = int(params.get("pageToken", "0") or 0)
        page: dict[str, Any] = {"historyId": str(self.history_id)}
        if found[offset:offset + size]:
            page["history"] = found[offset:offset + size]
        if offset + size < len(found):
            page["nextPageToken"] = str(offset + size)
        return page
