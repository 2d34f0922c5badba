"""Markdown typed into a mail, as chat habits bring it ("**learned** X", "1. **Goal**", an
answer pasted between ``` fences): the marks are layout, not the person's words. Nothing
here raises.

Why by hand: a Markdown library renders a whole document (paragraphs, lists, escapes) and
would change the lines the rest of the parser reads; only three marks are taken off here.
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
# Any other bold span with a letter in it ("1. **Write tests that don't flake**"); never
# stars typed as a rating ("Rating: **", "*****"), nor "__" ("__init__" is a word).
_BOLD = re.compile(r"(?<![*\w])\*\*(?=[^\s*])([^*\n]*?\w[^*\n]*?)(?<=[^\s*])\*\*(?![*\w])")


def unmarked(text: str) -> str:
    """`text` without Markdown's fences and bold marks (module docstring)."""
    if "```" not in text and "~~~" not in text and "**" not in text:
        return text
    text = _FENCE.sub("", text)
    text = _BOLD_HEAD.sub(r"\1\2:", text)
    return _BOLD.sub(r"\1", text)
