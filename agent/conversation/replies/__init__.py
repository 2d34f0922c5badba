"""Reading one inbound message: only what the person just wrote (quotes), what it answers
(intent), their answers, goals, commands and dates, and whether a machine wrote it
(automatic, authres); `parse.parse_reply` puts it all into a `ParsedReply`.
"""
