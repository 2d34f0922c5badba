"""Turning planned actions into provider calls: prepare (pure payloads), execute (keyed, crash-
safe).
"""
