"""What the end-to-end tests share: the agent ticking on a simulated clock, and what it left.

- `Run`: an `Agent` over the real local backend for one `Programme` (tests/company.py),
  on a SimClock from `T0`; `fresh()` is a restart on the same state.
- What it sent and booked: `sent_mail` (each as a `Mail`), `mail_for`, `calendar`, `starts`.
- Mail that reaches it: `reply_to` and `command` (as a person's mail client writes them),
  `BOUNCE` (a server's delivery report).
- Stopping it between intent and done: `record_intents`, `objectives_due`.

The roster gives two pairings: Claire mentors Nadia (French, manager Hugo) and Oliver
mentors Emma (English, manager George).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from company import Programme
from icalendar import Calendar as ICalendar

from agent.core.actions import Outcome, Prepared
from agent.core.clock import SimClock
from agent.core.docs import iso
from agent.core.model import Pairing, Series
from agent.core.store import Store
from agent.loop.agent import Agent, TickReport
from agent.programme.cycles import due_matching, record_matching
from agent.programme.planner import plan
from agent.programme.settings import installation
from agent.providers.base import Calendar, Mailbox
from agent.providers.local.calendar import deliver_to_inbox
from agent.providers.registry import open_calendar, open_mailbox
from agent.sim.replies import Original, command_reply, compose_reply

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 9, 1, 7, 0, tzinfo=PARIS)  # programme start, 07:00 in Paris
HOUR = timedelta(hours=1)
Wrap = Callable[[Calendar, Mailbox], tuple[Calendar, Mailbox]]  # tests/faults.py `faulty`
ORGANIZER = "binome@atelier-lumiere.fr"
NAMES = {
    "claire@ex.fr": "Claire Martin", "nadia@ex.fr": "Nadia Benali", "hugo@ex.fr": "Hugo Lambert",
    "oliver@ex.fr": "Oliver Smith", "emma@ex.fr": "Emma Wilson", "george@ex.fr": "George Brown",
}


# -- reading what the agent produced -------------------------------------------------
@dataclass(frozen=True)
class Mail:
    key: str
    to: str
    sender: str
    subject: str
    message_id: str
    date: datetime
    text: str
    html: str
    language: str


def sent_mail(local: Path, prefix: str = "", to: str | None = None) -> list[Mail]:
    """Every mail sent whose key starts with `prefix`: a message's own (X-Binome-Key) or
    one it carries inside (X-Binome-Covers, agent.conversation.pacing), each as a `Mail` of that
    key."""
    found = []
    for sub in ("new", "cur"):
        folder = local / "mail" / sub
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            msg = BytesParser(policy=default_policy).parsebytes(path.read_bytes())
            assert isinstance(msg, EmailMessage)
            # .strip(): see test_sent_mail_key_header_reads_back_exactly (a folded header)
            keys = [str(msg["X-Binome-Key"]).strip(), *str(msg["X-Binome-Covers"] or "").split()]
            for key in keys:
                if not key.startswith(prefix) or (to is not None and str(msg["To"]) != to):
                    continue
                plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
                found.append(Mail(
                    key=key, to=str(msg["To"]), sender=str(msg["From"]),
                    subject=str(msg["Subject"]), message_id=str(msg["Message-ID"]),
                    date=parsedate_to_datetime(str(msg["Date"])),
                    text=plain.get_content() if plain is not None else "",
                    html=html.get_content() if html is not None else "",
                    language=str(msg["Content-Language"]),
                ))
    return found


def mail_for(local: Path, kind: str, pairing: Pairing, occurrence: datetime) -> list[Mail]:
    return sent_mail(local, f"mail/{kind}/{pairing.id}/{iso(occurrence)}/")

def calendar(local: Path, email: str) -> Any:
    return ICalendar.from_ical((local / "calendars" / f"{email}.ics").read_bytes())

def starts(local: Path, email: str, key: str) -> list[datetime]:
    """The occurrences of `key` that still take place, as a calendar client expands them."""
    events = recurring_ical_events.of(calendar(local, email)).between(
        datetime(2026, 8, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC))
    return sorted(e.decoded("DTSTART").astimezone(UTC) for e in events
                  if str(e.get("X-BINOME-KEY", "")) == key
                  and str(e.get("STATUS", "")).upper() != "CANCELLED")


# -- driving the agent ---------------------------------------------------------------
class Run:
    """The agent of one programme on a SimClock from T0; `fresh()` is a restart on its state."""

    def __init__(self, programme: Programme, wrap: Wrap | None = None) -> None:
        self.programme = programme
        self.settings = programme.settings()
        self.local = self.settings.local_dir
        self.clock = SimClock(T0)
        self.wrap = wrap
        self.agent = self.fresh()

    def fresh(self) -> Agent:
        """A new agent process on the same state (the old one's unflushed memory is lost);
        its backends behind `wrap` when the run has one (tests/faults.py)."""
        calendar, mailbox = None, None
        if self.wrap is not None:
            site = installation(self.settings, self.clock)
            calendar, mailbox = self.wrap(open_calendar(self.settings.backend, site),
                                          open_mailbox(self.settings.backend, site))
        return Agent(self.settings, Store(self.settings.state_dir), self.clock, calendar, mailbox)

    def tick(self, at: datetime | None = None) -> TickReport:
        if at is not None:
            self.clock.set(at)
        return self.agent.tick()

    def until(self, end: datetime, step: timedelta = HOUR) -> list[Outcome]:
        """Tick every `step` up to and including `end`."""
        outcomes: list[Outcome] = []
        while self.clock.now() + step <= end:
            self.clock.advance(step)
            outcomes += self.agent.tick().outcomes
        return outcomes

    def pairing(self, member: str) -> Pairing:
        [found] = [r.pairing for r in self.agent.ledger.pairings.everything()
                 if member in r.pairing.members]
        return found

    def series(self, member: str) -> Series:
        series = self.agent.ledger.series.get(self.pairing(member).id)
        assert series is not None
        return series

    def stored(self, table: str) -> dict[str, dict[str, Any]]:
        """`table` as on disk (a separate Store, as an admin tool would open it)."""
        return dict(Store(self.settings.state_dir).all(table))

    def deliver(self, name: str, raw: bytes) -> None:
        assert deliver_to_inbox(self.local, name, raw)


def reply_to(mail: Mail, person: str, text: str, message_id: str, when: datetime,
             lang: str = "fr") -> bytes:
    """A Gmail-style reply to `mail`, with In-Reply-To and the quoted original."""
    return compose_reply(
        random.Random(7), client="gmail", lang=lang, html=False, keep_headers=True,
        person=(NAMES[person], person), programme=ORGANIZER,
        original=Original(mail.message_id, mail.subject, mail.sender, mail.date, mail.text),
        text=text, message_id=message_id, date=when,
    )


def command(mail: Mail, person: str, word: str, message_id: str, when: datetime) -> bytes:
    return command_reply(
        person=(NAMES[person], person), programme=ORGANIZER,
        original=Original(mail.message_id, mail.subject, mail.sender, mail.date, mail.text),
        word=word, message_id=message_id, date=when,
    )


# A mail server's delivery report (RFC 3464): one address failed, one only delayed.
BOUNCE = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.atelier-lumiere.fr>\r\n"
    b"To: binome@atelier-lumiere.fr\r\nSubject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <dsn-1@mx.atelier-lumiere.fr>\r\nDate: Tue, 8 Sep 2026 14:00:00 +0200\r\n"
    b"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
    b"--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
    b"--b\r\nContent-Type: message/delivery-status\r\n\r\n"
    b"Reporting-MTA: dns; mx.atelier-lumiere.fr\r\n\r\n"
    b"Final-Recipient: rfc822; Nadia.Old@ex.fr\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
    b"Final-Recipient: rfc822; claire@ex.fr\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n"
    b"--b--\r\n"
)


# -- crash recovery ------------------------------------------------------------------
def record_intents(run: Run, kind: str) -> list[Prepared]:
    """What the executor does up to its first flush: intents on disk, no outward call."""
    agent, now = run.agent, run.clock.now()
    intake = agent.intake.current()
    people = intake.by_email()
    matching = due_matching(run.settings, agent.ledger, intake, now)
    if matching is not None:
        record_matching(agent.ledger, matching, now)
    actions = [a for a in plan(run.settings, people, agent.ledger, now, intake.problems)
               if a.kind == kind]
    prepared, failed = agent.preparer.prepare(actions, people, now)
    assert failed == [] and prepared
    for p in prepared:
        agent.ledger.journal.begin(p.action.key, p.action.kind, p.payload.to_doc(), now)
    agent.ledger.flush()
    return prepared


def objectives_due(run: Run) -> list[Prepared]:
    run.tick()
    occ = run.series("emma@ex.fr").occurrences()[0]
    run.clock.set(occ - 23 * HOUR)
    prepared = record_intents(run, "mail")
    recipients = sorted(p.payload.outgoing.recipients[0] for p in prepared)
    assert recipients == ["emma@ex.fr", "oliver@ex.fr"]
    return prepared

