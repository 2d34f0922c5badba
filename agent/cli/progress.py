"""Progress bars on long work (`simulate`, `digest --out`, `match`), drawn by rich on
standard error, and only in a terminal: piped or redirected output gets nothing extra.

A bar is transient (it is gone once the work is done, and the command's own output
follows). While it is drawn, rich redirects standard error so that log lines print
above it; the log handler follows `sys.stderr` for that reason (agent.cli.logs).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

Update = Callable[[int, int], None]  # (done, total)


def _silent(done: int, total: int) -> None:
    """No terminal: nothing to draw."""


@contextmanager
def bar(description: str, *, console: Console | None = None) -> Iterator[Update]:
    """A bar for `description`, updated with (done, total); a pulsing one until the first
    update (the total is not always known in advance)."""
    if console is None and not sys.stderr.isatty():
        yield _silent  # not a terminal: rich is not even imported (monitoring runs often)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield _silent
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update
