"""One exception type for problems the user can fix; the CLI prints it as one line, exit 2."""


class TutorError(Exception):
    """Bad input or environment (empty text, unknown model, ...): show the message, no traceback."""
