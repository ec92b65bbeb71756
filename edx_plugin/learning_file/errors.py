"""The refusal of the learning file (learning_file): a ``RuleError`` like every area's."""
from __future__ import annotations

from ..core.errors import RuleError


class LearningFileError(RuleError):
    """A refused request of the learning file; translated message, HTTP ``status``."""
