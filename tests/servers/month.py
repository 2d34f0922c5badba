"""A month of the example programme over real servers: the agent on `mail = "imap"` and
`calendar = "email"` or `"caldav"`, and its participants with mail clients on Dovecot.

The participants read their INBOX over IMAP, click Accept or Decline on the invitations
(an iMIP REPLY mail, submitted over SMTP like any mail client), and answer each
questionnaire with a reply. Nadia declines the second session of her series; everyone
else accepts the whole series. Used by tests/sim/test_servers_month.py and by
`make demo-servers` (demo/servers.py).
"""

from __future__ import annotations

import random
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from icalendar import Calendar as ICalendar
from imapclient import IMAPClient

from agent.core.clock import SimClock
from agent.core.model import short_hash
from agent.core.store import Store
from agent.loop.agent import Agent
from agent.programme.settings import load_settings
from agent.sim.replies import Original, compose_reply
from servers.accounts import client, fetched
from servers.caldav_servers import PASSWORD as DAV_PASSWORD
from servers.caldav_servers import DavServer
from servers.dovecot import PASSWORD, Dovecot
from servers.smtp import Submission

DECLINER = "nadia@ex.fr"


def server_edits(dovecot: Dovecot, submission: Submission, dav: DavServer | None,
                 folder: Path) -> dict[str, str]:
    """Edits of config/example.toml that put the programme on the test servers (passwords
    through environment variables, the CA through ca_file)."""
    calendar = "caldav" if dav is not None else "email"
    tables = (f'[backend.imap]\nhost = "localhost"\nport = {dovecot.imaps_port}\n'
              f'security = "tls"\npassword_env = "BINOME_MAIL_PASSWORD"\n'
              f'ca_file = "{dovecot.ca_file}"\n\n'
              f'[backend.smtp]\nhost = "localhost"\nport = {submission.starttls_port}\n'
              f'security = "starttls"\nca_file = "{dovecot.ca_file}"\n\n')
    if dav is not None:
        tables += (f'[backend.caldav]\nurl = "{dav.url}"\nusername = "{dav.username}"\n'
                   f'password_env = "BINOME_CALDAV_PASSWORD"\ncalendar = "Binôme"\n'
                   f'invitations = "auto"\n\n')
    return {
        'calendar = "local"          #': f'calendar = "{calendar}"          #',
        'mail = "local"              #': 'mail = "imap"              #',
        "[backend.local]\n": tables + "[backend.local]\n",
    }


def environment() -> dict[str, str]:
    """The passwords the settings name."""
    return {"BINOME_MAIL_PASSWORD": PASSWORD, "BINOME_CALDAV_PASSWORD": DAV_PASSWORD}


@dataclass
class Participants:
    """Everyone's mail client: what they read (by UID) and what they did."""

    dovecot: Dovecot
    submission: Submission
    people: dict[str, str]  # email -> language
    seen: dict[str, int] = field(default_factory=dict)
    declined: list[tuple[str, datetime]] = field(default_factory=list)
    accepted: list[tuple[str, str]] = field(default_factory=list)  # (uid, who)
    answered: list[str] = field(default_factory=list)  # questionnaire keys
    moved_invitations: list[str] = field(default_factory=list)  # who got an override
    # One IMAP session per person, kept open through the month as a mail client keeps it
    # (a login every tick would be 1,440 TLS handshakes a month).
    sessions: dict[str, IMAPClient] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # What earlier runs left in these mailboxes is not this month's mail.
        for person in self.people:
            session = client(self.dovecot, person)
            session.select_folder("INBOX", readonly=True)
            self.seen[person] = max(session.search("ALL"), default=0)
            session.logout()

    def act(self, now: datetime) -> None:
        """Each person reads their new mail and answers what calls for an answer."""
        for person in sorted(self.people):
            for raw in self._new_mail(person):
                self._read(person, message_from_bytes(raw, policy=default_policy), now)

    def close(self) -> None:
        """Log every person's mail client out."""
        for session in self.sessions.values():
            session.logout()
        self.sessions.clear()

    def _new_mail(self, person: str) -> list[bytes]:
        session = self.sessions.get(person)
        if session is None:
            session = self.sessions[person] = client(self.dovecot, person)
            session.select_folder("INBOX", readonly=True)
        session.noop()  # as a client polls: the server tells what arrived since
        uids = [u for u in sorted(session.search("ALL")) if u > self.seen.get(person, 0)]
        if uids:
            self.seen[person] = uids[-1]
        return fetched(session, uids)

    def _read(self, person: str, msg: object, now: datetime) -> None:
        assert isinstance(msg, EmailMessage)
        part = next((p for p in msg.walk() if p.get_content_type() == "text/calendar"), None)
        if part is not None and part.get_param("method") == "REQUEST":
            self._invitation(person, msg, ICalendar.from_ical(part.get_payload(decode=True)))
            return
        key = str(msg.get("X-Binome-Key", "")).strip()
        if key.startswith("mail/questionnaire/") and key not in self.answered:
            self.answered.append(key)
            lang = self.people[person]
            text = ("Note : 4/5. Oui, la séance a eu lieu. J'ai appris à préparer mes "
                    "arguments." if lang == "fr" else
                    "Rating: 4/5. Yes, the session took place. I learned to write joins.")
            original = Original(str(msg["Message-ID"]), str(msg["Subject"]),
                                parseaddr(str(msg["From"]))[1],
                                parsedate_to_datetime(str(msg["Date"])),
                                (msg.get_body(("plain",)) or msg).get_content())
            raw = compose_reply(random.Random(key), client="thunderbird", lang=lang, html=False,
                                keep_headers=True, person=(person.split("@")[0], person),
                                programme=original.sender, original=original, text=text,
                                message_id=f"<q.{short_hash(key, length=16)}@client.example>",
                                date=now)
            self._submit(person, original.sender, raw)

    def _invitation(self, person: str, msg: EmailMessage, cal: object) -> None:
        from fakes.imip_client import reply_mail

        events = list(cal.walk("VEVENT"))  # type: ignore[attr-defined]
        master = next(e for e in events if "RECURRENCE-ID" not in e)
        if any("RECURRENCE-ID" in e for e in events):
            self.moved_invitations.append(person)
        organizer = str(master["ORGANIZER"]).removeprefix("mailto:")
        uid, sequence = str(master["UID"]), int(master.get("SEQUENCE", 0))
        if person == DECLINER and not self.declined:
            rule = master.decoded("DTSTART")
            second = (rule + timedelta(weeks=int(master["RRULE"].get("INTERVAL", [1])[0])))
            self.declined.append((uid, second.astimezone(UTC)))
            raw = reply_mail(uid, organizer, person, "declined", second.astimezone(UTC),
                             sequence=sequence, summary=str(master["SUMMARY"]),
                             message_id=f"<decline.{short_hash(uid, person)}@client.example>")
        elif person != DECLINER and (uid, person) not in self.accepted:
            self.accepted.append((uid, person))
            raw = reply_mail(uid, organizer, person, "accepted", sequence=sequence,
                             summary=str(master["SUMMARY"]),
                             message_id=f"<accept.{short_hash(uid, person)}@client.example>")
        else:
            return
        self._submit(person, organizer, raw)

    def _submit(self, person: str, to: str, raw: bytes) -> None:
        context = ssl.create_default_context(cafile=str(self.dovecot.ca_file))
        with smtplib.SMTP("localhost", self.submission.starttls_port) as smtp:
            smtp.starttls(context=context)
            smtp.login(person, PASSWORD)
            smtp.sendmail(person, [to], raw)


def run_month(config: Path, participants: Participants, start: datetime, days: int = 30,
              step: timedelta = timedelta(hours=3),
              on_tick: Callable[[Agent, datetime], None] | None = None) -> Agent:
    """The agent ticking every `step` for `days`, the participants acting before each tick."""
    settings, _ = load_settings(config)
    clock = SimClock(start)
    store = Store(settings.state_dir)
    agent = Agent(settings, store, clock)
    end = start + timedelta(days=days)
    try:
        while clock.now() < end:
            participants.act(clock.now())
            agent.tick()
            if on_tick is not None:
                on_tick(agent, clock.now())
            clock.advance(step)
    finally:
        participants.close()
    store.flush()
    return agent
