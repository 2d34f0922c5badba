"""From the `[backend.google]` table to the `google` backend: credentials, providers,
`auth` and `check`.

Takes the table and an `Installation` (plain values), never the settings. Relative
paths in the table are relative to the settings file's folder, like every path of
the settings. A missing table means every default.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from google.auth.credentials import Credentials

from agent.core.clock import SystemClock
from agent.core.credentials import resolve_secret
from agent.core.errors import PermanentError, UserError
from agent.providers.google.auth import (
    ALL_SCOPES,
    CALENDAR_SCOPES,
    GMAIL_SCOPES,
    authorize_installed_app,
    load_authorized_user,
    service_account_credentials,
)
from agent.providers.google.connect import (
    GoogleCalendar,
    GoogleMailbox,
    connect_calendar,
    connect_mailbox,
)
from agent.providers.google.http import Policy
from agent.providers.google.settings import GoogleBackend
from agent.providers.installation import Installation

TESTING_WARNING = (
    "warning: an OAuth app whose consent screen is in \"Testing\" status loses its refresh "
    "token after 7 days, and the agent then stops; publish it (\"In production\") or make it "
    "\"Internal\" (Workspace), then set oauth_app accordingly in [backend.google]")


def mailbox_address(table: GoogleBackend | None, site: Installation) -> str:
    """The mailbox the backend acts as: the table's, else the programme's."""
    return (table or GoogleBackend()).mailbox or site.programme_email


def oauth_store(table: GoogleBackend | None, site: Installation) -> Path:
    """Where the installed-app authorization lives: outside the repository by default."""
    google = table or GoogleBackend()
    if google.oauth_store is not None:
        return site.settings_path(google.oauth_store)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "binome" / f"google-{mailbox_address(google, site)}.json"


def credentials(table: GoogleBackend | None, site: Installation,
                scopes: tuple[str, ...]) -> Credentials:
    """The credentials the table describes; what the admin must fix is a UserError."""
    try:
        return _credentials(table or GoogleBackend(), site, scopes)
    except PermanentError as exc:
        raise UserError(f"[backend.google]: {exc}") from None


def _credentials(google: GoogleBackend, site: Installation,
                 scopes: tuple[str, ...]) -> Credentials:
    if google.auth == "oauth":
        return load_authorized_user(oauth_store(google, site), scopes)
    name = "backend.google.service_account_key"
    if not (google.service_account_key_env or google.service_account_key_command):
        raise UserError(f"{name}: set service_account_key_env or service_account_key_command "
                        "in [backend.google] (the service account's key JSON), or use "
                        'auth = "oauth"')
    text = resolve_secret(name, google.service_account_key_env,
                          google.service_account_key_command)
    try:
        key = json.loads(text)
    except ValueError as exc:
        raise UserError(f"{name}: the key is not JSON ({exc}); give the JSON file's "
                        "content, as the Cloud console downloads it") from None
    return service_account_credentials(key, mailbox_address(google, site), scopes)


def open_calendar(table: GoogleBackend | None, site: Installation) -> GoogleCalendar:
    """The `google` calendar of the programme mailbox."""
    google = table or GoogleBackend()
    return connect_calendar(credentials(google, site, CALENDAR_SCOPES), site.clock,
                            api_root=google.api_root, calendar_id=google.calendar_id,
                            policy=Policy(max_wait=google.max_wait_seconds))


def open_mailbox(table: GoogleBackend | None, site: Installation) -> GoogleMailbox:
    """The `google` mailbox (Gmail) of the programme mailbox."""
    google = table or GoogleBackend()
    # The clock only reads Retry-After dates, which are the server's wall time.
    return connect_mailbox(credentials(google, site, GMAIL_SCOPES), SystemClock(),
                           api_root=google.api_root, label=google.label,
                           policy=Policy(max_wait=google.max_wait_seconds))


def authorize(table: GoogleBackend | None, site: Installation, open_browser: bool = True) -> Path:
    """`binome auth google`: the installed-app consent, stored 0600 outside the repository."""
    google = table or GoogleBackend()
    if google.oauth_client is None:
        raise UserError("[backend.google] oauth_client is not set: download the OAuth client "
                        "JSON (type \"Desktop app\") from the Google Cloud console and give "
                        "its path")
    try:
        return authorize_installed_app(site.settings_path(google.oauth_client),
                                       oauth_store(google, site), ALL_SCOPES, open_browser)
    except PermanentError as exc:
        raise UserError(str(exc)) from None


def auth_notes(table: GoogleBackend | None, site: Installation) -> list[str]:
    """What `binome check` says about the Google authorization (whether it works is
    shown by the backend probes that follow)."""
    google = table or GoogleBackend()
    who = mailbox_address(google, site)
    if google.auth == "service_account":
        source = (f"environment variable {google.service_account_key_env}"
                  if google.service_account_key_env else "service_account_key_command")
        return [f"google auth: service account (domain-wide delegation) acting as {who}, "
                f"key from {source}"]
    store = oauth_store(google, site)
    lines = [f"google auth: installed-app OAuth for {who}, authorization in {store}"
             + ("" if store.exists() else " (missing: run `binome auth google --config ...`)")]
    if store.exists() and store.stat().st_mode & 0o077:
        lines.append(f"warning: {store} is readable by others; chmod 600 it")
    if google.oauth_app == "testing":
        lines.append(TESTING_WARNING)
    return lines
