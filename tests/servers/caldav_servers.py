"""Radicale and Xandikos (from PyPI) on localhost, each in its own throwaway folder.

Radicale checks logins (an htpasswd file; every user's password is `PASSWORD`) and
lets each user see only their own calendars. Xandikos serves one user without logins
and advertises RFC 6638 scheduling (calendar-auto-schedule) without sending any
invitation to an outside address: what `invitations = "auto"` must see through.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from servers.ports import free_port, wait_listening

PASSWORD = "s3cret-dav-password"
USERS = ("binome", "other")


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
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


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
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder / "collections"),
         "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
         "--auth-htpasswd-encryption", "plain", "--rights-type", "owner_only",
         "--logging-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, what="radicale")
    return DavServer("radicale", f"http://127.0.0.1:{port}/", "binome", folder, process)


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
