"""The refusal of menu-based selection (menu_selection): a ``RuleError`` like every area's, so a
block handler and a page answer it the same way."""
from __future__ import annotations

from ..core.errors import RuleError


class MenuError(RuleError):
    """A refused action on a menu; the message is translated and names the rule and by how much.
    ``status``: 400 bad input, 403 not allowed, 404 unknown option, 409 state (closed, full)."""
