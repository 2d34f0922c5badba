"""Reading new mail as it arrives, between `binome run`'s scheduled ticks and inbox polls.

Where the mailbox can wait for mail (IMAP IDLE: `Mailbox.wait_for_mail`), the loop's
pauses are spent waiting on it, and the inbox is read as soon as it says mail came;
the scheduled poll stays, as the fallback. Where it cannot, or while waiting fails
(the server dropped the connection), the pause is a short sleep and only the scheduled
poll reads mail. Either way the pause ends soon after a stop is asked for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from agent.core.errors import ProviderError
from agent.providers.base import Mailbox

log = logging.getLogger("binome")

NAP = 0.2  # seconds: the pause where the mailbox cannot wait for mail
FIRST_BACKOFF, LAST_BACKOFF = 30.0, 15 * 60.0  # seconds before waiting again after a failure


class MailWatch:
    """Spends the loop's pauses waiting for mail, and reads the inbox when some arrives."""

    def __init__(self, mailbox: Mailbox, read_inbox: Callable[[], object],
                 poll_minutes: int) -> None:
        self.mailbox = mailbox
        self.read_inbox = read_inbox
        self.poll_minutes = poll_minutes
        self.waits: bool | None = None  # None until the mailbox said whether it can wait
        self.backoff = FIRST_BACKOFF
        self.resume_at = 0.0  # monotonic time before which a failed wait is not tried again

    def pause(self, seconds: float, stop: Callable[[], bool]) -> None:
        """Up to `seconds` (ending soon after `stop()`): waiting for mail, or a short sleep."""
        if self.waits is False or time.monotonic() < self.resume_at or seconds < 1:
            time.sleep(max(0.0, min(NAP, seconds)))
            return
        try:
            # The first time only looks: whether the mailbox can wait is known at once.
            arrived = self.mailbox.wait_for_mail(seconds if self.waits else 0, stop)
        except ProviderError as exc:
            log.warning("waiting for new mail failed (%s); the inbox is polled every %d min, "
                        "waiting again in %.0f s", exc, self.poll_minutes, self.backoff)
            self.resume_at = time.monotonic() + self.backoff
            self.backoff = min(2 * self.backoff, LAST_BACKOFF)
            return
        if arrived is None:
            self.waits = False
            log.info("the mailbox cannot announce new mail: the inbox is polled "
                     "every %d min", self.poll_minutes)
            return
        if self.waits is None:
            self.waits = True
            log.info("new mail is read as it arrives (IMAP IDLE); the inbox is also polled "
                     "every %d min", self.poll_minutes)
        self.backoff = FIRST_BACKOFF
        if arrived and not stop():
            try:
                self.read_inbox()
            except Exception:
                # Mail that could not be read is still new: waiting would wake at once.
                log.exception("reading new mail failed; the agent goes on")
                self.resume_at = time.monotonic() + self.backoff
