"""The agent's domain records on top of the generic `Store`.

Tables (state.json unless said otherwise):
- `pairings` (history, by the month the cycle starts): id -> pairing fields +
  `status` (active, ended, completed) and why. Every pairing ever made.
- `active`: the ids of the pairings still active. The planner walks only these,
  so a tick's cost does not grow with past cycles.
- `series`: pairing id -> the booked series (start, zone, cadence, until).
- `focus`: pairing id -> {email: what they want to focus on next time}.
- `optout`: email -> {"mode": "stop" | "pause", "at": ..., "until": ... (optional)}.
- `skips`: pairing id -> {occurrence: who asked to skip it} (SKIP by reply).
- `owed`: action key -> a mail owed for what someone wrote (a command's confirmation, a
  clarification), until the action exists.
- `messages` (history, by month sent): Message-ID or reply token -> what it was about,
  so a reply is tied to its pairing and session.
- `feedback` (history, by month received): Message-ID of a reply -> what it said.
- `responses` (history, by month of the occurrence): per attendee per occurrence.
- `quarantine` (history): inbound messages that could not be used, and why.
- `covered` (history): mail key -> the action whose message carried it (agent.conversation.pacing);
  `held` (history): mail key -> when it may go; `mail_day`: email -> the last day
  (theirs) they got a programme mail.
- `conflicts` (history, by month of the occurrence): pairing|occurrence -> who has
  another event at that time (agent.programme.conflicts), so the planner moves it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from agent.core.model import Feedback, Pairing, Response, Series
from agent.core.store import Store


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat()


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def month_of(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m")


def series_to_doc(series: Series) -> dict[str, Any]:
    return {
        "key": series.key,
        "title": series.title,
        "description": series.description,
        "organizer": series.organizer,
        "attendees": list(series.attendees),
        "start": iso(series.start),
        "minutes": int(series.duration.total_seconds() // 60),
        "timezone": series.timezone,
        "interval_weeks": series.interval_weeks,
        "until": iso(series.until),
        "cancelled": [iso(c) for c in series.cancelled],
        "moved": [[iso(o), iso(n)] for o, n in series.moved],
    }


def series_from_doc(doc: Mapping[str, Any]) -> Series:
    return Series(
        key=doc["key"],
        title=doc["title"],
        description=doc["description"],
        organizer=doc["organizer"],
        attendees=tuple(doc["attendees"]),
        start=parse_iso(doc["start"]),
        duration=timedelta(minutes=doc["minutes"]),
        timezone=doc["timezone"],
        interval_weeks=doc["interval_weeks"],
        until=parse_iso(doc["until"]),
        cancelled=tuple(parse_iso(c) for c in doc.get("cancelled", [])),
        moved=tuple((parse_iso(o), parse_iso(n)) for o, n in doc.get("moved", [])),
    )


def pairing_from_doc(doc: Mapping[str, Any]) -> Pairing:
    return Pairing(
        id=doc["id"],
        format=doc["format"],
        cycle=doc["cycle"],
        members=tuple(doc["members"]),
        skills=tuple(doc["skills"]),
        reason=doc.get("reason", ""),
    )


class Ledger:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._series_cache: dict[str, tuple[Mapping[str, Any], Series]] = {}

    # -- pairings --------------------------------------------------------------
    def pairing_docs(self) -> Iterator[dict[str, Any]]:
        """Every pairing ever made (for digests and reports, not for every tick)."""
        for _, doc in self.store.all("pairings"):
            yield doc

    def pairings(self, *, status: str | None = "active") -> list[Pairing]:
        if status == "active":
            docs = [self.store.peek("pairings", pid) for pid, _ in self.store.all("active")]
            return [pairing_from_doc(d) for d in docs if d is not None]
        return [
            pairing_from_doc(d)
            for d in self.pairing_docs()
            if status is None or d["status"] == status
        ]

    def pairing(self, pairing_id: str) -> dict[str, Any] | None:
        return self.store.get("pairings", pairing_id)

    def save_pairing(self, p: Pairing, at: datetime) -> None:
        doc = {
            "id": p.id,
            "format": p.format,
            "cycle": p.cycle,
            "members": list(p.members),
            "skills": list(p.skills),
            "reason": p.reason,
            "status": "active",
            "since": iso(at),
        }
        self.store.put("pairings", p.id, doc, month=p.cycle[:7])
        self.store.put("active", p.id, {})

    def close_pairing(self, pairing_id: str, status: str, at: datetime, reason: str = "") -> None:
        """End (`ended`: someone left or stopped) or complete (`completed`: the cycle is over)."""
        doc = self.store.get("pairings", pairing_id)
        if doc is not None and doc["status"] == "active":
            doc.update(status=status, ended=iso(at), ended_reason=reason)
            self.store.put("pairings", pairing_id, doc)
        if self.store.has("active", pairing_id):
            self.store.delete("active", pairing_id)

    def end_pairing(self, pairing_id: str, reason: str, at: datetime) -> None:
        self.close_pairing(pairing_id, "ended", at, reason)

    # -- series ----------------------------------------------------------------
    def series(self, pairing_id: str) -> Series | None:
        doc = self.store.peek("series", pairing_id)
        if doc is None:
            return None
        # Parsing a series doc is on the planner's path for every pairing on every tick.
        # The store replaces a doc on every put, and the cache holds the old one alive,
        # so identity tells whether it changed.
        cached = self._series_cache.get(pairing_id)
        if cached is not None and cached[0] is doc:
            return cached[1]
        series = series_from_doc(doc)
        self._series_cache[pairing_id] = (doc, series)
        return series

    def save_series(self, pairing_id: str, series: Series) -> None:
        self.store.put("series", pairing_id, series_to_doc(series))

    # -- actions ---------------------------------------------------------------
    def seen(self, key: str) -> bool:
        """Whether an action under `key` was ever started (intent, done or failed), or
        its mail travels inside another one (`cover`)."""
        return self.store.has("actions", key) or self.store.has("covered", key)

    # -- one message a day per person (agent.conversation.pacing) ------------------------------
    def cover(self, key: str, by: str, at: datetime) -> None:
        """The mail `key` goes out inside the message of action `by`."""
        self.store.put("covered", key, {"by": by, "at": iso(at)}, month=month_of(at))

    def hold(self, key: str, until: datetime) -> None:
        """The mail `key` waits until `until` (someone already had their mail of the day)."""
        self.store.put("held", key, {"until": iso(until)}, month=month_of(until))

    def held_until(self, key: str) -> datetime | None:
        doc = self.store.peek("held", key)
        return None if doc is None else parse_iso(str(doc["until"]))

    def last_mail_day(self, email: str) -> str | None:
        doc = self.store.peek("mail_day", email)
        return None if doc is None else str(doc["day"])

    def set_last_mail_day(self, email: str, day: str) -> None:
        if self.last_mail_day(email) != day:
            self.store.put("mail_day", email, {"day": day})

    def failed_before(self, key: str, when: datetime) -> bool:
        """Whether `key` failed, last time, before `when` (so it may be tried again)."""
        action = self.store.peek("actions", key)
        return (
            action is not None
            and action["status"] == "failed"
            and parse_iso(action["done_at"]) <= when
        )

    def done(self, key: str) -> bool:
        # peek, not a copy: the planner asks this for every pairing on every tick.
        action = self.store.peek("actions", key)
        return action is not None and action["status"] == "done"

    # -- people's state --------------------------------------------------------
    def optout(self, email: str) -> str | None:
        doc = self.store.peek("optout", email)
        return None if doc is None else str(doc["mode"])

    def set_optout(
        self, email: str, mode: str | None, at: datetime, until: datetime | None = None
    ) -> None:
        """`until`: when a pause asked "until a date" ends by itself (`lift_pauses`)."""
        if mode is None:
            if self.store.get("optout", email) is not None:
                self.store.delete("optout", email)
        else:
            doc = {"mode": mode, "at": iso(at)}
            if until is not None:
                doc["until"] = iso(until)
            self.store.put("optout", email, doc)

    def lift_pauses(self, now: datetime) -> list[str]:
        """End the pauses whose date has come; returns whose."""
        ended = [e for e, doc in self.store.all("optout")
                 if doc.get("until") and parse_iso(doc["until"]) <= now]
        for email in ended:
            self.store.delete("optout", email)
        return ended

    # -- sessions people asked to skip (SKIP by reply), until the calendar shows it ---------
    def request_skip(self, pairing_id: str, occurrence: datetime, by: str, at: datetime) -> None:
        doc = dict(self.store.get("skips", pairing_id) or {})
        doc.setdefault(iso(occurrence), {"by": by, "at": iso(at)})
        self.store.put("skips", pairing_id, doc)

    def skips(self, pairing_id: str) -> dict[str, str]:
        """Occurrence (ISO) -> who asked to skip it, for `pairing_id`."""
        doc = self.store.peek("skips", pairing_id)
        return {occ: str(d["by"]) for occ, d in (doc or {}).items()}

    # -- mail owed to someone for what they wrote (confirmations, clarifications) ---------
    def owe(self, key: str, doc: dict[str, Any]) -> None:
        """Record that the mail `key` must go out (the planner plans it until it is seen)."""
        if not self.seen(key) and not self.store.has("owed", key):
            self.store.put("owed", key, doc)

    def owed(self, key: str) -> dict[str, Any] | None:
        return self.store.get("owed", key)

    def owed_all(self) -> list[tuple[str, dict[str, Any]]]:
        return list(self.store.all("owed"))

    def settle_owed(self) -> None:
        """Forget owed mails whose action exists (sent, or failed and recorded as such)."""
        for key, _ in list(self.store.all("owed")):
            if self.seen(key):
                self.store.delete("owed", key)

    # -- messages, replies, responses ------------------------------------------
    def index_message(
        self, message_id: str, token: str, info: dict[str, Any], at: datetime
    ) -> None:
        self.store.put("messages", message_id, info, month=month_of(at))
        self.store.put("messages", token, {"message_id": message_id}, month=month_of(at))

    def lookup_message(self, message_id_or_token: str) -> dict[str, Any] | None:
        doc = self.store.get("messages", message_id_or_token)
        if doc is not None and set(doc) == {"message_id"}:  # a token points at its message
            return self.store.get("messages", doc["message_id"])
        return doc

    def record_feedback(self, fb: Feedback) -> None:
        doc = {
            "sender": fb.sender,
            "pairing": fb.pairing,
            "occurrence": iso(fb.occurrence) if fb.occurrence else None,
            "rating": fb.rating,
            "held": fb.held,
            "text": fb.text,
            "learned": fb.learned,
            "to_develop": fb.extra.get("to_develop", ""),
            "next_focus": fb.next_focus,
            "received": iso(fb.received),
        }
        self.store.put("feedback", fb.message_id, doc, month=month_of(fb.received))
        if fb.occurrence is not None:  # so the planner knows not to remind
            self.store.put("answered", f"{fb.pairing}|{iso(fb.occurrence)}|{fb.sender}", {},
                           month=month_of(fb.occurrence))
        focus = fb.next_focus or fb.extra.get("to_develop", "")
        if focus:
            current = dict(self.store.get("focus", fb.pairing) or {})
            current[fb.sender] = focus
            self.store.put("focus", fb.pairing, current)

    def feedback_docs(self) -> Iterator[dict[str, Any]]:
        """Everything people said, ever (for matching and reports, not for every tick)."""
        for _, doc in self.store.all("feedback"):
            yield doc

    # -- goals for the cycle, from replies to the introduction ------------------------
    def set_goals(self, pairing_id: str, email: str, goals: list[str]) -> None:
        doc = dict(self.store.get("goals", pairing_id) or {})
        if doc.get(email) != goals:
            doc[email] = goals
            self.store.put("goals", pairing_id, doc)

    def goals(self, pairing_id: str) -> dict[str, list[str]]:
        doc = self.store.peek("goals", pairing_id)
        return {e: list(g) for e, g in (doc or {}).items()}

    def answered(self, pairing_id: str, occurrence: datetime, email: str) -> bool:
        return self.store.has("answered", f"{pairing_id}|{iso(occurrence)}|{email}")

    def set_away(self, pairing_id: str, occurrence: datetime, email: str, at: datetime) -> None:
        """`email` answered that session's questionnaire with an out-of-office: no reminder."""
        self.store.put("away", f"{pairing_id}|{iso(occurrence)}|{email}", {"at": iso(at)},
                       month=month_of(occurrence))

    def away(self, pairing_id: str, occurrence: datetime, email: str) -> bool:
        return self.store.has("away", f"{pairing_id}|{iso(occurrence)}|{email}")

    def focus(self, pairing_id: str) -> dict[str, str]:
        return dict(self.store.get("focus", pairing_id) or {})

    def record_response(self, r: Response) -> None:
        rid = f"{r.key}|{iso(r.occurrence)}|{r.attendee}"
        doc = {
            "key": r.key,
            "attendee": r.attendee,
            "occurrence": iso(r.occurrence),
            "status": r.status,
        }
        if self.store.get("responses", rid) != doc:
            self.store.put("responses", rid, doc, month=month_of(r.occurrence))

    def forget_responses(self, key: str, occurrence: datetime, attendees: Sequence[str]) -> None:
        """An occurrence moved to a new time: the answers given to the old one no longer hold."""
        for attendee in attendees:
            rid = f"{key}|{iso(occurrence)}|{attendee}"
            if self.store.get("responses", rid) is not None:
                self.store.delete("responses", rid)

    def response_docs(self) -> Iterator[dict[str, Any]]:
        """Every calendar answer ever recorded (for matching, not for every tick)."""
        for _, doc in self.store.all("responses"):
            yield doc

    def response(self, key: str, occurrence: datetime, attendee: str) -> str | None:
        rid = f"{key}|{iso(occurrence)}|{attendee}"
        doc = self.store.peek("responses", rid)
        return None if doc is None else str(doc["status"])

    # -- pairings paused because someone declined the whole series ----------------
    def set_paused(self, pairing_id: str, by: str | None, at: datetime) -> None:
        current = self.store.peek("paused", pairing_id)
        if by is None:
            if current is not None:
                self.store.delete("paused", pairing_id)
        elif current is None or current.get("by") != by:
            self.store.put("paused", pairing_id, {"by": by, "at": iso(at)})

    def paused(self, pairing_id: str) -> str | None:
        """Who declined the whole series of `pairing_id`, if it is paused for that."""
        doc = self.store.peek("paused", pairing_id)
        return None if doc is None else str(doc["by"])

    # -- occurrences another event collides with (found by agent.programme.conflicts) ------------
    def record_conflict(self, pairing_id: str, occurrence: datetime, who: str,
                        at: datetime) -> None:
        cid = f"{pairing_id}|{iso(occurrence)}"
        if self.store.peek("conflicts", cid) is None:
            self.store.put("conflicts", cid, {"who": who, "at": iso(at)},
                           month=month_of(occurrence))

    def conflict(self, pairing_id: str, occurrence: datetime) -> str | None:
        """Who has something else at that occurrence, if a scan found it."""
        doc = self.store.peek("conflicts", f"{pairing_id}|{iso(occurrence)}")
        return None if doc is None else str(doc["who"])

    # -- waiting list (who the last matching left out, for the current cycle) ----------
    def set_waitlist(self, cycle: str, entries: Mapping[str, list[str]]) -> None:
        """`entries`: email -> formats they are waiting for. Replaces the whole list."""
        for email, _ in list(self.store.all("waitlist")):
            if email not in entries:
                self.store.delete("waitlist", email)
        for email, formats in entries.items():
            doc = {"cycle": cycle, "formats": sorted(formats)}
            if self.store.peek("waitlist", email) != doc:
                self.store.put("waitlist", email, doc)

    def waitlist(self) -> list[tuple[str, dict[str, Any]]]:
        return list(self.store.all("waitlist"))

    def record_bounce(self, address: str, at: datetime) -> None:
        doc = dict(self.store.get("bounces", address) or {"count": 0})
        doc.update(count=int(doc["count"]) + 1, last=iso(at))
        self.store.put("bounces", address, doc)

    def quarantine(self, ref: str, reason: str, at: datetime) -> None:
        self.store.put("quarantine", ref, {"reason": reason, "at": iso(at)}, month=month_of(at))

    # -- cursors and marks -----------------------------------------------------
    def mark(self, name: str) -> str | None:
        doc = self.store.get("marks", name)
        return None if doc is None else str(doc["value"])

    def set_mark(self, name: str, value: str) -> None:
        if self.mark(name) != value:
            self.store.put("marks", name, {"value": value})
