"""What a person's Outlook does against the fake EWS, through exchangelib."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from exchangelib import CalendarItem, EWSDate, EWSDateTime

from agent.providers.microsoft.ews_account import open_account
from agent.providers.microsoft.schedule import Schedule


class ExchangeUser:
    def __init__(self, endpoint: str, username: str, password: str, email: str) -> None:
        self.account = open_account(endpoint, "2016", username, password, email,
                                    auth_type="basic", max_wait=1)

    def answer(self, organizer_calendar: Any, key: str, occurrence: datetime | None,
               status: str) -> None:
        master = organizer_calendar._lookup(key)
        schedule = Schedule.loads(master.binome_schedule)
        assert schedule is not None
        [full] = organizer_calendar.account.fetch(ids=[master], only_fields=["uid"])
        uid = full.uid
        [copy] = [i for i in self.account.calendar.all().only("uid", "changekey")
                  if i.uid == uid]
        target = copy
        if occurrence is not None:
            target = copy.occurrence(schedule.originals().index(occurrence) + 1)
            target.refresh()
        {"accepted": target.accept, "declined": target.decline,
         "tentative": target.tentatively_accept}[status]()

    def own_event(self, start: datetime | date, end: datetime | date, transparent: bool) -> None:
        all_day = not isinstance(start, datetime)

        def when(value: datetime | date) -> Any:
            if isinstance(value, datetime):
                return EWSDateTime.from_datetime(value)
            return EWSDate(value.year, value.month, value.day)
        CalendarItem(account=self.account, folder=self.account.calendar, subject="Mine",
                     start=when(start), end=when(end), is_all_day=all_day,
                     legacy_free_busy_status="Free" if transparent else "Busy").save(
            send_meeting_invitations="SendToNone")
