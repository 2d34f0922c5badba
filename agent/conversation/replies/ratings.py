"""Ratings as people write them, in French and English.

Terms:
- *rating*: a whole number from 1 to 5 (our scale, templates/*/questionnaire.*).
- *unclear*: a rating seems given but is not one number from 1 to 5: a half ("3,5",
  "3.5/5", "3 et demi"), a range ("4-5", "4 ou 5", "somewhere between 3 and 4"), or a
  word where the number goes ("Note : bof", "2. top"). It is then asked again
  (agent.conversation.commands), never guessed.
- *slot*: text that answers the rating question itself (after "Note :", under
  "2. Votre note", on the second line of answers given in order): there a lone
  number or word is the rating; elsewhere only explicit forms count ("4/5",
  "4 sur 5", "four out of five", "★★★★☆", "⭐⭐⭐⭐", "4 étoiles", "je mets 4",
  "I'd rate it 4", "Oui, 4.").

Marks out of 10, 20 or 100 are scaled to 5 and rounded half up ("8/10" is 4, "7/10"
and "9/10" are 4 and 5): the writer gave a whole mark on a scale of their own. A date
("le 8/10", "15/10/2026"), a time ("10:00"), a session number ("séance n° 3") or a
count ("3 parties") is never a rating. Nothing here raises.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import chain

from agent.conversation.replies.yesno import EMOJI, NO, YES

_WORDS = {
    "un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7,
    "huit": 8, "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10, "vingt": 20,
    "twenty": 20, "cent": 100, "hundred": 100,
}
# A mark from 2 to 5 in words; "one" and "un" are left out where they would read a
# pronoun ("good one") or the French article ("un 4") as a mark.
_TWO_TO_FIVE = r"two|three|four|five|deux|trois|quatre|cinq"
_MARK = rf"(?:[1-5]|one|{_TWO_TO_FIVE})"  # a figure, or one of these words
_NUMBER = r"(?:\d{1,3}(?:[.,]\d{1,2})?|un|une|one|deux|two|trois|three|quatre|four|cinq|five)"
_HALF = r"(?:[.,]5|½|\s+(?:et\s+demie?|and\s+a\s+half))"
# "4/5", "8 / 10", "4 sur 5", "four out of five", "3,5/5"; never a date ("le 8/10",
# "15/10/2026") nor a fraction of a longer number.
_SCALED = re.compile(
    r"(?<![\w/.,:])(?<!le )(?<!du )(?<!au )(?<!\bon )(?<!the )(?<!depuis )(?<!until )"
    rf"({_NUMBER}{_HALF}?)\s*(?:/|sur|out\s+of|outta|of|from|on(?=\s*(?:5|10)\s*(?:[.,;!)]|$)))\s*"
    r"(5|10|20|100|cinq|five|dix|ten)(?![\d/]|\w)",
    re.IGNORECASE)
# "eight out of ten", "sept sur dix": a mark out of ten in words.
_TEN_WORDS = re.compile(r"\b(six|sept|seven|huit|eight|neuf|nine|ten|dix)\s+"
                        r"(?:out\s+of|outta|sur)\s+(?:ten|dix|10)\b", re.IGNORECASE)
_STARS = re.compile(r"(?<![★⭐🌟*])([★⭐🌟]{1,5})(?:[★☆⭐🌟\ufe0f]*)(?![★⭐🌟])"
                    # "👍👍👍👍": thumbs counted as stars, three or more (one or two agree)
                    r"|(?<!👍)((?:👍[\U0001F3FB-\U0001F3FF\ufe0f]?){3,5})(?!👍)"
                    r"|(?:^|[:\s])(\*{1,5})\s*$", re.MULTILINE)
_STAR_WORDS = re.compile(rf"(?<![\w.,])({_NUMBER}{_HALF}?)\s*(?:[ée]toiles?|stars?)\b", re.I)
# "Je lui donne raison", "Ça mérite réflexion": these verbs with what is no mark.
_NO_MARK = (r"\s+(?:raison|tort|rendez-vous|r[ée]flexion|coup|acc[eè]s|mon avis|d['’]|qu['’]"
            r"|le d[ée]tour|mention|attention|confiance|que|de|du|des|les|la|le|l['’]|ma|mon|mes"
            r"|sa|son|ses|notre|votre|leur|ce|cette|ces)")
# "Note : 4", "note 5/5", "Rating: 4", "je mets 4", "je lui donne un 4", "I'd give it a 4",
# "I'd rate it 4", "I rate it 3", "je dirais 4", "I'd say a 4", "ça vaut un 5": the value
# after such words is read as a slot.
_LABEL = re.compile(
    r"(?:\b(?:ma |my |la |the |votre |your )?(?:note|notes|rating|score|[ée]valuation)"
    r"(?:\s*[:=]\s*|\s+[-–]\s+(?=[1-5]\b|(?:one|un|" + _TWO_TO_FIVE + r")\b)"
    # "My rating is 4.", "ma note serait 3"
    r"|\s+(?:is|was|would be|est|serait|c['’]est)\s+(?=[1-5]\b|(?:one|un|" + _TWO_TO_FIVE
    + r")\b)"
    r"|\s+(?=[\d★⭐*]|(?:un|une|one|deux|two|trois|three|quatre|four|cinq"
    r"|five)\b))"
    # "je lui mettrais volontiers un 5", "I'd happily give it a 4": an adverb between.
    r"|\bje (?:lui |vous |leur )?(?:mets|met|mettrais|donne|donnerais|note|attribue"
    r"|attribuerais|accorde|accorderais)\b"
    r"(?: (?:volontiers|facilement|largement|bien|sans h[ée]siter|sans probl[eè]me))?"
    r"(?: une? note de| la note de| une?)?(?: (?:bon|bonne|petit|tr[eè]s bon))?"
    r"(?!(?:\s+une?)?" + _NO_MARK + r"\b)"
    # "on met 5", a team's "we": only a mark that ends its clause ("on met 2 personnes").
    r"|\bon (?:lui )?(?:met|mettrait|donne|donnerait)(?: une?)?(?: (?:bon|bonne|petit))?"
    r"(?=\s+[1-5]\s*(?:$|[.,;:!)]|/|sur\b))"
    r"|\bj['’](?:attribue|accorde)\b(?: une? note de| la note de| une?)?"
    # Typed for someone else: "Il met 4", "she says 4", "he'd give it a 5"; only before a
    # mark ("Elle dit merci", "She says hi" give none)
    r"|\b(?:(?:il|elle) (?:lui )?(?:met|donne|note|dit)\b(?: une?)?"
    r"|\b(?:he|she)(?: (?:says|gives(?: it)?|rates(?: it)?|would (?:give|rate)(?: it)?)"
    r"|['’]d (?:give|rate)(?: it)?)\b"
    r"(?: an?)?)"
    r"(?=\s+(?:" + _MARK + r"|un|une)\b)"
    r"|\bj['’]ai (?:mis|donn[ée])\b(?: une?)?"
    r"|\b(?:[çc]a|cela|elle) m[ée]rite\b(?: une?)?(?!(?:\s+une?)?" + _NO_MARK + r"\b)"
    r"|\bi (?:put|gave)(?: it)?(?: an?)?\b"
    # "Yep it happened! Gave it a 4 – ...": the subject left out
    r"|(?:^|(?<=[.!?,]\s))gave it(?: an?)?\b"
    r"|\b(?:it |this )?deserves?\b(?: an?)?"
    r"|(?:(?:\bi(?:['’]d|['’]ll| would| will| should)?|\bid|\bwould)"
    r" (?:happily |gladly |easily |only |just |probably )?"
    r"(?:give|rate)"
    r"|(?:^|(?<=[\s,]))give(?= it\b))"  # "yes it happened give it a four": said to a phone
    r"(?: it| this(?: one)?| the session)?(?: (?:easily|happily|gladly|comfortably))?(?: an?)?"
    r"(?: (?:solid|strong|good|easy|clear))?\b"
    # "I'll give it a go", "I'd give it some thought": no mark is given
    r"(?!\s+(?:(?:it|this|her|him|them)\s+)?(?:an?\s+)?(?:go|try|shot|chance|miss|rest|break|pass|look|thought|whirl|bash|crack|read|listen"
    r"|second|few|couple|some|more|time|week|month|day|call|ring|shout|think)\b)"
    # "je dirais quatre", "so I'll only say 3": the mark ends the clause, never "3 people".
    r"|\b(?:je (?:dirais|dirai|mettrai)|disons|(?:i )?rated(?: it)?|not[ée]e?"
    r"|(?:i(?:['’]d|['’]ll| would| will| should|d| d)|(?:^|(?<=[.!]\s))would)"
    r" (?:only |just |probably )?say"  # "Would say 4.": the subject left out
    r"(?: (?:it was|it['’]s|it is|that was|that['’]s))?"
    r"|\bi(?:['’]d| would)? put it at"
    r"|[çc]a vaut|worth)(?:\s+(?:une?|an?))?"
    # "I'd say a solid 4", "je dirais un bon 3": a word that judges the mark.
    r"(?:\s+(?:solid|strong|good|easy|clear|bon|bonne|petit|tr[eè]s bon))?"
    # "je dirais 3 ou 4": a range, read (as unclear) only where it ends the clause too.
    r"(?=\s+(?:[1-5]|un|une|one|deux|two|trois|three|quatre|four|cinq|five)"
    r"(?:\s*(?:ou|or|-|–|[àa]|to)\s*[1-5]|\s+(?:et demie?|and a half))?\s*(?:$|[.,;:!)/]|[-–—]\s"
    r"|sur\b|out\b|overall\b|pour\b|for\b|stars?\b|[ée]toiles?\b|i['’]m afraid|h[ée]las"
    r"|maybe\b|i guess\b|i think\b|probably\b|je pense\b|peut-[êe]tre\b"
    r"|because\b|parce\b|car\b|since\b|as\b|she\b|he\b|it\b|they\b|tbh\b|this time\b"
    # "je mettrai quatre et pas cinq": the mark, then the one it is not
    r"|et pas\b|and not\b|not\b"
    r"|cette fois\b)))"
    r"[\s,:=-]{0,6}(.{0,40})", re.IGNORECASE)
# "Oui, 4." / "Yes - 5" / "oui 4 sur 5": a yes or no, then the rating on its own.
_AFTER_YES = re.compile(
    r"^\W*(?:" + YES + "|" + NO + r")\b[^\w\n]*(?:(?:did it|done|happened|we did|we met|met)"
    r"\b[^\w\n]*)?(?:(?:faite?|done|(?:a )?eu lieu|took place)\b[^\w\n]*)?"
    r"(?:(?:a|an)[ \t]+(?=solid|strong|good))?"
    r"(?:(?:a|an|un|une|solid|strong|easy|easily|clear"
    r"|definitely|honestly|franchement|facile|solide|bon|bonne|un bon|une bonne)[ \t]+)?"
    r"(" + _MARK + r"|un|une)(?![\d:/]|[.,]\d)"
    r"(?!\s*(?:-|–|ou|or|[àa]|to)\s*[1-5](?![\d/]))"  # "Oui, 3-4 je dirais": a range, unclear
    r"(?=\s*(?:$|[.,;!)]|[-–—]|" + EMOJI + r"|(?:sur|out|stars?"
    r"|tr[eè]s|very|great|super|top|bien|good|parfait|excellent|nickel|g[ée]nial|really"
    r"|vraiment"
    r"|[ée]toiles?|points?|from me|de ma part"
    r"|pour moi|for me|bien m[ée]rit[ée]e?|well deserved"
    # "oui 5 jai compris X", "yes 4 learned Y": typed on, the answer starts at once.
    r"|j['’]?ai|learn(?:ed|t)|appris|compris|i|we|on a|nous avons)\b"
    # "Oui 4 inventaire tournant", "yes 2 tbh": any word but a count's unit ("yes 2 hours"),
    # after a figure only ("Oui, une bonne séance" gives none)
    r"|(?<=\d)[ \t]+(?!(?:h|heures?|hours?|hrs?|min|minutes?|pm|am|people|personnes|gens|fois|times"
    r"|jours?|days?|weeks?|semaines?|mois|months?|x|sessions?|s[ée]ances?|slides?|pages?"
    r"|fichiers?|files?|of|sur|out|on|ou|or|to|[àa]|et|and)\b)[^\W\d_]))",
    re.IGNORECASE | re.MULTILINE)
# "Honestly a 1.", "Franchement un 3 !": a sentence that opens with the mark itself.
_OPENING = re.compile(
    # ("This one: a four, learned X": after a colon too)
    r"(?:^|(?<=[.!?]\s)|(?<=[^\W\d]:\s))[^\w\n]*(?:(?:honestly|frankly|overall|definitely|easily|solid"
    r"|franchement|honn[êe]tement|clairement|globalement|facilement|largement)\W{0,2}\s+)?"
    r"(?:a|an|un|une)\s+(?:(?:bon|tr[eè]s bon|petit|solid|strong|good|low|high|weak)\s+)?"
    r"([1-5]|" + _TWO_TO_FIVE + r")(?![\d:/]|[.,]\d)"
    r"(?=\s*(?:$|[.,;!)]|[-–—]|(?:for me|from me|pour moi|de ma part|overall|au total"
    r"|globalement|this time|cette fois)\b))",
    re.IGNORECASE | re.MULTILINE)
# "Feedback: solid 4, it took place", "Bref, un bon 4.", "yeah it happened, solid 4.": a
# mark with a word that judges it, opening a sentence or a clause.
_QUALIFIED = re.compile(
    r"(?:^|(?<=[.!?:,]\s))[^\w\n]*(?:(?:a|an)\s+)?(?:solid|strong|easy|clear|un bon|une bonne"
    r"|un tr[eè]s bon|solide)\s+([1-5]|" + _TWO_TO_FIVE + r")"
    r"(?![\d:/]|[.,]\d)(?=\s*(?:$|[.,;!)]|[-–—]\s))",
    re.IGNORECASE | re.MULTILINE)
# "Oui, 3-4 je dirais, ...": a range right after the yes (never hours: "yes 2-3pm").
_YES_RANGE = re.compile(r"^\W*" + YES + r"\b[^\w\n]*[1-5]\s*(?:-|–|ou|or|[àa]|to)\s*[1-5]\b"
                        r"(?!\s*(?:h\b|heures?|hours?|pm|am|:\d|/))", re.IGNORECASE | re.MULTILINE)
# "Somewhere between 3 and 4", "je dirais entre 3 et 4": a range in a sentence (never
# hours: "entre 3 et 4 h").
_BETWEEN = re.compile(r"(?:\b(?:entre|between)\s+(?:an? |une? )?[1-5]\s*(?:et|and|-|–)\s*"
                      r"(?:an? |une? )?[1-5]\b"
                      # "entre trois et quatre", "between a three and a four", in words
                      r"|\b(?:entre|between)\s+(?:an? |une? )?(?:one|two|three|four|un|deux|trois"
                      r"|quatre)\s+(?:et|and)\s+(?:an? |une? )?(?:two|three|four|five|deux|trois"
                      r"|quatre|cinq)\b(?!\s+(?:people|personnes|fois|times|weeks|semaines|days"
                      r"|jours|months|mois|sessions|seances|séances|of|de|d['’]))"
                      # "A four, or a four and a half": a mark and its half, offered both
                      r"|\b(?:an? |une? )?(?:[1-4]|one|two|three|four|un|deux|trois|quatre),?\s+"
                      r"(?:or|ou)\s+(?:an? |une? )?(?:[1-4]|one|two|three|four|un|deux|trois"
                      r"|quatre)\s+(?:and a half|et demie?)\b"
                      r"|\b(?:around|about|roughly|autour de|environ|vers)\s+[1-5]\s*(?:-|–|or|ou)"
                      r"\s*[1-5]\b"
                      r"|\b[1-5]\s*,?\s*(?:maybe|perhaps|peut-[êe]tre|voire|or even)\s+[1-5]\b"
                      # "Trois, peut-être quatre : ...", never "deux, voire trois personnes"
                      r"|\b(?:two|three|four|deux|trois|quatre)\s*,?\s*(?:maybe|perhaps"
                      r"|peut-[êe]tre|voire|or even)\s+(?:three|four|five|trois|quatre|cinq)\b"
                      r"(?!\s+(?:personnes|people|fois|times|semaines|weeks|jours|days|heures"
                      r"|hours|mois|months|s[ée]ances|sessions|of|de|d['’]))"
                      # "not sure about the rating, 3 or 4", "3 ou 4 jsp, disons entre les deux"
                      r"|\b(?:rating|note|mark)\b[^.\n]{0,25}?\b[1-5]\s*(?:or|ou)\s*[1-5]\b"
                      r"|(?:^\W*|,\s*|\s)[1-5]\s*(?:ou|or|-|–)\s*[1-5]\s*,?\s*(?:jsp|je sais pas"
                      r"|j'sais pas|je ne sais pas|not sure|dunno"
                      r"|i guess|je dirais|disons|peut-[êe]tre|maybe)\b)"
                      r"(?!\s*(?:h\b|heures?|hours?|pm|am|o['’]clock|:\d))",
                      re.IGNORECASE | re.MULTILINE)
# Not one number: a half or a range where the rating goes ("Oui, 3,5", "4 ou 5" alone).
_UNCLEAR = re.compile(
    # (its own sentence too: "Went ok. Three and a half I'd say.")
    r"(?:^|(?<=[.!?]\s))\W*(?:" + YES + r"\b[\s,;:!.–—-]*)?(?:(?:a|an|un|une)\s+)?"
    r"(?:[1-5](?:[.,]5|½|\s+1/2)"
    r"|(?:one|two|three|four|un|deux|trois|quatre)\s+(?:and a half|et demie?)"
    r"|[1-5]\s*(?:-|–|ou|or|[àa]|to)"
    r"\s*[1-5])(?:\s*(?:/\s*5|sur\s*5|out of 5|[ée]toiles?|stars?))?"
    r"(?:\s+(?:i['’]?d say|i think|i guess|je dirais|je pense|maybe|peut-[êe]tre|honestly"
    r"|franchement))?"
    # "3,5 — on a surtout réglé des soucis", "3.5 (my laptop crashed)": a dash or a bracket
    # sets it apart
    # ... or a comma, what follows said of the mark ("3-4, on a un peu survolé", "a 4.5
    # honestly, best one yet")
    r"(?:\W*$|\s+[-–—]\s|\s*\((?=[^()\n]*\))|\s*,\s[^\n]*"
    # ... or why, typed on at once ("3-4 la visio a coupé"), never a count ("3-4 people")
    r"|[ \t]+(?!(?:people|personnes|fois|times|jours?|days?|weeks?|semaines?|hours?|heures?|h"
    r"|min\w*|mois|months?|ans?|years?|sessions?|s[ée]ances?|pages?|slides?|fois|et|and|ou|or"
    r"|sur|out|of|de|to|[àa])\b)(?=[a-zà-ÿ]))",
    re.IGNORECASE | re.MULTILINE)
# "... jusqu'ici ! 5", "très utile : 5", "super, 5": a lone number closing a line after a
# sentence (never after a number: "1, 2", "10:05").
_TRAILING = re.compile(
    r"(?:(?<![\d.,\s])[.!?…),]|(?<![\d.,])[ \t]?:|(?<=[^\W\d])[ \t]+[-–—])[ \t]*([1-5])"
    # ... closing its line, or its sentence before the next ("Oui elle a eu lieu, 4. Je ...")
    r"(?:[ \t]*[.!]*[ \t]*$|[ \t]*[.!]+[ \t]+(?=[A-ZÀ-Ý]))", re.MULTILINE)
# "Honestly the best one so far - five. Morag showed me ...": a mark in words after a dash,
# closing its line or sentence.
_DASH_WORD = re.compile(r"(?<=[^\W\d])[ \t]+[-–—][ \t]*(one|un|" + _TWO_TO_FIVE
                        + r")[ \t]*[.!]*[ \t]*(?:$|(?=[A-ZÀ-Ý]))", re.MULTILINE)
# "... the best one so far, so 5.": the mark closing a line after "so" / "donc".
_SO = re.compile(r"(?:,|\b)[ \t]*(?:so|donc|alors|soit|hence)[ \t]+([1-5])[ \t]*[.!]*[ \t]*$"
                 # "I thoroughly enjoyed it, so a four.", "call it a 3."
                 r"|(?:,[ \t]*(?:so|donc|alors)|\b(?:call it|let['’]s call it|on va dire))[ \t]+"
                 # ("a solid four")
                 r"(?:a|an|un|une)[ \t]+(?:(?:solid|good|strong|bon|bonne)[ \t]+)?"
                 r"([1-5]|" + _TWO_TO_FIVE + r")"
                 r"[ \t]*(?:[.!]+(?=\s|$)|$)",
                 re.IGNORECASE | re.MULTILINE)
# "super session, 5 for sure.", "4 i guess tessa showed me": a mark opening its clause with
# a word of how sure the writer is (never a count: "3 maybe 4 people").
_HEDGED = re.compile(r"(?:^|(?<!\d)[,.!?:;]\s*|\s[-–—]\s*)([1-5])[ \t]+(?:for sure|definitely"
                     r"|easily|no doubt|i guess|i think|i reckon|i['’]d say|i would say|maybe|tbh"
                     r"|ngl|honestly"
                     r"|probably|ish|je pense"
                     r"|je crois|je dirais|sans h[ée]siter|clairement|peut-[êe]tre)\b(?!\s*[1-5])",
                     re.IGNORECASE | re.MULTILINE)
# "voir mail précédent. 3 cette fois.", "Yes and 4.", "last week's one was a 5", "c'était
# bien, 4, j'ai compris X": a mark said in passing, in words that can mean nothing else.
_IN_PASSING = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[,–—]\s)|(?<=\bso\s))\W*([1-5]|" + _TWO_TO_FIVE + r")\s+"
    r"(?:cette fois|this time|pour moi|for me|from me"
    r"|de ma part)\b"
    r"|\b" + YES + r"\s+(?:and|et)\s+([1-5])\b(?![\d/:.,]\d)"
    r"|\b(?:was|c['’][ée]tait|it['’]s|it is|that['’]s)\s+(?:a|an|un|une)\s+([1-5])\b"
    r"(?!\s*(?:h\b|hours?|heures?|min|minutes?|days?|jours?|weeks?|semaines?|people|personnes"
    r"|[.,]\d|/|:))"
    r"|,\s*([1-5])\s*,?\s+(?=j['’]?ai|i |we |on a |nous )"
    # "For me is 4.", "pour moi c'est un 4": said by one who writes the language second
    r"|\b(?:for me|pour moi)\s*,?\s*(?:is|it['’]s|it is|it was|was|c['’]est|[çc]a fait)\s+"
    r"(?:a |an |un )?([1-5])\b(?![\d/:.,]\d)(?!\s*(?:h\b|hours?|heures?|min|people|personnes))"
    # "Today was great though, definitely a 5.": a mark with a word of certainty, closing
    # its clause
    r"|(?:,|\b(?:so|donc))\s*(?:definitely|easily|honestly|clearly|surely|d[ée]finitivement"
    r"|franchement|clairement|largement)\s+(?:a|an|un|une)\s+(?:(?:solid|strong|good|bon|bonne)\s+)?"
    r"([1-5])(?![\d/:.,]\d)(?=\s*(?:[.!,;]|$))"
    # "3 because I was very tired": a mark opening its sentence, then why
    r"|(?:^|(?<=[.!?]\s)|(?<=,\s))[^\w\n]*([1-5]|" + _TWO_TO_FIVE + r")"
    r"\s*,?\s+(?:(?:pas plus|pas moins|no more|not more|no less)\b,?\s*)?"
    r"(?:because|parce que|parce qu['’]|car|since|puisque)\b"
    # "a 4 nearly a 5", "4 presque 5": the mark given, then the one it nearly was
    r"|(?:^|(?<=[\s,.!?]))(?:a |an |un |une )?([1-5]),?\s+(?:presque|nearly|almost|limite|quasi)"
    r"\s+(?:a |an |un |une )?[1-5]\b"
    # "so maybe a 3?", "disons un 4": a mark said with a shrug, the article makes it one
    r"|\b(?:maybe|perhaps|probably|peut-[êe]tre|disons|let['’]s say)\s+(?:a|an|un|une)\s+([1-5])"
    r"(?![\d/:.,]\d)(?=\s*(?:[?.!,]|$))",
    re.IGNORECASE | re.MULTILINE)
# "3,5 je dirais", "4.5 I'd say": a half said as a guess, in a sentence.
_HALF_GUESS = re.compile(r"(?<![\d.,])[1-4][.,]5\s+(?:je dirais|je pense|peut-[êe]tre|i['’]d say"
                         r"|i think|maybe|probably|ish)\b", re.IGNORECASE)
# "Yes it went ahead – 5 this time": the mark right after saying the session took place.
# ... and a range there: "Yes it happened, 3-4 depending on whether you count ..."
_RANGE_AFTER_HELD = re.compile(r"\b(?:went ahead|took place|happened|eu lieu|we met)\s*[,;–—-]?"
                               r"\s*[1-5]\s*[-–]\s*[1-5](?![\d/:]|[.,]\d)(?!\s*(?:times|fois"
                               r"|x\b|weeks?|semaines?|days?|jours?|hours?|heures?|h\b|months?"
                               r"|mois|sessions?|s[ée]ances?))")
_AFTER_HELD = re.compile(
    r"\b(?:went ahead|took place|happened|eu lieu|we met|on s['’]est vus?|(?:session|meeting)"
    r" (?:held|done)|s[ée]ance (?:faite|tenue))\s*[,;–—-]\s*([1-5])"
    r"(?![\d/]|[.,]\d)(?=\s*(?:$|[.,;!)]|[-–—]\s|this time|cette fois|for me|pour moi|from me"
    r"|de ma part))"
    # "yeah went ahead 4 learned the tracker", "happened yeah 3": typed on, the mark before
    # the next answer's cue
    r"|\b(?:went ahead|took place|happened|eu lieu|we met|(?:bien )?pass[ée]e?"
    r"|s['’ ]?est (?:bien )?fait)\s+(?:(?:yeah|yes|yep|yup|oui|ouais|ouep)\s+)?([1-5])\s*"
    r"(?=$|[ \t]*[.,;!]|[ \t]+(?!(?:times|fois|people|personnes|hours?|heures?|h|min\w*|days?"
    r"|jours?|weeks?|semaines?|of|sur|out|on|ou|or|to|[àa]|et|and)\b)[a-z]"  # "happened 4 seb ..."
    r"|(?:learn(?:ed|t)|appris|j['’ ]?ai appris"
    r"|we (?:did|covered|looked)|on a (?:vu|fait))\b)"
    # "Yes it happened, a three (my fault)": the mark in words after a comma
    r"|\b(?:went ahead|took place|happened|eu lieu|we met)\s*,\s*(?:an?|un|une)\s+(one|un|"
    + _TWO_TO_FIVE + r")\b(?!\s+(?:of|de|d['’]|times|fois|people|personnes)\b)",
    re.IGNORECASE | re.MULTILINE)
# Where the words after a rating's label stop ("Rating 3 – Ben was distracted, ...").
_PIECE_END = re.compile(r"[;!?\n]|\.(?!\d)|,\s|\s[-–—]\s")
# "Yes went well 4": a lone mark closing a line after words that judge the session.
_AFTER_VERDICT = re.compile(
    r"\b(?:went (?:well|fine|ok|great)|good|gd|great|bien|top|super|nickel|ok|okay|cool)"
    r"(?:[ \t]+(?:session|s[ée]ance|one))?[ \t]+"  # "gd session 4"
    r"([1-5])[ \t]*[.!]*[ \t]*$", re.IGNORECASE | re.MULTILINE)
# "oui bonne séance quatre on a travaillé X", "c'était top cinq sans hésiter j'ai appris":
# dictated, the mark right after the verdict, then the next answer (never "good one").
_VERDICT_SAID = re.compile(
    r"\b(?:bonne|tr[eè]s bonne|super|top|great|good|really good)(?:[ \t]+(?:s[ée]ance|session))?"
    r"[ \t]+([2-5]|" + _TWO_TO_FIVE + r")\b(?=[ \t]*(?:$|[.,!]|sans h[ée]siter"
    r"|easily|for sure|j['’ ]?ai\b|on a\b|we\b|learn|appris|i\b))", re.IGNORECASE | re.MULTILINE)
# "je dirais trois et demi à cause de ça": a half said in the middle of a dictated line
_HALF_SAID = re.compile(r"\b(?:je dirais|je mets|je mettrais|i['’]?d say|i['’]?d give it)[ \t]+"
                        r"(?:(?:un|une|a|an)[ \t]+)?(?:[1-4](?:[.,]5|½)|(?:one|two|three|four|un"
                        r"|deux|trois|quatre)[ \t]+(?:and a half|et demie?))\b", re.IGNORECASE)
# "4 (Bernard m'a montré son carnet)", "Five, without hesitation.": a mark alone on its
# line but for an aside on it
# How sure the writer is of a mark said right after it ("Five, without hesitation", "4,
# easy"): the mark's, never an answer.
_HOW_SURE = (r"(?:without (?:a )?(?:doubt|hesitation)|sans h[ée]sit(?:er|ation)|hands down"
             r"|no question|easily|easy|for sure|facile|haut la main)")
_MARK_ASIDE = re.compile(r"^\W*(" + _MARK + r"|un)"
                         r"(?:[ \t]*\([^()\n]*\)|,?[ \t]+(?:" + _HOW_SURE + r"|so it (?:is|was))"
                         # "5 merci nadege 👍", "4 thanks Sam": the mark, then thanks to someone
                         r"|,?[ \t]+(?:merci|thanks|thank you|cheers|ta)(?:[ \t]+[^\W\d_]+)?"
                         r"[ \t!]*[\u2600-\u27bf\U0001f300-\U0001faff]*\ufe0f?)[ \t.!]*$",
                         re.IGNORECASE | re.MULTILINE)
# "4 ⭐": a number with one star is that many stars, never one.
# ("je mets quatre ⭐" in words too)
_NUMBER_STAR = re.compile(r"(?<![\w.,])(" + _MARK + r"|un)[ \t]*[★⭐🌟]\ufe0f?(?![★⭐🌟☆])",
                          re.IGNORECASE)
# "Très bonne séance (5)", "useful one (4)": the mark in brackets after a word that judges
# the session (never "séance (3)", a number, nor a list's "(1)").
_BRACKETED = re.compile(
    r"\b(?:bon(?:ne)?|bien|super|top|utile|excellent(?:e)?|g[ée]nial(?:e)?|parfait(?:e)?"
    r"|int[ée]ressant(?:e)?|moyen(?:ne)?|bof|good|great|useful|nice|solid|fine|okay|ok"
    r"|interesting|productive|helpful)\b[^.!?\n()\d]{0,30}\(\s*([1-5])\s*\)", re.IGNORECASE)
# A number that counts something ("2 more sessions", "3 weeks"): no mark.
_COUNTED = re.compile(rf"^\W*{_NUMBER}\s+(?:more\s+|de plus\s+)?(?:weeks?|semaines?|months?|mois"
                      r"|days?|jours?|sessions?|s[ée]ances?|hours?|heures?|minutes?|mins?"
                      r"|times?|fois|people|personnes|goes|tries)\b", re.IGNORECASE)
# "honestly it was brilliant, a 5 from me", "un 4 de ma part": the mark the writer gives.
# ("Yes it went ahead — a solid four from me.")
_FROM_ME = re.compile(r"\b(?:an?|un|une)\s+(?:(?:solid|strong|good|easy|bon|bonne|petit)\s+)?"
                      r"(" + _MARK + r")\s+(?:from me|de ma part|pour ma part)\b", re.IGNORECASE)
# "Ooh lush session! Five, easy.": a mark opening its sentence, and how sure of it
_SURE_OF_IT = re.compile(r"(?:^|(?<=[.!?]\s))[^\w\n]*(" + _MARK + r"),\s+" + _HOW_SURE + r"\b",
                         re.IGNORECASE | re.MULTILINE)
# "3 - je complèterai le reste plus tard": the mark opening the reply, set apart by a dash.
_LEADING = re.compile(r"\A\W*([1-5])[ \t]+[-–—][ \t]+(?=[^\W\d])")
# "4, oui", "5 yes", "four, went ahead": the rating typed before the yes, on the first line.
_BEFORE_YES = re.compile(r"\A\W*(" + _MARK + r")[ \t]*,?"
                         r"[ \t]*(?:" + YES + r"|went ahead|took place|happened|done|faite?"
                         r"|eu lieu)\b(?![ \t]*[:/])", re.IGNORECASE)
_RANGE = re.compile(r"(?<![\w/.,:])[1-5]\s*(?:-|–|à|to|ou|or)\s*[1-5](?![\w/:])"
                    r"|\bentre\s+[1-5]\s+et\s+[1-5]\b|\bbetween\s+[1-5]\s+and\s+[1-5]\b",
                    re.IGNORECASE)
_LONE = re.compile(rf"^\W*({_NUMBER}{_HALF}?)\W*$", re.IGNORECASE)
# Words people put where the number goes: a verdict, never a number.
_VERDICT = re.compile(r"^\W*(?:bof|moyen(?:ne)?|mouais|pas mal|bien|tr[eè]s bien|super|top"
                      r"|g[ée]nial|excellent|nul(?:le)?|parfait|so-?so|meh|ok|okay|good|great"
                      r"|very good|fine|bad|poor|pretty good|not bad|average)\b", re.IGNORECASE)
# Where the rating goes but none is given: a dash, "n/a", "aucune", "none".
_NONE = re.compile(r"^[-–—_.?/\s]*(?:(?:n\s*/\s*a|na|sans objet|aucune?|pas de note|none"
                   r"|no rating|not applicable)[-–—_.?!/\s]*)?$", re.IGNORECASE)
# A rating corrected in the same message ("mauvais bouton : je voulais mettre 5",
# "wrong link, I meant 4"): the corrected value wins.
_CORRECTED = re.compile(
    r"\b(?:je voulais (?:mettre|dire|cliquer(?: sur)?|donner|noter)|je voulais"
    r"|(?:i|but) meant(?: to (?:click|give|put|press|send|rate))?"
    r"|i wanted to (?:click|give|put|press|rate)"
    r"|(?:should|was meant to) (?:be|have been))\s+(?:un |une |a |an |sur |on |le |the )?"
    r"([1-5])(?![\d:])", re.IGNORECASE)
# "je me suis trompée de note, c'est 3 et pas 2", "it's 4 not 3": the right one first.
_SWAPPED = re.compile(r"\b(?:c['’]est|it['’]?s|it is)\s+(?:une? |an? )?([1-5])\s*,?\s*(?:et\s+)?"
                      r"(?:pas|non|not)\s+(?:une? |an? )?[1-5]\b(?![\d/])", re.IGNORECASE)
# "80% satisfied", "Satisfaction 60 %", "il met 80 % de satisfaction": a share of
# satisfaction is a mark out of 100 (never "3% off the estimate").
_SATISFIED = re.compile(r"\b(?:satisfaction|satisfied|satisfait\w*)\b\W{0,3}(\d{1,3})\s*%"
                        r"|(?<![\d.,])(\d{1,3})\s*%\s*(?:de\s+)?(?:satisf\w*)", re.IGNORECASE)
# "note maximale", "full marks": the top of our scale, in words.
_TOP = re.compile(r"\b(?:note maximale|note max|la note maximale|full marks|top marks)\b",
                  re.IGNORECASE)
# A verdict so plainly a judgement of the session that, with no number given, it is one.
_MEH = re.compile(r"\b(?:bof|mouais|so-so|meh)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rating:
    """What a text says of the rating: `value` (1-5) or `unclear`, and `found` (the words
    that gave it, "" when nothing did)."""

    value: int | None = None
    unclear: bool = False
    found: str = ""


def _number(token: str) -> float | None:
    token = token.strip().casefold().replace(",", ".").replace("½", ".5")
    half = re.search(r"\s+(?:et\s+demie?|and\s+a\s+half)$", token)
    if half:
        token = token[: half.start()]
    value = _WORDS.get(token)
    if value is None:
        try:
            value_f = float(token)
        except ValueError:
            return None
        return value_f + (0.5 if half else 0)
    return value + (0.5 if half else 0)


def _judged(value: float | None, scale: float, found: str) -> Rating:
    """`value` out of `scale`, made a rating out of 5 when it is a whole one."""
    if value is None:
        return Rating()
    if value > scale or value < 0:
        return Rating()  # "15/10": a date, not a mark
    out_of_five = value * 5 / scale
    if scale != 5:
        # A mark on another scale is converted, as a school mark is: "7/10" is a whole
        # mark of the writer's own, so 3.5 rounds up to 4. Only a half on our own scale
        # ("3,5/5") says the person hesitated between two of our marks.
        out_of_five = math.floor(out_of_five + 0.5)
    if float(out_of_five).is_integer() and 1 <= out_of_five <= 5:
        return Rating(int(out_of_five), False, found)
    return Rating(None, True, found)


def in_slot(answer: str) -> Rating:
    """The rating in an answer to the rating question (a slot: see module docstring)."""
    answer = answer.strip()
    if not answer or _NONE.match(answer):
        return Rating()  # "Note : -", "n/a": no rating given, nothing to ask
    found = find_rating(answer)
    if found.found:
        return found
    if _RANGE.search(answer):
        return Rating(None, True, answer)
    lone = _LONE.match(answer) or re.match(rf"^\W*({_NUMBER}{_HALF}?)\b", answer, re.I)
    if lone:
        return _judged(_number(lone.group(1)), 5, lone.group(0))
    if _VERDICT.match(answer) or len(answer.split()) <= 3:
        return Rating(None, True, answer)
    return Rating()


def find_rating(text: str) -> Rating:
    """The rating written anywhere in `text`, explicit forms only (module docstring)."""
    hesitant = _BETWEEN.search(text)
    if hesitant and not re.match(r"(?:entre|between)", hesitant.group(0), re.IGNORECASE):
        return Rating(None, True, hesitant.group(0))  # "I'd say 4, maybe 5", "around 3-4"
    text = re.sub(r"(?:de|from)\s+1\s+(?:[àa]|to)\s+5", " ", text, flags=re.IGNORECASE)
    # "les boutons « 1/5 … 5/5 »": our scale named, from its first button to its last
    text = re.sub(r"\b1\s*/\s*5\s*(?:…|\.{2,3}|-|–|[àa]|to)\s*5\s*/\s*5\b", " ", text)
    for match in _SCALED.finditer(text):
        scale = _number(match.group(2)) or 5
        rating = _judged(_number(match.group(1)), scale, match.group(0))
        if rating.found:
            return rating
    for match in _TEN_WORDS.finditer(text):
        return _judged(_number(match.group(1)), 10, match.group(0))
    for match in _SATISFIED.finditer(text):
        return _judged(_number(match.group(1) or match.group(2)), 100, match.group(0))
    for match in chain(_NUMBER_STAR.finditer(text), _STAR_WORDS.finditer(text)):
        if hesitant and match.start() < hesitant.end() and hesitant.start() < match.end():
            return Rating(None, True, hesitant.group(0))  # "entre 3 et 4 ⭐": the range's end
        # "4 stars ⭐": the number, not the emoji
        return _judged(_number(match.group(1)), 5, match.group(0))
    for match in _STARS.finditer(text):
        whole = match.group(0)
        count = sum(whole.count(star) for star in "★⭐🌟") if match.group(1) else \
            whole.count("👍") if match.group(2) else len(match.group(3))
        if text[match.end(): match.end() + 1] == "½":
            return Rating(None, True, whole + "½")  # "★★★½": a half, asked back
        if 1 <= count <= 5:
            return Rating(count, False, whole)
    for match in _LABEL.finditer(text):
        value = match.group(1)
        if _COUNTED.match(value):
            continue  # "I'd give it 2 more sessions", "give it 3 weeks": a count, no mark
        # "Rating 3.5 - good content": a decimal point ends no sentence.
        rating = in_slot(re.split(_PIECE_END, value, maxsplit=1)[0]) if value.strip() \
            else Rating()
        if rating.found:  # the words read up to where the clause ends, not what follows
            piece = re.split(_PIECE_END, text[match.start(1):], maxsplit=1)[0]
            return Rating(rating.value, rating.unclear,
                          text[match.start(): match.start(1) + len(piece)])
    ranged = _RANGE_AFTER_HELD.search(text)
    if ranged is not None:
        return Rating(None, True, ranged.group(0))  # "Yes it happened, 3-4 depending on ..."
    for pattern in (_AFTER_YES, _BEFORE_YES, _LEADING, _OPENING, _QUALIFIED, _BRACKETED, _TRAILING,
                    _AFTER_VERDICT, _SO, _AFTER_HELD, _HEDGED, _IN_PASSING, _DASH_WORD,
                    _FROM_ME, _VERDICT_SAID, _MARK_ASIDE, _SURE_OF_IT):
        for match in pattern.finditer(text):
            mark = next(g for g in match.groups() if g is not None)
            return _judged(_number(mark), 5, match.group(0))
    top = _TOP.search(text)
    if top:
        return Rating(5, False, top.group(0))
    unclear = _UNCLEAR.search(text) or _BETWEEN.search(text) or _YES_RANGE.search(text) \
        or _HALF_GUESS.search(text) or _HALF_SAID.search(text)
    if unclear:
        return Rating(None, True, unclear.group(0))
    return Rating()


def corrected(text: str) -> int | None:
    """The rating a message corrects itself to ("je voulais mettre 5 !", "c'est 3 et pas
    2"), or None."""
    match = _CORRECTED.search(text) or _SWAPPED.search(text)
    return int(match.group(1)) if match else None


def rating_like(line: str) -> bool:
    """Whether a short line stands where a rating goes without being one: a range, a half
    or a verdict word ("entre 3 et 4", "3,5", "Pretty good")."""
    line = line.strip()
    verdict = _VERDICT.match(line)
    return len(line.split()) <= 4 and bool(
        _RANGE.fullmatch(line.strip(" .!")) or _UNCLEAR.match(line)
        or (verdict and not line[verdict.end():].strip(" .!…"))  # the verdict alone
    )


def meh(text: str) -> bool:
    """Whether `text` judges the session in a word where a rating was expected ("bof")."""
    return _MEH.search(text) is not None
