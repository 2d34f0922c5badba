"""`Mailbox` on Microsoft 365 through Graph: the programme mailbox sends and receives.

Sending: a draft is created from our MIME, tagged with the mail's key in an
extended property of ours (which Exchange keeps on the sent copy), then sent.
Neither step is repeated blindly: after a 5xx or a lost answer the mailbox is
asked what already happened, by the key and by `internetMessageId`: a sent
copy means sent (the ref is our Message-ID, the same however often we ask); a
draft means a crash or a lost answer came between the steps, and that draft is
sent. Whether Exchange Online keeps our MIME Message-ID as `internetMessageId`
is documented nowhere: the key finds the message either way, and `deliver`
reports the `internetMessageId` Exchange gave, which is what recipients see and
cite. One gap remains, as with any mail service: Exchange files the sent copy a
moment after `send`, so a crash in that moment followed by an immediate restart
can send twice.

Receiving: a delta query on the Inbox. Acknowledged messages get our category
(`PROCESSED`) and are read; messages not yet acknowledged are kept in the
cursor, since a delta link only reports what changed. The cursor is JSON:
`{"delta": link, "pending": {id: receivedDateTime}}`. Exchange files attendees'
answers to meetings in the Inbox too, as `eventMessage` items: they are calendar
business (Exchange applies them to the meeting, where the calendar reads them),
so they are marked processed here and never handed to the reply reader.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Sequence
from typing import Any

from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Incoming, Outgoing
from agent.providers.base import Delivery, Mailbox
from agent.providers.microsoft.graph_events import MAIL_KEY_PROP, key_filter
from agent.providers.microsoft.graph_http import Graph, Sub, SyncReset

log = logging.getLogger(__name__)

PROCESSED = "Binôme: processed"
PREFER_PAGE = 'outlook.timezone="UTC", odata.maxpagesize=50'


class GraphMailbox(Mailbox):
    """`Mailbox` over the programme mailbox on Microsoft 365, through Graph."""

    def __init__(self, graph: Graph, mailbox: str) -> None:
        self.graph = graph
        self.mailbox = mailbox.lower()
        self.base = f"/users/{self.mailbox}"

    def _find(self, folder: str, message_id: str) -> str | None:
        quoted = message_id.replace("'", "''")
        page = self.graph.json("GET", f"{self.base}/mailFolders/{folder}/messages",
                               mailbox=self.mailbox, params={
                                   "$filter": f"internetMessageId eq '{quoted}'",
                                   "$select": "id,internetMessageId"})
        found = page.get("value") or []
        return str(found[0]["id"]) if found else None

    def was_sent(self, message_id: str) -> bool:
        return self._find("sentitems", message_id) is not None

    def send(self, message: Outgoing) -> str:
        """As `deliver`; the ref is our Message-ID."""
        return self.deliver(message).ref

    def _search(self, message: Outgoing) -> dict[str, Any] | None:
        """Our message anywhere in the mailbox (Drafts or Sent Items), by its key, else by
        the Message-ID it was created with; a sent copy rather than a draft."""
        quoted = message.message_id.replace("'", "''")
        for query in (key_filter(message.key, MAIL_KEY_PROP),
                      f"internetMessageId eq '{quoted}'"):
            page = self.graph.json("GET", f"{self.base}/messages", mailbox=self.mailbox,
                                   params={"$filter": query,
                                           "$select": "id,isDraft,internetMessageId"})
            found = sorted(page.get("value") or [], key=lambda m: bool(m.get("isDraft")))
            if found:
                return dict(found[0])
        return None

    def delivery(self, message: Outgoing) -> Delivery | None:
        """Found sent, by its key or its Message-ID (module docstring), or None."""
        found = self._search(message)
        if found is None or found.get("isDraft"):
            return None
        return Delivery(message.message_id, str(found.get("internetMessageId")
                                                or message.message_id))

    def deliver(self, message: Outgoing) -> Delivery:
        """A tagged draft from our MIME, then sent; what happened asked first, and after
        any step that may have been done."""
        found = self._search(message)
        if found is not None and not found.get("isDraft"):
            return Delivery(message.message_id, str(found.get("internetMessageId")
                                                    or message.message_id))
        if found is None:
            try:
                found = self.graph.json("POST", f"{self.base}/messages", mailbox=self.mailbox,
                                        content=base64.b64encode(message.raw),
                                        headers={"Content-Type": "text/plain"},
                                        idempotent=False)
            except TemporaryError:
                found = self._search(message)  # created, its answer lost? then go on
                if found is None:
                    raise
        draft = str(found["id"])
        tagged = self.graph.json("PATCH", f"{self.base}/messages/{draft}", mailbox=self.mailbox,
                                 json={"singleValueExtendedProperties": [
                                     {"id": MAIL_KEY_PROP, "value": message.key}]})
        seen_as = str(tagged.get("internetMessageId") or found.get("internetMessageId")
                      or message.message_id)
        try:
            answer = self.graph.call("POST", f"{self.base}/messages/{draft}/send",
                                     mailbox=self.mailbox, idempotent=False, missing_ok=True)
        except TemporaryError:
            if self.delivery(message) is None:
                raise
            return Delivery(message.message_id, seen_as)
        if answer.status_code == 404 and self.delivery(message) is None:
            raise PermanentError(f"the draft of {message.message_id} vanished before it was sent")
        return Delivery(message.message_id, seen_as)

    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        """The Inbox delta; messages not yet acknowledged are kept in the JSON cursor."""
        state = self._state(cursor)
        pending: dict[str, str] = state["pending"]
        try:
            link = self._delta(state.get("delta"), pending)
        except SyncReset as exc:
            log.warning("inbox delta expired (%s); reading the whole inbox again", exc)
            link = self._delta(None, pending)
        found = []
        for ident, _ in sorted(pending.items(), key=lambda item: (item[1], item[0])):
            answer = self.graph.call("GET", f"{self.base}/messages/{ident}/$value",
                                     mailbox=self.mailbox, missing_ok=True)
            if answer.status_code == 404:  # deleted or moved by a person meanwhile
                del pending[ident]
                continue
            found.append(Incoming(ref=ident, raw=answer.content))
        return found, json.dumps({"delta": link, "pending": pending})

    @staticmethod
    def _state(cursor: str | None) -> dict[str, Any]:
        if not cursor:
            return {"delta": None, "pending": {}}
        try:
            state = json.loads(cursor)
            if isinstance(state, dict) and isinstance(state.get("pending"), dict):
                return state
        except ValueError:
            pass
        raise PermanentError(f"not a cursor of the microsoft365 mailbox: {cursor[:80]!r}")

    def _delta(self, link: str | None, pending: dict[str, str]) -> str:
        url = link or f"{self.base}/mailFolders/inbox/messages/delta"
        params = None if link else {"$select": "id,receivedDateTime,categories"}
        new_link = ""
        meetings = []
        for page in self.graph.pages(url, mailbox=self.mailbox, params=params,
                                     headers={"Prefer": PREFER_PAGE}):
            for item in page.get("value") or []:
                ident = str(item["id"])
                if "@removed" in item or PROCESSED in (item.get("categories") or []):
                    pending.pop(ident, None)
                elif str(item.get("@odata.type", "")).endswith("eventMessage"):
                    meetings.append(ident)  # a meeting answer: see the module docstring
                else:
                    pending[ident] = str(item.get("receivedDateTime", ""))
            new_link = page.get("@odata.deltaLink", new_link)
        if not new_link:
            raise PermanentError("Microsoft Graph inbox delta ended without a delta link")
        self.acknowledge(meetings)
        return new_link

    def acknowledge(self, refs: Sequence[str]) -> None:
        """Adds the `PROCESSED` category to the messages and marks them read."""
        if not refs:
            return
        reads = self.graph.batch([Sub("GET", f"{self.base}/messages/{r}?$select=categories")
                                  for r in refs], mailbox=self.mailbox)
        writes = []
        for ref, (status, body) in zip(refs, reads, strict=True):
            if status == 404:
                continue  # gone: nothing left to mark
            if status >= 400 or not isinstance(body, dict):
                raise PermanentError(f"cannot read message {ref} to mark it: {status}")
            categories = list(body.get("categories") or [])
            if PROCESSED not in categories:
                writes.append(Sub("PATCH", f"{self.base}/messages/{ref}",
                                  {"categories": [*categories, PROCESSED], "isRead": True}))
        for status, _ in self.graph.batch(writes, mailbox=self.mailbox):
            if status >= 400 and status != 404:
                raise PermanentError(f"cannot mark messages as processed: {status}")
