"""`binome auth google` and `binome check` on the `google` backend, against the fake Google.

The consent runs for real: google-auth-oauthlib's local server waits for the
browser; the test plays the browser (it opens the printed address, the fake's
consent page sends it back to that local server with a code) and the flow
exchanges the code (PKCE) at the fake's token endpoint.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from company import PROGRAMME_EMAIL
from fakes.google_fixtures import delegate, running
from fakes.google_server import FakeGoogle
from test_google_agent import google_edits

from agent.cli.main import main
from agent.programme.settings import load_settings

if TYPE_CHECKING:
    from company import Programme

CLIENT_ID = "1234-fake.apps.googleusercontent.com"


@pytest.fixture
def fake() -> Iterator[FakeGoogle]:
    yield from running()


def oauth_programme(make: Callable[..., Programme], fake: FakeGoogle, tmp_path: Path,
                    app: str = "testing") -> tuple[Programme, Path]:
    client = tmp_path / "oauth-client.json"
    client.write_text(json.dumps({"installed": {
        "client_id": CLIENT_ID, "client_secret": "not-really-secret",
        "auth_uri": fake.root + "o/oauth2/auth", "token_uri": fake.root + "token",
        "redirect_uris": ["http://localhost"]}}), encoding="utf-8")
    store = tmp_path / "home" / ".config" / "binome" / "google.json"
    edits = google_edits(fake, tmp_path)
    edits["[backend.local]\n"] = (
        f'[backend.google]\nauth = "oauth"\noauth_client = "{client}"\n'
        f'oauth_store = "{store}"\noauth_app = "{app}"\napi_root = "{fake.root}"\n\n'
        "[backend.local]\n")
    return make(edits=edits), store


def test_auth_stores_a_private_authorization_that_check_then_uses(
        make_programme: Callable[..., Programme], fake: FakeGoogle, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    fake.oauth_clients[CLIENT_ID] = "not-really-secret"
    fake.consent_user = PROGRAMME_EMAIL
    programme, store = oauth_programme(make_programme, fake, tmp_path)
    # oauthlib insists on https for the token endpoint; the fake speaks plain http.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OAUTHLIB_INSECURE_TRANSPORT": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "agent.cli.main", "auth", "google", "--config",
                             str(programme.config), "--no-browser"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    address = re.search(r"(http://\S+)", line)
    assert address and address.group(1).startswith(fake.root + "o/oauth2/auth?"), line
    with urllib.request.urlopen(address.group(1), timeout=30) as page:  # the browser
        assert b"Bin" in page.read()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert f"stored in {store}" in out
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    assert json.loads(store.read_text())["refresh_token"].startswith("1//fake-refresh-")

    fake.expire_access_tokens()  # check must refresh with the stored refresh token
    assert main(["check", "--config", str(programme.config)]) == 0
    printed = capsys.readouterr().out
    assert f"installed-app OAuth for {PROGRAMME_EMAIL}, authorization in {store}" in printed
    assert '"Testing" status loses its refresh token after 7 days' in printed
    assert "calendar backend 'google': reachable" in printed
    assert "mail backend 'google': reachable" in printed


def test_check_without_authorization_says_what_to_run(
        make_programme: Callable[..., Programme], fake: FakeGoogle, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    programme, _ = oauth_programme(make_programme, fake, tmp_path, app="internal")
    assert main(["check", "--config", str(programme.config)]) == 1
    printed = capsys.readouterr().out
    assert "(missing: run `binome auth google --config ...`)" in printed
    assert "Testing" not in printed  # an Internal app keeps its refresh token
    assert "calendar backend 'google': [backend.google]: no Google authorization in" in printed
    assert main(["tick", "--config", str(programme.config)]) == 2  # a message, no traceback
    assert "run `binome auth google --config <settings>` once" in capsys.readouterr().err


def test_check_names_the_service_account_and_a_missing_delegation(
        make_programme: Callable[..., Programme], fake: FakeGoogle, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    programme = make_programme(edits=google_edits(fake, tmp_path))
    delegate(fake, "someone-else@example.fr")  # the super-admin delegated another mailbox
    assert main(["check", "--config", str(programme.config)]) == 1
    printed = capsys.readouterr().out
    assert (f"service account (domain-wide delegation) acting as {PROGRAMME_EMAIL}, "
            "key from service_account_key_command") in printed
    assert "calendar backend 'google': reading the free/busy of 1 people: Google refused " \
           "the credentials" in printed
    assert "unauthorized_client" in printed
    delegate(fake, PROGRAMME_EMAIL)
    assert main(["check", "--config", str(programme.config)]) == 0


def test_a_typo_in_the_google_table_is_warned_about(
        make_programme: Callable[..., Programme], fake: FakeGoogle, tmp_path: Path) -> None:
    edits = google_edits(fake, tmp_path)
    edits["[backend.local]\n"] = edits["[backend.local]\n"].replace(
        "api_root", 'lable = "Binome"\napi_root')
    programme = make_programme(edits=edits)
    _, warnings = load_settings(programme.config)
    assert warnings == [f"{programme.config.resolve()}: unknown key 'backend.google.lable' "
                        "(ignored; did you mean 'label'?)"]
