"""The `google` backend: Google Calendar v3 and Gmail, through google-api-python-client."""
