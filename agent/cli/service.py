"""`binome service install`: run the agent as a systemd service, so it keeps running
after the admin logs out and starts again after a crash or a reboot.

The unit runs `binome run` for one settings file, restarts it on failure, and shuts
most of the system away from it: no new privileges, the whole file system read-only
(`ProtectSystem=strict`) but for the state folder (and what a backend must write), a
private /tmp, files created 0600 (`UMask=0077`). Secrets come from an environment file
(`KEY=value`, 0600; the settings name the variables with `*_env`) or from systemd
credentials (`--credential NAME:FILE`, read with `*_command = "cat
$CREDENTIALS_DIRECTORY/NAME"`). The options are those of systemd.exec(5) and
systemd.service(5); `systemd-analyze verify` checks the unit (tests/cli/test_service.py).

A system service (the default) runs as a dedicated user (`--run-as`, default `binome`:
`useradd --system --home-dir /var/lib/binome binome`); a user service (`--user`) as you,
and keeps running after you log out once `loginctl enable-linger` allows it.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent import __version__
from agent.cli.base import catch_errors, command, settings_of
from agent.core.errors import UserError
from agent.programme.settings import Settings

_NAME = re.compile(r"[a-zA-Z0-9_.@-]+\Z")


def executable() -> list[str]:
    """The command that runs this binome: the `binome` script beside this Python if there is
    one (a virtual environment, pipx), else this Python with `-m agent.cli.main`."""
    script = Path(sys.executable).with_name("binome")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "agent.cli.main"]


def _quote(arg: str) -> str:
    # systemd unit syntax: "%" starts a specifier; quotes as in a shell (systemd.service(5)).
    arg = arg.replace("%", "%%")
    return f'"{arg}"' if re.search(r'[\s"\'\\]', arg) else arg


def _path(path: Path) -> str:
    text = str(path)
    if re.search(r"\s", text):
        raise UserError(f"{text}: systemd reads space-separated paths here; use a path "
                        "without spaces")
    return text.replace("%", "%%")


def secret_variables(settings: Settings) -> list[str]:
    """The environment variables the settings read secrets from (every `*_env` key set)."""
    found: list[str] = []

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            for key, sub in value.items():
                if key.endswith("_env") and isinstance(sub, str) and sub:
                    yield sub
                else:
                    yield from walk(sub)

    for name in walk(settings.model_dump()):
        if name not in found:
            found.append(name)
    return found


def writable_paths(settings: Settings) -> list[str]:
    """What the agent writes: the state folder, the local backend's folder when outside it,
    and where a Google sign-in is renewed."""
    state = settings.state_dir.resolve()
    paths = [_path(state)]
    backend = settings.backend
    if "local" in (backend.calendar, backend.mail):
        local = settings.local_dir.resolve()
        if local != state and state not in local.parents:
            paths.append(_path(local))
    google = backend.google
    if google is not None and google.auth == "oauth" and "google" in (backend.calendar,
                                                                      backend.mail):
        store = google.oauth_store
        # "-": the folder may not exist yet; %h is the service user's home (systemd.unit(5)).
        paths.append("-" + (_path(store.expanduser().resolve().parent) if store is not None
                            else "%h/.config/binome"))
    return paths


def unit_text(settings: Settings, *, user: bool, run_as: str, env_file: Path,
              credentials: list[str], command_line: list[str]) -> str:
    """The systemd unit that runs `binome run` for `settings` (see the module docstring)."""
    config = settings.source.resolve()
    start = " ".join(_quote(a) for a in [*command_line, "run", "--config", str(config)])
    lines = [
        f"# Written by binome {__version__} (binome service install{' --user' if user else ''})"
        ": the agent for",
        f"# {config}. Secrets: {env_file} (KEY=value lines, readable only by "
        f"{'you' if user else 'root'}).",
        "[Unit]",
        f"Description=Binôme mentoring programme agent ({settings.organisation.name})",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=exec",
        f"ExecStart={start}",
        f"WorkingDirectory={_path(config.parent)}",
        "Restart=on-failure",
        "RestartSec=30s",
        "TimeoutStopSec=120s",  # SIGTERM stops the agent after the action in flight
        f"EnvironmentFile=-{_path(env_file)}",
        *(f"LoadCredential={_credential(c)}" for c in credentials),
    ]
    if not user:
        lines.append(f"User={run_as}")
        state = settings.state_dir.resolve()
        if Path("/var/lib") in state.parents:  # systemd makes it, owned by User=, 0700
            lines += [f"StateDirectory={_path(state.relative_to('/var/lib'))}",
                      "StateDirectoryMode=0700"]
    if user:
        # A user manager sets up file system namespaces (ProtectSystem, PrivateTmp,
        # ReadWritePaths) only inside a user namespace (systemd.exec(5), "Sandboxing").
        lines.append("PrivateUsers=yes")
    lines += [
        "UMask=0077",
        f"ReadWritePaths={' '.join(writable_paths(settings))}",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
    ]
    if not user:  # these need the system manager's privileges (systemd.exec(5))
        lines += ["ProtectHome=read-only", "PrivateDevices=yes", "ProtectKernelTunables=yes",
                  "ProtectKernelModules=yes", "ProtectControlGroups=yes", "RestrictSUIDSGID=yes",
                  "LockPersonality=yes", "RestrictRealtime=yes"]
    lines += ["SyslogIdentifier=binome", "", "[Install]",
              f"WantedBy={'default.target' if user else 'multi-user.target'}", ""]
    return "\n".join(lines)


def _credential(spec: str) -> str:
    name, sep, path = spec.partition(":")
    if not sep or not _NAME.match(name) or not path:
        raise UserError(f"--credential {spec!r}: expected NAME:/path/to/file")
    return f"{name}:{_path(Path(path).expanduser().resolve())}"


def env_file_text(settings: Settings) -> str:
    """A first environment file: the variables the settings name, to fill in."""
    lines = ["# Secrets for binome, one KEY=value a line; keep this file 0600.",
             "# The settings file names these variables (its *_env keys):"]
    lines += [f"# {name}=" for name in secret_variables(settings)] or ["# (none yet)"]
    return "\n".join(lines) + "\n"


def _places(args: argparse.Namespace) -> tuple[Path, Path]:
    """Where the unit and the environment file go (system or user)."""
    name = args.name
    if args.user:
        config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        units, env_dir = config / "systemd" / "user", config / "binome"
    else:
        units, env_dir = Path("/etc/systemd/system"), Path("/etc/binome")
    units = Path(args.unit_dir) if args.unit_dir else units
    env = Path(args.env_file) if args.env_file else env_dir / f"{name}.env"
    return units / f"{name}.service", env


@catch_errors
def cmd_service_install(args: argparse.Namespace) -> int:
    """`binome service install`: write (or `--print`) the systemd unit that runs the agent."""
    if not _NAME.match(args.name):
        raise UserError(f"--name {args.name!r}: letters, digits, '-', '_', '.' and '@' only")
    settings = settings_of(args)
    for place in (settings.source, settings.state_dir):
        if {Path("/tmp"), Path("/var/tmp")} & set(place.resolve().parents):
            print(f"warning: {place} is under /tmp: the service's private /tmp (PrivateTmp) "
                  "hides it; move the settings and state elsewhere", file=sys.stderr)
    unit_path, env_file = _places(args)
    text = unit_text(settings, user=args.user, run_as=args.run_as, env_file=env_file.absolute(),
                     credentials=args.credential or [], command_line=executable())
    if args.print:
        sys.stdout.write(text)
        return 0
    if unit_path.exists() and not args.force:
        raise UserError(f"{unit_path} already exists; --force replaces it")
    unit_path.parent.mkdir(parents=True, exist_ok=True)
    unit_path.write_text(text, encoding="utf-8")
    if not env_file.exists():
        env_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(env_file_text(settings))
    os.chmod(env_file, 0o600)
    settings.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    ctl = "systemctl --user" if args.user else "systemctl"
    print(f"wrote {unit_path}; secrets go in {env_file} (0600).")
    if not args.user:
        print(f"The service runs as {args.run_as}: create it if need be "
              f"(useradd --system {args.run_as}) and give it {settings.state_dir} "
              f"(chown -R {args.run_as} {settings.state_dir}).")
    print(f"Then: {ctl} daemon-reload && {ctl} enable --now {args.name}")
    if args.user:
        print("To keep it running after you log out: loginctl enable-linger "
              + shlex.quote(os.environ.get("USER", "$USER")))
    print(f"Its log: journalctl {'--user ' if args.user else ''}-u {args.name} -f")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `service install` to the parser."""
    service = sub.add_parser("service", help="run the agent as a systemd service")
    service_sub = service.add_subparsers(dest="service_command", required=True)
    sp = command(service_sub, "install", cmd_service_install,
                 "write the systemd unit that runs binome run (or --print it)")
    sp.add_argument("--user", action="store_true",
                    help="a user service (~/.config/systemd/user) instead of a system one")
    sp.add_argument("--print", action="store_true", help="print the unit; write nothing")
    sp.add_argument("--name", default="binome", help="the unit's name (default: binome)")
    sp.add_argument("--run-as", default="binome",
                    help="system service: the user it runs as (default: binome)")
    sp.add_argument("--env-file", help="the environment file with the secrets (default: "
                    "/etc/binome/NAME.env, or ~/.config/binome/NAME.env with --user)")
    sp.add_argument("--credential", action="append", metavar="NAME:FILE",
                    help="a systemd credential (LoadCredential=); repeatable")
    sp.add_argument("--unit-dir", help=argparse.SUPPRESS)  # tests write elsewhere
    sp.add_argument("--force", action="store_true", help="replace an existing unit file")
