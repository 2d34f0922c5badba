"""Settings of the Microsoft backends: the `[backend.microsoft365]` and
`[backend.exchange]` tables. Secrets come from `<key>_env` / `<key>_command`
(see `agent.core.credentials.resolve_secret`), never from the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

EXCHANGE_ONLINE = "outlook.office365.com"


class _Table(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Microsoft365Settings(_Table):
    """`[backend.microsoft365]`: the app registration and how the agent signs in to Graph."""

    tenant: str  # the directory (tenant) id, or its domain: "atelier.onmicrosoft.com"
    client_id: str  # the app registration's application (client) id
    # "app": client credentials (an app secret, restricted to the programme mailbox by an
    # application access policy); "device_code": a person signs in once with
    # `binome auth microsoft`, and the agent uses the saved sign-in.
    sign_in: Literal["app", "device_code"] = "app"
    client_secret_env: str | None = None
    client_secret_command: str | None = None
    mailbox: str | None = None  # default: organisation.programme_email
    cache_file: Path = Path("microsoft-sign-in.json")  # relative to [state] path; kept 0600
    graph_url: str = "https://graph.microsoft.com/v1.0"
    authority_host: str = "https://login.microsoftonline.com"
    ca_bundle: Path | None = None  # a corporate proxy's CA file (relative to the settings file)
    max_wait_seconds: float = Field(60, ge=0, le=900)  # wait on throttling within one call


class ExchangeSettings(_Table):
    """`[backend.exchange]`: the Exchange Server endpoint and the account the agent uses."""

    endpoint: str  # "https://mail.example.com/EWS/Exchange.asmx"
    version: Literal["2013", "2013_SP1", "2016", "2019"] = "2016"  # Subscription Edition: 2019
    autodiscover: bool = False  # find the endpoint from the mailbox's domain instead
    username: str  # "DOMAIN\\user" or "user@example.com"
    password_env: str | None = None
    password_command: str | None = None
    auth: Literal["ntlm", "basic"] = "ntlm"  # basic only over https
    mailbox: str | None = None  # default: organisation.programme_email
    max_wait_seconds: float = Field(60, ge=0, le=900)


def exchange_warnings(calendar: str, mail: str, exchange: ExchangeSettings | None) -> list[str]:
    """What `binome check` says about an `exchange` backend pointed at Exchange Online."""
    if exchange is None or "exchange" not in (calendar, mail):
        return []
    host = (urlsplit(exchange.endpoint).hostname or "").lower()
    if host == EXCHANGE_ONLINE or host.endswith("." + EXCHANGE_ONLINE):
        return [f"backend.exchange.endpoint is Exchange Online ({host}): Microsoft turns EWS "
                "off there from October 2026 and removes it in April 2027; use the "
                "'microsoft365' backend instead"]
    return []
