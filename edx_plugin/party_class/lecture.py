"""The lecture of a party class (party_class): which video may be embedded (an https player page
from an allowed host, or an HTML5 file), which material links are shown, and the lecture text as
the one HTML allow-list of ``core.text`` leaves it."""
from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from ..core.conf import setting
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


def is_link(url) -> bool:
    """An http(s) address or a path on this site (never javascript:, data: or //other-host)."""
    return isinstance(url, str) and (urlsplit(url).scheme in ("http", "https") or
                                     (url.startswith("/") and not url.startswith("//")))


def materials_valid(materials) -> bool:
    """Each material is {"title": text, "url": a link}."""
    return all(isinstance(m, dict) and isinstance(m.get("title"), str) and is_link(m.get("url", ""))
               for m in materials)


def safe_materials(materials) -> list[dict]:
    """The materials a learner is shown: only those with a link."""
    return [m for m in materials if isinstance(m, dict) and is_link(m.get("url", ""))]


def lecture_html(body: str | None) -> str:
    """The lecture text reduced to the allow-list (on import, on save and again when shown)."""
    return sanitize_html(body)
