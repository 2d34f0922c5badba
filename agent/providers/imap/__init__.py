"""The `imap` mail backend: replies read over IMAP (imapclient), mail sent over SMTP (smtplib),
a copy of what we send kept in the Sent folder."""
