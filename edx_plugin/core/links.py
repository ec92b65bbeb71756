"""Links authors give (core): materials and attachments by URL, as party classes and case
discussions list them. Only http(s) addresses or paths on this site are ever shown."""
from __future__ import annotations

from urllib.parse import urlsplit


def is_link(url) -> bool:
    """An http(s) address or a path on this site (never javascript:, data: or //other-host)."""
    return isinstance(url, str) and (urlsplit(url).scheme in ("http", "https") or
                                     (url.startswith("/") and not url.startswith("//")))


def materials_valid(materials) -> bool:
    """Each material is {"title": text, "url": a link}."""
    return isinstance(materials, list) and all(
        isinstance(m, dict) and isinstance(m.get("title"), str) and is_link(m.get("url", "")) for m in materials)


def safe_materials(materials) -> list[dict]:
    """The materials a learner is shown: only those with a link."""
    return [m for m in materials if isinstance(m, dict) and is_link(m.get("url", ""))]
