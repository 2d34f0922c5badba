"""The monthly digests: figures from the ledger, charts, the managers' and the admin's mails."""
