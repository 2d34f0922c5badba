"""What a calendar backend keeps beside a series it booked, to act on it later.

A `Schedule` holds the booked start, zone, interval, last occurrence and length,
and digests of the wording and of the attendees. Stored with the event (an
extended property), it tells an update which parts changed and gives the
original start of every occurrence without parsing the service's recurrence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from agent.core.model import Series, short_hash


@dataclass(frozen=True)
class Schedule:
    """What was booked, as kept in the schedule property."""

    start: datetime  # UTC
    timezone: str
    interval_weeks: int
    last: datetime  # UTC original start of the last occurrence
    minutes: float
    what: str
    who: str

    @classmethod
    def of(cls, series: Series) -> Schedule:
        """What booking `series` keeps (cancelled occurrences aside: they are deletions)."""
        plain = replace(series, cancelled=())
        starts = plain.occurrences()
        return cls(start=series.start.astimezone(UTC), timezone=series.timezone,
                   interval_weeks=series.interval_weeks,
                   last=starts[-1] if starts else series.start.astimezone(UTC),
                   minutes=series.duration.total_seconds() / 60,
                   what=short_hash(series.title, series.description),
                   who=short_hash(*sorted(a.lower() for a in series.attendees)))

    def timing(self) -> tuple[Any, ...]:
        """The parts whose change rewrites the pattern (and resets every answer)."""
        return (self.start, self.timezone, self.interval_weeks, self.last, self.minutes)

    def originals(self) -> list[datetime]:
        """The original start of every occurrence of the pattern, in UTC."""
        series = Series(key="", title="", description="", organizer="", attendees=(),
                        start=self.start.astimezone(ZoneInfo(self.timezone)),
                        duration=timedelta(minutes=self.minutes), timezone=self.timezone,
                        interval_weeks=self.interval_weeks, until=self.last)
        return series.occurrences()

    def dumps(self) -> str:
        """The JSON kept in the schedule property."""
        return json.dumps({"start": self.start.isoformat(), "tz": self.timezone,
                           "every": self.interval_weeks, "last": self.last.isoformat(),
                           "minutes": self.minutes, "what": self.what, "who": self.who})

    @classmethod
    def loads(cls, text: str) -> Schedule | None:
        """The `Schedule` in a schedule property, or None when it is not one."""
        try:
            v = json.loads(text)
            return cls(datetime.fromisoformat(v["start"]), str(v["tz"]), int(v["every"]),
                       datetime.fromisoformat(v["last"]), float(v["minutes"]), str(v["what"]),
                       str(v["who"]))
        except (ValueError, KeyError, TypeError):
            return None
