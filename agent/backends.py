"""Backend registry: a plain name -> dotted path table, imported lazily.

Lives above `providers` (it reads the settings) so providers never import the
configuration. Adding a backend is one line here and one module there.
"""

from __future__ import annotations

import importlib
from typing import cast

from agent.clock import Clock
from agent.config import Settings
from agent.errors import UserError
from agent.providers.base import Calendar, Mailbox

CALENDARS = {"local": "agent.providers.local:LocalCalendar"}
MAILBOXES = {"local": "agent.providers.local:LocalMailbox"}


def _load(table: dict[str, str], name: str, what: str) -> type:
    try:
        dotted = table[name]
    except KeyError:
        known = ", ".join(sorted(table))
        raise UserError(f"unknown {what} backend '{name}' (known: {known})") from None
    module, _, attr = dotted.partition(":")
    return cast(type, getattr(importlib.import_module(module), attr))


def open_calendar(settings: Settings, clock: Clock) -> Calendar:
    cls = _load(CALENDARS, settings.backend.calendar, "calendar")
    return cast(Calendar, cls(settings.local_dir, clock))


def open_mailbox(settings: Settings) -> Mailbox:
    cls = _load(MAILBOXES, settings.backend.mail, "mail")
    return cast(Mailbox, cls(settings.local_dir))
