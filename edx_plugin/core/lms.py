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


# --- The course as the platform knows it ----------------------------------------------------------
# In the LMS the course's title comes from CourseOverview and its components from the modulestore;
# another host (the demo site) names functions of its own in the settings: ``COURSE_TITLE``, a dotted
# path to ``(course_id) -> str``, and ``COURSE_COMPONENTS``, to ``(course_id) -> [(block_type, usage_id,
# title)]`` in course order.


def _host(name: str):
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.utils.module_loading import import_string  # pylint: disable=import-outside-toplevel

    path = (getattr(settings, "PARTY_TRAINING", None) or {}).get(name)
    return import_string(path) if path else None


def course_title(course_id: str) -> str:
    """The course's title as learners see it (its id only when no host can name it)."""
    host = _host("COURSE_TITLE")
    if host is not None:
        return host(course_id) or course_id
    try:
        from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel
        from openedx.core.djangoapps.content.course_overviews.models import (  # pylint: disable=import-outside-toplevel
            CourseOverview,
        )
    except ImportError:
        return course_id
    overview = CourseOverview.objects.filter(id=CourseKey.from_string(course_id)).first()
    return overview.display_name if overview else course_id


def _platform_blocks(course_id: str, block_type: str) -> list:
    """The modulestore's blocks of one type in the course, in course order; [] outside the platform."""
    try:
        from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel
        from xmodule.modulestore.django import modulestore  # pylint: disable=import-outside-toplevel
    except ImportError:
        return []
    return list(modulestore().get_items(CourseKey.from_string(course_id), qualifiers={"category": block_type}))


def course_components(course_id: str, block_type: str) -> list[tuple[str, str]]:
    """The course's components of one type, as (usage id, title), in course order."""
    host = _host("COURSE_COMPONENTS")
    if host is not None:
        return [(usage, title) for kind, usage, title in host(course_id) if kind == block_type]
    return [(str(item.location), item.display_name or "") for item in _platform_blocks(course_id, block_type)]


def course_blocks(course_id: str, block_type: str) -> list:
    """The course's blocks of one type, loaded (their authored fields readable), in course order: the
    modulestore's in the platform, the host's (``COURSE_BLOCKS``) elsewhere; [] where neither is."""
    host = _host("COURSE_BLOCKS")
    if host is not None:
        return host(course_id, block_type)
    return _platform_blocks(course_id, block_type)


DEFAULT_HANDLER_URL = "/courses/{course_id}/xblock/{usage_id}/handler/{handler}"


def handler_url(course_id: str, usage_id: str, handler: str) -> str:
    """The address of a block's handler outside a page of the block (a page in the staff dashboard):
    the LMS's, or the host's template (``HANDLER_URL``)."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    template = (getattr(settings, "PARTY_TRAINING", None) or {}).get("HANDLER_URL", DEFAULT_HANDLER_URL)
    return template.format(course_id=quote(course_id, safe=":+"), usage_id=quote(usage_id, safe=":+@"),
                           handler=handler)


def course_titles(course_ids) -> dict[str, str]:
    """Titles of several courses (one look-up per distinct course, however many rows name it)."""
    return {course_id: course_title(course_id) for course_id in set(course_ids) if course_id}


def component_titles(usage_ids) -> dict[str, str]:
    """Titles of several components (one look-up per distinct course in the demo, per component in the
    LMS); "" for one the host does not know."""
    from opaque_keys import InvalidKeyError  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel

    by_course: dict[str, list[str]] = {}
    for usage_id in set(usage_ids):
        try:
            by_course.setdefault(str(UsageKey.from_string(usage_id).course_key), []).append(usage_id)
        except InvalidKeyError:
            continue
    titles: dict[str, str] = {}
    for course_id, wanted in by_course.items():
        host = _host("COURSE_COMPONENTS")
        if host is not None:
            known = {usage: title for _kind, usage, title in host(course_id)}
            titles.update({usage: known.get(usage, "") for usage in wanted})
            continue
        try:
            from xmodule.modulestore.django import modulestore  # pylint: disable=import-outside-toplevel
        except ImportError:
            continue
        for usage in wanted:
            item = modulestore().get_item(UsageKey.from_string(usage))
            titles[usage] = item.display_name or ""
    return titles
