"""Addresses in the LMS that every area links to (core): the unit that holds a block."""
from __future__ import annotations

from urllib.parse import quote

# The LMS's jump_to address of the unit holding a block; a site may give blocks another template
# (the party class's settings bucket ``UNIT_URL``).
DEFAULT_UNIT_URL = "/courses/{course_id}/jump_to/{usage_id}"


def unit_url(course_id: str, usage_id: str, template: str = DEFAULT_UNIT_URL) -> str:
    """The address of the unit holding a block (a path on the LMS); "" when either key is missing."""
    if not (course_id and usage_id):
        return ""
    return template.format(course_id=quote(course_id, safe=":+"), usage_id=quote(usage_id, safe=":+@"))


def ledger_line_unit(entry) -> str:
    """The unit of the activity that earned a ledger line (its course and component), or ""."""
    return unit_url(entry.course_id, entry.usage_id)
