"""The refusal of the compliance pages (compliance): a ``RuleError`` like every area's."""
from __future__ import annotations

from ..core.errors import RuleError


class ComplianceError(RuleError):
    """A refused request of the compliance pages; the message is translated and safe to show, ``status``
    is the HTTP status (400 bad input, 403 not allowed, 404 not found or not visible)."""
