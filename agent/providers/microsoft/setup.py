"""Builds the Microsoft backends from the settings (the providers never read them).

Also what `binome auth microsoft` needs beyond the contract: `sign_in`.
exchangelib (and lxml with it) is imported only when an `exchange` backend is opened.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.core.clock import Clock
from agent.core.credentials import resolve_secret
from agent.core.errors import ProviderError, UserError
from agent.programme.settings import Settings
from agent.providers.microsoft.graph_auth import CachedSignIn, ClientCredentials
from agent.providers.microsoft.graph_calendar import GraphCalendar
from agent.providers.microsoft.graph_http import Graph
from agent.providers.microsoft.graph_mail import GraphMailbox
from agent.providers.microsoft.settings import Microsoft365Settings


def _m365(settings: Settings) -> Microsoft365Settings:
    table = settings.backend.microsoft365
    if table is None:
        raise UserError(f"{settings.source}: backend 'microsoft365' needs a "
                        "[backend.microsoft365] table with tenant and client_id "
                        "(see config/example.toml)")
    return table


def _under(folder: Path, path: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else folder / path


def _ca(settings: Settings, ca_bundle: Path | None) -> Path | None:
    return None if ca_bundle is None else _under(settings.source.parent, ca_bundle)


def _authority(m365: Microsoft365Settings) -> str:
    return f"{m365.authority_host.rstrip('/')}/{m365.tenant}"


def cached_sign_in(settings: Settings) -> CachedSignIn:
    m365 = _m365(settings)
    return CachedSignIn(_authority(m365), m365.client_id,
                        _under(settings.state_dir, m365.cache_file), _ca(settings, m365.ca_bundle))


def graph(settings: Settings) -> tuple[Graph, str]:
    """A Graph client for the programme mailbox, and that mailbox."""
    m365 = _m365(settings)
    ca = _ca(settings, m365.ca_bundle)
    token: Callable[[], str]
    if m365.sign_in == "device_code":
        token = cached_sign_in(settings)
    else:
        secret = resolve_secret("backend.microsoft365.client_secret", m365.client_secret_env,
                                m365.client_secret_command)
        token = ClientCredentials(_authority(m365), m365.client_id, secret, ca)
    verify: ssl.SSLContext | bool = True
    if ca is not None:
        verify = ssl.create_default_context(cafile=str(ca))
    client = Graph(m365.graph_url, token, verify=verify, max_wait=m365.max_wait_seconds)
    return client, (m365.mailbox or settings.organisation.programme_email).lower()


def m365_calendar(settings: Settings, clock: Clock) -> GraphCalendar:
    client, mailbox = graph(settings)
    return GraphCalendar(client, mailbox, clock)


def m365_mailbox(settings: Settings) -> GraphMailbox:
    client, mailbox = graph(settings)
    return GraphMailbox(client, mailbox)


def sign_in(settings: Settings, show: Callable[[str], None]) -> str:
    """Device-code sign-in for `binome auth microsoft`; returns who signed in."""
    if _m365(settings).sign_in != "device_code":
        raise UserError(f"{settings.source}: backend.microsoft365.sign_in is 'app' (an app "
                        "secret): nobody signs in. Set sign_in = \"device_code\" to sign in "
                        "as the programme mailbox.")
    try:
        return cached_sign_in(settings).sign_in(show)
    except ProviderError as exc:
        raise UserError(str(exc)) from None


def exchange_account(settings: Settings) -> Any:
    """exchangelib's account for the programme mailbox (exchangelib loads only here)."""
    from agent.providers.microsoft.ews_account import open_account

    table = settings.backend.exchange
    if table is None:
        raise UserError(f"{settings.source}: backend 'exchange' needs a [backend.exchange] "
                        "table with endpoint and username (see config/example.toml)")
    password = resolve_secret("backend.exchange.password", table.password_env,
                              table.password_command)
    mailbox = (table.mailbox or settings.organisation.programme_email).lower()
    return open_account(table.endpoint, table.version, table.username, password, mailbox,
                        autodiscover=table.autodiscover,
                        auth_type="NTLM" if table.auth == "ntlm" else "basic",
                        max_wait=table.max_wait_seconds)


def exchange_calendar(settings: Settings, clock: Clock) -> Any:
    from agent.providers.microsoft.ews_calendar import ExchangeCalendar

    return ExchangeCalendar(exchange_account(settings), clock)


def exchange_mailbox(settings: Settings) -> Any:
    from agent.providers.microsoft.ews_mail import ExchangeMailbox

    return ExchangeMailbox(exchange_account(settings))
