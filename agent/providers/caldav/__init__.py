"""The `caldav` calendar backend: series in the programme's own calendar on a CalDAV server
(the caldav client library); invitations sent by the server or, where it does not, by iMIP."""
