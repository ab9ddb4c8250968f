"""The command line's subcommands (``python -m msplink``; the table is in :mod:`msplink.__main__`)."""
