"""Keeping the state across versions and accidents: its schema version and the numbered
migrations (`migrations`: the one list a change to the state adds to), upgrading at
start and by `binome upgrade` (`upgrade`), and consistent backups and safe restores
(`backup`)."""
