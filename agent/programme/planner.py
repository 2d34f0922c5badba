"""Desired state at time t: every action that should have happened by now.

Pure: reads the ledger, never writes and never calls a provider. Each action
carries its stable key (agent.core.keys); the pipeline does only those not yet
in the ledger. The windows it looks at are anchored on `now` (the next sessions,
the last week's sessions, this month's digest), so a tick costs the same in
month 12 as in month 1 and a week of downtime is caught up without special code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial

from agent.core.actions import Action, Book, End, Mail, Move, SeriesDeclined
from agent.core.errors import Problem
from agent.core.keys import (
    declined_key,
    end_key,
    intro_key,
    mail_key,
    move_key,
    series_key,
    skip_key,
)
from agent.core.ledger import Ledger
from agent.core.model import Interval, Pairing, Participant, Series
from agent.programme.reports import report_actions
from agent.programme.settings import Settings

# A questionnaire more than this late is no longer worth sending.
QUESTIONNAIRE_GRACE = timedelta(days=7)
BOOKING_RETRY = timedelta(days=1)
# A declined occurrence is moved only if the new time can be this far ahead (people need
# to see it), and only within the next week (moves stay in the occurrence's week).
MOVE_NOTICE = timedelta(hours=12)
MOVE_AHEAD = timedelta(days=8)


def plan(
    settings: Settings,
    people: Mapping[str, Participant],
    ledger: Ledger,
    now: datetime,
    problems: Sequence[Problem] = (),
    proposed: Sequence[Pairing] = (),
    failures: list[tuple[str, str]] | None = None,
) -> list[Action]:
    """Every action due at `now`. `proposed`: pairings matching would make now, not in the
    ledger yet (`binome plan` shows their bookings without recording them).

    With `failures`, one pairing (or the reports) that cannot be planned is skipped and
    appended there as (`plan <pairing id>`, why), so the others are still planned."""
    actions: list[Action] = []
    for pairing in [*ledger.pairings.active(), *proposed]:
        actions.extend(_alone(f"plan {pairing.id}", failures, partial(
            _pairing_actions, settings, people, ledger, pairing, now)))
    actions.extend(_alone("plan reports", failures, lambda: report_actions(
        settings, people, ledger, now, problems)))
    return actions


def _alone(unit: str, failures: list[tuple[str, str]] | None,
           work: Callable[[], list[Action]]) -> list[Action]:
    if failures is None:
        return work()
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - one pairing never stops the others
        failures.append((unit, f"{type(exc).__name__}: {exc}"))
        return []


def departed(pairing: Pairing, people: Mapping[str, Participant], ledger: Ledger) -> str:
    """Why a pairing must end now, or '' when it goes on."""
    for email in pairing.members:
        if email not in people:
            return f"{email} left the roster"
        if ledger.people.stopped(email):
            return f"{email} replied STOP"
    return ""


def running_series(ledger: Ledger, pairing: Pairing) -> Series | None:
    """The pairing's series while its sessions go on: booked, and not paused by a declined
    series (agent.programme.conflicts and agent.conversation.pacing look only at these)."""
    if (not ledger.journal.done(series_key(pairing.id))
            or ledger.responses.paused(pairing.id) is not None):
        return None
    return ledger.series.get(pairing.id)


def _pairing_actions(
    settings: Settings,
    people: Mapping[str, Participant],
    ledger: Ledger,
    pairing: Pairing,
    now: datetime,
) -> list[Action]:
    key = series_key(pairing.id)
    why_end = departed(pairing, people, ledger)
    if why_end:
        return [End(end_key(pairing.id), pairing.id, why_end)]
    journal = ledger.journal
    if not journal.seen(key) or journal.failed_before(key, now - BOOKING_RETRY):
        # A booking that found no free slot is tried again the next day: calendars change.
        return [Book(key, pairing)]
    series = ledger.series.get(pairing.id)
    if series is None or not journal.done(key):
        return []  # booking in flight or failed; nothing to mail about yet
    refused = ledger.responses.paused(pairing.id)
    if refused is not None:
        # A pairing someone declined outright sends no mail; the admin hears of it once.
        key = declined_key(pairing.id, refused)
        if journal.seen(key):
            return []
        return [Mail(key, "notice", settings.organisation.admin_email, pairing.id,
                     notice=SeriesDeclined(pairing.id, refused))]

    actions: list[Action] = []
    lead = timedelta(hours=settings.mail.objectives_hours_before)
    after = series.duration + timedelta(hours=settings.mail.questionnaire_hours_after)

    actions += _move_actions(ledger, pairing, series, now)
    actions += _skip_actions(ledger, pairing, series, now)

    # The introduction, once per member, as soon as the series is booked (while it runs).
    if now < series.until:
        for email in pairing.members:
            k = intro_key(pairing.id, email)
            if ledger.people.active(email) and not journal.seen(k):
                actions.append(Mail(k, "intro", email, pairing.id))

    # Objectives: sessions starting within the lead time and not started yet.
    actions += objectives_actions(ledger, pairing, series, Interval(now, now + lead))

    # Questionnaires: sessions that ended (plus the configured delay) within the grace period.
    recent = Interval(now - after - QUESTIONNAIRE_GRACE, now - after)
    for occ, _ in series.sessions(recent):
        if any(ledger.responses.status(key, occ, e) == "declined" for e in pairing.members):
            continue  # not held: nothing to ask about
        for email in pairing.members:
            if ledger.people.active(email):
                k = mail_key("questionnaire", pairing.id, occ, email)
                if not journal.seen(k):
                    actions.append(Mail(k, "questionnaire", email, pairing.id, occ))

    # One reminder for a questionnaire still unanswered `reminder_hours_after` later.
    remind = timedelta(hours=settings.mail.reminder_hours_after)
    if remind:
        late = Interval(now - after - remind - QUESTIONNAIRE_GRACE, now - after - remind)
        for occ, _ in series.sessions(late):
            for email in pairing.members:
                k = mail_key("reminder", pairing.id, occ, email)
                asked = journal.done(mail_key("questionnaire", pairing.id, occ, email))
                if (asked and ledger.people.active(email) and not journal.seen(k)
                        and not ledger.answers.answered(pairing.id, occ, email)
                        and not ledger.answers.away(pairing.id, occ, email)):
                    actions.append(Mail(k, "reminder", email, pairing.id, occ))
    return actions


def objectives_actions(ledger: Ledger, pairing: Pairing, series: Series,
                       starting: Interval) -> list[Mail]:
    """The objectives mails still to send for the sessions starting after `starting.start`
    and up to `starting.end` (agent.conversation.pacing also asks for later ones, to send
    them early)."""
    key = series_key(pairing.id)
    actions = []
    for occ, start in series.sessions(starting):
        if start <= starting.start:
            continue
        for email in pairing.members:
            if (ledger.people.active(email)
                    and ledger.responses.status(key, occ, email) != "declined"):
                k = mail_key("objectives", pairing.id, occ, email)
                if not ledger.journal.seen(k):
                    actions.append(Mail(k, "objectives", email, pairing.id, occ))
    return actions


def _move_actions(ledger: Ledger, pairing: Pairing, series: Series,
                  now: datetime) -> list[Action]:
    """An occurrence someone declined, or that another event now collides with
    (agent.programme.conflicts), is moved to a free time that week, once."""
    key = series_key(pairing.id)
    # Moved already, or about to be skipped (SKIP by reply): not moved (again).
    moved = {o for o, _ in series.moved} | set(ledger.people.skips(pairing.id))
    actions: list[Action] = []
    for occ, _ in series.sessions(Interval(now + MOVE_NOTICE, now + MOVE_AHEAD)):
        if occ in moved:
            continue  # declined again after a move: it counts as not held
        k = move_key(pairing.id, occ)
        if ledger.journal.seen(k):
            continue
        declined = [e for e in pairing.members
                    if ledger.responses.status(key, occ, e) == "declined"]
        busy = ledger.responses.conflict(pairing.id, occ)
        if declined or busy:
            why = f"{declined[0]} declined" if declined else f"{busy} has another event then"
            actions.append(Move(k, pairing.id, occ, why))
    return actions


def _skip_actions(ledger: Ledger, pairing: Pairing, series: Series,
                  now: datetime) -> list[Action]:
    """A session someone asked to skip is cancelled in every calendar, once, while it is
    still to come: a move to nowhere, as when a declined week has no free time."""
    asked = ledger.people.skips(pairing.id)
    if not asked:
        return []  # the usual case, checked first: expanding the series costs a tick
    actions: list[Action] = []
    still = set(series.occurrences())
    for original, by in sorted(asked.items()):
        key = skip_key(pairing.id, original)
        if (original in still and series.start_of(original) > now
                and not ledger.journal.seen(key)):
            actions.append(Move(key, pairing.id, original, f"{by} asked to skip it",
                                cancel=True))
    return actions
