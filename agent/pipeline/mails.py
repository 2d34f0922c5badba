"""Compose the mails the planner asked for: the exact bytes the mail provider sends.

Each mail is composed once, here: the bytes are recorded with the intent, so a retry
after a crash sends the very same message, Message-ID and all. A mail carries the
others that travel inside it (`Action.bundle`, agent.conversation.pacing), and is indexed by its
Message-ID and reply token so the answer finds it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from agent.conversation.compose import Composer, InlineImage, message_id_for
from agent.conversation.messages import (
    command_context,
    intro_context,
    notice_context,
    objectives_context,
    questionnaire_context,
    reply_token,
    skipped_session,
)
from agent.core.ledger import Ledger, iso, pairing_from_doc, parse_iso
from agent.core.model import Pairing, Participant
from agent.digest.content import digest_content
from agent.digest.figures import MonthIndex, month_index
from agent.pipeline.execute import mail_payload
from agent.programme.planner import Action
from agent.programme.settings import Settings


def pairing_of(ledger: Ledger, pairing_id: str) -> Pairing:
    """The pairing `pairing_id`; KeyError when it vanished (the action then fails)."""
    doc = ledger.pairing(pairing_id)
    if doc is None:
        raise KeyError(pairing_id)
    return pairing_from_doc(doc)


class MailPreparer:
    def __init__(self, settings: Settings, ledger: Ledger, composer: Composer,
                 secret: Callable[[], bytes]) -> None:
        self.settings = settings
        self.ledger = ledger
        self.composer = composer
        # The reply tokens' secret (agent.core.secret), read (or made) at the first mail, so
        # that `binome plan` writes nothing.
        self._secret = secret
        self._secret_bytes: bytes | None = None
        self._index: tuple[str, datetime, MonthIndex] | None = None

    def secret(self) -> bytes:
        if self._secret_bytes is None:
            self._secret_bytes = self._secret()
        return self._secret_bytes

    def payload(
        self, action: Action, people: Mapping[str, Participant], now: datetime
    ) -> dict[str, Any]:
        s = self.settings
        person = people.get(action.recipient) or self._outsider(action.recipient)
        message_id = message_id_for(action.key, s.organisation.programme_email.split("@")[1])
        kind, context, images = self._context(action, person, people, now, message_id)
        # Mails due the same day travel inside this one (agent.conversation.pacing), after it.
        also = [(extra.key, *self._context(extra, person, people, now, message_id)[:2])
                for extra in action.bundle]
        owed = self.ledger.owed(action.key) if action.mail_kind == "confirm" else None
        outgoing = self.composer.compose(
            kind,
            person.language,
            context,
            key=action.key,
            sender=s.organisation.programme_email,
            sender_name=f"Binôme · {s.organisation.name}",
            to=[person.email],
            date=now,
            # A confirmation answers the person's message, in its thread.
            in_reply_to=owed.get("reply_to") if owed else None,
            also=also,
            images=images,
        )
        info = {
            # An answer to a clarification is an answer to the questionnaire.
            "kind": "questionnaire" if kind == "clarify" else kind,
            "key": action.key,
            "pairing": action.pairing_id,
            "email": person.email,
            "occurrence": iso(action.occurrence) if action.occurrence else None,
        }
        self.ledger.index_message(outgoing.message_id, reply_token(action.key, self.secret()),
                                  info, now)
        for extra in action.bundle:
            self.ledger.cover(extra.key, action.key, now)
        return mail_payload(outgoing, action.pairing_id)

    def _context(
        self, action: Action, person: Participant, people: Mapping[str, Participant],
        now: datetime, message_id: str,
    ) -> tuple[str, dict[str, Any], list[InlineImage]]:
        """The template, its context and its inline images (charts) for one mail
        (`message_id`: the message it goes in)."""
        s = self.settings
        context: dict[str, Any]
        images: list[InlineImage] = []
        if action.mail_kind == "confirm":
            context = self._confirm_context(action, person, people)
        elif action.mail_kind in ("objectives", "questionnaire", "reminder", "clarify"):
            pairing = pairing_of(self.ledger, action.pairing_id)
            series = self.ledger.series(pairing.id)
            if series is None or action.occurrence is None:
                raise ValueError(f"no series booked for {pairing.id}")
            if action.mail_kind == "objectives":
                context = objectives_context(
                    s,
                    pairing,
                    series,
                    action.occurrence,
                    person,
                    people,
                    self.ledger.focus(pairing.id),
                    self.ledger.goals(pairing.id),
                )
            else:
                # A clarification asks for the questionnaire's rating again (same links).
                context = questionnaire_context(
                    s, pairing, series, action.occurrence, person, people,
                    reply_token(action.key, self.secret()), message_id,
                    reminder=action.mail_kind == "reminder",
                )
        elif action.mail_kind == "intro":
            pairing = pairing_of(self.ledger, action.pairing_id)
            booked = self.ledger.series(pairing.id)
            if booked is None:
                raise ValueError(f"no series booked for {pairing.id}")
            context = intro_context(s, pairing, booked, person, people,
                                    reply_token(action.key, self.secret()))
        elif action.mail_kind in ("digest", "admin_digest"):
            index = self._month_index(action.month, now)
            context, images = digest_content(s, self.ledger, people, person, action.mail_kind,
                                             action.key, index, now)
        else:
            context = notice_context(s, person, action.reason, list(action.lines))
        # A reminder is the questionnaire again (answering either counts).
        # A confirmation is the `command` template.
        kind = {"reminder": "questionnaire", "confirm": "command"}.get(action.mail_kind,
                                                                       action.mail_kind)
        return kind, context, images

    def _confirm_context(
        self, action: Action, person: Participant, people: Mapping[str, Participant]
    ) -> dict[str, Any]:
        """What a command did, from what agent.conversation.commands recorded when it read it."""
        doc = self.ledger.owed(action.key) or {}
        sessions = []
        for pairing_id, occ in doc.get("skipped", []):
            pairing, series = pairing_of(self.ledger, pairing_id), self.ledger.series(pairing_id)
            if series is not None:
                sessions.append(skipped_session(pairing, series, parse_iso(occ), person,
                                                people))
        until = date.fromisoformat(doc["until"]) if doc.get("until") else None
        return command_context(self.settings, person, action.reason, until, sessions)

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
