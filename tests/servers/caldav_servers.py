"""Radicale and Xandikos (from PyPI) on localhost, each in its own throwaway folder.

Radicale checks logins (an htpasswd file; every user's password is `PASSWORD`). Its
rights file lets each user read and write their own calendars, and the programme's
account (`binome`) read everyone's, as an admin sets it up for free/busy: people log in
with their address (anne@example.fr) or with its local part (nadia). Radicale has no
scheduling outbox. Xandikos serves one user without logins, advertises RFC 6638
scheduling (calendar-auto-schedule) without sending any invitation to an outside
address (what `invitations = "auto"` must see through), and answers free/busy
questions in its outbox for its own user's addresses only.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar as ICalendar
from icalendar import Event

from servers.ports import free_port, stop_server, wait_listening

PASSWORD = "s3cret-dav-password"
# The programme, a stranger, the contract suite's attendees, a participant of
# tests/company.py who logs in with her local part.
USERS = ("binome", "other", "anne@example.fr", "bruno@example.fr", "claire@example.ca", "nadia")
PROGRAMME = "binome"
RIGHTS = f"""
[own calendars]
user: .+
collection: {{user}}(/.*)?
permissions: RrWw

[the programme reads everyone's]
user: {PROGRAMME}
collection: [^/]+(/[^/]+)?
permissions: Rr

[the root]
user: .+
collection:
permissions: R
"""


@dataclass
class DavServer:
    """A running CalDAV server: its root URL, the user to log in as, its process."""

    name: str
    url: str
    username: str
    folder: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Stop it and remove its folder."""
        stop_server(self.process, self.folder)


def _module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def start_radicale() -> DavServer | None:
    """Radicale with htpasswd logins; None when it is not installed."""
    if not _module_available("radicale"):
        return None
    folder = Path(tempfile.mkdtemp(prefix="radicale"))
    users = folder / "users"
    users.write_text("".join(f"{u}:{PASSWORD}\n" for u in USERS), encoding="utf-8")
    rights = folder / "rights"
    rights.write_text(RIGHTS, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder / "collections"),
         "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
         "--auth-htpasswd-encryption", "plain", "--rights-type", "from_file",
         "--rights-file", str(rights),
         "--logging-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, what="radicale")
    return DavServer("radicale", f"http://127.0.0.1:{port}/", PROGRAMME, folder, process)


def start_xandikos() -> DavServer | None:
    """Xandikos with its default principal (/user/); None when it is not installed."""
    if not _module_available("xandikos"):
        return None
    folder = Path(tempfile.mkdtemp(prefix="xandikos"))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "xandikos.web", "--defaults", "-d", str(folder / "data"),
         "-l", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, what="xandikos")
    return DavServer("xandikos", f"http://127.0.0.1:{port}/", "user", folder, process)


def personal_event(server: DavServer, user: str, start: datetime | date, end: datetime | date,
                   *, transparent: bool = False) -> Any:
    """`user` logs in and puts an event of their own in a new calendar of theirs (as their
    calendar app would); the calendar, for the caller to delete."""
    from caldav.davclient import DAVClient

    event = Event()
    event.add("uid", f"{uuid.uuid4().hex}@personal.example")
    event.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", "Rendez-vous")
    if transparent:
        event.add("transp", "TRANSPARENT")
    cal = ICalendar()
    cal.add("prodid", "-//Personal//Calendar app//EN")
    cal.add("version", "2.0")
    cal.add_component(event)
    client = DAVClient(url=server.url, username=user, password=PASSWORD)
    calendar = client.principal().make_calendar(name=f"Perso {uuid.uuid4().hex[:6]}")
    calendar.save_event(cal.to_ical().decode())
    return calendar


def set_addresses(server: DavServer, addresses: list[str]) -> None:
    """Tell the server the calendar user addresses of the account we log in as (RFC 6638
    calendar-user-address-set, set by PROPPATCH as Xandikos allows)."""
    from caldav.davclient import DAVClient

    hrefs = "".join(f"<d:href>{a}</d:href>" for a in addresses)
    body = ('<?xml version="1.0" encoding="utf-8"?><d:propertyupdate xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>'
            f'<c:calendar-user-address-set>{hrefs}</c:calendar-user-address-set>'
            '</d:prop></d:set></d:propertyupdate>')
    client = DAVClient(url=server.url, username=server.username, password=PASSWORD)
    answer = client.request(str(client.principal().url), "PROPPATCH", body,
                            {"Content-Type": "application/xml"})
    assert answer.status == 207 and "200 OK" in str(answer.raw), answer.raw
