"""How simulated people write their answers, as real mail clients format them.

Gmail, Outlook and Apple Mail quote the message they answer differently, in
French and in English; some people answer in HTML, some use the one-click
rating link, some number their answers, some label them. The agent must read
all of these, so the simulation writes all of these.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from html import escape

from babel.dates import format_datetime as babel_datetime

LEARNED = {
    "fr": [
        "J'ai appris à structurer {skill} pas à pas.",
        "Les bases de {skill} sont plus claires.",
        "Une méthode concrète pour {skill}.",
        "Comment éviter les erreurs courantes en {skill}.",
    ],
    "en": [
        "I learned how to approach {skill} step by step.",
        "The basics of {skill} are clearer.",
        "A concrete method for {skill}.",
        "How to avoid common mistakes in {skill}.",
    ],
}
DEVELOP = {
    "fr": [
        "Gagner en autonomie sur {skill}.",
        "Les cas avancés de {skill}.",
        "La pratique régulière.",
    ],
    "en": [
        "Becoming autonomous in {skill}.",
        "The advanced cases of {skill}.",
        "Regular practice.",
    ],
}
NEXT = {
    "fr": ["Un exercice réel de mon équipe.", "Revoir les points bloquants.", "Un cas pratique."],
    "en": ["A real exercise from my team.", "Go over what blocked me.", "A hands-on case."],
}


# A command people are not sure of yet, as they write it: the agent asks them back.
LIKELY = {
    ("fr", "pause"): "Bonjour,\n\nJe crois que je vais devoir mettre le mentorat en pause "
                     "jusqu'au {until}, je vous confirme.\n\n{name}",
    ("fr", "skip"): "Bonjour, je crois que je ne pourrai pas être là : on peut sauter la séance "
                    "de {day} ?\n\n{name}",
    ("en", "pause"): "Hi,\n\nI think I might need to pause the mentoring until {until}, "
                     "I'll confirm.\n\n{name}",
    ("en", "skip"): "Hi, can we skip {day}'s session? I'm travelling that week.\n\n{name}",
}
YES = {"fr": ["OUI", "Oui, je confirme.", "Oui merci"],
       "en": ["YES", "Yes please.", "Yes, confirmed"]}


def likely_text(lang: str, command: str, *, name: str, until: str, day: str) -> str:
    """A likely command in `lang` (see LIKELY): a pause until `until`, or a skip of `day`'s
    session."""
    return LIKELY[(lang, command)].format(name=name, until=until, day=day)


@dataclass(frozen=True)
class Original:
    """The message being answered, as the person's mail client saw it."""

    message_id: str
    subject: str
    sender: str
    date: datetime
    body: str


GOALS = {
    "fr": ["Être autonome sur {skill} au quotidien", "Savoir expliquer {skill} à un client",
           "Préparer seul·e un dossier qui demande du {skill}",
           "Gagner une heure par semaine grâce à {skill}"],
    "en": ["Use {skill} on my own day to day", "Explain {skill} to a client with confidence",
           "Prepare a whole piece of work that needs {skill} alone",
           "Save an hour a week thanks to {skill}"],
}


def goals_text(rng: random.Random, lang: str, skills: list[str]) -> str:
    """A reply to the introduction giving one to three goals, in one of the ways people do."""
    picks = rng.sample(GOALS[lang], rng.randint(1, 3))
    goals = [g.format(skill=rng.choice(skills)) for g in picks]
    style = rng.choice(["numbered", "bullets", "lines"])
    hello = "Bonjour,\n\n" if lang == "fr" else "Hi,\n\n"
    thanks = "\n\nMerci !" if lang == "fr" else "\n\nThanks!"
    if style == "numbered":
        body = "\n".join(f"{i}. {g}" for i, g in enumerate(goals, 1))
    elif style == "bullets":
        body = "\n".join(f"- {g}" for g in goals)
    else:
        body = "\n".join(goals)
    return hello + body + thanks


@dataclass(frozen=True)
class Answer:
    """What a simulated person means to say: whether it took place, the rating, the skill."""

    held: bool
    rating: int
    skill: str


def answer_text(rng: random.Random, lang: str, answer: Answer) -> str:
    """A questionnaire answer as people write one: numbered, labelled, a rating alone, prose."""
    skill = answer.skill
    learned = rng.choice(LEARNED[lang]).format(skill=skill)
    develop = rng.choice(DEVELOP[lang]).format(skill=skill)
    nxt = rng.choice(NEXT[lang])
    yes, no = ("Oui", "Non") if lang == "fr" else ("Yes", "No")
    if not answer.held:
        return (
            "Non, la séance n'a pas eu lieu cette fois (imprévu client)."
            if lang == "fr"
            else "No, the session didn't happen this time (client emergency)."
        )
    style = rng.choice(["numbered", "labelled", "oneclick", "prose"])
    if style == "numbered":
        return f"1. {yes}\n2. {answer.rating}\n3. {learned}\n4. {develop}\n5. {nxt}"
    if style == "oneclick":
        return f"Note : {answer.rating}" if lang == "fr" else f"Rating: {answer.rating}"
    if style == "labelled" and lang == "fr":
        return (
            f"{yes}, la séance a bien eu lieu.\nNote : {answer.rating}/5\nAppris : {learned}\n"
            f"À développer : {develop}\nProchaine fois : {nxt}"
        )
    if style == "labelled":
        return (
            f"{yes}, it took place.\nRating: {answer.rating}/5\nLearned: {learned}\n"
            f"To develop: {develop}\nNext time: {nxt}"
        )
    if lang == "fr":
        return f"Bonne séance, je mets {answer.rating}/5. {learned}\nMerci !"
    return f"Good session, I'd give it {answer.rating}/5. {learned}\nThanks!"


def _quote_header(client: str, lang: str, original: Original) -> str:
    when = original.date
    if client == "gmail":
        if lang == "fr":
            stamp = babel_datetime(when, "EEE d MMM y 'à' HH:mm", locale="fr")
            return f"Le {stamp}, {original.sender} a écrit :"
        stamp = babel_datetime(when, "EEE, MMM d, y 'at' h:mm a", locale="en")
        return f"On {stamp}, {original.sender} wrote:"
    if client == "apple":
        stamp = babel_datetime(
            when, "d MMM y 'à' HH:mm" if lang == "fr" else "d MMM y, 'at' HH:mm", locale=lang
        )
        return (
            f"Le {stamp}, {original.sender} a écrit :"
            if lang == "fr"
            else f"On {stamp}, {original.sender} wrote:"
        )
    stamp = babel_datetime(when, "EEEE d MMMM y HH:mm", locale=lang)
    if lang == "fr":
        return f"De : {original.sender}\nEnvoyé : {stamp}\nÀ : moi\nObjet : {original.subject}"
    return f"From: {original.sender}\nSent: {stamp}\nTo: me\nSubject: {original.subject}"


def compose_reply(
    rng: random.Random,
    *,
    client: str,
    lang: str,
    html: bool,
    keep_headers: bool,
    person: tuple[str, str],
    programme: str,
    original: Original,
    text: str,
    message_id: str,
    date: datetime,
) -> bytes:
    """A reply as `client` would send it: `text` on top, the original quoted below."""
    header = _quote_header(client, lang, original)
    quoted_lines = original.body.strip().splitlines()
    if client == "outlook":
        plain = f"{text}\n\n________________________________\n{header}\n\n" + "\n".join(
            quoted_lines
        )
    else:
        plain = f"{text}\n\n{header}\n" + "\n".join(f"> {line}" for line in quoted_lines)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = formataddr(person)
    msg["To"] = programme
    prefix = "RE: " if client == "outlook" else ("Re: " if rng.random() < 0.8 else "Réf : ")
    msg["Subject"] = prefix + original.subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    if keep_headers:
        msg["In-Reply-To"] = original.message_id
        msg["References"] = original.message_id
    if html:
        body = "<br>".join(escape(line) for line in text.splitlines())
        quoted = "<br>".join(escape(line) for line in quoted_lines)
        head = "<br>".join(escape(line) for line in header.splitlines())
        markup = (
            f'<html><body><div dir="ltr">{body}</div><br>'
            f'<div class="{client}_quote"><div>{head}</div>'
            f'<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">'
            f"{quoted}</blockquote></div></body></html>"
        )
        if client == "outlook":
            msg.set_content(markup, subtype="html")  # Outlook often sends HTML only
        else:
            msg.set_content(plain)
            msg.add_alternative(markup, subtype="html")
    else:
        msg.set_content(plain)
    boundary_seed = message_id.strip("<>").split("@")[0]
    if msg.is_multipart():
        msg.set_boundary(f"==sim{boundary_seed}==")
    return msg.as_bytes()


def command_reply(
    *,
    person: tuple[str, str],
    programme: str,
    original: Original,
    word: str,
    message_id: str,
    date: datetime,
) -> bytes:
    """A reply with `word` (STOP, PAUSE...) above five quoted lines of `original`."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = formataddr(person)
    msg["To"] = programme
    msg["Subject"] = "Re: " + original.subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    msg["In-Reply-To"] = original.message_id
    msg["References"] = original.message_id
    msg.set_content(f"{word}\n\n> " + "\n> ".join(original.body.strip().splitlines()[:5]))
    return msg.as_bytes()
