"""The `google` mailbox: Gmail API on the programme mailbox.

Terms:
- *ref*: a Gmail message id.
- *cursor*: a Gmail history id. `receive` reads what arrived since it with
  `history.list`; when Gmail no longer has that history (404), or on the first
  call of a process, it lists the inbox instead (everything in INBOX without
  the processed label), so a message read but not acknowledged before a crash
  comes back. A message deleted for good since still has its id in the history:
  it is skipped, in a batch as one at a time.
- *processed label*: `acknowledge` puts it on messages; it is the durable
  record of what the agent has handled (visible to the admin in Gmail).

Sending: Gmail's API replaces the Message-ID of what it sends with one of its
own and keeps no trace of ours (FlowCrypt/flowcrypt-browser#4273, gauteh/lieer#198),
so a send is settled by what Gmail keeps: `deliver` returns Gmail's id and the
Message-ID recipients really see (read back once), which the agent indexes for
their replies; `delivery` finds a send whose answer was lost, or made before a
crash, among the Sent mail to its first recipient since its Date (`to:` and
`after:` are what Gmail's search indexes), by its X-Binome-Key header (Gmail
keeps it), or by our Message-ID should Gmail ever keep that. Gmail's search may
lag a send by a few seconds: then the lookup fails, `send` raises TemporaryError,
and the agent asks `delivery` before anything else.

Why the API and not SMTP with the same OAuth token (XOAUTH2), where Gmail keeps
our Message-ID (lieer#198)? SMTP needs the full-access scope
`https://mail.google.com/` where the API needs only `gmail.modify`, a second
protocol and connection to keep, and still the API to find a send after a crash
and to read replies; and the SMTP backend is being written apart (#17). Settling
by what Gmail keeps works whichever way Gmail treats the header.

Threads: Gmail joins a sent message to a thread only when its subject matches
the thread's (and References names a message of it), so the thread is looked up
only for a reply that keeps the subject (`Re: ...`); otherwise Gmail would start
a new thread anyway and the lookup would be wasted.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from datetime import timedelta
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime
from typing import Any

from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Incoming, Outgoing
from agent.providers.base import Delivery, Mailbox
from agent.providers.google.http import Caller, Conflict, NotFound

log = logging.getLogger(__name__)
USER = "me"
MODIFY_MAX = 1000  # ids per batchModify
SETTLE_MARGIN = timedelta(days=2)  # how far before a message's Date its send is looked for
SETTLE_MAX = 200  # Sent messages to one person looked at, at most, to settle a send
HEADERS = ["Message-ID", "X-Binome-Key"]


def search_name(label: str) -> str:
    """How Gmail's search syntax names a label (`Binome/processed` -> `binome-processed`)."""
    return "-".join(label.lower().replace("/", " ").split())


def headers_of(raw: bytes) -> Message:
    """The header section of a raw message, parsed leniently."""
    return BytesHeaderParser(policy=compat32).parsebytes(raw)


class GoogleMailbox(Mailbox):
    """`Mailbox` over the Gmail account the credentials act as."""

    def __init__(self, service: Any, caller: Caller, label: str = "Binome/processed",
                 batch_uri: str | None = None) -> None:
        self.service = service
        self.caller = caller
        self.label = label
        self.batch_uri = batch_uri
        self._label_id: str | None = None
        self._pending: dict[str, tuple[int, Incoming]] = {}  # ref -> (internal date, message)
        self._fresh = True
        self._threads: dict[str, str] = {}  # Message-ID -> Gmail thread id
        self._sent: dict[str, Delivery] = {}  # our Message-ID -> how it went out

    def _messages(self) -> Any:
        return self.service.users().messages()

    # -- sending ----------------------------------------------------------------------
    def _find(self, message_id: str, sent: bool) -> dict[str, Any] | None:
        bare = message_id.strip().strip("<>")
        if not bare or any(c.isspace() for c in bare):
            return None
        query: dict[str, Any] = {"userId": USER, "q": f"rfc822msgid:{bare}",
                                 "includeSpamTrash": True, "maxResults": 1}
        if sent:
            query["labelIds"] = ["SENT"]
        page = self.caller.execute(self._messages().list(**query),
                                   f"looking for the message {message_id}")
        found = page.get("messages") or []
        return dict(found[0]) if found else None

    def _thread_of(self, raw: bytes) -> str | None:
        headers = headers_of(raw)
        if not str(headers.get("Subject", "") or "").strip().lower().startswith("re:"):
            return None  # another subject: Gmail starts a new thread whatever we say
        refs = str(headers.get("References", "") or "").split()
        parent = str(headers.get("In-Reply-To", "") or "").strip()
        for candidate in [parent, *reversed(refs)]:
            if not candidate:
                continue
            if candidate not in self._threads:
                found = self._find(candidate, sent=False)
                if found is None:
                    continue
                self._threads[candidate] = found["threadId"]
            return self._threads[candidate]
        return None

    def send(self, message: Outgoing) -> str:
        """As `deliver`; returns Gmail's message id."""
        return self.deliver(message).ref

    def deliver(self, message: Outgoing) -> Delivery:
        """Nothing if it went out already; a send whose answer was lost is looked up again."""
        already = self.delivery(message)
        if already is not None:
            return already
        raw = keyed(message.raw, message.key)
        body: dict[str, Any] = {"raw": base64.urlsafe_b64encode(raw).decode("ascii")}
        thread = self._thread_of(raw)
        if thread is not None:
            body["threadId"] = thread
        what = f"sending {message.key!r} to {', '.join(message.recipients)}"
        try:
            sent = self.caller.execute(self._messages().send(userId=USER, body=body), what,
                                       idempotent=False)
        except TemporaryError:
            landed = self.delivery(message)  # the answer, not the send, lost?
            if landed is None:
                raise
            return landed
        done = Delivery(str(sent["id"]), self._message_id_of(str(sent["id"]),
                                                             message.message_id))
        self._threads[done.message_id] = sent.get("threadId", "")
        self._sent[message.message_id] = done
        return done

    def _message_id_of(self, ref: str, fallback: str) -> str:
        """The Message-ID Gmail gave the sent message `ref` (what its recipients see)."""
        found = self.caller.execute(self._messages().get(
            userId=USER, id=ref, format="metadata", metadataHeaders=["Message-ID"]),
            f"reading the Message-ID Gmail gave {ref}")
        return _header(found, "Message-ID") or fallback

    def delivery(self, message: Outgoing) -> Delivery | None:
        """Found in Sent by what Gmail keeps (see the module docstring), or None."""
        if message.message_id in self._sent:
            return self._sent[message.message_id]
        for found in self._candidates(message):
            headers = {h: _header(found, h) for h in HEADERS}
            if headers["X-Binome-Key"] == message.key or \
                    headers["Message-ID"] == message.message_id:
                done = Delivery(str(found["id"]), headers["Message-ID"] or message.message_id)
                self._sent[message.message_id] = done
                return done
        return None

    def _candidates(self, message: Outgoing) -> list[dict[str, Any]]:
        """The headers of Sent messages that may be `message`: to its first recipient, since a
        little before its Date."""
        head = headers_of(message.raw)
        query = f"to:{message.recipients[0]}" if message.recipients else ""
        try:
            since = parsedate_to_datetime(str(head.get("Date", "")))
            query += f" after:{int((since - SETTLE_MARGIN).timestamp())}"
        except (TypeError, ValueError):
            pass  # no Date: every Sent message to that person, newest first
        ids: list[str] = []
        pages = self.caller.pages(lambda token: self._messages().list(
            userId=USER, labelIds=["SENT"], q=query.strip(), includeSpamTrash=True,
            maxResults=100, pageToken=token), f"looking for {message.key!r} in Sent")
        for page in pages:
            ids += [m["id"] for m in page.get("messages", [])]
            if len(ids) >= SETTLE_MAX:
                break
        requests = [self._messages().get(userId=USER, id=i, format="metadata",
                                         metadataHeaders=HEADERS) for i in ids[:SETTLE_MAX]]
        return self._run_all(requests, f"reading the headers of {len(requests)} sent message(s)")

    def was_sent(self, message_id: str) -> bool:
        """Searches Sent by Message-ID; Gmail replaces ours when it sends, so after a restart
        only `delivery` (which knows the key and the recipients) can tell."""
        return message_id in self._sent or self._find(message_id, sent=True) is not None

    # -- receiving --------------------------------------------------------------------
    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        """The history since `cursor`; the unprocessed inbox on a process's first call or a 404."""
        ids: list[str] = []
        new_cursor = cursor or ""
        if cursor and not self._fresh:
            try:
                ids, new_cursor = self._history(cursor)
            except NotFound:
                log.info("Gmail history %s is gone: listing the inbox again", cursor)
                cursor = None
        if not cursor or self._fresh:
            ids, new_cursor = self._inbox()
            self._fresh = False
        fresh = [i for i in ids if i not in self._pending]
        label = self._label() if fresh else ""
        for message in self._fetch(fresh):
            labels = set(message.get("labelIds", []))
            if label in labels or "SENT" in labels or "INBOX" not in labels:
                continue
            raw = base64.urlsafe_b64decode(message["raw"] + "=" * (-len(message["raw"]) % 4))
            self._pending[message["id"]] = (int(message.get("internalDate", 0)),
                                            Incoming(message["id"], raw))
        ordered = sorted(self._pending.items(), key=lambda item: (item[1][0], item[0]))
        return [incoming for _, (_, incoming) in ordered], new_cursor

    def _history(self, cursor: str) -> tuple[list[str], str]:
        ids: list[str] = []
        latest = cursor
        pages = self.caller.pages(lambda token: self.service.users().history().list(
            userId=USER, startHistoryId=cursor, historyTypes=["messageAdded"],
            labelId="INBOX", pageToken=token), "reading the mailbox history")
        for page in pages:
            for record in page.get("history", []):
                ids += [added["message"]["id"] for added in record.get("messagesAdded", [])]
            latest = str(page.get("historyId", latest))
        return list(dict.fromkeys(ids)), latest

    def _inbox(self) -> tuple[list[str], str]:
        # The history id is read first: what arrives while we list shows up in both.
        profile = self.caller.execute(self.service.users().getProfile(userId=USER),
                                      "reading the mailbox profile")
        ids: list[str] = []
        pages = self.caller.pages(lambda token: self._messages().list(
            userId=USER, labelIds=["INBOX"], q=f"-label:{search_name(self.label)}",
            pageToken=token, maxResults=500), "listing the inbox")
        for page in pages:
            ids += [m["id"] for m in page.get("messages", [])]
        return ids, str(profile["historyId"])

    def _fetch(self, ids: list[str]) -> list[dict[str, Any]]:
        requests = [self._messages().get(userId=USER, id=i, format="raw") for i in ids]
        return self._run_all(requests, f"reading {len(ids)} message(s)")

    def _run_all(self, requests: list[Any], what: str) -> list[dict[str, Any]]:
        """The answers to `requests` (one batch when there are several), leaving out messages
        gone meanwhile: history names messages deleted for good since (404)."""
        if len(requests) > 1 and self.batch_uri is not None:
            answers = self.caller.batch(requests, what, self.batch_uri, missing_ok=True)
            return [a for a in answers if a is not None]
        found = []
        for request in requests:
            try:
                found.append(self.caller.execute(request, what))
            except NotFound:
                continue  # deleted between the listing and now
        return found

    def acknowledge(self, refs: Sequence[str]) -> None:
        """Puts the processed label on the messages and marks them read."""
        refs = list(dict.fromkeys(refs))
        if not refs:
            return
        label = self._label()
        for start in range(0, len(refs), MODIFY_MAX):
            chunk = refs[start:start + MODIFY_MAX]
            self.caller.execute(self._messages().batchModify(userId=USER, body={
                "ids": chunk, "addLabelIds": [label], "removeLabelIds": ["UNREAD"]}),
                f"labelling {len(chunk)} message(s) as processed")
        for ref in refs:
            self._pending.pop(ref, None)

    def _label(self) -> str:
        if self._label_id is None:
            self._label_id = self._existing_label()
        if self._label_id is None:
            try:
                created = self.caller.execute(self.service.users().labels().create(
                    userId=USER, body={"name": self.label, "labelListVisibility": "labelShow",
                                       "messageListVisibility": "show"}),
                    f"creating the label {self.label!r}")
                self._label_id = str(created["id"])
            except Conflict:  # created meanwhile by another run
                self._label_id = self._existing_label()
        if self._label_id is None:
            raise PermanentError(f"cannot create or find the Gmail label {self.label!r}")
        return self._label_id

    def _existing_label(self) -> str | None:
        listed = self.caller.execute(self.service.users().labels().list(userId=USER),
                                     "listing labels")
        for label in listed.get("labels", []):
            if label.get("name") == self.label:
                return str(label["id"])
        return None


def keyed(raw: bytes, key: str) -> bytes:
    """`raw` with an X-Binome-Key header naming `key` (added first when missing; the agent's
    own messages have it): it is what finds the message in Sent once Gmail renamed it."""
    if headers_of(raw).get("X-Binome-Key") is not None or not (key.isascii() and key.isprintable()):
        return raw
    return f"X-Binome-Key: {key}\r\n".encode() + raw


def _header(message: dict[str, Any], name: str) -> str:
    """A header of a message read with format=metadata ("" when absent)."""
    for header in message.get("payload", {}).get("headers", []):
        if str(header.get("name", "")).lower() == name.lower():
            return str(header.get("value", "")).strip()
    return ""
