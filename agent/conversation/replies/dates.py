"""Dates people write after "pause until" / "pause jusqu'au", in French or English.

Read: ISO dates (2027-03-03), day-first numbers (3/3, 03.03.2027: French and
British order alike), and month names with or without a year ("3 March",
"March 3rd, 2027", "le 1er mars", "15 janv."). Month names come from babel's
CLDR data for both languages. A date without a year is the first such day on or
after the day the message was written. `pause_until` reads the date a pause's words end
on ("pause until 3 March", never "pause me from 6 November").

Why not dateparser: it is a large dependency (two hundred languages, a regex
cache that takes a while to build) for the half-dozen shapes a one-line command
takes; and it reads "3/4" month-first by default. The confirmation email states
the date understood, so a misreading is visible and undone by one reply.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from functools import cache

from babel.dates import get_month_names


def fold(text: str) -> str:
    """`text` case-folded and without accents, for comparing words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_quotes(text: str) -> str:
    """`text` folded, with the typographic apostrophe (’) made the plain one the phrase
    patterns are written with."""
    return fold(text).replace("’", "'")


@cache
def month_numbers() -> dict[str, int]:
    """Folded month name or abbreviation (fr, en) -> month number."""
    names: dict[str, int] = {"sept": 9}
    for language in ("fr", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=language).items():
                names[fold(name).rstrip(".")] = int(number)
    return names


def _month_pattern() -> str:
    return "|".join(sorted(map(re.escape, month_numbers()), key=len, reverse=True))


_ORDINAL = r"(?:er|re|e|st|nd|rd|th)?"


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    month = _month_pattern()
    return [
        (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
        (re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?\b"), "dmy"),
        (re.compile(rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?({month})\.?(?:\s+(\d{{4}}))?\b"),
         "d-name-y"),
        (re.compile(rf"\b({month})\.?\s+(\d{{1,2}}){_ORDINAL}\b(?:,?\s+(\d{{4}}))?"),
         "name-d-y"),
    ]


def find_date(text: str, written: date | None) -> date | None:
    """The first date in `text`; one without a year needs `written` (else None). "Fin
    novembre" / "the end of November" is the first day after that month."""
    folded = fold(text)
    found: list[tuple[int, date | None]] = []
    end = re.search(rf"\b(?:fin|end of|the end of)\s+(?:de |d')?({_month_pattern()})\.?"
                    r"(?:\s+(\d{4}))?\b", folded)
    if end is not None and (end.group(2) or written is not None):
        month = month_numbers()[end.group(1)]
        year = int(end.group(2)) if end.group(2) else (written or date.min).year
        last = _make(year, month, 28)
        if not end.group(2) and written is not None and last is not None and last < written:
            year += 1
        found.append((end.start(), date(year + month // 12, month % 12 + 1, 1)))
    for pattern, shape in _patterns():
        match = pattern.search(folded)
        if match is None:
            continue
        groups = match.groups()
        if shape == "ymd":
            year, month, day = (int(g) for g in groups)
            found.append((match.start(), _make(year, month, day)))
            continue
        if shape == "dmy":
            day, month, year_text = int(groups[0]), int(groups[1]), groups[2]
        elif shape == "d-name-y":
            day, month, year_text = int(groups[0]), month_numbers()[groups[1]], groups[2]
        else:
            month, day, year_text = month_numbers()[groups[0]], int(groups[1]), groups[2]
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            found.append((match.start(), _make(year, month, day)))
        elif written is not None:
            when = _make(written.year, month, day)
            if when is not None and when < written:
                when = _make(written.year + 1, month, day)
            found.append((match.start(), when))
    found.sort(key=lambda item: item[0])
    if not found and written is not None:
        return _day_only(folded, written)
    return found[0][1] if found else None


# "we'll skip the 12th", "jusqu'au 1er": a day of the month alone (English ordinals and
# the French "1er"; a bare "le 12" may be a time, a count or a price, so it is not read,
# but "celle du 12" names a session's day).
# "Thursday 19th", "jeudi 19": the weekday before it makes the number a day (never "lundi
# 16h", "Monday 10 am": an hour).
# The days of the week, Monday first, French and English (folded), as regex alternatives.
WEEKDAYS = ("lundi|monday", "mardi|tuesday", "mercredi|wednesday", "jeudi|thursday",
            "vendredi|friday", "samedi|saturday", "dimanche|sunday")
_DAY_ONLY = re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b|\b(?:le|au|du) (1)er\b"
                       r"|\b(" + "|".join(WEEKDAYS) + r")\s+(?:the\s+)?(\d{1,2})"
                       r"(?:st|nd|rd|th|er)?\b(?!\s*(?:h\b|heures?|hours?|am\b|pm\b|[:.]\d))"
                       # "je saute celle du 12": a session's day ("celle" is one)
                       r"|\b(?:celle|la seance|la session) du (\d{1,2})(?:er)?\b"
                       r"(?!\s*(?:h\b|heures?|[:.]\d|/))")


def _day_only(folded: str, written: date) -> date | None:
    """The next such day on or after `written` (on that weekday, when one was named), or
    None."""
    match = _DAY_ONLY.search(folded)
    if match is None:
        return None
    day = int(match.group(1) or match.group(2) or match.group(4) or match.group(5))
    weekday = weekday_of(match.group(3)) if match.group(3) else None
    year, month = written.year, written.month
    first = None
    for _ in range(12):  # the 31st may be two months away; a Thursday 19th, months
        when = _make(year, month, day)
        if when is not None and when >= written:
            first = first or when
            if weekday is None or when.weekday() == weekday:
                return when
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return first


# A day of the week named, French or English, in folded text.
DAY_NAME = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b")


def weekdays_named(folded: str) -> set[int]:
    """The weekdays a folded text names, Monday 0, in French or English."""
    return {day for word in DAY_NAME.findall(folded) if (day := weekday_of(word)) is not None}


def next_weekday(text: str, written: date) -> date | None:
    """The day after `written` that the one weekday `text` names falls on ("skip Thursday's
    session"), or None: no weekday, several, or the very day it was written (this one, or
    next week's?)."""
    days = weekdays_named(fold(text))
    if len(days) != 1 or written.weekday() in days:
        return None
    return written + timedelta(days=(days.pop() - written.weekday()) % 7)


def weekday_of(name: str) -> int | None:
    """The weekday (Monday 0) a folded day name says, French or English, or None."""
    return next((i for i, names in enumerate(WEEKDAYS) if name in names.split("|")), None)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31 February, month 13
        return None


# The start and the end of a span of time, in a pause's words ("from 6 November", "until 4").
SPAN_FROM = re.compile(r"\b(?:from|a partir d|des le|starting)\b")
_TO = re.compile(r"\b(?:until|till|til|jusqu|au|to)\b")


def pause_until(words: str, written: date | None, *, any_year: bool = False) -> date | None:
    """The date in a "pause until <date>" command's words (find_date).

    A date without a year is the next such day on or after `written` (the message's
    date); `any_year` only asks whether there is a date at all."""
    folded = fold(words)
    if not (_TO.search(folded) or re.search(r"\b(?:fin|end)\b|\d", folded)):
        return None
    if SPAN_FROM.search(folded) and not _TO.search(folded):
        return None  # "pause me from 6 November": when it starts, not when it ends
    return find_date(words, written or (date(2000, 1, 1) if any_year else None))
