"""Talking with people by mail: composing messages, pacing them, reading replies and commands."""
