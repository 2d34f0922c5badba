"""The crash test over real servers: `binome tick` killed at random instants on
`mail = "imap"` (Dovecot; the SMTP server delivers through its LMTP) with
`calendar = "caldav"` (Radicale) and with `calendar = "email"` (iMIP only).

As on the other backends (tests/ticking.py's `kill_through_stages`): the booking (events,
invitations, introductions), the day before the first session (objectives) and just
after it (questionnaires), each a `binome tick --at T` process killed with SIGKILL after a
random delay, again and again, then run to the end. Afterwards:
- the ledger has nothing in flight, and every action due is done;
- the CalDAV server holds one object per series key (the email calendar one record);
- each of our Message-IDs is once in its recipient's INBOX and once in the programme's
  Sent (no copy left a draft): four invitations, four introductions, two objectives and
  two questionnaires.

A kill between the SMTP server's acceptance and the agent's confirmation in Sent is the
hard case (SMTP cannot tell a client that died before the server's 250 whether the
message was taken): half the kills aim at the sending, soon after a message was taken,
and the programme's receipt of it (agent.providers.imap.mailbox) must keep it from
going twice.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from company import ADMIN, PEOPLE
from icalendar import Calendar as ICalendar
from servers.accounts import client, folder_messages
from servers.caldav_servers import PASSWORD as DAV_PASSWORD
from servers.caldav_servers import DavServer
from servers.dovecot import Dovecot
from servers.month import environment, server_edits
from servers.smtp import Submission
from ticking import after_a_random_delay, kill_through_stages

from agent.core.store import Store

if TYPE_CHECKING:
    from company import Programme

KILLS = int(os.environ.get("SERVERS_CRASH_KILLS", "2"))


def header(raw: bytes, name: str) -> str:
    return str(BytesHeaderParser().parsebytes(raw)[name] or "").strip()


def dav_objects(dav: DavServer, name: str) -> list[str]:
    """The calendar data of every object in the programme's calendar `name`."""
    from caldav.davclient import DAVClient

    with DAVClient(url=dav.url, username=dav.username, password=DAV_PASSWORD) as dav_client:
        for calendar in dav_client.principal().calendars():
            if calendar.get_display_name() == name:
                return [str(o.data) for o in calendar.events()]
    return []


def series_keys(calendar: str, dav: DavServer, name: str, state: Path) -> list[str]:
    """The series key of every event (CalDAV object, or email calendar record) there is."""
    if calendar == "caldav":
        return [str(e["X-BINOME-KEY"]) for data in dav_objects(dav, name)
                for e in ICalendar.from_ical(data).walk("VEVENT") if "X-BINOME-KEY" in e]
    records = [json.loads(p.read_bytes()) for p in (state / "invitations").glob("*.json")]
    assert all(r["outbox"] == [] for r in records)  # every invitation owed went out
    return [r["series"]["key"] for r in records]


def sent_folder(dovecot: Dovecot, user: str) -> list[tuple[str, bool]]:
    """(Message-ID, still a draft) of each message in `user`'s Sent."""
    session = client(dovecot, user)
    try:
        session.select_folder("Sent", readonly=True)
        uids = session.search("ALL")
        data = session.fetch(uids, ["BODY.PEEK[HEADER]", "FLAGS"]) if uids else {}
    finally:
        session.logout()
    return [(header(bytes(d[b"BODY[HEADER]"]), "Message-ID"), b"\\Draft" in d[b"FLAGS"])
            for d in data.values()]


@pytest.mark.parametrize("calendar", ["caldav", "email"])
def test_kills_at_random_instants_over_real_servers_create_nothing_twice(
        make_programme: Callable[..., Programme], dovecot: Dovecot, submission: Submission,
        dav_server: DavServer, monkeypatch: pytest.MonkeyPatch, calendar: str) -> None:
    if dav_server.name != "radicale":
        pytest.skip("one CalDAV server is enough for the crash test")
    for name, value in environment().items():  # inherited by the tick processes
        monkeypatch.setenv(name, value)
    # A domain of its own: every Message-ID we send ends in it, whatever other tests sent
    # the same people.
    domain = f"crash-{uuid.uuid4().hex[:8]}.example.fr"
    programme_email = f"binome@{domain}"
    dav_name = f"Binôme {domain}"
    edits = server_edits(dovecot, submission, dav_server if calendar == "caldav" else None,
                         None)  # type: ignore[arg-type]
    edits["[backend.local]\n"] = edits["[backend.local]\n"].replace(
        'calendar = "Binôme"', f'calendar = "{dav_name}"')
    programme = make_programme(folder=f"crash-{calendar}", edits={
        **edits, 'programme_email = "binome@atelier-lumiere.fr"':
            f'programme_email = "{programme_email}"'})
    relay = submission.relay

    def effects() -> int:  # what a killed tick may have done outside: mail taken, events
        return len(relay.delivered) + (len(dav_objects(dav_server, dav_name))
                                       if calendar == "caldav" else 0)

    def wait(proc: subprocess.Popen[bytes], rng: random.Random, attempt: int,
             startup: float) -> bool:
        """The first attempt, while it sends: soon after the SMTP server took its first
        message; the next ones around the end of start-up (booking, on CalDAV)."""
        if attempt % 2 == 1:
            return after_a_random_delay(proc, rng, attempt, startup)
        taken, nth, delay = len(relay.delivered), 1, rng.uniform(0, 0.25)
        while proc.poll() is None:
            if len(relay.delivered) >= taken + nth:
                time.sleep(delay)
                return proc.poll() is None
            time.sleep(0.005)
        return False

    kills: list[float] = []
    mid_run = kill_through_stages(programme.config, programme.state, effects, lambda: None,
                                  kills=KILLS, killed_at=kills, wait=wait)

    store = Store(programme.state, readonly=True)
    assert store.pending() == []
    actions = dict(store.all("actions"))
    booked = sorted(k for k, a in actions.items() if a["kind"] == "book"
                    and a["status"] == "done")
    keys = series_keys(calendar, dav_server, dav_name, programme.state)
    assert sorted(keys) == booked and len(keys) == 2  # one event per series

    # Each message of ours once in its recipient's INBOX...
    received: Counter[str] = Counter()
    invitations: Counter[tuple[str, str]] = Counter()
    for person in [*PEOPLE, ADMIN]:
        for raw in folder_messages(dovecot, person, "INBOX"):
            message_id = header(raw, "Message-ID")
            if message_id.endswith(f"@{domain}>"):
                received[message_id] += 1
                if b"text/calendar" in raw:
                    invitations[(header(raw, "X-Binome-Key"), person)] += 1
    # ... and once in Sent, confirmed.
    sent = sent_folder(dovecot, programme_email)
    assert not [m for m, draft in sent if draft]
    assert Counter(m for m, _ in sent) == Counter(set(received))
    assert {m: n for m, n in received.items() if n > 1} == {}  # nothing sent twice

    # Every action due done: two series, each attendee invited once; four introductions,
    # then the first session's objectives and questionnaires, each delivered.
    attendees = {doc["key"]: doc["attendees"] for _, doc in store.all("series")}
    assert sorted(invitations) == sorted((k, p) for k in keys for p in attendees[k])
    assert set(invitations.values()) == {1}
    mailed = {k: a for k, a in actions.items() if a["kind"] == "mail" and a["status"] == "done"}
    assert Counter(k.split("/")[1] for k in mailed) == {
        "intro": 4, "objectives": 2, "questionnaire": 2}
    assert len(received) == len(invitations) + len(mailed)
    near = sum(any(0 <= k - t <= 0.5 for t, _ in relay.delivered) for k in kills)
    print(f"\n{calendar} over real servers: {mid_run} of {3 * KILLS} kills landed mid-run, "
          f"{near} of them within 0.5 s after the SMTP server took a message; "
          f"{len(received)} messages, each delivered once")
    assert mid_run >= 1
