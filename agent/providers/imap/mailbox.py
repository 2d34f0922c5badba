"""The `imap` mailbox: replies read over IMAP, mail sent over SMTP, Sent kept in step.

Terms:
- *ref* of a received message: `<UIDVALIDITY>:<UID>` in the folder read (RFC 3501
  section 2.3.1.1: a UID names one message for as long as UIDVALIDITY stays the same).
- Read messages leave the folder: `acknowledge` moves them to `processed_folder`,
  `set_aside` to `quarantine_folder`, both byte for byte (MOVE, RFC 6851, or COPY and
  expunge where the server lacks it). So nothing is read twice: what is in the folder
  is what was not read yet (or whose move a crash interrupted; reading it again is
  harmless, what we learn from a message is keyed by its Message-ID).
- *cursor*: `<UIDVALIDITY>:<highest UID seen>`, kept in the ledger: a new UIDVALIDITY
  (the server rebuilt the folder, and every UID changed) is noticed and logged.

Sending: unless the server files sent mail itself, a copy goes to Sent *before* the
SMTP submission, flagged \\Draft, and loses the flag once the server accepted the
message. `was_sent` is "a copy without \\Draft is in Sent", so a crash before the
submission ended sends again (the copy is reused), and only a crash in the instant
between the server's 250 and the flag change can send twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import imapclient
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Incoming, Outgoing
from agent.providers.base import Mailbox
from agent.providers.imap.connect import Endpoint, network_error, open_imap
from agent.providers.imap.smtp import submit

log = logging.getLogger("binome")
T = TypeVar("T")
DRAFT, SEEN = imapclient.DRAFT, imapclient.SEEN
FETCH_BATCH = 50  # messages fetched per command: bounded memory, few round trips
IDLE_RENEW = 29 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes


@dataclass(frozen=True)
class Folders:
    """The folders as the settings name them ("/" between levels)."""

    inbox: str = "INBOX"
    processed: str = "Binome/processed"
    quarantine: str = "Binome/quarantine"
    sent: str | None = None  # None: the server's \\Sent folder, else "Sent"


class ImapMailbox(Mailbox):
    """`Mailbox` over one IMAP account and one SMTP submission server (module docstring)."""

    def __init__(self, imap: Endpoint, smtp: Endpoint, folders: Folders = Folders(), *,
                 save_sent: Literal["auto", "always", "never"] = "auto",
                 idle: bool = True) -> None:
        self.imap = imap
        self.smtp = smtp
        self.folders = folders
        self.save_sent = save_sent
        self.idle = idle
        self._client: IMAPClient | None = None
        self._idle_client: IMAPClient | None = None
        self._names: dict[str, str] = {}  # folder as configured -> its name on the server
        self._seen: tuple[int, int] = (0, 0)  # (UIDVALIDITY, highest UID) `receive` returned

    # -- the connection ----------------------------------------------------------------
    def _call(self, work: Callable[[IMAPClient], T]) -> T:
        """Run `work` on the open connection; a broken one is reopened and tried once more."""
        for attempt in (1, 2):
            client = self._client
            if client is None:
                client = self._client = open_imap(self.imap)
            try:
                return work(client)
            except (OSError, IMAPClientError) as exc:
                self.close()
                if attempt == 2 or isinstance(exc, IMAPClientError) and not _dropped(exc):
                    raise self._failure(exc) from exc
        raise AssertionError("unreachable")

    def _failure(self, exc: BaseException) -> Exception:
        if isinstance(exc, IMAPClientError) and not isinstance(exc, OSError):
            return TemporaryError(f"IMAP {self.imap.where}: the server answered: {exc}")
        return network_error(self.imap, exc)

    def close(self) -> None:
        """Log out (the next call connects again)."""
        for client in (self._client, self._idle_client):
            if client is not None:
                try:
                    client.logout()
                except Exception:  # noqa: BLE001 - a connection that is already gone
                    pass
        self._client = self._idle_client = None

    def folder(self, client: IMAPClient, configured: str, create: bool = True) -> str:
        """The server's name of a configured folder: "/" replaced by the server's hierarchy
        delimiter, inside its personal namespace; created (with its parents) if missing."""
        known = self._names.get(configured)
        if known is not None:
            return known
        if configured.upper() == "INBOX":
            return "INBOX"
        prefix, delimiter = _personal_namespace(client)
        name = configured.replace("/", delimiter)
        if prefix and not name.startswith(prefix) and not client.folder_exists(name):
            name = prefix + name
        if create and not client.folder_exists(name):
            parts = name.split(delimiter)
            for depth in range(1, len(parts) + 1):
                path = delimiter.join(parts[:depth])
                if path and path != prefix.rstrip(delimiter) and not client.folder_exists(path):
                    client.create_folder(path)
                    client.subscribe_folder(path)
            log.info("created the folder %s on %s", name, self.imap.where)
        if create:
            self._names[configured] = name
        return name

    def _sent_folder(self, client: IMAPClient) -> str:
        if self.folders.sent is not None:
            return self.folder(client, self.folders.sent)
        known = self._names.get("\\Sent")
        if known is None:
            known = self._names["\\Sent"] = (client.find_special_folder(imapclient.imapclient.SENT)
                                             or self.folder(client, "Sent"))
        return known

    def files_sent_mail(self, client: IMAPClient) -> bool:
        """Whether the server files what we submit in Sent by itself (then we do not)."""
        if self.save_sent != "auto":
            return self.save_sent == "never"
        # Gmail's SMTP puts a copy of each submitted message in "Sent Mail" itself.
        return bool(client.has_capability("X-GM-EXT-1"))

    # -- sending -------------------------------------------------------------------------
    def _copies(self, client: IMAPClient, message_id: str) -> dict[int, bool]:
        """UID -> whether it is a draft, for each copy in Sent with that Message-ID."""
        client.select_folder(self._sent_folder(client))
        uids = client.search(["HEADER", "Message-ID", message_id.strip()])
        if not uids:
            return {}
        flags = client.get_flags(uids)
        return {uid: DRAFT in flags.get(uid, ()) for uid in uids}

    def send(self, message: Outgoing) -> str:
        """SMTP submission, with the Sent copy made before it and confirmed after it."""
        copies = self._call(lambda c: self._copies(c, message.message_id))
        if any(not draft for draft in copies.values()):
            return message.message_id  # sent already
        files_itself = self._call(self.files_sent_mail)
        if not copies and not files_itself:
            self._call(lambda c: c.append(self._sent_folder(c), message.raw,
                                          flags=(SEEN, DRAFT)))
        submit(self.smtp, message.sender, message.recipients, message.raw)
        if not files_itself:
            def confirm(client: IMAPClient) -> None:
                drafts = [uid for uid, draft in self._copies(client, message.message_id).items()
                          if draft]
                if drafts:
                    client.remove_flags(drafts, [DRAFT])
            self._call(confirm)
        return message.message_id

    def was_sent(self, message_id: str) -> bool:
        """A copy in Sent that is no longer a draft (module docstring)."""
        copies = self._call(lambda c: self._copies(c, message_id))
        return any(not draft for draft in copies.values())

    # -- receiving -----------------------------------------------------------------------
    def receive(self, cursor: str | None) -> tuple[list[Incoming], str]:
        """Every message still in the folder, oldest (lowest UID) first: read mail leaves it
        (`acknowledge`, `set_aside`), so what is there is what was not acknowledged."""
        validity, last = _cursor(cursor)

        def work(client: IMAPClient) -> tuple[list[Incoming], str]:
            selected = client.select_folder(self.folder(client, self.folders.inbox))
            current = int(selected[b"UIDVALIDITY"])
            if validity and current != validity:
                log.warning("%s on %s has a new UIDVALIDITY (%d, was %d): the server rebuilt "
                            "it; every message in it is read again", self.folders.inbox,
                            self.imap.where, current, validity)
            uids = sorted(client.search("ALL"))
            found: list[Incoming] = []
            for start in range(0, len(uids), FETCH_BATCH):
                batch = uids[start:start + FETCH_BATCH]
                data = client.fetch(batch, ["BODY.PEEK[]"])
                found += [Incoming(f"{current}:{uid}", bytes(data[uid][b"BODY[]"]))
                          for uid in batch if uid in data]
            highest = max(uids, default=last if current == validity else 0)
            self._seen = (current, max(uids, default=0))
            return found, f"{current}:{highest}"

        return self._call(work)

    def acknowledge(self, refs: Sequence[str]) -> None:
        """Moved to the processed folder."""
        self._move(refs, self.folders.processed)

    def set_aside(self, refs: Sequence[str]) -> None:
        """Moved, byte for byte, to the quarantine folder."""
        self._move(refs, self.folders.quarantine)

    def _move(self, refs: Sequence[str], target: str) -> None:
        if not refs:
            return

        def work(client: IMAPClient) -> None:
            selected = client.select_folder(self.folder(client, self.folders.inbox))
            current = int(selected[b"UIDVALIDITY"])
            wanted = {uid for validity, uid in map(_ref, refs) if validity == current}
            # Refs already moved (acknowledged twice) or of an older UIDVALIDITY are gone.
            present = sorted(wanted & set(client.search("ALL"))) if wanted else []
            if present:
                self._move_uids(client, present, target)

        self._call(work)

    def _move_uids(self, client: IMAPClient, uids: list[int], target: str) -> None:
        folder = self.folder(client, target)
        if client.has_capability("MOVE"):
            client.move(uids, folder)
            return
        client.copy(uids, folder)
        client.delete_messages(uids)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            client.expunge()

    # -- waiting for mail ----------------------------------------------------------------
    def wait_for_mail(self, seconds: float,
                      stop: Callable[[], bool] = lambda: False) -> bool | None:
        """IDLE (RFC 2177) on a second connection: True once mail that `receive` has not
        returned yet is in the folder, False after `seconds` without (or once `stop()` says
        so, asked about every second); None when the server has no IDLE (or it is off).
        With `seconds` <= 0 it only looks, without IDLE."""
        if not self.idle:
            return None
        try:
            client = self._idle_client
            if client is None:
                client = self._idle_client = open_imap(self.imap)
            if not client.has_capability("IDLE"):
                return None
            selected = client.select_folder(self.folder(client, self.folders.inbox),
                                            readonly=True)
            if int(selected.get(b"EXISTS", 0)) and self._unread(client, selected):
                return True
            if seconds <= 0:
                return False
            return self._idle(client, min(seconds, IDLE_RENEW), stop)
        except (OSError, IMAPClientError) as exc:
            self._idle_client = None
            raise self._failure(exc) from exc

    def _unread(self, client: IMAPClient, selected: dict[bytes, Any]) -> bool:
        """Whether the folder holds a message `receive` has not returned (one it returned
        but could not move away is not new: waiting must not wake for it again and again)."""
        validity, highest = self._seen
        if int(selected[b"UIDVALIDITY"]) != validity:
            return True
        # "n:*" always includes the highest UID even when it is below n (RFC 3501 6.4.8).
        return any(uid > highest for uid in client.search(["UID", f"{highest + 1}:*"]))

    @staticmethod
    def _idle(client: IMAPClient, seconds: float, stop: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + seconds
        client.idle()
        try:
            while (left := deadline - time.monotonic()) > 0 and not stop():
                responses = client.idle_check(timeout=min(1.0, left))
                if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                    return True
            return False
        finally:
            client.idle_done()


def _dropped(exc: IMAPClientError) -> bool:
    """Whether an IMAP error means the connection is gone (reconnecting may help)."""
    text = str(exc).lower()
    return any(word in text for word in ("socket", "eof", "bye", "connection", "closed"))


def _personal_namespace(client: IMAPClient) -> tuple[str, str]:
    """(prefix, delimiter) of the account's own folders: RFC 2342 NAMESPACE where offered."""
    if client.has_capability("NAMESPACE"):
        personal = client.namespace().personal
        if personal:
            prefix, delimiter = personal[0]
            return str(prefix or ""), str(delimiter or "/")
    listed = client.list_folders(directory="", pattern="")
    delimiter = listed[0][1] if listed and listed[0][1] else b"/"
    return "", delimiter.decode() if isinstance(delimiter, bytes) else str(delimiter)


def _cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return 0, 0
    try:
        validity, _, uid = cursor.partition(":")
        return int(validity), int(uid)
    except ValueError:
        raise PermanentError(f"not a cursor of the imap mailbox: {cursor!r}") from None


def _ref(ref: str) -> tuple[int, int]:
    try:
        validity, _, uid = ref.partition(":")
        return int(validity), int(uid)
    except ValueError:
        return -1, -1  # not one of ours: nothing to move
