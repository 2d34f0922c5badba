"""Why a pairing was made, or why someone was left out, in French and in English.

The reason goes into the series' description and the introduction email, so
it is written in the participants' language (a pairing shares one by rule;
a pinned pair that does not uses the learner's). Unmatched reasons are for the
admin, in the organisation's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from agent.core.model import Participant

_AND = {"en": "and", "fr": "et"}
_OR = {"en": "or", "fr": "ou"}


def listing(items: Sequence[str], lang: str, word: dict[str, str] = _AND) -> str:
    """`items` as a sentence's list ("a, b and c"), joined by `word` in `lang`."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word.get(lang, 'and')} {items[-1]}"


def _lang(*people: Participant) -> str:
    return people[-1].language if people else "en"


def mentoring(mentor: Participant, mentee: Participant, skills: Sequence[str],
              back: Sequence[str], strategic: bool, pinned: bool) -> str:
    """Why `mentor` and `mentee` were matched, in the mentee's language."""
    lang = _lang(mentor, mentee)
    what = listing(skills, lang)
    if lang == "fr":
        text = f"{mentor.name} enseigne {what}, {_que(mentee.name)} souhaite apprendre"
        if back:
            text += f" ; en retour, {mentee.name} peut lui faire découvrir {listing(back, lang)}"
    else:
        text = f"{mentor.name} teaches {what}, which {mentee.name} wants to learn"
        if back:
            text += f"; in return, {mentee.name} can show them {listing(back, lang)}"
    return text + _notes(lang, strategic, pinned)


def group(members: Sequence[Participant],
          lessons: Sequence[tuple[Participant, Participant, Sequence[str]]],
          missing: Mapping[str, Sequence[str]], strategic: bool, pinned: bool) -> str:
    """Why peers were grouped: for each member, what they learn and from whom, or that they
    come to teach (and, when no peer teaches what they want, which skills those are). In
    the learners' language (a group shares one, except a pair the admin pinned)."""
    learners = [s for _, s, _ in lessons]
    lang = (learners or list(members))[-1].language
    clauses = [_learns(person, taught, lang) for person in members
               if (taught := [(t, k) for t, s, k in lessons if s.email == person.email])]
    for person in members:
        if any(s.email == person.email for _, s, _ in lessons):
            continue
        text = f"{person.name} vient enseigner" if lang == "fr" else \
            f"{person.name} comes to teach"
        gaps = list(missing.get(person.email, ()))
        if gaps:
            text += (f" (aucun pair n'enseigne encore {listing(gaps, lang)})" if lang == "fr"
                     else f" (no peer teaches {listing(gaps, lang)} yet)")
        clauses.append(text)
    joined = " ; ".join(clauses) if lang == "fr" else "; ".join(clauses)
    return joined + _notes(lang, strategic, pinned)


def _learns(person: Participant, taught: Sequence[tuple[Participant, Sequence[str]]],
            lang: str) -> str:
    if lang == "fr":
        parts = [f"{listing(list(skills), lang)} auprès {_de(t.name)}" for t, skills in taught]
        return f"{person.name} apprend {listing(parts, lang)}"
    parts = [f"{listing(list(skills), lang)} from {t.name}" for t, skills in taught]
    return f"{person.name} learns {listing(parts, lang)}"


def workshop(host: Participant, skill: str, members: Sequence[Participant],
             strategic: bool) -> str:
    """Why the workshop was made: its host, its skill and its members, in the host's language."""
    lang = host.language
    names = listing([m.name for m in members], lang)
    n = len(members)
    if lang == "fr":
        text = (f"{host.name} anime un atelier {skill} pour {n} personnes qui souhaitent "
                f"l'apprendre : {names}")
    else:
        text = f"{host.name} hosts a {skill} workshop for {n} people who want to learn it: {names}"
    return text + _notes(lang, strategic, False)


def _que(name: str) -> str:
    """French elision: "qu'Antoine", "qu'Émilie", but "que Bob"."""
    first = unicodedata.normalize("NFKD", name[:1]).lower()[:1]
    return f"qu'{name}" if first and first in "aeiouyh" else f"que {name}"


def _de(name: str) -> str:
    """French elision: "d'Ana", "d'Émilie", but "de Béa"."""
    first = unicodedata.normalize("NFKD", name[:1]).lower()[:1]
    return f"d'{name}" if first and first in "aeiouyh" else f"de {name}"


def _notes(lang: str, strategic: bool, pinned: bool) -> str:
    notes = []
    if strategic:
        notes.append("compétence stratégique pour l'entreprise" if lang == "fr"
                     else "a strategic skill for the company")
    if pinned:
        notes.append("binôme demandé par l'organisateur du programme" if lang == "fr"
                     else "pair requested by the programme's organiser")
    return f" ({'; '.join(notes)})" if notes else ""


# -- why someone is left out (for the admin) ------------------------------------
NOT_ELIGIBLE = {
    "language": {"en": "no shared language", "fr": "pas de langue commune"},
    "reporting": {"en": "same reporting line", "fr": "lien hiérarchique"},
    "hours": {"en": "working hours do not overlap enough",
              "fr": "horaires de travail sans créneau commun assez long"},
    "forbidden": {"en": "pair forbidden by the settings",
                  "fr": "binôme exclu par la configuration"},
    "recent": {"en": "already paired in a recent cycle",
               "fr": "déjà en binôme lors d'un cycle récent"},
    "declined": {"en": "one of the two declined their sessions together",
                 "fr": "l'un des deux a décliné leurs séances"},
    "withdrawn": {"en": "stopped mentoring before", "fr": "a déjà arrêté de mentorer"},
}

UNMATCHED = {
    "nothing": {"en": "wants to learn nothing listed",
                "fr": "ne souhaite rien apprendre de ce qui est proposé"},
    "no_teacher": {"en": "no mentor teaches {skills}", "fr": "aucun mentor n'enseigne {skills}"},
    "not_eligible": {"en": "no eligible mentor for {skills} ({why})",
                     "fr": "aucun mentor possible pour {skills} ({why})"},
    "capacity": {"en": "no mentor with capacity left for {skills}",
                 "fr": "aucun mentor disponible pour {skills} (tous au complet)"},
    "no_peer": {"en": "no complementary peer", "fr": "aucun pair complémentaire"},
    "no_peer_teacher": {"en": "no peer teaches {skills}", "fr": "aucun pair n'enseigne {skills}"},
    "peer_not_eligible": {"en": "no eligible peer teaches {skills} ({why})",
                          "fr": "aucun pair possible n'enseigne {skills} ({why})"},
    "peers_taken": {"en": "every complementary peer is already paired",
                    "fr": "tous les pairs complémentaires ont déjà un binôme"},
}


def unmatched(code: str, lang: str, skills: Sequence[str] = (), why: Sequence[str] = ()) -> str:
    """Why someone was left out (an `UNMATCHED` code), for the admin in `lang`."""
    text = UNMATCHED[code].get(lang, UNMATCHED[code]["en"])
    reasons = ", ".join(dict.fromkeys(NOT_ELIGIBLE[w].get(lang, w) for w in why))
    return text.format(skills=listing(list(skills), lang, _OR), why=reasons)
