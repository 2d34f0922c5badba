"""Renewal by consent: before a cycle ends, each pairing's members say whether it goes on.

Terms:
- *renewable*: a mentoring pairing or a learning group (workshops are planned afresh
  each cycle, agent.programme.matching.workshops).
- *asked*: `ASK_BEFORE` (two weeks) before the pairing's series ends (the next cycle's
  first day), each member gets one mail with one-click answers: continue with the
  same people, change, or stop; it also asks their level now in each skill.
- *deadline*: `DECIDE_BEFORE` the end. What is answered later changes nothing for that
  cycle (the series is extended, or not, at the deadline; after it, when the agent was
  down then).
- *outcome*: `renew` when everybody continues, and then the same series is extended
  into the next cycle, without a new introduction; `change` when someone asked for a
  change: both are free for the next matching, and the rotation rule keeps them apart
  (`rotation_cycles`); `stop` when someone stops: they are not matched again in that
  format (until they answer continue or change to that mail after all), and the others
  are free. No answer counts as continue in mentoring and as change among peers (the
  mail says so).

Pure: reads the ledger, writes nothing (the planner's actions do).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from agent.core.actions import Action, Mail, Update
from agent.core.keys import extend_key, renewal_key
from agent.core.ledger import Ledger
from agent.core.model import Pairing, Participant, Series
from agent.core.records import RenewalChoice
from agent.programme.settings import Settings

ASK_BEFORE = timedelta(days=14)
DECIDE_BEFORE = timedelta(days=3)
RETRY = timedelta(days=1)  # a failed extension is tried again the next day
RENEWABLE = ("mentoring", "pair")
Outcome = Literal["renew", "change", "stop"]


def next_cycle(settings: Settings, series: Series) -> str:
    """The cycle a series' pairing would go on into: the day its series ends (ISO)."""
    return series.until.astimezone(ZoneInfo(settings.organisation.timezone)).date().isoformat()


def deadline(series: Series) -> datetime:
    """When the answers about the series' pairing going on are counted."""
    return series.until - DECIDE_BEFORE


def default_answer(fmt: str) -> RenewalChoice:
    """What no answer counts as: continue in mentoring, change among peers."""
    return "continue" if fmt == "mentoring" else "change"


def choices(ledger: Ledger, pairing: Pairing, cycle: str,
            until: datetime) -> dict[str, RenewalChoice]:
    """Each member's answer about going on into `cycle`, as counted at `until` (a later
    one, or none, is the format's default)."""
    answers = ledger.progress.answers(pairing.id, cycle)
    default = default_answer(pairing.format)
    return {e: answers[e].answer if e in answers and answers[e].at <= until else default
            for e in pairing.members}


def outcome(settings: Settings, ledger: Ledger, pairing: Pairing, series: Series) -> Outcome:
    """What becomes of the pairing at the end of its series (see the module docstring)."""
    if pairing.format not in RENEWABLE or pairing.format not in settings.programme.formats:
        return "change"
    said = set(choices(ledger, pairing, next_cycle(settings, series), deadline(series))
               .values())
    return "stop" if "stop" in said else "change" if "change" in said else "renew"


def renewal_actions(settings: Settings, people: Mapping[str, Participant], ledger: Ledger,
                    pairing: Pairing, series: Series, now: datetime) -> list[Action]:
    """The renewal mails due (until the deadline), then the extension if all continue."""
    if pairing.format not in RENEWABLE or pairing.format not in settings.programme.formats:
        return []
    if now < series.until - ASK_BEFORE:
        return []
    cycle = next_cycle(settings, series)
    journal = ledger.journal
    if now < deadline(series):
        return [Mail(renewal_key(pairing.id, cycle, e), "renewal", e, pairing.id)
                for e in pairing.members
                if e in people and ledger.people.active(e)
                and not journal.seen(renewal_key(pairing.id, cycle, e))]
    key = extend_key(pairing.id, cycle)
    if outcome(settings, ledger, pairing, series) != "renew":
        return []
    if journal.seen(key) and not journal.failed_before(key, now - RETRY):
        return []
    return [Update(key, pairing.id, "everyone asked to continue", cycle=cycle)]


@dataclass(frozen=True)
class PendingRenewal:
    """A pairing whose members were asked whether it goes on, before the answers count
    (for `binome status`): each member's answer so far, None where none came yet."""

    pairing_id: str
    format: str
    cycle: str  # the cycle it would go on into
    deadline: datetime
    default: RenewalChoice  # what no answer counts as
    answers: tuple[tuple[str, RenewalChoice | None], ...]


def pending(settings: Settings, ledger: Ledger, now: datetime) -> list[PendingRenewal]:
    """The renewals asked and not yet decided at `now`, by pairing id."""
    out = []
    for pairing in sorted(ledger.pairings.active(), key=lambda p: p.id):
        series = ledger.series.get(pairing.id)
        if (pairing.format not in RENEWABLE or pairing.format not in settings.programme.formats
                or series is None or not series.until - ASK_BEFORE <= now < deadline(series)):
            continue
        cycle = next_cycle(settings, series)
        said = ledger.progress.answers(pairing.id, cycle)
        out.append(PendingRenewal(
            pairing.id, pairing.format, cycle, deadline(series), default_answer(pairing.format),
            tuple((e, said[e].answer if e in said else None) for e in pairing.members)))
    return out


def renewing(settings: Settings, ledger: Ledger, cycle: str) -> list[Pairing]:
    """The active pairings that go on into `cycle`: renewed into it already, or ending
    just before it with everyone asking to continue (extended at the deadline; matching
    counts them as kept even if that has not happened yet)."""
    found = []
    for pairing in ledger.pairings.active():
        if pairing.cycle == cycle:
            continue  # made for this cycle: matching keeps it anyway
        if cycle in ledger.progress.renewed(pairing.id):
            found.append(pairing)
            continue
        series = ledger.series.get(pairing.id)
        if (series is not None and next_cycle(settings, series) == cycle
                and outcome(settings, ledger, pairing, series) == "renew"):
            found.append(pairing)
    return found


def stopped(ledger: Ledger) -> dict[str, set[str]]:
    """Email -> the formats they asked to stop (their last renewal answer in that format
    was stop): matching leaves them out of those."""
    last: dict[tuple[str, str], RenewalChoice] = {}
    formats: dict[str, str] = {}
    for answer in ledger.progress.every_answer():  # oldest first: the last one wins
        if answer.pairing_id not in formats:
            record = ledger.pairings.get(answer.pairing_id)
            formats[answer.pairing_id] = record.pairing.format if record else ""
        last[(answer.email, formats[answer.pairing_id])] = answer.answer
    out: dict[str, set[str]] = {}
    for (email, fmt), said in last.items():
        if said == "stop" and fmt:
            out.setdefault(email, set()).add(fmt)
    return out


def changed(settings: Settings, ledger: Ledger, cycles: Sequence[str]) -> list[Pairing]:
    """The pairings whose last cycle is one of `cycles` and that ended on a change (someone
    asked for one, or a peer did not answer): the rotation rule keeps their members apart."""
    found = []
    for record in ledger.pairings.everything():
        pairing = record.pairing
        if pairing.format not in RENEWABLE:
            continue
        last = max((pairing.cycle, *ledger.progress.renewed(pairing.id)))
        series = ledger.series.get(pairing.id)
        if last in cycles and series is not None and record.status != "ended" \
                and outcome(settings, ledger, pairing, series) == "change":
            found.append(pairing)
    return found
