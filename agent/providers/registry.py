"""Backend registry: a plain name -> dotted path table, imported lazily.

Lives above `providers` (it reads the settings) so providers never import the
configuration. Adding a backend is one line here and one module there.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

from agent.core.clock import Clock
from agent.core.errors import UserError
from agent.programme.settings import Settings
from agent.providers.base import Calendar, Mailbox

CALENDARS = {"local": "agent.providers.local.calendar:LocalCalendar"}
MAILBOXES = {"local": "agent.providers.local.calendar:LocalMailbox"}
# Backends that need more than a folder: name -> factory(settings, clock) / factory(settings).
CALENDAR_FACTORIES = {"google": "agent.providers.google.setup:open_calendar",
                      "microsoft365": "agent.providers.microsoft.setup:m365_calendar",
                      "exchange": "agent.providers.microsoft.setup:exchange_calendar"}
MAILBOX_FACTORIES = {"google": "agent.providers.google.setup:open_mailbox",
                     "microsoft365": "agent.providers.microsoft.setup:m365_mailbox",
                     "exchange": "agent.providers.microsoft.setup:exchange_mailbox"}
# name -> notes(settings) -> lines that `binome check` prints about that backend's auth.
NOTES = {"google": "agent.providers.google.setup:auth_notes"}


def _load(table: dict[str, str], name: str, what: str) -> Any:
    try:
        dotted = table[name]
    except KeyError:
        known = ", ".join(sorted({**CALENDARS, **CALENDAR_FACTORIES} if what == "calendar"
                                 else {**MAILBOXES, **MAILBOX_FACTORIES}))
        raise UserError(f"unknown {what} backend '{name}' (known: {known})") from None
    module, _, attr = dotted.partition(":")
    return getattr(importlib.import_module(module), attr)


def open_calendar(settings: Settings, clock: Clock) -> Calendar:
    name = settings.backend.calendar
    if name in CALENDAR_FACTORIES:
        return cast(Calendar, _load(CALENDAR_FACTORIES, name, "calendar")(settings, clock))
    cls = _load(CALENDARS, name, "calendar")
    return cast(Calendar, cls(settings.local_dir, clock))


def open_mailbox(settings: Settings) -> Mailbox:
    name = settings.backend.mail
    if name in MAILBOX_FACTORIES:
        return cast(Mailbox, _load(MAILBOX_FACTORIES, name, "mail")(settings))
    cls = _load(MAILBOXES, name, "mail")
    return cast(Mailbox, cls(settings.local_dir))


def backend_notes(settings: Settings) -> list[str]:
    """Lines about the configured backends' authorization, for `binome check`."""
    names = dict.fromkeys([settings.backend.calendar, settings.backend.mail])
    return [line for name in names if name in NOTES for line in _load(NOTES, name, "")(settings)]
