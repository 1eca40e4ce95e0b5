"""Reading and validating case-level inputs, and generating synthetic ones. Never imports Django."""
