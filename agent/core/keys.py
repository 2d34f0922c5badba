"""Every action key, built and read in one place.

A *key* is the stable name of one outward action, derived from what it is and
never from when it ran, so a restart finds what was already done (see DESIGN.md,
"Idempotency"). Families:

    series/<pairing>                                  book the pairing's series
    end/<pairing>                                     end it (cancel what remains)
    move/<pairing>/<occurrence>                       move one occurrence (or cancel it)
    skip/<pairing>/<occurrence>                       cancel one occurrence asked by reply
    mail/intro/<pairing>/<email>                      the introduction
    mail/<kind>/<pairing>/<occurrence>/<email>        objectives, questionnaire, reminder,
                                                      clarify (a rating asked again)
    mail/confirm/<hash of the command's Message-ID>   a command's confirmation
    mail/ask/<hash of the message's Message-ID>       did they mean that command? (a likely
                                                      one, or one not sent as a reply)
    mail/resend/<hash of the request's Message-ID>    a questionnaire sent again on request
    digest/<manager>/<YYYY-MM>, digest/admin/<YYYY-MM>
    notice/waitlist/<cycle>/<format>/<email>
    notice/declined/<pairing>/<email>
    notice/roster/<hash of the problems>

An *occurrence* is written as its original start in ISO 8601, UTC. Keys are
guessable from the roster: nothing a stranger could act with may be derived
from one without the installation's secret (agent.core.secret).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent.core.docs import iso, parse_iso
from agent.core.model import short_hash

SESSION_MAILS = ("objectives", "questionnaire", "reminder", "clarify")
ADMIN = "admin"  # has no "@": never a manager's address, so never a manager's key


def series_key(pairing_id: str) -> str:
    """The key of booking the pairing's series."""
    return f"series/{pairing_id}"


def pairing_of_series(key: str) -> str:
    """The pairing id a `series/...` key names."""
    return key.removeprefix("series/")


def end_key(pairing_id: str) -> str:
    """The key of ending the pairing (cancelling what remains of its series)."""
    return f"end/{pairing_id}"


def move_key(pairing_id: str, occurrence: datetime) -> str:
    """The one move (or skip) an occurrence gets, whatever asked for it."""
    return f"move/{pairing_id}/{iso(occurrence)}"


def skip_key(pairing_id: str, occurrence: datetime) -> str:
    """The key of cancelling one occurrence someone asked, by reply, to skip."""
    return f"skip/{pairing_id}/{iso(occurrence)}"


def intro_key(pairing_id: str, email: str) -> str:
    """The key of the pairing's introduction mail to `email`."""
    return f"mail/intro/{pairing_id}/{email}"


def mail_key(kind: str, pairing_id: str, occurrence: datetime, email: str) -> str:
    """A mail about one session (`kind` in SESSION_MAILS)."""
    return f"mail/{kind}/{pairing_id}/{iso(occurrence)}/{email}"


def confirm_key(message_id: str) -> str:
    """The confirmation of the command read in the message `message_id`."""
    return f"mail/confirm/{short_hash(message_id, length=16)}"


def ask_key(message_id: str) -> str:
    """The question whether the command read in the message `message_id` was meant."""
    return f"mail/ask/{short_hash(message_id, length=16)}"


def resend_key(message_id: str) -> str:
    """The questionnaire sent again because the message `message_id` asked for it."""
    return f"mail/resend/{short_hash(message_id, length=16)}"


def clarify_key(asked: str) -> str | None:
    """The clarification of the questionnaire (or reminder) sent under `asked`; None for any
    other key (a clarification itself is not asked about)."""
    parsed = parse_key(asked)
    if parsed.kind not in ("questionnaire", "reminder") or parsed.occurrence is None:
        return None
    return mail_key("clarify", parsed.pairing_id, parsed.occurrence, parsed.email)


def digest_key(manager: str, month: str) -> str:
    """The key of `manager`'s digest for `month` ("YYYY-MM")."""
    return f"digest/{manager}/{month}"


def admin_digest_key(month: str) -> str:
    """The key of the admin's digest for `month` ("YYYY-MM")."""
    return f"digest/{ADMIN}/{month}"


def waitlist_key(cycle: str, fmt: str, email: str) -> str:
    """The key of telling `email` that matching left them out of `fmt` in `cycle`."""
    return f"notice/waitlist/{cycle}/{fmt}/{email}"


def declined_key(pairing_id: str, by: str) -> str:
    """The key of telling the admin that `by` declined the pairing's whole series."""
    return f"notice/declined/{pairing_id}/{by}"


def roster_key(problems: list[str]) -> str:
    """One notice per distinct set of problems: the admin hears of a broken row once."""
    return f"notice/roster/{short_hash(*sorted(problems), length=16)}"


@dataclass(frozen=True)
class Key:
    """What a key names. `family` is its first part; `kind` the mail, notice or digest kind
    (`digest` or `admin_digest`); the other fields are set where the family has them."""

    family: str
    kind: str = ""
    pairing_id: str = ""
    occurrence: datetime | None = None
    email: str = ""
    month: str = ""

    @property
    def label(self) -> str:
        """`mail/objectives`, `series`, `digest`...: what `binome status` counts by."""
        return f"mail/{self.kind}" if self.family == "mail" else self.family


def parse_key(key: str) -> Key:
    """Read a key built above; an unknown shape gives just its family."""
    parts = key.split("/")
    family = parts[0]
    try:
        if family in ("series", "end"):
            return Key(family, pairing_id=parts[1])
        if family in ("move", "skip"):
            return Key(family, pairing_id=parts[1], occurrence=parse_iso(parts[2]))
        if family == "mail" and parts[1] == "intro":
            return Key(family, "intro", pairing_id=parts[2], email=parts[3])
        if family == "mail" and parts[1] in SESSION_MAILS:
            return Key(family, parts[1], pairing_id=parts[2], occurrence=parse_iso(parts[3]),
                       email=parts[4])
        if family == "mail":
            return Key(family, parts[1])
        if family == "digest":
            admin = parts[1] == ADMIN
            return Key(family, "admin_digest" if admin else "digest",
                       email="" if admin else parts[1], month=parts[2])
        if family == "notice" and parts[1] == "waitlist":
            return Key(family, "waitlist", email=parts[4])
        if family == "notice" and parts[1] == "declined":
            return Key(family, "declined", pairing_id=parts[2], email=parts[3])
        if family == "notice":
            return Key(family, parts[1])
    except (IndexError, ValueError):
        pass
    return Key(family)
