"""`binome simulate`: the real agent on a simulated clock, with simulated people."""
