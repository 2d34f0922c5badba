"""Where a reply is signed: the writer's name, a short form of it ("Kev", "Jo"), initials
("J.", "-- AB", "H x"), after their answers (agent.conversation.replies.answers reads up
to there). `signer`: the writer's names, lower case, as their From header gives them.
Nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.conversation.replies.dates import fold
from agent.conversation.replies.prose import name_like, sentences, sign_off, small_talk

# A signature in initials on its own line ("J.", "P.M.", "-- AB"), an initial and a name
# ("J. Bernard", "-- M.Dupont") or a name and an initial ("Patrice V."), after an answer.
_INITIALS = re.compile(r"[-–—~\s]*(?:[A-Z]\.?(?:[ -]?[A-Z]\.?)?|[A-Z]{1,2}(?:Mc|Mac|O')[A-Z]"
                       r"|[A-Z]\.[ \t]*[A-Z][^\W\d_]*[a-zà-ÿ](?:-[A-Z][^\W\d_]+)?"
                       r"|[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?[ \t]+[A-Z]\.)"
                       r"(?:[ \t]+[xX]{1,3})?")  # "H x": kisses after the initial
_BULLET = re.compile(r"^(?:=>|->|→)\s*|^[-–•*·▪]\s+")  # "=> X", "- X"; never "-80 °C"


def signs(sentence: str, signer: Sequence[str]) -> bool:
    """Whether a sentence closing a line is the writer's signature ("... we're both
    around. H x")."""
    return (_INITIALS.fullmatch(sentence.strip()) is not None
            and not _not_theirs(sentence.strip(), signer)) or _short(sentence, signer) \
        or _initialled(sentence, signer)


def _not_theirs(initials: str, signer: Sequence[str]) -> bool:
    """Whether two capitals alone ("CI", "QA") are someone else's initials or a word's,
    where the writer's own initials are known (parse._names gives them: "kr"): the last
    answer, not a signature ("oui / 4 / mocks / tests / CI")."""
    known = [name for name in signer if re.fullmatch(r"[^\W\d_]{2,3}", name)]
    return re.fullmatch(r"[A-Z]{2}", initials) is not None and bool(known) \
        and initials.casefold() not in known


# A sign-off typed on the answer's line, after its stop ("X. Best regards, Katrin", "Y.
# Bonne soirée, Lucie Lucie Bertrand | Responsable"): the mail's end, not the answer's.
_CLOSED = re.compile(r"(?<=[.!?\U0001F300-\U0001FAFF\u2600-\u27BF])\s+(?:best regards|kind regards"
                     r"|warm regards|regards|best wishes|merci|thanks|thank you"
                     r"|many thanks|cheers|bien cordialement|cordialement|bien [àa] vous"
                     r"|bonne (?:journ[ée]e|soir[ée]e|fin de journ[ée]e)|amiti[ée]s|bises"
                     r"|belle (?:journ[ée]e|soir[ée]e)|groetjes|[àa] bient[ôo]t|take care"
                     r"|bonne continuation|je reste [àa] (?:votre|ta|vos) (?:enti[èe]re )?"
                     r"disposition)\b[\s,!.]*(?:[^\s.!?].{0,150})?$",
                     re.IGNORECASE)
# ... or capitalised right after the answer's last word, typed on a phone without its stop
# ("préparer le rdv avec le client de Roubaix Bises").
_CAPITAL_CLOSE = re.compile(r"(?<=[a-zà-ÿ0-9)])\s+(?:Bises|Bisous|Biz|Cheers|Groetjes|Cordialement"
                            r"|Bien [àa] vous|Merci|Thanks|Regards)[\s,!.]*$")


def without_sign_off(answer: str) -> str:
    """`answer` without a sign-off typed after its last stop, on its line."""
    closed = _closing(answer)
    return answer[: closed.start()] if closed is not None else answer


def _closing(answer: str) -> re.Match[str] | None:
    """Where a sign-off typed on an answer's line starts, if one is."""
    return _CLOSED.search(answer) or _CAPITAL_CLOSE.search(answer)


def unsigned(answer: str, signer: Sequence[str]) -> str:
    """An answer typed under our last question without the name signed below it
    ("Avancer vraiment, pas répéter. Gaël", "Préparer le devis.\nH. M.")."""
    initials = re.search(r"(?<=[a-zà-ÿ0-9)][.!?])\s+(?:[A-Z]\.[ \t]?){1,3}$", answer)
    if initials is not None:
        return answer[: initials.start()]
    closed = _closing(answer)
    if closed is not None:
        return answer[: closed.start()]
    for name in sorted(signer, key=len, reverse=True):
        if len(name) > 2 and len(answer) > len(name) + 3 \
                and fold(answer).endswith(" " + fold(name)):
            return answer[: len(answer) - len(name)].rstrip(" ,-–—")
    # "Le budget de la tournée UK / Sandrine Pellegrin / Chargée de production / Mistral &
    # Clyde": her full name, then a few words of title under it, ends the answer
    for name in signer:
        if " " not in name:
            continue
        signed_at = re.search(r"\s" + r"\W+".join(map(re.escape, name.split())) + r"\b",
                              answer, re.IGNORECASE)
        if signed_at is not None and signed_at.start() > 0 \
                and len(answer[signed_at.end():].split()) <= 8 \
                and not re.search(r"[.!?]\s", answer[signed_at.end():]):
            return answer[: signed_at.start()].rstrip(" ,-–—")
    # "... par véto\nHM" from Hélène Marchand: her initials in capitals, the line under it
    last = re.search(r"\s([A-Z]{2,3})$", answer)
    if last is not None and any(last.group(1) == "".join(
            word[0] for word in fold(name).split()).upper() for name in signer if " " in name):
        return answer[: last.start()]
    return answer


def answer_lines(text: str, signer: Sequence[str]) -> list[tuple[str, bool]]:
    """The lines that may answer, each with whether a blank line came before it: up to a
    sign-off ("Cordialement,") or the writer's name (`signer`: as their From header gives
    it) after an answer."""
    lines: list[tuple[str, bool]] = []
    blank = False
    said = False  # a line that is not small talk came already
    for line in text.split("\n"):
        if not line.strip():
            blank = True
            continue
        words = " ".join(re.findall(r"\w+", line.casefold()))
        # "Pierre-Yves" for Pierre-Yves Martin: the first words of the writer's name
        # ... or a name signing for the mailbox it writes from ("Fabien C. – Chantiers Genève")
        named = words in signer or _short(line, signer) or (" " in words and any(
            name.startswith(words + " ") for name in signer)) or _signs_for(line, signer) \
            or _initialled(line, signer) or _titled(line, signer)
        if said and (sign_off(line) or named or _INITIALS.fullmatch(line.strip())
                     and not _not_theirs(line.strip(), signer)):
            break
        # "Désolé pour le retard. Non, elle a été annulée.": an apology may open a line
        # that goes on answering.
        said = said or not all(small_talk(s) for s in sentences(line) or [line])
        # "- oui / - 4 / - les jointures": answers typed as a bulleted list answer in order;
        # the bullet is the writer's layout, not their words.
        # "(la prochaine fois : la discussion)": a whole line in brackets is said aside,
        # but said all the same.
        aside = re.fullmatch(r"\s*\(([^()]+)\)\s*|\s*\[([^\[\]]+)\]\s*", line)
        lines.append(((aside.group(1) or aside.group(2)).strip() if aside
                      else _BULLET.sub("", line.strip()), blank))
        blank = False
    return lines


def _signs_for(line: str, signer: Sequence[str]) -> bool:
    """Whether a line is a name, then the mailbox's own name it writes from ("Fabien
    Chappuis – Chantiers Genève" from "Chantiers Genève <...>")."""
    for name in signer:
        mailbox = r"\W+".join(re.escape(word) for word in re.findall(r"\w+", name))
        found = re.search(r"[\s,|–—-]+" + mailbox + r"\W*$", line, re.IGNORECASE) if mailbox \
            else None
        if found is not None and name_like(line[: found.start()]) \
                and len(line[: found.start()].split()) <= 4:
            return True
    return False


def _short(line: str, signer: Sequence[str]) -> bool:
    """Whether a line is the writer's first name shortened ("Kev" for Kevin, "Jo" for
    Joanna, "Steph x")."""
    word = fold(re.sub(r"[ \t]+[xX]{1,3}$", "", line.strip().rstrip(".")))
    return bool(re.fullmatch(r"[^\W\d_]{2,}", word)) and any(
        " " not in name and fold(name).startswith(word) and fold(name) != word
        for name in signer)


def _initialled(line: str, signer: Sequence[str]) -> bool:
    """Whether a line is the writer's name with some of it in initials ("P.-Y. K." or "JM
    Stoeffler" for Pierre-Yves Klein or Jean-Marc Stoeffler)."""
    tokens = re.findall(r"[^\W\d_]+", line)
    if not tokens or len(tokens) > 5 or len(line.strip()) > 40:
        return False
    letters: list[str] = []
    words: list[str] = []
    for token in tokens:
        if len(token) <= 2 and token.isupper():
            letters += list(token.casefold())  # "JM": two initials
        elif token[:1].isupper():
            letters.append(token[0].casefold())
            words.append(fold(token))
        else:
            return False
    if len(words) == len(tokens):
        return False  # no initial at all: a name in full is read elsewhere
    for name in signer:
        parts = [fold(part) for part in re.findall(r"[^\W\d_]+", name)]
        if len(parts) >= 2 and letters == [part[0] for part in parts] \
                and all(word in parts for word in words):
            return True
    return False


def _titled(line: str, signer: Sequence[str]) -> bool:
    """Whether a line is the writer's full name and the letters after it ("Ciarán
    McAllister BEng CEng MIStructE", "Anne Roux, PhD")."""
    folded = fold(line.strip()).casefold()
    for name in signer:
        full = fold(name).casefold()
        if " " in full and folded.startswith(full + " ") or folded.startswith(full + ","):
            rest = re.findall(r"[^\W\d_]+", line.strip()[len(full):])
            if 1 <= len(rest) <= 5 and all(word[:1].isupper() for word in rest):
                return True
    return False


# "[Aoife] Yes": Outlook's "Preface comments with" option puts the name before each answer
# typed into our quote.
_COMMENT_TAG = re.compile(r"^\[[^\W\d_][^\]\n]{0,40}\][ \t:]*(?=\S)")


def untagged(answer: str, signer: Sequence[str]) -> str:
    """An answer typed into our quote without the writer's tag before it: "[Aoife]", or
    their initials ("MS: Tables." from Morag Sinclair; never "SQL: joins")."""
    initials = {"".join(w[0] for w in name.split()).upper() for name in signer
                if len(name.split()) > 1}
    head = re.match(r"([A-Z]{2,3})[ \t]*:[ \t]*(?=\S)", answer)
    if head is not None and head.group(1) in initials:
        return answer[head.end():]
    return _COMMENT_TAG.sub("", answer)
