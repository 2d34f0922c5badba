"""The programme itself: settings, roster, skills, matching, cycles, scheduling, holidays, and
the planner (what is due now, pure).
"""
