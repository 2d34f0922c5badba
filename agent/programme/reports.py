"""The mails due beside the sessions': monthly digests, notices, and mail owed to people.

Pure, like the planner it serves: reads the ledger, writes nothing.
- Digests: on `[digest] day` and `hour` (organisation's zone) each manager of
  someone in the programme gets last month's, and the admin theirs. A month
  missed while the agent was down goes out late, once (at most DIGEST_CATCH_UP).
- Notices: the admin hears once of each distinct set of roster problems; whoever
  matching left out hears once per cycle and format that they wait.
- Owed: confirmations of commands and questions about a rating (agent.conversation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from agent.core.actions import Action, Mail, RosterProblems, Waitlisted
from agent.core.errors import Problem
from agent.core.keys import admin_digest_key, digest_key, roster_key, waitlist_key
from agent.core.ledger import Ledger
from agent.core.model import Participant
from agent.programme.settings import Settings

DIGEST_CATCH_UP = 3  # months


def report_actions(settings: Settings, people: Mapping[str, Participant], ledger: Ledger,
                   now: datetime, problems: Sequence[Problem] = ()) -> list[Action]:
    """Every digest, notice and owed mail due at `now`."""
    return [*_digest_actions(settings, people, ledger, now),
            *_notice_actions(settings, ledger, problems),
            *_waitlist_actions(people, ledger),
            *_owed_actions(ledger)]


def previous_month(today: date) -> str:
    """The month ("YYYY-MM") before the one `today` is in."""
    first = today.replace(day=1)
    last = first - timedelta(days=1)
    return last.strftime("%Y-%m")


def add_months(month: str, n: int) -> str:
    """`month` ("YYYY-MM") moved by `n` months, back when `n` is negative."""
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + mon - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def digest_due(settings: Settings, now: datetime) -> tuple[str, datetime]:
    """The month a digest is due for at `now`, and when it fell due (organisation's zone)."""
    tz = ZoneInfo(settings.organisation.timezone)
    local = now.astimezone(tz)
    month = previous_month(local.date())
    due = datetime(local.year, local.month, settings.digest.day, settings.digest.hour, tzinfo=tz)
    return month, due


def latest_digest_month(settings: Settings, now: datetime) -> str:
    """The last month whose digest has fallen due at `now`."""
    month, due = digest_due(settings, now)
    return month if now >= due else add_months(month, -1)


def managers_in_programme(
    people: Mapping[str, Participant], ledger: Ledger
) -> dict[str, list[str]]:
    """Manager email -> their direct reports who took part in a pairing (any status)."""
    involved = {e for r in ledger.pairings.everything() for e in r.pairing.members}
    teams: dict[str, list[str]] = {}
    for p in people.values():
        # A manager need not be in the programme (nor in the roster) to get the digest.
        if p.manager_email and p.email in involved:
            teams.setdefault(p.manager_email, []).append(p.email)
    return {m: sorted(r) for m, r in sorted(teams.items())}


def digest_actions(
    settings: Settings, people: Mapping[str, Participant], ledger: Ledger, month: str,
    *, include_sent: bool = False,
) -> list[Action]:
    """Every digest of `month` (each manager's, then the admin's) not sent yet, or all."""
    actions: list[Action] = []
    for manager in managers_in_programme(people, ledger):
        key = digest_key(manager, month)
        if include_sent or not ledger.journal.seen(key):
            actions.append(Mail(key, "digest", manager, month=month))
    key = admin_digest_key(month)
    if include_sent or not ledger.journal.seen(key):
        actions.append(Mail(key, "admin_digest", settings.organisation.admin_email,
                            month=month))
    return actions


def _digest_actions(
    settings: Settings, people: Mapping[str, Participant], ledger: Ledger, now: datetime
) -> list[Action]:
    latest = latest_digest_month(settings, now)
    if ledger.marks.get("digest_round") == latest:
        return []  # every digest up to that month went out
    started = ledger.marks.get("first_tick")
    if started is None:
        return []
    # After downtime, each missed month goes out late, once; at most DIGEST_CATCH_UP of them.
    # Never for a month before the programme or the agent started: nothing to report.
    month = max(
        settings.programme.start.strftime("%Y-%m"),
        started[:7],
        add_months(latest, 1 - DIGEST_CATCH_UP),
    )
    actions: list[Action] = []
    while month <= latest:
        actions += digest_actions(settings, people, ledger, month)
        month = add_months(month, 1)
    return actions


def _waitlist_actions(people: Mapping[str, Participant], ledger: Ledger) -> list[Action]:
    """Whoever matching left out is told once per cycle and format that they are waiting."""
    actions: list[Action] = []
    for waiting in ledger.people.waitlist():
        email = waiting.email
        for fmt in waiting.formats:
            key = waitlist_key(waiting.cycle, fmt, email)
            if email in people and ledger.people.active(email) and not ledger.journal.seen(key):
                actions.append(Mail(key, "notice", email, notice=Waitlisted(fmt)))
    return actions


def _notice_actions(
    settings: Settings, ledger: Ledger, problems: Sequence[Problem]
) -> list[Action]:
    if not problems:
        return []
    lines = [str(p) for p in problems]
    key = roster_key(lines)
    if ledger.journal.seen(key):
        return []
    return [Mail(key, "notice", settings.organisation.admin_email,
                 notice=RosterProblems(tuple(lines)))]


def _owed_actions(ledger: Ledger) -> list[Action]:
    """Mail owed for what people wrote (agent.conversation.commands): confirmations,
    clarifications."""
    return [Mail(key, owed.kind, owed.email, owed.pairing_id, owed.occurrence,
                 command=owed.command)
            for key, owed in ledger.owed.everything() if not ledger.journal.seen(key)]
