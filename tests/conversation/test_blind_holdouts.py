"""The third to seventy-seventh blind corpora (blind3/ .. blind77/ README.md): replies
written by seventy-five more people who never read the parser, measured before anyone
tuned on them.

`blind3/dev` was tuned on in #14's second round, `blind3/heldout` (measured blind
before) in its third; `blind4` was measured blind after the third, then two of its
habits were fixed (a bulleted list of answers, "took place" said after the rating), then
it was tuned on in #14's fifth round; `blind5` was measured blind after the fifth round,
then tuned on in the sixth (its habits tested in other words in test_reply_habits5.py);
`blind6` was measured blind after the sixth round and tuned on in the seventh
(test_reply_habits6.py); `blind7` was measured blind after the seventh and tuned on in
the eighth (test_reply_habits7.py); `blind8` after the eighth, tuned on in the ninth
(test_reply_habits8.py); `blind9` after the ninth, tuned on in the tenth
(test_reply_habits9.py); `blind10` after the tenth, tuned on in the eleventh
(test_reply_habits10.py); `blind11` after the eleventh, tuned on in the twelfth
(test_reply_habits11.py); `blind12` and `blind13`, two writers at once, both after the
twelfth, tuned on together in the thirteenth (test_reply_habits12.py); `blind14` and
`blind15` likewise after the thirteenth, tuned on in the fourteenth
(test_reply_habits14.py); then two at a time, each pair read blind after one round and
tuned on in the next (test_reply_habits16.py): `blind16` and `blind17` after the
fourteenth, `blind18` and `blind19` after the fifteenth, `blind20` and `blind21` after
the sixteenth, `blind22` and `blind23` after the seventeenth (held out, then looked at
in the eighteenth); then the same with test_reply_habits19.py: `blind24` and `blind25`
after the eighteenth (looked at in the nineteenth), `blind26` and `blind27` after the
nineteenth, `blind28` and `blind29` after the twentieth, `blind30` and `blind31` after
the twenty-first, `blind32` and `blind33` after the twenty-second, each pair looked at
in the round after; `blind34` and `blind35` after the twenty-third (looked at in the
twenty-fourth); `blind36` and `blind37` after the twenty-fourth (looked at in the
twenty-fifth, test_reply_habits25.py); `blind38` and `blind39`, written from a new brief
(our mails from a simulated run, no mail-client tooling), after the twenty-fifth (looked
at in the twenty-sixth); `blind40` and `blind41`, from that brief, after the
twenty-sixth (looked at in the twenty-seventh); `blind42` and `blind43` after the
twenty-seventh (looked at in the twenty-eighth); `blind44` and `blind45` after the
twenty-eighth (looked at in the twenty-ninth, test_reply_habits29.py); `blind46` and
`blind47` after the twenty-ninth (looked at in the thirtieth); `blind48` and `blind49`
after the thirtieth (looked at in the thirty-first); `blind50` and `blind51` after the
thirty-first (looked at in the thirty-second); `blind52` and `blind53` after the
thirty-second (looked at in the thirty-third, test_reply_habits33.py); `blind54` and
`blind55` after the thirty-third (looked at in the thirty-fourth); `blind56` and
`blind57` after the thirty-fourth (looked at in the thirty-fifth); `blind58` and
`blind59` after the thirty-fifth (looked at in the thirty-sixth); `blind60` and
`blind61` after the thirty-sixth (looked at in the thirty-seventh,
test_reply_habits37.py); `blind62` and `blind63` after the thirty-seventh (looked at in
the thirty-eighth); `blind64` and `blind65` after the thirty-eighth (`blind65` looked at
in the thirty-ninth, `blind64` held out); `blind66` and `blind67` after the thirty-ninth
(looked at in the fortieth, test_reply_habits40.py); `blind68` and `blind69` after the
fortieth (looked at in the forty-first); `blind70` and `blind71` after the forty-first
(`blind71` looked at in the forty-second, `blind70` held out, then looked at in the
forty-third, test_reply_habits43.py); `blind72` and `blind73` after the forty-second and
again after the forty-third (`blind72` looked at in the forty-fourth, `blind73` held
out); `blind74` and `blind75` after the forty-fourth (`blind75` looked at in the
forty-fifth, test_reply_habits45.py, `blind74` held out); `blind76` and `blind77`,
written to a brief rebuilt from `blind3`'s conventions, after the forty-fifth (`blind77`
looked at in its third step, `blind76` held out). Every folder was read again after the
forty-fifth round. Each keeps a floor per field at its last reading, so a change to the
parser never reads them worse; the 95% target of issue #14 is printed with `-s` and is
not met yet on a corpus read blind (the READMEs say where it falls short)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import FIELDS, NOTES, load, parsed, score

HERE = Path(__file__).parent

# Fields read right, per corpus, at the last reading written in its README. A field
# missing here was never set on either side: it counts 0. Two floors went down once, in
# the forty-third round: blind8's and blind16's confirm (6 -> 5, 7 -> 6). Their writers
# want "on peut sauter celle de mardi prochain ?" asked back; five others (blind15,
# blind23, blind28, blind30, blind70) want "skip next Thursday" sure, and the round
# follows the five.
FLOORS = {
    "blind3/dev": {"kind": 78, "rating": 33, "took_place": 34, "learned": 32, "to_develop": 14,
                   "next_focus": 16, "goals": 12, "command": 13, "confirm": 1},
    "blind3/heldout": {"kind": 77, "rating": 46, "took_place": 49, "learned": 46, "to_develop": 26,
                       "next_focus": 27, "goals": 9, "command": 16, "rating_unclear": 3,
                       "confirm": 5},
    "blind4": {"kind": 135, "rating": 74, "took_place": 77, "learned": 72, "to_develop": 66,
               "next_focus": 67, "goals": 16, "command": 29, "rating_unclear": 4, "confirm": 7},
    "blind5": {"kind": 104, "rating": 51, "took_place": 53, "learned": 52, "to_develop": 30,
               "next_focus": 29, "goals": 12, "command": 25, "rating_unclear": 4, "confirm": 4},
    "blind6": {"kind": 140, "rating": 79, "took_place": 80, "learned": 72, "to_develop": 48,
               "next_focus": 50, "goals": 15, "command": 30, "rating_unclear": 3, "confirm": 6},
    "blind7": {"kind": 132, "rating": 70, "took_place": 74, "learned": 64, "to_develop": 49,
               "next_focus": 54, "goals": 14, "command": 31, "rating_unclear": 4, "confirm": 6},
    "blind8": {"kind": 135, "rating": 75, "took_place": 77, "learned": 69, "to_develop": 58,
               "next_focus": 58, "goals": 14, "command": 31, "rating_unclear": 4, "confirm": 5},
    "blind9": {"kind": 144, "rating": 80, "took_place": 86, "learned": 76, "to_develop": 50,
               "next_focus": 56, "goals": 17, "command": 33, "rating_unclear": 6, "confirm": 5},
    "blind10": {"kind": 141, "rating": 78, "took_place": 81, "learned": 64, "to_develop": 44,
                "next_focus": 45, "goals": 11, "command": 31, "rating_unclear": 3, "confirm": 6},
    "blind11": {"kind": 147, "rating": 82, "took_place": 86, "learned": 67, "to_develop": 38,
                "next_focus": 43, "goals": 17, "command": 33, "rating_unclear": 4, "confirm": 6},
    "blind12": {"kind": 137, "rating": 71, "took_place": 76, "learned": 63, "to_develop": 43,
                "next_focus": 42, "goals": 15, "command": 31, "rating_unclear": 4, "confirm": 6},
    "blind13": {"kind": 144, "rating": 79, "took_place": 84, "learned": 72, "to_develop": 38,
                "next_focus": 38, "goals": 15, "command": 33, "rating_unclear": 5, "confirm": 6},
    "blind14": {"kind": 130, "rating": 66, "took_place": 69, "learned": 50, "to_develop": 31,
                "next_focus": 35, "goals": 11, "command": 30, "rating_unclear": 4, "confirm": 5},
    "blind15": {"kind": 176, "rating": 96, "took_place": 96, "learned": 68, "to_develop": 29,
                "next_focus": 35, "goals": 21, "command": 42, "rating_unclear": 5, "confirm": 6},
    "blind16": {"kind": 142, "rating": 78, "took_place": 81, "learned": 64, "to_develop": 35,
                "next_focus": 33, "goals": 15, "command": 30, "rating_unclear": 4, "confirm": 6},
    "blind17": {"kind": 154, "rating": 87, "took_place": 90, "learned": 76, "to_develop": 48,
                "next_focus": 51, "goals": 17, "command": 32, "rating_unclear": 4, "confirm": 6},
    "blind18": {"kind": 140, "rating": 77, "took_place": 81, "learned": 64, "to_develop": 33,
                "next_focus": 28, "goals": 15, "command": 32, "rating_unclear": 4, "confirm": 6},
    "blind19": {"kind": 154, "rating": 79, "took_place": 81, "learned": 58, "to_develop": 27,
                "next_focus": 31, "goals": 19, "command": 35, "rating_unclear": 4, "confirm": 6},
    "blind20": {"kind": 126, "rating": 67, "took_place": 72, "learned": 54, "to_develop": 32,
                "next_focus": 34, "goals": 15, "command": 27, "rating_unclear": 4, "confirm": 7},
    "blind21": {"kind": 127, "rating": 65, "took_place": 67, "learned": 51, "to_develop": 33,
                "next_focus": 29, "goals": 13, "command": 30, "rating_unclear": 4, "confirm": 5},
    "blind22": {"kind": 139, "rating": 77, "took_place": 81, "learned": 54, "to_develop": 33,
                "next_focus": 34, "goals": 13, "command": 30, "rating_unclear": 2, "confirm": 4},
    "blind23": {"kind": 134, "rating": 74, "took_place": 76, "learned": 65, "to_develop": 37,
                "next_focus": 33, "goals": 13, "command": 30, "rating_unclear": 4, "confirm": 6},
    "blind24": {"kind": 131, "rating": 67, "took_place": 72, "learned": 58, "to_develop": 29,
                "next_focus": 24, "goals": 15, "command": 27, "rating_unclear": 5, "confirm": 5},
    "blind25": {"kind": 127, "rating": 71, "took_place": 75, "learned": 63, "to_develop": 42,
                "next_focus": 33, "goals": 11, "command": 24, "rating_unclear": 4, "confirm": 3},
    "blind26": {"kind": 128, "rating": 66, "took_place": 70, "learned": 52, "to_develop": 46,
                "next_focus": 54, "goals": 12, "command": 29, "rating_unclear": 3, "confirm": 4},
    "blind27": {"kind": 155, "rating": 85, "took_place": 88, "learned": 70, "to_develop": 42,
                "next_focus": 53, "goals": 18, "command": 35, "rating_unclear": 4, "confirm": 4},
    "blind28": {"kind": 153, "rating": 77, "took_place": 84, "learned": 56, "to_develop": 35,
                "next_focus": 29, "goals": 14, "command": 34, "rating_unclear": 3, "confirm": 3},
    "blind29": {"kind": 129, "rating": 73, "took_place": 76, "learned": 68, "to_develop": 40,
                "next_focus": 40, "goals": 15, "command": 24, "rating_unclear": 3, "confirm": 3},
    "blind30": {"kind": 143, "rating": 72, "took_place": 76, "learned": 65, "to_develop": 36,
                "next_focus": 35, "goals": 17, "command": 32, "rating_unclear": 3, "confirm": 7},
    "blind31": {"kind": 144, "rating": 73, "took_place": 78, "learned": 66, "to_develop": 46,
                "next_focus": 62, "goals": 16, "command": 32, "rating_unclear": 4, "confirm": 7},
    "blind32": {"kind": 134, "rating": 76, "took_place": 78, "learned": 67, "to_develop": 36,
                "next_focus": 32, "goals": 13, "command": 29, "rating_unclear": 3, "confirm": 5},
    "blind33": {"kind": 136, "rating": 72, "took_place": 74, "learned": 65, "to_develop": 44,
                "next_focus": 46, "goals": 14, "command": 33, "rating_unclear": 3, "confirm": 4},
    "blind34": {"kind": 136, "rating": 76, "took_place": 80, "learned": 61, "to_develop": 31,
                "next_focus": 27, "goals": 13, "command": 29, "rating_unclear": 3, "confirm": 3},
    "blind35": {"kind": 141, "rating": 65, "took_place": 77, "learned": 61, "to_develop": 38,
                "next_focus": 38, "goals": 14, "command": 32, "rating_unclear": 6, "confirm": 7},
    "blind36": {"kind": 136, "rating": 70, "took_place": 74, "learned": 69, "to_develop": 52,
                "next_focus": 49, "goals": 16, "command": 31, "rating_unclear": 3, "confirm": 5},
    "blind37": {"kind": 125, "rating": 64, "took_place": 69, "learned": 49, "to_develop": 43,
                "next_focus": 45, "goals": 15, "command": 31, "rating_unclear": 3, "confirm": 5},
    "blind38": {"kind": 125, "rating": 63, "took_place": 63, "learned": 50, "to_develop": 51,
                "next_focus": 51, "goals": 14, "command": 35, "rating_unclear": 5, "confirm": 7},
    "blind39": {"kind": 126, "rating": 61, "took_place": 63, "learned": 45, "to_develop": 47,
                "next_focus": 48, "goals": 12, "command": 36, "rating_unclear": 4, "confirm": 6},
    "blind40": {"kind": 124, "rating": 61, "took_place": 65, "learned": 38, "to_develop": 36,
                "next_focus": 38, "goals": 11, "command": 31, "rating_unclear": 5, "confirm": 5},
    "blind41": {"kind": 128, "rating": 60, "took_place": 64, "learned": 39, "to_develop": 49,
                "next_focus": 51, "goals": 14, "command": 37, "rating_unclear": 5, "confirm": 6},
    "blind42": {"kind": 130, "rating": 59, "took_place": 62, "learned": 35, "to_develop": 31,
                "next_focus": 38, "goals": 14, "command": 37, "rating_unclear": 6, "confirm": 7},
    "blind43": {"kind": 124, "rating": 66, "took_place": 67, "learned": 36, "to_develop": 36,
                "next_focus": 34, "goals": 11, "command": 28, "rating_unclear": 5, "confirm": 4},
    "blind44": {"kind": 135, "rating": 72, "took_place": 72, "learned": 61, "to_develop": 46,
                "next_focus": 42, "goals": 15, "command": 33, "rating_unclear": 6, "confirm": 5},
    "blind45": {"kind": 135, "rating": 72, "took_place": 71, "learned": 56, "to_develop": 51,
                "next_focus": 58, "goals": 14, "command": 30, "rating_unclear": 6, "confirm": 4},
    "blind46": {"kind": 126, "rating": 64, "took_place": 65, "learned": 36, "to_develop": 39,
                "next_focus": 37, "goals": 13, "command": 30, "rating_unclear": 5, "confirm": 5},
    "blind47": {"kind": 130, "rating": 68, "took_place": 68, "learned": 56, "to_develop": 55,
                "next_focus": 58, "goals": 17, "command": 31, "rating_unclear": 6, "confirm": 6},
    "blind48": {"kind": 130, "rating": 69, "took_place": 69, "learned": 58, "to_develop": 57,
                "next_focus": 47, "goals": 15, "command": 30, "rating_unclear": 5, "confirm": 6},
    "blind49": {"kind": 127, "rating": 64, "took_place": 66, "learned": 40, "to_develop": 50,
                "next_focus": 46, "goals": 16, "command": 31, "rating_unclear": 4, "confirm": 2},
    "blind50": {"kind": 129, "rating": 68, "took_place": 73, "learned": 56, "to_develop": 57,
                "next_focus": 58, "goals": 12, "command": 30, "rating_unclear": 7, "confirm": 4},
    "blind51": {"kind": 135, "rating": 66, "took_place": 69, "learned": 56, "to_develop": 57,
                "next_focus": 53, "goals": 13, "command": 33, "rating_unclear": 6, "confirm": 6},
    "blind52": {"kind": 130, "rating": 67, "took_place": 67, "learned": 54, "to_develop": 54,
                "next_focus": 58, "goals": 14, "command": 30, "rating_unclear": 6, "confirm": 4},
    "blind53": {"kind": 130, "rating": 65, "took_place": 67, "learned": 65, "to_develop": 65,
                "next_focus": 60, "goals": 13, "command": 30, "rating_unclear": 5, "confirm": 5},
    "blind54": {"kind": 130, "rating": 59, "took_place": 64, "learned": 50, "to_develop": 46,
                "next_focus": 50, "goals": 15, "command": 32, "rating_unclear": 6, "confirm": 9},
    "blind55": {"kind": 129, "rating": 67, "took_place": 69, "learned": 52, "to_develop": 46,
                "next_focus": 45, "goals": 14, "command": 30, "rating_unclear": 4, "confirm": 6},
    "blind56": {"kind": 129, "rating": 61, "took_place": 66, "learned": 54, "to_develop": 52,
                "next_focus": 45, "goals": 13, "command": 32, "rating_unclear": 6, "confirm": 6},
    "blind57": {"kind": 130, "rating": 63, "took_place": 64, "learned": 40, "to_develop": 42,
                "next_focus": 50, "goals": 13, "command": 34, "rating_unclear": 4, "confirm": 3},
    "blind58": {"kind": 132, "rating": 69, "took_place": 71, "learned": 42, "to_develop": 44,
                "next_focus": 45, "goals": 14, "command": 33, "rating_unclear": 5, "confirm": 6},
    "blind59": {"kind": 129, "rating": 65, "took_place": 67, "learned": 64, "to_develop": 63,
                "next_focus": 65, "goals": 14, "command": 29, "rating_unclear": 6, "confirm": 5},
    "blind60": {"kind": 128, "rating": 62, "took_place": 64, "learned": 48, "to_develop": 44,
                "next_focus": 47, "goals": 16, "command": 33, "rating_unclear": 5, "confirm": 6},
    "blind61": {"kind": 131, "rating": 65, "took_place": 66, "learned": 55, "to_develop": 51,
                "next_focus": 54, "goals": 15, "command": 32, "rating_unclear": 6, "confirm": 5},
    "blind62": {"kind": 129, "rating": 68, "took_place": 70, "learned": 59, "to_develop": 52,
                "next_focus": 51, "goals": 13, "command": 33, "rating_unclear": 5, "confirm": 5},
    "blind63": {"kind": 129, "rating": 64, "took_place": 64, "learned": 42, "to_develop": 43,
                "next_focus": 51, "goals": 15, "command": 31, "rating_unclear": 5, "confirm": 3},
    "blind64": {"kind": 128, "rating": 68, "took_place": 72, "learned": 63, "to_develop": 58,
                "next_focus": 57, "goals": 14, "command": 30, "rating_unclear": 5, "confirm": 6},
    "blind65": {"kind": 130, "rating": 60, "took_place": 58, "learned": 50, "to_develop": 47,
                "next_focus": 40, "goals": 16, "command": 33, "rating_unclear": 5, "confirm": 6},
    "blind66": {"kind": 131, "rating": 71, "took_place": 73, "learned": 66, "to_develop": 69,
                "next_focus": 63, "goals": 13, "command": 30, "rating_unclear": 4, "confirm": 5},
    "blind67": {"kind": 131, "rating": 72, "took_place": 75, "learned": 68, "to_develop": 69,
                "next_focus": 68, "goals": 15, "command": 32, "rating_unclear": 5, "confirm": 5},
    "blind68": {"kind": 130, "rating": 69, "took_place": 71, "learned": 66, "to_develop": 66,
                "next_focus": 65, "goals": 13, "command": 32, "rating_unclear": 4, "confirm": 5},
    "blind69": {"kind": 130, "rating": 67, "took_place": 69, "learned": 43, "to_develop": 46,
                "next_focus": 46, "goals": 15, "command": 30, "rating_unclear": 5, "confirm": 5},
    "blind70": {"kind": 129, "rating": 62, "took_place": 65, "learned": 52, "to_develop": 48,
                "next_focus": 49, "goals": 13, "command": 38, "rating_unclear": 5, "confirm": 5},
    "blind71": {"kind": 129, "rating": 65, "took_place": 68, "learned": 49, "to_develop": 47,
                "next_focus": 49, "goals": 14, "command": 31, "rating_unclear": 5, "confirm": 5},
    "blind72": {"kind": 130, "rating": 72, "took_place": 71, "learned": 28, "to_develop": 31,
                "next_focus": 32, "goals": 12, "command": 32, "rating_unclear": 5, "confirm": 8},
    "blind73": {"kind": 126, "rating": 66, "took_place": 67, "learned": 44, "to_develop": 34,
                "next_focus": 39, "goals": 15, "command": 27, "rating_unclear": 7, "confirm": 5},
    "blind74": {"kind": 127, "rating": 62, "took_place": 65, "learned": 45, "to_develop": 44,
                "next_focus": 40, "goals": 13, "command": 32, "rating_unclear": 5, "confirm": 5},
    "blind75": {"kind": 129, "rating": 70, "took_place": 73, "learned": 40, "to_develop": 37,
                "next_focus": 43, "goals": 10, "command": 31, "rating_unclear": 5, "confirm": 5},
    "blind76": {"kind": 126, "rating": 63, "took_place": 57, "learned": 55, "to_develop": 48,
                "next_focus": 51, "goals": 16, "command": 28, "rating_unclear": 4, "confirm": 8},
    "blind77": {"kind": 120, "rating": 55, "took_place": 55, "learned": 45, "to_develop": 27,
                "next_focus": 27, "goals": 16, "command": 29, "rating_unclear": 4, "confirm": 8},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_every_message_has_expectations(name: str) -> None:
    folder = HERE / name
    expected = load(folder)
    assert sorted(p.stem for p in folder.glob("*.eml")) == sorted(expected)
    assert all(sorted(e) == sorted(FIELDS + NOTES) for e in expected.values())


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_field_reads_worse_than_its_floor(name: str) -> None:
    result = score(HERE / name, parsed)
    print(f"{name}: {result.messages} messages\n{result.table()}")
    floor = FLOORS[name]
    assert set(floor) <= set(FIELDS)
    assert {f: result.right[f] >= floor.get(f, 0) for f in FIELDS} == dict.fromkeys(
        FIELDS, True), result.table()
