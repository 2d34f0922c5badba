"""The calendar and mailbox contract (base.py) and its backends: local/, google/, microsoft/;
registry.py opens the one the settings name."""
