"""Messages written by machines: out-of-office answers and delivery reports (bounces).

Read from raw header values (RFC 3834 Auto-Submitted, Precedence, the X- headers
Exchange and others add, the usual subjects in French and English) and, for a
bounce, from its message/delivery-status part (RFC 3464). Nothing here raises.
"""

from __future__ import annotations

import re
from email.message import Message

_RECIPIENT = re.compile(
    r"^(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?([^\s<>;]+@[^\s<>;]+)>?",
    re.IGNORECASE | re.MULTILINE)
_FAILED = re.compile(r"^action:\s*failed", re.IGNORECASE | re.MULTILINE)


def failed_recipients(msg: Message) -> tuple[str, ...]:
    """The addresses a delivery report (RFC 3464) says failed, lower-cased; () otherwise."""
    if not raw_header(msg, "Content-Type").lower().startswith("multipart/report"):
        return ()
    found: dict[str, None] = {}
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # Each per-recipient block is its own header block in the payload.
        blocks = part.get_payload() if part.is_multipart() else [part]
        for block in blocks if isinstance(blocks, list) else [blocks]:
            text = block.as_string() if isinstance(block, Message) else str(block)
            for chunk in re.split(r"\n\s*\n", text):
                addresses = _RECIPIENT.findall(chunk)
                if addresses and _FAILED.search(chunk):
                    found[addresses[-1].lower()] = None  # Final-Recipient wins over Original
    return tuple(found)


# Subjects mail servers and clients give their automatic answers, in French and English.
_AUTO_SUBJECT = re.compile(
    r"^\s*(r[ée]ponse automatique|automatic reply|auto(?:matic)?[- ]?reply|out of (?:the )?office|"
    r"absence|absent|autoreply|undeliverable|non remis|delivery status notification|"
    r"mail delivery (?:failed|failure))\b", re.IGNORECASE)


def automatic_reply(msg: Message, subject: str) -> str:
    """Why `msg` was written by a machine (RFC 3834 and the usual headers), or ""."""
    auto = raw_header(msg, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = raw_header(msg, "Precedence").strip().lower()
    if precedence in ("bulk", "auto_reply", "junk", "list"):
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if raw_header(msg, name):
            return f"{name} header"
    if raw_header(msg, "Content-Type").lower().startswith("multipart/report"):
        return "a delivery report (bounce)"
    if _AUTO_SUBJECT.match(subject):
        return f"subject {subject!r}"
    return ""


def raw_header(msg: Message, name: str) -> str:
    """The raw (unparsed) value of the first `name` header, '' when absent."""
    for key, value in msg.raw_items():
        if isinstance(key, str) and key.lower() == name.lower():
            return str(value)[:4000]
    return ""
