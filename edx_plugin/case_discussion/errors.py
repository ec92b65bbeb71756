"""The refusal of case discussions (case_discussion): a ``RuleError`` like every area's, so block
handlers and pages answer it the same way."""
from __future__ import annotations

from ..core.errors import RuleError


class CaseDiscussionError(RuleError):
    """A refused action of a case discussion; the message is translated and safe to show, ``status``
    is the HTTP status (400 bad input, 403 not allowed, 404 not found or not visible, 409 state)."""
