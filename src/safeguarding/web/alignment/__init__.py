"""The shared-priorities analysis: partnerships and a strategy read side by side, reviewed by a
person, and turned into the Health and Wellbeing Board paper."""
