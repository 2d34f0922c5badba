"""`make demo-servers`: the simulated month over real servers on this machine.

Starts Dovecot (IMAP, LMTP), the SMTP submission server and Radicale on localhost
(tests/servers/), writes a programme in demo-servers-out/ using `mail = "imap"` and
`calendar = "caldav"`, prints `binome check` for it, runs a month of the example
programme with the participants acting through their own mailboxes, then prints where
to look. The servers stop at the end (their mailboxes are copied out first).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from company import PEOPLE, Programme  # noqa: E402
from servers import caldav_servers, dovecot, smtp  # noqa: E402
from servers.month import Participants, environment, run_month, server_edits  # noqa: E402


def main() -> int:
    """Run the month; 0 when it ran."""
    if not dovecot.available():
        print("Dovecot is not installed: apt-get install dovecot-imapd dovecot-lmtpd")
        return 1
    out = ROOT / "demo-servers-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    mail = dovecot.start()
    submission = smtp.start(mail)
    dav = caldav_servers.start_radicale()
    assert dav is not None, "Radicale is not installed (it comes with .venv)"
    try:
        os.environ.update(environment())
        programme = Programme(out, "2026-09-01", server_edits(mail, submission, dav, out))
        print(f"Servers: IMAP localhost:{mail.imaps_port} (TLS), SMTP localhost:"
              f"{submission.starttls_port} (STARTTLS), CalDAV {dav.url}\n")
        print(f"$ binome check --config {programme.config}")
        subprocess.run([str(ROOT / ".venv" / "bin" / "binome"), "check", "--config",
                        str(programme.config)], check=False)
        people = {email: row["language"] for email, row in PEOPLE.items()}
        participants = Participants(mail, submission, people)
        start = datetime(2026, 9, 1, 7, tzinfo=ZoneInfo("Europe/Paris"))
        print("\nSimulating September 2026 (a tick every 3 hours)...")
        agent = run_month(programme.config, participants, start)
        shutil.copytree(mail.folder / "home", out / "mailboxes")
        shutil.copytree(dav.folder / "collections", out / "caldav")
        series = dict(agent.ledger.series.everything())
        moved = sum(len(s.moved) for s in series.values())
        print(f"\nDone: {len(series)} series booked, {moved} session(s) moved after a "
              f"decline, {len(participants.accepted)} acceptances, "
              f"{len(list(agent.ledger.answers.feedback()))} questionnaire answers recorded.")
        print(f"Where to look (in {out}):")
        print("  binome.toml                    the settings used ([backend.imap], smtp, caldav)")
        print("  mailboxes/<address>/Maildir/   every mailbox as Dovecot stored it: the agent's")
        print("                                 (.Sent, .Binome.processed), each participant's")
        print("  caldav/collection-root/        the programme's calendar as Radicale stored it")
        print(f"  state/                         the agent's ledger; binome status --config "
              f"{programme.config}")
    finally:
        submission.stop()
        mail.stop()
        dav.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
