"""The Microsoft backends from the settings file: registry, `binome auth microsoft`
(device code, 0600 cache), `binome check` against the fake Graph, and its warning
for an `exchange` endpoint on Exchange Online."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from contract.calendar_contract import ORGANIZER
from fakes.graph_auth import CLIENT_ID, SECRET
from fakes.graph_server import FakeGraph

from agent.cli.main import main
from agent.core.clock import SystemClock
from agent.core.errors import UserError
from agent.programme.settings import installation
from agent.providers.registry import open_calendar, open_mailbox

BACKEND = ('calendar = "local"          # "local": one iCalendar file per calendar, '
           'opens in any calendar app\nmail = "local"              # "local": Maildir '
           'folders, open in any mail client')


def m365_settings(make_programme: Callable[..., Any], fake: FakeGraph, ca: Path,
                  sign_in: str, mailbox: str | None = ORGANIZER) -> Any:
    """A programme on microsoft365; `mailbox` None means organisation.programme_email."""
    table = (f'calendar = "microsoft365"\nmail = "microsoft365"\n\n'
             f'[backend.microsoft365]\ntenant = "contoso.onmicrosoft.com"\n'
             f'client_id = "{CLIENT_ID}"\nsign_in = "{sign_in}"\n'
             f'client_secret_env = "BINOME_TEST_M365_SECRET"\n'
             + (f'mailbox = "{mailbox}"\n' if mailbox else "") +
             f'graph_url = "{fake.base}/v1.0"\nauthority_host = "{fake.base}"\n'
             f'ca_bundle = "{ca}"\nmax_wait_seconds = 0\n')
    return make_programme(edits={BACKEND: table})


def test_device_code_sign_in_keeps_a_private_cache_the_agent_then_uses(
        make_programme: Callable[..., Any], fake: FakeGraph, certs: tuple[Path, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    programme = m365_settings(make_programme, fake, certs[0], "device_code")
    settings = programme.settings()
    site = installation(settings, SystemClock())
    with pytest.raises(Exception, match="binome auth microsoft"):
        open_calendar(settings.backend, site).find_series("series/x")
    fake.auth["user"] = ORGANIZER
    assert main(["auth", "microsoft", "--config", str(programme.config)]) == 0
    out = capsys.readouterr().out
    assert "ABCD-EFGH" in out and f"Signed in as {ORGANIZER}" in out
    cache = programme.state / "microsoft-sign-in.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert "refresh" in cache.read_text().lower()
    calendar = open_calendar(settings.backend, site)  # a new process: from the cache alone
    assert calendar.find_series("series/x") is None
    assert open_mailbox(settings.backend, site).was_sent("<nothing@example.fr>") is False


def test_auth_with_an_app_secret_explains_there_is_nothing_to_sign_in(
        make_programme: Callable[..., Any], fake: FakeGraph, certs: tuple[Path, Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    programme = m365_settings(make_programme, fake, certs[0], "app")
    assert main(["auth", "microsoft", "--config", str(programme.config)]) == 2
    assert 'sign_in = "device_code"' in capsys.readouterr().err


def test_check_reaches_graph_with_the_app_secret(
        make_programme: Callable[..., Any], fake: FakeGraph, certs: tuple[Path, Path],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    programme = m365_settings(make_programme, fake, certs[0], "app")
    monkeypatch.delenv("BINOME_TEST_M365_SECRET", raising=False)
    assert main(["check", "--config", str(programme.config)]) == 1
    assert "BINOME_TEST_M365_SECRET" in capsys.readouterr().out
    monkeypatch.setenv("BINOME_TEST_M365_SECRET", SECRET)
    assert main(["check", "--config", str(programme.config)]) == 0
    out = capsys.readouterr().out
    assert "calendar backend 'microsoft365': reachable" in out
    assert "mail backend 'microsoft365': reachable" in out
    assert any(line.startswith("POST") and "getSchedule" in line for line in fake.log)


def test_a_missing_table_is_named(make_programme: Callable[..., Any]) -> None:
    programme = make_programme(edits={BACKEND: 'calendar = "microsoft365"\nmail = "local"'})
    with pytest.raises(UserError, match=r"\[backend.microsoft365\] table"):
        settings = programme.settings()
        open_calendar(settings.backend, installation(settings, SystemClock()))


def test_a_typo_in_the_microsoft_table_is_warned_about(
        make_programme: Callable[..., Any], fake: FakeGraph, certs: tuple[Path, Path]) -> None:
    programme = m365_settings(make_programme, fake, certs[0], "app")
    text = programme.config.read_text().replace("max_wait_seconds", "max_wait_second")
    programme.config.write_text(text)
    from agent.programme.settings import load_settings
    _, warnings = load_settings(programme.config)
    assert any("max_wait_second" in w and "max_wait_seconds" in w for w in warnings)


@pytest.mark.parametrize("endpoint, warned", [
    ("https://outlook.office365.com/EWS/Exchange.asmx", True),
    ("https://mail.atelier-lumiere.fr/EWS/Exchange.asmx", False),
])
def test_check_warns_when_exchange_points_at_exchange_online(
        make_programme: Callable[..., Any], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, endpoint: str, warned: bool) -> None:
    monkeypatch.delenv("BINOME_TEST_EWS_PASSWORD", raising=False)  # never reach the network
    table = (f'calendar = "local"\nmail = "exchange"\n\n[backend.exchange]\n'
             f'endpoint = "{endpoint}"\nusername = "binome@atelier-lumiere.fr"\n'
             f'password_env = "BINOME_TEST_EWS_PASSWORD"\n')
    programme = make_programme(edits={BACKEND: table})
    main(["check", "--config", str(programme.config)])
    out = capsys.readouterr().out
    assert ("use the 'microsoft365' backend" in out) is warned
    assert "BINOME_TEST_EWS_PASSWORD" in out  # the mail backend said what it lacks
