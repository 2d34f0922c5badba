"""The fake Entra ID endpoints msal talks to: OpenID discovery, token, device code.

Client credentials need the registered secret. The device-code flow answers
`authorization_pending` to the first poll, then issues tokens once the test
(playing the person at https://microsoft.com/devicelogin) calls `approve`,
or straight away when `auth["auto_approve"]` is set. Refresh tokens work.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from fakes.graph_server import FakeGraph
    from fakes.graph_wire import Reply

CLIENT_ID = "11111111-2222-3333-4444-555555555555"
SECRET = "s3cret-value"
_counter = itertools.count(1)


def _error(status: int, error: str, description: str) -> Reply:
    return status, {}, {"error": error, "error_description": description,
                        "error_codes": [70000], "timestamp": "2026-01-01 00:00:00Z"}


def _tokens(graph: FakeGraph, refresh: bool) -> Reply:
    access = f"at-{next(_counter)}"
    graph.tokens.add(access)
    body: dict[str, Any] = {"token_type": "Bearer", "expires_in": 3599,
                            "ext_expires_in": 3599, "access_token": access}
    if refresh:
        rt = f"rt-{next(_counter)}"
        graph.auth.setdefault("refresh", set()).add(rt)
        body["refresh_token"] = rt
        body["scope"] = "Calendars.ReadWrite Mail.ReadWrite Mail.Send"
        # msal needs an id token to name the account it caches.
        claims = {"oid": "oid-1", "tid": "tenant-1", "preferred_username": graph.auth.get(
            "user", "binome@example.fr"), "sub": "sub-1", "iss": "fake", "aud": CLIENT_ID}
        body["id_token"] = ".".join([_b64({"alg": "none"}), _b64(claims), ""])
        body["client_info"] = _b64({"uid": "oid-1", "utid": "tenant-1"})
    return 200, {}, body


def _b64(value: dict[str, Any]) -> str:
    import base64
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def handle(graph: FakeGraph, method: str, path: str, body: bytes) -> Reply:
    base = graph.base
    found = re.fullmatch(r"/([^/]+)/(v2\.0/\.well-known/openid-configuration|"
                         r"oauth2/v2\.0/token|oauth2/v2\.0/devicecode)", path)
    if found is None:
        return 404, {}, {"error": "not_found", "error_description": f"no endpoint {path}"}
    tenant, what = found.groups()
    if what.endswith("openid-configuration"):
        root = f"{base}/{tenant}"
        return 200, {}, {"token_endpoint": f"{root}/oauth2/v2.0/token",
                         "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
                         "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
                         "issuer": f"{root}/v2.0"}
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    if form.get("client_id") != CLIENT_ID:
        return _error(400, "unauthorized_client", "AADSTS700016: Application not found.")
    if what.endswith("devicecode"):
        code = f"dc-{next(_counter)}"
        graph.auth.setdefault("pending", {})[code] = 0
        return 200, {}, {"device_code": code, "user_code": "ABCD-EFGH", "interval": 0,
                         "verification_uri": "https://microsoft.com/devicelogin",
                         "expires_in": 900, "message": "To sign in, use a web browser to "
                         "open https://microsoft.com/devicelogin and enter ABCD-EFGH."}
    grant = form.get("grant_type", "")
    if grant == "client_credentials":
        if form.get("client_secret") != SECRET:
            return _error(401, "invalid_client", "AADSTS7000215: Invalid client secret.")
        return _tokens(graph, refresh=False)
    if grant == "urn:ietf:params:oauth:grant-type:device_code":
        pending = graph.auth.setdefault("pending", {})
        code = form.get("device_code", "")
        if code not in pending:
            return _error(400, "expired_token", "AADSTS70020: The device code expired.")
        pending[code] += 1
        if pending[code] < 2 and not graph.auth.get("auto_approve"):
            return _error(400, "authorization_pending", "AADSTS70016: Pending.")
        del pending[code]
        return _tokens(graph, refresh=True)
    if grant == "refresh_token":
        if form.get("refresh_token") not in graph.auth.get("refresh", set()):
            return _error(400, "invalid_grant", "AADSTS700082: The refresh token has expired.")
        return _tokens(graph, refresh=True)
    return _error(400, "unsupported_grant_type", f"grant {grant!r}")
