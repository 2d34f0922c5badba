"""The `binome` command: one module per group of commands, one error handler for them all."""
