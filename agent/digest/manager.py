"""A manager's monthly digest: the template context and its charts.

A manager sees only their own direct reports: every name, figure and chart here
comes from `reports`, never from their partners or anyone else (a report's mentor
from another team is not named; their sessions are). What people wrote in
questionnaires is shown only when the settings allow sharing it with managers
(`digest.share_free_text`); otherwise the digest gives counts and skills only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from statistics import mean
from typing import Any

from agent.conversation.messages import local_datetime, month_label, person_ctx
from agent.core.ledger import Ledger
from agent.core.model import Participant
from agent.digest.charts import Chart, chart_ctx, rating_chart, skills_chart, weekly_chart
from agent.digest.figures import HIGH_RATING, MonthIndex, PersonMonth, person_month, upcoming
from agent.digest.progress import person_progress, progress_rows

STEADY = 0.2  # a change in average rating smaller than this is no trend


def rating_trend(change: float | None) -> str | None:
    """`up`, `down` or `steady` for a change in mean rating; None without one."""
    if change is None:
        return None
    return "up" if change >= STEADY else "down" if change <= -STEADY else "steady"


def _words(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return {w for w in re.findall(r"[a-z0-9]+", plain) if len(w) >= 4}


def goal_status(goal: str, learned: Sequence[str], held: int) -> str:
    """`reported`: something they said they learned shares a word with the goal;
    `working`: sessions were held this month; `waiting`: none were.

    A plain word match, stated as such in the digest: people word goals and what they
    learned freely, and a manager reads the two side by side when text may be shared.
    """
    said: set[str] = set().union(*(_words(t) for t in learned)) if learned else set()
    if _words(goal) & said:
        return "reported"
    return "working" if held else "waiting"


def _person_row(
    ledger: Ledger, p: Participant, f: PersonMonth, goals: list[str],
    manager: Participant, next_sessions: list[datetime], share_text: bool,
) -> dict[str, Any]:
    return {
        "name": p.name,
        "sessions_planned": f.planned,
        "sessions_held": f.held,
        "sessions_declined": f.declined,
        "sessions_cancelled": f.cancelled,
        "sessions_missed": f.missed,
        "attendance": f.attendance,
        "average_rating": f.average_rating,
        "trend": rating_trend(f.trend),
        "answered": min(f.answered, f.questionnaires) if f.questionnaires else f.answered,
        "questionnaires": f.questionnaires,
        "skills": sorted(f.skills),
        "goals": [{"text": g if share_text else "", "status": goal_status(g, f.learned, f.held)}
                  for g in goals],
        "learned": f.learned[-3:] if share_text else [],
        "to_develop": f.to_develop[-3:] if share_text else [],
        "learned_count": len(f.learned),
        "to_develop_count": len(f.to_develop),
        "upcoming": [local_datetime(u, manager) for u in next_sessions],
    }


def manager_context(
    ledger: Ledger,
    people: Mapping[str, Participant],
    manager: Participant,  # may be outside the roster: see mailprep._outsider
    reports: Sequence[str],
    index: MonthIndex,
    now: datetime,
    programme_name: str,
    admin_email: str,
    *,
    share_text: bool = False,
    src: Callable[[str], str] = lambda name: f"{name}.png",
) -> tuple[dict[str, Any], list[Chart]]:
    """The digest's context and its charts (`src` names a chart inside the message)."""
    lang = manager.language
    rows: list[dict[str, Any]] = []
    mentors: list[dict[str, Any]] = []
    highlights: list[dict[str, Any]] = []
    team = PersonMonth("team")
    weeks: dict[date, list[int]] = {w: [0, 0] for w in index.weeks()}
    sent = answered = 0
    for email in reports:
        p = people[email]
        f = person_month(ledger, index, email, now)
        goals = [g for pid in f.pairings for g in ledger.answers.goals(pid).get(email, [])]
        rows.append(_person_row(ledger, p, f, goals, manager,
                                upcoming(ledger, index, email, now), share_text))
        rows[-1]["progress"] = progress_rows(person_progress(p, ledger.progress.levels(email)))
        for attr in ("planned", "held", "declined", "cancelled", "missed"):
            setattr(team, attr, getattr(team, attr) + getattr(f, attr))
        team.ratings += f.ratings
        team.skills.update(f.skills)
        for week, (planned, held) in f.weeks.items():
            weeks.setdefault(week, [0, 0])
            weeks[week][0] += planned
            weeks[week][1] += held
        sent, answered = sent + f.questionnaires, answered + min(f.answered, f.questionnaires)
        if f.hosted:
            received = f.ratings_received
            mentors.append({"name": p.name, "sessions": f.hosted,
                            "average_rating": round(mean(received), 1) if received else None})
        for fb in index.feedback.get(email, []):
            if fb.rating is not None and fb.rating >= HIGH_RATING:
                record = next((r for r in index.pairings.get(email, [])
                               if r.id == fb.pairing_id), None)
                highlights.append({"name": p.first_name, "rating": fb.rating,
                                   "skills": list(record.pairing.skills) if record else [],
                                   "learned": fb.learned if share_text else ""})
    mentors.sort(key=lambda m: (-m["sessions"], -(m["average_rating"] or 0), m["name"]))
    highlights.sort(key=lambda h: (-h["rating"], h["name"]))
    charts = [weekly_chart(weeks, lang), rating_chart(team.ratings, lang),
              skills_chart(Counter(team.skills), lang)]
    context = {
        "manager": person_ctx(manager),
        "month_label": month_label(index.month, lang),
        "people": rows,
        "share_text": share_text,
        "totals": {
            "people": len(rows),
            "sessions_planned": team.planned,
            "sessions_held": team.held,
            "sessions_declined": team.declined,
            "sessions_cancelled": team.cancelled,
            "attendance": team.attendance,
            "average_rating": team.average_rating,
            "ratings": len(team.ratings),
            "response_rate": (answered / sent) if sent else None,
        },
        "weeks": [{"day": w.isoformat(), "planned": n[0], "held": n[1]}
                  for w, n in sorted(weeks.items())],
        "rating_counts": [sum(1 for r in team.ratings if r == v) for v in range(1, 6)],
        "skills_held": [{"skill": s, "sessions": n} for s, n in team.skills.most_common() if n],
        "mentors": mentors[:3],
        "highlights": highlights[:3],
        "charts": {c.name: chart_ctx(c, src) for c in charts},
        "programme_name": programme_name,
        "admin_email": admin_email,
    }
    return context, charts
