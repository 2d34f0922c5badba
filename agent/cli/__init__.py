"""The `binome` command."""
