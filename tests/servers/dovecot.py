"""Dovecot (Debian's dovecot-imapd and dovecot-lmtpd) on localhost, with throwaway users.

Every address is a user (a static userdb: the first login or delivery creates its
Maildir), and every user's password is `PASSWORD`. Dovecot listens on free ports:
IMAP (STARTTLS offered), IMAPS, and LMTP, where the SMTP server of tests/servers/smtp.py
hands it each message, as Postfix hands mail to Dovecot on a real host. Its folders use
Maildir++ ("." between levels), so a client must ask for the hierarchy delimiter.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from servers.ports import free_port, stop_server, wait_listening
from servers.tls import make_certificates

PASSWORD = "s3cret-test-password"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def available() -> bool:
    """Whether Dovecot with its LMTP service is installed here."""
    return Path(DOVECOT).exists() and Path("/usr/lib/dovecot/lmtp").exists()


@dataclass
class Dovecot:
    """A running Dovecot: its ports, the CA that signed its certificate, its folder."""

    folder: Path
    imap_port: int
    imaps_port: int
    lmtp_port: int
    ca_file: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        stop_server(self.process, self.folder)

    def log(self) -> str:
        """What Dovecot logged (for a failing test's message)."""
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _users() -> tuple[str, str, int, int]:
    """(login user, internal user, mail uid, mail gid): Debian's system users when root."""
    if os.geteuid() == 0:
        mail = pwd.getpwnam("dovecot")
        return "dovenull", "dovecot", mail.pw_uid, mail.pw_gid
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid


def start() -> Dovecot:
    """Start Dovecot in the foreground in a fresh folder (short: it holds unix sockets)."""
    folder = Path(tempfile.mkdtemp(prefix="dv"))
    folder.chmod(0o755)
    login, internal, uid, gid = _users()
    ca_file, cert, key = make_certificates(folder)
    os.chown(key, 0 if os.geteuid() == 0 else uid, gid)
    home = folder / "home"
    home.mkdir()
    os.chown(home, uid, gid)
    imap, imaps, lmtp = free_port(), free_port(), free_port()
    dh = Path("/usr/share/dovecot/dh.pem")
    config = folder / "dovecot.conf"
    config.write_text(f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
instance_name = binome-test-{imap}
protocols = imap lmtp
listen = 127.0.0.1
default_login_user = {login}
default_internal_user = {internal}
first_valid_uid = 1
first_valid_gid = 1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
{f"ssl_dh = <{dh}" if dh.exists() else ""}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u allow_all_users=yes
}}
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp}
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""", encoding="utf-8")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    server = Dovecot(folder, imap, imaps, lmtp, ca_file, process)
    try:
        for port in (imap, imaps, lmtp):
            wait_listening(port, what="dovecot")
    except RuntimeError:
        server.stop()
        err = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"dovecot did not start: {err}") from None
    return server
