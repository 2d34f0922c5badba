"""Our messages and what came back: the index of what we sent, mail owed, quarantine.

Tables: `messages` (history, by month sent): Message-ID or reply token -> what
the message was about, so a reply is tied to its pairing and session; `owed`:
action key -> a mail owed for what someone wrote (a command's confirmation, a
clarification), until the action exists; `quarantine` (history): inbound
messages that could not be used, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from agent.core.docs import (
    iso,
    month_of,
    owed_from_doc,
    owed_to_doc,
    parse_iso,
    sent_from_doc,
    sent_to_doc,
)
from agent.core.model import short_hash
from agent.core.records import Owed, Quarantined, SentMail
from agent.core.store import Store

# Mail sent before Message-IDs and reply tokens were keyed with the installation's secret
# carried ids anyone could compute from the roster. They keep matching replies for this
# long after the first tick that keys them, then no longer (a forged reply could cite them).
GUESSABLE_GRACE = timedelta(days=30)
_SINCE, _RETIRED = "keyed_ids_since", "guessable_ids_retired"


def guessable(id: str, key: str) -> bool:
    """Whether `id` (a Message-ID or reply token of the send `key`) is one computed without
    the secret: a plain hash of the key, as mail sent before keyed ids carried."""
    if id.startswith("B-"):
        return id[2:].lower() == short_hash(key, length=8)
    return id.startswith(f"<{short_hash(key, length=24)}@")


class Messages:
    """The index of the messages we sent, by Message-ID and by reply token."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def index(self, message_id: str, token: str, sent: SentMail, at: datetime) -> None:
        """`sent` is found again by its Message-ID and by the token in its subject."""
        self._store.put("messages", message_id, sent_to_doc(sent), month=month_of(at))
        self._store.put("messages", token, {"message_id": message_id}, month=month_of(at))

    def sent_to(self, email: str) -> list[SentMail]:
        """Every message of ours indexed for `email` (all months: for a rare request)."""
        return [sent_from_doc(doc) for _, doc in self._store.all("messages")
                if doc.get("email") == email and "kind" in doc]

    def lookup(self, message_id_or_token: str) -> SentMail | None:
        """What the message with that Message-ID or reply token was about; None if not ours,
        or if the id is a guessable one whose grace is over (`retire_guessable`)."""
        candidate = message_id_or_token
        doc = self._store.peek("messages", candidate)
        if doc is None:
            return None
        target: Mapping[str, Any] | None = doc
        if set(doc) == {"message_id"}:  # a token points at its message
            target = self._store.peek("messages", doc["message_id"])
        if target is None:
            return None
        if self._store.has("marks", _RETIRED) and guessable(candidate, str(target.get("key"))):
            return None
        return sent_from_doc(target)

    def retire_guessable(self, now: datetime) -> bool:
        """Start the grace of guessable ids at the first call; end it `GUESSABLE_GRACE` later,
        from when on they match nothing. Returns whether they are retired."""
        if self._store.has("marks", _RETIRED):
            return True
        since = self._store.peek("marks", _SINCE)
        if since is None:
            self._store.put("marks", _SINCE, {"value": iso(now)})
            return False
        if now < parse_iso(str(since["value"])) + GUESSABLE_GRACE:
            return False
        self._store.put("marks", _RETIRED, {"value": iso(now)})
        return True


class OwedMail:
    """Mails owed for what someone wrote, kept until their action exists."""

    def __init__(self, store: Store, seen: Callable[[str], bool]) -> None:
        self._store = store
        self._seen = seen

    def owe(self, key: str, owed: Owed) -> None:
        """Record that the mail `key` must go out (the planner plans it until it is seen)."""
        if not self._seen(key) and not self._store.has("owed", key):
            self._store.put("owed", key, owed_to_doc(owed))

    def get(self, key: str) -> Owed | None:
        """The mail owed under `key`, or None."""
        doc = self._store.peek("owed", key)
        return None if doc is None else owed_from_doc(doc)

    def everything(self) -> list[tuple[str, Owed]]:
        """Every mail still owed, with its key."""
        return [(key, owed_from_doc(doc)) for key, doc in self._store.all("owed")]

    def settle(self) -> None:
        """Forget owed mails whose action exists (sent, or failed and recorded as such)."""
        for key in list(self._store.ids("owed")):
            if self._seen(key):
                self._store.delete("owed", key)


class Quarantine:
    """Inbound messages set aside, and why."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, ref: str, reason: str, at: datetime) -> None:
        """Set the message `ref` (the mailbox's handle) aside for `reason`."""
        self._store.put("quarantine", ref, {"reason": reason, "at": iso(at)},
                        month=month_of(at))

    def holds(self, ref: str) -> bool:
        """Whether the message `ref` was set aside."""
        return self._store.has("quarantine", ref)

    def in_month(self, month: str) -> list[Quarantined]:
        """The messages set aside in `month` ("YYYY-MM")."""
        return [Quarantined(ref, str(d["reason"]), parse_iso(d["at"]))
                for ref, d in self._store.in_month("quarantine", month)]

    def everything(self) -> list[Quarantined]:
        """Oldest first."""
        found = [Quarantined(ref, str(d["reason"]), parse_iso(d["at"]))
                 for ref, d in self._store.all("quarantine")]
        return sorted(found, key=lambda q: q.at)
