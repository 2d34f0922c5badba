"""Backend registry: a plain name -> dotted path table, imported lazily.

Lives above `providers` (it reads the settings) so providers never import the
configuration. Adding a backend is one line here and one module there.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from agent.clock import Clock
from agent.config import Settings
from agent.errors import UserError
from agent.providers.base import Calendar, Mailbox

CALENDARS = {"local": "agent.providers.local:LocalCalendar"}
MAILBOXES = {"local": "agent.providers.local:LocalMailbox"}
# Backends with their own settings table: a factory given the settings (and the clock).
CALENDAR_FACTORIES = {"microsoft365": "agent.backends_microsoft:m365_calendar",
                      "exchange": "agent.backends_microsoft:exchange_calendar"}
MAILBOX_FACTORIES = {"microsoft365": "agent.backends_microsoft:m365_mailbox",
                     "exchange": "agent.backends_microsoft:exchange_mailbox"}


def _load(table: dict[str, str], name: str, what: str) -> Callable[..., object]:
    try:
        dotted = table[name]
    except KeyError:
        known = ", ".join(sorted({**CALENDARS, **CALENDAR_FACTORIES} if what == "calendar"
                                 else {**MAILBOXES, **MAILBOX_FACTORIES}))
        raise UserError(f"unknown {what} backend '{name}' (known: {known})") from None
    module, _, attr = dotted.partition(":")
    return cast(Callable[..., object], getattr(importlib.import_module(module), attr))


def open_calendar(settings: Settings, clock: Clock) -> Calendar:
    if settings.backend.calendar in CALENDAR_FACTORIES:
        factory = _load(CALENDAR_FACTORIES, settings.backend.calendar, "calendar")
        return cast(Calendar, factory(settings, clock))
    cls = _load(CALENDARS, settings.backend.calendar, "calendar")
    return cast(Calendar, cls(settings.local_dir, clock))


def open_mailbox(settings: Settings) -> Mailbox:
    if settings.backend.mail in MAILBOX_FACTORIES:
        factory = _load(MAILBOX_FACTORIES, settings.backend.mail, "mail")
        return cast(Mailbox, factory(settings))
    cls = _load(MAILBOXES, settings.backend.mail, "mail")
    return cast(Mailbox, cls(settings.local_dir))
