"""No reply is ever recorded as an answer with a field that copies our own question text.

Every message of every corpus (the regression replies and the five blind corpora) goes
through the agent's own inbox (`read_mail` on the local Maildir backend),
each tied to a message of ours indexed as the one it answers (questionnaire, reminder,
introduction or objectives, as its author said). Then every recorded answer and goal is
checked against our questions, read straight from the templates (not through the
parser), in French and English.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

from agent.conversation.inbox import read_mail
from agent.core.ledger import Ledger
from agent.core.records import SentMail
from agent.core.store import Store
from agent.providers.local.calendar import deliver_to_inbox
from agent.providers.local.maildir import LocalMailbox

HERE = Path(__file__).parent
CORPORA = [HERE / "replies", HERE / "blind" / "dev", HERE / "blind" / "heldout", HERE / "blind2",
           HERE / "blind3" / "dev", HERE / "blind3" / "heldout", HERE / "blind4",
           HERE / "blind5", HERE / "blind6", HERE / "blind7", HERE / "blind8",
           HERE / "blind9", HERE / "blind10", HERE / "blind11", HERE / "blind12",
           HERE / "blind13", HERE / "blind14", HERE / "blind15", HERE / "blind16",
           HERE / "blind17", HERE / "blind18", HERE / "blind19", HERE / "blind20",
           HERE / "blind21", HERE / "blind22", HERE / "blind23", HERE / "blind24",
           HERE / "blind25", HERE / "blind26", HERE / "blind27", HERE / "blind28",
           HERE / "blind29", HERE / "blind30", HERE / "blind31", HERE / "blind32",
           HERE / "blind33", HERE / "blind34", HERE / "blind35", HERE / "blind36",
           HERE / "blind37", HERE / "blind38", HERE / "blind39", HERE / "blind40",
           HERE / "blind41", HERE / "blind42", HERE / "blind43", HERE / "blind44",
           HERE / "blind45", HERE / "blind46", HERE / "blind47",
           HERE / "blind48", HERE / "blind49", HERE / "blind50", HERE / "blind51",
           HERE / "blind52", HERE / "blind53", HERE / "blind54", HERE / "blind55",
           HERE / "blind56", HERE / "blind57", HERE / "blind58", HERE / "blind59",
           HERE / "blind60", HERE / "blind61", HERE / "blind62", HERE / "blind63",
           HERE / "blind64", HERE / "blind65", HERE / "blind66", HERE / "blind67",
           HERE / "blind68", HERE / "blind69", HERE / "blind70", HERE / "blind71",
           HERE / "blind72", HERE / "blind73", HERE / "blind74", HERE / "blind75",
           HERE / "blind76", HERE / "blind77"]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


def our_questions() -> list[str]:
    """Every question we ask, as the templates write it (numbered lines, list items)."""
    found = []
    for path in TEMPLATES.glob("*/*.j2"):
        source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += re.findall(r"^\s*[1-5]\.\s+([^{\n]*\?[^{\n]*|[^{\n]*:\s*)$", source, re.M)
        found += re.findall(r"<li[^>]*>([^<{]*(?:\?|:)[^<{]*)</li>", source)
    questions = {_plain(q.replace("&nbsp;", " ")) for q in found}
    assert len(questions) >= 10, questions  # both languages' questionnaires at least
    return sorted(q for q in questions if len(q.split()) >= 3)


def _index(ledger: Ledger, raw: bytes, kind: str, n: int) -> None:
    msg = BytesParser(policy=default_policy).parsebytes(raw, headersonly=True)
    sender = str(msg.get("From", "")).rpartition("<")[2].strip("> ").lower()
    token = re.search(r"\[(B-[0-9a-f]+)\]", str(msg.get("Subject", "")))
    ids = [str(msg.get("In-Reply-To", "")).strip()] + ([token.group(1)] if token else [])
    # A pairing per message: one person's replies to one session make one record (#15).
    sent = SentMail(kind, f"mail/{kind}/p-corpus{n}/2026-11-0{1 + n % 9}T09:00:00+00:00/{sender}",
                    f"p-corpus{n}", sender, datetime(2026, 11, 1 + n % 9, 9, tzinfo=UTC))
    for ref in ids:
        if ref:
            ledger.messages.index(ref, f"B-corpus{n}", sent, NOW)


def test_no_recorded_answer_copies_our_question_text(tmp_path: Path) -> None:
    ledger = Ledger(Store(tmp_path / "state"))
    n = 0
    for corpus in CORPORA:
        expected = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
        for stem, want in sorted(expected.items()):
            answers = want.get("answers") or ("intro" if want["kind"] == "goals"
                                              else "questionnaire")
            kind = {"reminder": "questionnaire", "none": "command"}.get(answers, answers)
            raw = (corpus / f"{stem}.eml").read_bytes()
            _index(ledger, raw, kind, n)
            assert deliver_to_inbox(tmp_path, f"{n:04d}.{stem}", raw)
            n += 1
    # A tick reads a bounded number of batches (inbox.MAX_BATCHES); the rest waits for the
    # next one, as a real inbox of this size would.
    read = 0
    while (got := read_mail(ledger, LocalMailbox(tmp_path), NOW)) > 0:
        read += got
    assert read == n

    questions = our_questions()
    recorded = list(ledger.answers.feedback())
    goals = [g for _, doc in ledger.store.all("goals") for gs in doc.values() for g in gs]
    assert len(recorded) >= 100 and goals  # answers were recorded: the check is not empty
    copies = [
        (record.message_id, name, value)
        for record in recorded
        for name, value in (("learned", record.learned), ("to_develop", record.to_develop),
                            ("next_focus", record.next_focus))
        if value and any(q in _plain(value) for q in questions)
    ] + [("goals", "goal", g) for g in goals if any(q in _plain(g) for q in questions)]
    assert copies == []
