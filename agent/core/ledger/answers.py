"""What people answered: questionnaires, goals, and their calendars' responses.

Tables: `feedback` (history, by month received): a reply's Message-ID -> what it
said; `answered` and `away` (history, by month of the session): who answered a
session's questionnaire, or answered it with an out-of-office; `goals`: pairing
id -> each learner's goals for the cycle; `focus`: pairing id -> what each wants
to work on next time; `responses` (history, by month of the occurrence): each
attendee's answer per occurrence; `paused`: pairings paused because someone
declined the whole series; `conflicts` (history, by month of the occurrence):
occurrences another event collides with (agent.programme.conflicts).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from agent.core.docs import feedback_from_doc, feedback_to_doc, iso, month_of, parse_iso
from agent.core.model import Feedback, Response
from agent.core.records import FeedbackRecord, Paused
from agent.core.store import Store


def _session(pairing_id: str, occurrence: datetime, email: str) -> str:
    return f"{pairing_id}|{iso(occurrence)}|{email}"


class Answers:
    """What people said by mail: questionnaire replies, goals, what to work on next."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def record_feedback(self, fb: Feedback) -> None:
        """Keep a reply: its session counts as answered (no reminder), its next focus is kept.

        One record per person and session: answering again (a correction, a reply to the
        reminder, fifty replies) completes the first record, a later value winning where
        both give one, instead of adding records."""
        doc = feedback_to_doc(fb)
        if fb.occurrence is None:
            self._store.put("feedback", fb.message_id, doc, month=month_of(fb.received))
        else:
            session = _session(fb.pairing, fb.occurrence, fb.sender)
            answered = self._store.peek("answered", session)
            first = str(answered.get("by", "")) if answered else ""
            kept = self._store.get("feedback", first) if first else None
            if kept is not None and first != fb.message_id:
                newer = parse_iso(kept["received"]) <= fb.received
                given = {k: v for k, v in doc.items() if v not in (None, "")}
                merged = {**kept, **given} if newer else {**given, **kept}
                self._store.put("feedback", first, merged)
            else:
                self._store.put("feedback", fb.message_id, doc, month=month_of(fb.received))
                # So the planner knows not to remind; `by` is the session's record.
                self._store.put("answered", session, {"by": fb.message_id},
                                month=month_of(fb.occurrence))
        focus = fb.next_focus or fb.extra.get("to_develop", "")
        if focus:
            current = dict(self._store.get("focus", fb.pairing) or {})
            current[fb.sender] = focus
            self._store.put("focus", fb.pairing, current)

    def feedback(self) -> Iterator[FeedbackRecord]:
        """Everything people said, ever (for matching and reports, not for every tick)."""
        for message_id, doc in self._store.all("feedback"):
            yield feedback_from_doc(message_id, doc)

    def feedback_in_month(self, month: str) -> Iterator[FeedbackRecord]:
        """The replies received in `month` ("YYYY-MM")."""
        for message_id, doc in self._store.in_month("feedback", month):
            yield feedback_from_doc(message_id, doc)

    def answered(self, pairing_id: str, occurrence: datetime, email: str) -> bool:
        """Whether `email` answered that session's questionnaire."""
        return self._store.has("answered", _session(pairing_id, occurrence, email))

    def set_away(self, pairing_id: str, occurrence: datetime, email: str, at: datetime) -> None:
        """`email` answered that session's questionnaire with an out-of-office: no reminder."""
        self._store.put("away", _session(pairing_id, occurrence, email), {"at": iso(at)},
                        month=month_of(occurrence))

    def away(self, pairing_id: str, occurrence: datetime, email: str) -> bool:
        """Whether `email` answered that session's questionnaire with an out-of-office."""
        return self._store.has("away", _session(pairing_id, occurrence, email))

    # -- goals for the cycle, from replies to the introduction ---------------------------
    def set_goals(self, pairing_id: str, email: str, goals: list[str]) -> None:
        """Keep `email`'s goals for the cycle (from their reply to the introduction)."""
        doc = dict(self._store.get("goals", pairing_id) or {})
        if doc.get(email) != goals:
            doc[email] = goals
            self._store.put("goals", pairing_id, doc)

    def goals(self, pairing_id: str) -> dict[str, list[str]]:
        """Each learner's goals for the cycle of `pairing_id`, by email."""
        doc = self._store.peek("goals", pairing_id)
        return {e: list(g) for e, g in (doc or {}).items()}

    def focus(self, pairing_id: str) -> dict[str, str]:
        """What each member of `pairing_id` wants to work on next time, by email."""
        doc = self._store.peek("focus", pairing_id)
        return {e: str(f) for e, f in (doc or {}).items()}


class Responses:
    """The calendars' side: answers per occurrence, declined series, clashes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def record(self, r: Response) -> None:
        """Keep one attendee's calendar answer for one occurrence (no write if unchanged)."""
        rid = f"{r.key}|{iso(r.occurrence)}|{r.attendee}"
        doc = {"key": r.key, "attendee": r.attendee, "occurrence": iso(r.occurrence),
               "status": r.status}
        if self._store.peek("responses", rid) != doc:
            self._store.put("responses", rid, doc, month=month_of(r.occurrence))

    def forget(self, key: str, occurrence: datetime, attendees: Sequence[str]) -> None:
        """An occurrence moved to a new time: the answers given to the old one no longer hold."""
        for attendee in attendees:
            rid = f"{key}|{iso(occurrence)}|{attendee}"
            if self._store.has("responses", rid):
                self._store.delete("responses", rid)

    def everything(self) -> Iterator[Response]:
        """Every calendar answer ever recorded (for matching, not for every tick)."""
        for _, doc in self._store.all("responses"):
            yield Response(doc["key"], doc["attendee"], parse_iso(doc["occurrence"]),
                           doc["status"])

    def status(self, key: str, occurrence: datetime, attendee: str) -> str | None:
        """The attendee's recorded answer for that occurrence, or None if none is."""
        doc = self._store.peek("responses", f"{key}|{iso(occurrence)}|{attendee}")
        return None if doc is None else str(doc["status"])

    # -- pairings paused because someone declined the whole series ----------------------
    def set_paused(self, pairing_id: str, by: str | None, at: datetime) -> None:
        """Pause `pairing_id` because `by` declined its whole series; `by` None lifts the pause."""
        current = self._store.peek("paused", pairing_id)
        if by is None:
            if current is not None:
                self._store.delete("paused", pairing_id)
        elif current is None or current.get("by") != by:
            self._store.put("paused", pairing_id, {"by": by, "at": iso(at)})

    def paused(self, pairing_id: str) -> str | None:
        """Who declined the whole series of `pairing_id`, if it is paused for that."""
        doc = self._store.peek("paused", pairing_id)
        return None if doc is None else str(doc["by"])

    def all_paused(self) -> list[Paused]:
        """Every pairing paused because someone declined its whole series."""
        return [Paused(pid, str(d["by"]), parse_iso(d["at"]))
                for pid, d in self._store.all("paused")]

    # -- occurrences another event collides with ----------------------------------------
    def record_conflict(self, pairing_id: str, occurrence: datetime, who: str,
                        at: datetime) -> None:
        """Keep that `who` has another event at the occurrence (the first finding stays)."""
        cid = f"{pairing_id}|{iso(occurrence)}"
        if not self._store.has("conflicts", cid):
            self._store.put("conflicts", cid, {"who": who, "at": iso(at)},
                            month=month_of(occurrence))

    def conflict(self, pairing_id: str, occurrence: datetime) -> str | None:
        """Who has something else at that occurrence, if a scan found it."""
        doc = self._store.peek("conflicts", f"{pairing_id}|{iso(occurrence)}")
        return None if doc is None else str(doc["who"])
