"""Load a course written in OLX (one file, inline) into the demo's storage.

course > chapter > sequential > vertical > blocks. Chapters are inline in course.xml or in
files of ``chapters/`` beside it (one per area, in name order). Each block is parsed by its own
``parse_xml`` with the LMS's usage keys, so the blocks see exactly what Studio import gives.
"""
from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from openedx_events.content_authoring.data import CourseData
from openedx_events.content_authoring.signals import COURSE_IMPORT_COMPLETED

from party_training.xblocks.olx import parse_olx

from .models import BlockState, Course, CourseUnit
from .runtime import DemoRuntime



def _group_access(vertical) -> dict:
    """A unit's ``group_access`` as the LMS reads it from OLX: JSON {"<partition id>": [<group id>, ...]}."""
    raw = vertical.get("group_access")
    if not raw:
        return {}
    value = json.loads(raw)
    if not isinstance(value, dict) or not all(str(k).isdigit() and isinstance(v, list) and
                                              all(isinstance(g, int) for g in v) for k, v in value.items()):
        raise ValueError(f"unit {vertical.get('url_name')}: group_access={raw!r} is not valid")
    return {str(k): v for k, v in value.items()}


@transaction.atomic
def load_course(path: Path) -> str:
    root = parse_olx(path.read_bytes())
    if root.tag != "course":
        raise ValueError(f"{path}: the root element must be <course>")
    course_key = CourseLocator(root.get("org"), root.get("course"), root.get("url_name"))
    runtime = DemoRuntime(AnonymousUser(), course_key)
    # Reloading replaces the course's authored content; learner state stays keyed by usage id.
    CourseUnit.objects.filter(course_id=str(course_key)).delete()
    BlockState.objects.filter(block_id__startswith=f"block-v1:{course_key.org}+{course_key.course}+", user_id=0).delete()
    Course.objects.update_or_create(course_id=str(course_key), defaults={"title": root.get("display_name", "")})
    chapters = list(root.iterfind("chapter"))
    for extra in sorted((path.parent / "chapters").glob("*.xml")):
        chapters.append(parse_olx(extra.read_bytes()))
    position = 0
    for chapter in chapters:
        for sequential in chapter.iterfind("sequential"):
            for vertical in sequential.iterfind("vertical"):
                children = []
                for node in vertical:
                    usage_key = BlockUsageLocator(course_key, node.tag, node.get("url_name"))
                    block_class = runtime.load_block_type(node.tag)
                    block = block_class.parse_xml(node, runtime, runtime.scope_ids_for(usage_key))
                    block.save()
                    children.append(str(usage_key))
                position += 1
                CourseUnit.objects.create(
                    course_id=str(course_key), chapter=chapter.get("display_name", ""),
                    title=vertical.get("display_name", ""), url_name=vertical.get("url_name"),
                    position=position, children=children, group_access=_group_access(vertical),
                )
    # As Studio does after an import: receivers (the plugin's lecture records) see the new content.
    COURSE_IMPORT_COMPLETED.send_event(course=CourseData(course_key=course_key))
    return str(course_key)
