"""Compose the mails the planner asked for: the exact bytes the mail provider sends.

Each mail is composed once, here: the bytes are recorded with the intent, so a retry
after a crash sends the very same message, Message-ID and all. A mail carries the
others that travel inside it (`Mail.bundle`, agent.conversation.pacing); once sent,
it is indexed by its Message-ID and reply token so the answer finds it (the payload's
writes, applied by the executor).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from agent.conversation.commands import Request
from agent.conversation.compose import Composer, InlineImage, message_id_for
from agent.conversation.messages import (
    About,
    ask_context,
    command_context,
    intro_context,
    notice_context,
    objectives_context,
    questionnaire_context,
    reply_token,
    skipped_session,
)
from agent.conversation.replies.ours import said_of
from agent.core.actions import Mail
from agent.core.ledger import Ledger
from agent.core.model import Pairing, Participant
from agent.core.payloads import MailPayload
from agent.core.records import SentMail
from agent.digest.content import digest_content
from agent.digest.figures import MonthIndex, month_index
from agent.programme.settings import Settings

Context = tuple[str, dict[str, Any], list[InlineImage]]  # template kind, context, images
# The template each kind of mail is written with (the others: their own name).
TEMPLATE = {"reminder": "questionnaire", "confirm": "command", "clarify": "clarify",
            "resend": "questionnaire"}
# Mails nobody answers: their text is not kept to read replies against.
UNANSWERED = ("digest", "admin_digest")
# Mails that answer someone's own message: they go in its thread.
ANSWERING = ("confirm", "ask", "resend")


def pairing_of(ledger: Ledger, pairing_id: str) -> Pairing:
    """The pairing `pairing_id`; KeyError when it vanished (the action then fails)."""
    record = ledger.pairings.get(pairing_id)
    if record is None:
        raise KeyError(pairing_id)
    return record.pairing


class MailPreparer:
    """Composes each planned mail, with the mails it carries, into a `MailPayload`."""

    def __init__(self, settings: Settings, ledger: Ledger, composer: Composer,
                 secret: Callable[[], bytes]) -> None:
        self.settings = settings
        self.ledger = ledger
        self.composer = composer
        # The reply tokens' secret (agent.core.secret), read (or made) at the first mail, so
        # that a command that composes nothing never touches it.
        self._secret = secret
        self._secret_bytes: bytes | None = None
        self._index: tuple[str, datetime, MonthIndex] | None = None
        self._contexts: dict[str, Callable[[Mail, Participant, Mapping[str, Participant],
                                            datetime, str], Context]] = {
            "confirm": self._confirm, "ask": self._ask,
            "objectives": self._session, "questionnaire": self._session,
            "reminder": self._session, "clarify": self._session, "resend": self._session,
            "intro": self._intro,
            "digest": self._digest, "admin_digest": self._digest,
            "notice": self._notice,
        }

    def secret(self) -> bytes:
        """The reply tokens' secret, read (or made) at the first call only."""
        if self._secret_bytes is None:
            self._secret_bytes = self._secret()
        return self._secret_bytes

    def payload(
        self, action: Mail, people: Mapping[str, Participant], now: datetime
    ) -> MailPayload:
        """The exact message for `action`, its reply token, and the keys of the mails it carries."""
        s = self.settings
        person = people.get(action.recipient) or self._outsider(action.recipient)
        message_id = message_id_for(action.key, s.organisation.programme_email.split("@")[1],
                                    self.secret())
        kind, context, images = self._context(action, person, people, now, message_id)
        # Mails due the same day travel inside this one (agent.conversation.pacing), after it.
        also = [(extra.key, *self._context(extra, person, people, now, message_id)[:2])
                for extra in action.bundle]
        owed = self.ledger.owed.get(action.key) if action.mail_kind in ANSWERING else None
        outgoing = self.composer.compose(
            kind,
            person.language,
            context,
            key=action.key,
            message_id=message_id,
            sender=s.organisation.programme_email,
            sender_name=f"Binôme · {s.organisation.name}",
            to=[person.email],
            date=now,
            # A confirmation answers the person's message, in its thread.
            in_reply_to=(owed.reply_to or None) if owed else None,
            also=also,
            images=images,
        )
        # An answer to a clarification is an answer to the questionnaire. What we wrote is
        # kept (as hashes) to read the answer against it (agent.conversation.replies.ours).
        said, questions = ("", ()) if kind in UNANSWERED else said_of(outgoing.raw, kind)
        asks = ""
        if action.mail_kind == "ask" and owed is not None:
            asks = Request(owed.command, date.fromisoformat(owed.until) if owed.until else None,
                           owed.skipped[0][1] if owed.skipped else None).words()
        sent = SentMail("questionnaire" if kind == "clarify" else
                        "ask" if action.mail_kind == "ask" else kind, action.key,
                        action.pairing_id, person.email, action.occurrence, said, questions,
                        asks)
        return MailPayload(outgoing, action.pairing_id, sent,
                           reply_token(action.key, self.secret()),
                           tuple(extra.key for extra in action.bundle))

    def _context(self, action: Mail, person: Participant, people: Mapping[str, Participant],
                 now: datetime, message_id: str) -> Context:
        """The template, its context and its inline images (charts) for one mail
        (`message_id`: the message it goes in)."""
        return self._contexts[action.mail_kind](action, person, people, now, message_id)

    def _about(self, action: Mail, person: Participant,
               people: Mapping[str, Participant]) -> About:
        pairing = pairing_of(self.ledger, action.pairing_id)
        series = self.ledger.series.get(pairing.id)
        if series is None:
            raise ValueError(f"no series booked for {pairing.id}")
        return About(self.settings, pairing, series, person, people)

    def _session(self, action: Mail, person: Participant, people: Mapping[str, Participant],
                 now: datetime, message_id: str) -> Context:
        about = self._about(action, person, people)
        if action.occurrence is None:
            raise ValueError(f"{action.key}: no session")
        if action.mail_kind == "objectives":
            pid = about.pairing.id
            return "objectives", objectives_context(
                about, action.occurrence, self.ledger.answers.focus(pid),
                self.ledger.answers.goals(pid)), []
        # A clarification asks for the questionnaire's rating again (same links); a
        # reminder is the questionnaire again (answering either counts).
        context = questionnaire_context(about, action.occurrence,
                                        reply_token(action.key, self.secret()), message_id,
                                        reminder=action.mail_kind == "reminder")
        return TEMPLATE.get(action.mail_kind, action.mail_kind), context, []

    def _intro(self, action: Mail, person: Participant, people: Mapping[str, Participant],
               now: datetime, message_id: str) -> Context:
        about = self._about(action, person, people)
        return "intro", intro_context(about, reply_token(action.key, self.secret())), []

    def _digest(self, action: Mail, person: Participant, people: Mapping[str, Participant],
                now: datetime, message_id: str) -> Context:
        index = self._month_index(action.month, now)
        context, images = digest_content(self.settings, self.ledger, people, person,
                                         action.mail_kind, action.key, index, now)
        return action.mail_kind, context, images

    def _notice(self, action: Mail, person: Participant, people: Mapping[str, Participant],
                now: datetime, message_id: str) -> Context:
        if action.notice is None:
            raise ValueError(f"{action.key}: a notice about nothing")
        record = self.ledger.pairings.get(action.pairing_id) if action.pairing_id else None
        context = notice_context(self.settings, person, action.notice, people,
                                 record.pairing if record else None)
        return "notice", context, []

    def _confirm(self, action: Mail, person: Participant, people: Mapping[str, Participant],
                 now: datetime, message_id: str) -> Context:
        """What a command did, from what agent.conversation.commands recorded when it read it."""
        owed = self.ledger.owed.get(action.key)
        sessions = []
        for pairing_id, occ in owed.skipped if owed else ():
            pairing, series = pairing_of(self.ledger, pairing_id), self.ledger.series.get(
                pairing_id)
            if series is not None:
                sessions.append(skipped_session(pairing, series, occ, person, people))
        until = date.fromisoformat(owed.until) if owed and owed.until else None
        return "command", command_context(self.settings, person, action.command, until,
                                          sessions), []

    def _ask(self, action: Mail, person: Participant, people: Mapping[str, Participant],
             now: datetime, message_id: str) -> Context:
        """The question whether a likely command was meant, with a one-click yes."""
        owed = self.ledger.owed.get(action.key)
        if owed is None:
            raise ValueError(f"{action.key}: nothing is owed under this key")
        session = ""
        for pairing_id, occ in owed.skipped:
            series = self.ledger.series.get(pairing_id)
            if series is not None:
                session = skipped_session(pairing_of(self.ledger, pairing_id), series, occ,
                                          person, people)
        until = date.fromisoformat(owed.until) if owed.until else None
        return "ask", ask_context(self.settings, person, owed.command, until, session,
                                  reply_token(action.key, self.secret()), message_id), []

    def _month_index(self, month: str, now: datetime) -> MonthIndex:
        # Every digest of a round shares one pass over the month (same tick, same `now`).
        if self._index is None or self._index[:2] != (month, now):
            self._index = (
                month,
                now,
                month_index(self.ledger, month, self.settings.organisation.timezone),
            )
        return self._index[2]

    def _outsider(self, email: str) -> Participant:
        """The admin, or a manager outside the roster: the organisation's language and zone.

        A manager's address usually holds their name (jean.dupont@); the admin's is usually
        a role (rh@, contact@), so the admin is greeted without one."""
        org = self.settings.organisation
        admin = email.lower() == org.admin_email.lower()
        return Participant(
            email=email,
            name="" if admin else email.split("@")[0].replace(".", " ").title(),
            roles=frozenset(),
            timezone=org.timezone,
            language=org.language,
        )
