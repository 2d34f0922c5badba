"""At most one programme email a day per person: due together, mails go as one message."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from harness import Mail, Run, reply_to, sent_mail
from test_agent_matching import add_people, sellers

PARIS = ZoneInfo("Europe/Paris")
PACED = ("mail/intro/", "mail/objectives/", "mail/questionnaire/", "mail/reminder/",
         "notice/waitlist/")


def messages(run: Run) -> list[Mail]:
    """Each programme message sent, once, whatever it carries."""
    found: dict[str, Mail] = {}
    for mail in sent_mail(run.local):
        if mail.key.startswith(PACED):
            found.setdefault(mail.message_id, mail)
    return list(found.values())


def busy_programme(make_programme: Any) -> Run:
    """Claire hosts a workshop and mentors two: her sessions and mails pile up."""
    run = Run(make_programme(edits={'formats = ["mentoring"]':
                                    'formats = ["mentoring", "workshop"]'}))
    add_people(run.programme, *sellers(4))
    return run


def test_nobody_gets_more_than_one_programme_mail_a_day(make_programme: Any) -> None:
    run = busy_programme(make_programme)
    run.tick()
    run.until(run.clock.now() + timedelta(weeks=5), step=timedelta(hours=2))
    sent = messages(run)
    per_day = Counter((m.to, m.date.astimezone(PARIS).date()) for m in sent)
    assert max(per_day.values()) == 1, [k for k, n in per_day.items() if n > 1]
    # Nothing was lost on the way: every mail due went, alone or inside another.
    carried = sent_mail(run.local)
    assert len(carried) > len(sent)
    for pairing in run.agent.ledger.pairings.active():
        series = run.agent.ledger.series.get(pairing.id)
        assert series is not None
        done = [o for o in series.occurrences() if o + series.duration < run.clock.now()
                - timedelta(days=2)]
        for occ in done:
            # In a workshop, its host alone gets the objectives (agent.programme.seats).
            for email in pairing.members[:1] if pairing.format == "workshop" \
                    else pairing.members:
                assert sent_mail(run.local, f"mail/objectives/{pairing.id}/{occ.isoformat()}/",
                                 to=email), (pairing.id, occ, email)


def test_mails_due_together_are_one_message_and_its_answer_counts(make_programme: Any) -> None:
    run = busy_programme(make_programme)
    run.tick()
    run.until(run.clock.now() + timedelta(weeks=5), step=timedelta(hours=2))
    bundles = [m for m in sent_mail(run.local) if m.key.startswith("mail/questionnaire/")
               and len([x for x in sent_mail(run.local) if x.message_id == m.message_id]) > 1]
    assert bundles, "no questionnaire carried another mail in five weeks"
    message = bundles[0]
    inside = [x for x in sent_mail(run.local) if x.message_id == message.message_id
              and x.key != message.key]
    assert all(x.key.startswith(("mail/objectives/", "notice/waitlist/")) for x in inside)
    # Both are in the one message: the questionnaire first, then each carried mail after a
    # rule, in the text and in the HTML.
    assert "—" * 24 in message.text and message.text.index("Note") < message.text.index("—" * 24)
    assert message.html.count("<hr ") == len(inside)
    # It reads as one mail: one greeting at the top, one footer at the bottom.
    lines = message.text.splitlines()
    assert lines.count(lines[0]) == 1 and lines.count("--") == 1
    assert message.html.count(lines[0]) == 1
    assert "Objectifs de la séance" in message.text.split("—" * 24, 1)[1] or "Objectives" in \
        message.text.split("—" * 24, 1)[1]
    # Answering it answers the questionnaire.
    now = run.clock.now()
    run.deliver("7001.answer", reply_to(message, message.to, "Oui\nNote : 4\nAppris : le BATNA",
                                        "<bundle-answer@ex.fr>", now))
    run.tick(now + timedelta(hours=1))
    [feedback] = [f for f in run.stored("feedback").values() if f["rating"] == 4]
    assert feedback["sender"] == message.to and feedback["learned"] == "le BATNA"


def test_a_questionnaire_that_waited_goes_the_next_working_morning(make_programme: Any) -> None:
    run = busy_programme(make_programme)
    run.tick()
    run.until(run.clock.now() + timedelta(weeks=5), step=timedelta(hours=1))
    held = run.stored("held")
    assert held, "nothing had to wait in five weeks"
    sent = {m.key: m for m in sent_mail(run.local)}
    for key, doc in held.items():
        if key in sent:
            when = sent[key].date.astimezone(PARIS)
            assert when.time() >= time(9) and when.date() > date(2026, 9, 1)
            assert when.isoformat() >= doc["until"][:10]

