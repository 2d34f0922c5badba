"""`Mailbox` on Exchange Server through exchangelib.

Sending is one CreateItem of our MIME with SendAndSaveCopy, so the message
keeps our Message-ID and the sent copy lands in Sent Items, where `was_sent`
finds it by InternetMessageId; a crash before the answer is settled by that
lookup. Receiving reads the Inbox for messages without our extended
property `BinomeProcessed`, oldest first; `acknowledge` sets it (and marks
them read), so the mailbox itself holds the state and the cursor is only a
marker. Exchange also files attendees' answers there, as MeetingResponse items
(and requests and cancellations as other meeting items): they are calendar
business, which Exchange already applied to the organizer's meeting, where
the calendar reads them; so they are marked processed here and never handed
to the reply reader, which could only set them aside as unknown mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from exchangelib import Message

from agent.core.errors import PermanentError
from agent.core.model import Incoming, Outgoing
from agent.providers.base import Mailbox
from agent.providers.microsoft.ews_account import MEETING_CLASSES, ews_errors, raise_if_error

CURSOR = "exchange-inbox"


class ExchangeMailbox(Mailbox):
    """`Mailbox` over the programme mailbox on Exchange Server (EWS)."""

    def __init__(self, account: Any) -> None:
        self.account = account

    def was_sent(self, message_id: str) -> bool:
        with ews_errors(f"Exchange: looking for {message_id} in Sent Items"):
            return bool(self.account.sent.filter(message_id=message_id).only("id").exists())

    def send(self, message: Outgoing) -> str:
        """One CreateItem (SendAndSaveCopy) unless Sent Items has it; the ref is the Message-ID."""
        if self.was_sent(message.message_id):
            return message.message_id
        with ews_errors(f"Exchange: sending {message.message_id}"):
            Message(account=self.account, folder=self.account.sent,
                    mime_content=message.raw).send_and_save()
        return message.message_id

    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        """Inbox items without `BinomeProcessed`, oldest first; the cursor is only a marker."""
        if cursor not in (None, "", CURSOR):
            raise PermanentError(f"not a cursor of the exchange mailbox: {cursor[:80]!r}")
        with ews_errors("Exchange: reading the inbox"):
            items = list(self.account.inbox.filter(binome_processed__exists=False)
                         .order_by("datetime_received").only("id", "mime_content"))
        meetings = [i for i in items if isinstance(i, MEETING_CLASSES)]
        if meetings:  # answers already applied to the meeting by Exchange (module docstring)
            self.acknowledge([str(i.id) for i in meetings])
        return [Incoming(ref=str(i.id), raw=bytes(i.mime_content or b"")) for i in items
                if not isinstance(i, MEETING_CLASSES)], CURSOR

    def acknowledge(self, refs: Sequence[str]) -> None:
        """Sets `BinomeProcessed` on the messages and marks them read."""
        if not refs:
            return
        with ews_errors("Exchange: marking messages as processed"):
            fetched = list(self.account.fetch(ids=[(r, None) for r in refs],
                                              only_fields=["changekey", "is_read"]))
            for item in fetched:
                if isinstance(item, Exception) and "ItemNotFound" in type(item).__name__:
                    continue  # gone: nothing left to mark
                item = raise_if_error(item, "Exchange: marking a message")
                item.binome_processed, item.is_read = "yes", True
                item.save(update_fields=["binome_processed", "is_read"])
