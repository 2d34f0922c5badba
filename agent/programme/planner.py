"""Desired state at time t: every action that should have happened by now.

Pure: reads the ledger, never writes and never calls a provider. Each action
carries its stable key; the reconciler does only those not yet in the ledger.
The windows it looks at are anchored on `now` (the next sessions, the last
week's sessions, this month's digest), so a tick costs the same in month 12
as in month 1 and a week of downtime is caught up without special code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from agent.conversation.messages import phrases
from agent.core.errors import Problem
from agent.core.ledger import Ledger, iso, parse_iso
from agent.core.model import Interval, Pairing, Participant, Series, short_hash
from agent.programme.settings import Settings

# A questionnaire more than this late is no longer worth sending.
QUESTIONNAIRE_GRACE = timedelta(days=7)
BOOKING_RETRY = timedelta(days=1)
DIGEST_CATCH_UP = 3  # months

ActionKind = Literal["book", "end", "mail", "move"]
# A declined occurrence is moved only if the new time can be this far ahead (people need
# to see it), and only within the next week (moves stay in the occurrence's week).
MOVE_NOTICE = timedelta(hours=12)
MOVE_AHEAD = timedelta(days=8)


@dataclass(frozen=True)
class Action:
    key: str
    kind: ActionKind
    pairing_id: str = ""
    mail_kind: str = ""  # objectives, questionnaire, digest, admin_digest, notice
    recipient: str = ""
    occurrence: datetime | None = None
    month: str = ""
    reason: str = ""
    lines: tuple[str, ...] = ()
    # Mails that travel inside this one (agent.conversation.pacing): one message a day per person.
    bundle: tuple[Action, ...] = ()

    def as_json(self) -> dict[str, str]:
        return {
            "key": self.key,
            "kind": self.kind,
            "pairing": self.pairing_id,
            "mail": self.mail_kind,
            "recipient": self.recipient,
            "occurrence": iso(self.occurrence) if self.occurrence else "",
            "month": self.month,
            "reason": self.reason,
        }

    def describe(self) -> str:
        what = self.mail_kind or self.kind
        whom = self.recipient or self.pairing_id
        when = f" for {iso(self.occurrence)}" if self.occurrence else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{what} -> {whom}{when}{why}"


def series_key(pairing_id: str) -> str:
    return f"series/{pairing_id}"


def move_key(pairing_id: str, occurrence: datetime) -> str:
    """The one move (or skip) an occurrence gets, whatever asked for it."""
    return f"move/{pairing_id}/{iso(occurrence)}"


def running_series(ledger: Ledger, pairing: Pairing) -> Series | None:
    """The pairing's series while its sessions go on: booked, and not paused by a
    declined series (agent.programme.conflicts and agent.conversation.pacing look only at these)."""
    if not ledger.done(series_key(pairing.id)) or ledger.paused(pairing.id) is not None:
        return None
    return ledger.series(pairing.id)


def mail_key(kind: str, pairing_id: str, occurrence: datetime, email: str) -> str:
    return f"mail/{kind}/{pairing_id}/{iso(occurrence)}/{email}"


def plan(
    settings: Settings,
    people: Mapping[str, Participant],
    ledger: Ledger,
    now: datetime,
    problems: Sequence[Problem] = (),
) -> list[Action]:
    actions: list[Action] = []
    for pairing in ledger.pairings(status="active"):
        actions.extend(_pairing_actions(settings, people, ledger, pairing, now))
    actions.extend(_digest_actions(settings, people, ledger, now))
    actions.extend(_notice_actions(settings, ledger, problems))
    actions.extend(_waitlist_actions(people, ledger))
    actions.extend(_owed_actions(ledger))
    return actions


def departed(pairing: Pairing, people: Mapping[str, Participant], ledger: Ledger) -> str:
    """Why a pairing must end now, or '' when it goes on."""
    for email in pairing.members:
        if email not in people:
            return f"{email} left the roster"
        if ledger.optout(email) == "stop":
            return f"{email} replied STOP"
    return ""


def _pairing_actions(
    settings: Settings,
    people: Mapping[str, Participant],
    ledger: Ledger,
    pairing: Pairing,
    now: datetime,
) -> list[Action]:
    key = series_key(pairing.id)
    why_end = departed(pairing, people, ledger)
    if why_end:
        return [Action(f"end/{pairing.id}", "end", pairing.id, reason=why_end)]
    if not ledger.seen(key) or ledger.failed_before(key, now - BOOKING_RETRY):
        # A booking that found no free slot is tried again the next day: calendars change.
        return [Action(key, "book", pairing.id, reason=pairing.reason)]
    series = ledger.series(pairing.id)
    if series is None or not ledger.done(key):
        return []  # booking in flight or failed; nothing to mail about yet
    refused = ledger.paused(pairing.id)
    if refused is not None:
        return _paused_actions(settings, people, ledger, pairing, refused)

    actions: list[Action] = []
    lead = timedelta(hours=settings.mail.objectives_hours_before)
    after = series.duration + timedelta(hours=settings.mail.questionnaire_hours_after)

    actions += _move_actions(ledger, pairing, series, now)
    actions += _skip_actions(ledger, pairing, series, now)

    # The introduction, once per member, as soon as the series is booked (while it runs).
    if now < series.until:
        for email in pairing.members:
            k = f"mail/intro/{pairing.id}/{email}"
            if ledger.optout(email) is None and not ledger.seen(k):
                actions.append(Action(k, "mail", pairing.id, "intro", email))

    # Objectives: sessions starting within the lead time and not started yet.
    actions += objectives_actions(ledger, pairing, series, Interval(now, now + lead))

    # Questionnaires: sessions that ended (plus the configured delay) within the grace period.
    recent = Interval(now - after - QUESTIONNAIRE_GRACE, now - after)
    for occ, _ in series.sessions(recent):
        if any(ledger.response(key, occ, e) == "declined" for e in pairing.members):
            continue  # not held: nothing to ask about
        for email in pairing.members:
            if ledger.optout(email) is None:
                k = mail_key("questionnaire", pairing.id, occ, email)
                if not ledger.seen(k):
                    actions.append(Action(k, "mail", pairing.id, "questionnaire", email, occ))

    # One reminder for a questionnaire still unanswered `reminder_hours_after` later.
    remind = timedelta(hours=settings.mail.reminder_hours_after)
    if remind:
        late = Interval(now - after - remind - QUESTIONNAIRE_GRACE, now - after - remind)
        for occ, _ in series.sessions(late):
            for email in pairing.members:
                k = mail_key("reminder", pairing.id, occ, email)
                asked = ledger.done(mail_key("questionnaire", pairing.id, occ, email))
                if (asked and ledger.optout(email) is None and not ledger.seen(k)
                        and not ledger.answered(pairing.id, occ, email)
                        and not ledger.away(pairing.id, occ, email)):
                    actions.append(Action(k, "mail", pairing.id, "reminder", email, occ))
    return actions


def objectives_actions(ledger: Ledger, pairing: Pairing, series: Series,
                       starting: Interval) -> list[Action]:
    """The objectives mails still to send for the sessions starting after `starting.start`
    and up to `starting.end` (agent.conversation.pacing also asks for later ones, to send them
    early)."""
    key = series_key(pairing.id)
    actions = []
    for occ, start in series.sessions(starting):
        if start <= starting.start:
            continue
        for email in pairing.members:
            if ledger.optout(email) is None and ledger.response(key, occ, email) != "declined":
                k = mail_key("objectives", pairing.id, occ, email)
                if not ledger.seen(k):
                    actions.append(Action(k, "mail", pairing.id, "objectives", email, occ))
    return actions


def previous_month(today: date) -> str:
    first = today.replace(day=1)
    last = first - timedelta(days=1)
    return last.strftime("%Y-%m")


def digest_due(settings: Settings, now: datetime) -> tuple[str, datetime]:
    """The month a digest is due for at `now`, and when it fell due (organisation's zone)."""
    tz = ZoneInfo(settings.organisation.timezone)
    local = now.astimezone(tz)
    month = previous_month(local.date())
    due = datetime(local.year, local.month, settings.digest.day, settings.digest.hour, tzinfo=tz)
    return month, due


def managers_in_programme(
    people: Mapping[str, Participant], ledger: Ledger
) -> dict[str, list[str]]:
    """Manager email -> their direct reports who took part in a pairing (any status)."""
    involved = {e for d in ledger.pairing_docs() for e in d["members"]}
    teams: dict[str, list[str]] = {}
    for p in people.values():
        # A manager need not be in the programme (nor in the roster) to get the digest.
        if p.manager_email and p.email in involved:
            teams.setdefault(p.manager_email, []).append(p.email)
    return {m: sorted(r) for m, r in sorted(teams.items())}


def _digest_actions(
    settings: Settings, people: Mapping[str, Participant], ledger: Ledger, now: datetime
) -> list[Action]:
    latest = latest_digest_month(settings, now)
    if ledger.mark("digest_round") == latest:
        return []  # every digest up to that month went out
    started = ledger.mark("first_tick")
    if started is None:
        return []
    # After downtime, each missed month goes out late, once; at most DIGEST_CATCH_UP of them.
    # Never for a month before the programme or the agent started: nothing to report.
    earliest = max(
        settings.programme.start.strftime("%Y-%m"),
        started[:7],
        add_months(latest, 1 - DIGEST_CATCH_UP),
    )
    months = []
    month = earliest
    while month <= latest:
        months.append(month)
        month = add_months(month, 1)
    if not months:
        return []
    actions = []
    for month in months:
        actions += digest_actions(settings, people, ledger, month)
    return actions


def admin_digest_key(month: str) -> str:
    # "admin" has no "@": it can never be a manager's address, so never a manager's key.
    return f"digest/admin/{month}"


def digest_actions(
    settings: Settings, people: Mapping[str, Participant], ledger: Ledger, month: str,
    *, include_sent: bool = False,
) -> list[Action]:
    """Every digest of `month` (each manager's, then the admin's) not sent yet, or all."""
    actions = []
    for manager in managers_in_programme(people, ledger):
        key = f"digest/{manager}/{month}"
        if include_sent or not ledger.seen(key):
            actions.append(Action(key, "mail", mail_kind="digest", recipient=manager, month=month))
    key = admin_digest_key(month)
    if include_sent or not ledger.seen(key):
        actions.append(Action(key, "mail", mail_kind="admin_digest",
                              recipient=settings.organisation.admin_email, month=month))
    return actions


def add_months(month: str, n: int) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + mon - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def latest_digest_month(settings: Settings, now: datetime) -> str:
    """The last month whose digest has fallen due at `now`."""
    month, due = digest_due(settings, now)
    return month if now >= due else add_months(month, -1)


def _waitlist_actions(people: Mapping[str, Participant], ledger: Ledger) -> list[Action]:
    """Whoever matching left out is told once per cycle and format that they are waiting."""
    actions = []
    for email, doc in ledger.waitlist():
        for fmt in doc["formats"]:
            key = f"notice/waitlist/{doc['cycle']}/{fmt}/{email}"
            if email in people and ledger.optout(email) is None and not ledger.seen(key):
                actions.append(Action(key, "mail", mail_kind="notice", recipient=email,
                                      reason="waitlist", lines=(f"waitlist {fmt}",
                                                                "waitlist next")))
    return actions


def _move_actions(ledger: Ledger, pairing: Pairing, series: Series,
                  now: datetime) -> list[Action]:
    """An occurrence someone declined, or that another event now collides with
    (agent.programme.conflicts), is moved to a free time that week, once."""
    key = series_key(pairing.id)
    # Moved already, or about to be skipped (SKIP by reply): not moved (again).
    moved = {o for o, _ in series.moved} | {parse_iso(o) for o in ledger.skips(pairing.id)}
    actions = []
    for occ, _ in series.sessions(Interval(now + MOVE_NOTICE, now + MOVE_AHEAD)):
        if occ in moved:
            continue  # declined again after a move: it counts as not held
        k = move_key(pairing.id, occ)
        if ledger.seen(k):
            continue
        declined = [e for e in pairing.members if ledger.response(key, occ, e) == "declined"]
        busy = ledger.conflict(pairing.id, occ)
        if declined or busy:
            why = f"{declined[0]} declined" if declined else f"{busy} has another event then"
            actions.append(Action(k, "move", pairing.id, occurrence=occ, reason=why))
    return actions


def _paused_actions(settings: Settings, people: Mapping[str, Participant], ledger: Ledger,
                    pairing: Pairing, refused: str) -> list[Action]:
    """A pairing someone declined outright sends no mail; the admin hears of it once."""
    key = f"notice/declined/{pairing.id}/{refused}"
    if ledger.seen(key):
        return []
    words = phrases(settings.organisation.language)
    who = people[refused].name if refused in people else refused
    others = ", ".join(people[e].name if e in people else e
                       for e in pairing.members if e != refused)
    line = words["declined series"].format(
        who=f"{who} <{refused}>", others=others, skills=", ".join(pairing.skills))
    return [Action(key, "mail", pairing.id, mail_kind="notice",
                   recipient=settings.organisation.admin_email, reason="series declined",
                   lines=(line, "declined next"))]


def _notice_actions(
    settings: Settings, ledger: Ledger, problems: Sequence[Problem]
) -> list[Action]:
    if not problems:
        return []
    # One notice per distinct set of problems: the admin hears of a broken row once.
    digest = short_hash(*sorted(str(p) for p in problems), length=16)
    key = f"notice/roster/{digest}"
    if ledger.seen(key):
        return []
    admin = settings.organisation.admin_email
    lines = tuple(str(p) for p in problems)
    return [
        Action(
            key, "mail", mail_kind="notice", recipient=admin, reason="roster problems", lines=lines
        )
    ]


def _skip_actions(ledger: Ledger, pairing: Pairing, series: Series,
                  now: datetime) -> list[Action]:
    """A session someone asked to skip is cancelled in every calendar, once, while it is
    still to come: a move to nowhere, as when a declined week has no free time."""
    asked = ledger.skips(pairing.id)
    if not asked:
        return []  # the usual case, checked first: expanding the series costs a tick
    actions = []
    still = set(series.occurrences())
    for occ, by in sorted(asked.items()):
        original = parse_iso(occ)
        key = f"skip/{pairing.id}/{occ}"
        if original in still and series.start_of(original) > now and not ledger.seen(key):
            actions.append(Action(key, "move", pairing.id, occurrence=original,
                                  reason=f"{by} asked to skip it"))
    return actions


def _owed_actions(ledger: Ledger) -> list[Action]:
    """Mail owed for what people wrote (agent.conversation.commands): confirmations,
    clarifications."""
    return [
        Action(key, "mail", str(doc.get("pairing") or ""), str(doc["kind"]), str(doc["email"]),
               parse_iso(doc["occurrence"]) if doc.get("occurrence") else None,
               reason=str(doc.get("command", "")))
        for key, doc in ledger.owed_all() if not ledger.seen(key)
    ]
