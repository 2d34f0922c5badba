"""The installation's secret: random bytes kept beside the state, made once.

Reply tokens (agent.conversation.messages.reply_token) are an HMAC of an action key with
this secret, so nobody who knows how keys are built (they are derived from
pairings and dates) can forge a token for someone else's questionnaire.

The secret lives in `<state_dir>/reply-secret.key`, readable by its owner only.
It is created on first use with O_EXCL, so two processes starting together
agree on one secret, and it survives restarts: tokens in mail already sent
keep matching. It is never logged nor put in the store's JSON (the store is
what people copy around for debugging).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from agent.core.errors import UserError

FILE_NAME = "reply-secret.key"
SIZE = 32  # bytes: the HMAC-SHA256 key size


def reply_secret(state_dir: Path, make: Callable[[int], bytes] = secrets.token_bytes) -> bytes:
    """The installation's secret, created in `state_dir` when there is none yet.

    `make(n)` gives the n random bytes of a new secret; the simulation passes its
    seeded generator, so the same seed sends the very same mail (randomness is a
    parameter, as time is).
    """
    path = Path(state_dir) / FILE_NAME
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, make(SIZE))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        # link() fails if another process made the secret meanwhile: theirs wins.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def existing_secret(state_dir: Path) -> bytes | None:
    """The installation's secret if it was made already; None otherwise (made by nobody:
    for commands that only look)."""
    try:
        return _read(Path(state_dir) / FILE_NAME)
    except FileNotFoundError:
        return None


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) != SIZE:
        raise UserError(f"{path}: expected {SIZE} bytes, found {len(data)}; "
                          "restore it from a backup (replies to mail already sent are "
                          "still matched by their headers if it is lost)")
    return data
