"""What the plugin asks the host about a course (``PARTY_TRAINING["COURSE_TITLE"]`` and
``["COURSE_COMPONENTS"]``), from the demo's storage (the LMS answers from CourseOverview and the
modulestore)."""
from __future__ import annotations

import json

from opaque_keys.edx.keys import UsageKey

from .models import BlockState, Course, CourseUnit


def course_components(course_id: str) -> list[tuple[str, str, str]]:
    units = list(CourseUnit.objects.filter(course_id=course_id))
    usage_ids = [usage for unit in units for usage in unit.children]
    authored = dict(BlockState.objects.filter(block_id__in=usage_ids, user_id=0, kind=BlockState.AUTHORED)
                    .values_list("block_id", "data"))
    return [(UsageKey.from_string(usage_id).block_type, usage_id,
             json.loads(authored.get(usage_id) or "{}").get("display_name", "")) for usage_id in usage_ids]


def course_title(course_id: str) -> str:
    """"" for a course the demo has no title for (the plugin then shows its id)."""
    return Course.objects.filter(course_id=course_id).values_list("title", flat=True).first() or ""


def course_blocks(course_id: str, block_type: str) -> list:
    """The course's blocks of one type, loaded through the demo runtime (as the modulestore gives them)."""
    from django.contrib.auth.models import AnonymousUser  # pylint: disable=import-outside-toplevel

    from .runtime import DemoRuntime  # pylint: disable=import-outside-toplevel

    runtime = DemoRuntime(AnonymousUser())
    return [runtime.block_for(usage_id) for kind, usage_id, _title in course_components(course_id) if kind == block_type]
