"""Real servers on localhost for the tests: Dovecot (IMAP, LMTP), an SMTP server that
delivers through Dovecot's LMTP, Radicale and Xandikos (CalDAV). Each is started by a
session fixture of tests/conftest.py and skipped cleanly where its software is absent."""
