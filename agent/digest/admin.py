"""The admin's monthly digest: the whole programme's health, gaps and troubles.

Unlike a manager's, it covers everyone: the admin runs the programme. Terms:
- *held share*: held out of the month's sessions that are over (declined,
  cancelled and missed ones count against it); mentoring practice aims at 80-90%.
- *quiet pairing*: an active pairing, booked more than `QUIET` ago, with no
  session held in the last `QUIET` (as of when the digest is composed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from agent.conversation.messages import month_label, person_ctx
from agent.core.docs import month_of
from agent.core.ledger import Ledger
from agent.core.model import Interval, Participant
from agent.core.records import PairingRecord
from agent.digest.charts import Chart, chart_ctx, rating_chart, skills_chart, weekly_chart
from agent.digest.figures import (
    HELD,
    HIGH_RATING,
    MonthIndex,
    PersonMonth,
    add_sessions,
    pairing_month,
    workshop_attendance,
)
from agent.digest.figures import answered as answered_of
from agent.digest.progress import programme_progress
from agent.programme.planner import decliner
from agent.programme.settings import Settings
from agent.programme.skills import needs

QUIET = timedelta(days=21)
TARGET = (0.8, 0.9)
LIST_AT_MOST = 10


def target_status(share: float | None) -> str | None:
    """The held share against `TARGET` (80-90%): below, on or above; None without a share."""
    if share is None:
        return None
    return "below" if share < TARGET[0] else "above" if share > TARGET[1] else "on"


def _name(people: Mapping[str, Participant], email: str) -> str:
    return people[email].name if email in people else email


def declined_series(ledger: Ledger, people: Mapping[str, Participant],
                    records: Iterable[PairingRecord], month: str) -> list[dict[str, Any]]:
    """The pairings that ended in `month` because someone declined their whole series: who
    declined, and for each of the others whether the matching since paired them again
    (nothing for the admin to do: agent.programme.planner)."""
    out = []
    for record in records:
        by = decliner(record.ended_reason)
        if by is None or record.ended is None or month_of(record.ended) != month:
            continue
        fmt = record.pairing.format
        others = [e for e in record.pairing.members if e != by]
        again = {e for p in ledger.pairings.active() if p.format == fmt for e in p.members}
        out.append({"by": _name(people, by), "format": fmt,
                    "others": [{"name": _name(people, e), "matched": e in again}
                               for e in others]})
    return sorted(out, key=lambda d: d["by"])


def quiet_pairings(ledger: Ledger, people: Mapping[str, Participant],
                   now: datetime) -> list[dict[str, Any]]:
    """Active pairings with no session held in the last QUIET days (see module docstring)."""
    found = []
    for pairing in ledger.pairings.active():
        series = ledger.series.get(pairing.id)
        if series is None or not ledger.journal.done(series.key) or series.start > now - QUIET:
            continue
        past = [o for o in series.occurrences(Interval(series.start, now))
                if series.start_of(o) + series.duration <= now]
        held = [o for o in past
                if not any(ledger.responses.status(series.key, o, e) == "declined"
                           for e in pairing.members)]
        last = held[-1] if held else None
        if last is None or last < now - QUIET:
            found.append({"names": [_name(people, e) for e in pairing.members],
                          "skills": list(pairing.skills),
                          "last": last.date().isoformat() if last else None})
    return found


def admin_context(
    settings: Settings,
    ledger: Ledger,
    people: Mapping[str, Participant],
    admin: Participant,
    index: MonthIndex,
    now: datetime,
    *,
    src: Callable[[str], str] = lambda name: f"{name}.png",
) -> tuple[dict[str, Any], list[Chart]]:
    """The admin's digest for the index's month: its template context, and the charts it shows
    (`src` names their images)."""
    lang = admin.language
    total = PersonMonth("programme")
    total.weeks = {w: [0, 0] for w in index.weeks()}
    met = 0
    hosts: dict[str, list[int]] = {}  # host -> [sessions held, *ratings received]
    records = {r.id: r for r in ledger.pairings.everything()}
    for record in records.values():
        worked = pairing_month(ledger, index, record, now)
        if worked is None or not worked.sessions:
            continue
        add_sessions(total, worked, index)
        met += worked.count(HELD) > 0
        if worked.format != "pair" and worked.count(HELD):
            entry = hosts.setdefault(worked.host, [0])
            entry[0] += worked.count(HELD)
            entry += [fb.rating for fb in index.by_pairing.get(worked.id, [])
                      if fb.sender != worked.host and fb.rating is not None]
    ratings = [fb.rating for fbs in index.feedback.values() for fb in fbs
               if fb.rating is not None]
    sent = sum(index.questionnaires.values())
    answered = sum(answered_of(ledger, index, e) for e in index.questionnaires)
    over = total.held + total.declined + total.cancelled + total.missed
    share = total.held / over if over else None
    mentors: list[dict[str, Any]] = sorted(({"name": _name(people, e), "sessions": v[0],
                       "average_rating": round(mean(v[1:]), 1) if v[1:] else None}
                      for e, v in hosts.items() if e in people),  # not the forgotten
                     key=lambda m: (-m["sessions"], -(m["average_rating"] or 0), m["name"]))
    highlights: list[dict[str, Any]] = sorted(
        ({"name": _name(people, fb.sender), "rating": fb.rating,
          "skills": list(records[fb.pairing_id].pairing.skills)
          if fb.pairing_id in records else [],
          "learned": fb.learned}
         for fbs in index.feedback.values() for fb in fbs
         if fb.rating is not None and fb.rating >= HIGH_RATING and fb.learned
         and fb.sender in people),
        key=lambda h: (-h["rating"], h["name"]))
    waiting = ledger.people.waitlist()
    active = ledger.pairings.active()
    paired = {e for p in active for e in p.members}
    waiting_emails = {w.email for w in waiting}
    # Someone who replied STOP asked to leave: listing them as wanting a partner would
    # ask the admin to undo what they chose.
    unpaired = sorted(p.name for p in people.values()
                      if p.learns and p.email not in paired and p.email not in waiting_emails
                      and not ledger.people.stopped(p.email))
    gaps = [{"skill": n.name, "wanted": len(n.wanted_by), "external": bool(n.external_teachers)}
            for n in needs(list(people.values()), settings.matching.strategic) if n.gap]
    today = now.date()
    days_ahead = [format_date(d, "EEEE d MMMM y", locale=lang)
                  for d in sorted(settings.programme.learning_days) if d >= today]
    quarantined = ledger.quarantine.in_month(index.month)
    failures = [(a.key, a.error) for a in ledger.journal.in_month(index.month)
                if a.status == "failed"]
    progress, progressed = programme_progress(ledger, people)
    workshops = []
    for record in records.values():
        if record.pairing.format != "workshop":
            continue
        for when, came, seats, left in workshop_attendance(ledger, index, record, now):
            workshops.append({
                "skill": ", ".join(record.pairing.skills),
                "host": _name(people, record.pairing.host),
                "day": format_date(when.astimezone(ZoneInfo(settings.organisation.timezone))
                                   .date(), "EEEE d MMMM y", locale=lang),
                "came": came, "seats": seats, "left": left,
                "attendance": came / seats if seats else None})
    declined = declined_series(ledger, people, records.values(), index.month)
    charts = [weekly_chart(total.weeks, lang), rating_chart(ratings, lang),
              skills_chart(Counter(total.skills), lang)]
    context = {
        "manager": person_ctx(admin),
        "month_label": month_label(index.month, lang),
        "totals": {
            "active_pairings": len(active),
            "pairings_met": met,
            "sessions_planned": total.planned,
            "sessions_held": total.held,
            "sessions_declined": total.declined,
            "sessions_cancelled": total.cancelled,
            "sessions_missed": total.missed,
            "held_share": share,
            "target": target_status(share),
            "questionnaires": sent,
            "response_rate": answered / sent if sent else None,
            "average_rating": round(mean(ratings), 1) if ratings else None,
            "ratings": len(ratings),
        },
        "quiet": quiet_pairings(ledger, people, now)[:LIST_AT_MOST],
        # Why each one waits (already in the admin's language), so the admin can act on
        # it: recruit a mentor for a skill, or ask someone to teach it.
        "waitlist": [{"name": _name(people, w.email), "formats": list(w.formats),
                      "reasons": [{"format": f, "why": why} for f, why in w.reasons]}
                     for w in waiting][:LIST_AT_MOST],
        "waitlist_count": len(waiting),
        "unpaired": unpaired[:LIST_AT_MOST],
        "unpaired_count": len(unpaired),
        "gaps": gaps[:LIST_AT_MOST],
        "learning_days": days_ahead,
        "quarantined": len(quarantined),
        "quarantine_reasons": [{"reason": r, "count": n} for r, n in Counter(
            q.reason for q in quarantined).most_common(5)],
        "failures": [{"key": k, "error": e} for k, e in failures[:LIST_AT_MOST]],
        "failure_count": len(failures),
        "workshops": workshops[:LIST_AT_MOST],
        "declined": declined[:LIST_AT_MOST],
        "progress": progress[:LIST_AT_MOST],
        "progressed_share": progressed,
        "mentors": mentors[:5],
        "highlights": highlights[:3],
        "charts": {c.name: chart_ctx(c, src) for c in charts},
        "programme_name": settings.organisation.name,
        "admin_email": settings.organisation.admin_email,
    }
    return context, charts
