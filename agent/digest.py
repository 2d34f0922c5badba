"""Monthly figures per manager: how their people's sessions went.

Figures come only from the ledger (series booked, responses, questionnaires
sent, feedback received), for one calendar month in the organisation's zone.
A manager's digest only ever covers their own direct reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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


@dataclass
class MonthIndex:
    """One pass over a month's records, shared by every digest of that month.

    Built once per digest round: walking the month's feedback and actions once per
    person would make a round cost people x history.
    """

    month: str
    window: Interval
    feedback: dict[str, list[dict[str, Any]]]  # sender -> their replies this month
    not_held: set[tuple[str, str]]  # (pairing, occurrence) someone said did not take place
    questionnaires: Counter[str]  # email -> questionnaires sent to them this month
    pairings: dict[str, list[dict[str, Any]]]  # member -> pairing docs


def month_index(ledger: Ledger, month: str, tz: str) -> MonthIndex:
    index = MonthIndex(month, month_window(month, tz), {}, set(), Counter(), {})
    for _, fb in ledger.store.in_month("feedback", month):
        if fb["held"] is False and fb["occurrence"]:
            index.not_held.add((fb["pairing"], fb["occurrence"]))
        index.feedback.setdefault(fb["sender"], []).append(fb)
    for key, action in ledger.store.in_month("actions", month):
        if key.startswith("mail/questionnaire/") and action["status"] == "done":
            index.questionnaires[key.rsplit("/", 1)[1]] += 1
    for doc in ledger.pairing_docs():
        for email in doc["members"]:
            index.pairings.setdefault(email, []).append(doc)
    return index


def person_month(ledger: Ledger, index: MonthIndex, email: str, now: datetime) -> PersonMonth:
    figures = PersonMonth(email, questionnaires=index.questionnaires[email])
    for fb in index.feedback.get(email, []):
        figures.answered += 1
        if fb["rating"] is not None:
            figures.ratings.append(int(fb["rating"]))
        if fb["learned"]:
            figures.learned.append(fb["learned"])
        if fb["to_develop"]:
            figures.to_develop.append(fb["to_develop"])

    for doc in index.pairings.get(email, []):
        series = ledger.series(doc["id"])
        if series is None or not ledger.done(series.key):
            continue
        ended = parse_iso(doc["ended"]) if doc.get("ended") else None
        for occ in series.occurrences(index.window):
            if ended is not None and occ >= ended:
                continue
            figures.planned += 1
            if any(ledger.response(series.key, occ, e) == "declined" for e in doc["members"]):
                figures.declined += 1
            elif (
                occ + series.duration <= now and (doc["id"], occ.isoformat()) not in index.not_held
            ):
                figures.held += 1
        if doc["status"] == "active":
            upcoming = series.occurrences(Interval(now, now + timedelta(days=366)))
            figures.upcoming.extend(upcoming[:2])
    figures.upcoming.sort()
    return figures


def manager_context(
    ledger: Ledger,
    people: Mapping[str, Participant],
    manager: Participant,  # may be outside the roster: see prepare._outsider
    reports: Sequence[str],
    index: MonthIndex,
    now: datetime,
    programme_name: str,
    admin_email: str,
) -> dict[str, Any]:
    rows = []
    planned = held = sent = answered = 0
    for email in reports:
        p = people[email]
        f = person_month(ledger, index, email, now)
        planned, held = planned + f.planned, held + f.held
        sent, answered = sent + f.questionnaires, answered + min(f.answered, f.questionnaires)
        rows.append(
            {
                "name": p.name,
                "sessions_planned": f.planned,
                "sessions_held": f.held,
                "sessions_declined": f.declined,
                "average_rating": f.average_rating,
                "learned": f.learned[-3:],
                "to_develop": f.to_develop[-3:],
                "upcoming": [local_datetime(u, manager) for u in f.upcoming[:2]],
            }
        )
    return {
        "manager": person_ctx(manager),
        "month_label": month_label(index.month, manager.language),
        "people": rows,
        "totals": {
            "sessions_planned": planned,
            "sessions_held": held,
            "response_rate": (answered / sent) if sent else None,
        },
        "programme_name": programme_name,
        "admin_email": admin_email,
    }
