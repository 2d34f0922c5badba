"""At most one programme email a day per person: what is due together goes as one.

The planner says what is due, mail by mail; pacing decides what goes now and in
which message, per person and per day in their own time zone:
- Several mails due to one person in a tick become one message: the one that asks
  for a reply (a questionnaire, a reminder, an introduction) leads,
  and the others travel inside it (`Mail.bundle`). One message asks one thing, so a
  second mail asking for a reply waits for the next day.
- The first message of a person's day also carries the objectives of their sessions
  whose objectives would fall due later that same day, sent early.
- Once a person had their message of the day, what can wait (questionnaires,
  reminders, clarifications, introductions, waiting-list notices) waits for the start
  of their next working day (`Journal.hold`); the planner keeps planning it and pacing
  lets it through then. Objectives cannot wait (the session would be over): they go
  anyway, which the early sending above keeps rare.
- Not paced: what answers someone's own message (a command's confirmation, a
  question about a rating we could not read), cancellations (a
  calendar's own message), digests and notices to the admin. But one confirmation
  a day says one thing: the same command confirmed again that day travels inside
  the first (twenty HELPs get one answer).

Mails carried inside another are recorded as covered by it (`Journal.cover`), so the
planner does not plan them again; the message itself is one keyed action like any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent.core.actions import Action, Mail, Waitlisted
from agent.core.ledger import Ledger
from agent.core.model import Interval, Participant
from agent.programme.planner import departed, objectives_actions, running_series
from agent.programme.settings import Settings

# What asks for a reply, most important first: it leads a message, one per message.
ASKING = ("questionnaire", "reminder", "intro")


def paced(action: Action, people: Mapping[str, Participant]) -> bool:
    """Whether pacing handles `action`: a mail to someone in the roster that asks for a reply,
    objectives, or a waiting-list notice."""
    if not isinstance(action, Mail) or action.recipient not in people:
        return False
    return action.mail_kind in (*ASKING, "objectives") or isinstance(action.notice, Waitlisted)


def pace(actions: Sequence[Action], *, settings: Settings, ledger: Ledger,
         people: Mapping[str, Participant], now: datetime) -> list[Action]:
    """`actions` with each person's paced mails reduced to at most one message (see the
    module docstring); records holds and the day of each person's message."""
    out: list[Action] = []
    due: dict[str, list[Mail]] = {}
    for action in actions:
        if isinstance(action, Mail) and paced(action, people):
            until = ledger.journal.held_until(action.key)
            if until is None or until <= now:
                due.setdefault(action.recipient, []).append(action)
        elif isinstance(action, Mail) and action.mail_kind == "confirm":
            if _first_of_its_kind_today(ledger, action, people, now):
                out.append(action)
        else:
            out.append(action)
    # Only a person's first message of the day carries objectives early.
    first = {e for e in due
             if ledger.journal.last_mail_day(e) != _today(people[e], now).isoformat()}
    early = _objectives_later_today(settings, ledger, people, first, now)
    for email, mails in due.items():
        person = people[email]
        message = _one_message(ledger, person, mails, early.get(email, []), settings, now)
        if message is not None:
            out.append(message)
    return out


def _one_message(ledger: Ledger, person: Participant, mails: list[Mail],
                 early: list[Mail], settings: Settings, now: datetime) -> Mail | None:
    today = _today(person, now)
    later = _next_morning(person, today, settings)
    if ledger.journal.last_mail_day(person.email) == today.isoformat():
        for action in mails:
            if action.mail_kind != "objectives":
                ledger.journal.hold(action.key, later)
        mails = [a for a in mails if a.mail_kind == "objectives"]
        if not mails:
            return None
    asking = sorted((a for a in mails if a.mail_kind in ASKING),
                    key=lambda a: (ASKING.index(a.mail_kind), a.occurrence or now, a.key))
    for action in asking[1:]:
        ledger.journal.hold(action.key, later)
    rest = sorted((a for a in mails if a.mail_kind not in ASKING),
                  key=lambda a: (a.mail_kind != "objectives", a.occurrence or now, a.key))
    keys = {a.key for a in mails}
    rest += [a for a in early if a.key not in keys]
    lead, *inside = asking[:1] + rest
    ledger.journal.set_last_mail_day(person.email, today.isoformat())
    return replace(lead, bundle=tuple(inside)) if inside else lead


def _first_of_its_kind_today(ledger: Ledger, action: Mail, people: Mapping[str, Participant],
                             now: datetime) -> bool:
    """Whether the confirmation `action` is the first of its day that says this: the same
    command (with the same date and sessions) confirmed again the same day travels inside
    the first one (`Journal.cover`). Twenty HELPs get one answer a day, not twenty; a
    PAUSE after a STOP is still confirmed."""
    owed = ledger.owed.get(action.key)
    person = people.get(action.recipient)
    day = (_today(person, now) if person else now.date()).isoformat()
    said = (action.recipient, action.command, owed.until if owed else "",
            tuple((p, o.isoformat()) for p, o in owed.skipped) if owed else ())
    first = ledger.journal.confirmed(repr(said), day)
    if first is not None and first != action.key:
        ledger.journal.cover(action.key, first, now)
        return False
    ledger.journal.set_confirmed(repr(said), day, action.key)
    return True


def _next_morning(person: Participant, today: date, settings: Settings) -> datetime:
    zone = ZoneInfo(person.timezone)
    return datetime.combine(today + timedelta(days=1), settings.hours.start, zone)


def _objectives_later_today(settings: Settings, ledger: Ledger,
                            people: Mapping[str, Participant], emails: set[str],
                            now: datetime) -> dict[str, list[Mail]]:
    """For each of `emails`: objectives mails that fall due later in their day."""
    if not emails:
        return {}
    lead = timedelta(hours=settings.mail.objectives_hours_before)
    ends = {e: _end_of_day(people[e], now) for e in emails}
    found: dict[str, list[Mail]] = {}
    for pairing in ledger.pairings.active():
        members = [e for e in pairing.members if e in emails]
        if not members or departed(pairing, people, ledger):
            continue
        series = running_series(ledger, pairing)
        if series is None:
            continue
        # Due later today: starting after now + lead, and up to the end of the day + lead.
        window = Interval(now + lead, max(ends[e] for e in members) + lead)
        for action in objectives_actions(ledger, pairing, series, window):
            if action.recipient in ends and action.occurrence is not None:
                start = series.start_of(action.occurrence)
                if start <= ends[action.recipient] + lead:
                    found.setdefault(action.recipient, []).append(action)
    return found


def _today(person: Participant, now: datetime) -> date:
    return now.astimezone(ZoneInfo(person.timezone)).date()


def _end_of_day(person: Participant, now: datetime) -> datetime:
    zone = ZoneInfo(person.timezone)
    return datetime.combine(_today(person, now) + timedelta(days=1), time(0), zone)

