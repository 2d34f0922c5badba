"""Monthly figures per manager: how their people's sessions went.

Figures come only from the ledger (series booked, responses, questionnaires
sent, feedback received), for one calendar month in the organisation's zone.
A manager's digest only ever covers their own direct reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

from agent.ledger import Ledger, parse_iso
from agent.messages import local_datetime, month_label, person_ctx
from agent.model import Interval, Participant


@dataclass
class PersonMonth:
    email: str
    planned: int = 0
    held: int = 0
    declined: int = 0
    questionnaires: int = 0
    answered: int = 0
    ratings: list[int] = field(default_factory=list)
    learned: list[str] = field(default_factory=list)
    to_develop: list[str] = field(default_factory=list)
    upcoming: list[datetime] = field(default_factory=list)

    @property
    def average_rating(self) -> float | None:
        return round(mean(self.ratings), 1) if self.ratings else None


def month_window(month: str, tz: str) -> Interval:
    year, mon = (int(x) for x in month.split("-"))
    zone = ZoneInfo(tz)
    start = datetime(year, mon, 1, tzinfo=zone)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
    return Interval(start, end)


def person_month(ledger: Ledger, email: str, month: str, tz: str, now: datetime) -> PersonMonth:
    window = month_window(month, tz)
    figures = PersonMonth(email)
    not_held: set[tuple[str, str]] = set()
    for _, fb in ledger.store.in_month("feedback", month):
        if fb["held"] is False and fb["occurrence"]:
            not_held.add((fb["pairing"], fb["occurrence"]))
        if fb["sender"] != email:
            continue
        figures.answered += 1
        if fb["rating"] is not None:
            figures.ratings.append(int(fb["rating"]))
        if fb["learned"]:
            figures.learned.append(fb["learned"])
        if fb["to_develop"]:
            figures.to_develop.append(fb["to_develop"])

    for doc in ledger.pairing_docs():
        if email not in doc["members"]:
            continue
        series = ledger.series(doc["id"])
        if series is None or not ledger.done(series.key):
            continue
        ended = parse_iso(doc["ended"]) if doc.get("ended") else None
        for occ in series.occurrences(window):
            if ended is not None and occ >= ended:
                continue
            figures.planned += 1
            if any(ledger.response(series.key, occ, e) == "declined" for e in doc["members"]):
                figures.declined += 1
            elif occ + series.duration <= now and (doc["id"], occ.isoformat()) not in not_held:
                figures.held += 1
        if doc["status"] == "active":
            upcoming = series.occurrences(Interval(now, now.replace(year=now.year + 1)))
            figures.upcoming.extend(upcoming[:2])

    for key, action in ledger.store.in_month("actions", month):
        if key.startswith("mail/questionnaire/") and key.endswith(f"/{email}"):
            if action["status"] == "done":
                figures.questionnaires += 1
    figures.upcoming.sort()
    return figures


def manager_context(
    ledger: Ledger,
    people: Mapping[str, Participant],
    manager: Participant,  # may be outside the roster: see prepare._outsider
    reports: Sequence[str],
    month: str,
    tz: str,
    now: datetime,
    programme_name: str,
    admin_email: str,
) -> dict[str, Any]:
    rows = []
    planned = held = sent = answered = 0
    for email in reports:
        p = people[email]
        f = person_month(ledger, email, month, tz, now)
        planned, held = planned + f.planned, held + f.held
        sent, answered = sent + f.questionnaires, answered + min(f.answered, f.questionnaires)
        rows.append({
            "name": p.name,
            "sessions_planned": f.planned,
            "sessions_held": f.held,
            "sessions_declined": f.declined,
            "average_rating": f.average_rating,
            "learned": f.learned[-3:],
            "to_develop": f.to_develop[-3:],
            "upcoming": [local_datetime(u, manager) for u in f.upcoming[:2]],
        })
    return {
        "manager": person_ctx(manager),
        "month_label": month_label(month, manager.language),
        "people": rows,
        "totals": {
            "sessions_planned": planned,
            "sessions_held": held,
            "response_rate": (answered / sent) if sent else None,
        },
        "programme_name": programme_name,
        "admin_email": admin_email,
    }
