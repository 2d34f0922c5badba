"""Which digest a planned action is, and what goes in it: context plus inline charts.

The one place that decides whose figures a digest may hold: a manager's covers
the direct reports who took part in a pairing (the planner's rule, from the
round's one pass), the admin's covers the programme.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from agent.conversation.compose import InlineImage, content_id
from agent.core.ledger import Ledger
from agent.core.model import Participant
from agent.digest.admin import admin_context
from agent.digest.charts import Chart
from agent.digest.figures import MonthIndex
from agent.digest.manager import manager_context
from agent.programme.settings import Settings


def digest_content(
    settings: Settings,
    ledger: Ledger,
    people: Mapping[str, Participant],
    recipient: Participant,
    kind: str,  # "digest" (a manager's) or "admin_digest"
    key: str,
    index: MonthIndex,
    now: datetime,
) -> tuple[dict[str, Any], list[InlineImage]]:
    """The context and inline charts of the digest `key` to `recipient`: a manager's covers their
    reports in a pairing, the admin's everyone."""
    domain = settings.organisation.programme_email.rpartition("@")[2] or "localhost"

    def src(name: str) -> str:
        return "cid:" + content_id(key, name, domain)

    charts: list[Chart]
    if kind == "admin_digest":
        context, charts = admin_context(settings, ledger, people, recipient, index, now, src=src)
    else:
        reports = sorted(p.email for p in people.values()
                         if p.manager_email == recipient.email and p.email in index.pairings)
        context, charts = manager_context(
            ledger, people, recipient, reports, index, now, settings.organisation.name,
            settings.organisation.admin_email, share_text=settings.digest.share_free_text,
            src=src)
    images = [InlineImage(content_id(key, c.name, domain), c.png, f"{c.name}.png")
              for c in charts]
    return context, images
