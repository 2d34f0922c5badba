"""From the settings to the `google` backend: credentials, providers, `auth` and `check`.

Sits at the registry's level (it reads `Settings`); the providers below it get
plain arguments. Relative paths in `[backend.google]` are relative to the
settings file's folder, like every path of the settings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from google.auth.credentials import Credentials

from agent.core.clock import Clock, SystemClock
from agent.core.credentials import resolve_secret
from agent.core.errors import PermanentError, UserError
from agent.programme.settings import Settings
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

TESTING_WARNING = (
    "warning: an OAuth app whose consent screen is in \"Testing\" status loses its refresh "
    "token after 7 days, and the agent then stops; publish it (\"In production\") or make it "
    "\"Internal\" (Workspace), then set oauth_app accordingly in [backend.google]")


def _google(settings: Settings) -> GoogleBackend:
    return settings.backend.google or GoogleBackend()


def _path(settings: Settings, path: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else settings.source.parent / path


def mailbox_address(settings: Settings) -> str:
    return _google(settings).mailbox or settings.organisation.programme_email


def oauth_store(settings: Settings) -> Path:
    """Where the installed-app authorization lives: outside the repository by default."""
    google = _google(settings)
    if google.oauth_store is not None:
        return _path(settings, google.oauth_store)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "binome" / f"google-{mailbox_address(settings)}.json"


def credentials(settings: Settings, scopes: tuple[str, ...]) -> Credentials:
    """The credentials the settings describe; what the admin must fix is a UserError."""
    try:
        return _credentials(settings, scopes)
    except PermanentError as exc:
        raise UserError(f"[backend.google]: {exc}") from None


def _credentials(settings: Settings, scopes: tuple[str, ...]) -> Credentials:
    google = _google(settings)
    if google.auth == "oauth":
        return load_authorized_user(oauth_store(settings), scopes)
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
    return service_account_credentials(key, mailbox_address(settings), scopes)


def open_calendar(settings: Settings, clock: Clock) -> GoogleCalendar:
    google = _google(settings)
    return connect_calendar(credentials(settings, CALENDAR_SCOPES), clock,
                            api_root=google.api_root, calendar_id=google.calendar_id,
                            policy=Policy(max_wait=google.max_wait_seconds))


def open_mailbox(settings: Settings) -> GoogleMailbox:
    google = _google(settings)
    # The clock only reads Retry-After dates, which are the server's wall time.
    return connect_mailbox(credentials(settings, GMAIL_SCOPES), SystemClock(),
                           api_root=google.api_root, label=google.label,
                           policy=Policy(max_wait=google.max_wait_seconds))


def authorize(settings: Settings, open_browser: bool = True) -> Path:
    """`binome auth google`: the installed-app consent, stored 0600 outside the repository."""
    google = _google(settings)
    if google.oauth_client is None:
        raise UserError("[backend.google] oauth_client is not set: download the OAuth client "
                        "JSON (type \"Desktop app\") from the Google Cloud console and give "
                        "its path")
    try:
        return authorize_installed_app(_path(settings, google.oauth_client),
                                       oauth_store(settings), ALL_SCOPES, open_browser)
    except PermanentError as exc:
        raise UserError(str(exc)) from None


def auth_notes(settings: Settings) -> list[str]:
    """What `binome check` says about the Google authorization (whether it works is
    shown by the backend probes that follow)."""
    google = _google(settings)
    who = mailbox_address(settings)
    if google.auth == "service_account":
        source = (f"environment variable {google.service_account_key_env}"
                  if google.service_account_key_env else "service_account_key_command")
        return [f"google auth: service account (domain-wide delegation) acting as {who}, "
                f"key from {source}"]
    store = oauth_store(settings)
    lines = [f"google auth: installed-app OAuth for {who}, authorization in {store}"
             + ("" if store.exists() else " (missing: run `binome auth google --config ...`)")]
    if store.exists() and store.stat().st_mode & 0o077:
        lines.append(f"warning: {store} is readable by others; chmod 600 it")
    if google.oauth_app == "testing":
        lines.append(TESTING_WARNING)
    return lines
