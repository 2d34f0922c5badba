"""The `local` backend: everything offline, in files any calendar or mail client opens.

    root/calendars/<email>.ics   one iCalendar file per person (`LocalCalendar`)
    root/mail/                   a Maildir of every message sent (`LocalMailbox`)
    root/inbox/                  a Maildir of what people wrote (`deliver_to_inbox`)

Terms (calendar): the organizer's copy of a series is the reference (rule,
moves); each attendee answers in their own file as a calendar client would, so
`responses` reads each attendee's PARTSTAT from their own file. A *ref* is
`<organizer file path>#<UID>`. A *cursor* (`changes`) is `<mtime_ns>:<tags>`:
the newest file time seen plus a tag per file at exactly that time, because
file times are coarse and a file written in the same tick must not be missed.

Choices: `put_series` makes every copy say exactly what the `Series` says
(until, EXDATE, attendees) and keeps the overrides (our moves, people's
answers) of occurrences that still exist; a copy that already says it is not
rewritten, so repeating a call writes nothing. SEQUENCE and DTSTAMP (clock
time, never the wall clock) change only on a real change, told by X-BINOME-SIG
(a digest of the `Series` on each master). `end_series` that leaves no
occurrence marks the copies STATUS:CANCELLED. The organizer's file
is written last, so a ref from `find_series` means every copy was written.
Responses are per original start; a person whose copy is missing has not
answered. All-day events are busy from midnight to midnight in the file's
X-WR-TIMEZONE, or in UTC when it has none. `changes` leaves out files whose
only change since the cursor is our own write in this process.

Files are written whole (temp file, fsync, `os.replace`); a kill at any instant
leaves each file old or new. Parsed files are cached by (inode, size, mtime).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import recurring_ical_events

from agent.core.clock import Clock
from agent.core.errors import PermanentError, TemporaryError
from agent.core.model import (
    Change,
    Interval,
    Response,
    ResponseStatus,
    Series,
    busy_answer,
    short_hash,
)
from agent.core.storage import make_dirs
from agent.providers.base import Calendar, cancelled_before, clipped, ended, no_occurrence
from agent.providers.local.ics import (
    Doc,
    Fingerprint,
    PartKey,
    build_event,
    moves_of,
    new_doc,
    partstats,
    read_doc,
    scan_organizers,
    series_of,
    signature,
    span,
    uid_for,
    utc_tag,
)
from agent.providers.local.maildir import (
    LocalMailbox,
    atomic_write,
    clear_leftovers,
    deliver_to_inbox,
)

__all__ = ["LocalCalendar", "LocalMailbox", "deliver_to_inbox"]

log = logging.getLogger(__name__)

STATUSES: dict[str, ResponseStatus] = {
    "ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative",
}


class LocalCalendar(Calendar):
    """`Calendar` over `root/calendars/*.ics`."""

    separates_events = True

    def __init__(self, root: Path, clock: Clock) -> None:
        self.folder = root / "calendars"
        self.clock = clock
        self._docs: dict[str, Doc] = {}
        self._mine: dict[str, Fingerprint] = {}  # our last write of each file
        self._dirty: set[str] = set()  # files someone else touched before we rewrote them
        self._organizers: dict[str, str] | None = None  # key -> organizer, read lazily
        try:
            make_dirs(self.folder)
        except OSError as exc:
            raise PermanentError(f"cannot create {self.folder}: {exc}") from exc
        clear_leftovers(self.folder)

    # -- files ----------------------------------------------------------------------
    def path(self, email: str) -> Path:
        """The file of `email`'s calendar; `PermanentError` for a name that is no file name."""
        if not email or "/" in email or email.startswith("."):
            raise PermanentError(f"not a usable calendar name: {email!r}")
        return self.folder / f"{email.lower()}.ics"

    def _load(self, email: str, write: bool = False) -> Doc:
        """`email`'s file, parsed only if it changed since we last read or wrote it.

        With `write`, a file someone else changed since our last write is marked so
        that `changes` still reports it after we rewrite it.
        """
        path = self.path(email)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            doc = self._docs.get(email)
            if doc is None or doc.fp is not None:
                doc = self._docs[email] = new_doc()
            return doc
        except OSError as exc:
            raise TemporaryError(f"cannot read {path}: {exc}") from exc
        fp = (st.st_ino, st.st_size, st.st_mtime_ns)
        if write and fp != self._mine.get(email):
            self._dirty.add(email)
        doc = self._docs.get(email)
        if doc is not None and doc.fp == fp:
            return doc
        try:
            doc = self._docs[email] = read_doc(path)
        except OSError as exc:
            raise TemporaryError(f"cannot read {path}: {exc}") from exc
        return doc

    def _save(self, email: str, doc: Doc) -> None:
        path = self.path(email)
        try:
            atomic_write(path, doc.to_bytes())
            st = os.stat(path)
        except OSError as exc:
            self._docs.pop(email, None)
            raise TemporaryError(f"cannot write {path}: {exc}") from exc
        doc.fp = self._mine[email] = (st.st_ino, st.st_size, st.st_mtime_ns)

    def _organizer(self, key: str) -> str:
        if self._organizers is None:
            self._organizers = scan_organizers(self.folder)
        organizer = self._organizers.get(key)
        if organizer is None:
            raise PermanentError(f"no series with key {key!r} in {self.folder}")
        return organizer

    def _master(self, key: str) -> tuple[Doc, Any]:
        doc = self._load(self._organizer(key))
        master = doc.master(uid_for(key))
        if master is None:
            raise PermanentError(f"the series {key!r} was removed from its organizer's file")
        return doc, master

    # -- writing ----------------------------------------------------------------------
    def _write(self, series: Series, status: str, sequence: int, stamp: datetime,
               moves: Mapping[datetime, Interval], previous: Sequence[str],
               reset: frozenset[datetime] = frozenset()) -> None:
        """Make every copy of `series` agree; attendees' files first, the organizer's last.

        Occurrences in `reset` were just moved: everybody's answer to them starts over,
        as calendar servers do when the organizer changes the time.
        """
        uid = uid_for(series.key)
        live = series.occurrences() if status != "CANCELLED" else []
        valid = {"R" + utc_tag(o) for o in live}
        attendees = sorted(set(series.attendees) - {series.organizer})
        for email in sorted(set(previous) - set(series.attendees) - {series.organizer}):
            doc = self._load(email, write=True)
            if doc.replace_copy(uid, {}):
                self._save(email, doc)
        for email in [*attendees, series.organizer]:
            doc = self._load(email, write=True)
            old = doc.copy_of(uid)
            answers = partstats(old.get(("1", uid, "")))
            new: dict[PartKey, Any] = {("1", uid, ""): build_event(
                series, status=status, sequence=sequence, stamp=stamp, answers=answers)}
            for key, event in old.items():
                if key[2] in valid:
                    new[key] = event  # a person's answer for one occurrence, or our move
            for original, interval in moves.items():
                key = ("1", uid, "R" + utc_tag(original))
                if key[2] in valid:
                    own = {} if original in reset else answers | partstats(old.get(key))
                    new[key] = build_event(series, status=status, sequence=sequence, stamp=stamp,
                                           answers=own, recurrence=original, moved=interval)
            zone_added = doc.ensure_timezone(series.timezone)
            if doc.replace_copy(uid, new) or zone_added:
                self._save(email, doc)

    def put_checked(self, series: Series) -> str:
        """Writes each attendee's copy, then the organizer's; SEQUENCE moves on real changes."""
        uid = uid_for(series.key)
        doc = self._load(series.organizer)
        master = doc.master(uid)
        previous: tuple[str, ...] = ()
        sequence, stamp = 0, self.clock.now()
        if master is not None:
            previous = series_of(master)[0].attendees
            sequence = int(master.get("SEQUENCE", 0))
            if str(master.get("X-BINOME-SIG", "")) == signature(series, "CONFIRMED"):
                stamp = master.decoded("DTSTAMP")
            else:
                sequence += 1
        self._write(series, "CONFIRMED", sequence, stamp, moves_of(doc, uid), previous)
        if self._organizers is not None:
            self._organizers[series.key] = series.organizer
        return f"{self.path(series.organizer)}#{uid}"

    def find_series(self, key: str) -> str | None:
        """Looks in the organizer's file, written last: a ref means every copy was written."""
        try:
            organizer = self._organizer(key)
        except PermanentError:
            return None
        if self._load(organizer).master(uid_for(key)) is None:
            return None
        return f"{self.path(organizer)}#{uid_for(key)}"

    def change_occurrence(self, key: str, original_start: datetime, new: Interval | None) -> None:
        """A move is an override with every answer reset; a cancellation an EXDATE."""
        doc, master = self._master(key)
        series, status = series_of(master)
        original = original_start.astimezone(UTC)
        if original not in {s.astimezone(UTC) for s in series.rule()}:
            raise no_occurrence(key, original)
        moves = moves_of(doc, uid_for(key))
        if original in series.cancelled:
            cancelled_before(key, original, new)
            return
        if new is None:
            series = replace(series, cancelled=(*series.cancelled, original))
            moves.pop(original, None)
        elif moves.get(original) == new:
            return
        else:
            moves[original] = new
        sequence = int(master.get("SEQUENCE", 0)) + 1
        reset = frozenset({original}) if new is not None else frozenset()
        self._write(series, status, sequence, self.clock.now(), moves, series.attendees, reset)

    def end_series(self, key: str, after: datetime) -> None:
        """Shortens every copy (UNTIL); marks them STATUS:CANCELLED when nothing would be left."""
        doc, master = self._master(key)
        series, status = series_of(master)
        if status == "CANCELLED":
            return
        shortened = ended(series, after)
        if shortened is series:
            return  # nothing starts at or after `after`
        if shortened is None:
            status = "CANCELLED"
        else:
            series = shortened
        if str(master.get("X-BINOME-SIG", "")) == signature(series, status):
            return
        moves = {o: i for o, i in moves_of(doc, uid_for(key)).items() if o < after}
        sequence = int(master.get("SEQUENCE", 0)) + 1
        self._write(series, status, sequence, self.clock.now(), moves, series.attendees)

    # -- reading ---------------------------------------------------------------------
    def responses(self, key: str, window: Interval) -> list[Response]:
        """Each attendee's PARTSTAT from their own file; a missing copy has not answered."""
        _, master = self._master(key)
        series, status = series_of(master)
        uid = uid_for(key)
        found: list[Response] = []
        if status == "CANCELLED":
            return found
        for person in series.attendees:
            copy = self._load(person).copy_of(uid)
            base = partstats(copy.get(("1", uid, ""))).get(person, "NEEDS-ACTION")
            for start in series.occurrences(window):
                answer = partstats(copy.get(("1", uid, "R" + utc_tag(start)))).get(person, base)
                found.append(Response(key, person, start, STATUSES.get(answer, "needs-action")))
        return found

    def free_busy(self, people: Sequence[str], window: Interval, *,
                  separate: bool = False) -> Mapping[str, list[Interval]]:
        """Transparent, cancelled and declined events are free; all-day ones fill the local day."""
        busy: dict[str, list[Interval]] = {}
        margin = timedelta(days=1)  # all-day and floating events are placed after expansion
        for person in people:
            email = person.lower()
            try:
                doc = self._load(email)
            except PermanentError as exc:
                log.warning("free/busy: %s is treated as free: %s", person, exc)
                busy[person] = []
                continue
            found: list[Interval] = []
            query = recurring_ical_events.of(doc.calendar(), skip_bad_series=True)
            for event in query.between(window.start - margin, window.end + margin):
                if (str(event.get("TRANSP", "")).upper() == "TRANSPARENT"
                        or str(event.get("STATUS", "")).upper() == "CANCELLED"
                        or partstats(event).get(email) == "DECLINED"):
                    continue
                part = clipped(*span(event, doc.zone), window)
                if part is not None:
                    found.append(part)
            busy[person] = busy_answer(found, separate)
        return busy

    def changes(self, cursor: str | None) -> tuple[list[Change], str]:
        """Each series in a file changed since `cursor` by someone else, as `responses`."""
        since, _, tags = (cursor or "-1:").partition(":")
        try:
            newest, seen = int(since), set(tags.split(","))
        except ValueError as exc:
            raise PermanentError(f"not a cursor of the local calendar: {cursor!r}") from exc
        files: list[tuple[str, Fingerprint, str]] = []
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".ics") and not entry.name.startswith("."):
                        st = entry.stat()
                        fp = (st.st_ino, st.st_size, st.st_mtime_ns)
                        files.append((entry.name, fp, short_hash(entry.name, str(fp), length=8)))
        except OSError as exc:
            raise TemporaryError(f"cannot list {self.folder}: {exc}") from exc
        keys: set[str] = set()
        for name, fp, tag in files:
            email = name.removesuffix(".ics").lower()
            touched = fp[2] > newest or (fp[2] == newest and tag not in seen)
            if email in self._dirty or (touched and fp != self._mine.get(email)):
                try:
                    keys |= self._load(email).keys()
                except PermanentError as exc:
                    log.warning("calendar changes: skipping %s: %s", name, exc)
        self._dirty.clear()
        top = max((fp[2] for _, fp, _ in files), default=newest)
        at_top = sorted(tag for _, fp, tag in files if fp[2] == top)
        return [Change(k, "responses") for k in sorted(keys)], f"{top}:{','.join(at_top)}"
