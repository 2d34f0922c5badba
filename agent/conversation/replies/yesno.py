"""The words people answer yes or no with, in French and English, as regex fragments
(case-insensitive): one list for every reader of replies, so that "ouais 4" or "ya 4"
is a yes wherever a yes is read; and the emoji a short answer may close with ("Oui 🙂",
"je vais devoir arrêter 😢"); and whether a reply to our "did you mean ...?" opens with
a yes. Nothing here raises.
"""

from __future__ import annotations

import re

from agent.conversation.replies.dates import fold_quotes

# "ya" is also spoken French for "il y a" ("ya pas eu de séance", "ya eu un souci"):
# never a yes before the words that go on such a sentence.
# "ye 4": a yes typed short, only before a mark ("ye" is also "you" in Irish English).
YES = (r"(?:oui+|ouais|ouai|yes+|yep|yeah|yea|yup|aye|ye(?=[ \t]*[,.!]?[ \t]*[1-5]\b)"
       r"|ya(?![ \t]+(?:pas|eu|plus|un|une|des|du|de|rien|personne|qu\w*|que|trop|encore)\b))")
NO = r"(?:non|no|nope|nan|nah|naw)"  # ("naw", "didnae": a Scot's no)
# Pictographs (symbols, dingbats, the star, the emoji planes), as a character class.
EMOJI = r"[\u2600-\u27bf\u2b50\U0001f300-\U0001faff]"


# A yes to our question whether a command was meant ("OUI", "Yes please", "je confirme").
_YES = re.compile(
    r"^\W*(?:" + YES + r"|ok|okay|d'accord|dac|confirm[ée]?|confirmed|je (?:le )?confirme"
    r"|i confirm|c'est (?:bien )?(?:ca|cela)|exact(?:ement)?|absolument|bien sur|tout a fait"
    r"|correct|that'?s (?:right|correct)|sure|of course|indeed|affirmative)\b")
_NO = re.compile(r"^\W*(?:" + NO + r"|pas du tout|surtout pas|not at all|annul|cancel|ignore)\b")


# "ouais enfin non finalement", "yes... actually no": the yes taken back at once.
_YES_THEN_NO = re.compile(r"^\W*" + YES + r"\W+(?:(?:enfin|en fait|finalement|actually|well|wait"
                          r"|oh|hmm)\W+)?" + NO + r"\b(?!\s+(?:problem|probleme|worries|souci))")


def says_yes(text: str) -> bool:
    """Whether the new text of a reply opens with a yes (and not with a no)."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    folded = fold_quotes(first)
    return bool(_YES.match(folded)) and not _NO.match(folded) and not _YES_THEN_NO.match(folded)
