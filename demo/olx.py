"""Load a course written in OLX (one file, inline) into the demo's storage.

course > chapter > sequential > vertical > blocks. Chapters are inline in course.xml or in
files of ``chapters/`` beside it (one per area, in name order). Each block is parsed by its own
``parse_xml`` with the LMS's usage keys, so the blocks see exactly what Studio import gives.
"""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator

from party_training.xblocks.olx import parse_olx

from .models import CourseUnit, FieldValue
from .runtime import DemoRuntime



@transaction.atomic
def load_course(path: Path) -> str:
    root = parse_olx(path.read_bytes())
    if root.tag != "course":
        raise ValueError(f"{path}: the root element must be <course>")
    course_key = CourseLocator(root.get("org"), root.get("course"), root.get("url_name"))
    runtime = DemoRuntime(AnonymousUser(), course_key)
    # Reloading replaces the course's authored content; learner state stays keyed by usage id.
    CourseUnit.objects.filter(course_id=str(course_key)).delete()
    FieldValue.objects.filter(block_id__startswith=f"block-v1:{course_key.org}+{course_key.course}+", user_id=0).delete()
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
                    position=position, children=children,
                )
    return str(course_key)
