"""The agent itself: `Agent.tick` (plan -> pace -> prepare -> execute), `run_forever`, and
`Look`, the read-only view the commands that only look are built on."""
