"""Monthly figures: how each pairing's sessions went, and each person's month.

Terms:
- *planned*: every occurrence booked in the month, including those later cancelled.
- *held*: past, nobody declined it, nobody said it did not take place.
- *declined*: someone declined it in their calendar (so it was not held).
- *cancelled*: taken off the calendars (a public holiday, or no free time after a decline).
- *missed*: past and not declined, but someone answered it did not take place.
- *to come*: not over yet when the figures are taken.

Figures come only from the ledger (series booked, responses, questionnaires
sent, feedback received), for one calendar month in the organisation's zone.
Who may see which figures is the callers' business (agent.digest.manager,
agent.digest.admin): this module names nobody to anybody.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from agent.core.keys import parse_key
from agent.core.ledger import Ledger
from agent.core.model import Interval
from agent.core.records import FeedbackRecord, PairingRecord

HELD, DECLINED, CANCELLED, MISSED, TO_COME = "held", "declined", "cancelled", "missed", "to come"
HIGH_RATING = 4  # a session rated this or more is a highlight


def month_window(month: str, tz: str) -> Interval:
    """`month` ("YYYY-MM") from its first instant to the next month's, in zone `tz`."""
    year, mon = (int(x) for x in month.split("-"))
    zone = ZoneInfo(tz)
    start = datetime(year, mon, 1, tzinfo=zone)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
    return Interval(start, end)


def previous(month: str) -> str:
    """The month ("YYYY-MM") before `month`."""
    year, mon = (int(x) for x in month.split("-"))
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def week_of(when: datetime, tz: str) -> date:
    """The Monday of `when`'s week, in zone `tz` (the charts' buckets)."""
    local = when.astimezone(ZoneInfo(tz)).date()
    return local - timedelta(days=local.weekday())


@dataclass
class PairingMonth:
    """One pairing's occurrences in the month, each with what became of it."""

    id: str
    format: str
    host: str
    members: tuple[str, ...]
    skills: tuple[str, ...]
    status: str  # the pairing's: active, ended, completed
    sessions: list[tuple[datetime, str]]  # (original start, HELD | DECLINED | ...)

    def count(self, outcome: str) -> int:
        """How many of the month's sessions had `outcome` (HELD, DECLINED...)."""
        return sum(1 for _, s in self.sessions if s == outcome)


@dataclass
class MonthIndex:
    """One pass over a month's records, shared by every digest of that month.

    Built once per digest round: walking the month's feedback and actions once per
    person would make a round cost people x history. Pairings are worked out once,
    lazily, and shared by everyone in them.
    """

    month: str
    window: Interval
    tz: str
    feedback: dict[str, list[FeedbackRecord]]  # sender -> their replies this month
    by_pairing: dict[str, list[FeedbackRecord]]  # pairing -> replies about it this month
    earlier_ratings: dict[str, list[int]]  # sender -> ratings they gave the month before
    not_held: set[tuple[str, datetime]]  # (pairing, occurrence) someone said was not held
    questionnaires: Counter[str]  # email -> questionnaires sent to them this month
    pairings: dict[str, list[PairingRecord]]  # member -> their pairings
    worked: dict[str, PairingMonth | None] = field(default_factory=dict)
    # email -> the sessions (pairing, occurrence) this month's questionnaires asked about
    asked: dict[str, list[tuple[str, datetime]]] = field(default_factory=dict)

    def weeks(self) -> list[date]:
        """The Mondays of the weeks that overlap the month's working days (a month that
        starts on a weekend does not show the week before as an empty bar)."""
        start = self.window.start.astimezone(ZoneInfo(self.tz))
        while start.weekday() >= 5:
            start += timedelta(days=1)
        first = week_of(start, self.tz)
        last = week_of(self.window.end - timedelta(seconds=1), self.tz)
        return [first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1)]


def one_per_session(replies: Iterable[FeedbackRecord]) -> list[FeedbackRecord]:
    """Replies with one per person and session: someone who answers again (a
    clarification of their rating, a second reply) completes their first answer, so a
    session is counted once; a later value wins where both gave one. A reply tied to no
    session stands alone."""
    merged: dict[tuple[str, str, object], FeedbackRecord] = {}
    for fb in sorted(replies, key=lambda f: f.received):
        session = (fb.sender, fb.pairing_id, fb.occurrence or fb.message_id)
        first = merged.get(session)
        if first is None:
            merged[session] = fb
        else:
            later = {f.name: getattr(fb, f.name) for f in fields(fb)
                     if f.name != "message_id" and getattr(fb, f.name) not in (None, "")}
            merged[session] = replace(first, **later)
    return list(merged.values())


def month_index(ledger: Ledger, month: str, tz: str) -> MonthIndex:
    """One pass over `month`'s replies, questionnaires sent and pairings, shared by its digests."""
    index = MonthIndex(month, month_window(month, tz), tz, {}, {}, {}, set(), Counter(), {})
    for fb in one_per_session(ledger.answers.feedback_in_month(month)):
        if fb.held is False and fb.occurrence is not None:
            index.not_held.add((fb.pairing_id, fb.occurrence))
        index.feedback.setdefault(fb.sender, []).append(fb)
        index.by_pairing.setdefault(fb.pairing_id, []).append(fb)
    for fb in one_per_session(ledger.answers.feedback_in_month(previous(month))):
        if fb.rating is not None:
            index.earlier_ratings.setdefault(fb.sender, []).append(fb.rating)
    # Asked this month: sent on their own, or inside another message (pacing).
    done = [a.key for a in ledger.journal.in_month(month) if a.status == "done"]
    for asked in [*done, *ledger.journal.covered_in_month(month)]:
        key = parse_key(asked)
        if key.kind == "questionnaire" and key.occurrence is not None:
            index.questionnaires[key.email] += 1
            index.asked.setdefault(key.email, []).append((key.pairing_id, key.occurrence))
    for record in ledger.pairings.everything():
        for email in record.pairing.members:
            index.pairings.setdefault(email, []).append(record)
    return index


def pairing_month(
    ledger: Ledger, index: MonthIndex, record: PairingRecord, now: datetime
) -> PairingMonth | None:
    """What became of the pairing's sessions in the month; None when it was never booked."""
    if record.id in index.worked:
        return index.worked[record.id]
    pairing = record.pairing
    series = ledger.series.get(pairing.id)
    found = None
    if series is not None and ledger.journal.done(series.key):
        ended = record.ended
        window = index.window
        booked = [(o, "") for o in series.occurrences(window)]
        booked += [(c, CANCELLED) for c in series.cancelled if window.start <= c < window.end]
        sessions = []
        for occ, outcome in sorted(booked):
            if ended is not None and occ >= ended:
                continue  # after someone left: never going to happen, not planned any more
            if not outcome:
                outcome = _outcome(ledger, index, record, series.key, occ,
                                   series.start_of(occ) + series.duration, now)
            sessions.append((occ, outcome))
        # Matching puts the mentor (or host) first.
        found = PairingMonth(pairing.id, pairing.format, pairing.host, pairing.members,
                             pairing.skills, record.status, sessions)
    index.worked[record.id] = found
    return found


def _outcome(ledger: Ledger, index: MonthIndex, record: PairingRecord, key: str,
             occ: datetime, ends: datetime, now: datetime) -> str:
    if any(ledger.responses.status(key, occ, e) == "declined" for e in record.pairing.members):
        return DECLINED
    if ends > now:
        return TO_COME
    if (record.id, occ) in index.not_held:
        return MISSED
    return HELD


@dataclass
class PersonMonth:
    """One person's month (or the programme's, summed): sessions by outcome, answers, ratings."""

    email: str
    planned: int = 0
    held: int = 0
    declined: int = 0
    cancelled: int = 0
    missed: int = 0
    questionnaires: int = 0
    answered: int = 0
    hosted: int = 0  # sessions held as the mentor or workshop host
    ratings: list[int] = field(default_factory=list)  # what they gave their sessions
    earlier: list[int] = field(default_factory=list)  # the same, the month before
    ratings_received: list[int] = field(default_factory=list)  # as host, from the others
    learned: list[str] = field(default_factory=list)
    to_develop: list[str] = field(default_factory=list)
    skills: Counter[str] = field(default_factory=Counter)  # skill -> sessions held on it
    weeks: dict[date, list[int]] = field(default_factory=dict)  # Monday -> [planned, held]
    pairings: list[str] = field(default_factory=list)  # ids of the pairings in the month

    @property
    def average_rating(self) -> float | None:
        """The mean rating they gave this month, to one decimal; None without any."""
        return round(mean(self.ratings), 1) if self.ratings else None

    @property
    def trend(self) -> float | None:
        """This month's average rating minus last month's (None without both)."""
        if not self.ratings or not self.earlier:
            return None
        return round(mean(self.ratings) - mean(self.earlier), 1)

    @property
    def attendance(self) -> float | None:
        """Held out of the sessions that are over and were not cancelled."""
        over = self.held + self.declined + self.missed
        return self.held / over if over else None


def answered(ledger: Ledger, index: MonthIndex, email: str) -> int:
    """How many of the questionnaires asked of `email` this month they answered (whenever):
    never more than were asked, whatever the number of replies."""
    return sum(ledger.answers.answered(p, o, email) for p, o in index.asked.get(email, []))


def person_month(ledger: Ledger, index: MonthIndex, email: str, now: datetime) -> PersonMonth:
    """`email`'s figures for the index's month, from their replies and their pairings' sessions."""
    figures = PersonMonth(email, questionnaires=index.questionnaires[email],
                          earlier=list(index.earlier_ratings.get(email, [])))
    figures.answered = answered(ledger, index, email)
    for fb in index.feedback.get(email, []):
        if fb.rating is not None:
            figures.ratings.append(fb.rating)
        if fb.learned:
            figures.learned.append(fb.learned)
        if fb.to_develop:
            figures.to_develop.append(fb.to_develop)
    for record in index.pairings.get(email, []):
        worked = pairing_month(ledger, index, record, now)
        if worked is None or not worked.sessions:
            continue
        figures.pairings.append(worked.id)
        add_sessions(figures, worked, index)
        if worked.host == email and worked.format != "pair":
            figures.hosted += worked.count(HELD)
            figures.ratings_received += [fb.rating for fb in index.by_pairing.get(worked.id, [])
                                         if fb.sender != email and fb.rating is not None]
    return figures


def add_sessions(figures: PersonMonth, worked: PairingMonth, index: MonthIndex) -> None:
    """Add one pairing's month to `figures` (a person's or a whole programme's)."""
    for occ, outcome in worked.sessions:
        figures.planned += 1
        figures.held += outcome == HELD
        figures.declined += outcome == DECLINED
        figures.cancelled += outcome == CANCELLED
        figures.missed += outcome == MISSED
        week = figures.weeks.setdefault(week_of(occ, index.tz), [0, 0])
        week[0] += 1
        week[1] += outcome == HELD
    for skill in worked.skills:
        figures.skills[skill] += worked.count(HELD)


def upcoming(ledger: Ledger, index: MonthIndex, email: str, now: datetime,
             limit: int = 2) -> list[datetime]:
    """The person's next sessions after `now`, soonest first."""
    found: list[datetime] = []
    for record in index.pairings.get(email, []):
        series = ledger.series.get(record.id)
        if record.status == "active" and series is not None and ledger.journal.done(series.key):
            found += [series.start_of(o) for o in
                      series.occurrences(Interval(now, now + timedelta(days=366)))[:limit]]
    return sorted(found)[:limit]
