"""Credentials and API clients for the `google` backend.

Two ways in, as Google offers them:
- *service account* with domain-wide delegation (Workspace): the key JSON signs
  a JWT for `subject` (the programme mailbox), exchanged at the key's
  `token_uri`. A super-admin grants the client id the scopes below once.
- *installed-app OAuth*: `authorize_installed_app` runs Google's consent in a
  browser once (`binome auth google`) and stores the authorized-user JSON
  (refresh token included) with 0600 permissions; `load_authorized_user` reads it.

Scopes are the narrowest that cover what the backend calls: events in the
programme calendar and free/busy of others (not the whole calendars), and
`gmail.modify` (send, read, label; it cannot delete for good).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import httplib2
from google.auth.credentials import Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build

from agent.core.errors import PermanentError

CALENDAR_SCOPES = ("https://www.googleapis.com/auth/calendar.events.owned",
                   "https://www.googleapis.com/auth/calendar.freebusy")
GMAIL_SCOPES = ("https://www.googleapis.com/auth/gmail.modify",)
ALL_SCOPES = CALENDAR_SCOPES + GMAIL_SCOPES


def service_account_credentials(key: Mapping[str, Any], subject: str,
                                scopes: Sequence[str]) -> Credentials:
    """Credentials acting as `subject` through the service account `key` (parsed JSON)."""
    try:
        creds = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            dict(key), scopes=list(scopes), subject=subject)
    except (ValueError, KeyError) as exc:
        raise PermanentError(f"the service account key is not usable: {exc}") from exc
    return cast(Credentials, creds)


def load_authorized_user(path: Path, scopes: Sequence[str]) -> Credentials:
    """The credentials `binome auth google` stored in `path`."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        creds = user_credentials.Credentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
            info, list(scopes))
        if info.get("token_uri"):
            # google-auth forgets the stored token_uri (it assumes Google's); the file is
            # ours, written with the OAuth client's own token_uri: honour it.
            creds = creds.with_token_uri(info["token_uri"])
        return cast(Credentials, creds)
    except FileNotFoundError:
        raise PermanentError(f"no Google authorization in {path}; "
                             "run `binome auth google --config <settings>` once") from None
    except (OSError, ValueError) as exc:
        raise PermanentError(f"cannot read the Google authorization in {path}: {exc}") from exc


def authorize_installed_app(client_file: Path, store: Path, scopes: Sequence[str],
                            open_browser: bool = True) -> Path:
    """Run Google's consent in a browser; store the resulting authorization in `store` (0600)."""
    from google_auth_oauthlib.flow import InstalledAppFlow  # only this command needs it

    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(client_file), scopes=list(scopes))
    except (OSError, ValueError) as exc:
        raise PermanentError(f"cannot use the OAuth client file {client_file}: {exc}") from exc
    creds = flow.run_local_server(
        port=0, open_browser=open_browser,
        authorization_prompt_message="Open this address to let Binôme use the mailbox: {url}",
        success_message="Binôme is authorized; you may close this window.")
    write_private(store, creds.to_json())
    return store


def write_private(path: Path, text: str) -> None:
    """Write `text` readable by the owner only, from the first byte (no chmod afterwards)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def build_service(api: str, version: str, creds: Credentials, endpoint: str | None,
                  timeout: float = 60.0) -> Any:
    """A googleapiclient resource built from the discovery document the library ships.

    `endpoint` replaces Google's address (a proxy, or the tests' fake server).
    """
    http = AuthorizedHttp(creds, http=httplib2.Http(timeout=timeout))
    options = {"api_endpoint": endpoint} if endpoint else None
    return build(api, version, http=http, static_discovery=True, cache_discovery=False,
                 client_options=options)
