"""What the plugin asks the host about a course (``PARTY_TRAINING["COURSE_TITLE"]`` and
``["COURSE_COMPONENTS"]``), from the demo's storage (the LMS answers from CourseOverview and the
modulestore)."""
from __future__ import annotations

import json

from opaque_keys.edx.keys import UsageKey

from .models import Course, CourseUnit, FieldValue


def course_components(course_id: str) -> list[tuple[str, str, str]]:
    units = list(CourseUnit.objects.filter(course_id=course_id))
    usage_ids = [usage for unit in units for usage in unit.children]
    names = dict(FieldValue.objects.filter(block_id__in=usage_ids, user_id=0, field_name="display_name")
                 .values_list("block_id", "value"))
    components = []
    for usage_id in usage_ids:
        title = names.get(usage_id, "")
        components.append((UsageKey.from_string(usage_id).block_type, usage_id,
                           json.loads(title) if title else ""))
    return components


def course_title(course_id: str) -> str:
    """"" for a course the demo has no title for (the plugin then shows its id)."""
    return Course.objects.filter(course_id=course_id).values_list("title", flat=True).first() or ""
