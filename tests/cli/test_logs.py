"""What `binome run` logs: one line per action on standard output, as text (with the
syslog priority journald reads when it collects the output) or as JSON.

The agent is the real command, stopped after its first tick (`--max-seconds`), for a
programme that started a week ago: it books two series and sends four introductions.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.cli.logs import JSONFormatter, TextFormatter

if TYPE_CHECKING:
    from company import Programme

ACTIONS = 6  # two series, four introductions


def run_once(config: Path, *args: str, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "JOURNAL_STREAM"}
    return subprocess.run(
        [sys.executable, "-m", "agent.cli.main", *args, "run", "--config", str(config),
         "--max-seconds", "0.3"],
        cwd=config.parent, capture_output=True, text=True, timeout=120,
        env={**environment, **(env or {})})


def live(make_programme: Any, folder: str) -> Programme:
    programme: Programme = make_programme(
        start=(date.today() - timedelta(days=7)).isoformat(), folder=folder)
    return programme


def test_run_logs_one_stamped_line_per_action_on_standard_output(make_programme: Any) -> None:
    done = run_once(live(make_programme, "text").config)

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"
    assert all(re.match(rf"{stamp} (INFO|WARNING|ERROR) \S", line) for line in lines), lines
    assert len([line for line in lines if " INFO done " in line]) == ACTIONS
    assert any(re.search(rf" INFO tick \S+: {ACTIONS} done, 0 failed", line)
               for line in lines), lines


def test_under_journald_each_line_starts_with_its_priority_and_no_time(
        make_programme: Any) -> None:
    done = run_once(live(make_programme, "journal").config, env={"JOURNAL_STREAM": "8:1234"})

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(re.match(r"<[2-7]>(INFO|WARNING|ERROR) \S", line) for line in lines), lines
    assert len([line for line in lines if line.startswith("<6>INFO done ")]) == ACTIONS


def test_log_format_json_is_one_object_per_line(make_programme: Any) -> None:
    done = run_once(live(make_programme, "json").config, "--log-format", "json")

    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert {r["logger"] for r in records} == {"binome"}
    done_lines = [r for r in records if r["message"].startswith("done ")]
    assert len(done_lines) == ACTIONS
    assert all(r["level"] == "info" and r["time"].endswith("+00:00") for r in done_lines)


def test_a_traceback_stays_on_the_line_of_its_record() -> None:
    try:
        raise ValueError("calendar said no\nsecond line")
    except ValueError:
        record = logging.LogRecord("binome", logging.ERROR, __file__, 1, "tick failed; %s",
                                   ("the agent goes on",), sys.exc_info())

    text = TextFormatter(journald=True, stamped=True).format(record)
    as_json = JSONFormatter().format(record)

    assert "\n" not in text and "\n" not in as_json
    assert text.startswith("<3>ERROR tick failed; the agent goes on | Traceback")
    assert "ValueError: calendar said no | second line" in text
    assert "ValueError: calendar said no\nsecond line" in json.loads(as_json)["exception"]
