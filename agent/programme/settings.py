"""Settings: the admin's one TOML file, validated all at once.

`load_settings` lists every problem of the file in one `UserError` (pydantic's
type and range checks, plus what pydantic cannot know: whether a time zone
exists, an address is an email, lunch falls inside working hours, the roster
file is there). Unknown keys are warnings, with the closest known key, so a
typo never silently changes behaviour. Secrets are never read from the file:
a secret key names an environment variable (`<key>_env`) or a command printing
it (`<key>_command`), resolved by `resolve_secret` (agent.core.credentials,
re-exported here).
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date, time
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Any, TypeVar, get_args, get_origin
from zoneinfo import available_timezones

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from agent.core.clock import Clock
from agent.core.credentials import resolve_secret
from agent.core.errors import Problem, UserError
from agent.core.model import skill_key
from agent.programme.roster.cells import valid_email
from agent.programme.schema import (
    AgentSettings,
    DigestSettings,
    FormatSettings,
    Hours,
    MailSettings,
    MatchingSettings,
    Organisation,
    Programme,
    RosterSettings,
    Settings,
    StateSettings,
    Weekday,
    parse_quiet,
)
from agent.providers.installation import Installation
from agent.providers.settings import Backend, LocalBackend

__all__ = [
    "AgentSettings",
    "Backend",
    "DigestSettings",
    "FormatSettings",
    "Hours",
    "LocalBackend",
    "MailSettings",
    "MatchingSettings",
    "Organisation",
    "Programme",
    "RosterSettings",
    "Settings",
    "StateSettings",
    "Weekday",
    "parse_quiet",
    "installation",
    "load_settings",
    "resolve_secret",
]

# -- loading ------------------------------------------------------------------
_M = TypeVar("_M", bound=BaseModel)
_SECRET_WORDS = ("password", "secret", "token", "api_key", "client_secret")
_SECRET_SOURCES = ("_env", "_command")
# Examples for the keys without a default (the others show their default).
_EXAMPLES = {
    "organisation.name": '"Atelier Lumière"',
    "organisation.admin_email": '"rh@example.com"',
    "organisation.programme_email": '"binome@example.com"',
    "roster.path": '"roster.csv"',
    "programme.start": "2026-09-01",
    "every_weeks": "2",
    "minutes": "45",
}


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """The settings in `path` and the warnings about them; `UserError` lists every problem."""
    where = str(path)
    raw = _read_toml(path)
    problems = list(_secret_problems(where, raw))
    warnings = [
        f"{where}: unknown key '{key}' (ignored{_suggest(word, known)})"
        for key, word, known in _unknown_keys(raw, Settings)
        if not _is_secret(word)  # already a problem, no need to say it twice
    ]
    raw.pop("source", None)  # set by the loader, never by the file
    folder = path.resolve().parent
    settings: Settings | None = None
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        problems += [_pydantic_problem(where, error) for error in exc.errors()]
    problems += _semantic_problems(where, raw, folder)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        # Unknown keys are said too: a typo is often the cause of the problem beside it.
        also = [Problem(where, key, f"unknown key (ignored{_suggest(word, known)})")
                for key, word, known in _unknown_keys(raw, Settings) if not _is_secret(word)]
        raise UserError(f"{where}: {count} in the settings", problems + also)
    assert settings is not None  # no problems means validation succeeded
    return _resolved(settings, path.resolve(), folder), warnings


def installation(settings: Settings, clock: Clock) -> Installation:
    """What the backends may know of this installation: they never read the settings."""
    return Installation(settings_file=settings.source, state_dir=settings.state_dir,
                        local_dir=settings.local_dir,
                        programme_email=settings.organisation.programme_email, clock=clock)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")  # a BOM from Windows Notepad is harmless
    except OSError as exc:
        raise UserError(f"{path}: cannot read the settings file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise UserError(f"{path}: line {line}: not UTF-8 text; save the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message says "(at line N, column M)"
        raise UserError(f"{path}: not valid TOML: {exc}") from None


def _is_secret(key: str) -> bool:
    key = key.lower()
    return any(w in key for w in _SECRET_WORDS) and not key.endswith(_SECRET_SOURCES)


def _secret_problems(where: str, raw: Mapping[str, Any], prefix: str = "") -> Iterator[Problem]:
    for key, value in raw.items():
        if isinstance(value, dict):
            yield from _secret_problems(where, value, f"{prefix}{key}.")
        elif _is_secret(key):
            yield Problem(where, f"{prefix}{key}", "secrets are never written in the settings "
                          "file; remove the value (and change it if the file was shared)",
                          f'{key}_env = "BINOME_{key.upper()}" or {key}_command = "pass show x"')


def _unknown_keys(
    raw: Mapping[str, Any], model: type[BaseModel], prefix: str = ""
) -> Iterator[tuple[str, str, list[str]]]:
    """(dotted key, key, known keys at that level) for each key the schema does not have."""
    known = [k for k in model.model_fields if not (model is Settings and k == "source")]
    for key, value in raw.items():
        sub = model.model_fields[key].annotation if key in known else None
        # An optional sub-table (`X | None`) is checked like a required one.
        if isinstance(sub, UnionType):
            sub = next(a for a in get_args(sub) if a is not type(None))
        if sub is None:
            yield f"{prefix}{key}", key, known
        elif isinstance(value, dict) and isinstance(sub, type) and issubclass(sub, BaseModel):
            yield from _unknown_keys(value, sub, f"{prefix}{key}.")
        elif isinstance(value, dict) and get_origin(sub) is dict:  # [skills."Excel"] tables
            item = get_args(sub)[1]
            for name, table in value.items():
                if isinstance(table, dict):
                    yield from _unknown_keys(table, item, f'{prefix}{key}."{name}".')


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _pydantic_problem(where: str, error: Mapping[str, Any]) -> Problem:
    location = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])[1:]
    message = "missing" if error["type"] == "missing" else str(error["msg"])
    if error["type"] != "missing" and not isinstance(error.get("input"), dict):
        message += f", got {_toml(error['input'])}"
    return Problem(where, location, message, _hint([p for p in error["loc"] if isinstance(p, str)]))


def _hint(loc: list[str]) -> str:
    """An example of a right value for the key at `loc`: its default, or a made-up one."""
    model: type[BaseModel] = Settings
    for depth, key in enumerate(loc):
        field = model.model_fields.get(key)
        sub = field.annotation if field else None
        if isinstance(sub, type) and issubclass(sub, BaseModel) and depth + 1 < len(loc):
            model = sub
            continue
        if field is None:
            return ""
        dotted = ".".join(loc[: depth + 1])
        example = _EXAMPLES.get(dotted) or _EXAMPLES.get(key)
        if example is None and field.default is not PydanticUndefined:
            default = field.default
            example = _toml(default.model_dump() if isinstance(default, BaseModel) else default)
        if example is None and isinstance(sub, type) and issubclass(sub, BaseModel):
            needed = [k for k, f in sub.model_fields.items() if f.is_required()]
            return f"a [{dotted}] table with {', '.join(needed)}"
        return f"{key} = {example}" if example else ""
    return ""


def _toml(value: Any) -> str:
    """`value` as it would be written in TOML, for hints and messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, time):
        return f'"{value:%H:%M}"'
    if isinstance(value, date | Path):
        return value.isoformat() if isinstance(value, date) else json.dumps(value.as_posix())
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


def _section(model: type[_M], raw: Mapping[str, Any], key: str) -> _M | None:
    """`raw[key]` validated alone, or None if it is invalid (pydantic has reported why)."""
    try:
        return model.model_validate(raw.get(key, {}))
    except ValidationError:
        return None


def _semantic_problems(where: str, raw: Mapping[str, Any], folder: Path) -> list[Problem]:
    """What pydantic cannot check. Each section is checked if it is valid on its own, so
    a mistake in one section does not hide the mistakes of another."""
    problems: list[Problem] = []

    def add(location: str, message: str, hint: str) -> None:
        problems.append(Problem(where, location, message, hint))

    org = _section(Organisation, raw, "organisation")
    if org is not None and _CONTROL.search(org.name):
        # It is the sender's name of every email: a line break there would end the header.
        add("organisation.name", "contains a line break or another control character",
            'name = "Atelier Lumière" (one line)')
    if org is not None and org.timezone not in _zones():
        close = difflib.get_close_matches(org.timezone, sorted(_zones()), n=1) or ["Europe/Paris"]
        add("organisation.timezone", f"unknown time zone '{org.timezone}'",
            f'timezone = "{close[0]}"')
    for key in ("admin_email", "programme_email") if org is not None else ():
        if not valid_email(getattr(org, key)):
            add(f"organisation.{key}", f"'{getattr(org, key)}' is not an email address",
                f"{key} = {_EXAMPLES['organisation.' + key]}")
    hours = _section(Hours, raw, "hours")
    if hours is not None:
        start, end, lunch, lunch_end = hours.start, hours.end, hours.lunch_start, hours.lunch_end
        if start >= end:
            add("hours.end", f"working hours end ({end:%H:%M}) at or before they start "
                f"({start:%H:%M})", 'start = "09:00", end = "18:00"')
        elif not start <= lunch < lunch_end <= end:
            add("hours.lunch_start", f"lunch {lunch:%H:%M}-{lunch_end:%H:%M} is not inside "
                f"working hours {start:%H:%M}-{end:%H:%M}",
                'lunch_start = "12:00", lunch_end = "14:00"')
        if not hours.days:
            add("hours.days", "no working day", 'days = ["mon", "tue", "wed", "thu", "fri"]')
        for i, entry in enumerate(hours.quiet):
            if parse_quiet(entry) is None:
                add(f"hours.quiet[{i}]", f"'{entry}' is not a day and a time range",
                    'quiet = ["fri 16:00-18:00"]')
    programme = _section(Programme, raw, "programme")
    if programme is not None and not programme.formats:
        add("programme.formats", "no format chosen", 'formats = ["mentoring", "pair"]')
    matching = _section(MatchingSettings, raw, "matching")
    for name in ("pin", "forbid") if matching is not None else ():
        for i, pair in enumerate(getattr(matching, name)):
            for email in pair:
                if not valid_email(email):
                    add(f"matching.{name}[{i}]", f"'{email}' is not an email address",
                        f'{name} = [["anne@example.com", "bruno@example.com"]]')
    if matching is not None and matching.workshop_min > matching.workshop_max:
        add("matching.workshop_max", f"smaller than workshop_min ({matching.workshop_min})",
            "workshop_min = 3, workshop_max = 8")
    skills = raw.get("skills")
    seen: dict[str, str] = {}
    for name in skills if isinstance(skills, dict) else ():
        other = seen.setdefault(skill_key(str(name)), str(name))
        if other != name:  # "Excel" and "excel " are one skill for the roster
            add(f'skills."{name}"', f'the same skill as skills."{other}"',
                "one table per skill")
    # Read from the raw table: a bad max_drop_share must not hide a missing file.
    roster = raw.get("roster")
    if isinstance(roster, dict) and isinstance(roster.get("path"), str) and roster["path"]:
        found = _under(folder, Path(roster["path"]))
        if not found.is_file():
            add("roster.path", f"roster file not found: {found}",
                'path = "roster.csv" (relative to the folder of this settings file)')
    return problems


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _under(folder: Path, path: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else folder / path


def _resolved(settings: Settings, source: Path, folder: Path) -> Settings:
    """Relative paths made absolute against the settings file's folder, `source` set."""
    roster = settings.roster.model_copy(update={"path": _under(folder, settings.roster.path)})
    state = settings.state.model_copy(update={"path": _under(folder, settings.state.path)})
    mail = settings.mail
    if mail.templates is not None:
        mail = mail.model_copy(update={"templates": _under(folder, mail.templates)})
    return settings.model_copy(
        update={"roster": roster, "state": state, "mail": mail, "source": source})
