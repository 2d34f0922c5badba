"""Builds the Microsoft backends from their settings tables (the providers never read them).

Takes a `[backend.microsoft365]` or `[backend.exchange]` table and an `Installation`
(plain values), never the settings. Also what `binome auth microsoft` needs beyond the
contract: `sign_in`. exchangelib (and lxml with it) is imported only when an `exchange`
backend is opened.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from agent.core.credentials import resolve_secret
from agent.core.errors import ProviderError, UserError
from agent.providers.installation import Installation
from agent.providers.microsoft.graph_auth import CachedSignIn, ClientCredentials
from agent.providers.microsoft.graph_calendar import GraphCalendar
from agent.providers.microsoft.graph_http import Graph
from agent.providers.microsoft.graph_mail import GraphMailbox
from agent.providers.microsoft.settings import ExchangeSettings, Microsoft365Settings

if TYPE_CHECKING:  # exchangelib is heavy: loaded only when an exchange backend is opened
    from exchangelib import Account

    from agent.providers.microsoft.ews_calendar import ExchangeCalendar
    from agent.providers.microsoft.ews_mail import ExchangeMailbox

_T = TypeVar("_T")


def _required(table: _T | None, name: str, keys: str, site: Installation) -> _T:
    """`table`, which the backend `name` cannot do without."""
    if table is None:
        raise UserError(f"{site.settings_file}: backend '{name}' needs a [backend.{name}] "
                        f"table with {keys} (see config/example.toml)")
    return table


def _m365(table: Microsoft365Settings | None, site: Installation) -> Microsoft365Settings:
    return _required(table, "microsoft365", "tenant and client_id", site)


def _authority(m365: Microsoft365Settings) -> str:
    return f"{m365.authority_host.rstrip('/')}/{m365.tenant}"


def cached_sign_in(table: Microsoft365Settings | None, site: Installation) -> CachedSignIn:
    """The device-code sign-in kept in the state folder (`cache_file`)."""
    m365 = _m365(table, site)
    ca = None if m365.ca_bundle is None else site.settings_path(m365.ca_bundle)
    return CachedSignIn(_authority(m365), m365.client_id, site.state_path(m365.cache_file), ca)


def graph(table: Microsoft365Settings | None, site: Installation) -> tuple[Graph, str]:
    """A Graph client for the programme mailbox, and that mailbox."""
    m365 = _m365(table, site)
    ca = None if m365.ca_bundle is None else site.settings_path(m365.ca_bundle)
    token: Callable[[], str]
    if m365.sign_in == "device_code":
        token = cached_sign_in(m365, site)
    else:
        secret = resolve_secret("backend.microsoft365.client_secret", m365.client_secret_env,
                                m365.client_secret_command)
        token = ClientCredentials(_authority(m365), m365.client_id, secret, ca)
    verify: ssl.SSLContext | bool = True
    if ca is not None:
        verify = ssl.create_default_context(cafile=str(ca))
    client = Graph(m365.graph_url, token, verify=verify, max_wait=m365.max_wait_seconds)
    return client, (m365.mailbox or site.programme_email).lower()


def m365_calendar(table: Microsoft365Settings | None, site: Installation) -> GraphCalendar:
    """The `microsoft365` calendar of the programme mailbox."""
    client, mailbox = graph(table, site)
    return GraphCalendar(client, mailbox, site.clock)


def m365_mailbox(table: Microsoft365Settings | None, site: Installation) -> GraphMailbox:
    """The `microsoft365` mailbox: the programme mailbox through Graph."""
    client, mailbox = graph(table, site)
    return GraphMailbox(client, mailbox)


def sign_in(table: Microsoft365Settings | None, site: Installation,
            show: Callable[[str], None]) -> str:
    """Device-code sign-in for `binome auth microsoft`; returns who signed in."""
    if _m365(table, site).sign_in != "device_code":
        raise UserError(f"{site.settings_file}: backend.microsoft365.sign_in is 'app' (an app "
                        "secret): nobody signs in. Set sign_in = \"device_code\" to sign in "
                        "as the programme mailbox.")
    try:
        return cached_sign_in(table, site).sign_in(show)
    except ProviderError as exc:
        raise UserError(str(exc)) from None


def exchange_account(table: ExchangeSettings | None, site: Installation) -> Account:
    """exchangelib's account for the programme mailbox (exchangelib loads only here)."""
    from agent.providers.microsoft.ews_account import open_account

    exchange = _required(table, "exchange", "endpoint and username", site)
    password = resolve_secret("backend.exchange.password", exchange.password_env,
                              exchange.password_command)
    mailbox = (exchange.mailbox or site.programme_email).lower()
    return open_account(exchange.endpoint, exchange.version, exchange.username, password,
                        mailbox, autodiscover=exchange.autodiscover,
                        auth_type="NTLM" if exchange.auth == "ntlm" else "basic",
                        max_wait=exchange.max_wait_seconds)


def exchange_calendar(table: ExchangeSettings | None, site: Installation) -> ExchangeCalendar:
    """The `exchange` calendar of the programme mailbox."""
    from agent.providers.microsoft.ews_calendar import ExchangeCalendar

    return ExchangeCalendar(exchange_account(table, site), site.clock)


def exchange_mailbox(table: ExchangeSettings | None, site: Installation) -> ExchangeMailbox:
    """The `exchange` mailbox: the programme mailbox through EWS."""
    from agent.providers.microsoft.ews_mail import ExchangeMailbox

    return ExchangeMailbox(exchange_account(table, site))
