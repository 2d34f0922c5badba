"""Ending a series on Exchange with one update, and what is kept beside it.

Cancelling each remaining occurrence mails every attendee one cancellation per
session. Shortening the pattern (its end date) is one update for the whole
series, but Exchange may then forget what the occurrences left had: [MS-OXOCAL]
3.1.4.7.3.5 says a pattern change "removes every exception" (so an occurrence
cancelled earlier can come back), and whether answers are kept is documented
nowhere. So the series keeps, in an extended property, the answers given to the
occurrences left and which of them were cancelled: `Ended.answer` prefers what
the service says now and falls back on what was kept, right either way.

A series ended before its first occurrence keeps no occurrence at all: its
attendees are removed instead (one cancellation each) and the programme
mailbox keeps the event, free, so the key still finds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from agent.core.model import ResponseStatus

STATUSES: dict[str, ResponseStatus] = {s: s for s in (
    "accepted", "declined", "tentative", "needs-action")}


@dataclass(frozen=True)
class Ended:
    """Answers (original start -> attendee -> status) and cancelled starts kept at the end."""

    answers: dict[datetime, dict[str, ResponseStatus]] = field(default_factory=dict)
    gone: frozenset[datetime] = frozenset()

    def answer(self, original: datetime, attendee: str, live: ResponseStatus) -> ResponseStatus:
        """The answer to report: the service's, unless it forgot one that was kept."""
        if live != "needs-action":
            return live
        return self.answers.get(original, {}).get(attendee, live)

    def dumps(self) -> str:
        """The JSON kept in the ended property (only real answers: needs-action is implied)."""
        return json.dumps({"answers": {o.isoformat(): who for o, who in
                                       sorted(self.answers.items()) if who},
                           "gone": sorted(o.isoformat() for o in self.gone)})

    @classmethod
    def loads(cls, text: str | None) -> Ended:
        """The `Ended` kept in the property; an empty one when there is none or it is broken."""
        try:
            doc = json.loads(text or "{}")
            answers = {datetime.fromisoformat(o): {str(w): STATUSES[s] for w, s in who.items()
                                                   if s in STATUSES}
                       for o, who in doc.get("answers", {}).items()}
            gone = frozenset(datetime.fromisoformat(o) for o in doc.get("gone", []))
        except (ValueError, TypeError, AttributeError):
            return cls()
        return cls(answers, gone)
