"""Turning planned actions into provider calls: prepare (pure payloads), execute (keyed and
crash-safe; it knows actions and providers, nothing above them).
"""
