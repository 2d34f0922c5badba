"""One roster cell at a time: each parser returns the value or raises `Bad` with what is
wrong and an example of right.
"""

from __future__ import annotations

import difflib
import re
from functools import cache, lru_cache
from typing import get_args
from zoneinfo import available_timezones

from agent.core.model import Language, Participant, Role, skill_key
from agent.programme.holidays import country_of, supported
from agent.programme.skills import LEVEL_HINT, LevelError, parse_skills

_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"\\.]+(?:\.[^@\s<>()\[\],;:\"\\.]+)*"  # local part, no empty dot-atoms
    r"@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}$"  # domain with a letters-only TLD
)


def valid_email(text: str) -> bool:
    """A plain `local@domain.tld` address (no display name, no comments)."""
    return bool(_EMAIL.match(text))


_ROLES: dict[str, Role] = {
    "mentor": "mentor", "mentore": "mentee", "mentoree": "mentee", "mentee": "mentee",
    "peer": "peer", "pair": "peer", "binome": "peer",
}
LANGUAGES: dict[str, Language] = {
    "fr": "fr", "francais": "fr", "french": "fr", "en": "en", "anglais": "en", "english": "en",
}
_YES = {"yes", "oui", "true", "vrai", "1", "x", "y", "o"}
_NO = {"no", "non", "false", "faux", "0", ""}
MAX_MENTEES = 20  # the same ceiling as programme.default_max_mentees

class Bad(Exception):
    """One cell's problem: what is wrong, and an example of right."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def email_cell(value: str) -> str:
    """The person's address, lower-cased; `Bad` when missing or invalid."""
    if not value:
        raise Bad("missing email", "jeanne.martin@example.com")
    if not valid_email(value):
        raise Bad(f"invalid email '{value}'", "jeanne.martin@example.com")
    return value.lower()


def aliases_cell(value: str, email: str) -> tuple[str, ...]:
    """Other addresses of the person, separated by `;` or `,` (or spaces)."""
    found: dict[str, None] = {}
    for word in re.split(r"[;,\s]+", value):
        if not word:
            continue
        if not valid_email(word):
            raise Bad(f"invalid alias '{word}'", "jeanne@gmail.com; j.martin@example.com")
        if word.lower() != email:
            found[word.lower()] = None
    return tuple(found)


def country_cell(value: str) -> str:
    """An ISO 3166 country code the `holidays` package knows, upper-cased; may be empty."""
    code = value.strip().upper()
    if code and not supported(code):
        raise Bad(f"unknown country code '{value}'", "FR, CA, BE... (ISO 3166), or empty")
    return code


def region_cell(value: str, country: str, timezone: str) -> str:
    """A region code of the person's country (given, or their zone's), upper-cased; may be empty."""
    code = value.strip().upper()
    where = country or country_of(Participant("", "", frozenset(), timezone=timezone))
    if code and not supported(where, code):
        raise Bad(f"unknown region '{value}' for country {where or '(none)'}",
                   "QC for Québec, 57 for Moselle, or empty")
    return code


def manager_cell(value: str) -> str | None:
    """The manager's address, lower-cased, or None when the cell is empty."""
    if not value:
        return None
    if not valid_email(value):
        raise Bad(f"invalid manager email '{value}'", "paul.durand@example.com, or empty")
    return value.lower()


def skills_cell(value: str) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    """Skill names and their levels (see `parse_skills`); `Bad` for an unknown level."""
    try:
        return parse_skills(value)
    except LevelError as bad:
        raise Bad(str(bad), f"Excel:expert; SQL:3 ({LEVEL_HINT})") from None


def roles_cell(value: str, teaches: tuple[str, ...], learns: tuple[str, ...]) -> frozenset[Role]:
    """The roles named; an empty cell means mentor if they teach, mentee if they learn."""
    words = [w for w in re.split(r"[;,\s]+", value) if w]
    unknown = [w for w in words if skill_key(w) not in _ROLES]
    if unknown:
        raise Bad(f"unknown role {', '.join(repr(w) for w in unknown)}",
                   "mentor, mentee or peer (or mentoré, pair, binôme); several separated by spaces")
    roles: set[Role] = {_ROLES[skill_key(w)] for w in words}
    # An empty cell is read from the skills, so a roster without a role column still works.
    if not roles:
        roles |= {"mentor"} if teaches else set()
        roles |= {"mentee"} if learns else set()
    if not roles:
        raise Bad("no role, and nothing to teach or learn", "mentor; peer")
    return frozenset(roles)


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def timezone_cell(value: str) -> str:
    """The IANA zone named, spelt as tzdata spells it; `Bad` suggests the closest."""
    name = _zones().get(value.casefold())
    if name is not None:
        return name  # "europe/paris" is what they meant; ZoneInfo is case-sensitive on Linux
    raise Bad(f"unknown time zone '{value}'", _closest_zone(value))


@lru_cache(maxsize=1024)  # a broken export repeats one bad value on every row
def _closest_zone(value: str) -> str:
    close = difflib.get_close_matches(value, sorted(_zones().values()), n=1)
    return close[0] if close else "Europe/Paris"


def language_cell(value: str) -> Language:
    """`fr` or `en`, from a code ("fr-FR") or a name in either language."""
    key = re.split(r"[-_]", skill_key(value))[0]  # "fr-FR" and "en_GB" mean fr and en
    if key not in LANGUAGES:
        raise Bad(f"unknown language '{value}'", " or ".join(get_args(Language)))
    return LANGUAGES[key]


def max_mentees_cell(value: str) -> int | None:
    """A whole number from 0 to `MAX_MENTEES`; None for an empty cell (the default applies)."""
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))  # "2,0" from a French spreadsheet
    except ValueError:
        number = -1.0  # reported below with the same message as an out-of-range number
    if not number.is_integer() or not 0 <= number <= MAX_MENTEES:
        raise Bad(f"max_mentees '{value}' is not a whole number from 0 to {MAX_MENTEES}",
                         "2")
    return int(number)


def external_cell(value: str) -> bool:
    """Whether the person is an external mentor: yes or no in French or English (empty is no)."""
    key = skill_key(value)
    if key in _YES or key in _NO:
        return key in _YES
    raise Bad(f"'{value}' is not yes or no", "yes, no, oui, non, or empty for no")


