"""Screenshots for the admin guide, taken by headless Chromium from a simulation's output,
so they show what the code sends today.

    make demo && python docs/screenshots.py demo-out docs/img     (or: make screenshots)

For each language (French and English) it picks, from the mail the agent sent
(`OUT/mail`, a Maildir), one introduction and one questionnaire, and from `OUT/digests`
one manager's digest; it also draws the session invitation a participant received (their
calendar file, `OUT/calendars/<email>.ics`: the series' title, times, recurrence,
organiser, attendees and description, as a calendar application lists them). Each is
opened in Debian's Chromium (/usr/bin/chromium, driven by Playwright; never a browser
download) in a 600-pixel mail pane, and saved as `DEST/<what>-<language>.png`.
"""

from __future__ import annotations

import argparse
import email
import html
import sys
import tempfile
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from icalendar import Calendar

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LANGUAGES = ("fr", "en")
WIDTH, MAX_HEIGHT = 600, 1600
CARD = """<!doctype html><html lang="{lang}"><meta charset="utf-8"><style>
body {{ font-family: sans-serif; margin: 16px; color: #222; }}
.card {{ border: 1px solid #ccc; border-radius: 8px; padding: 16px; max-width: 540px; }}
h1 {{ font-size: 20px; margin: 0 0 12px; }} dt {{ color: #666; font-size: 13px; }}
dd {{ margin: 0 0 10px; }} pre {{ white-space: pre-wrap; font-family: inherit; margin: 0; }}
.buttons span {{ display: inline-block; border: 1px solid #999; border-radius: 4px;
  padding: 4px 12px; margin-right: 6px; }}
</style><div class="card"><h1>{title}</h1><dl>{rows}</dl>
<div class="buttons"><span>{yes}</span><span>{maybe}</span><span>{no}</span></div></div>"""
WORDS = {
    "fr": {"when": "Quand", "repeat": "Répétition", "organizer": "Organisateur",
           "attendees": "Participants", "details": "Détails", "every": "toutes les {n} semaines",
           "weekly": "chaque semaine", "yes": "Oui", "maybe": "Peut-être", "no": "Non"},
    "en": {"when": "When", "repeat": "Repeats", "organizer": "Organiser",
           "attendees": "Attendees", "details": "Details", "every": "every {n} weeks",
           "weekly": "weekly", "yes": "Yes", "maybe": "Maybe", "no": "No"},
}


def messages(maildir: Path) -> Iterator[EmailMessage]:
    """Every message the agent sent, oldest file name first."""
    for path in sorted([*maildir.glob("cur/*"), *maildir.glob("new/*")]):
        msg = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        if isinstance(msg, EmailMessage):
            yield msg


def kind_of(msg: EmailMessage) -> str:
    """`intro`, `questionnaire`...: the mail kind its X-Binome-Key names."""
    parts = str(msg.get("X-Binome-Key", "")).strip().split("/")
    return parts[1] if len(parts) > 1 and parts[0] == "mail" else parts[0]


def language_of(msg: EmailMessage) -> str:
    """The message's language (its parts say it in Content-Language)."""
    for part in msg.walk():
        if part.get("Content-Language"):
            return str(part["Content-Language"])
    return ""


def html_part(msg: EmailMessage) -> str:
    """The HTML body of a message."""
    body = msg.get_body(preferencelist=("html",))
    if body is None or not isinstance(body, EmailMessage):
        raise SystemExit(f"{msg['Message-ID']}: no HTML part")
    return str(body.get_content())


def pick(out: Path) -> dict[str, tuple[str, Any]]:
    """What to draw: name -> ("html", text) or ("file", path) or ("ics", (email, lang))."""
    chosen: dict[str, tuple[str, Any]] = {}
    for msg in messages(out / "mail"):
        kind, lang = kind_of(msg), language_of(msg)
        name = f"{kind}-{lang}"
        if kind in ("intro", "questionnaire") and lang in LANGUAGES and name not in chosen:
            chosen[name] = ("html", html_part(msg))
            if kind == "intro":
                to = str(msg["To"]).split("<")[-1].strip(">").strip()
                chosen[f"invitation-{lang}"] = ("ics", (to, lang))
    for page in sorted((out / "digests").glob("*.html")):
        if page.stem.endswith("-admin"):
            continue
        lang = language_of(email.message_from_bytes(
            page.with_suffix(".eml").read_bytes(), policy=default_policy))  # type: ignore[arg-type]
        if lang in LANGUAGES and f"digest-{lang}" not in chosen:
            chosen[f"digest-{lang}"] = ("file", page)
    wanted = {f"{k}-{lang}" for k in ("intro", "questionnaire", "invitation", "digest")
              for lang in LANGUAGES}
    missing = sorted(wanted - set(chosen))
    if missing:
        raise SystemExit(f"{out}: nothing to draw for {', '.join(missing)} (simulate longer?)")
    return chosen


def invitation(calendars: Path, who: str, lang: str) -> str:
    """The programme's series in `who`'s calendar, as an invitation card (HTML)."""
    cal = Calendar.from_ical((calendars / f"{who}.ics").read_bytes())
    events = [e for e in cal.walk("VEVENT") if "X-BINOME-KEY" in e and "RRULE" in e
              and "RECURRENCE-ID" not in e]
    if not events:
        raise SystemExit(f"{calendars / who}.ics: no recurring session")
    event, words = events[0], WORDS[lang]
    start = event.decoded("DTSTART")
    end = start + event.decoded("DURATION") if "DURATION" in event else event.decoded("DTEND")
    interval = int(event["RRULE"].get("INTERVAL", [1])[0])
    repeat = words["weekly"] if interval == 1 else words["every"].format(n=interval)
    people = [str(a).removeprefix("mailto:") for a in event.get("ATTENDEE", [])]
    rows = [(words["when"], f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} ({start.tzinfo})"),
            (words["repeat"], repeat),
            (words["organizer"], str(event.get("ORGANIZER", "")).removeprefix("mailto:")),
            (words["attendees"], ", ".join(people)),
            (words["details"], str(event.get("DESCRIPTION", "")))]
    cells = "".join(f"<dt>{html.escape(k)}</dt><dd><pre>{html.escape(v)}</pre></dd>"
                    for k, v in rows)
    return CARD.format(lang=lang, title=html.escape(str(event.get("SUMMARY", ""))), rows=cells,
                       yes=words["yes"], maybe=words["maybe"], no=words["no"])


def shoot(out: Path, dest: Path) -> list[Path]:
    """Draw every picture `pick` chose into `dest`; returns the files written."""
    from playwright.sync_api import sync_playwright  # a dev tool: imported only here

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": WIDTH, "height": 800})
        for name, (how, what) in sorted(pick(out).items()):
            if how == "file":
                url = Path(what).resolve().as_uri()
            else:
                page_file = Path(tmp) / f"{name}.html"
                text = what if how == "html" else invitation(out / "calendars", *what)
                page_file.write_text(text, encoding="utf-8")
                url = page_file.as_uri()
            page = browser.new_page()
            page.goto(url)
            page.wait_for_load_state("load")
            # The content's own height (the page is at least the viewport's), at most MAX_HEIGHT.
            height = min(MAX_HEIGHT, page.evaluate(
                "Math.ceil(document.body.getBoundingClientRect().bottom) + 16"))
            target = dest / f"{name}.png"
            page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": WIDTH,
                                                    "height": height}, full_page=True)
            page.close()
            written.append(target)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a simulation's folder (make demo: demo-out)")
    parser.add_argument("dest", type=Path, help="where the PNG files go (docs/img)")
    args = parser.parse_args()
    if not (args.out / "mail").is_dir():
        sys.exit(f"{args.out}: no simulation here (make demo writes demo-out)")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium (Debian's package)")
    for path in shoot(args.out, args.dest):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
