"""The `local` backend: iCalendar files and Maildirs, everything offline."""
