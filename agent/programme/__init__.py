"""The programme itself: settings, roster, skills, matching, scheduling, holidays and the
planner.
"""
