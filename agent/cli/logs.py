"""How `binome` logs: one line per record, as text or JSON.

`binome run` logs every action at INFO to standard output, where systemd's journal (or
a container runtime) collects it. Each record is one line: a traceback is folded into
it, so one failure is one journal entry. Under journald (`JOURNAL_STREAM` set) a text
line starts with its syslog priority (`<4>` for a warning), which journald reads as
the entry's priority (`journalctl -p warning`) and strips, and carries no time stamp
(the journal has its own). `--log-format json` writes one JSON object per line
(`time`, `level`, `logger`, `message`, and `exception` when there is one) for log
shippers. Other commands log warnings (everything with -v) to standard error, so their
standard output stays theirs (`--json` documents, summaries).

Records carry action keys and addresses, never what people wrote (agent.core.privacy).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import TextIO

FORMATS = ("text", "json")
_OURS = "_binome"  # marks the handler `configure` installed (and may replace)
# syslog priorities (RFC 5424), as journald reads them from a "<N>" prefix
_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3,
             logging.CRITICAL: 2}


def _one_line(text: str) -> str:
    return " | ".join(part for part in text.splitlines() if part.strip())


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler writing to whatever `sys.stderr` is when it writes: while a progress bar is
    drawn, rich puts its own there, which prints the line above the bar."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # set by StreamHandler.__init__; always sys.stderr


class TextFormatter(logging.Formatter):
    """`TIME LEVEL message` on one line; `<N>LEVEL message` under journald."""

    def __init__(self, journald: bool, stamped: bool) -> None:
        super().__init__()
        self.journald = journald
        self.stamped = stamped

    def format(self, record: logging.LogRecord) -> str:
        """The record on one line (its traceback folded in with " | ")."""
        text = record.getMessage()
        if record.exc_info:
            text = f"{text} | {self.formatException(record.exc_info)}"
        text = _one_line(text)
        if not self.stamped:
            return text
        if self.journald:
            return f"<{_PRIORITY.get(record.levelno, 6)}>{record.levelname} {text}"
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")
        return f"{when} {record.levelname} {text}"


class JSONFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """`time` (UTC, ISO 8601), `level`, `logger`, `message` and maybe `exception`."""
        doc = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
               "level": record.levelname.lower(), "logger": record.name,
               "message": record.getMessage()}
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def configure(command: str, *, verbose: bool, fmt: str, stream: TextIO | None = None) -> None:
    """Set the root logger up for `command` (see the module docstring)."""
    root = logging.getLogger()
    if any(not getattr(h, _OURS, False) for h in root.handlers):
        return  # set up by whoever runs us (a test runner, an application): theirs, as
        # logging.basicConfig would leave it
    service = command == "run"
    handler: logging.Handler = (logging.StreamHandler(stream) if stream is not None
                                else logging.StreamHandler(sys.stdout) if service
                                else _Stderr())
    setattr(handler, _OURS, True)
    if fmt == "json":
        handler.setFormatter(JSONFormatter())
    else:
        handler.setFormatter(TextFormatter(journald=bool(os.environ.get("JOURNAL_STREAM")),
                                           stamped=service))
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose or service else logging.WARNING)
