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

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import agent.programme.roster.cells as parse
from agent.core.errors import Problem, UserError
from agent.core.model import Language, Participant, Role, skill_key
from agent.programme.roster.table import Formula, map_columns, read_table

T = TypeVar("T")


@dataclass(frozen=True)
class RosterResult:
    """What the file said: the valid rows, the problems, the rows rejected."""

    participants: list[Participant]
    problems: list[Problem]
    broken_emails: frozenset[str]  # lower-cased emails of rejected rows (not of kept ones)


def load_roster(
    path: Path, *, default_timezone: str, default_language: str, default_max_mentees: int
) -> RosterResult:
    """Read `path`; raises `UserError` only when the file as a whole is unusable."""
    header_row, header, rows = read_table(path)
    columns = map_columns(header)
    if "email" not in columns:
        found = ", ".join(repr(h) for h in header if h) or "none"
        raise UserError(
            f"{path}: no email column in the header (row {header_row}); columns found: {found}. "
            "Name one column 'email' (or 'courriel')."
        )
    labels = {field: header[i].strip() for field, i in columns.items()}
    language = parse.LANGUAGES.get(skill_key(default_language), "fr")
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
        short = sorted((i, f) for f, i in columns.items() if i >= len(cells))
        if short:  # a separator lost: the cells after it sit in the wrong columns
            missing = ", ".join(labels[f] for _, f in short)
            errors.append((short[0][1], f"the row has {len(cells)} cells where the header has "
                                        f"{len(header)}: no cell for {missing}",
                           "one cell per column, empty ones too (a;b;;d)"))
        for field, i in columns.items():
            cell = cells[i] if i < len(cells) else ""
            if isinstance(cell, Formula):
                errors.append((field, f"cell {cell.coordinate} is a formula whose value the file "
                                      "does not hold (saved by a tool that computes none)",
                               "open the file in Excel or LibreOffice and save it again, or "
                               "type the value"))
        if email in seen:
            errors.append(("email", f"duplicate email '{email}' (already on row {seen[email]})",
                           "one row per person; merge the two rows"))
        person = _participant(values, defaults, errors)
        if person is not None and not errors:
            seen[email] = number
            participants.append(person)
            continue
        if parse.valid_email(email):
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
def one_line(text: str) -> str:
    """`text` on one line: line breaks, tabs and other control characters (a quoted cell
    may hold them) become single spaces. Names go into calendar titles and greetings."""
    # Control characters and line or paragraph separators only: a zero-width non-joiner
    # (a format character) belongs in some names.
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                            for c in text).split())


@dataclass(frozen=True)
class _Defaults:
    timezone: str
    language: Language
    max_mentees: int


def _participant(
    values: dict[str, str], defaults: _Defaults, errors: list[tuple[str, str, str]]
) -> Participant | None:
    """The row as a participant, appending every problem found to `errors`."""
    def check(field: str, read: Callable[[str], T], fallback: T) -> T:
        try:
            return read(values.get(field, ""))
        except parse.Bad as bad:
            errors.append((field, bad.message, bad.hint))
            return fallback  # keeps checking the other cells, so all are reported at once

    email = check("email", parse.email_cell, "")
    manager = check("manager_email", parse.manager_cell, None)
    if email and manager == email:
        errors.append(("manager_email", f"'{email}' is named as their own manager",
                       "the email of the person they report to, or empty"))
    no_skills: tuple[tuple[str, ...], tuple[tuple[str, int], ...]] = ((), ())
    teaches, teach_levels = check("teaches", parse.skills_cell, no_skills)
    learns, learn_levels = check("learns", parse.skills_cell, no_skills)
    no_roles: frozenset[Role] = frozenset()
    roles = check("roles", lambda v: parse.roles_cell(v, teaches, learns), no_roles)
    timezone = check("timezone", lambda v: parse.timezone_cell(v) if v else defaults.timezone,
                     "")
    language = check("language", lambda v: parse.language_cell(v) if v else defaults.language,
                     defaults.language)
    max_mentees = check("max_mentees", parse.max_mentees_cell, None)
    external = check("external", parse.external_cell, False)
    country = check("country", parse.country_cell, "")
    region = check("region", lambda v: parse.region_cell(v, country, timezone), "")
    no_aliases: tuple[str, ...] = ()
    aliases = check("aliases", lambda v: parse.aliases_cell(v, email), no_aliases)
    if errors:
        return None
    if max_mentees is None and "mentor" in roles:
        max_mentees = defaults.max_mentees
    return Participant(
        email=email, name=one_line(values.get("name", "")), roles=roles, teaches=teaches,
        learns=learns, manager_email=manager, team=one_line(values.get("team", "")),
        timezone=timezone,
        language=language, max_mentees=max_mentees, external=external,
        teach_levels=teach_levels, learn_levels=learn_levels, country=country, region=region,
        aliases=aliases,
    )


