"""What every `binome` command shares: the one error handler, settings, clock, and the
agent (writable, under the lock) or the read-only look at its state."""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from agent.core.clock import Clock, SimClock, SystemClock
from agent.core.errors import PermanentError, TemporaryError, UserError
from agent.core.store import StoreCorrupt, StoreLocked, lock
from agent.core.upkeep.upgrade import open_state
from agent.loop.agent import Agent
from agent.loop.look import Look
from agent.programme.settings import Settings, load_settings

log = logging.getLogger("binome")

Command = Callable[[argparse.Namespace], int]


def command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, func: Command,
            help: str, config: bool = True) -> argparse.ArgumentParser:
    """Add the command `name` (with its --config, unless `config` is False)."""
    sp = sub.add_parser(name, help=help)
    if config:
        sp.add_argument("--config", required=True, help="the settings file (TOML)")
    sp.set_defaults(func=func)
    return sp


def catch_errors(command: Command) -> Command:
    """The one place that turns a domain failure into a message: no traceback, exit 2."""

    @functools.wraps(command)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (UserError, StoreLocked, StoreCorrupt) as exc:
            print(f"binome: {exc}", file=sys.stderr)
            return 2
        except TemporaryError as exc:  # a service down or slow: nothing is lost, try later
            print(f"binome: {exc} (temporary: try again later)", file=sys.stderr)
            return 1
        except PermanentError as exc:
            print(f"binome: {exc}", file=sys.stderr)
            return 2
        except BrokenPipeError:  # `binome status | head`: the reader had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141
        except OSError as exc:  # a folder not writable, a disk full: the admin's to fix
            print(f"binome: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
                  file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 130

    return wrapper


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings file named by `--config`, loaded and checked; its warnings are logged."""
    settings, warnings = load_settings(Path(args.config))
    for warning in warnings:
        log.warning("%s", warning)
    return settings


def clock_of(args: argparse.Namespace) -> Clock:
    """The system clock, or one stopped at `--at` (ISO; UTC when it gives no offset)."""
    at = getattr(args, "at", None)
    if not at:
        return SystemClock()
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise UserError(
            f"--at {at!r} is not an ISO date/time (e.g. 2026-10-05T09:00+02:00)"
        ) from None
    return SimClock(when if when.tzinfo else when.replace(tzinfo=UTC))


@contextmanager
def running(args: argparse.Namespace, clock: Clock | None = None) -> Iterator[Agent]:
    """The agent for a command that acts: the state's lock held, the store written on exit
    (what a failure left half done is settled by the next tick, as after a crash)."""
    settings = settings_of(args)
    clock = clock or clock_of(args)
    with lock(settings.state_dir):
        store = open_state(settings.state_dir, clock.now())
        yield Agent(settings, store, clock)
        store.close()


def looking(args: argparse.Namespace, clock: Clock | None = None) -> Look:
    """The read-only look for a command that changes nothing; no lock, so it works beside
    a running agent."""
    return Look(settings_of(args), clock or clock_of(args))
