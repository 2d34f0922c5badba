"""What a reply answers and what kind of message it is, from the message alone.

Terms:
- *replying to*: "intro" (our introduction, which asks for goals), "questionnaire"
  (our after-session questions, its reminder or a question about its rating),
  "objectives", "command" (a command's confirmation), "ask" (our question whether
  a command was meant), "renewal" (our "on continue ?" at a cycle's end) or "" when
  nothing says. The inbox knows it for
  sure from the ledger (In-Reply-To, token); `binome reply parse` has only the
  message, so this reads our own subjects and the quoted text of our templates
  (templates/*/intro.* and questionnaire.*).
- *kind*: "auto_reply", "command", "goals", "questionnaire" or "unknown", in that
  order of precedence: a machine's answer is never read, a command wins over any
  answer, a reply to the introduction is about goals (when it sets any, or a level),
  and a reply to any other mail of ours but the questionnaire is "unknown" even when
  it says how a session went, but for a session's objectives, which the caller reads
  as its questionnaire when the reply gives a rating or whether it took place; a reply
  to the questionnaire that answers none of its questions (thanks alone, a question to
  us, a word about something else) is "unknown" too. The kind only reports (`binome
  reply parse`): the inbox acts on the answers, goals and command it reads.
"""

from __future__ import annotations

import re

# Our subjects (templates/*/intro.subject.j2, questionnaire.subject.j2, the one-click
# "Questionnaire [token]"), then phrases only our quoted messages carry (the intro also
# mentions "un court questionnaire", so the body patterns are narrower).
_SUBJECT = {
    "intro": re.compile(r"\b(?:votre (?:mentorat|bin[ôo]me|atelier) avec|your (?:mentoring"
                        r"|learning pair|workshop) with)\b", re.IGNORECASE),
    "questionnaire": re.compile(r"comment s'est pass[ée]e|how did session|\bquestionnaire\b"
                                r"|votre note pour la s[ée]ance|your rating for session",
                                re.IGNORECASE),
    "objectives": re.compile(r"\bs[ée]ance \d+ avec .+ : |\bsession \d+ with .+: ", re.IGNORECASE),
    "command": re.compile(r"·\s*(?:vous quittez le programme|pause enregistr[ée]e|c'est reparti"
                          r"|prochaine s[ée]ance annul[ée]e|aucune s[ée]ance [àa] annuler"
                          r"|les commandes par e-mail|you have left the programme|paused\b"
                          r"|welcome back|next session cancelled|no session to cancel"
                          r"|commands by email|aucun questionnaire [àa] renvoyer"
                          r"|no questionnaire to resend)",
                          re.IGNORECASE),
    # Our question whether a command was meant, and the one-click yes to it
    # (agent.conversation.phrases: "OUI, je confirme [token]").
    "ask": re.compile(r"·\s*(?:confirmez-vous|please confirm)\b"
                      r"|^\s*(?:oui, je confirme|yes, i confirm)\s*\[B-", re.IGNORECASE),
    # Our question, or the subject of its one-click links ("Renewal [B-...]", edited or not).
    "renewal": re.compile(r":\s*(?:on continue|carry on)\s*\?"
                          r"|^\W*(?:(?:re|tr|fwd?|aw)\s*:\s*)*(?:renouvellement|renewal)\s*\[B-",
                          re.IGNORECASE),
}
_BODY = {
    "intro": re.compile(r"^\W*(?:vos objectifs|your goals)\s*:", re.IGNORECASE | re.MULTILINE),
    "questionnaire": re.compile(r"votre note, de 1 [àa] 5|your rating, from 1 to 5",
                                re.IGNORECASE),
    "objectives": re.compile(r"^\W*(?:objectifs de la s[ée]ance|objectives for this session)\b",
                             re.IGNORECASE | re.MULTILINE),
    # The question's opening (templates/*/ask.txt.j2), for a subject a client or a person
    # rewrote ("do you confirm?"); "understood" is how the English once read.
    "ask": re.compile(r"nous voulons [êe]tre s[ûu]rs? de bien vous comprendre"
                      r"|we want to be sure we underst(?:and|ood) you", re.IGNORECASE),
}
KINDS = ("questionnaire", "goals", "command", "auto_reply", "unknown")
# 12 hex digits (an HMAC, agent.conversation.messages.reply_token); 8 in mail sent before that.
_TOKEN = re.compile(r"\bB-([0-9a-f]{12}|[0-9a-f]{8})\b", re.I)


def find_token(*texts: str) -> str | None:
    """The first B-xxxxxxxxxxxx reply token in `texts` (subject first, then the body)."""
    for text in texts:
        match = _TOKEN.search(text)
        if match:
            return "B-" + match.group(1).lower()
    return None


def replying_to(subject: str, body: str) -> str:
    """What the message answers (module docstring): the subject decides, else our quoted
    text; "" when neither tells for sure."""
    for text, patterns in ((subject, _SUBJECT), (body[:100_000], _BODY)):
        found = [name for name, pattern in patterns.items() if pattern.search(text)]
        if "renewal" in found:  # "votre binôme avec X : on continue ?" names a pairing too
            found = ["renewal"]
        if len(found) == 1:
            return found[0]
    return ""


# What our question whether a command was meant asks (templates/*/ask.txt.j2), as it
# comes back quoted: `binome reply parse` has no ledger to say which command a yes confirms.
# Our question, or its gist where a client re-wrapped or a person retyped it ("do you want
# to skip your next session?"): the verb after "do you want to" names the command.
_WANT = r"(?:souhaitez-vous|voulez-vous|do you (?:want|wish)(?: to)?|would you like(?: to)?) "
_ASKED = (
    ("stop", re.compile(_WANT + r"(?:quitter|arr[êe]ter|leave|stop|withdraw)")),
    ("pause", re.compile(_WANT + r"(?:mettre (?:\S+ ){0,3}en pause|suspendre|pause)")),
    ("resume", re.compile(_WANT + r"(?:recevoir de nouveau|reprendre|receive the programme's "
                          r"emails again|resume)")),
    ("skip", re.compile(_WANT + r"(?:annuler|sauter|passer|cancel|skip)")),
    ("resend", re.compile(r"souhaitez-vous que nous vous renvoyions|(?:do you want|would you"
                          r" like) us to (?:re)?send you")),
    ("help", re.compile(_WANT + r"(?:la liste|the list)")),
)


def asked_command(body: str) -> str | None:
    """The command our quoted question whether a command was meant asks about, or None."""
    flat = " ".join(re.sub(r"(?m)^[ \t>]+", " ", body[:100_000]).split()).replace("’", "'")
    return next((name for name, pattern in _ASKED if pattern.search(flat)), None)


def kind_of(automatic: bool, command: str | None, answers_to: str, answered: bool,
            gave_goals: bool = True) -> str:
    """The message's kind (see the module docstring); `answered`: some answer was read (a
    reply that only thanks, asks us something or talks of something else answers none);
    `gave_goals`: a reply to the introduction set goals or levels (an acknowledgement
    alone is none)."""
    if automatic:
        return "auto_reply"
    if command is not None:
        return "command"
    if answers_to == "intro":
        return "goals" if gave_goals else "unknown"
    if answered and answers_to in ("questionnaire", ""):
        return "questionnaire"
    return "unknown"


# What a person typed into our subject, set apart by a dash: "note 5 — Atelier · comment
# s'est passée la séance 2 ? [B-...]", "... [B-...] — 4/5" (a rating given there only).
_ADDED = re.compile(r"^(?:\s*(?:re|r[ée]f|tr|fwd?|aw|sv)\s*:)*\s*(?P<head>[^·\[]{1,30}?)\s+[—–-]\s+"
                    r"(?=[^·]*·)|\[B-[0-9a-f]{8,12}\]\s*(?:[—–-]\s*)?(?P<tail>\S.{0,199})$",
                    re.IGNORECASE)


def added_to_subject(subject: str) -> str:
    """The words a person added to our questionnaire's subject, or ""."""
    found = _ADDED.search(subject)
    return (found.group("head") or found.group("tail") or "") if found else ""

