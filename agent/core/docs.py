"""Domain values as the store keeps them: JSON documents, and back (`*_to_doc`, `*_from_doc`).

Instants are stored as ISO 8601 in UTC. Readers accept documents written by
older versions (a field added later has its default), so state survives upgrades.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from agent.core.model import Feedback, Pairing, Participant, Series
from agent.core.records import (
    ActionRecord,
    FeedbackRecord,
    Owed,
    PairingRecord,
    SentMail,
)


def iso(when: datetime) -> str:
    """`when` as ISO 8601 in UTC: how every instant is stored."""
    return when.astimezone(UTC).isoformat()


def parse_iso(text: str) -> datetime:
    """An instant stored by `iso`, back as an aware datetime in UTC."""
    return datetime.fromisoformat(text).astimezone(UTC)


def month_of(when: datetime) -> str:
    """The month ("YYYY-MM", UTC) `when` falls in: the history partition it is filed in."""
    return when.astimezone(UTC).strftime("%Y-%m")


def series_to_doc(series: Series) -> dict[str, Any]:
    """A series as stored: instants in UTC, its length in whole minutes."""
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
    """The `Series` a `series_to_doc` document holds (older ones lack `cancelled`, `moved`)."""
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
    """The `Pairing` in a pairings document (older ones have no `reason`)."""
    return Pairing(
        id=doc["id"],
        format=doc["format"],
        cycle=doc["cycle"],
        members=tuple(doc["members"]),
        skills=tuple(doc["skills"]),
        reason=doc.get("reason", ""),
    )


def participant_to_doc(p: Participant) -> dict[str, Any]:
    """A roster row as the last-good-roster snapshot keeps it: sets and tuples as lists."""
    doc = asdict(p)
    doc["roles"] = sorted(p.roles)
    doc["teaches"] = list(p.teaches)
    doc["learns"] = list(p.learns)
    doc["aliases"] = list(p.aliases)
    doc["teach_levels"] = [list(x) for x in p.teach_levels]  # as JSON reads them back
    doc["learn_levels"] = [list(x) for x in p.learn_levels]
    return doc


def participant_from_doc(doc: dict[str, Any]) -> Participant:
    """The `Participant` of a snapshot row; rows older than aliases and levels get none."""
    fields = dict(doc)
    fields["roles"] = frozenset(fields["roles"])
    fields["teaches"] = tuple(fields["teaches"])
    fields["learns"] = tuple(fields["learns"])
    fields["aliases"] = tuple(fields.get("aliases", ()))  # older snapshots have none
    # Snapshots written before levels existed have none; JSON turns the pairs into lists.
    for name in ("teach_levels", "learn_levels"):
        fields[name] = tuple((str(k), int(v)) for k, v in fields.get(name, ()))
    return Participant(**fields)


def pairing_record_from_doc(doc: Mapping[str, Any]) -> PairingRecord:
    """A pairings document as a `PairingRecord`: the pairing, its status, since and end."""
    return PairingRecord(
        pairing=pairing_from_doc(doc),
        status=doc["status"],
        since=parse_iso(doc["since"]) if doc.get("since") else None,
        ended=parse_iso(doc["ended"]) if doc.get("ended") else None,
        ended_reason=doc.get("ended_reason", ""),
    )


def action_from_doc(doc: Mapping[str, Any]) -> ActionRecord:
    """An `actions` record as an `ActionRecord`."""
    return ActionRecord(
        key=doc["key"], kind=doc["kind"], status=doc["status"], at=parse_iso(doc["at"]),
        ref=doc.get("ref"), done_at=parse_iso(doc["done_at"]) if doc.get("done_at") else None,
        error=doc.get("error", ""), hash=doc.get("hash", ""),
        attempts=int(doc.get("attempts", 0)),
        next_try=parse_iso(doc["next_try"]) if doc.get("next_try") else None,
        retry=bool(doc.get("retry", False)))


def sent_from_doc(doc: Mapping[str, Any]) -> SentMail:
    """What a `messages` document says one message of ours was about."""
    return SentMail(kind=str(doc.get("kind", "")), key=str(doc.get("key", "")),
                    pairing_id=str(doc.get("pairing") or ""), email=str(doc.get("email", "")),
                    occurrence=parse_iso(doc["occurrence"]) if doc.get("occurrence") else None,
                    said=str(doc.get("said") or ""),
                    questions=tuple((str(f), str(q)) for f, q in doc.get("questions") or ()),
                    asks=str(doc.get("asks") or ""))


def sent_to_doc(sent: SentMail) -> dict[str, Any]:
    """The `messages` document that indexes one message of ours (`sent_from_doc` reads it)."""
    doc: dict[str, Any] = {
        "kind": sent.kind, "key": sent.key, "pairing": sent.pairing_id, "email": sent.email,
        "occurrence": iso(sent.occurrence) if sent.occurrence else None}
    if sent.said:  # mail sent before #14 has none: its replies are read against templates
        doc["said"] = sent.said
    if sent.questions:
        doc["questions"] = [list(pair) for pair in sent.questions]
    if sent.asks:
        doc["asks"] = sent.asks
    return doc


def owed_to_doc(owed: Owed) -> dict[str, Any]:
    """An owed mail as stored: a clarification with its session, a confirmation with its command."""
    if owed.kind in ("clarify", "resend"):
        return {"kind": owed.kind, "email": owed.email, "pairing": owed.pairing_id,
                "occurrence": iso(owed.occurrence) if owed.occurrence else None,
                "at": iso(owed.at) if owed.at else None, "reply_to": owed.reply_to}
    return {"kind": owed.kind, "email": owed.email, "command": owed.command,
            "pairing": owed.pairing_id, "until": owed.until,
            "skipped": [[pid, iso(occ)] for pid, occ in owed.skipped],
            "reply_to": owed.reply_to}


def owed_from_doc(doc: Mapping[str, Any]) -> Owed:
    """The `Owed` mail an `owed` document records."""
    return Owed(
        kind=doc["kind"], email=doc["email"], pairing_id=str(doc.get("pairing") or ""),
        command=str(doc.get("command", "")), until=str(doc.get("until") or ""),
        skipped=tuple((str(pid), parse_iso(occ)) for pid, occ in doc.get("skipped", [])),
        reply_to=str(doc.get("reply_to") or ""),
        occurrence=parse_iso(doc["occurrence"]) if doc.get("occurrence") else None,
        at=parse_iso(doc["at"]) if doc.get("at") else None)


def feedback_to_doc(fb: Feedback) -> dict[str, Any]:
    """A questionnaire reply as stored in `feedback` (`to_develop` comes from `extra`)."""
    return {
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


def feedback_from_doc(message_id: str, doc: Mapping[str, Any]) -> FeedbackRecord:
    """The reply `message_id` as a `FeedbackRecord`; a rating that is not a number reads as None."""
    rating = doc.get("rating")
    return FeedbackRecord(
        message_id=message_id, sender=str(doc.get("sender", "")),
        pairing_id=str(doc.get("pairing") or ""),
        occurrence=parse_iso(doc["occurrence"]) if doc.get("occurrence") else None,
        rating=int(rating) if isinstance(rating, int | float) else None,
        held=doc.get("held"), received=parse_iso(doc["received"]),
        text=str(doc.get("text") or ""), learned=str(doc.get("learned") or ""),
        to_develop=str(doc.get("to_develop") or ""), next_focus=str(doc.get("next_focus") or ""))
