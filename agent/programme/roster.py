"""Roster files -> participants, with every bad row located by row and column.

Terms:
- *roster*: the admin's list of people, one row each, as CSV (comma or
  semicolon, UTF-8 with or without BOM, or cp1252 as Excel writes it in
  France) or XLSX (first sheet).
- *row*: numbered as the spreadsheet shows it; the header is row 1.
- *column*: recognised by name, ignoring case, accents, spaces, `_` and `-`,
  in English or French (`Fuseau horaire` is `timezone`). Other columns are
  ignored, so the admin may keep notes beside the data.

A bad row is left out and reported; it never stops the others. Its email,
when readable, is listed in `broken_emails` so the caller can keep that person
as they were in the last good roster instead of treating them as gone.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar, get_args
from zoneinfo import available_timezones

from agent.core.errors import Problem, UserError
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


def _norm(text: str) -> str:
    """Header comparison form: `Fuseau horaire` -> `fuseauhoraire`, `E-mail` -> `email`."""
    return re.sub(r"[\s_\-.'’]", "", skill_key(text))


_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "courriel", "e-mail", "mail", "adresse", "adresse email",
              "adresse e-mail", "email address"),
    "name": ("name", "nom", "nom complet", "full name", "prénom nom", "nom prénom"),
    "roles": ("role", "roles", "rôle", "rôles"),
    "teaches": ("teaches", "enseigne", "peut enseigner", "can teach"),
    "learns": ("learns", "apprend", "souhaite apprendre", "wants to learn"),
    "manager_email": ("manager_email", "manager", "responsable", "email du responsable"),
    "team": ("team", "équipe", "service"),
    "timezone": ("timezone", "time zone", "fuseau", "fuseau horaire", "tz"),
    "language": ("language", "langue", "lang"),
    "max_mentees": ("max_mentees", "max mentorés", "max mentees"),
    "external": ("external", "externe"),
    "country": ("country", "pays"),
    "region": ("region", "région", "subdivision", "département", "province", "state"),
    "aliases": ("aliases", "alias", "other emails", "autres adresses", "autres emails",
                "adresses secondaires"),
}
_COLUMNS = {_norm(alias): field for field, aliases in _ALIASES.items() for alias in aliases}

_ROLES: dict[str, Role] = {
    "mentor": "mentor", "mentore": "mentee", "mentoree": "mentee", "mentee": "mentee",
    "peer": "peer", "pair": "peer", "binome": "peer",
}
_LANGUAGES: dict[str, Language] = {
    "fr": "fr", "francais": "fr", "french": "fr", "en": "en", "anglais": "en", "english": "en",
}
_YES = {"yes", "oui", "true", "vrai", "1", "x", "y", "o"}
_NO = {"no", "non", "false", "faux", "0", ""}
MAX_MENTEES = 20  # the same ceiling as programme.default_max_mentees
T = TypeVar("T")


class _Bad(Exception):
    """One cell's problem: what is wrong, and an example of right."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class RosterResult:
    participants: list[Participant]
    problems: list[Problem]
    broken_emails: frozenset[str]  # lower-cased emails of rejected rows (not of kept ones)


def load_roster(
    path: Path, *, default_timezone: str, default_language: str, default_max_mentees: int
) -> RosterResult:
    """Read `path`; raises `UserError` only when the file as a whole is unusable."""
    header_row, header, rows = _read_table(path)
    columns = _map_columns(header)
    if "email" not in columns:
        found = ", ".join(repr(h) for h in header if h) or "none"
        raise UserError(
            f"{path}: no email column in the header (row {header_row}); columns found: {found}. "
            "Name one column 'email' (or 'courriel')."
        )
    labels = {field: header[i].strip() for field, i in columns.items()}
    language = _LANGUAGES.get(skill_key(default_language), "fr")
    defaults = _Defaults(default_timezone, language, default_max_mentees)

    participants: list[Participant] = []
    problems: list[Problem] = []
    broken: set[str] = set()
    seen: dict[str, int] = {}  # email -> row that claimed it first
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue  # blank rows are layout, not data
        values = {f: cells[i].strip() if i < len(cells) else "" for f, i in columns.items()}
        email = values["email"].lower()
        errors: list[tuple[str, str, str]] = []  # field, message, hint
        if email in seen:
            errors.append(("email", f"duplicate email '{email}' (already on row {seen[email]})",
                           "one row per person; merge the two rows"))
        person = _participant(values, defaults, errors)
        if person is not None and not errors:
            seen[email] = number
            participants.append(person)
            continue
        if valid_email(email):
            broken.add(email)
        problems += [Problem(path.name, f"row {number}, column {labels.get(f, f)}", msg, hint)
                     for f, msg, hint in errors]
    participants = _without_shared_aliases(participants, seen, labels, path, problems, broken)
    kept = {p.email for p in participants}
    return RosterResult(participants, problems, frozenset(broken - kept))


def _without_shared_aliases(
    people: list[Participant], rows: dict[str, int], labels: dict[str, str], path: Path,
    problems: list[Problem], broken: set[str],
) -> list[Participant]:
    """Rows whose alias is another person's email or alias are left out and reported: a
    reply from that address could otherwise speak for either of them."""
    owners: dict[str, list[str]] = {p.email: [p.email] for p in people}
    for p in people:
        for alias in p.aliases:
            owners.setdefault(alias, []).append(p.email)
    kept = []
    for p in people:
        clash = [(a, o) for a in p.aliases for o in owners[a] if o != p.email]
        if not clash:
            kept.append(p)
            continue
        broken.add(p.email)
        alias, other = clash[0]
        problems.append(Problem(
            path.name, f"row {rows[p.email]}, column {labels.get('aliases', 'aliases')}",
            f"alias '{alias}' is also an address of {other} (row {rows[other]})",
            "each address belongs to one person only"))
    return kept


def check_drop(
    previous: set[str], current: set[str], max_share: float, where: str
) -> Problem | None:
    """Refuse a roster that suddenly loses more than `max_share` of the people (a cut export)."""
    if not previous:
        return None
    dropped = sorted(previous - current)
    share = len(dropped) / len(previous)
    if share <= max_share:
        return None
    sample = ", ".join(dropped[:5]) + (", ..." if len(dropped) > 5 else "")
    return Problem(
        where, "roster",
        f"{len(dropped)} of {len(previous)} people ({share:.0%}) are missing compared with the "
        f"last good roster ({sample}), more than roster.max_drop_share ({max_share:.0%}); "
        "this looks like a truncated export, so the new roster was not applied",
        "if the removals are intended, run `binome check --accept-roster` "
        "or raise roster.max_drop_share",
    )


# -- one row ------------------------------------------------------------------
@dataclass(frozen=True)
class _Defaults:
    timezone: str
    language: Language
    max_mentees: int


def _participant(
    values: dict[str, str], defaults: _Defaults, errors: list[tuple[str, str, str]]
) -> Participant | None:
    """The row as a participant, appending every problem found to `errors`."""
    def check(field: str, parse: Callable[[str], T], fallback: T) -> T:
        try:
            return parse(values.get(field, ""))
        except _Bad as bad:
            errors.append((field, bad.message, bad.hint))
            return fallback  # keeps checking the other cells, so all are reported at once

    email = check("email", _email, "")
    manager = check("manager_email", _manager, None)
    if email and manager == email:
        errors.append(("manager_email", f"'{email}' is named as their own manager",
                       "the email of the person they report to, or empty"))
    no_skills: tuple[tuple[str, ...], tuple[tuple[str, int], ...]] = ((), ())
    teaches, teach_levels = check("teaches", _skills, no_skills)
    learns, learn_levels = check("learns", _skills, no_skills)
    no_roles: frozenset[Role] = frozenset()
    roles = check("roles", lambda v: _roles(v, teaches, learns), no_roles)
    timezone = check("timezone", lambda v: _timezone(v) if v else defaults.timezone, "")
    language = check("language", lambda v: _language(v) if v else defaults.language,
                     defaults.language)
    max_mentees = check("max_mentees", _max_mentees, None)
    external = check("external", _external, False)
    country = check("country", _country, "")
    region = check("region", lambda v: _region(v, country, timezone), "")
    no_aliases: tuple[str, ...] = ()
    aliases = check("aliases", lambda v: _aliases(v, email), no_aliases)
    if errors:
        return None
    if max_mentees is None and "mentor" in roles:
        max_mentees = defaults.max_mentees
    return Participant(
        email=email, name=values.get("name", ""), roles=roles, teaches=teaches, learns=learns,
        manager_email=manager, team=values.get("team", ""), timezone=timezone,
        language=language, max_mentees=max_mentees, external=external,
        teach_levels=teach_levels, learn_levels=learn_levels, country=country, region=region,
        aliases=aliases,
    )


def _email(value: str) -> str:
    if not value:
        raise _Bad("missing email", "jeanne.martin@example.com")
    if not valid_email(value):
        raise _Bad(f"invalid email '{value}'", "jeanne.martin@example.com")
    return value.lower()


def _aliases(value: str, email: str) -> tuple[str, ...]:
    """Other addresses of the person, separated by `;` or `,` (or spaces)."""
    found: dict[str, None] = {}
    for word in re.split(r"[;,\s]+", value):
        if not word:
            continue
        if not valid_email(word):
            raise _Bad(f"invalid alias '{word}'", "jeanne@gmail.com; j.martin@example.com")
        if word.lower() != email:
            found[word.lower()] = None
    return tuple(found)


def _country(value: str) -> str:
    code = value.strip().upper()
    if code and not supported(code):
        raise _Bad(f"unknown country code '{value}'", "FR, CA, BE... (ISO 3166), or empty")
    return code


def _region(value: str, country: str, timezone: str) -> str:
    code = value.strip().upper()
    where = country or country_of(Participant("", "", frozenset(), timezone=timezone))
    if code and not supported(where, code):
        raise _Bad(f"unknown region '{value}' for country {where or '(none)'}",
                   "QC for Québec, 57 for Moselle, or empty")
    return code


def _manager(value: str) -> str | None:
    if not value:
        return None
    if not valid_email(value):
        raise _Bad(f"invalid manager email '{value}'", "paul.durand@example.com, or empty")
    return value.lower()


def _skills(value: str) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    try:
        return parse_skills(value)
    except LevelError as bad:
        raise _Bad(str(bad), f"Excel:expert; SQL:3 ({LEVEL_HINT})") from None


def _roles(value: str, teaches: tuple[str, ...], learns: tuple[str, ...]) -> frozenset[Role]:
    words = [w for w in re.split(r"[;,\s]+", value) if w]
    unknown = [w for w in words if skill_key(w) not in _ROLES]
    if unknown:
        raise _Bad(f"unknown role {', '.join(repr(w) for w in unknown)}",
                   "mentor, mentee or peer (or mentoré, pair, binôme); several separated by spaces")
    roles: set[Role] = {_ROLES[skill_key(w)] for w in words}
    # An empty cell is read from the skills, so a roster without a role column still works.
    if not roles:
        roles |= {"mentor"} if teaches else set()
        roles |= {"mentee"} if learns else set()
    if not roles:
        raise _Bad("no role, and nothing to teach or learn", "mentor; peer")
    return frozenset(roles)


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def _timezone(value: str) -> str:
    name = _zones().get(value.casefold())
    if name is not None:
        return name  # "europe/paris" is what they meant; ZoneInfo is case-sensitive on Linux
    close = difflib.get_close_matches(value, sorted(_zones().values()), n=1)
    raise _Bad(f"unknown time zone '{value}'", close[0] if close else "Europe/Paris")


def _language(value: str) -> Language:
    key = re.split(r"[-_]", skill_key(value))[0]  # "fr-FR" and "en_GB" mean fr and en
    if key not in _LANGUAGES:
        raise _Bad(f"unknown language '{value}'", " or ".join(get_args(Language)))
    return _LANGUAGES[key]


def _max_mentees(value: str) -> int | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))  # "2,0" from a French spreadsheet
    except ValueError:
        number = -1.0  # reported below with the same message as an out-of-range number
    if not number.is_integer() or not 0 <= number <= MAX_MENTEES:
        raise _Bad(f"max_mentees '{value}' is not a whole number from 0 to {MAX_MENTEES}",
                         "2")
    return int(number)


def _external(value: str) -> bool:
    key = skill_key(value)
    if key in _YES or key in _NO:
        return key in _YES
    raise _Bad(f"'{value}' is not yes or no", "yes, no, oui, non, or empty for no")


# -- files --------------------------------------------------------------------
def _map_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        field = _COLUMNS.get(_norm(title))
        if field is not None:
            columns.setdefault(field, index)  # a repeated column: the first one counts
    return columns


def _read_table(path: Path) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """(header row number, header, [(row number, cells)]) of the first sheet or the CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read the roster: {exc.strerror or exc}") from None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(f"{path}: old Excel (.xls) files are not read; save it as .xlsx or CSV")
    table = _xlsx_rows(path) if data.startswith(b"PK\x03\x04") else _csv_rows(path, data)
    numbered = [(n, cells) for n, cells in enumerate(table, start=1)]
    for i, (number, cells) in enumerate(numbered):
        if any(c.strip() for c in cells):
            return number, cells, numbered[i + 1:]
    raise UserError(f"{path}: the roster is empty (no header row)")


def _csv_rows(path: Path, data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # what Excel in France saves as "CSV (séparateur: ;)"
        except UnicodeDecodeError:
            raise UserError(f"{path}: the roster is neither UTF-8 nor Windows-1252 text; "
                            "save it as 'CSV UTF-8'") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The header decides: a cell there never holds a separator, unlike skill lists.
    delimiter = max(";,\t", key=first.count)
    # A StringIO, not splitlines(): a quoted cell may hold a line break.
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(path: Path) -> list[list[str]]:
    import openpyxl  # only for spreadsheets: keeps CSV-only runs light

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike for a bad file
        raise UserError(f"{path}: cannot read the spreadsheet: {exc}") from None
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 2.0 is how Excel stores the number 2
    return str(value)

