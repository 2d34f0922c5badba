"""What every calendar that invites by mail (iMIP) does with the attendees' REPLY mails.

A backend's test class subclasses `ImipContract` beside `CalendarContract` and provides
the `calendar` fixture and `root`: the folder whose Maildir `mail/` receives the
invitations it sends (the real `local` mailbox).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from fakes.imip_client import latest_sequence, reply_mail

from agent.core.model import Interval
from agent.providers.itip import Taken, read_reply
from contract.calendar_contract import ANNE, BRUNO, ORGANIZER, everything, statuses, weekly


class ImipContract:
    root: Path

    def reply(self, calendar: Any, key: str, attendee: str, status: str, *,
              occurrence: Any = None, sequence: int) -> Taken | None:
        found = read_reply(reply_mail(calendar.uid(key), ORGANIZER, attendee, status,
                                      occurrence, sequence=sequence))
        assert found is not None
        taken: Taken | None = calendar.take_reply(found)
        return taken

    def test_an_answer_to_an_older_sequence_is_not_applied(self, calendar: Any) -> None:
        series = weekly()
        calendar.put_series(series)
        uid = calendar.uid(series.key)
        first = latest_sequence(self.root / "mail", uid, ANNE)
        second = series.occurrences()[1]
        moved = Interval(second + timedelta(days=1), second + timedelta(days=1, hours=1))
        calendar.change_occurrence(series.key, second, moved)  # a new version: SEQUENCE + 1
        now = latest_sequence(self.root / "mail", uid, ANNE)
        assert now > first
        _, cursor = calendar.changes(None)

        # Anne clicks Decline on the first invitation, after the update reached her.
        old = self.reply(calendar, series.key, ANNE, "declined", sequence=first)
        assert old is not None and old.key == series.key
        assert old.refused is not None
        assert f"SEQUENCE {first}, now {now}" in old.refused and ANNE in old.refused
        assert set(statuses(calendar, series, ANNE).values()) == {"needs-action"}
        assert calendar.changes(cursor)[0] == []
        assert len(calendar.free_busy([ANNE], everything(series))[ANNE]) == 4

        # Her answer to the current invitation (and one from a later version) counts.
        assert self.reply(calendar, series.key, ANNE, "declined", sequence=now) == \
            Taken(series.key)
        assert self.reply(calendar, series.key, BRUNO, "accepted", sequence=now + 1) == \
            Taken(series.key)
        assert set(statuses(calendar, series, ANNE).values()) == {"declined"}
        assert set(statuses(calendar, series, BRUNO).values()) == {"accepted"}

    def test_an_answer_from_someone_not_invited_is_not_applied(self, calendar: Any) -> None:
        series = weekly(attendees=(ANNE,))
        calendar.put_series(series)
        taken = self.reply(calendar, series.key, BRUNO, "accepted", sequence=0)
        assert taken is not None and taken.refused is not None and "not invited" in taken.refused
        assert {r.attendee for r in calendar.responses(series.key, everything(series))} == {ANNE}
