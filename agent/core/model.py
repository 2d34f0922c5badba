"""Domain types shared by every layer.

Terms:
- *participant*: one roster row (an employee or an external mentor).
- *pairing*: a decision of the matching, for one cycle: who meets whom, in
  which format (`mentoring`, `pair`, `workshop`), about which skills.
- *series*: the recurring calendar event that carries a pairing's sessions.
- *occurrence*: one session of a series, identified by its original start.
- *key*: the stable name of an outward action (`series/<pairing>`,
  `mail/objectives/<pairing>/<date>`); it travels to the provider so a retry
  after a crash finds what was already done instead of doing it again.

Every instant is timezone-aware. Stored instants are UTC; a series keeps its
IANA zone beside its start so that recurrence follows local wall time across
daylight-saving changes (10:00 Paris stays 10:00 Paris).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule

Format = Literal["mentoring", "pair", "workshop"]
Role = Literal["mentor", "mentee", "peer"]
Language = Literal["fr", "en"]
ResponseStatus = Literal["accepted", "declined", "tentative", "needs-action"]


@lru_cache(maxsize=8192)  # a roster names a few dozen skills, compared millions of times
def skill_key(name: str) -> str:
    """Compare skills case- and accent-insensitively ("Comptabilité" == "comptabilite")."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def short_hash(*parts: str, length: int = 12) -> str:
    """A stable, file- and URL-safe digest of `parts` (used in keys and ids)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True)
class Interval:
    """The time from `start` to `end`; both aware, and `end` not before `start` (ValueError)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs aware datetimes")
        if self.end < self.start:
            raise ValueError(f"Interval ends before it starts: {self.start} > {self.end}")

    def overlaps(self, other: Interval) -> bool:
        """Whether the two share some time; intervals that only touch do not."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Participant:
    """One roster row: a person, what they teach and learn, where and in which language."""

    email: str  # lower-cased; the identity of a person everywhere
    name: str
    roles: frozenset[Role]
    teaches: tuple[str, ...] = ()
    learns: tuple[str, ...] = ()
    manager_email: str | None = None
    team: str = ""
    timezone: str = "Europe/Paris"
    language: Language = "fr"
    max_mentees: int | None = None
    external: bool = False
    country: str = ""  # ISO 3166 code for public holidays; empty: from the time zone
    region: str = ""  # a subdivision the `holidays` package knows (QC, 57...), optional
    # Other addresses the person writes from (a phone's account, an old address): replies
    # from them count as theirs. Lower-cased, never the person's own `email`.
    aliases: tuple[str, ...] = ()
    # Optional levels (1 beginner .. 5 expert) by `skill_key`, from "Excel:expert" in the roster.
    teach_levels: tuple[tuple[str, int], ...] = ()
    learn_levels: tuple[tuple[str, int], ...] = ()

    @property
    def first_name(self) -> str:
        """The name's first word, or the address's local part when there is no name."""
        return self.name.split()[0] if self.name.strip() else self.email.split("@")[0]

    def teaches_key(self, skill: str) -> bool:
        """Whether they teach `skill`, compared by `skill_key` (case and accents ignored)."""
        return skill_key(skill) in {skill_key(s) for s in self.teaches}

    def learns_key(self, skill: str) -> bool:
        """Whether they want to learn `skill`, compared by `skill_key`."""
        return skill_key(skill) in {skill_key(s) for s in self.learns}

    def teach_level(self, key: str) -> int | None:
        """Their level (1-5) in the skill `key` they teach; None when the roster gives none."""
        return dict(self.teach_levels).get(key)

    def learn_level(self, key: str) -> int | None:
        """Their level now (1-5) in the skill `key` they learn; None when the roster gives none."""
        return dict(self.learn_levels).get(key)


@dataclass(frozen=True)
class Pairing:
    """Who meets whom in one cycle. `members[0]` hosts (the mentor, or the workshop host)."""

    id: str
    format: Format
    cycle: str  # the cycle's first day, ISO date
    members: tuple[str, ...]
    skills: tuple[str, ...]
    reason: str = ""

    @staticmethod
    def make_id(format: str, cycle: str, members: tuple[str, ...]) -> str:
        """`<format initial>-<cycle>-<hash>`: the members' order does not change it."""
        return f"{format[:1]}-{cycle}-{short_hash(format, cycle, *sorted(members), length=10)}"

    @property
    def host(self) -> str:
        """Who hosts: the mentor, or the workshop host."""
        return self.members[0]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined (a free/busy answer)."""
    merged: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: (i.start, i.end)):
        if merged and iv.start <= merged[-1].end:
            merged[-1] = Interval(merged[-1].start, max(merged[-1].end, iv.end))
        else:
            merged.append(iv)
    return merged


def busy_answer(intervals: Iterable[Interval], separate: bool) -> list[Interval]:
    """A free/busy answer as the contract gives it: merged, or one interval per event."""
    if separate:
        return sorted(intervals, key=lambda i: (i.start, i.end))
    return merge_intervals(intervals)


@dataclass(frozen=True)
class Series:
    """A weekly (every `interval_weeks`) recurring event from `start` until `until`.

    `start` is in the series' own zone (`timezone`); recurrence is computed in
    that zone so wall time is kept across DST changes.
    """

    key: str
    title: str
    description: str
    organizer: str
    attendees: tuple[str, ...]
    start: datetime
    duration: timedelta
    timezone: str
    interval_weeks: int
    until: datetime
    cancelled: tuple[datetime, ...] = ()  # original starts of cancelled occurrences (EXDATE)
    # Occurrences moved to another time (an override with RECURRENCE-ID): original start ->
    # new start, same length. An occurrence keeps its original start as its identity.
    moved: tuple[tuple[datetime, datetime], ...] = ()

    def start_of(self, original: datetime) -> datetime:
        """When the occurrence that originally started at `original` really starts."""
        for old, new in self.moved:
            if old == original:
                return new
        return original

    def rescheduled(self, original: datetime, start: datetime | None) -> Series:
        """This series with the occurrence `original` moved to `start` (an override), or
        skipped (EXDATE) when `start` is None."""
        if start is None:
            return replace(self, cancelled=(*self.cancelled, original))
        return replace(self, moved=(*self.moved, (original, start.astimezone(UTC))))

    def shows(self, original: datetime, start: datetime | None) -> bool:
        """Whether the occurrence `original` is already moved to `start` (skipped: None)."""
        if start is None:
            return original in self.cancelled
        return (original, start.astimezone(UTC)) in self.moved

    def sessions(self, window: Interval) -> list[tuple[datetime, datetime]]:
        """(original start, actual start) of the occurrences really starting in `window`."""
        # A move stays within the occurrence's week: moves whose original is within a week
        # of `window` can bring an occurrence in or take one out. The planner asks this for
        # every pairing on every tick, so the common case (none near) stays the plain one.
        week = timedelta(weeks=1)
        wide = Interval(window.start - week, window.end + week)
        near = {o: n for o, n in self.moved if wide.start <= o <= wide.end}
        if not near:
            return [(o, o) for o in self.occurrences(window)]
        found = [(o, near.get(o, o)) for o in self.occurrences(wide)]
        return sorted(((o, a) for o, a in found if window.start <= a <= window.end),
                      key=lambda pair: pair[1])

    def rule(self) -> rrule:
        """The recurrence as dateutil's rrule in the series' zone (cancelled ones not removed)."""
        local_start = self.start.astimezone(ZoneInfo(self.timezone))
        return rrule(
            WEEKLY,
            interval=self.interval_weeks,
            dtstart=local_start,
            until=self.until.astimezone(ZoneInfo(self.timezone)),
        )

    def occurrences(self, window: Interval | None = None) -> list[datetime]:
        """Original starts (UTC) of the occurrences in `window` (whole series if None).

        Same results as `rule()` (the RRULE written to calendars), but computed
        by index rather than by iterating from the first occurrence: the planner
        asks this for every pairing on every tick, and its cost must not grow
        as a cycle goes on. Occurrence k is `start + k * interval` in local wall
        time, which is how RRULE keeps 10:00 Paris at 10:00 across DST.
        """
        tz = ZoneInfo(self.timezone)
        start = self.start.astimezone(UTC)
        lo, hi = start, self.until.astimezone(UTC)
        if window is not None:
            lo, hi = max(lo, window.start.astimezone(UTC)), min(hi, window.end.astimezone(UTC))
        if hi < lo:
            return []
        period = timedelta(weeks=self.interval_weeks)
        local_start = self.start.astimezone(tz).replace(tzinfo=None)
        # UTC and wall time differ by at most a few hours: one index of margin each side.
        first = max(0, (lo - start) // period - 1)
        last = (hi - start) // period + 1
        skipped = {c.astimezone(UTC) for c in self.cancelled}
        found = []
        for k in range(first, last + 1):
            occ = (local_start + k * period).replace(tzinfo=tz).astimezone(UTC)
            if lo <= occ <= hi and occ not in skipped:
                found.append(occ)
        return found


@dataclass(frozen=True)
class Response:
    """One attendee's answer for one occurrence (by its original start, UTC)."""

    key: str
    attendee: str
    occurrence: datetime
    status: ResponseStatus


@dataclass(frozen=True)
class Change:
    """Something people did to a series by hand (responded, moved, deleted)."""

    key: str
    kind: Literal["responses", "moved", "deleted"]


@dataclass(frozen=True)
class Outgoing:
    """A fully composed message. `raw` is the RFC 5322 bytes, Message-ID included."""

    key: str
    message_id: str
    sender: str
    recipients: tuple[str, ...]
    raw: bytes


# A reply to a questionnaire is a few kilobytes; past this, a message is not even read.
MAX_INBOUND_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Incoming:
    """A received message: `ref` is the provider's handle to acknowledge it.

    `problem` says why a backend could not hand over its bytes (a file it cannot read,
    a message larger than `MAX_INBOUND_BYTES`, left unread): `raw` is then empty, and
    the message is set aside with that reason (and acknowledged, so read once)."""

    ref: str
    raw: bytes
    problem: str = ""


@dataclass(frozen=True)
class Feedback:
    """What one person said about one session, read from their reply."""

    message_id: str
    sender: str
    pairing: str
    occurrence: datetime | None
    rating: int | None
    text: str
    received: datetime
    held: bool | None = None
    learned: str = ""
    next_focus: str = ""
    extra: dict[str, str] = field(default_factory=dict)
