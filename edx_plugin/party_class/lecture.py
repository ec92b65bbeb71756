"""The lecture of a party class (party_class): which video may be embedded (an https player page
from an allowed host, or an HTML5 file), which material links are shown, and the lecture text as
the one HTML allow-list of ``core.text`` leaves it."""
from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from ..core.conf import setting
from ..core.lecturers import lecturer_by_id, record_lecture
from ..core.lms import course_blocks
# The material links rules are core's (case discussions list materials too); the block reads them here.
from ..core.links import materials_valid, safe_materials  # noqa: F401  pylint: disable=unused-import
from ..core.text import sanitize_html

HTML5_VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogg", ".ogv", ".m4v")


def video_embed(url: str) -> dict:
    """How to show a video: an https iframe from an allowed host, an HTML5 file, or a refusal."""
    url = (url or "").strip()
    if not url:
        return {"kind": ""}
    parts = urlsplit(url)
    hosts = {h.lower() for h in setting("VIDEO_IFRAME_HOSTS")}
    if parts.scheme == "https" and (parts.hostname or "").lower() in hosts:
        return {"kind": "iframe", "url": url}
    local = not parts.scheme and not parts.netloc and url.startswith("/")
    if (parts.scheme in ("http", "https") or local) and parts.path.lower().endswith(HTML5_VIDEO_EXTENSIONS):
        return {"kind": "html5", "url": url}
    return {"kind": "blocked"}


def video_error(url: str) -> str | None:
    """The author's message when ``url`` is a video the class would refuse to show, else None."""
    if video_embed(url)["kind"] != "blocked":
        return None
    return _("Use an HTML5 video file (.mp4, .webm, .ogg) or an https player page from: %(hosts)s.") % {
        "hosts": ", ".join(setting("VIDEO_IFRAME_HOSTS"))}


def lecture_html(body: str | None) -> str:
    """The lecture text reduced to the allow-list (on import, on save and again when shown)."""
    return sanitize_html(body)


def pool_lecturer(raw_id):
    """The pool lecturer a class names by id (None for none or an unknown id)."""
    return lecturer_by_id(raw_id)


def lecturer_shown(block) -> dict:
    """Who the class shows as its lecturer: the pool's entry when the class names one, else the
    free-text fields (a lecturer not in the pool)."""
    pooled = pool_lecturer(block.lecturer_id)
    if pooled is not None:
        return {"name": pooled.name, "position": pooled.title, "organization": pooled.organization}
    return {"name": block.lecturer_name, "position": block.lecturer_position,
            "organization": block.lecturer_organization}


def record_class_lecture(block) -> None:
    """Record the class as a lecture of its pool lecturer (the learning file of a member who lectures)."""
    start = block.session_start
    record_lecture("party_class", block.usage_id_str, pool_lecturer(block.lecturer_id), title=str(block.display_name),
                   date=start.date() if start else None, hours=block.credit_hours, course_id=block.course_id_str)


def record_course_lectures(course_id: str) -> int:
    """Record every party class of a course as a lecture (as a Studio save of each would): a course
    imported or re-run never passes through the editor, yet its classes name pool lecturers.
    Returns how many classes were looked at."""
    blocks = course_blocks(course_id, "party_class")
    for block in blocks:
        record_class_lecture(block)
    return len(blocks)
