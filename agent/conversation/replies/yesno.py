"""The words people answer yes or no with, in French and English, as regex fragments
(case-insensitive): one list for every reader of replies, so that "ouais 4" or "ya 4"
is a yes wherever a yes is read; and the emoji a short answer may close with ("Oui 🙂",
"je vais devoir arrêter 😢"). Nothing here raises.
"""

from __future__ import annotations

# "ya" is also spoken French for "il y a" ("ya pas eu de séance", "ya eu un souci"):
# never a yes before the words that go on such a sentence.
# "ye 4": a yes typed short, only before a mark ("ye" is also "you" in Irish English).
YES = (r"(?:oui+|ouais|ouai|yes+|yep|yeah|yea|yup|aye|ye(?=[ \t]*[,.!]?[ \t]*[1-5]\b)"
       r"|ya(?![ \t]+(?:pas|eu|plus|un|une|des|du|de|rien|personne|qu\w*|que|trop|encore)\b))")
NO = r"(?:non|no|nope|nan|nah)"
# Pictographs (symbols, dingbats, the star, the emoji planes), as a character class.
EMOJI = r"[\u2600-\u27bf\u2b50\U0001f300-\U0001faff]"
