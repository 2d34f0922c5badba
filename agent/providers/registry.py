"""Backend registry: a plain name -> opener table; each opener imports its backend lazily.

An opener takes the `[backend]` table and an `Installation` (plain values that the
caller builds from its settings), so nothing here or below reads the settings file.
Opening the `local` backend imports no client library (googleapiclient, msal,
exchangelib): each backend's modules load the first time it is opened. Openers are
typed, so the type checker sees that each backend is a `Calendar` or a `Mailbox`.
Adding a backend is one opener here and one line in each table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from agent.core.errors import UserError
from agent.providers.base import Calendar, Mailbox
from agent.providers.installation import Installation
from agent.providers.settings import Backend

Opener = TypeVar("Opener")


def _local_calendar(backend: Backend, site: Installation) -> Calendar:
    from agent.providers.local.calendar import LocalCalendar

    return LocalCalendar(site.local_dir, site.clock)


def _local_mailbox(backend: Backend, site: Installation) -> Mailbox:
    from agent.providers.local.maildir import LocalMailbox

    return LocalMailbox(site.local_dir)


def _google_calendar(backend: Backend, site: Installation) -> Calendar:
    from agent.providers.google.setup import open_calendar

    return open_calendar(backend.google, site)


def _google_mailbox(backend: Backend, site: Installation) -> Mailbox:
    from agent.providers.google.setup import open_mailbox

    return open_mailbox(backend.google, site)


def _google_notes(backend: Backend, site: Installation) -> list[str]:
    from agent.providers.google.setup import auth_notes

    return auth_notes(backend.google, site)


def _m365_calendar(backend: Backend, site: Installation) -> Calendar:
    from agent.providers.microsoft.setup import m365_calendar

    return m365_calendar(backend.microsoft365, site)


def _m365_mailbox(backend: Backend, site: Installation) -> Mailbox:
    from agent.providers.microsoft.setup import m365_mailbox

    return m365_mailbox(backend.microsoft365, site)


def _exchange_calendar(backend: Backend, site: Installation) -> Calendar:
    from agent.providers.microsoft.setup import exchange_calendar

    return exchange_calendar(backend.exchange, site)


def _exchange_mailbox(backend: Backend, site: Installation) -> Mailbox:
    from agent.providers.microsoft.setup import exchange_mailbox

    return exchange_mailbox(backend.exchange, site)


def _imap_mailbox(backend: Backend, site: Installation) -> Mailbox:
    from agent.providers.imap.setup import open_mailbox

    return open_mailbox(backend.imap, backend.smtp, site)


def _email_calendar(backend: Backend, site: Installation) -> Calendar:
    from agent.core.secret import reply_secret
    from agent.providers.email.calendar import EmailCalendar

    # Invitations go out through the configured mailbox: the registry hands it over, so
    # the backends never import each other.
    return EmailCalendar(site.state_dir / "invitations", reply_secret(site.state_dir),
                         open_mailbox(backend, site), site.clock, site.wording)


def _caldav_calendar(backend: Backend, site: Installation) -> Calendar:
    from agent.providers.caldav.setup import open_calendar as open_caldav

    return open_caldav(backend.caldav, site, lambda: open_mailbox(backend, site))


def _caldav_notes(backend: Backend, site: Installation) -> list[str]:
    from agent.providers.caldav.setup import check_lines

    return check_lines(backend.caldav, site)[0]


def _imap_notes(backend: Backend, site: Installation) -> list[str]:
    from agent.providers.imap.setup import check_lines

    return check_lines(backend.imap, backend.smtp, site)[0]


CALENDARS: Mapping[str, Callable[[Backend, Installation], Calendar]] = {
    "local": _local_calendar, "google": _google_calendar,
    "microsoft365": _m365_calendar, "exchange": _exchange_calendar, "email": _email_calendar,
    "caldav": _caldav_calendar}
MAILBOXES: Mapping[str, Callable[[Backend, Installation], Mailbox]] = {
    "local": _local_mailbox, "google": _google_mailbox,
    "microsoft365": _m365_mailbox, "exchange": _exchange_mailbox, "imap": _imap_mailbox}
# name -> the lines that `binome check` prints about that backend's authorization.
NOTES: Mapping[str, Callable[[Backend, Installation], list[str]]] = {
    "google": _google_notes, "imap": _imap_notes, "caldav": _caldav_notes}


def _opener(table: Mapping[str, Opener], name: str, what: str) -> Opener:
    try:
        return table[name]
    except KeyError:
        raise UserError(f"unknown {what} backend '{name}' "
                        f"(known: {', '.join(sorted(table))})") from None


def open_calendar(backend: Backend, site: Installation) -> Calendar:
    """The calendar backend that `backend.calendar` names, opened for `site`."""
    return _opener(CALENDARS, backend.calendar, "calendar")(backend, site)


def open_mailbox(backend: Backend, site: Installation) -> Mailbox:
    """The mail backend that `backend.mail` names, opened for `site`."""
    return _opener(MAILBOXES, backend.mail, "mail")(backend, site)


def backend_notes(backend: Backend, site: Installation) -> list[str]:
    """Lines about the configured backends' authorization, for `binome check`."""
    names = dict.fromkeys([backend.calendar, backend.mail])
    return [line for name in names if name in NOTES for line in NOTES[name](backend, site)]
