"""A composed digest as files someone can open: `.eml` as sent, `.html` with its charts.

The `.html` is the mail's HTML part with each `cid:` image written next to it as a
PNG and referenced by file name, so it opens in any browser; the `.eml` keeps the
`cid:` references and opens in any mail client.
"""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from agent.core.keys import ADMIN, parse_key
from agent.providers.local.maildir import atomic_write


def digest_stem(key: str) -> str:
    """`digest/<manager or admin>/<YYYY-MM>` -> `<YYYY-MM>-<manager's local part or admin>`."""
    parsed = parse_key(key)
    return f"{parsed.month}-{parsed.email.split('@')[0] or ADMIN}"


def write_digest(raw: bytes, folder: Path, stem: str) -> Path | None:
    """Write `<stem>.eml`, `<stem>.html` and `<stem>-<chart>.png`; the .html's path."""
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / f"{stem}.eml", raw)
    msg = message_from_bytes(raw, policy=default_policy)
    if not isinstance(msg, EmailMessage):
        return None
    body = msg.get_body(preferencelist=("html",))
    if body is None:
        return None
    html = body.get_content()
    for part in msg.walk():
        cid = str(part.get("Content-ID", "")).strip().strip("<>")
        if not cid or part.get_content_maintype() != "image":
            continue
        name = f"{stem}-{part.get_filename() or cid.split('@')[0] + '.png'}"
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            atomic_write(folder / name, data)
            html = html.replace(f"cid:{cid}", name)
    target = folder / f"{stem}.html"
    atomic_write(target, html.encode("utf-8"))
    return target
