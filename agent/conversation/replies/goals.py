"""The goals a learner sets for the cycle, read from their reply to the introduction.

People answer "up to three things you want to be able to do" in many ways: a
numbered list (1. / 1) / 1 - / 1/ / 1° / #1 / a) / "Objectif 1 :" / "Goal 1:", or a
phone's "1 savoir faire un tcd 2 les graphiques" with no dot), bullets (- * •), lines
under "Voici mes objectifs :", one line between semicolons, or prose ("J'aimerais
surtout automatiser l'export vers Excel et savoir lire un script", "I'd like to get
better at negotiating. Also learn to say no", "D'abord, ... Ensuite, ..."). Items win
when there are any; then the lines under a heading; then a semicolon list; then short
plain lines; then the wishes in prose, split where a new verb starts. Lines a client
wrapped are joined again first, and the levels the introduction also asks for ("Excel :
2", agent.conversation.replies.levels.level_line) are left out. Five at most, each
trimmed to a reasonable length; greetings, thanks, sign-offs, logistics and questions
are never goals. French and English alike.
"""

from __future__ import annotations

import re

from agent.conversation.replies.dates import fold
from agent.conversation.replies.levels import level_line
from agent.conversation.replies.prose import (
    GREETING,
    name_like,
    sentences,
    small_talk,
    unbulleted,
    ungreeted,
)
from agent.conversation.replies.yesno import EMOJI

MAX_GOALS = 5
MAX_LENGTH = 200
_ITEM = re.compile(
    r"^\s*(?:(?:objectif|obj|goal|but|aim)s?\.?\s*(?:n[°o]\s*)?\d{1,2}\s*[.):\-–]?|\(?\d{1,2}\s*[.)\-:/°]"
    r"|q[1-5]\s*[.):\-–]"
    r"|#\d{1,2}\b|\d\ufe0f?\u20e3|[a-e]\)|->|=>|→|[-*•–·]"
    # "(i) hold a Teams meeting;", "ii) keep the rota": a formal list's roman numerals
    r"|\(?(?:i{1,3}|iv|v)\))\s*(.+?)\s*$", re.IGNORECASE)
_SMALL_TALK = re.compile(
    r"^(" + GREETING + r"|merci|thanks|thank you|"
    r"cordialement|bien à vous|bien a vous|regards|best|cheers|à bientôt|a bientot|"
    r"voici mes objectifs|my goals|here are my goals|mes objectifs|objectifs|goals"
    r"|so excited|can['’]t wait|looking forward|trop h[âa]te|h[âa]te de commencer)\b",
    re.IGNORECASE)
# An acknowledgement of the introduction, no goal ("Bien reçu, merci.", "Noted, thanks!").
_ACK = re.compile(r"^\W*(?:bien re[çc]u|bien not[ée]|c'est not[ée]|not[ée]|re[çc]u|ok|okay"
                  r"|d'accord|parfait|entendu|got it|noted|received|sounds good|perfect"
                  r"|great|will do|super|g[ée]nial|top|cool|awesome|excellent|h[âa]te"
                  r"|looking forward"
                  r"|je serai (?:l[àa]|disponible|pr[ée]sente?)|i(?:'ll| will) be"
                  r" there)\b", re.IGNORECASE)
_INLINE_MARK = re.compile(r"(?:^|(?<=\s))([1-9])\s*[.)/]\s+(?=\S)")
_BARE_MARK = re.compile(r"(?:^|(?<=\s))([1-9])\s+(?=[^\W\d])")
# Numbers said to a phone ("number one run a class number two ...", "un savoir faire X
# deux faire Y"): a mark only before a verb, or after "number"/"numéro".
_SPOKEN_MARK = re.compile(r"(?:^|(?<=\s))(?:(?P<said>number|num[ée]ro)\s+)?"
                          r"(?P<n>one|two|three|un|deux|trois|premi[èe]rement|deuxi[èe]mement"
                          r"|troisi[èe]mement|firstly|secondly|thirdly)\s+(?=(?P<next>[^\W\d]+))",
                          re.IGNORECASE)
_SPOKEN = {"one": 1, "un": 1, "two": 2, "deux": 2, "three": 3, "trois": 3, "premierement": 1,
           "deuxiemement": 2, "troisiemement": 3, "firstly": 1, "secondly": 2, "thirdly": 3}
# (after a colon or a greeting: "bonjour 1 comprendre les clients 2 ...")
_BARE_START = re.compile(r"^(?:[^:]*:|\W*(?:" + GREETING + r")\W*)?\s*1\s", re.IGNORECASE)
_BARE_LINE = re.compile(r"^\(?([1-9])\s+(?=[^\W\d])")
# A heading the goals stand under, one per line.
_HEADING = re.compile(r"^\W*(?:(?:voici |here are )?(?:mes |my )?"
                      r"(?:trois |3 |deux |2 |three |two )?(?:objectifs?|goals?|buts?|aims?)\b"
                      r"|j['’]aimerais|je voudrais|i(?:['’]d| would) like to)", re.IGNORECASE)
# A heading said at the end of a sentence ("Alors, j'ai beaucoup réfléchi et voici ce que
# j'aimerais savoir faire d'ici février :", "So here's what I'd like to manage:").
_HEADING_WITHIN = re.compile(r"\b(?:voici (?:ce que|mes)|here(?:['’]s| is| are) (?:what|my)"
                             r"|mes objectifs|my goals)\b", re.IGNORECASE)
# Words that join one goal to the next ("and also to plan", "et idéalement de lire"): not
# part of either.
_JOINERS = (r"et|and|also|aussi|puis|then|ensuite|enfin|finally|ideally|id[ée]alement|maybe|perhaps"
            r"|peut-[êe]tre|if possible|si possible|si on a le temps|if (?:we have|there is)"
            r" time|if time allows|if time permits|si le temps le permet")
_FILLER = re.compile(rf"^(?:(?:{_JOINERS})[\s,]+|,\s*)*(?:(?:to|de|d['’])\s*)?", re.IGNORECASE)
# A line that closes the message rather than going on with a goal.
_CLOSING = re.compile(r"^(?:voil[àa]|that['’]?s (?:it|all|plenty|enough)|c['’]est tout"
                      r"|c['’]est (?:d[ée]j[àa] )?(?:pas mal|beaucoup|suffisant))\b"
                      r"|\b(?:merci|thanks?)\b", re.IGNORECASE)
# A word no goal ends on: the line was wrapped after it.
_DANGLING = re.compile(rf"(?:^|\s)(?:{_JOINERS}|plus|ou|or|to|de|du|des|le|la|les|un|une|the|an"
                       r"|of|for|pour|with|avec|à|au|aux|en|in|on|sur|my|mon|ma|mes|our|nos"
                       r"|notre)$", re.IGNORECASE)
# What opens a wish: the goals follow it.
_WISH = re.compile(
    r"(?:(?:mes |my |the |les )?(?:trois |3 |deux |2 |three |two )?(?:objectifs?|goals?)"
    r"(?: are| sont)?\s*(?::|->|=>|→)"
    # "Mes objectifs d'ici fin novembre :", "My goals by March:": a time said before the colon.
    r"|(?:mes |my )(?:trois |3 |deux |2 |three |two )?(?:objectifs?|goals?)"
    r"\s+(?:d['’]ici|pour|avant|by|for|before|until|jusqu['’][àa])\s[^:;.!?\n]{1,30}:"
    r"|mes (?:trois |3 |deux |2 )?objectifs?(?: pour (?:ce|le) cycle)?(?: sont| serait| est)?"
    r"(?: de)?\s*:?|mon (?:seul |principal )?objectif (?:est|serait|principal est) (?:de |d['’])"
    r"|(?:j['’]aimerais|je voudrais|je souhaiterais|je souhaite|je veux|j['’]adorerais"
    r"|ce serait (?:bien|top|super|id[ée]al|g[ée]nial) d['’e]|j['’]ai envie d['’e]"
    r"|je compte(?! sur)"
    # "Alors pour moi ce serait savoir faire X": what it would be, an infinitive after it.
    r"|(?:alors,? )?(?:pour moi,? )?ce (?:serait|sera)(?=\s+(?:de |d['’])?\w+(?:er|ir|re|oir)\b))\b"
    r"(?: bien| beaucoup| surtout| vraiment| aussi| avant tout)?"
    r"|my (?:three |3 |two |2 )?goals?(?: for (?:this|the) cycle)?(?: are| is)?(?: to)?\s*:?"
    # "hiya goals are run X, plan Y": the "my" left out, never "our goals" ("the goals of the
    # session are...")
    r"|(?:^|(?<=\s))(?:three |3 |two |2 )?goals? (?:are|would be)(?: to)?\b"
    r"|my (?:main |only |one )?(?:aim|objective|goal) (?:is|would be) to"
    r"|i(?:['’]d| would)(?: really| mainly| mostly| also| just)? (?:like|love) to"
    r"|\bi (?:\w+ )?(?:want|hope|wish|need|plan) to|i(?:['’]m| am) (?:hoping|keen|aiming) to"
    # "If I could also build X, that would be great", "Si je pouvais aussi X, ce serait top"
    r"|\bif i could(?: also| even)?|\bsi je pouvais(?: aussi| en plus)?"
    # A count said before the one goal: "Honestly just one: ...", "Un seul objectif : ..."
    r"|\b(?:(?:just|only|mainly|really) )?(?:one(?: thing| goal)?|a single (?:one|goal)"
    r"|(?:juste |rien qu['’])?un(?: seul)?(?: objectif| truc)?|une (?:seule )?chose"
    r"|(?P<for_me>pour moi|for me))(?: really| vraiment| pour l['’]instant| for now)?\s*:)\s*",
    re.IGNORECASE)
_CONDITION = re.compile(r"^(?:si|if|when|quand|lorsque|as long as|tant que)\b", re.IGNORECASE)
# "... 😅 voila c tout !", "... merci": the close of a line of goals, typed on.
_CLOSE_ON = re.compile(r"(?:\s*[\U0001F300-\U0001FAFF\u2600-\u27BF\ufe0f]+)*\s+(?:voil[àa]"
                       r"|that['’]?s it|that['’]?s all|c['’ ]?(?:est )?tout|c tout|merci|thanks"
                       r"|thank you)\b[^\w]*(?:\w+\W*){0,2}$", re.IGNORECASE)
# "D'ici fin novembre c'est savoir X": when, then the goal.
_WHEN_LEAD = re.compile(r"^(?:(?:d['’])?ici|pour|avant|by|before)\b[^,.;]{1,30}?\s(?:c['’]est"
                        r"|ce serait|is|would be)\s+", re.IGNORECASE)
# "(niveau 1 en prise de parole, soyons honnêtes)": a level said beside a goal, no part of it.
_LEVEL_ASIDE = re.compile(r"\s*\([^()]*\b(?:niveau|level)\b[^()]*\)\s*$"
                          # "... et mon niveau en excel je dirais deux merci", said on
                          r"|\s+(?:et|and)\s+(?:mon|my)\s+(?:niveau|level)\b.*$", re.IGNORECASE)
# "... that would be great", "..., ce serait top": the wish's close, no part of the goal.
_WOULD_BE_GOOD = re.compile(r",?\s*(?:that|it|this|which)\s+would\s+be\s+(?:great|good|nice|ideal"
                            r"|amazing|perfect)\W*$|,?\s*(?:ce|[çc]a)\s+serait\s+(?:top|bien|super"
                            r"|g[ée]nial|id[ée]al|parfait)\W*$", re.IGNORECASE)
# A shrug closing a line of goals ("... I guess", "... je pense"): no part of the last one.
_HEDGE = re.compile(r"[\s,]+(?:i guess|i think|i suppose|probably|maybe|je pense|je crois"
                    r"|j['’]imagine|peut-[êe]tre|sans doute)\W*$", re.IGNORECASE)
# "jsp encore", "not sure yet", "?": where a goal goes, none given yet.
_NO_GOAL = re.compile(r"^\W*(?:jsp|j['’]?sais pas|je (?:ne )?sais pas|aucune id[ée]e"
                      r"|pas d['’]id[ée]e|(?:je )?(?:ne )?(?:sais|vois) pas (?:encore|trop)"
                      r"|pas encore|[àa] d[ée]finir"
                      r"|not sure|no idea|dunno|idk|tbd|tbc|not yet|none(?: yet)?|rien)"
                      r"(?:\s+(?:encore|yet|for now|pour l['’]instant|pour le moment))?\W*$",
                      re.IGNORECASE)
# "D'abord, ...", "Second, ...", one goal a line: the order, not the goal.
_ORDER = re.compile(r"^(?:tout d['’]abord|d['’]abord|premi[èe]rement|deuxi[èe]mement"
                    r"|troisi[èe]mement|ensuite|puis|enfin|pour finir|first(?:ly| of all)?"
                    r"|second(?:ly)?|third(?:ly)?|then|next|finally|lastly)\s*,\s*",
                    re.IGNORECASE)
# What follows "I just want to" without being a goal: "say thanks", "confirm Monday".
# What starts with a subject is a statement ("Just one thing: I'll be late"), not a goal.
_NOT_A_GOAL = re.compile(
    r"^(?:say|thank|let you know|confirm|check|ask|dire|remercier|vous (?:dire|remercier"
    r"|signaler|pr[ée]ciser)|confirmer|signaler|pr[ée]ciser|be there|be on time|attend|come"
    r"|[êe]tre (?:l[àa]|pr[ée]sente?|[àa] l['’]heure)|venir|j['’]|c['’]est"
    r"|(?:i|we|you|they|he|she|it|there)['’]\w+)\b"
    r"|^(?:je|i|we|on|nous|il|elle|ils|elles|they|he|she|[çc]a|this|that|there)\s",
    re.IGNORECASE)
_ORDINAL = re.compile(r"(?:then|next|second|third|deuxi[èe]mement|troisi[èe]mement|enfin"
                      r"|(?:and )?finally|(?:et )?pour finir|lastly)\b", re.IGNORECASE)
# The first of goals written one sentence each ("D'abord, ... Ensuite, ... Enfin, ...").
_FIRST = re.compile(r"^(?:tout d['’]abord|d['’]abord|premi[èe]rement|en premier(?: lieu)?"
                    r"|first(?:ly| of all)?|to begin with)\s*[,:]?\s+", re.IGNORECASE)
_ADVERB = re.compile(r"^(?:surtout|d['’]abord|vraiment|bien|aussi|mainly|really|also|first|mostly"
                     r"|plus|and|et|to|de|d['’])\s+", re.IGNORECASE)
_MORE = re.compile(r"^(?:also|and also|plus|aussi|et aussi|ensuite|then|and|et|puis|next"
                   r"|second(?:ly)?|third(?:ly)?|deuxi[èe]mement|troisi[èe]mement|enfin"
                   r"|(?:and )?finally|(?:et )?pour finir|lastly)\s*,?\s+(?:to\s+|de\s+)?",
                   re.IGNORECASE)
# A sentence that says there is no goal (yet), or asks something: no wish in it.
_NOT_A_WISH = re.compile(
    r"\b(?:ne|n['’])\s*\w*\s*(?:pas|plus)\b|\bi have no\b|\bno (?:goals?|idea)\b"
    r"|\bnot (?:yet|sure)\b|\b(?:don['’]t|do not|haven['’]t|have not)\b|\?")
_EN_VERBS = {
    "be", "become", "do", "pass", "hold", "build", "clean", "communicate", "create", "deliver",
    "design", "explain",
    "feel", "get", "give", "grow", "handle", "improve", "lead", "learn", "make", "manage",
    "master", "negotiate", "plan", "prepare", "present", "read", "run", "say", "speak", "start",
    "stop", "take", "understand", "use", "work", "write", "automate", "know", "set", "sell",
    "delegate", "coach", "structure", "analyse", "analyze", "organise", "organize",
    # English has no infinitive ending to spot: the verbs people set goals with.
    "sketch", "draft", "review", "estimate", "split", "shoot", "edit", "sharpen", "shorten",
    "fix", "test", "debug", "deploy", "migrate", "facilitate", "pitch", "close", "track",
    "report", "forecast", "hire", "interview", "onboard", "mentor", "teach", "train", "ship",
    "launch", "price", "chair", "moderate", "draw", "illustrate", "film", "record",
    "translate", "prioritise", "prioritize", "schedule", "measure", "model", "visualise",
    "visualize", "query", "code", "program", "refactor", "document", "drive", "influence",
    "persuade", "convince", "publish", "keep", "find", "choose", "avoid", "reduce", "cut",
    "save", "gain", "listen", "answer", "respond", "follow", "map", "apply", "practise",
    "practice", "polish", "tidy", "sort", "integrate", "configure", "install", "speed",
    "define", "assess", "evaluate", "audit", "share", "adopt", "coordinate",
    "develop", "craft", "outline", "summarise", "summarize", "study", "explore", "boost",
    "deepen", "strengthen", "stay", "host", "support", "produce", "lose", "invoice", "file",
    "bake", "cook", "shape", "plate", "decorate", "mix", "serve", "deal", "sound", "laminate",
}


_OWN_NUMBER = re.compile(r"^\d{1,2}\s*[.)]\s+")
# A checklist's box before a goal ("[ ] une charte BIM", "☐ run a sprint").
_CHECKBOX = re.compile(r"^(?:\[[ xX✓✔]?\]|[☐☑☒])\s*")
# What a phone's goal line opens with before the goal itself: "je veux savoir faire X",
# "objectif faire X", "I want to run X", "alors moi je voudrais savoir X" (a verb must
# follow).
_ITEM_HEAD = re.compile(r"^(?:(?:alors|donc|bon|ben|bah|et|so|well|and)[, ]+)?(?:moi[, ]+)?"
                        r"(?:je veux|je voudrais|j['’]aimerais|i want to|i['’]d like to"
                        r"|(?:mon |my )?(?:objectif|goal|aim)s?\s*:?)\s+", re.IGNORECASE)
# Levels said after the last goal on the same dictated line: "... for little things levels
# excel one bookkeeping two".
_LEVELS_AFTER = re.compile(r"(?:[.;,]\s*|\s+)(?:my |mon |mes )?(?:levels?|niveaux?)\s*:?\s+"
                           r"(?![1-5]\b)[^\W\d][^\n]{0,60}?\b(?:[1-5]|one|two|three|four|five|un"
                           r"|deux|trois|quatre|cinq)\b.*$", re.IGNORECASE)
# A goal's joining word ("et compter ...", "Et aussi apprendre ...").
_JOINED = re.compile(r"(?:et|and)\s+(?:(?:aussi|also)\s+)?", re.IGNORECASE)
# A list's mark typed after our own number ("1) => mener ..."): no part of the goal.
_ARROW = re.compile(r"^(?:=>|->|→|»)\s*")
# A developer's goals written as commit messages ("feat: run a sprint planning", "fix(pr):
# stop rewriting PRs"): the commit's type is no part of the goal.
_COMMIT_TYPE = re.compile(r"^(?:feat|fix|chore|docs|refactor|perf|test|build|ci|style)"
                          r"(?:\([\w -]{1,20}\))?!?:\s+(?=\S)")


def _before_a_verb(lead: re.Pattern[str], item: str) -> str:
    """`item` without the words `lead` matches at its start, when a verb follows them."""
    match = lead.match(item)
    rest = item[match.end():] if match else ""
    return rest if rest and _verb(rest.split()[0]) else item


def _a_level(line: str) -> bool:
    """Whether a line gives a level, not a goal: "- Get chartered-ready on Eurocode 2" is a
    bulleted goal (a verb first, no colon) whose skill's name ends in a figure."""
    bullet = re.match(r"^\s*[-*•–]\s+(\S+)", line)
    if bullet and ":" not in line and _verb(bullet.group(1)):
        return False
    return level_line(line)


def read_goals(text: str) -> list[str]:
    """The goals (five at most) in what a person wrote in reply to the introduction."""
    # The introduction also asks for levels: "Excel : 2" under the goals is a level.
    lines = _sms_numbered(_unwrapped([_bare(part) for line in unbulleted(text).splitlines()
                                      if not _a_level(line) for part in _numbered_inline(line)]))
    items = [m.group(1) for line in lines if (m := _ITEM.match(line))]
    items = items or _after_heading(lines) or _semicolons(lines) or _in_turn(lines)
    if not items:
        plain = [line for line in lines if line and not _SMALL_TALK.match(line)
                 and not _ACK.match(line) and not _CLOSING.match(line)
                 and not (name_like(line) and not _verb(line.split()[0]))  # a signature
                 and not line.endswith((":", "?")) and len(line.split()) > 1
                 and not small_talk(line)]
        # Short lines are goals; longer ones too when each starts with a verb, as goals do.
        if len(plain) >= 2 and (all(len(line.split()) <= 12 for line in plain) or all(
                len(line.split()) <= 30 and _verb(line.split()[0]) for line in plain)):
            items = plain
        elif len(plain) == 1 and (listed := _comma_list(plain[0])):
            items = listed  # "Ear cytology, allergy work-ups, diets."
        elif len(plain) == 1 and _verb(plain[0].split()[0]) and not _NOT_A_WISH.search(
                fold(plain[0])) and len(plain[0].split()) <= 30:
            # One line of goals that starts as a goal does, with a verb ("get better at X
            # and learn Y I guess"): the goals in it, without the shrug closing it.
            items = _split(_HEDGE.sub("", plain[0]).strip(" .!"))
        else:
            items = _wishes(" ".join(
                line for line in lines if line and not name_like(line)
                and (_WISH.search(line) or not small_talk(line))))
    goals = []
    for item in items:
        item = item.strip(" ;,").lstrip(": ")  # "goals would be: understand X, ...": its colon
        # "1. Lire une liasse" typed under our quoted "1. ..." slot: the writer's own
        # number comes on top of ours, and is no more part of the goal than ours.
        item = _OWN_NUMBER.sub("", _LEVEL_ASIDE.sub("", _CHECKBOX.sub("", item)))
        item = _ORDER.sub("", _COMMIT_TYPE.sub("", item))
        # (the levels first: "... le soir voilà niveau négociation 2" closes on "voilà")
        item = _LEVELS_TAIL.sub("", _LEVELS_AFTER.sub("", item))
        item = _CLOSE_ON.sub("", _WHEN_LEAD.sub("", item)) if len(item.split()) > 3 else item
        item = _ARROW.sub("", item)
        item = _before_a_verb(_ITEM_HEAD, item)  # "je veux savoir faire X", "objectif faire X"
        item = _before_a_verb(_JOINED, item)  # "et compter le fond" (not "et le traiter")
        if item and item not in ("...", "…") and not _SMALL_TALK.match(item) \
                and not _NO_GOAL.match(item) and not re.fullmatch(r"\([^()]*\)\W*", item):
            goals.append(item[:MAX_LENGTH])
    return goals[:MAX_GOALS]


# "hiya 👋 goals r X and Y 💀 sourdough 1 scoring 1", "slt, X et Y voila. niveau levain 2
# faconnage 3": one texted line, the greeting, the heading and the levels around the goals.
_GREETED = re.compile(r"^\W*" + GREETING + r"\b[\s,!.]*(?:" + EMOJI + r"\s*)*", re.IGNORECASE)
_GOALS_ARE = re.compile(r"^(?:my |mes |the )?(?:goals?|objectifs?|aims?)\s+(?:r|are|sont|=)\s+",
                        re.IGNORECASE)
_LEVELS_AFTER_A_STOP = re.compile(r"(?<=[.!]|" + EMOJI + r")\s*(?:niveaux?\s+|levels?\s+)?"
                                  r"((?:[^\W\d][\w'’-]*\s+){1,3}[1-5]\b(?:[\s/,;]+(?:[^\W\d][\w'’-]*"
                                  r"\s+){1,3}[1-5]\b)*)(?:\s+(?:lol|haha|mdr))?\W*$", re.IGNORECASE)


def _bare(line: str) -> str:
    """A line of goals without its greeting, its "goals are" and the levels after it."""
    line = line.strip()
    levels = _LEVELS_AFTER_A_STOP.search(line)
    if levels and levels.start() > 0 and not _verb(levels.group(1).split()[0]):
        line = line[: levels.start()].strip()  # ("... cert lol. phonics teaching 1")
    bare = _GOALS_ARE.sub("", _GREETED.sub("", line, count=1), count=1)
    return bare if bare and bare != line and _verb(bare.split()[0]) else line


def _unwrapped(lines: list[str]) -> list[str]:
    """Lines a client wrapped made whole again: a line that ends on a word that cannot end
    a goal ("..., and also", "avec les", "for the") goes on in the next one, and so does
    a numbered or bulleted goal without a full stop when the next line starts in lower case."""
    whole: list[str] = []
    for line in lines:
        if (whole and whole[-1] and line and not _ITEM.match(line)
                and not re.fullmatch(r"[^\W\d_]+[ \t]+x{1,3}\W*", line, re.IGNORECASE)  # "ellie x"
                and not _SMALL_TALK.match(line) and not _ACK.match(line)
                and not small_talk(line) and not _CLOSING.search(line)
                and (_DANGLING.search(whole[-1]) or _ITEM.match(whole[-1])
                     and line[:1].islower() and not whole[-1].endswith((".", "!", "?", ":")))):
            whole[-1] += " " + line
        else:
            whole.append(line)
    return whole


def _numbered_inline(line: str) -> list[str]:
    """"Mes objectifs : 1) savoir faire un TCD 2) automatiser" -> one line per item, when
    the numbers on the line run 1, 2(, 3). Typed on a phone the numbers may have no dot
    ("1 savoir faire un tcd 2 les graphiques"): then the line (or what follows its colon)
    starts with 1, and each item has two words at least, so "1 ou 2 idées" stays whole."""
    for pattern, bare in ((_INLINE_MARK, False), (_BARE_MARK, True)):
        marks = list(pattern.finditer(line))
        if len(marks) < 2 or [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
            continue
        ends = [m.start() for m in marks[1:]] + [len(line)]
        items = [f"{m.group(1)}. {line[m.end():end].strip()}" for m, end in zip(
            marks, ends, strict=True)]
        if bare and (not _BARE_START.match(line) or any(len(i.split()) < 3 for i in items)):
            continue
        return [line[:marks[0].start()], *items]
    spoken = [m for m in _SPOKEN_MARK.finditer(line) if m.group("said") or _verb(m.group("next"))
              or len(m.group("n")) > 6]  # "premièrement" is a mark, whatever follows
    if len(spoken) >= 2 and [_SPOKEN[fold(m.group("n"))] for m in spoken] == list(
            range(1, len(spoken) + 1)):
        ends = [m.start() for m in spoken[1:]] + [len(line)]
        return [line[:spoken[0].start()], *(f"{_SPOKEN[fold(m.group('n'))]}. "
                                            f"{line[m.end():end].strip()}"
                                            for m, end in zip(spoken, ends, strict=True))]
    return [line]


def _sms_numbered(lines: list[str]) -> list[str]:
    """Lines numbered without a dot ("1 savoir faire un tcd", "2 les graphiques") made
    items, when such lines run 1, 2(, 3): one line "2 dashboards" alone stays a line."""
    bare = [(i, m) for i, line in enumerate(lines) if (m := _BARE_LINE.match(line))]
    if len(bare) < 2 or [int(m.group(1)) for _, m in bare] != list(range(1, len(bare) + 1)):
        return lines
    lines = list(lines)
    for i, m in bare:
        lines[i] = f"{m.group(1)}. {lines[i][m.end():]}"
    return lines


def _after_heading(lines: list[str]) -> list[str]:
    """The lines under a heading that announces the goals ("Mes objectifs :", "My goals
    for the cycle:"), however long, until a blank line, a greeting or a signature: the
    heading says what they are, so one line is enough."""
    for i, line in enumerate(lines):
        if line.endswith(":") and (_HEADING.match(line) or _HEADING_WITHIN.search(line)):
            block: list[str] = []
            rest = lines[i + 1:]
            while rest and not rest[0]:  # a blank line between the heading and its goals
                rest = rest[1:]
            for at, below in enumerate(rest):
                if not below:
                    # one goal a paragraph: go on past the blank only to another goal
                    after = next((b for b in rest[at + 1:] if b), "")
                    if block and after and _verb(after.split()[0]):
                        continue
                    break
                if _SMALL_TALK.match(below) or _ACK.match(below) or (
                        name_like(below) and not _verb(below.split()[0])):
                    break
                block.append(below)
            return [b for b in block if not b.endswith("?")]
    return []


def _comma_list(line: str) -> list[str]:
    """Three goals or more named on one line between commas ("Ear cytology, allergy
    work-ups, explaining elimination diets."): short, and none a clause of its own."""
    if len(sentences(line)) > 1:
        return []  # "Firstly, sketch X. Secondly, run Y.": sentences, read as wishes
    parts = [p.strip(" .!") for p in re.split(r",\s+|\s+(?:and|et)\s+", line.strip())]
    if len(parts) < 3 or not all(1 <= len(p.split()) <= 6 for p in parts) or _ORDER.match(
            parts[0] + ", ") or any(
            re.match(r"(?:i|je|j['’]|we|on|nous|il|elle|it|c['’]est|it['’]s|ça|ca)\b", p,
                     re.IGNORECASE) for p in parts):
        return []
    return parts


# Goals dashed on one line after a colon ("Mes objectifs : - X - Y").
_DASHED = re.compile(r":\s*-\s+\S.*\s-\s+\S")


# The words that set goals in turn in a sentence said aloud ("premièrement X deuxièmement Y
# troisièmement Z", "d'abord X, ensuite Y, et enfin Z", "firstly X, secondly Y").
_TURN_FIRST = r"(?:premi[èe]rement|d['’]abord|tout d['’]abord|firstly|first of all|first off)"
_TURN_THEN = (r"(?:deuxi[èe]mement|troisi[èe]mement|ensuite|puis|et enfin|enfin|secondly|thirdly"
         r"|then|and finally|finally|and lastly|lastly)")
# Levels run into the end of a dictated sentence: "... les jurys Management de projet 4
# Concours 5" (skills in capitals, each then its figure; two at least).
_LEVELS_TAIL = re.compile(r"(?:\s+[A-ZÀ-Ý][^\d,.;:]{1,30}?\s[1-5]){2,}\s*$")


def _in_turn(lines: list[str]) -> list[str]:
    """Goals said in turn on one line, each after its ordinal word, and only when the first
    and at least two more are there; [] otherwise."""
    for line in lines:
        first = re.search(r"(?i)(?:^|[\s,;:])" + _TURN_FIRST + r"[\s,:]", line)
        if first is None:
            continue
        rest = line[first.end():]
        parts = re.split(r"(?i)[\s,;]+" + _TURN_THEN + r"[\s,:]+", rest)
        if len(parts) < 3:
            continue
        parts = [p.strip(" ,;.") for p in parts]
        if all(1 <= len(p.split()) <= 20 for p in parts):
            return parts
    return []


def _semicolons(lines: list[str]) -> list[str]:
    """Goals on one line between semicolons ("faire un TCD ; les graphiques ; les macros")
    or spaced slashes, after a label ("Objectifs : ...", "goals - ") or a wish ("I'd like
    to ...") when there is one. Two parts with neither label nor wish must both start with
    a verb: "Looking forward to it; see you Monday" is no list of goals."""
    for line in (s for whole in lines for s in sentences(ungreeted(whole))):
        # ("goals - a / b / c": spaced slashes set goals apart as semicolons do)
        dashed = _DASHED.search(line) is not None
        if (";" not in line and " / " not in line and not dashed) \
                or _NOT_A_WISH.search(fold(line)):
            continue
        line = re.sub(r"\s+/\s+", "; ", line)
        if dashed:  # "Mes objectifs : - X - Y": a list on a line
            line = re.sub(r"\s+-\s+", "; ", re.sub(r":\s*-\s+", ": ", line, count=1))
        # "D'ici juin, je voudrais ...", "By March, I'd like to ...": when, then the wish
        line = re.sub(r"^\W*(?:d['’]ici|by|before|avant|until|jusqu['’][àa])\s[^,;:]{1,30},\s*",
                      "", line, flags=re.IGNORECASE)
        wish = _WISH.match(line) or re.match(r"^[^:;]{1,40}:\s*", line) \
            or re.match(r"^\W*(?:my )?(?:goals?|objectifs?|aims?)\s*[-–—]\s*", line, re.I)
        rest = line[wish.end():] if wish else line
        if small_talk(rest) or _SMALL_TALK.match(rest) or _ACK.match(rest):
            continue
        while _ADVERB.match(rest):
            rest = rest[_ADVERB.match(rest).end():]  # type: ignore[union-attr]
        parts = [_FILLER.sub("", p.strip(" .!")) for p in rest.split(";") if p.strip(" .!")]
        if len(parts) < 2 or not all(1 <= len(p.split()) <= 15 for p in parts):
            continue
        if wish or len(parts) >= 3 or all(_verb(p.split()[0]) for p in parts):
            return parts
    return []


def _wishes(text: str) -> list[str]:
    """Goals written as prose: what follows a wish, split where a new verb starts, and
    the sentences right after it that go on with one ("Also learn to say no")."""
    goals: list[str] = []
    wishing = False
    for sentence in sentences(text):
        folded = fold(sentence)
        wish = _WISH.search(sentence) or _FIRST.match(sentence)
        # A "no" before the wish says there is none ("I don't have goals yet"); one inside
        # the goal is part of it ("stop nodding along when I don't understand").
        if _NOT_A_WISH.search(folded[: wish.end()] if wish else folded) \
                or folded.rstrip().endswith("?"):
            wishing = False
            continue
        more = None if wish is not None or not wishing else _MORE.match(sentence)
        if wish is None and more is None:
            wishing = False
            continue
        rest = sentence[(wish or more).end():]  # type: ignore[union-attr]
        wishing = True
        while (again := _WISH.match(rest) or _ADVERB.match(rest)) and again.end():
            rest = rest[again.end():]  # "Goals for me: I'd like to ...": the second wish too
        rest = re.sub(r"\s*(?::-?\)|;-?\)|:D|[😀-🙏])+\s*$", "", rest).strip(" .!")
        rest = _WOULD_BE_GOOD.sub("", rest).strip(" .!,")
        # After an order word ("D'abord,", "Then") or "pour moi :" only a verb starts a
        # goal: "OK pour moi : jeudi", "Next week I'm away" are not goals.
        label = (wish is not None and (wish.re is _FIRST or bool(wish.groupdict().get("for_me")))
                 or more is not None and _ORDINAL.match(sentence) is not None)
        if _NOT_A_GOAL.match(rest) or (label and not _verb(rest.split()[0] if rest else "")):
            wishing = False
            continue
        goals += _split(rest)
    return goals


def _split(wish: str) -> list[str]:
    """"A vers Excel et savoir lire et corriger un script" -> ["A vers Excel", "savoir lire
    et corriger un script"]: a new goal starts at ", " / " et " / " and " before a verb,
    once the one before has three words."""
    parts: list[str] = []
    current: list[str] = []
    # ("get quicker on the till. learn the stock count": a stop before a verb too)
    tokens = re.split(r"(,\s+|;\s+|\.\s+|\s+et\s+|\s+and\s+|\s+ainsi que\s+|\s+as well as\s+)",
                      wish)
    for i, token in enumerate(tokens):
        if i % 2 == 0:
            current.append(token)
            continue
        # "... and to present", "et de lire", ", et apprendre", ", and also to plan"
        # ("; ensuite, savoir ...": the joiner may stand before a comma of its own)
        following = _FILLER.sub("", "".join(tokens[i + 1:])).split()[:2]
        # ("and not kill the starter again": a goal too, said the other way round)
        if following and (_verb(following[0]) or following[0] == "not") \
                and len(" ".join(current).split()) >= 3:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(token)
    parts.append("".join(current).strip())
    parts = [_FILLER.sub("", p) for p in parts]
    # "Et si on a le temps, mieux gérer X": the condition is no goal of its own.
    return [p for p in parts if len(p.split()) >= 2 and not _CONDITION.match(p)]


def _verb(word: str) -> bool:
    """Whether `word` reads as a verb starting a goal (a French infinitive, an English verb)."""
    word = fold(word).strip(".,;")
    return word in _EN_VERBS or bool(re.fullmatch(r"\w{3,}(?:er|ir|re|oir)", word)) or word in (
        "etre", "faire", "savoir", "pouvoir", "mieux", "bien",
        "lire", "dire", "voir", "oser", "agir")  # infinitives too short for the pattern
