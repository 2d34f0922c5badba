"""`binome simulate` end to end: real subprocesses, real files, no mocks.

What is checked:
- the artifacts of one uninterrupted run: every calendar file parses, the
  programme's calendar holds exactly the occurrences the agent planned, every
  mail is a well-formed message with a unique Message-ID and both a text and
  an HTML part, the mails match the planned sessions, digests are exported;
- determinism: the same seed gives byte-identical mail, replies and calendars
  (each run under a different PYTHONHASHSEED, so set order cannot hide);
  another seed gives another result;
- crash safety: the run is killed with SIGKILL at random instants (start-up,
  first ticks, anywhere) and resumed each time; the end result must be exactly
  the uninterrupted one (same Message-IDs with the same bytes, same .ics bytes,
  nothing twice, nothing missing);
- resumability: running a finished simulation again changes nothing; another
  seed on the same folder is refused with a one-line message.

CRASH_KILLS (default 12) sets how many kills; CRASH_SEED (default 20260901)
draws the delays. A failure prints which message, header or .ics line differs.
"""

from __future__ import annotations

import difflib
import email
import hashlib
import json
import mailbox
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
from icalendar import Calendar as ICalendar

from agent.core.docs import parse_iso, series_from_doc
from agent.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "example.toml"
ROSTER = ROOT / "config" / "roster.example.csv"
PROGRAMME_EMAIL = "binome@atelier-lumiere.fr"
MONTHS = 1
SEED = 7
CRASH_KILLS = int(os.environ.get("CRASH_KILLS", "12"))
CRASH_SEED = int(os.environ.get("CRASH_SEED", "20260901"))
# A run spends about this long importing and opening its state before its first step.
STARTUP = 0.4
RUN_TIMEOUT = 300


# -- running the command ---------------------------------------------------------------


def write_config(folder: Path) -> Path:
    """config/example.toml with the roster given by absolute path."""
    folder.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    line = 'path = "roster.example.csv"'
    assert line in text, "config/example.toml no longer names its roster as expected"
    config = folder / "binome.toml"
    config.write_text(text.replace(line, f'path = "{ROSTER.as_posix()}"'), encoding="utf-8")
    return config


def simulate_cmd(config: Path, out: Path, *, seed: int = SEED, months: int = MONTHS) -> list[str]:
    return [
        sys.executable, "-m", "agent.cli.main", "simulate", "--config", str(config),
        "--months", str(months), "--out", str(out), "--seed", str(seed),
    ]


def child_env(hash_seed: int) -> dict[str, str]:
    """The environment of a run: a fixed, per-run PYTHONHASHSEED (results must not depend on it)."""
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = str(hash_seed)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_sim(
    config: Path, out: Path, *, seed: int = SEED, months: int = MONTHS, hash_seed: int = 0
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    proc = subprocess.run(
        simulate_cmd(config, out, seed=seed, months=months),
        cwd=ROOT, env=child_env(hash_seed), capture_output=True, text=True, timeout=RUN_TIMEOUT,
    )
    return proc, time.monotonic() - started


def check_ok(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, (
        f"binome simulate exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )


# -- reading the output -----------------------------------------------------------------


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    return msg


def maildir_files(folder: Path) -> dict[str, bytes]:
    """'new/<name>' or 'cur/<name>' -> raw bytes (tmp/ is a Maildir's scratch space)."""
    found = {}
    for sub in ("new", "cur"):
        directory = folder / sub
        if directory.is_dir():
            for path in sorted(directory.iterdir()):
                if path.is_file():
                    found[f"{sub}/{path.name}"] = path.read_bytes()
    return found


@dataclass
class Snapshot:
    """What a simulation left behind, reduced to what must be identical between runs."""

    out: Path
    mail: dict[str, str] = field(default_factory=dict)  # Message-ID -> sha256
    inbox: dict[str, str] = field(default_factory=dict)
    mail_files: dict[str, str] = field(default_factory=dict)  # new|cur/<name> -> sha256
    inbox_files: dict[str, str] = field(default_factory=dict)
    calendars: dict[str, str] = field(default_factory=dict)  # <email>.ics -> sha256
    digests: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)  # "mail: <id> x2", ...

    def comparable(self) -> dict[str, Any]:
        return {
            "mail": self.mail, "inbox": self.inbox, "mail_files": self.mail_files,
            "inbox_files": self.inbox_files, "calendars": self.calendars,
            "digests": self.digests,
        }


def snapshot(out: Path) -> Snapshot:
    snap = Snapshot(out)
    for name, ids, files in (
        ("mail", snap.mail, snap.mail_files), ("inbox", snap.inbox, snap.inbox_files)
    ):
        seen: Counter[str] = Counter()
        for rel, raw in maildir_files(out / name).items():
            files[rel] = sha(raw)
            for message_id in parse(raw).get_all("Message-ID") or ["<none>"]:
                seen[str(message_id)] += 1
                ids[str(message_id)] = sha(raw)
        snap.duplicates += [f"{name}: {i} x{n}" for i, n in sorted(seen.items()) if n > 1]
    for path in sorted((out / "calendars").glob("*.ics")):
        snap.calendars[path.name] = sha(path.read_bytes())
    if (out / "digests").is_dir():
        for path in sorted((out / "digests").iterdir()):
            snap.digests[path.name] = sha(path.read_bytes())
    return snap


def _by_message_id(folder: Path) -> dict[str, tuple[str, bytes]]:
    return {
        str(parse(raw)["Message-ID"]): (rel, raw) for rel, raw in maildir_files(folder).items()
    }


def _first_line_diff(a: bytes, b: bytes, label: str, limit: int = 30) -> str:
    lines = list(difflib.unified_diff(
        a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(),
        f"expected/{label}", f"actual/{label}", lineterm="", n=1,
    ))
    more = f"\n    ... {len(lines) - limit} more diff lines" if len(lines) > limit else ""
    return "\n".join("    " + line for line in lines[:limit]) + more


def explain(expected: Path, actual: Path, limit: int = 8) -> str:
    """Which message, header and .ics line differ: the failure message of a comparison."""
    report: list[str] = []
    for name in ("mail", "inbox"):
        a, b = _by_message_id(expected / name), _by_message_id(actual / name)
        missing, extra = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        if missing:
            report.append(f"{name}: {len(missing)} message(s) missing, e.g.")
            report += [f"  {m} {parse(a[m][1])['X-Binome-Key'] or parse(a[m][1])['Subject']}"
                       for m in missing[:limit]]
        if extra:
            report.append(f"{name}: {len(extra)} message(s) not in the uninterrupted run, e.g.")
            report += [f"  {m} {parse(b[m][1])['X-Binome-Key'] or parse(b[m][1])['Subject']}"
                       for m in extra[:limit]]
        shown = 0
        for message_id in sorted(set(a) & set(b)):
            (rel_a, raw_a), (rel_b, raw_b) = a[message_id], b[message_id]
            if rel_a != rel_b:
                report.append(f"{name}: {message_id} is {rel_b}, expected {rel_a}")
            if raw_a == raw_b or shown >= limit:
                continue
            shown += 1
            ma, mb = parse(raw_a), parse(raw_b)
            headers = sorted({k for k in (*ma.keys(), *mb.keys())
                              if ma.get_all(k) != mb.get_all(k)})
            report.append(f"{name}: {message_id} ({ma['X-Binome-Key'] or ma['Subject']}) "
                          f"differs; headers differing: {headers or 'none'}")
            for header in headers:
                report.append(f"    {header}: {ma.get_all(header)} != {mb.get_all(header)}")
            report.append(_first_line_diff(raw_a, raw_b, f"{name}/{rel_a}"))
    ca = {p.name: p.read_bytes() for p in (expected / "calendars").glob("*.ics")}
    cb = {p.name: p.read_bytes() for p in (actual / "calendars").glob("*.ics")}
    for name in sorted(set(ca) | set(cb)):
        if name not in cb:
            report.append(f"calendars/{name} missing")
        elif name not in ca:
            report.append(f"calendars/{name} not in the uninterrupted run")
        elif ca[name] != cb[name]:
            report.append(f"calendars/{name} differs:")
            report.append(_first_line_diff(ca[name], cb[name], f"calendars/{name}"))
    return "\n".join(report) or "(no difference in mail, inbox or calendars)"


def source_fingerprint() -> str:
    """A digest of the code and templates a run uses (to tell an edit made mid-session)."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "agent").rglob("*.py"), *(ROOT / "templates").rglob("*")]):
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


SOURCE_AT_IMPORT = source_fingerprint()


def assert_same(expected: Snapshot, actual: Snapshot) -> None:
    assert not actual.duplicates, f"duplicate Message-IDs in {actual.out}: {actual.duplicates}"
    if expected.comparable() != actual.comparable():
        parts = [f"{k}: {len(v)} vs {len(actual.comparable()[k])}"
                 for k, v in expected.comparable().items() if v != actual.comparable()[k]]
        edited = (
            "\nNOTE: agent/ or templates/ changed while these tests ran, so the runs compared"
            " may come from different code; run the tests again."
            if source_fingerprint() != SOURCE_AT_IMPORT else ""
        )
        pytest.fail(
            f"{actual.out} differs from {expected.out} ({'; '.join(parts)})\n"
            + explain(expected.out, actual.out) + edited,
            pytrace=False,
        )


def tree(out: Path) -> dict[str, tuple[str, int]]:
    """Every file under `out` (the lock file aside) -> (sha256, mtime_ns)."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name != "agent.lock":
            found[path.relative_to(out).as_posix()] = (sha(path.read_bytes()),
                                                       path.stat().st_mtime_ns)
    return found


# -- fixtures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    config: Path
    out: Path
    seconds: float
    snap: Snapshot


@pytest.fixture(scope="module")
def sim_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(tmp_path_factory.mktemp("sim-config"))


@pytest.fixture(scope="module")
def baseline(sim_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One uninterrupted simulation of the example programme."""
    out = tmp_path_factory.mktemp("sim-baseline") / "out"
    proc, seconds = run_sim(sim_config, out, hash_seed=1)
    check_ok(proc)
    print(f"\nuninterrupted run: {seconds:.1f} s\n{proc.stdout}")
    return Run(sim_config, out, seconds, snapshot(out))


# -- 2. the artifacts of one run --------------------------------------------------------


def _store_docs(out: Path, table: str) -> dict[str, dict[str, Any]]:
    store = Store(out / "state")  # opening reads; nothing is written unless flushed
    return dict(store.all(table))


def _isos(instants: set[datetime]) -> list[str]:
    return [o.isoformat() for o in sorted(instants)]


def test_calendars_parse_and_hold_the_planned_occurrences(baseline: Run) -> None:
    files = sorted((baseline.out / "calendars").glob("*.ics"))
    assert len(files) > 2
    for path in files:
        ICalendar.from_ical(path.read_bytes())  # raises on a broken file

    series_docs = _store_docs(baseline.out, "series")
    pairings = _store_docs(baseline.out, "pairings")
    assert series_docs, "the agent booked no series"
    cal = ICalendar.from_ical((baseline.out / "calendars" / f"{PROGRAMME_EMAIL}.ics").read_bytes())
    masters = [e for e in cal.walk("VEVENT") if "X-BINOME-KEY" in e and "RECURRENCE-ID" not in e]
    by_key = {str(e["X-BINOME-KEY"]): e for e in masters}
    assert len(by_key) == len(masters), "two masters share an X-BINOME-KEY"
    planned = {doc["key"]: (pid, series_from_doc(doc)) for pid, doc in series_docs.items()}
    assert set(by_key) == set(planned), "the organizer's calendar and the agent's series differ"

    problems = []
    for key, (pairing_id, series) in sorted(planned.items()):
        expected = series.occurrences()
        pairing = pairings.get(pairing_id, {})
        if pairing.get("status") == "ended" and pairing.get("ended"):
            ended = parse_iso(pairing["ended"])
            expected = [o for o in expected if o < ended]
        event = by_key[key]
        uid = str(event["UID"])
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            found: list[datetime] = []
        else:
            window_start = series.start - timedelta(days=1)
            window_end = series.until + timedelta(days=1)
            found = sorted(
                occ.get("RECURRENCE-ID", occ["DTSTART"]).dt.astimezone(UTC)
                for occ in recurring_ical_events.of(cal).between(window_start, window_end)
                if str(occ["UID"]) == uid and str(occ.get("STATUS", "")).upper() != "CANCELLED"
            )
        if found != sorted(expected):
            problems.append(
                f"{key} ({series.timezone}, every {series.interval_weeks} week(s), "
                f"{series.start.isoformat()} .. {series.until.isoformat()}):\n"
                f"    in the calendar only: {_isos(set(found) - set(expected))}\n"
                f"    planned only:         {_isos(set(expected) - set(found))}"
            )
    assert not problems, "calendar occurrences != Series.occurrences():\n" + "\n".join(problems)


def test_mail_is_well_formed_and_matches_the_plan(baseline: Run) -> None:
    box = mailbox.Maildir(baseline.out / "mail", factory=None, create=False)
    keys = list(box.keys())
    assert keys, "no mail was sent"
    ids: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    series = {pid: series_from_doc(doc) for pid, doc in _store_docs(baseline.out, "series").items()}
    problems = []
    for key in keys:
        msg = parse(box.get_bytes(key))
        message_ids = msg.get_all("Message-ID") or []
        assert len(message_ids) == 1, f"{key}: {len(message_ids)} Message-ID headers"
        ids[str(message_ids[0])] += 1
        types = {part.get_content_type() for part in msg.walk()}
        assert {"text/plain", "text/html"} <= types, f"{key} ({msg['Subject']}): parts {types}"
        assert msg.get_body(preferencelist=("plain",)) is not None, key
        assert msg.get_body(preferencelist=("html",)) is not None, key
        binome_key = str(msg.get("X-Binome-Key", "")).strip()
        kinds[binome_key.split("/")[1] if binome_key.startswith("mail/")
              else binome_key.split("/")[0]] += 1
        if binome_key.startswith(("mail/objectives/", "mail/questionnaire/")):
            _, kind, pairing_id, occurrence, recipient = binome_key.split("/", 4)
            occ = parse_iso(occurrence)
            sent = parsedate_to_datetime(str(msg["Date"]))
            # A session skipped after its objectives went out (a command the person then
            # confirmed) is still one the plan had.
            if pairing_id not in series or occ not in (*series[pairing_id].occurrences(),
                                                       *series[pairing_id].cancelled):
                problems.append(f"{binome_key}: not an occurrence of a planned series")
            elif kind == "objectives" and not sent < occ:
                problems.append(f"{binome_key}: objectives sent at {sent}, after the session")
            elif kind == "questionnaire" and not sent > occ:
                problems.append(f"{binome_key}: questionnaire sent at {sent}, before the session")
            if recipient not in str(msg["To"]).lower():
                problems.append(f"{binome_key}: sent to {msg['To']}")
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"Message-IDs used more than once: {duplicates}"
    assert not problems, "\n".join(problems)
    print(f"\nmail by kind: {dict(kinds)}")
    assert kinds["objectives"] > 0 and kinds["questionnaire"] > 0, kinds
    assert kinds["digest"] > 0, kinds
    # Objectives go out before each session, questionnaires after: about as many of each.
    assert kinds["questionnaire"] <= kinds["objectives"] + 4 * len(series), kinds


def test_replies_and_digests(baseline: Run) -> None:
    box = mailbox.Maildir(baseline.out / "inbox", factory=None, create=False)
    replies = [parse(box.get_bytes(k)) for k in box.keys()]
    assert replies, "nobody replied"
    assert all(len(m.get_all("Message-ID") or []) == 1 for m in replies)
    ids = [str(m["Message-ID"]) for m in replies]
    assert len(ids) == len(set(ids))
    html = sorted((baseline.out / "digests").glob("*.html"))
    assert html, "no digest exported"
    mail = mailbox.Maildir(baseline.out / "mail", factory=None, create=False)
    digests_sent = sum(
        1 for k in mail.keys()
        if str(parse(mail.get_bytes(k)).get("X-Binome-Key", "")).startswith("digest/")
    )
    assert digests_sent == len(html), (digests_sent, [p.name for p in html])
    for path in html:
        text = path.read_text(encoding="utf-8")
        assert "<html" in text.lower() or "<table" in text.lower() or "<p" in text.lower(), path
    feedback = _store_docs(baseline.out, "feedback")
    assert feedback, "no reply was read as feedback"
    assert not baseline.snap.duplicates


def test_every_answer_the_people_sent_is_in_the_ledger_as_they_meant_it(baseline: Run) -> None:
    """The simulated people write in many mail clients' styles; what each meant (kept by
    the simulation) must be what the agent recorded: the rating, and whether the session
    took place where they said it (a reply that does not say is left unknown)."""
    feedback = _store_docs(baseline.out, "feedback")
    replied = dict(Store(baseline.out / "people").all("replied")).values()
    answers = [r for r in replied if "rating" in r]
    assert len(answers) >= 20
    wrong = []
    for meant in answers:
        got = feedback.get(meant["reply_id"])
        if got is None or got["rating"] != meant["rating"] or (
                got["held"] is not None and got["held"] != meant["held"]) or (
                meant["held"] is False and got["held"] is not False):
            wrong.append((meant, got))
    assert wrong == []


# -- 3. determinism ---------------------------------------------------------------------


def test_same_seed_same_bytes(baseline: Run, tmp_path: Path) -> None:
    out = tmp_path / "again"
    proc, seconds = run_sim(baseline.config, out, hash_seed=2)
    check_ok(proc)
    print(f"\nsecond run, same seed: {seconds:.1f} s")
    assert_same(baseline.snap, snapshot(out))


def test_other_seed_other_result(baseline: Run, tmp_path: Path) -> None:
    out = tmp_path / "other"
    proc, _ = run_sim(baseline.config, out, seed=SEED + 1, hash_seed=3)
    check_ok(proc)
    other = snapshot(out)
    assert not other.duplicates
    assert other.inbox != baseline.snap.inbox, "another seed gave the same replies"
    assert other.comparable() != baseline.snap.comparable()


# -- 4. the crash test ------------------------------------------------------------------


def sim_clock(out: Path) -> tuple[datetime, datetime, datetime] | None:
    """(start, now, end) of a simulation folder, read from the people's store (read only)."""
    # The store's file layout is its own business: look for the table in any of its files.
    for path in sorted((out / "people").glob("*.json")):
        try:
            run = json.loads(path.read_bytes())["sim"]["run"]
            return parse_iso(run["start"]), parse_iso(run["now"]), parse_iso(run["end"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def progress(out: Path) -> float:
    clock = sim_clock(out)
    if clock is None:
        return 0.0
    start, now, end = clock
    return min(1.0, (now - start) / (end - start))


def next_delay(rng: random.Random, attempt: int, kills: int, duration: float, done: float) -> float:
    """When to kill this attempt, in seconds after it starts (0.05 s to `duration`).

    Every resumed attempt spends about STARTUP seconds importing and opening its
    state before it makes progress, and delays drawn over the whole run would
    finish it in two attempts, leaving every later kill to hit an idle process.
    So the first kill and every fourth one land in start-up or the first steps;
    the others let the run advance by a random share of what is left, about
    1/(kills left) of it on average, so the kills spread over the whole period.
    """
    if attempt == 0 or attempt % 4 == 1:
        return rng.uniform(0.05, STARTUP + 0.2)
    work = max(duration - STARTUP, 0.5)
    share = 2 * work * (1.0 - done) / (kills - attempt)
    return min(max(STARTUP + rng.uniform(0, share), 0.05), duration)


def test_killed_and_resumed_gives_the_uninterrupted_result(
    baseline: Run, tmp_path: Path
) -> None:
    out = tmp_path / "crashed"
    rng = random.Random(CRASH_SEED)
    cmd = simulate_cmd(baseline.config, out)
    mid_run = 0
    log = []
    started = time.monotonic()
    for attempt in range(CRASH_KILLS):
        delay = next_delay(rng, attempt, CRASH_KILLS, baseline.seconds, progress(out))
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=child_env(100 + attempt),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        was_done = progress(out) >= 1.0
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            state = "killed after the end (idle)" if was_done else "killed mid-run"
            mid_run += not was_done
        else:
            stderr = proc.stderr.read().decode() if proc.stderr else ""
            assert proc.returncode == 0, (
                f"attempt {attempt} exited {proc.returncode} by itself:\n{stderr}"
            )
            state = "finished before the kill"
        finally:
            if proc.stderr:
                proc.stderr.close()
        clock = sim_clock(out)
        reached = clock[1].isoformat()[:16] if clock else "not started"
        sent = len(maildir_files(out / "mail"))
        log.append(f"  kill {attempt + 1:2d} after {delay:4.2f} s: {state}; "
                   f"simulated clock at {reached}, {sent} mails")
    final, seconds = run_sim(baseline.config, out, hash_seed=99)
    total = time.monotonic() - started
    print(f"\ncrash test (CRASH_KILLS={CRASH_KILLS}, CRASH_SEED={CRASH_SEED}): "
          f"{mid_run} of {CRASH_KILLS} kills landed mid-run; final run {seconds:.1f} s, "
          f"all {total:.1f} s\n" + "\n".join(log))
    check_ok(final)
    leftovers = sorted(p.name for p in (out / "calendars").iterdir() if p.name.startswith("."))
    if leftovers:
        print(f"  temporary files left in calendars/: {leftovers}")
    assert_same(baseline.snap, snapshot(out))
    if CRASH_KILLS >= 4:
        # The test has power only if kills land mid-run; with many kills the run
        # finishes early and the later ones hit a finished run, which is fine.
        assert mid_run >= min(CRASH_KILLS, 12) // 2, f"only {mid_run} kills landed mid-run"


# A child that runs the simulation and SIGKILLs itself right after the first step
# (people acted, the agent ticked, the clock not yet saved) in which the output
# changed and that no earlier child was killed after. Each child so moves the
# run on by one eventful step; together they kill it after every eventful step.
KILL_AFTER_STEP = """
import os, signal, sys
from pathlib import Path
from agent.programme.settings import load_settings
from agent.sim.simulate import simulate

config, out, months, seed, journal = sys.argv[1:6]
out, journal = Path(out), Path(journal)
killed = set(journal.read_text().split()) if journal.exists() else set()

def outputs():
    found = []
    for sub in ("mail/new", "mail/cur", "inbox/new", "inbox/cur", "calendars"):
        folder = out / sub
        if folder.is_dir():
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                st = entry.stat()
                found.append((sub, entry.name, st.st_size, st.st_mtime_ns))
    return found

last = [outputs()]

def on_step(agent, now):
    current = outputs()
    if current != last[0] and now.isoformat() not in killed:
        with open(journal, "a") as f:
            f.write(now.isoformat() + "\\n")
            f.flush()
            os.fsync(f.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
    last[0] = current

settings, _ = load_settings(Path(config))
simulate(settings, out, months=int(months), seed=int(seed), on_step=on_step)
"""


def test_killed_after_each_eventful_step_gives_the_uninterrupted_result(
    baseline: Run, tmp_path: Path
) -> None:
    """SIGKILL at one precise point, after every step that changed something.

    Right after a step the agent and the people have written files but the
    simulated clock still says that step, so the resumed run does that step
    again over what the killed one left behind: exactly what must change nothing.
    """
    out, journal = tmp_path / "stepped", tmp_path / "killed-steps.txt"
    args = [str(baseline.config), str(out), str(MONTHS), str(SEED), str(journal)]
    started = time.monotonic()
    for attempt in range(2000):
        proc = subprocess.run(
            [sys.executable, "-c", KILL_AFTER_STEP, *args], cwd=ROOT,
            env=child_env(200 + attempt % 50), capture_output=True, text=True,
            timeout=RUN_TIMEOUT,
        )
        if proc.returncode == 0:
            break
        assert proc.returncode == -signal.SIGKILL, (
            f"attempt {attempt} exited {proc.returncode}:\n{proc.stderr}"
        )
    else:
        pytest.fail("the simulation never finished")
    kills = journal.read_text().split() if journal.exists() else []
    print(f"\nkilled after each of {len(kills)} eventful steps "
          f"({kills[:1]} .. {kills[-1:]}), {time.monotonic() - started:.1f} s")
    assert len(kills) > 10
    assert_same(baseline.snap, snapshot(out))


# -- 5. resumability without a crash ----------------------------------------------------


def test_finished_run_again_changes_nothing(baseline: Run, tmp_path: Path) -> None:
    out = tmp_path / "resume"
    check_ok(run_sim(baseline.config, out, hash_seed=4)[0])
    before = tree(out)
    proc, seconds = run_sim(baseline.config, out, hash_seed=5)
    check_ok(proc)
    after = tree(out)
    print(f"\nrun again on a finished simulation: {seconds:.1f} s")
    assert set(after) == set(before), (
        f"new files: {sorted(set(after) - set(before))}, "
        f"gone: {sorted(set(before) - set(after))}"
    )
    changed = sorted(k for k in before if before[k][0] != after[k][0])
    assert not changed, f"files rewritten with other bytes: {changed}"
    # Digests are exported again (same bytes); nothing else may even be touched.
    touched = sorted(k for k in before if before[k] != after[k] and not k.startswith("digests/"))
    assert not touched, f"files rewritten by a run that had nothing to do: {touched}"
    assert_same(baseline.snap, snapshot(out))


@pytest.mark.parametrize(
    ("seed", "months"), [(SEED + 1, MONTHS), (SEED, MONTHS + 1)], ids=["seed", "months"]
)
def test_other_arguments_on_an_existing_out_are_refused(
    baseline: Run, tmp_path: Path, seed: int, months: int
) -> None:
    out = tmp_path / "existing"
    shutil.copytree(baseline.out, out)
    before = tree(out)
    proc, _ = run_sim(baseline.config, out, seed=seed, months=months, hash_seed=6)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("binome: "), lines[0]
    assert str(SEED) in lines[0] and "--out" in lines[0], lines[0]
    assert tree(out) == before, "a refused run changed the folder"
