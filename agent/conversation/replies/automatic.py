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
    r"^\s*(r[ée]ponse automatique|message automatique|automatic reply|auto(?:matic)?[- ]?reply"
    r"|out of (?:the )?office|"
    r"absence|absent|autoreply|undeliverable|non remis|delivery status notification|"
    r"mail delivery (?:failed|failure))\b", re.IGNORECASE)


# What out-of-office answers say, when no header tells (some servers and clients send
# them as ordinary mail). One strong sign is enough; weak ones count two together, since
# a person's own reply may say "I'm off in December".
_AWAY_STRONG = re.compile(
    r"\bout of (?:the )?office\b|\babsente? du bureau\b|\br[ée]ponse automatique\b"
    r"|\bmessage automatique\b|\bautomatic reply\b|\bauto-?reply\b"
    r"|\bvotre (?:message|e-?mail|courriel) ne sera pas (?:transf[ée]r[ée]|lu|trait[ée])\b"
    r"|\bacc[èe]s (?:tr[èe]s )?limit[ée] [àa] (?:ma messagerie|mes (?:e-?mails|mails|messages))\b"
    r"|\b(?:limited|no) access to (?:my )?e-?mails?\b|\bwill not be (?:read|forwarded)\b"
    r"|\bje (?:prendrai|lirai) (?:connaissance de )?(?:votre|vos) (?:message|e-?mail)s?"
    r" [àa] mon retour\b"
    r"|\bi will (?:reply|respond|answer|get back)(?: to (?:your|you)(?: e-?mail| message)?)?"
    r" (?:when|as soon as|on my return|upon my return)"
    r"|\b(?:i )?will (?:reply|respond|answer|get back to you)[^.\n]{0,30}?\b(?:when i(?:['’]m| am)"
    r" back|upon my return|on my return|when i return)\b"
    r"|\b(?:je )?(?:traiterai|lirai|prendrai connaissance de|r[ée]pondrai [àa]) (?:votre|vos)"
    r" (?:message|e-?mail|courriel)s? (?:d[èe]s|[àa]) mon retour\b"
    # "ne consulte mes messages que de façon irrégulière", "checking email intermittently"
    r"|\bne (?:consulte|lis|rel[èe]ve) (?:pas |que rarement |qu['’]occasionnellement )?(?:mes"
    r" |ma )(?:messages|e-?mails|mails|messagerie|courriels)\b"
    r"|\bcheck(?:ing)? (?:my )?e-?mails? (?:only )?(?:intermittently|occasionally|sporadically)\b"

    r"|\bn['’](?:ai|aurai) (?:pas|plus|aucun) (?:d['’])?acc[èe]s [àa] (?:ma messagerie"
    r"|mes (?:e-?mails|mails|messages|courriels))\b",
    re.IGNORECASE)
_AWAY_WEAK = re.compile(
    r"\bje (?:suis|serai) (?:actuellement )?(?:absente?|en (?:cong[ée]s?|vacances|d[ée]placement"
    r"|formation|s[ée]minaire|arr[êe]t|mission))\b|\bde retour (?:le|au bureau|lundi|mardi|mercredi"
    r"|jeudi|vendredi)\b|\bpour toute urgence\b|\ben cas d['’]urgence\b"
    r"|\bi(?:['’]m| am| will be) (?:currently )?(?:away|on (?:annual |parental |sick )?leave"
    r"|on (?:holiday|vacation)|travell?ing|out)\b|\breturning (?:on|to the office)\b"
    r"|\bback (?:in the office )?on (?:monday|tuesday|wednesday|thursday|friday|\d)"
    r"|\bfor urgent (?:matters|requests|issues)\b|\bin case of emergency\b|\bannual leave\b"
    r"|\bfor anything urgent\b|\bpour toute (?:demande|question) urgente\b"
    # (weak: "Please pause until the 23rd, I won't be checking email" is a person's)
    r"|\b(?:won['’]t|will not) be (?:checking|reading|monitoring) (?:my )?e-?mails?\b"
    r"|\bne (?:consulterai|lirai|rel[èe]verai) pas (?:mes |ma )(?:messages|e-?mails|mails"
    r"|messagerie|courriels)\b"
    r"|\bthank you for your (?:message|e-?mail)\b|\bmerci (?:pour|de) votre (?:message|e-?mail"
    r"|courriel)\b|\bje vous r[ée]pondrai (?:d[èe]s|[àa]) mon retour\b",
    re.IGNORECASE)


def away_text(text: str) -> bool:
    """Whether `text` (what a message added to ours) reads as an out-of-office answer."""
    head = text[:3000]
    return bool(_AWAY_STRONG.search(head)) or len(_AWAY_WEAK.findall(head)) >= 2


OUT_OF_OFFICE_TEXT = "out-of-office text"  # the reason when only the words say so


def automatic_reply(msg: Message, subject: str, text: str = "") -> str:
    """Why `msg` was written by a machine (RFC 3834 and the usual headers, else what its
    new `text` says), or ""."""
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
    if away_text(text):
        return OUT_OF_OFFICE_TEXT
    return ""


def raw_header(msg: Message, name: str) -> str:
    """The raw (unparsed) value of the first `name` header, '' when absent."""
    for key, value in msg.raw_items():
        if isinstance(key, str) and key.lower() == name.lower():
            return str(value)[:4000]
    return ""
