"""Tokens for Microsoft Graph through msal.

Two ways in, as the admin chooses:
- *client credentials*: an app registration with a secret, granted application
  permissions and restricted to the programme mailbox by an Exchange
  application access policy. msal caches the token in memory until it expires.
- *device code*: `binome auth microsoft` shows a code to enter at
  microsoft.com/devicelogin while signed in as the programme mailbox; the
  refresh token lands in a token cache file (mode 0600) that the agent then
  uses silently.

`authority_host` and `instance_discovery=False` let the authority be any host
(a national cloud, or the test server); msal still requires https.
Errors: what the admin must fix (bad secret, no sign-in yet) is
`PermanentError`; an unreachable token endpoint is `TemporaryError`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msal
import requests

from agent.core.errors import PermanentError, TemporaryError

GRAPH_DEFAULT = ["https://graph.microsoft.com/.default"]
DELEGATED = ["https://graph.microsoft.com/Calendars.ReadWrite",
             "https://graph.microsoft.com/Mail.ReadWrite", "https://graph.microsoft.com/Mail.Send"]


class _Session(requests.Session):
    """A session whose CA bundle wins over REQUESTS_CA_BUNDLE (which beats `Session.verify`)."""

    def __init__(self, ca_bundle: Path | None) -> None:
        super().__init__()
        self._ca = str(ca_bundle) if ca_bundle is not None else None

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """`requests.Session.request` verified against our CA bundle, unless `verify` is given."""
        if self._ca is not None:
            kwargs.setdefault("verify", self._ca)
        return super().request(*args, **kwargs)


def _session(ca_bundle: Path | None) -> requests.Session:
    return _Session(ca_bundle)


def _token(result: dict[str, Any] | None, hint: str) -> str:
    if result and "access_token" in result:
        return str(result["access_token"])
    if not result:
        raise PermanentError(f"Microsoft sign-in: no token. {hint}")
    raise PermanentError(f"Microsoft sign-in: {result.get('error')}: "
                         f"{str(result.get('error_description', '')).splitlines()[0]}. {hint}")


class ClientCredentials:
    """`token()` for an app acting with its own identity (application permissions)."""

    def __init__(self, authority: str, client_id: str, secret: str,
                 ca_bundle: Path | None = None) -> None:
        self._authority, self._client_id, self._secret = authority, client_id, secret
        self._ca = ca_bundle
        self._app: Any = None

    def __call__(self) -> str:
        try:
            if self._app is None:  # built on first use: it fetches the OpenID configuration
                self._app = msal.ConfidentialClientApplication(
                    self._client_id, client_credential=self._secret, authority=self._authority,
                    instance_discovery=False, http_client=_session(self._ca))
            result = self._app.acquire_token_for_client(scopes=GRAPH_DEFAULT)
        except (requests.RequestException, ValueError) as exc:
            raise TemporaryError(f"Microsoft sign-in at {self._authority}: {exc}") from exc
        return _token(result, "Check tenant, client_id and the client secret.")


class CachedSignIn:
    """`token()` from the token cache `binome auth microsoft` filled (delegated permissions)."""

    def __init__(self, authority: str, client_id: str, cache_file: Path,
                 ca_bundle: Path | None = None) -> None:
        self.cache_file = cache_file
        self._cache = msal.SerializableTokenCache()
        if cache_file.exists():
            self._cache.deserialize(cache_file.read_text(encoding="utf-8"))
        self._args = (client_id, authority, ca_bundle)
        self._app: Any = None

    def _application(self) -> Any:
        if self._app is None:
            client_id, authority, ca = self._args
            self._app = msal.PublicClientApplication(
                client_id, authority=authority, token_cache=self._cache,
                instance_discovery=False, http_client=_session(ca))
        return self._app

    def _save(self) -> None:
        if not self._cache.has_state_changed:
            return
        folder = self.cache_file.parent
        folder.mkdir(parents=True, exist_ok=True)
        # Written 0600 from the start (never readable by others, even for an instant).
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".msal-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self._cache.serialize())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.cache_file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._cache.has_state_changed = False

    def __call__(self) -> str:
        hint = "Run `binome auth microsoft --config <settings file>` to sign in."
        try:
            app = self._application()
            accounts = app.get_accounts()
            result = app.acquire_token_silent(DELEGATED, account=accounts[0]) if accounts else None
        except (requests.RequestException, ValueError) as exc:
            raise TemporaryError(f"Microsoft sign-in: {exc}") from exc
        self._save()
        return _token(result, hint)

    def sign_in(self, show: Callable[[str], None]) -> str:
        """The device-code flow: `show` the instructions, wait for the person; their name."""
        try:
            app = self._application()
            flow = app.initiate_device_flow(scopes=DELEGATED)
            if "user_code" not in flow:
                _token(flow, "The app registration must allow public client flows.")
            show(str(flow["message"]))
            result = app.acquire_token_by_device_flow(flow)
        except (requests.RequestException, ValueError) as exc:
            raise TemporaryError(f"Microsoft sign-in: {exc}") from exc
        _token(result, "Sign-in did not complete; run the command again.")
        self._save()
        claims = result.get("id_token_claims") or {}
        return str(claims.get("preferred_username", "the account"))
