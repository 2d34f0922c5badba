"""The `email` calendar backend: no calendar server; the series live in the agent's state and
go out to attendees as iMIP invitations through the programme mailbox."""
