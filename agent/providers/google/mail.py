"""The `google` mailbox: Gmail API on the programme mailbox.

Terms:
- *ref*: a Gmail message id.
- *cursor*: a Gmail history id. `receive` reads what arrived since it with
  `history.list`; when Gmail no longer has that history (404), or on the first
  call of a process, it lists the inbox instead (everything in INBOX without
  the processed label), so a message read but not acknowledged before a crash
  comes back.
- *processed label*: `acknowledge` puts it on messages; it is the durable
  record of what the agent has handled (visible to the admin in Gmail).

Sending: the raw message keeps our Message-ID; a reply carries `threadId` of
the message it answers (found by its Message-ID) with In-Reply-To and
References, so Gmail keeps the conversation as one thread. `send` first asks
whether that Message-ID is already in Sent, so a retried send sends nothing;
and since a send whose answer was lost (5xx, dropped connection) may have gone
out, it is looked up again rather than repeated. Gmail's search may lag a send
by a few seconds: then the lookup fails, `send` raises TemporaryError, and the
agent's next tick asks `was_sent` before anything else.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Incoming, Outgoing
from agent.providers.base import Mailbox
from agent.providers.google.http import Caller, Conflict, NotFound

log = logging.getLogger(__name__)
USER = "me"
MODIFY_MAX = 1000  # ids per batchModify


def search_name(label: str) -> str:
    """How Gmail's search syntax names a label (`Binome/processed` -> `binome-processed`)."""
    return "-".join(label.lower().replace("/", " ").split())


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
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
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
        """Nothing if Sent has the Message-ID; a send whose answer was lost is looked up again."""
        already = self._find(message.message_id, sent=True)
        if already is not None:
            return str(already["id"])
        body: dict[str, Any] = {"raw": base64.urlsafe_b64encode(message.raw).decode("ascii")}
        thread = self._thread_of(message.raw)
        if thread is not None:
            body["threadId"] = thread
        what = f"sending {message.key!r} to {', '.join(message.recipients)}"
        try:
            sent = self.caller.execute(self._messages().send(userId=USER, body=body), what,
                                       idempotent=False)
        except TemporaryError:
            landed = self._find(message.message_id, sent=True)  # the answer, not the send, lost?
            if landed is None:
                raise
            sent = landed
        self._threads[message.message_id] = sent.get("threadId", "")
        return str(sent["id"])

    def was_sent(self, message_id: str) -> bool:
        """Searches Sent by Message-ID; Gmail's search may lag a send by a few seconds."""
        return self._find(message_id, sent=True) is not None

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
        what = f"reading {len(ids)} message(s)"
        if len(requests) > 1 and self.batch_uri is not None:
            return self.caller.batch(requests, what, self.batch_uri)
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
