"""Requests a command leaves for the running agent, which holds the state's lock.

A command that changes the state takes the lock (agent.core.store.lock); while `binome
run` holds it, a small request can still be left beside the state, one file per
request (`<name>-<random>.request`, written whole, readable by the owner only), and
the agent takes it at its next tick. One file per request, never appended to, so a
request left while the agent takes the others is never lost.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from agent.core.storage import write_private

SUFFIX = ".request"


def leave(state_dir: Path, name: str, payload: dict[str, Any]) -> Path:
    """Leave `payload` for the agent under `name` (e.g. `retry`); returns the file."""
    path = Path(state_dir) / f"{name}-{secrets.token_hex(8)}{SUFFIX}"
    tmp = path.with_name(f".{path.name}.tmp")
    write_private(tmp, json.dumps(payload).encode())
    os.replace(tmp, path)
    return path


def take(state_dir: Path, name: str) -> list[dict[str, Any]]:
    """Every request left under `name`, oldest first, each removed as it is taken; one that
    cannot be read is removed too (and skipped): a request is never worth stopping for."""
    found = []
    folder = Path(state_dir)
    paths = sorted(folder.glob(f"{name}-*{SUFFIX}"), key=_age)
    for path in paths:
        try:
            payload = json.loads(path.read_bytes())
        except (OSError, ValueError):
            payload = None
        path.unlink(missing_ok=True)
        if isinstance(payload, dict):
            found.append(payload)
    return found


def _age(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0  # gone meanwhile: `take` skips it
