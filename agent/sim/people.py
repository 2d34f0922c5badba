"""Simulated participants: people with a mail client and a calendar client.

They touch only what real people touch: they read the mail the agent sent
(the `mail/` Maildir), write replies into the agent's inbox Maildir, answer
invitations by changing their PARTSTAT in their own calendar file, and keep
their own meetings in that calendar. Every decision is drawn from a random
generator seeded by (seed, what it is about), and every action is keyed, so a
resumed simulation makes exactly the same decisions and repeats nothing.

They only react to what existed before the current step (a message's Date, an
event's DTSTAMP), so an interruption in the middle of a step cannot change
what they see.
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from icalendar import Calendar as ICalendar

from agent.core.docs import iso, month_of, parse_iso
from agent.core.keys import parse_key
from agent.core.model import Participant, short_hash
from agent.core.store import Store
from agent.providers.local.calendar import deliver_to_inbox
from agent.providers.local.maildir import atomic_write
from agent.sim.calendar import (
    declined_override,
    later_plans,
    occurrences,
    overridden,
    own_calendar,
    set_partstat,
)
from agent.sim.mailview import Mail
from agent.sim.progress import (
    asked_levels,
    level,
    levels_text,
    renewal_choice,
    renewal_text,
)
from agent.sim.replies import (
    YES,
    Answer,
    Original,
    answer_text,
    command_reply,
    compose_reply,
    goals_text,
    likely_text,
)

ANSWER_RATE = 0.8
GOALS_RATE = 0.7  # learners who answer the introduction with their goals
DECLINE_OCCURRENCE = 0.06
DECLINE_SERIES = 0.02
STOP_RATE = 0.004
LIKELY_RATE = 0.02  # an objectives mail answered with a command the person is unsure of


def rng_for(seed: int, *parts: str) -> random.Random:
    """A random generator seeded by the run's seed and what the decision is about."""
    return random.Random(f"{seed}|" + "|".join(parts))


class SimPeople:
    """Every simulated person: calendars under `root`, decisions kept in `store`."""

    def __init__(
        self,
        root: Path,
        people: Mapping[str, Participant],
        store: Store,
        seed: int,
        programme_email: str,
        likely_rate: float = LIKELY_RATE,
    ) -> None:
        self.likely_rate = likely_rate
        self.root = root
        self.people = people
        self.store = store
        self.seed = seed
        self.programme = programme_email
        self._mtimes: dict[str, int] = {}

    # -- their own calendars ---------------------------------------------------
    def calendar_path(self, email: str) -> Path:
        """The person's own calendar file."""
        return self.root / "calendars" / f"{email}.ics"

    def setup(self, start: datetime) -> None:
        """Give everyone their own weekly meetings and a day off, once."""
        if self.store.get("sim", "setup") is not None:
            return
        (self.root / "calendars").mkdir(parents=True, exist_ok=True)
        for email, person in sorted(self.people.items()):
            rng = rng_for(self.seed, "setup", email)
            cal = own_calendar(person, start, rng)
            path = self.calendar_path(email)
            if not path.exists():
                atomic_write(path, cal.to_ical())
        self.store.put("sim", "setup", {"at": iso(start)})

    # -- one step --------------------------------------------------------------
    def act(self, now: datetime) -> None:
        """One step: read the new mail, send the replies due, answer new invitations."""
        self.read_mail(now)
        self.send_due_replies(now)
        self.answer_invitations(now)

    def read_mail(self, now: datetime) -> None:
        """Decide on each mail sent before `now` (replies are queued), then mark it read."""
        new = self.root / "mail" / "new"
        if not new.is_dir():
            return
        for entry in sorted(os.scandir(new), key=lambda e: e.name):
            msg = Mail(Path(entry.path).read_bytes())
            sent = parsedate_to_datetime(str(msg["Date"]))
            if sent >= now:
                continue  # arrived during this step: seen at the next one
            for email in self._recipients(msg):
                self._decide(msg, email, sent)
            self.store.flush()  # decisions are kept before the message is marked read
            os.replace(entry.path, self.root / "mail" / "cur" / f"{entry.name}:2,S")

    def _recipients(self, msg: Mail) -> list[str]:
        to = str(msg.get("To", ""))
        return [e for e in self.people if e in to.lower()]

    def _decide(self, msg: Mail, email: str, sent: datetime) -> None:
        # Long keys are folded over two lines; unfolding leaves a leading space.
        kind = parse_key(str(msg.get("X-Binome-Key", "")).strip()).kind
        message_id = str(msg["Message-ID"])
        rng = rng_for(self.seed, message_id, email)
        if kind == "objectives" and rng.random() < STOP_RATE:
            word = rng.choice(["STOP", "PAUSE"])
            self._queue(message_id, email, sent + timedelta(hours=2), msg, {"command": word})
        elif kind == "renewal":
            self._renewal(msg, email, sent, message_id)
        elif kind == "objectives" and rng.random() < self.likely_rate:
            person = self.people[email]
            self._queue(message_id, email, sent + timedelta(hours=rng.uniform(1, 4)), msg, {
                "likely": rng.choice(["pause", "skip"]), "lang": person.language,
                "session": str(msg.get("X-Binome-Key", "")).strip()})
        elif kind == "ask":
            # The question whether they meant it: they did, and say so.
            person = self.people[email]
            self._queue(message_id, email, sent + timedelta(hours=rng.uniform(0.5, 6)), msg, {
                "command": rng.choice(YES[person.language]), "confirms": True})
        elif (kind == "intro" and ("Vos objectifs" in msg.body()
                                                  or "Your goals" in msg.body())
              and rng.random() < GOALS_RATE):
            person = self.people[email]
            asked = asked_levels(msg.body())
            doc = {
                "goals": list(person.learns or ("Excel",)),
                # Where they stand now: a later pairing's introduction (a workshop's)
                # finds them where their renewal answers left them.
                "levels": {s: level(self.seed, person, s, self._renewals(email))
                           for s in asked},
                "client": rng.choice(["gmail", "outlook", "apple"]),
                "html": rng.random() < 0.35,
                "keep_headers": rng.random() > 0.1,
                "lang": person.language,
            }
            self._queue(message_id, email, sent + timedelta(hours=rng.uniform(1, 48)), msg, doc)
        elif kind == "questionnaire" and rng.random() < ANSWER_RATE:
            person = self.people[email]
            trait = rng_for(self.seed, "trait", email).random()
            rating = max(1, min(5, round(3.2 + 1.6 * trait + rng.gauss(0, 0.7))))
            # They write about what they came to learn (or teach), as people do.
            skill = rng.choice(person.learns or person.teaches or ("Excel",))
            doc = {
                "held": rng.random() > 0.05,
                "rating": rating,
                "skill": skill,
                "client": rng.choice(["gmail", "outlook", "apple"]),
                "html": rng.random() < 0.35,
                "keep_headers": rng.random() > 0.1,
                "lang": person.language,
            }
            delay = timedelta(hours=rng.uniform(0.5, 60))
            self._queue(message_id, email, sent + delay, msg, doc)

    def _renewals(self, email: str) -> int:
        """How many renewal mails `email` has answered (sent) so far."""
        return sum(1 for _, d in self.store.all("replied")
                   if d.get("renewal") and d.get("email") == email)

    def _renewal(self, msg: Mail, email: str, sent: datetime, message_id: str) -> None:
        """Answer whether the pairing goes on (most do), with their levels now."""
        rng = rng_for(self.seed, "renewal", message_id, email)
        choice = renewal_choice(rng)
        if choice is None:
            return
        person = self.people[email]
        # Each renewal this person answers is one more step from where they started.
        step = 1 + self._renewals(email)
        doc = {
            "renewal": choice,
            "levels": {s: level(self.seed, person, s, step) for s in asked_levels(msg.body())},
            "client": rng.choice(["gmail", "outlook", "apple"]),
            "html": rng.random() < 0.35,
            "keep_headers": rng.random() > 0.1,
            "lang": person.language,
        }
        self._queue(message_id, email, sent + timedelta(hours=rng.uniform(1, 72)), msg, doc)

    def _queue(
        self, message_id: str, email: str, due: datetime, msg: Mail, doc: dict[str, Any]
    ) -> None:
        qid = f"{message_id}|{email}"
        if self.store.get("queue", qid) is not None or self.store.get("replied", qid) is not None:
            return
        text = msg.body()
        self.store.put(
            "queue",
            qid,
            {
                **doc,
                "due": iso(due),
                "email": email,
                "message_id": message_id,
                "subject": str(msg["Subject"]),
                "sender": str(msg["From"]),
                "date": iso(parsedate_to_datetime(str(msg["Date"]))),
                "body": text[:2000],
            },
        )

    def send_due_replies(self, now: datetime) -> None:
        """Deliver each queued reply due by `now` to the agent's inbox, keeping what it meant."""
        due = sorted(
            (
                (d["due"], qid, d)
                for qid, d in self.store.all("queue")
                if parse_iso(d["due"]) <= now
            ),
            key=lambda t: (t[0], t[1]),
        )
        for _, qid, doc in due:
            raw = self._reply_bytes(qid, doc)
            stamp = int(parse_iso(doc["due"]).timestamp())
            deliver_to_inbox(self.root, f"{stamp}.{short_hash(qid, length=16)}.sim", raw)
            self.store.delete("queue", qid)
            # What they meant to say, kept so a test can check what the agent understood.
            meant: dict[str, Any] = {k: doc[k] for k in ("held", "rating", "command", "goals",
                                                         "likely", "confirms", "renewal",
                                                         "levels", "email") if k in doc}
            if meant.get("held") is False:
                meant["rating"] = None  # a session that did not happen gets no rating
            self.store.put("replied", qid, {"at": doc["due"], "reply_id": reply_id(qid, doc),
                                            **meant}, month=month_of(now))
        if due:
            self.store.flush()

    def _reply_bytes(self, qid: str, doc: dict[str, Any]) -> bytes:
        person = self.people[doc["email"]]
        original = Original(
            doc["message_id"], doc["subject"], doc["sender"], parse_iso(doc["date"]), doc["body"]
        )
        message_id = reply_id(qid, doc)
        when = parse_iso(doc["due"])
        addr = (person.name, person.email)
        if "likely" in doc:
            return compose_reply(
                rng_for(self.seed, "text", qid), client="gmail", lang=doc["lang"], html=False,
                keep_headers=True, person=addr, programme=self.programme, original=original,
                text=self._likely(doc, when), message_id=message_id, date=when)
        if "command" in doc:
            return command_reply(
                person=addr,
                programme=self.programme,
                original=original,
                word=doc["command"],
                message_id=message_id,
                date=when,
            )
        rng = rng_for(self.seed, "text", qid)
        if "renewal" in doc:
            text = renewal_text(rng, doc["lang"], doc["renewal"], doc.get("levels", {}))
        elif "goals" in doc:
            text = goals_text(rng, doc["lang"], doc["goals"])
            if doc.get("levels"):
                text = text.rstrip() + "\n\n" + levels_text(doc["lang"], doc["levels"])
        else:
            text = answer_text(rng, doc["lang"], Answer(doc["held"], doc["rating"], doc["skill"]))
        return compose_reply(
            rng,
            client=doc["client"],
            lang=doc["lang"],
            html=doc["html"],
            keep_headers=doc["keep_headers"],
            person=addr,
            programme=self.programme,
            original=original,
            text=text,
            message_id=message_id,
            date=when,
        )

    def _likely(self, doc: dict[str, Any], when: datetime) -> str:
        """What someone unsure writes: a pause until three weeks later, or a skip of the
        session the objectives were about, named by its day."""
        person = self.people[doc["email"]]
        session = parse_key(doc["session"]).occurrence or when
        zone = ZoneInfo(person.timezone)
        until = format_date((when + timedelta(weeks=3)).astimezone(zone).date(), "d MMMM",
                            locale=person.language)
        day = format_date(session.astimezone(zone).date(), "EEEE", locale=person.language)
        return likely_text(doc["lang"], doc["likely"], name=person.first_name, until=until,
                           day=day)

    # -- invitations -----------------------------------------------------------
    def answer_invitations(self, now: datetime) -> None:
        """Answer the invitations new in each changed calendar file."""
        folder = self.root / "calendars"
        if not folder.is_dir():
            return
        for entry in os.scandir(folder):
            email = entry.name.removesuffix(".ics")
            if email not in self.people or not entry.name.endswith(".ics"):
                continue
            mtime = entry.stat().st_mtime_ns
            if self._mtimes.get(email) == mtime:
                continue
            changed, deferred = self._answer_file(Path(entry.path), email, now)
            if changed or deferred:
                # Our own write, or an invitation too new to see yet: look again next step.
                # (Caching the mtime of a deferred file would hide it for good, and only
                # after a resumed step, which is how the crash test caught it.)
                self._mtimes.pop(email, None)
            else:
                self._mtimes[email] = mtime

    def _answer_file(self, path: Path, email: str, now: datetime) -> tuple[bool, bool]:
        """Answer what is new in one calendar; returns (file changed, something deferred)."""
        cal = ICalendar.from_ical(path.read_bytes())
        changed = deferred = False
        for event in list(cal.walk("VEVENT")):
            key = str(event.get("X-BINOME-KEY", ""))
            if not key or "RECURRENCE-ID" in event:
                continue
            did = f"{key}|{email}"
            if self.store.has("rsvp", did):
                continue
            if event.decoded("dtstamp") >= now:
                deferred = True  # arrived during this step: seen at the next one
                continue
            rng = rng_for(self.seed, "rsvp", did)
            whole = "DECLINED" if rng.random() < DECLINE_SERIES else "ACCEPTED"
            set_partstat(event, email, whole)
            declined: list[str] = []
            if whole == "ACCEPTED":
                answered = overridden(cal, str(event["UID"]))
                for occ in occurrences(event):
                    if rng.random() < DECLINE_OCCURRENCE:
                        # A step redone after a crash may find its own answer already
                        # written (the file is saved before the decision is): keep one.
                        if occ not in answered:
                            cal.add_component(declined_override(event, occ, email, now))
                        declined.append(iso(occ))
                # Calendars keep changing after a booking: now and then a meeting or a
                # week off lands on a session, which the agent's daily scan must find.
                later = rng_for(self.seed, "later", did)
                for plan in later_plans(event, self.people[email], now, later):
                    if not any(str(e.get("UID")) == str(plan["UID"]) for e in cal.walk("VEVENT")):
                        cal.add_component(plan)
            self.store.put("rsvp", did, {"status": whole, "declined": declined})
            changed = True
        if changed:
            atomic_write(path, cal.to_ical())
            self.store.flush()
        return changed, deferred


def reply_id(qid: str, doc: dict[str, Any]) -> str:
    """The Message-ID of the reply queued as `qid`."""
    return f"<sim.{short_hash(qid, length=20)}@{doc['email'].split('@')[1]}>"
