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
message. The submission also goes to the programme's own address (in the envelope only):
that copy, the *receipt*, reaches the inbox only if the server took the message. So
after a crash, `was_sent` knows: a copy without \\Draft in Sent, or a draft whose
receipt arrived, was sent; a draft without one was not (it is sent again, the copy
reused). `receive` confirms the drafts its receipts answer and deletes the receipts: they
are copies of what Sent holds. (SMTP itself cannot tell a client that died before the
server's 250 whether the message was taken; where the server delivers the receipt later
than the agent restarts, a crash in that instant can still send twice.)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from typing import Literal, TypeVar

import imapclient
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Incoming, Outgoing
from agent.providers.base import Mailbox
from agent.providers.imap.connect import Endpoint, network_error, open_imap
from agent.providers.imap.idle import idle, unread
from agent.providers.imap.smtp import submit

log = logging.getLogger("binome")
T = TypeVar("T")
DRAFT, SEEN = imapclient.DRAFT, imapclient.SEEN
FETCH_BATCH = 50  # messages fetched per command: bounded memory, few round trips
_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]")  # RFC 4315 section 3


def bodies(client: IMAPClient, uids: Sequence[int]) -> list[tuple[int, bytes]]:
    """The raw messages `uids` of the selected folder, in that order, fetched a batch at a
    time, leaving out those another session expunged since our SEARCH: RFC 2180 section
    4.1.2 lets the server answer for them with NIL (Dovecot does, with the EXPUNGEISSUED
    code of RFC 5530) or not at all. They left the folder, so they are not ours to read."""
    found: list[tuple[int, bytes]] = []
    for start in range(0, len(uids), FETCH_BATCH):
        batch = uids[start:start + FETCH_BATCH]
        data = client.fetch(batch, ["BODY.PEEK[]"])
        for uid in batch:
            raw = data.get(uid, {}).get(b"BODY[]")
            if raw is not None:
                found.append((uid, bytes(raw)))
    return found


@dataclass(frozen=True)
class Folders:
    """The folders as the settings name them ("/" between levels)."""

    inbox: str = "INBOX"
    processed: str = "Binome/processed"
    quarantine: str = "Binome/quarantine"
    sent: str | None = None  # None: the server's \\Sent folder, else "Sent"


# Submission servers that file what they are given in the account's Sent folder.
FILING_SMTP_HOSTS = frozenset({"smtp.office365.com"})


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
        # Gmail's SMTP puts a copy of each submitted message in "Sent Mail" itself; so does
        # Exchange Online's since June 2018 ("Sent email will now be stored in the Sent
        # Items folder", Exchange Team Blog, "Changes coming to the SMTP Authenticated
        # Submission client protocol", 2018-04-20).
        return (bool(client.has_capability("X-GM-EXT-1"))
                or self.smtp.host.lower().rstrip(".") in FILING_SMTP_HOSTS)

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
        """SMTP submission to the recipients and to the programme itself (its copy is the
        server's receipt), with the Sent copy made before and confirmed after."""
        if self.was_sent(message.message_id):
            return message.message_id
        if self._call(self.files_sent_mail):
            submit(self.smtp, message.sender, message.recipients, message.raw)
            return message.message_id
        drafts = list(self._call(lambda c: self._copies(c, message.message_id))) or \
            self._call(lambda c: self._draft(c, message.raw))
        envelope = list(dict.fromkeys([*message.recipients, message.sender]))
        # The instant between the server's acceptance and the confirmation is kept to one
        # IMAP command, on a connection already open with Sent selected; a crash there is
        # settled by the receipt (`was_sent`).
        submit(self.smtp, message.sender, envelope, message.raw,
               accepted=lambda: self._confirm(drafts, message.message_id))
        return message.message_id

    def _draft(self, client: IMAPClient, raw: bytes) -> list[int]:
        """The draft copy in Sent, appended; its UID where the server says it (UIDPLUS)."""
        folder = self._sent_folder(client)
        answer = client.append(folder, raw, flags=(SEEN, DRAFT))
        client.select_folder(folder)
        found = _APPENDUID.search(answer if isinstance(answer, bytes) else b"")
        return [int(found.group(1))] if found else []

    def _confirm(self, drafts: list[int], message_id: str) -> None:
        """The Sent copy is no longer a draft: the server accepted the message."""
        client = self._client
        if drafts and client is not None:
            try:
                client.remove_flags(drafts, [DRAFT])
                return
            except (OSError, IMAPClientError):
                self.close()

        def by_search(client: IMAPClient) -> None:
            found = [uid for uid, draft in self._copies(client, message_id).items() if draft]
            if found:
                client.remove_flags(found, [DRAFT])

        self._call(by_search)

    def was_sent(self, message_id: str) -> bool:
        """A copy in Sent that is no longer a draft; or a draft (a crash came during its
        submission) whose receipt is in the inbox: the server took it, and it is confirmed."""
        def work(client: IMAPClient) -> bool:
            copies = self._copies(client, message_id)
            if any(not draft for draft in copies.values()):
                return True
            if not copies or not self._receipt(client, message_id):
                return False
            client.select_folder(self._sent_folder(client))
            client.remove_flags(list(copies), [DRAFT])
            log.info("%s was taken by the SMTP server before an interruption (its receipt "
                     "says so): not sent again", message_id)
            return True

        return self._call(work)

    def _receipt(self, client: IMAPClient, message_id: str) -> bool:
        """Whether our own copy of `message_id` (the receipt) reached the inbox."""
        for folder in dict.fromkeys(["INBOX", self.folder(client, self.folders.inbox)]):
            client.select_folder(folder, readonly=True)
            if client.search(["HEADER", "Message-ID", message_id.strip()]):
                return True
        return False

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
            found = [Incoming(f"{current}:{uid}", raw) for uid, raw in bodies(client, uids)]
            highest = max(uids, default=last if current == validity else 0)
            self._seen = (current, max(uids, default=0))
            receipts = self._settle_receipts(client, found, current)
            return [m for m in found if m.ref not in receipts], f"{current}:{highest}"

        return self._call(work)

    def _settle_receipts(self, client: IMAPClient, found: list[Incoming],
                         validity: int) -> set[str]:
        """Our own copies among `found` (a Message-ID of ours, in Sent): each confirms its
        Sent copy, then leaves the inbox; their refs."""
        receipts: dict[str, int] = {}
        for message in found:
            head = BytesHeaderParser().parsebytes(message.raw)
            message_id = str(head["Message-ID"] or "").strip()
            if head["X-Binome-Key"] is None or not message_id:
                continue  # only what we send carries X-Binome-Key
            copies = self._copies(client, message_id)
            if copies:
                if any(copies.values()):
                    client.remove_flags([u for u, d in copies.items() if d], [DRAFT])
                receipts[message.ref] = _ref(message.ref)[1]
        if receipts:
            client.select_folder(self.folder(client, self.folders.inbox))
            uids = sorted(receipts.values())
            client.delete_messages(uids)
            if client.has_capability("UIDPLUS"):
                client.uid_expunge(uids)
            else:
                client.expunge()
        return set(receipts)

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
            if int(selected.get(b"EXISTS", 0)) and unread(client, selected, self._seen):
                return True
            return seconds > 0 and idle(client, seconds, stop)
        except (OSError, IMAPClientError) as exc:
            self._idle_client = None
            raise self._failure(exc) from exc


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
