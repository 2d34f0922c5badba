"""`calendar = "email"`: every series kept as a file of ours, sent to attendees as iMIP.

Terms:
- *record*: `<state>/invitations/<uid>.json`, the organizer's copy of one series: the
  `Series`, SEQUENCE and DTSTAMP, the moved occurrences, each attendee's answers (for the
  series, `*`, and per occurrence), and the *outbox*: the invitations the last change
  owes, removed once each is sent.
- *revision*: a counter in `<state>/invitations/revision`, raised by every answer
  `take_reply` records; a `changes` cursor is a revision.

A change is written first (temp file, fsync, rename), then its invitations are sent;
a series whose outbox is not empty is not `find_series`'d yet, so after a crash the
executor calls again and the rest goes out (a sent invitation is recognised by its
Message-ID, so none goes twice). Free/busy knows only our own series: everyone is
free outside them (a decline moves the session).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.core.clock import Clock
from agent.core.docs import iso, parse_iso, series_from_doc, series_to_doc
from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import Change, Interval, Response, Series, busy_answer, short_hash
from agent.providers import imipstate
from agent.providers.base import (
    Calendar,
    Mailbox,
    clipped,
)
from agent.providers.itip import (
    Booked,
    CalendarReply,
    Invitation,
    Method,
    Taken,
    Wording,
    event_uid,
    invitation,
    stale,
)

log = logging.getLogger("binome")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class EmailCalendar(Calendar):
    """`Calendar` kept in `folder` and told to attendees by iMIP through `mailbox`."""

    separates_events = True

    def __init__(self, folder: Path, secret: bytes, mailbox: Mailbox, clock: Clock,
                 wording: Wording) -> None:
        self.folder = folder
        self.secret = secret
        self.mailbox = mailbox
        self.clock = clock
        self.wording = wording
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise PermanentError(f"cannot create {folder}: {exc}") from exc

    # -- records -------------------------------------------------------------------------
    def uid(self, key: str) -> str:
        """The UID the invitations of series `key` carry."""
        return event_uid(self.secret, key)

    def _path(self, uid: str) -> Path:
        return self.folder / f"{short_hash(uid, length=32)}.json"

    def _load(self, uid: str) -> dict[str, Any] | None:
        try:
            doc: dict[str, Any] = json.loads(self._path(uid).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise TemporaryError(f"cannot read {self._path(uid)}: {exc}") from exc
        return doc

    def _need(self, key: str) -> dict[str, Any]:
        doc = self._load(self.uid(key))
        if doc is None:
            raise PermanentError(f"no series with key {key!r} in {self.folder}")
        return doc

    def _save(self, doc: dict[str, Any]) -> None:
        try:
            _write(self._path(doc["uid"]), json.dumps(doc, sort_keys=True).encode())
        except OSError as exc:
            raise TemporaryError(f"cannot write {self._path(doc['uid'])}: {exc}") from exc

    @staticmethod
    def _booked(doc: Mapping[str, Any]) -> Booked:
        moves = tuple((parse_iso(o), Interval(parse_iso(s), parse_iso(e)))
                      for o, (s, e) in sorted(doc["moves"].items()))
        return Booked(series_from_doc(doc["series"]), doc["uid"], doc["sequence"],
                      parse_iso(doc["stamp"]), moves)

    def _change(self, doc: dict[str, Any], outbox: list[list[str]]) -> None:
        """A real change: SEQUENCE moves on, the outbox is what it owes; written, then sent."""
        doc["sequence"] += 1
        doc["stamp"] = iso(self.clock.now())
        doc["outbox"] = outbox
        self._save(doc)
        self._deliver(doc)

    def _deliver(self, doc: dict[str, Any]) -> None:
        """Send what the outbox owes (each invitation once), emptying it as they go out."""
        booked = self._booked(doc)
        while doc["outbox"]:
            method, attendee, occurrence = doc["outbox"][0]
            about = Invitation(_method(method), attendee, booked,
                               parse_iso(occurrence) if occurrence else None)
            self.mailbox.send(invitation(about, self.wording(about)))
            doc["outbox"].pop(0)
            self._save(doc)

    # -- the contract --------------------------------------------------------------------
    def put_checked(self, series: Series) -> str:
        """A new series, or a real change, invites every attendee (and cancels for those who
        left); the same series again only sends what a crash left unsent."""
        uid = self.uid(series.key)
        doc = self._load(uid)
        stored = replace(series, moved=())
        if doc is None:
            doc = {"uid": uid, "series": series_to_doc(stored), "sequence": -1, "stamp": "",
                   "moves": {}, "answers": {}, "status": "CONFIRMED", "answered": 0,
                   "outbox": []}
            self._change(doc, [["REQUEST", a, ""] for a in series.attendees])
            return uid
        old = series_from_doc(doc["series"])
        if series_to_doc(stored) == doc["series"] and doc["status"] == "CONFIRMED":
            self._deliver(doc)
            return uid
        left = [a for a in old.attendees if a not in series.attendees]
        if series.occurrences() != old.occurrences():
            doc["answers"] = {a: {"*": v["*"]} if "*" in v else {}
                              for a, v in doc["answers"].items()}
        doc["series"] = series_to_doc(stored)
        doc["status"] = "CONFIRMED"
        doc["answers"] = {a: v for a, v in doc["answers"].items() if a in series.attendees}
        self._change(doc, [["CANCEL", a, ""] for a in left]
                     + [["REQUEST", a, ""] for a in series.attendees])
        return uid

    def find_series(self, key: str) -> str | None:
        """Found once every invitation its last change owed went out."""
        doc = self._load(self.uid(key))
        return doc["uid"] if doc is not None and not doc["outbox"] else None

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        """A move re-sends the series with the occurrence's RECURRENCE-ID override; a
        cancellation sends a CANCEL for that occurrence."""
        doc = self._need(key)
        owed = imipstate.change_occurrence(key, doc, original_start, new)
        if owed.asked_again is not None:
            for answers in doc["answers"].values():  # a new time needs a new answer
                answers[iso(owed.asked_again)] = "needs-action"
        self._owe(doc, owed.outbox)

    def end_series(self, key: str, after: datetime) -> None:
        """What remains is cut (an update with an earlier UNTIL), or the whole series is
        cancelled when nothing would be left."""
        doc = self._need(key)
        self._owe(doc, imipstate.end_series(doc, after).outbox)

    def _owe(self, doc: dict[str, Any], outbox: imipstate.Outbox | None) -> None:
        """Send a change's invitations, or (None) only what a crash left unsent."""
        if outbox is None:
            self._deliver(doc)
        else:
            self._change(doc, outbox)

    def responses(self, key: str, window: Interval) -> list[Response]:
        """The answers the attendees' REPLY mails gave; none yet is needs-action."""
        doc = self._need(key)
        if doc["status"] == "CANCELLED":
            return []
        series = series_from_doc(doc["series"])
        found = []
        for person in series.attendees:
            answers = doc["answers"].get(person, {})
            for start in series.occurrences(window):
                status = answers.get(iso(start), answers.get("*", "needs-action"))
                found.append(Response(key, person, start, status))
        return found

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """Only our own series are known: each attendee is busy at the sessions they have
        not declined, and free otherwise."""
        wanted = {p.lower(): p for p in people}
        busy: dict[str, list[Interval]] = {p: [] for p in people}
        for doc in self._all():
            if doc["status"] == "CANCELLED":
                continue
            series = series_from_doc(doc["series"])
            moves = {parse_iso(o): Interval(parse_iso(s), parse_iso(e))
                     for o, (s, e) in doc["moves"].items()}
            for person in series.attendees:
                if person not in wanted:
                    continue
                answers = doc["answers"].get(person, {})
                for start in series.occurrences():
                    if answers.get(iso(start), answers.get("*")) == "declined":
                        continue
                    span = moves.get(start, Interval(start, start + series.duration))
                    part = clipped(span.start, span.end, window)
                    if part is not None:
                        busy[wanted[person]].append(part)
        return {p: busy_answer(found, separate) for p, found in busy.items()}

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """The series an attendee answered since `cursor` (a revision)."""
        try:
            since = int(cursor or 0)
        except ValueError:
            raise PermanentError(f"not a cursor of the email calendar: {cursor!r}") from None
        docs = self._all()
        keys = sorted({series_from_doc(d["series"]).key for d in docs if d["answered"] > since})
        top = max([since, *(d["answered"] for d in docs)])
        return [Change(k, "responses") for k in keys], str(top)

    def take_reply(self, reply: CalendarReply) -> Taken | None:
        """Keeps the answer of an attendee of one of our series (by UID), unless it answers
        an older version of it."""
        doc = self._load(reply.uid)
        if doc is None:
            return None
        series = series_from_doc(doc["series"])
        if reply.attendee not in series.attendees:
            return Taken(series.key, f"a calendar answer to {series.key} from "
                                     f"{reply.attendee}, who is not invited")
        if (why := stale(reply, doc["sequence"])) is not None:
            return Taken(series.key, why)
        answers = doc["answers"].setdefault(reply.attendee, {})
        for occurrence, status in reply.answers:
            if occurrence is None:
                answers.clear()  # a whole-series answer replaces the per-occurrence ones
                answers["*"] = status
            else:
                answers[iso(occurrence)] = status
        doc["answered"] = self._revision()
        self._save(doc)
        return Taken(series.key)

    # -- helpers ---------------------------------------------------------------------------
    def _all(self) -> list[dict[str, Any]]:
        docs = []
        try:
            paths = sorted(self.folder.glob("*.json"))
        except OSError as exc:
            raise TemporaryError(f"cannot list {self.folder}: {exc}") from exc
        for path in paths:
            try:
                docs.append(json.loads(path.read_bytes()))
            except (OSError, ValueError) as exc:
                log.warning("skipping %s: %s", path, exc)
        return docs

    def _revision(self) -> int:
        path = self.folder / "revision"
        try:
            current = int(path.read_text() or 0) if path.exists() else 0
        except (OSError, ValueError):
            current = 0
        _write(path, str(current + 1).encode())
        return current + 1


def _method(name: str) -> Method:
    return "CANCEL" if name == "CANCEL" else "REQUEST"
