"""Waiting for new mail with IMAP IDLE (RFC 2177), on a connection of its own."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from imapclient import IMAPClient

IDLE_RENEW = 29 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes


def unread(client: IMAPClient, selected: dict[bytes, Any], seen: tuple[int, int]) -> bool:
    """Whether the selected folder holds a message above `seen` (UIDVALIDITY, highest UID
    `receive` returned): one it returned but could not move away is not new, so waiting
    does not wake for it again and again."""
    validity, highest = seen
    if int(selected[b"UIDVALIDITY"]) != validity:
        return True
    # "n:*" always includes the highest UID even when it is below n (RFC 3501 6.4.8).
    return any(uid > highest for uid in client.search(["UID", f"{highest + 1}:*"]))


def idle(client: IMAPClient, seconds: float, stop: Callable[[], bool]) -> bool:
    """IDLE on the selected folder up to `seconds` (at most IDLE_RENEW): True once the server
    says a message came, False at the end or soon after `stop()` turns true."""
    deadline = time.monotonic() + min(seconds, IDLE_RENEW)
    client.idle()
    try:
        while (left := deadline - time.monotonic()) > 0 and not stop():
            responses = client.idle_check(timeout=min(1.0, left))
            if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                return True
        return False
    finally:
        client.idle_done()
