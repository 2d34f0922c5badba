"""From `[backend.caldav]` to the `caldav` calendar: the account, the programme's calendar
(found by display name or URL, created if missing), and what `binome check` says."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from agent.core.credentials import resolve_secret
from agent.core.errors import ProviderError, UserError
from agent.providers.base import Mailbox
from agent.providers.caldav.calendar import CalDavCalendar
from agent.providers.caldav.freebusy import OthersBusy
from agent.providers.caldav.settings import CalDavSettings
from agent.providers.installation import Installation

LOCALHOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _table(table: CalDavSettings | None) -> CalDavSettings:
    if table is None:
        raise UserError('calendar = "caldav" needs a [backend.caldav] table (url, username, '
                        "password_env...; see config/example.toml)")
    parts = urlsplit(table.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"[backend.caldav] url = {table.url!r} is not an http(s) address")
    if parts.scheme == "http" and parts.hostname not in LOCALHOSTS:
        raise UserError(f"[backend.caldav] url = {table.url!r}: plain http is refused for a "
                        "host other than localhost (the password would travel in clear); "
                        "use https")
    return table


def collection_opener(table: CalDavSettings, site: Installation) -> Callable[[], Any]:
    """What connects and returns the programme's calendar collection (created if missing)."""
    table = _table(table)
    password = resolve_secret("backend.caldav.password", table.password_env,
                              table.password_command)

    def open_collection() -> Any:
        from caldav.davclient import DAVClient

        verify: bool | str = str(site.settings_path(table.ca_file)) if table.ca_file else True
        client: Any = DAVClient(url=table.url, username=table.username, password=password,
                                  ssl_verify_cert=verify, timeout=int(table.timeout_seconds))
        principal = client.principal()
        for collection in principal.calendars():
            if table.calendar in (str(collection.url), collection.get_display_name()):
                return collection
        if table.calendar.startswith(("http://", "https://")):
            raise UserError(f"[backend.caldav] calendar = {table.calendar!r}: no calendar of "
                            f"{table.username} has that address")
        return principal.make_calendar(name=table.calendar)

    return open_collection


def open_calendar(table: CalDavSettings | None, site: Installation,
                  mailbox: Callable[[], Mailbox]) -> CalDavCalendar:
    """The `caldav` calendar; `mailbox` opens the mailbox invitations go through, unless
    the server sends them."""
    from agent.core.secret import reply_secret

    checked = _table(table)
    box = mailbox() if checked.invitations != "server" else None
    return CalDavCalendar(collection_opener(checked, site), reply_secret(site.state_dir),
                          site.clock, box, checked.invitations, site.wording,
                          where=f"CalDAV {checked.url}", programme_email=site.programme_email)


def check_lines(table: CalDavSettings | None, site: Installation) -> tuple[list[str], bool]:
    """What `binome check` prints about the CalDAV server, step by step."""
    try:
        checked = _table(table)
        opener = collection_opener(checked, site)
    except UserError as exc:
        return [f"caldav: {exc}"], False
    try:
        collection = opener()
        client = collection.client
        lines = [f"caldav: {checked.url}: logged in as {checked.username}",
                 f"caldav: calendar {collection.get_display_name()!r} at {collection.url}"]
        auto = bool(client.check_scheduling_support())
    except (UserError, ProviderError) as exc:
        return [f"caldav: {exc}"], False
    except Exception as exc:  # noqa: BLE001 - DNS, TLS, login: said as the library says it
        inner = _innermost(exc)
        return [f"caldav: {checked.url}: {_step(exc)}: {type(inner).__name__}: {inner}"], False
    mode = {"server": "the server sends them (invitations = \"server\")",
            "email": "the agent sends them by email (invitations = \"email\")",
            "auto": "the server offers scheduling (RFC 6638); the agent mails those it does "
                    "not take" if auto else "the server does no scheduling: the agent sends "
                    "them by email"}[checked.invitations]
    lines.append(f"caldav: invitations: {mode}")
    if checked.invitations == "server" and not auto:
        # Nobody would ever be invited: the server sends nothing and neither would we.
        lines.append("caldav: invitations: but the server offers no scheduling (RFC 6638): "
                     "nobody would be invited; set invitations = \"auto\" or \"email\"")
        return lines, False
    try:
        lines.append(f"caldav: {OthersBusy(site.programme_email).describe(collection)}")
    except Exception as exc:  # noqa: BLE001 - said as the library says it
        lines.append(f"caldav: free/busy: {type(exc).__name__}: {exc}")
        return lines, False
    return lines, True


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it, outermost first: requests wraps urllib3's retry
    error, which wraps the resolver's, the socket's or the TLS layer's (`reason`)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 10:
        found.append(current)
        reason = getattr(current, "reason", None)
        first = current.args[0] if current.args else None
        current = (reason if isinstance(reason, BaseException) else
                   first if isinstance(first, BaseException) else
                   current.__cause__ or current.__context__)
    return found


def _innermost(exc: BaseException) -> BaseException:
    """What went wrong underneath the library's wrappers (what an admin can act on)."""
    return _chain(exc)[-1]


def _step(exc: BaseException) -> str:
    text = " ".join(f"{type(e).__name__} {e}" for e in _chain(exc)).lower()
    # Whole numbers only: a port ("https://127.0.0.1:38401/") or an object's address in the
    # chain's text ("at 0x7f...401...") holds "401" too, and made a refused connection read
    # as a refused login.
    if "authoriz" in text or re.search(r"(?<![\w.:])40[13]\b", text):
        return "login"
    if "name or service" in text or "resolve" in text or "gaierror" in text:
        return "DNS"
    if "ssl" in text or "certificate" in text or "tls" in text:
        return "TLS"
    return "connect"
