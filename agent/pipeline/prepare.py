"""Turn planned actions into the exact payloads the providers receive.

Pure as far as the ledger goes: it reads the ledger and the calendars' free/busy
time, and writes nothing; what a payload changes in the ledger is applied by the
executor once the provider did it (agent.core.actions, "writes"). Booking chooses
a slot from one batched free/busy query per chunk (and keeps track of what this
chunk already booked, so two new series never take the same person's hour).
Mails are composed by `agent.pipeline.mails`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent.conversation.compose import Composer
from agent.core.actions import Action, Book, End, Mail, Move, Prepared
from agent.core.errors import PermanentError, TemporaryError
from agent.core.keys import series_key
from agent.core.ledger import Ledger
from agent.core.model import Interval, Pairing, Participant, Series
from agent.core.payloads import BookPayload, EndPayload, MovePayload
from agent.pipeline.mails import MailPreparer
from agent.programme.holidaymoves import around_holidays
from agent.programme.holidays import days_off
from agent.programme.learningdays import on_learning_days
from agent.programme.planner import MOVE_NOTICE
from agent.programme.scheduling import (
    HORIZON_WEEKS,
    WEEKDAYS,
    choose_slot,
    cycle_bounds,
    iso_week,
    slot_in_week,
)
from agent.programme.settings import Settings
from agent.providers.base import Calendar

log = logging.getLogger("binome")

# Invitations go out at least this long before the first session.
BOOKING_NOTICE = timedelta(days=2)

_TITLES = {
    "fr": {"mentoring": "Mentorat", "pair": "Binôme", "workshop": "Atelier"},
    "en": {"mentoring": "Mentoring", "pair": "Learning pair", "workshop": "Workshop"},
}


class Preparer:
    """`calendar` is asked for only when a booking or a move needs free/busy time, so a
    command that previews mail never opens a calendar backend."""

    def __init__(
        self, settings: Settings, ledger: Ledger, calendar: Callable[[], Calendar],
        composer: Composer, secret: Callable[[], bytes],
    ) -> None:
        self.settings = settings
        self.ledger = ledger
        self._calendar = calendar
        self.mails = MailPreparer(settings, ledger, composer, secret)

    def prepare(
        self, actions: Sequence[Action], people: Mapping[str, Participant], now: datetime
    ) -> tuple[list[Prepared], list[tuple[Action, str]]]:
        """Each action's payload, or why it cannot be made (the action then fails).

        Each action alone: one that cannot be made fails alone. One whose calendar could
        not answer for now (`TemporaryError`) is in neither list: unrecorded, it is
        planned again at the next tick."""
        prepared: list[Prepared] = []
        failed: list[tuple[Action, str]] = []
        books = [a for a in actions if isinstance(a, Book)]
        if books:
            try:
                p, f = self._prepare_books(books, people, now)
                prepared += p
                failed += f
            except (TemporaryError, OSError) as exc:
                log.warning("bookings wait for the next tick: free/busy failed: %s", exc)
            except PermanentError as exc:
                failed += [(a, f"cannot prepare: free/busy refused: {exc}") for a in books]
        for action in actions:
            try:
                if isinstance(action, End):
                    prepared.append(Prepared(action, self._end_payload(action, now)))
                elif isinstance(action, Mail):
                    prepared.append(Prepared(action, self.mails.payload(action, people, now)))
                elif isinstance(action, Move):
                    prepared.append(Prepared(action, self._move_payload(action, people, now)))
            except (TemporaryError, OSError) as exc:  # a network error a client let escape
                log.warning("%s waits for the next tick: %s", action.key, exc)
            except (KeyError, ValueError, PermanentError) as exc:
                # A person or series vanished meanwhile, a template that does not render...
                failed.append((action, f"cannot prepare: {exc}"))
            except Exception as exc:  # noqa: BLE001 - a bug fails this action, not the chunk
                log.exception("cannot prepare %s", action.key)
                failed.append((action, f"cannot prepare: {type(exc).__name__}: {exc}"))
        return prepared, failed

    # -- booking ---------------------------------------------------------------
    def _prepare_books(
        self, actions: Sequence[Book], people: Mapping[str, Participant], now: datetime
    ) -> tuple[list[Prepared], list[tuple[Action, str]]]:
        pairings = [a.pairing for a in actions]
        everyone = sorted({e for p in pairings for e in p.members})
        window = Interval(now, now + BOOKING_NOTICE + timedelta(weeks=HORIZON_WEEKS + 8))
        busy = self._free_busy(everyone, window)
        load = self._load()
        weeks = self._weeks(window)
        prepared: list[Prepared] = []
        failed: list[tuple[Action, str]] = []
        for action, pairing in zip(actions, pairings, strict=True):
            cap = self.settings.hours.max_sessions_per_week
            full = {e: {w for w, n in c.items() if n >= cap} for e, c in weeks.items()}
            series = self._choose(pairing, people, busy, load, now, full)
            if series is None:
                failed.append((action, "no slot inside everyone's working hours is free"))
                continue
            for occ in series.occurrences(window):
                for email in series.attendees:
                    busy.setdefault(email, []).append(Interval(occ, occ + series.duration))
            _count_day(load, series)
            _count_weeks(weeks, series, window)
            prepared.append(Prepared(action, BookPayload(pairing.id, series)))
        return prepared, failed

    def _free_busy(self, emails: list[str], window: Interval) -> dict[str, list[Interval]]:
        # One batched query per chunk; copies, because this chunk's bookings are added to them.
        return {e: list(v) for e, v in self._calendar().free_busy(emails, window).items()}

    def _load(self) -> dict[str, dict[str, int]]:
        load: dict[str, dict[str, int]] = {}
        for pairing in self.ledger.pairings.active():
            series = self.ledger.series.get(pairing.id)
            if series is not None:
                _count_day(load, series)
        return load

    def _weeks(self, window: Interval) -> dict[str, Counter[str]]:
        """Sessions per person and ISO week within `window`, from every active series."""
        weeks: dict[str, Counter[str]] = {}
        for pairing in self.ledger.pairings.active():
            series = self.ledger.series.get(pairing.id)
            if series is not None:
                _count_weeks(weeks, series, window)
        return weeks

    def _choose(
        self,
        pairing: Pairing,
        people: Mapping[str, Participant],
        busy: Mapping[str, list[Interval]],
        load: Mapping[str, Mapping[str, int]],
        now: datetime,
        full_weeks: Mapping[str, set[str]] | None = None,
    ) -> Series | None:
        s = self.settings
        fmt = s.format(pairing.format)
        host = people[pairing.host]
        org_tz = s.organisation.timezone
        cycle_start = date.fromisoformat(pairing.cycle)
        _, next_cycle = cycle_bounds(
            s.programme.start,
            s.programme.cycle_months,
            datetime.combine(cycle_start, time(12), ZoneInfo(org_tz)),
            org_tz,
        )
        until = datetime.combine(next_cycle, time(0), ZoneInfo(org_tz))
        not_before = max(
            now + BOOKING_NOTICE, datetime.combine(cycle_start, time(0), ZoneInfo(org_tz))
        )
        if not_before >= until:
            return None
        attendees = [people[e] for e in pairing.members]
        # Public holidays count as busy, so the slot avoids them where it can...
        off = days_off(attendees, not_before, until)
        start = choose_slot(
            attendees=attendees,
            busy={e: [*busy.get(e, []), *off.get(e, [])] for e in pairing.members},
            hours=s.hours,
            duration=timedelta(minutes=fmt.minutes),
            interval_weeks=fmt.every_weeks,
            not_before=not_before,
            until=until,
            series_tz=host.timezone,
            load=load,
            salt=pairing.id,
            horizon_weeks=HORIZON_WEEKS,
            full_weeks=full_weeks,
        )
        if start is None:
            return None
        lang = s.organisation.language
        names = " & ".join(p.name for p in attendees)
        title = f"{_TITLES[lang][pairing.format]} {', '.join(pairing.skills)} — {names}"
        series = Series(
            key=series_key(pairing.id),
            title=title,
            description=pairing.reason,
            organizer=s.organisation.programme_email,
            attendees=pairing.members,
            start=start,
            duration=timedelta(minutes=fmt.minutes),
            timezone=host.timezone,
            interval_weeks=fmt.every_weeks,
            until=until,
        )
        if pairing.format == "workshop" and s.programme.learning_days:
            on_days = on_learning_days(
                series, s.programme.learning_days, attendees=attendees,
                busy={e: [*busy.get(e, []), *off.get(e, [])] for e in pairing.members},
                hours=s.hours, not_before=not_before)
            if on_days is not None:
                return on_days
        # ...and an occurrence a weekly slot still lands on one of them moves within its
        # week, or is skipped when the week has no free time: the calendars show either.
        return around_holidays(
            series, attendees=attendees, hours=s.hours, not_before=not_before,
            busy={e: [*busy.get(e, []), *off.get(e, [])] for e in pairing.members})

    # -- moving one occurrence --------------------------------------------------
    def _move_payload(
        self, action: Move, people: Mapping[str, Participant], now: datetime
    ) -> MovePayload:
        series = self.ledger.series.get(action.pairing_id)
        original = action.occurrence
        if series is None:
            raise ValueError(f"no series booked for {action.pairing_id}")
        if action.cancel:  # asked by reply: cancelled, not moved
            return _rescheduled(action.pairing_id, series, original, None)
        attendees = [people[e] for e in series.attendees if e in people]
        zone = ZoneInfo(series.timezone)
        local = original.astimezone(zone)
        week = datetime.combine(local.date() - timedelta(days=local.weekday()), time(0), zone)
        window = Interval(week, week + timedelta(days=8))
        # Moves are rare (one decline at a time): one free/busy call for this one.
        busy = self._free_busy([p.email for p in attendees], window)
        for email, days in days_off(attendees, window.start, window.end).items():
            busy.setdefault(email, []).extend(days)
        start = slot_in_week(attendees=attendees, busy=busy, hours=self.settings.hours,
                             duration=series.duration, original=original,
                             not_before=now + MOVE_NOTICE, series_tz=series.timezone)
        # No time that week when everyone is free (None): the session is skipped, and every
        # calendar shows it cancelled (it counts as not held).
        return _rescheduled(action.pairing_id, series, original, start)

    # -- ending ----------------------------------------------------------------
    def _end_payload(self, action: End, now: datetime) -> EndPayload:
        key = series_key(action.pairing_id)
        return EndPayload(action.pairing_id, key if self.ledger.journal.done(key) else "", now,
                          action.reason)


def _rescheduled(pairing_id: str, series: Series, original: datetime,
                 start: datetime | None) -> MovePayload:
    """The payload that moves one occurrence to `start` in every calendar
    (`change_occurrence`), or cancels it when `start` is None; once done, the ledger's
    series records the move or the skip."""
    new = Interval(start, start + series.duration) if start else None
    return MovePayload(pairing_id, series.key, original, new, series.attendees)


def _count_weeks(weeks: dict[str, Counter[str]], series: Series, window: Interval) -> None:
    zone = ZoneInfo(series.timezone)
    for _, start in series.sessions(window):
        for email in series.attendees:
            weeks.setdefault(email, Counter())[iso_week(start.astimezone(zone))] += 1


def _count_day(load: dict[str, dict[str, int]], series: Series) -> None:
    """Count the series on its weekday for each attendee (the slot search spreads by it)."""
    day = WEEKDAYS[series.start.astimezone(ZoneInfo(series.timezone)).weekday()]
    for email in series.attendees:
        load.setdefault(email, {}).setdefault(day, 0)
        load[email][day] += 1
