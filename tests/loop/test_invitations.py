"""Invitations by mail (`calendar = "email"`) as the agent sends them and reads the answers,
over the real `local` mailbox: what each attendee receives, in their language, and what
their client's REPLY changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from typing import TYPE_CHECKING

import pytest
from fakes.imip_client import latest_sequence, reply_mail
from harness import ORGANIZER, Run
from icalendar import Calendar as ICalendar

from agent.core.model import Interval

if TYPE_CHECKING:
    from company import Programme

EMAIL_CALENDAR = {'calendar = "local"          #': 'calendar = "email"          #'}


@pytest.fixture
def run(make_programme: Callable[..., Programme]) -> Run:
    return Run(make_programme(edits=EMAIL_CALENDAR))


def invitations(run: Run, to: str) -> list[EmailMessage]:
    """The invitation mails `to` received, oldest first."""
    found = []
    for path in sorted((run.local / "mail" / "new").iterdir()):
        msg = BytesParser(policy=default_policy).parsebytes(path.read_bytes())
        assert isinstance(msg, EmailMessage)
        if str(msg["To"]) == to and any(p.get_content_type() == "text/calendar"
                                        for p in msg.walk()):
            found.append(msg)
    return sorted(found, key=sequence)


def sequence(msg: EmailMessage) -> int:
    """The SEQUENCE of the invitation `msg` carries (the order they were sent in)."""
    data = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    cal = ICalendar.from_ical(data.get_payload(decode=True))
    return max(int(e.get("SEQUENCE", 0)) for e in cal.walk("VEVENT"))


def part(msg: EmailMessage, kind: str) -> str:
    """The text of `msg`'s text/`kind` part, with plain newlines."""
    body = msg.get_body((kind,))
    assert body is not None, f"no text/{kind} part"
    return str(body.get_content()).replace("\r\n", "\n")


def test_an_answer_to_an_invitation_updated_since_is_set_aside_not_applied(run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("nadia@ex.fr"), run.series("nadia@ex.fr")
    key = f"series/{pairing.id}"
    uid = run.agent.calendar.uid(key)  # type: ignore[attr-defined]
    first = latest_sequence(run.local / "mail", uid, "claire@ex.fr")
    # Nadia declines the second session: a week before, it moves, and everyone gets the
    # new version.
    second = series.occurrences()[1]
    run.deliver("decline", reply_mail(uid, ORGANIZER, "nadia@ex.fr", "declined", second,
                                      sequence=first, message_id="<decline@ex.fr>"))
    run.clock.set(second - timedelta(days=7))
    run.until(run.clock.now() + timedelta(hours=3))
    now = latest_sequence(run.local / "mail", uid, "claire@ex.fr")
    assert now > first and second in dict(run.series("nadia@ex.fr").moved)

    # Claire then clicks Decline (whole series) on the first invitation, still in her inbox.
    run.deliver("late", reply_mail(uid, ORGANIZER, "claire@ex.fr", "declined",
                                   sequence=first, message_id="<late@ex.fr>"))
    run.tick(run.clock.now() + timedelta(hours=1))

    ledger = run.agent.ledger
    [(ref, reason)] = [(q.ref, q.reason) for q in ledger.quarantine.everything()]
    assert f"SEQUENCE {first}, now {now}" in reason and "claire@ex.fr" in reason
    assert run.stored("paused") == {}  # a whole-series decline would have paused the pairing
    assert ledger.responses.status(key, series.occurrences()[2], "claire@ex.fr") in (
        None, "needs-action")

    # Her answer to the current version is applied.
    run.deliver("current", reply_mail(uid, ORGANIZER, "claire@ex.fr", "accepted",
                                      sequence=now, message_id="<current@ex.fr>"))
    run.tick(run.clock.now() + timedelta(hours=1))
    assert ledger.responses.status(key, series.occurrences()[2], "claire@ex.fr") == "accepted"
    assert len(ledger.quarantine.everything()) == 1


def test_each_attendee_is_invited_in_their_language_from_the_templates(
        make_programme: Callable[..., Programme]) -> None:
    programme = make_programme(edits={
        **EMAIL_CALENDAR,
        '# templates = "my-templates"': 'templates = "my-templates"'})
    own = programme.folder / "my-templates" / "en"
    own.mkdir(parents=True)
    (own / "invitation.subject.j2").write_text("You're in: {{ title }}\n", encoding="utf-8")
    run = Run(programme)
    run.tick()
    nadia, emma = invitations(run, "nadia@ex.fr"), invitations(run, "emma@ex.fr")
    assert len(nadia) == 1 and len(emma) == 1
    [fr], [en] = nadia, emma
    assert str(fr["Subject"]) == "Invitation : Mentorat Négociation — Claire Martin & " \
                                 "Nadia Benali"
    assert str(en["Subject"]).startswith("You're in: Mentorat SQL — ")  # the admin's template
    assert (fr["Content-Language"], en["Content-Language"]) == ("fr", "en")
    parts = [p.get_content_type() for p in fr.walk() if not p.is_multipart()]
    assert parts == ["text/plain", "text/html", "text/calendar"]
    text, html = part(fr, "plain"), part(fr, "html")
    assert text.startswith("Bonjour Nadia,\n\nVous êtes invité·e à « Mentorat Négociation")
    assert "» avec Claire Martin." in text and "\nPourquoi : " in text
    assert "Bonjour Nadia," in html and "<strong>Quand :</strong>" in html
    # Emma's times are in her zone and language.
    body = part(en, "plain")
    assert body.startswith("Hello Emma,\n\nYou are invited to")
    assert "When: every 2 weeks, 45 minutes, from Friday 4 September 2026 at 10:00 " \
           "(Europe/London); 7 sessions, the last on Friday 27 November 2026." in body
    assert str(fr["From"]).startswith(f"{run.settings.organisation.name} <")


def test_a_moved_session_and_a_cancelled_one_are_said_in_the_attendees_language(
        run: Run) -> None:
    run.tick()
    pairing, series = run.pairing("emma@ex.fr"), run.series("emma@ex.fr")
    key = f"series/{pairing.id}"
    second, third = series.occurrences()[1:3]
    moved = Interval(second + timedelta(days=1), second + timedelta(days=1) + series.duration)
    run.agent.calendar.change_occurrence(key, second, moved)  # as the executor does
    run.agent.calendar.change_occurrence(key, third, None)
    first, update, cancel = invitations(run, "emma@ex.fr")
    assert str(update["Subject"]).startswith("Updated invitation: Mentorat SQL")
    text = part(update, "plain")
    assert "\nMoved:\n- " in text and "(Europe/London) -> " in text
    assert str(cancel["Subject"]).startswith("Cancelled: Mentorat SQL")
    assert "is cancelled; the others stay as they are" in part(cancel, "plain")
    french = run.series("nadia@ex.fr")
    run.agent.calendar.end_series(french.key, french.start - timedelta(days=1))
    [*_, ended] = invitations(run, "nadia@ex.fr")
    assert str(ended["Subject"]) == f"Annulé : {french.title}"
    assert "Les séances « Mentorat Négociation" in part(ended, "plain")
    assert "sont annulées pour vous" in part(ended, "html")
