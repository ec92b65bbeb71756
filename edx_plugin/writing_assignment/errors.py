"""The refusal of writing assignments (writing_assignment): a ``RuleError`` like every area's, so a
block handler, a page and the API answer it the same way."""
from __future__ import annotations

from ..core.errors import RuleError


class WritingError(RuleError):
    """A refused action of a writing assignment; the message is translated and safe to show,
    ``status`` is the HTTP status (400 bad input, 403 not allowed, 404 missing, 409 state)."""
