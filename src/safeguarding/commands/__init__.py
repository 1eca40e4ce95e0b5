"""Subcommands of the ``safeguarding`` command, each a thin layer over the libraries."""
