"""The digest's charts: small PNGs that travel inside the mail (Content-ID), never links.

Each chart is drawn for a 552-pixel column (the 600-pixel mail less its padding)
at twice that resolution, so it stays sharp on high-density screens. Bytes are
deterministic for the same figures (no timestamp or version in the PNG), so a
digest composed twice after a crash is the same message.

matplotlib runs on its Agg backend: no display, no GUI toolkit, safe in a daemon.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: a server has no display

import matplotlib.pyplot as plt  # noqa: E402
from babel.dates import format_date  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from PIL import Image  # noqa: E402

WIDTH_PX = 552  # as shown in the mail
DPI = 200
NAVY, TEAL, GREY, AMBER, INK = "#1e3a5f", "#2a9d8f", "#d4dbe5", "#e9a23b", "#3f3f46"

_WORDS = {
    "en": {"planned": "Planned", "held": "Held", "sessions": "sessions", "session": "session",
           "no ratings": "No rating this month",
           "no skills": "No session held this month"},
    "fr": {"planned": "Prévues", "held": "Tenues", "sessions": "séances", "session": "séance",
           "no ratings": "Aucune note ce mois-ci",
           "no skills": "Aucune séance tenue ce mois-ci"},
}


@dataclass(frozen=True)
class Chart:
    """One inline image: `name` is its file name stem and Content-ID stem."""

    name: str
    png: bytes
    width: int = WIDTH_PX
    height: int = 0


def _figure(height_px: int) -> Figure:
    fig = plt.figure(figsize=(WIDTH_PX / 100, height_px / 100), dpi=DPI / 2)
    fig.patch.set_facecolor("white")
    return fig


def _png(fig: Figure) -> bytes:
    drawn = io.BytesIO()
    # No "Software" or date chunk: the same figures always give the same bytes.
    fig.savefig(drawn, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    # A few flat colours and anti-aliased text: a 64-colour palette looks the same and
    # makes the mail a quarter of the size (a digest carries three charts).
    image = Image.open(drawn).convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE,
                                                     colors=64)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _style(ax: object) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GREY)
    ax.tick_params(colors=INK, labelsize=9, length=0)
    ax.yaxis.grid(True, color="#eeeeee")
    ax.set_axisbelow(True)


def weekly_chart(weeks: Mapping[date, Sequence[int]], language: str) -> Chart:
    """Sessions held per week (bars) against those planned (outline), one bar per week."""
    words = _WORDS[language]
    days = sorted(weeks)
    planned = [weeks[d][0] for d in days]
    held = [weeks[d][1] for d in days]
    fig = _figure(220)
    ax = fig.add_axes((0.07, 0.2, 0.9, 0.68))
    x = range(len(days))
    ax.bar(x, planned, width=0.62, color="white", edgecolor=NAVY, linewidth=1.2,
           label=words["planned"])
    ax.bar(x, held, width=0.62, color=TEAL, label=words["held"])
    for i, (p, h) in enumerate(zip(planned, held, strict=True)):
        ax.text(i, max(p, h) + 0.05 * max(1, *planned), f"{h}/{p}", ha="center", va="bottom",
                fontsize=9, color=INK)
    ax.set_xticks(list(x), [format_date(d, "d MMM", locale=language) for d in days])
    ax.set_ylim(0, max(1, *planned) * 1.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _style(ax)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False, fontsize=9)
    return Chart("weekly", _png(fig), height=220)


def rating_chart(ratings: Sequence[int], language: str) -> Chart:
    """How many answers gave each rating from 1 to 5."""
    words = _WORDS[language]
    counts = [sum(1 for r in ratings if r == v) for v in range(1, 6)]
    fig = _figure(180)
    ax = fig.add_axes((0.07, 0.16, 0.9, 0.74))
    colours = [GREY, GREY, AMBER, TEAL, TEAL]
    ax.bar(range(1, 6), counts, width=0.6, color=colours)
    for v, n in zip(range(1, 6), counts, strict=True):
        ax.text(v, n + 0.05 * max(1, *counts), str(n), ha="center", va="bottom", fontsize=9,
                color=INK)
    ax.set_xticks(range(1, 6), [f"{'★' * v}" for v in range(1, 6)])
    ax.set_ylim(0, max(1, *counts) * 1.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if not ratings:
        ax.text(3, 0.6, words["no ratings"], ha="center", color=INK, fontsize=10)
    _style(ax)
    return Chart("ratings", _png(fig), height=180)


def skills_chart(skills: Mapping[str, int], language: str, limit: int = 6) -> Chart:
    """Sessions held per skill, the most worked-on first (at most `limit` skills)."""
    words = _WORDS[language]
    top = sorted(((n, s) for s, n in skills.items() if n > 0), key=lambda t: (-t[0], t[1]))
    top = top[:limit]
    height = 50 + 34 * max(1, len(top))
    fig = _figure(height)
    ax = fig.add_axes((0.3, 12 / height, 0.66, 1 - 24 / height))
    labels = [s if len(s) <= 24 else s[:23] + "…" for _, s in reversed(top)]
    values = [n for n, _ in reversed(top)]
    ax.barh(range(len(top)), values, height=0.55, color=NAVY)
    for i, n in enumerate(values):
        label = f"{n} {words['session' if n == 1 else 'sessions']}"
        ax.text(n + 0.02 * max(1, *values), i, label, va="center", fontsize=9, color=INK)
    ax.set_yticks(range(len(top)), labels)
    ax.set_xlim(0, max([1, *values]) * 1.35)
    ax.set_xticks([])
    if not top:
        ax.set_yticks([])
        ax.text(0.5, 0.5, words["no skills"], ha="center", va="center", fontsize=10,
                color=INK, transform=ax.transAxes)
    _style(ax)
    ax.yaxis.grid(False)
    ax.spines["bottom"].set_visible(False)
    return Chart("skills", _png(fig), height=height)


def chart_ctx(chart: Chart, src: Callable[[str], str]) -> dict[str, Any]:
    """What a template needs to show `chart` (`src` names it inside the message)."""
    return {"src": src(chart.name), "width": chart.width, "height": chart.height}
