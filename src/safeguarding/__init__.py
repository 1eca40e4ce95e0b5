"""The platform for England's local safeguarding partnerships."""

__version__ = "0.1.0"
