"""How sure a command asked in a sentence is: sure acts, likely is confirmed first.

agent.conversation.replies.command finds which command a sentence asks for, and drops
what only looks like one (a negation, a past, a partner's file). What is left is weighed
here: a hedge, a question about whether it can be done, a pause with no end, a skip of a
session the message does not pin down, a resend of mails it does not name. Every rule
here can only make a command less sure, except two: "I want to quit" asks back unless the
keyword STOP is in it, and the keyword in capitals is sure whatever surrounds it.

Nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from agent.conversation.replies.command_words import (
    ASKS,
    BREAK,
    DAY,
    DAY_OF_MONTH,
    HEDGE,
    LATER,
    LOST,
    MONTH,
    PARTLY,
    PROGRAMME,
    SESSION,
    WAS_IT_SENT,
    WHAT_AGAIN,
)
from agent.conversation.replies.dates import SPAN_FROM, find_date, pause_until, weekdays_named
from agent.conversation.replies.prose import first_clause

_LONG_AGO = date(2000, 1, 1)  # a date is "found" in a text whatever day it was written


@dataclass(frozen=True)
class Thread:
    """What the message around a sentence says of the session a command may be about.
    `named`: the subject names a session; `day`, `month_day`: the weekday and day of the
    month of the session our objectives mail is about; `written`: the message's day."""

    named: bool = False
    day: frozenset[int] = frozenset()
    written: date | None = None
    month_day: int | None = None

    def of_month(self, folded: str) -> bool:
        """Whether `folded` names a day of the month outside a session's objectives (which
        name their own day): "Can we skip the 19th?"."""
        return not self.day and DAY_OF_MONTH.search(folded) is not None


@dataclass(frozen=True)
class Asked:
    """A command a sentence asks for, before its sureness is weighed: `folded` is the
    sentence folded with its negations read, `start`/`end` where the command's words are
    in it; `missing`: a resend because something did not come; `wondering`: asked as a
    wondering; `either`: one of two things asked ("décaler ou sauter"); `capitals`: this
    command's own keyword typed in capitals."""

    name: str
    sentence: str
    folded: str
    start: int
    end: int
    missing: bool = False
    wondering: bool = False
    either: bool = False
    capitals: bool = False

    @property
    def after(self) -> str:
        """The sentence from the command's words on."""
        return self.folded[self.start:]

    def names_a_session(self) -> bool:
        """Whether a session is named from the command's words on ("skip the next
        session", "cancel the first one"), which "can we skip it?" leaves to the thread."""
        return re.search(SESSION, self.after) is not None \
            or re.search(r"\b(?:next|first) one\b", self.after) is not None


# "is there a way to stop the emails ...?", "est-il possible de suspendre ...?": whether it
# can be done, asked, which is asked back.
_IS_THERE_A_WAY = re.compile(r"\b(?:is there (?:a|any) way|is it possible|y a-t-il (?:un )?moyen"
                             r"|il y a (?:un )?moyen|est-il possible|est-ce possible)\b")
# "probably a daft question but ...", "c'est sans doute une question bête": the hedge is of
# the question, not of what it asks.
_MODEST = re.compile(r"\b(?:probably|maybe|perhaps|peut-etre|surement|sans doute|c'est sans doute)"
                     r"\s+(?:a |an |une )?(?:daft|silly|stupid|dumb|naive|bete|idiote?)?"
                     r"\s*question(?: (?:bete|idiote?|naive|stupide))?\b")
# "faut que je mette en pause ou ça se fait tout seul ?": whether to, asked back.
_WHETHER_TO = re.compile(r"\bfaut(?:-il)? que (?:je|j'|on)\b[^.!]*\?")
# "I'm off from the 18th until 5 January, please pause the emails until then": the date
# said before the pause.
_UNTIL_THEN = re.compile(r"\buntil then\b|\bjusque[- ]?la\b|\bjusqu'a cette date\b"
                         r"|\bd'ici-?la\b|\buntil i'?m back\b|\bjusqu'a mon retour\b")
# The verbs of leaving said without what is left ("I want to quit.", "je préfère arrêter
# là"), never "stop sending"/"arrêter de m'envoyer", which name it.
_QUIT = re.compile(r"(?:quit|drop out|withdraw|stop|arreter|abandonner|laisser tomber)"
                   r"(?!\s+(?:sending|emailing|receiving|de m'envoyer))")
# The one next session, named before the words that skip it ("je ne serai pas là à la
# prochaine séance, on peut la sauter ?").
_NEXT_NAMED = re.compile(r"\b(?:prochaine|prochain|next|first|premiere)\s+(?:seance|session"
                         r"|meeting|reunion|rendez-vous|rdv|one)\b"
                         r"|\b(?:seance|session) (?:de |du |on )?\w+day"
                         r"|\bseance d[eu] \w+di prochain")
# "Can we skip next Thursday as well?", "sauter jeudi prochain": one day.
_NEXT_WEEKDAY = re.compile(r"\bnext (?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
                           r"|\b(?:lundi|mardi|mercredi|jeudi|vendredi) prochain\b")


def quits_what(asked: Asked) -> bool:
    """Whether a stop is said with the verb of leaving alone, naming no programme."""
    return asked.name == "stop" and not re.search(PROGRAMME, asked.after) \
        and _QUIT.match(asked.after) is not None


def how_sure(asked: Asked, thread: Thread) -> bool:
    """Whether the command `asked` acts at once (else it is confirmed first)."""
    if asked.capitals and not HEDGE.search(asked.folded) and not asked.wondering:
        return True  # "SKIP pour la prochaine": the keyword itself, in capitals
    if quits_what(asked):
        # "I want to quit.", "je préfère arrêter là": quit what? asked back; the keyword in
        # capitals ("donc STOP pour moi à partir de là") is the command itself.
        return re.search(r"\bSTOP\b", asked.sentence) is not None
    doubts = _DOUBTS.get(asked.name)
    return _sure_as_said(asked) and not (doubts is not None and doubts(asked, thread))


def _sure_as_said(asked: Asked) -> bool:
    """Whether the sentence asks plainly: no hedge, no wondering, no "is there a way"."""
    folded = _MODEST.sub(" ", asked.folded)
    # ("I think I deleted it, could you send it again?": the loss is hedged, not the ask)
    hedged = HEDGE.search(folded) and not (asked.name == "resend" and LOST.search(folded))
    return not hedged and not asked.wondering and not asked.either \
        and not _IS_THERE_A_WAY.search(folded[: asked.start]) \
        and not (asked.missing and not ASKS.search(folded)) \
        and not _WHETHER_TO.search(folded)


def _pause_doubted(asked: Asked, thread: Thread) -> bool:
    folded = asked.folded
    dated = folded if _UNTIL_THEN.search(folded) else asked.after
    return bool(
        # "pause for a while", "until after the holidays": asked back
        (not re.search(r"\d|\b" + MONTH, dated) and BREAK.search(asked.after))
        # "push the whole thing to next month": put off, which we ask back
        or folded.startswith("push", asked.start)
        # "suspendre ses séances": someone else's, asked of them first
        or re.search(r"\b(?:ses|his|her|their|leurs?) (?:seances|sessions)\b", folded)
        # "pause me from 3 March": when it starts; until when is asked
        or (SPAN_FROM.search(dated) and pause_until(dated, None, any_year=True) is None))


def _stop_doubted(asked: Asked, thread: Thread) -> bool:
    return PARTLY.search(asked.folded) is not None  # "stop sending reminders": or leave?


def _resend_doubted(asked: Asked, thread: Thread) -> bool:
    folded = asked.folded
    return bool(
        # "send me the emails again": which ones, or resume after a pause?
        not WHAT_AGAIN.search(folded)
        # "Did I ever get the feedback form?": whether it came, asked
        or WAS_IT_SENT.search(folded)
        # "renvoyez les mails sur x@y": we write to the roster's address
        or "@" in folded)


def _resume_doubted(asked: Asked, thread: Thread) -> bool:
    # "pick it back up in the new year": a resume to come, asked back
    return LATER.match(asked.folded[asked.end:]) is not None


def _skip_doubted(asked: Asked, thread: Thread) -> bool:
    """Whether a skip leaves which session open: only one the message pins down is sure."""
    folded, after = asked.folded, asked.after
    if find_date(folded, _LONG_AGO) is None and re.search(
            r"\b(?:une|one|a)\s+(?:seule |single )?(?:seance|session)\b",
            folded[asked.start:asked.end]):
        return True  # "cancel a session": which one is asked, unless its date is said
    if _weekday_unpinned(asked, thread):
        return True  # ("lundi 16": one day; "le 12" under our "mardi 12 janvier": ours)
    if re.search(r"\b(?:week|semaine)\b", first_clause(after)) \
            and not re.search(SESSION, first_clause(after)):
        return True  # "skip next week": sessions may not be weekly; which one is asked
    if asked.names_a_session():
        return False
    # "can we skip it?": the next one named before, our subject's session, or a date
    days = weekdays_named(folded)
    return not (bool(thread.day) and days <= thread.day
                or _NEXT_NAMED.search(folded[: asked.start]) is not None
                or find_date(folded, _LONG_AGO) is not None
                or _NEXT_WEEKDAY.search(after) is not None
                or thread.of_month(folded)
                # "je saute celle du 12": one session, by its day of the month
                or re.search(r"\b(?:celle|the one) (?:du|de|on the|of the) \d{1,2}\b",
                             after) is not None)


def _weekday_unpinned(asked: Asked, thread: Thread) -> bool:
    """Whether a session named by its weekday alone, in a thread about another day, may be
    this week's or the next. With its date ("vendredi 13 novembre") it names one session,
    and so does one weekday where no day is ours, the message's date known and another day
    ("Could we skip Thursday's session?" on a Monday: dates.next_weekday); written that
    very weekday, today's or next week's is asked."""
    folded, day, written = asked.folded, thread.day, thread.written
    days = weekdays_named(folded)
    if not re.search(DAY, re.sub(r"\b(?:demain|tomorrow)\b", "", folded)) \
            or "prochain" in folded or "next" in folded or (day and days and days <= day):
        return False
    if not day and len(days) == 1 and written is not None and written.weekday() not in days \
            and not re.search(r"\b(?:du|le|on the) \d{1,2}\b", folded):
        return False
    month_day = thread.month_day
    return find_date(folded, _LONG_AGO) is None \
        and not re.search(DAY + r"\s+\d{1,2}\b", folded) \
        and not (month_day and re.search(rf"\b(?:du|le|on the|the) {month_day}"
                                         r"(?:st|nd|rd|th|er)?\b", folded)) \
        and not (thread.of_month(folded) and not days)


# What can make each command less sure than it is said (help has nothing to doubt).
_DOUBTS: dict[str, Callable[[Asked, Thread], bool]] = {
    "pause": _pause_doubted, "stop": _stop_doubted, "resend": _resend_doubted,
    "skip": _skip_doubted, "resume": _resume_doubted}
