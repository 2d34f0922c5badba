"""What each email says: the template context for every kind of message.

Builds plain data for the templates (agent/mail/compose.py renders it); all
wording lives in the templates, except the few generated phrases both languages
need as data (agent/conversation/phrases.py).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from agent.conversation.compose import mailto_link
from agent.conversation.phrases import phrases
from agent.core.actions import Notice, RosterProblems, Waitlisted
from agent.core.model import Pairing, Participant, Series
from agent.programme.settings import Settings


def reply_token(key: str, secret: bytes) -> str:
    """A token kept in subjects so a reply that lost its headers still finds its session.

    An HMAC of the action key with the installation's secret (agent.core.secret): keys are
    predictable (pairing, date, email), the token is not. 12 hex digits (48 bits); tokens
    of 8 digits in mail sent before the HMAC stay in the ledger and still match.
    """
    return "B-" + hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:12]


def local_datetime(when: datetime, person: Participant) -> str:
    """`when` in the person's zone and language, zone named ("lundi 3 mars 2027 à 10:00
    (Europe/Paris)")."""
    words = phrases(person.language)
    pattern = f"EEEE d MMMM y {words['at']}"
    tz = ZoneInfo(person.timezone)
    text = format_datetime(when, pattern, tzinfo=tz, locale=person.language)
    return f"{text} ({person.timezone})"


def month_label(month: str, language: str) -> str:
    """`month` ("YYYY-MM") as its name and year in `language` ("mars 2027")."""
    year, mon = (int(x) for x in month.split("-"))
    return format_date(datetime(year, mon, 1).date(), "MMMM y", locale=language)


def person_ctx(p: Participant) -> dict[str, str]:
    """`first_name` is "" when nobody's name is known (the templates then greet without)."""
    return {"first_name": p.first_name if p.name.strip() else "", "name": p.name,
            "email": p.email}


def role_label(pairing: Pairing, email: str, language: str) -> str:
    """What `email` is in the pairing, in `language`: mentor or mentee, else the format's word."""
    words = phrases(language)
    if pairing.format == "mentoring":
        return words["mentor"] if email == pairing.host else words["mentee"]
    return words[pairing.format]


def _base(settings: Settings, person: Participant) -> dict[str, Any]:
    return {
        "person": person_ctx(person),
        "programme_name": settings.organisation.name,
        "admin_email": settings.organisation.admin_email,
        "stop_hint": phrases(person.language)["stop"],
    }


def partner_names(
    pairing: Pairing, person: Participant, people: Mapping[str, Participant]
) -> list[str]:
    """The names of the person's partners in the pairing (those in the roster)."""
    return [people[e].name for e in pairing.members if e != person.email and e in people]


@dataclass(frozen=True)
class About:
    """A mail about one pairing, to one of its members: what every such context needs."""

    settings: Settings
    pairing: Pairing
    series: Series
    person: Participant  # the addressee
    people: Mapping[str, Participant]


def objectives_context(
    about: About,
    occurrence: datetime,
    focus: Mapping[str, str],
    goals_by_person: Mapping[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The objectives mail's context: what the session covers (curriculum step or review),
    resources, goals, last time's focus."""
    settings, pairing, series = about.settings, about.pairing, about.series
    person, people = about.person, about.people
    words = phrases(person.language)
    # The cycle's goals the learners set in reply to the introduction: a mentor sees their
    # mentee's, a learner their own (and in a pair, each sees both).
    goals = [
        words["goal"].format(name=people[e].first_name if e in people else e, goal=g)
        if e != person.email else g
        for e, items in sorted((goals_by_person or {}).items())
        if e == person.email or not learns_in(pairing, person.email) or pairing.format == "pair"
        for g in items
    ]
    # The mentor reviews the mentee's progress; learning partners work on both skills.
    if pairing.format == "pair":
        phrase = words["review_pair"]
    elif person.email == pairing.host:
        phrase = words["review_host"]
    else:
        phrase = words["review"]
    names = ", ".join(
        people[e].first_name for e in pairing.members if e != person.email and e in people
    )
    # The admin's curriculum for a skill sets what session n covers; past its end (or
    # without one), the session reviews progress, which the goals above give substance to.
    number = session_number(series, occurrence)
    objectives, resources = [], []
    for skill in pairing.skills:
        given = settings.skill(skill)
        steps = given.curriculum if given else []
        if number <= len(steps):
            objectives.append(words["curriculum"].format(
                skill=skill, n=number, total=len(steps), topic=steps[number - 1]))
        else:
            objectives.append(phrase.format(skill=skill, names=names))
        if given and given.resources:
            resources.append({"skill": skill, "items": list(given.resources)})
    last_time = [
        words["focus"].format(name=people[e].first_name if e in people else e, focus=text)
        for e, text in sorted(focus.items())
    ]
    return {
        **_base(settings, person),
        "partner_names": partner_names(pairing, person, people),
        "format": pairing.format,
        "role_label": role_label(pairing, person.email, person.language),
        "skills": list(pairing.skills),
        "session_number": number,
        "session_start_local": local_datetime(series.start_of(occurrence), person),
        "duration_minutes": int(series.duration.total_seconds() // 60),
        "objectives": objectives,
        "resources": resources,
        "focus_last_time": last_time,
        "goals": goals,
    }


def learned_skills(pairing: Pairing, person: Participant) -> list[str]:
    """The pairing's skills `person` learns there (a mentee all of them, a mentor or a
    workshop's host none, a peer those they asked for): what they are asked their level in
    (agent.conversation.progress reads it)."""
    if pairing.format != "pair":
        return [] if person.email == pairing.host else list(pairing.skills)
    return [s for s in pairing.skills if person.learns_key(s)]


def learns_in(pairing: Pairing, email: str) -> bool:
    """Whether `email` is a learner in the pairing (sets goals): not a mentor or host."""
    return pairing.format == "pair" or email != pairing.host


def intro_context(about: About, token: str) -> dict[str, Any]:
    """The introduction's context: partners, why, cadence, first session, end of cycle, and whether
    to ask for goals."""
    settings, pairing, series = about.settings, about.pairing, about.series
    person, people = about.person, about.people
    words = phrases(person.language)
    first = next(iter(series.occurrences()), series.start)
    return {
        **_base(settings, person),
        "partner_names": partner_names(pairing, person, people),
        "format": pairing.format,
        "role_label": role_label(pairing, person.email, person.language),
        "skills": list(pairing.skills),
        "reason": pairing.reason,
        "every_weeks": series.interval_weeks,
        "duration_minutes": int(series.duration.total_seconds() // 60),
        "first_session_local": local_datetime(series.start_of(first), person),
        # `until` is the next cycle's first instant: the last day is the one before.
        "cycle_end": format_date((series.until - timedelta(seconds=1)).astimezone(
            ZoneInfo(person.timezone)).date(), "d MMMM y", locale=person.language),
        "asks_goals": learns_in(pairing, person.email),
        "level_skills": learned_skills(pairing, person),
        "reply_token": token,
        "commands": words["stop"],
    }


def session_number(series: Series, occurrence: datetime) -> int:
    """`occurrence`'s number (from 1) among the sessions not cancelled; their count if absent."""
    starts = series.occurrences()
    return starts.index(occurrence) + 1 if occurrence in starts else len(starts)


def questionnaire_context(about: About, occurrence: datetime, token: str, message_id: str,
                          reminder: bool = False) -> dict[str, Any]:
    """The questionnaire's (or reminder's) context: the session, and a `mailto:` link per rating 1-5
    in reply to `message_id`."""
    settings, series, person = about.settings, about.series, about.person
    words = phrases(person.language)
    subject = words["subject"].format(token=token)
    links = [
        {
            "value": v,
            "href": mailto_link(
                settings.organisation.programme_email,
                subject,
                words["rating"].format(value=v),
                message_id,
            ),
        }
        for v in range(1, 6)
    ]
    return {
        **_base(settings, person),
        "partner_names": partner_names(about.pairing, person, about.people),
        "session_start_local": local_datetime(series.start_of(occurrence), person),
        "session_number": session_number(series, occurrence),
        "rating_links": links,
        "reminder": reminder,
        "reply_token": token,
    }


def notice_context(
    settings: Settings, person: Participant, notice: Notice, people: Mapping[str, Participant],
    pairing: Pairing | None = None,
) -> dict[str, Any]:
    """A notice, worded in the person's language (`pairing`: the declined series')."""
    words = phrases(person.language)
    return {
        "person": person_ctx(person),
        "title": words[notice.label],
        "lines": _notice_lines(notice, words, people, pairing, str(settings.source)),
        "programme_name": settings.organisation.name,
        # A participant is told how to pause or stop, as in every mail they get.
        "stop_hint": ("" if person.email.lower() == settings.organisation.admin_email.lower()
                      else words["stop"]),
    }


def skipped_session(
    pairing: Pairing, series: Series, occurrence: datetime, person: Participant,
    people: Mapping[str, Participant],
) -> str:
    """"Thursday 8 October 2026 at 10:00 (Europe/Paris) — Claire Martin" for a confirmation."""
    names = ", ".join(partner_names(pairing, person, people))
    when = local_datetime(series.start_of(occurrence), person)
    return f"{when} — {names}" if names else when


def command_context(
    settings: Settings, person: Participant, command: str, until: date | None,
    skipped: list[str],
) -> dict[str, Any]:
    """A command's confirmation: `command` is stop, pause, resume, skip or help; `until`
    the day a pause ends by itself; `skipped` the sessions a skip cancelled."""
    return {
        **_base(settings, person),
        "command": command,
        "until": format_date(until, "EEEE d MMMM y", locale=person.language) if until else "",
        "skipped": skipped,
    }


# A notice lists this many roster problems at most: a garbage roster of 10,000 rows has
# tens of thousands of problems (`binome check` has all). Values quoted in a problem are cut
# to QUOTED_CHARS, a problem to PROBLEM_CHARS (past the longest advice a problem gives).
LISTED_PROBLEMS = 20
QUOTED_CHARS = 60
PROBLEM_CHARS = 1000
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_ROW = re.compile(r"^[^:]*: row \d+, column ([^:]+): ")


def roster_lines(problems: list[str], words: Mapping[str, str], config: str) -> list[str]:
    """The roster problems as a notice tells them: all of them when they are few; else the
    first ones, the counts by kind (column and message, values left out) and where to see
    the rest."""
    def cut(line: str) -> str:
        line = _QUOTED.sub(lambda m: m[0] if len(m[0]) <= QUOTED_CHARS + 2
                           else m[0][:QUOTED_CHARS + 1] + "…" + m[0][-1], line)
        return line if len(line) <= PROBLEM_CHARS else line[:PROBLEM_CHARS - 1] + "…"

    if len(problems) <= LISTED_PROBLEMS:
        return [cut(p) for p in problems]
    kinds: Counter[str] = Counter()
    for problem in problems:
        column = _ROW.match(problem)
        message = _ROW.sub("", problem) if column else problem.split(": ", 1)[-1]
        kind = _QUOTED.sub("…", message.split(" (e.g. ")[0])
        kinds[f"{column.group(1)}: {kind}" if column else kind] += 1
    lines = [cut(p) for p in problems[:LISTED_PROBLEMS]]
    lines.append(words["roster more"].format(n=len(problems) - LISTED_PROBLEMS))
    lines += [words["roster kind"].format(count=n, kind=cut(k))
              for k, n in kinds.most_common(LISTED_PROBLEMS)]
    if len(kinds) > LISTED_PROBLEMS:
        lines.append("…")
    lines.append(words["roster check"].format(config=config))
    return lines


def ask_context(
    settings: Settings, person: Participant, command: str, until: date | None, session: str,
    token: str, message_id: str,
) -> dict[str, Any]:
    """The question whether a command was meant: `command` and what it would do (`until` a
    pause's end, `session` the session a skip would cancel), and a one-click yes (a
    `mailto:` link answering `message_id`, with the token in its subject)."""
    words = phrases(person.language)
    subject = words["ask subject"].format(token=token)
    return {
        **_base(settings, person),
        "command": command,
        "until": format_date(until, "EEEE d MMMM y", locale=person.language) if until else "",
        "session": session,
        "reply_token": token,
        "yes_link": mailto_link(settings.organisation.programme_email, subject,
                                words["yes"], message_id),
    }


def _notice_lines(notice: Notice, words: Mapping[str, str],
                  people: Mapping[str, Participant], pairing: Pairing | None,
                  config: str) -> list[str]:
    if isinstance(notice, Waitlisted):
        return [words[f"waitlist {notice.format}"], words["waitlist next"]]
    if isinstance(notice, RosterProblems):
        return roster_lines(list(notice.problems), words, config)
    def name(email: str) -> str:
        return people[email].name if email in people else email
    members = pairing.members if pairing else ()
    line = words["declined series"].format(
        who=f"{name(notice.by)} <{notice.by}>",
        others=", ".join(name(e) for e in members if e != notice.by),
        skills=", ".join(pairing.skills) if pairing else "")
    return [line, words["declined next"]]
