"""Reading one inbound message: only what the person just wrote (quotes, align against
what we sent: ours), what it answers (intent), their answers (answers, in order or by
labels, numbers and the cues of their sentences: labels, numbered, cues, prose, remarks,
ratings), goals and levels, commands (command, command_words, hedged, rest) and dates,
and whether a machine wrote it (automatic, authres); `parse.parse_reply` puts it all
into a `ParsedReply`.
"""
