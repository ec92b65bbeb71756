"""The refusal of a party class (party_class) rule: a ``RuleError`` of core, so a block handler,
a page or the API answers it with its translated message and HTTP status."""
from __future__ import annotations

from ..core.errors import RuleError


class PartyClassError(RuleError):
    """A party class rule refused the request; ``message`` is translated and safe to show."""
