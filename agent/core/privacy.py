"""Everything the store holds about one person: exported on request, or forgotten.

Terms:
- *about a person*: any document whose id or content holds their email address
  (the identity of a person everywhere in the store), wherever it lives.
- *forgotten*: their address is replaced by a pseudonym (`forgotten-<hash>`) in
  every document that stays, and so is every full name a roster gave them (pairing
  reasons and series titles name people; so may what others wrote), as a whole word,
  whatever its case; what is theirs alone is deleted: their roster snapshot row,
  their pause/stop, waiting-list, bounce and names records, the index of mails sent
  to them (a first name alone is not touched: it is nobody's in particular). Their
  questionnaire answers keep only the rating and whether the session took place,
  and their calendar answers only the status, under the pseudonym. So the pairings
  and sessions they were in
  still count in the programme's totals, anonymously, and no digest can name them
  (a pseudonym is in no roster, and digests only name people in the roster).

What providers hold (calendar events, sent mail) is outside the store and not
touched here; the admin erases it in those systems.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agent.core.errors import UserError
from agent.core.model import short_hash
from agent.core.store import Store

SNAPSHOT = ("state", "roster")
THEIRS = ("optout", "waitlist", "bounces", "names")  # documents whose id is their address
FREE_TEXT = ("text", "learned", "to_develop", "next_focus")


def pseudonym(email: str) -> str:
    """The stable name `email` gets when forgotten (`forgotten-<hash>`)."""
    return f"forgotten-{short_hash('forget', email, length=10)}"


def _mentions(doc: Any, email: str) -> bool:
    return email in json.dumps(doc, ensure_ascii=False).lower()


def export_person(store: Store, email: str) -> dict[str, Any]:
    """{table: {id: document}} for every document about `email` (see module docstring)."""
    email = email.strip().lower()
    found: dict[str, dict[str, Any]] = {}
    for table in store.tables():
        if table == "pending":
            continue  # payloads of mails in flight; their action records are exported
        for id, doc in store.all(table):
            if table == SNAPSHOT[0] and id == SNAPSHOT[1]:
                row = doc.get("people", {}).get(email)
                if row is not None:
                    found.setdefault("roster", {})[email] = row
            elif email in id.lower() or _mentions(doc, email):
                found.setdefault(table, {})[id] = doc
    return {"email": email, "held": found}


@dataclass(frozen=True)
class Forgotten:
    """What `forget_person` did: the pseudonym, and how many documents it deleted and rewrote."""

    email: str
    pseudonym: str
    deleted: int
    rewritten: int


def forget_person(store: Store, email: str, in_roster: bool,
                  names: Sequence[str] = ()) -> Forgotten:
    """Erase `email` from the store (see module docstring), and `names` (other names they
    went by) with the ones the store knows; the caller flushes."""
    email = email.strip().lower()
    if in_roster:
        raise UserError(f"{email} is still in the roster: remove their row first, and let the "
                        "agent tick once so their pairings end, then forget them")
    if any(email in r["key"] or _mentions(r.get("payload", {}), email) for r in store.pending()):
        raise UserError(f"an action about {email} is in flight: let the agent settle it "
                        "(one tick), then forget them")
    if any(email in p["members"] for _, p in store.all("pairings") if p["status"] == "active"):
        raise UserError(f"{email} is still in an active pairing: let the agent tick once "
                        "after removing them from the roster, then forget them")
    alias = pseudonym(email)
    pattern = _names_pattern(store, email, names)
    deleted = rewritten = 0
    for table in store.tables():
        for id, doc in list(store.all(table)):
            if pattern is not None and table != "pending":
                scrubbed = _scrub(doc, pattern, alias)
                if scrubbed != doc and not (table in THEIRS and id.lower() == email):
                    store.put(table, id, scrubbed)
                    if not _mentions(doc, email):
                        rewritten += 1
                    doc = scrubbed
            if table == SNAPSHOT[0] and id == SNAPSHOT[1]:
                if doc.get("people", {}).pop(email, None) is not None:
                    store.put(table, id, doc)
                    rewritten += 1
                continue
            theirs = (
                (table in THEIRS and id.lower() == email)
                or (table == "messages" and doc.get("email", "").lower() == email)
            )
            if theirs:
                store.delete(table, id)
                deleted += 1
                continue
            if email not in id.lower() and not _mentions(doc, email):
                continue
            if table == "feedback" and doc.get("sender", "").lower() == email:
                doc.update({field: "" for field in FREE_TEXT if field in doc})
            text = json.dumps(doc, ensure_ascii=False)
            new = json.loads(text.replace(email, alias))
            store.rename(table, id, id.replace(email, alias), new)
            rewritten += 1
    return Forgotten(email, alias, deleted, rewritten)



def _names_pattern(store: Store, email: str, extra: Sequence[str]) -> re.Pattern[str] | None:
    """Every full name `email` went by (the last good roster, the names a roster gave them,
    `extra`), as one case-insensitive whole-word pattern; None when none is known."""
    names = set(extra)
    snapshot = store.get(*SNAPSHOT) or {}
    row = snapshot.get("people", {}).get(email)
    if row and row.get("name"):
        names.add(str(row["name"]))
    names.update(str(n) for n in (store.get("names", email) or {}).get("names", []))
    names = {" ".join(n.split()) for n in names if len(n.strip()) >= 2}
    if not names:
        return None
    # Longest first, so "Anne-Marie Durand" goes whole before a shorter name inside it.
    words = [r"\s+".join(re.escape(w) for w in n.split()) for n in sorted(names, key=len,
                                                                           reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def _scrub(value: Any, pattern: re.Pattern[str], alias: str) -> Any:
    """`value` (a JSON document) with every match of `pattern` in its strings replaced."""
    if isinstance(value, str):
        return pattern.sub(alias, value)
    if isinstance(value, list):
        return [_scrub(v, pattern, alias) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern, alias) for k, v in value.items()}
    return value
