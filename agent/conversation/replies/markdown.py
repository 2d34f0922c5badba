"""Markdown typed into a mail, as chat habits bring it ("**learned** X", "1. **Goal**", an
answer pasted between ``` fences, a table of questions and answers), and a ticket's tags
("[APPRIS] X"): the marks are layout, not the person's words. Nothing here raises.

Why by hand: a Markdown library renders a whole document (paragraphs, lists, escapes) and
would change the lines the rest of the parser reads; only fences, bold, capital tags,
a checklist's boxes and a two-column table's bars are taken off here.
"""

from __future__ import annotations

import re

# A fence line ("```", "```yaml"): the block's edge, never an answer.
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[\w+-]*[ \t]*$\n?", re.MULTILINE)
# A bold head opening a line ("* **learned** X", "**Next** X"): the bold ends it as a
# colon would. One with its colon, in the bold or after it, keeps it
# ("**Learned:** X", "**Appris** : X").
_BOLD_HEAD = re.compile(r"^([ \t]*(?:[-*•][ \t]+)?)\*\*([^*\n:?]{1,30}?)\*\*"
                        r"(?![ \t]*[:?=>→–—-])(?=[ \t]+\S)", re.MULTILINE)
# A tag in capitals opening a line, as tickets and commit messages write them ("[APPRIS]
# X", "[A DEV] Y", "[OBJ 1] Z"): a head, as a bold one is. Never our token ("[B-...]",
# no space after it) nor a client's placeholder ("[image: logo]", lower case).
_TAG_HEAD = re.compile(r"^([ \t]*)\[([A-ZÀ-ÖØ-Ý][A-ZÀ-ÖØ-Ý0-9 .'’/]{0,19})\](?=[ \t]+\S)",
                       re.MULTILINE)
# A checklist's boxes ("[ ] yes [x] no", "- [x] done"): a ticked box's word is the
# answer; an empty box's word was not chosen.
_BOX_EMPTY = re.compile(r"\[ \][ \t]*[^\W\d_]+[ \t]*")
_BOX_TICKED = re.compile(r"\[[xX✓✔]\][ \t]*")
# Any other bold span with a letter in it ("1. **Write tests that don't flake**"); never
# stars typed as a rating ("Rating: **", "*****"), nor "__" ("__init__" is a word).
_BOLD = re.compile(r"(?<![*\w])\*\*(?=[^\s*])([^*\n]*?\w[^*\n]*?)(?<=[^\s*])\*\*(?![*\w])")

# A table of two columns ("| Note | 4 |"): each row a question and its answer, read as
# "Note : 4". The head row above the rule ("| Question | Réponse |") names the columns.
_TABLE_HEAD = re.compile(r"^[ \t]*\|[^|\n]*\|[^|\n]*\|[ \t]*\n"
                         r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t]*:?-{3,}:?[ \t]*\|?[ \t]*(?:\n|$)",
                         re.MULTILINE)
_TABLE_ROW = re.compile(r"^[ \t]*\|[ \t]*([^|\n]*?)[ \t]*\|[ \t]*([^|\n]*?)[ \t]*\|[ \t]*$",
                        re.MULTILINE)


def unmarked(text: str) -> str:
    """`text` without Markdown's fences and bold marks, and tags as heads (module
    docstring)."""
    if "|" in text and _TABLE_HEAD.search(text):
        text = _TABLE_ROW.sub(r"\1 : \2", _TABLE_HEAD.sub("", text))
    if "[" in text:
        text = _TAG_HEAD.sub(r"\1\2:", text)
        if _BOX_TICKED.search(text):
            text = _BOX_TICKED.sub("", _BOX_EMPTY.sub("", text))
    if "```" not in text and "~~~" not in text and "**" not in text:
        return text
    text = _FENCE.sub("", text)
    text = _BOLD_HEAD.sub(r"\1\2:", text)
    return _BOLD.sub(r"\1", text)
