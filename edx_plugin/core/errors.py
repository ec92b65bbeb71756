"""The one refusal every rule raises: a translated message and the HTTP status a page, the API or a
block handler answers with. Each area's error (``ContestError``, ``WritingError``…) is a subclass,
so a handler catches ``RuleError`` once instead of one wrapper per area."""
from __future__ import annotations


class RuleError(ValueError):
    """A rule refused: ``message`` is already translated; ``extra`` goes into the JSON answer."""

    def __init__(self, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.message = str(message)
        self.status = status
        self.extra = extra

    def as_dict(self) -> dict:
        return {"error": self.message, **self.extra}
