"""Shared fixtures for the agent, CLI and run tests: a small real programme in tmp_path.

`programme` is the company of tests/company.py: a settings file copied from
config/example.toml (paths changed to tmp_path, mentoring only) and a real roster CSV
with two teams, which always gives exactly two pairings (Claire mentors Nadia, Oliver
mentors Emma).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from company import Programme

if TYPE_CHECKING:
    from servers.caldav_servers import DavServer
    from servers.dovecot import Dovecot
    from servers.smtp import Submission


@pytest.fixture
def make_programme(tmp_path: Path) -> Callable[..., Programme]:
    """`make(start=..., folder=..., edits={old text: new text in the settings file})`."""

    def make(
        start: str = "2026-09-01", folder: str = "company", edits: Mapping[str, str] | None = None
    ) -> Programme:
        path = tmp_path / folder
        path.mkdir(parents=True, exist_ok=True)
        return Programme(path, start, edits or {})

    return make


@pytest.fixture
def programme(make_programme: Callable[..., Programme]) -> Programme:
    return make_programme()


# -- real servers on localhost (tests/servers/): started once per session, skipped where absent
@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """Dovecot (IMAP, IMAPS, LMTP) with throwaway users."""
    from servers import dovecot as server

    if not server.available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd)")
    running = server.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def submission(dovecot: Dovecot) -> Iterator[Submission]:
    """The SMTP submission server (STARTTLS and TLS) delivering into `dovecot`."""
    from servers import smtp

    running = smtp.start(dovecot)
    yield running
    running.stop()


@pytest.fixture(scope="session", params=["radicale", "xandikos"])
def dav_server(request: pytest.FixtureRequest) -> Iterator[DavServer]:
    """Each CalDAV server in turn (Radicale, then Xandikos)."""
    from servers import caldav_servers

    start = {"radicale": caldav_servers.start_radicale,
             "xandikos": caldav_servers.start_xandikos}[request.param]
    running = start()
    if running is None:
        pytest.skip(f"{request.param} is not installed (pip install {request.param})")
    yield running
    running.stop()
