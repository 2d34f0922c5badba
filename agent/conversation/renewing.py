"""What the renewal mail says: the cycle ends, shall we go on? and your level now.

One mail per member of a pairing, `ASK_BEFORE` its end (agent.programme.renewal), with
three one-click answers (each a `mailto:` link that opens a prefilled reply, in the
thread of this mail, with the reply token in its subject): continue with the same
people, change, or stop after this cycle. The reply's body leaves a line per skill for
the person's level now (1-5), which they may fill before sending. The mail says what no
answer counts as, and by when to answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from agent.conversation.compose import mailto_link
from agent.conversation.messages import (
    About,
    learned_skills,
    partner_names,
    person_ctx,
    role_label,
)
from agent.conversation.phrases import phrases

_WORDS = {
    "fr": {"subject": "Renouvellement [{token}]", "label": "Renouvellement : {choice}",
           "continue": "continuer", "change": "changer", "stop": "arrêter",
           "change mentoring host": "Changer de mentoré·e", "change mentoring": "Changer de mentor",
           "change pair": "Changer de binôme"},
    "en": {"subject": "Renewal [{token}]", "label": "Renewal: {choice}",
           "continue": "continue", "change": "change", "stop": "stop",
           "change mentoring host": "Change mentee", "change mentoring": "Change mentor",
           "change pair": "Change partner"},
}


def renewal_context(about: About, token: str, message_id: str, deadline: datetime,
                    default: str, programme_email: str) -> dict[str, Any]:
    """The renewal mail's context: who, until when, the three links, what no answer means,
    and the skills whose level is asked."""
    pairing, person, series = about.pairing, about.person, about.series
    lang = "fr" if person.language == "fr" else "en"
    words = _WORDS[lang]
    zone = ZoneInfo(person.timezone)
    skills = learned_skills(pairing, person)
    levels = "".join(f"\n{skill} : " if lang == "fr" else f"\n{skill}: " for skill in skills)
    subject = words["subject"].format(token=token)

    def link(choice: str) -> str:
        body = words["label"].format(choice=words[choice]) + ("\n" + levels if levels else "")
        return mailto_link(programme_email, subject, body, message_id)

    host = "mentoring host" if pairing.format == "mentoring" and \
        person.email == pairing.host else pairing.format
    return {
        "person": person_ctx(person),
        "programme_name": about.settings.organisation.name,
        "admin_email": about.settings.organisation.admin_email,
        "stop_hint": phrases(person.language)["stop"],
        "partner_names": partner_names(pairing, person, about.people),
        "format": pairing.format,
        "role_label": role_label(pairing, person.email, person.language),
        "skills": list(pairing.skills),
        # `until` is the next cycle's first instant: the last day is the one before.
        "cycle_end": _day(series.until - timedelta(seconds=1), zone, lang),
        "answer_by": _day(deadline - timedelta(seconds=1), zone, lang),
        "default": default,
        "change_label": words[f"change {host}"],
        "links": {choice: link(choice) for choice in ("continue", "change", "stop")},
        "level_skills": skills,
        "reply_token": token,
    }


def _day(when: datetime, zone: ZoneInfo, lang: str) -> str:
    return format_date(when.astimezone(zone).date(), "EEEE d MMMM y", locale=lang)
