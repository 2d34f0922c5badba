"""From the `[backend.imap]` and `[backend.smtp]` tables to the `imap` mailbox, and what
`binome check` says about it (each step: DNS, TLS, login, folders, capabilities)."""

from __future__ import annotations

from agent.core.credentials import resolve_secret
from agent.core.errors import ProviderError, UserError
from agent.providers.imap.connect import Endpoint, open_imap
from agent.providers.imap.mailbox import Folders, ImapMailbox
from agent.providers.imap.settings import (
    ImapSettings,
    SmtpSettings,
    plain_text_refused,
    port_of,
)
from agent.providers.imap.smtp import open_smtp
from agent.providers.installation import Installation


def _tables(imap: ImapSettings | None,
            smtp: SmtpSettings | None) -> tuple[ImapSettings, SmtpSettings]:
    if imap is None or smtp is None:
        missing = " and ".join(f"[backend.{n}]" for n, t in (("imap", imap), ("smtp", smtp))
                               if t is None)
        raise UserError(f'mail = "imap" needs {missing} in the settings (host, username, '
                        "password_env...; see config/example.toml)")
    for name, table in (("imap", imap), ("smtp", smtp)):
        if plain_text_refused(table.host, table.security):
            raise UserError(f'[backend.{name}] security = "none" is refused for {table.host}: '
                            'the password would travel in clear; use "tls" or "starttls" '
                            "(plain text is allowed to localhost only)")
    return imap, smtp


def endpoints(imap: ImapSettings | None, smtp: SmtpSettings | None,
              site: Installation) -> tuple[Endpoint, Endpoint]:
    """The IMAP and SMTP servers to log in to; passwords are read now (UserError if absent)."""
    imap, smtp = _tables(imap, smtp)
    user = imap.username or site.programme_email
    imap_password = resolve_secret("backend.imap.password", imap.password_env,
                                   imap.password_command)
    if smtp.password_env or smtp.password_command:
        smtp_password = resolve_secret("backend.smtp.password", smtp.password_env,
                                       smtp.password_command)
    else:
        smtp_password = imap_password

    return (
        Endpoint("IMAP", imap.host, port_of("imap", imap.security, imap.port), imap.security,
                 user, lambda: imap_password,
                 site.settings_path(imap.ca_file) if imap.ca_file else None,
                 imap.timeout_seconds),
        Endpoint("SMTP", smtp.host, port_of("smtp", smtp.security, smtp.port), smtp.security,
                 smtp.username or user, lambda: smtp_password,
                 site.settings_path(smtp.ca_file) if smtp.ca_file else None,
                 smtp.timeout_seconds),
    )


def open_mailbox(imap: ImapSettings | None, smtp: SmtpSettings | None,
                 site: Installation) -> ImapMailbox:
    """The `imap` mailbox the two tables describe (nothing is connected yet)."""
    imap_end, smtp_end = endpoints(imap, smtp, site)
    assert imap is not None
    folders = Folders(imap.folder, imap.processed_folder, imap.quarantine_folder,
                      imap.sent_folder)
    return ImapMailbox(imap_end, smtp_end, folders, save_sent=imap.save_sent, idle=imap.idle)


def check_lines(imap: ImapSettings | None, smtp: SmtpSettings | None,
                site: Installation) -> tuple[list[str], bool]:
    """What `binome check` prints about the mailbox, step by step, and whether all is well."""
    try:
        box = open_mailbox(imap, smtp, site)
    except UserError as exc:
        return [f"imap: {exc}"], False
    lines: list[str] = []
    try:
        client = open_imap(box.imap)
    except ProviderError as exc:
        return [f"imap: {exc}"], False
    try:
        caps = {c.decode() for c in client.capabilities()}
        lines.append(f"imap: {box.imap.where}: logged in as {box.imap.username}")
        inbox = box.folder(client, box.folders.inbox, create=False)
        if not client.folder_exists(inbox):
            lines.append(f"imap: folder: {inbox!r} does not exist")
            return lines, False
        status = client.folder_status(inbox, ["MESSAGES"])
        lines.append(f"imap: folder {inbox}: {status[b'MESSAGES']} message(s) waiting")
        for configured in (box.folders.processed, box.folders.quarantine):
            existed = client.folder_exists(box.folder(client, configured, create=False))
            name = box.folder(client, configured)
            lines.append(f"imap: folder {name}: {'ready' if existed else 'ready (created)'}")
        sent = box._sent_folder(client)
        who = "the server files sent mail itself" if box.files_sent_mail(client) \
            else "the agent keeps a copy there"
        lines.append(f"imap: sent folder {sent}: {who}")
        lines.append(f"imap: {_idle_line('IDLE' in caps, box.idle)}")
        move = "MOVE" if "MOVE" in caps else "no MOVE: copy and expunge"
        lines.append(f"imap: moving read mail: {move}")
    except Exception as exc:  # noqa: BLE001 - any refusal is reported, never a traceback
        lines.append(f"imap: folder: {exc}")
        return lines, False
    finally:
        try:
            client.logout()
        except Exception:  # noqa: BLE001
            pass
    try:
        smtp_client = open_smtp(box.smtp)
        auth = "logged in as " + box.smtp.username if smtp_client.has_extn("auth") \
            else "no AUTH offered: sending without login"
        smtp_client.quit()
        lines.append(f"smtp: {box.smtp.where}: {auth}")
    except ProviderError as exc:
        lines.append(f"smtp: {exc}")
        return lines, False
    return lines, True


def _idle_line(offered: bool, wanted: bool) -> str:
    """Whether `binome run` will wait for mail with IDLE (ImapMailbox.wait_for_mail), and why."""
    if offered and wanted:
        return "IDLE: used: new mail is read as it arrives (the scheduled poll stays)"
    if offered:
        return "IDLE: offered but not used (idle = false): mail is read at each scheduled poll"
    return "IDLE: not offered by the server: mail is read at each scheduled poll"
