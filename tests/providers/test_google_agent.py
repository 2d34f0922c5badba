"""The whole agent on the `google` backend: settings file -> registry -> real client -> fake.

The programme of tests/conftest.py (Claire mentors Nadia, Oliver mentors Emma)
with `backend.calendar = backend.mail = "google"`: the service account key is
read through `service_account_key_command`, as an admin would configure it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from company import PROGRAMME_EMAIL
from fakes.google_fixtures import delegate, running, service_account_key
from fakes.google_server import FakeGoogle
from harness import Mail, reply_to

from agent.core.clock import SimClock
from agent.core.docs import iso
from agent.core.model import Series
from agent.core.store import Store
from agent.loop.agent import Agent
from agent.providers.google.events import event_id

if TYPE_CHECKING:
    from company import Programme

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 9, 1, 7, 0, tzinfo=PARIS)
HOUR = timedelta(hours=1)


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    yield from running()


def google_edits(fake: FakeGoogle, folder: Path) -> dict[str, str]:
    """Edits of config/example.toml that put a programme on the fake Google."""
    key = folder / "google-key.json"
    key.write_text(json.dumps(service_account_key(fake)), encoding="utf-8")
    key.chmod(0o600)
    return {
        'calendar = "local"          #': 'calendar = "google"          #',
        'mail = "local"              #': 'mail = "google"              #',
        "[backend.local]\n": f'[backend.google]\nservice_account_key_command = "cat {key}"\n'
                             f'api_root = "{fake.root}"\n\n[backend.local]\n',
    }


@pytest.fixture
def google_programme(make_programme: Callable[..., Programme], fake: FakeGoogle,
                     tmp_path: Path) -> Programme:
    delegate(fake, PROGRAMME_EMAIL)
    return make_programme(edits=google_edits(fake, tmp_path))


def sent(fake: FakeGoogle, prefix: str) -> list[Mail]:
    found = []
    for message in fake.gmail.sent(PROGRAMME_EMAIL):
        msg = message_from_bytes(message.raw, policy=default_policy)
        assert isinstance(msg, EmailMessage)
        if str(msg["X-Binome-Key"]).strip().startswith(prefix):
            plain = msg.get_body(("plain",))
            found.append(Mail(str(msg["X-Binome-Key"]).strip(), str(msg["To"]),
                              str(msg["From"]), str(msg["Subject"]), str(msg["Message-ID"]),
                              parsedate_to_datetime(str(msg["Date"])),
                              plain.get_content() if plain is not None else "", "",
                              str(msg["Content-Language"])))
    return found


def test_sessions_mails_and_replies_go_through_google(google_programme: Programme,
                                                       fake: FakeGoogle) -> None:
    settings = google_programme.settings()
    clock = SimClock(T0)
    agent = Agent(settings, Store(settings.state_dir), clock)
    report = agent.tick()
    assert sorted(o.kind for o in report.outcomes if o.ok) == ["book"] * 2 + ["mail"] * 4
    assert sorted(o.mail_kind for o in report.outcomes if o.ok)[-4:] == ["intro"] * 4
    assert fake.count("calendar.events.insert") == 2  # one insert per new series
    inserts = [p for m, p in fake.params if m == "calendar.events.insert"]
    assert [p["sendUpdates"] for p in inserts] == ["all", "all"]  # real invitations
    events = fake.calendar.calendars[PROGRAMME_EMAIL]
    [pairing] = [r.pairing for r in agent.ledger.pairings.everything()
                 if "nadia@ex.fr" in r.pairing.members]
    series = agent.ledger.series.get(pairing.id)
    assert isinstance(series, Series)
    master = events[event_id(series.key)]
    assert {a["email"] for a in master["attendees"]} == {"claire@ex.fr", "nadia@ex.fr"}

    before = len(fake.calls)
    clock.advance(timedelta(minutes=15))
    assert agent.tick().outcomes == []
    assert sorted(fake.calls[before:]) == ["calendar.events.list", "gmail.users.history.list"]

    occ1 = series.occurrences()[0]
    for when in (occ1 - 23 * HOUR, occ1 + series.duration + 2 * HOUR):
        clock.set(when)
        agent.tick()
    objectives = sent(fake, f"mail/objectives/{pairing.id}/")
    questions = sent(fake, f"mail/questionnaire/{pairing.id}/")
    assert sorted(m.to for m in objectives) == sorted(m.to for m in questions) == [
        "claire@ex.fr", "nadia@ex.fr"]
    question = next(m for m in questions if m.to == "nadia@ex.fr")
    text = ("Oui, la séance a bien eu lieu.\nNote : 4\nAppris : Préparer mes arguments.\n"
            "À développer : Répondre aux objections.\nProchaine fois : Simuler un entretien.")
    fake.gmail.deliver(PROGRAMME_EMAIL, reply_to(question, "nadia@ex.fr", text,
                                                 "<reply-1@ex.fr>", clock.now()))
    clock.advance(HOUR)
    assert agent.tick().replies_read == 1
    feedback = dict(Store(settings.state_dir).all("feedback"))
    assert feedback["<reply-1@ex.fr>"]["rating"] == 4
    box = fake.gmail.box(PROGRAMME_EMAIL)
    [reply] = [m for m in box.messages.values() if m.message_id == "<reply-1@ex.fr>"]
    assert "Binome/processed" in {box.labels[label] for label in reply.labels}
    assert agent.tick().replies_read == 0


def test_an_answer_in_google_calendar_reaches_the_ledger(google_programme: Programme,
                                                         fake: FakeGoogle) -> None:
    settings = google_programme.settings()
    clock = SimClock(T0)
    agent = Agent(settings, Store(settings.state_dir), clock)
    agent.tick()
    [pairing] = [r.pairing for r in agent.ledger.pairings.everything()
                 if "emma@ex.fr" in r.pairing.members]
    series = agent.ledger.series.get(pairing.id)
    assert series is not None
    second = series.occurrences()[1]
    fake.calendar.respond(PROGRAMME_EMAIL, event_id(series.key), "emma@ex.fr", "declined", second)
    clock.advance(timedelta(minutes=15))
    agent.tick()
    responses = dict(Store(settings.state_dir).all("responses"))
    assert responses == {f"{series.key}|{iso(second)}|emma@ex.fr": {
        "key": series.key, "attendee": "emma@ex.fr", "occurrence": iso(second),
        "status": "declined"}}
