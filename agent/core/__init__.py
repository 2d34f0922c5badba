"""The bottom of the house: model, clock, errors, the crash-safe store and ledger, the action
vocabulary.
"""
