"""What a person's Outlook does against the fake Graph: answer invitations, book own events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from contract.calendar_contract import ORGANIZER

from agent.providers.microsoft.graph_http import Graph


class Person:
    """Someone using Outlook against the fake: answers invitations, books own events."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def _call(self, method: str, url: str, who: str, **kwargs: Any) -> Any:
        return self.graph.json(method, url, mailbox=who, **kwargs)

    def answer(self, key_ref: str, who: str, occurrence: datetime | None, status: str) -> None:
        uid = self._call("GET", f"/users/{ORGANIZER}/events/{key_ref}", ORGANIZER,
                         params={"$select": "iCalUId"})["iCalUId"]
        copy = self._call("GET", f"/users/{who}/events", who,
                          params={"$filter": f"iCalUId eq '{uid}'"})["value"][0]["id"]
        target = copy
        if occurrence is not None:
            found = self._call("GET", f"/users/{who}/events/{copy}/instances", who, params={
                "startDateTime": "2025-01-01T00:00:00Z", "endDateTime": "2028-01-01T00:00:00Z",
                "$top": "100"})["value"]
            target = next(i["id"] for i in found
                          if parse_z(i["originalStart"]) == occurrence)
        action = {"accepted": "accept", "declined": "decline",
                  "tentative": "tentativelyAccept"}[status]
        self.graph.call("POST", f"/users/{who}/events/{target}/{action}", mailbox=who,
                        json={"sendResponse": True})

    def own_event(self, who: str, start: datetime | date, end: datetime | date,
                  transparent: bool) -> None:
        all_day = not isinstance(start, datetime)

        def when(value: datetime | date) -> dict[str, str]:
            if isinstance(value, datetime):
                return {"dateTime": value.replace(tzinfo=None).isoformat(),
                        "timeZone": str(value.tzinfo)}
            return {"dateTime": f"{value.isoformat()}T00:00:00", "timeZone": "Europe/Paris"}
        self._call("POST", f"/users/{who}/events", who, json={
            "subject": "Mine", "start": when(start), "end": when(end), "isAllDay": all_day,
            "showAs": "free" if transparent else "busy"})


def parse_z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))

