"""The refusal of rotation training (rotation): a ``RuleError`` like every area's, so a page, the API and
a handler answer it the same way."""
from __future__ import annotations

from ..core.errors import RuleError


class RotationError(RuleError):
    """A refused action on a program, class, session or survey; the message is translated.
    ``status``: 400 bad input, 403 not allowed, 404 unknown, 409 state (full, closed, already done)."""
