"""The error of a refused operation on procedures."""


class ProcedureError(ValueError):
    """A refused operation; the message is Spanish and meant for the person who tried it."""
