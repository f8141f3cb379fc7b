"""The one exception type for a user's mistake.

The command line turns it into a single line on stderr and exit code 2, so every
message here must name what was wrong and how to fix it.
"""


class SettingsError(ValueError):
    """Bad user input: an unknown name, a value out of range, an unsafe expression."""
