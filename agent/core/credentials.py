"""Secrets named by the settings, read where they live: the environment or a command.

The settings file never holds a secret: a key `<name>_env` names an environment
variable, `<name>_command` a command that prints the secret (a password
manager's CLI). Here at the bottom so that the backends, which need secrets,
read them without importing the settings.
"""

from __future__ import annotations

import os
import subprocess

from agent.core.errors import UserError


def resolve_secret(name: str, env: str | None, command: str | None) -> str:
    """The secret `name`, from environment variable `env` if set, else from `command`'s stdout."""
    if env and os.environ.get(env):
        return os.environ[env]
    if command:
        try:
            done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UserError(f"{name}: the command in {name}_command failed: {exc}") from None
        secret = done.stdout.strip()
        if done.returncode != 0 or not secret:
            # stderr, never stdout, goes into the message: stdout may hold part of the secret.
            detail = done.stderr.strip()[-300:] or "it printed nothing"
            raise UserError(f"{name}: the command in {name}_command failed "
                            f"(exit status {done.returncode}): {detail}")
        return secret
    if env:
        raise UserError(f"{name}: environment variable {env} (from {name}_env) is not set or "
                        f"empty; export it, or set {name}_command")
    raise UserError(f"{name}: no secret given; set {name}_env = \"ENV_VAR_NAME\" "
                    f"or {name}_command = \"a command that prints it\"")
