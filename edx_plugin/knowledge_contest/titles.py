"""Contest titles (knowledge_contest) for the plugin's own pages: a block remembers its title when
course staff see it or open a live game, and pages that run outside any block (the live view, the
learning file) show the title instead of the block's id."""
from __future__ import annotations

from django.utils.translation import gettext as _

from .models import ContestTitle


def remember_title(usage_id: str, course_id: str, title: str) -> None:
    """Keep the block's title (one read; a write only when it changed)."""
    title = (title or "").strip()[:255]
    if not title:
        return
    known = ContestTitle.objects.filter(usage_id=usage_id).values_list("title", flat=True).first()
    if known == title:
        return
    ContestTitle.objects.update_or_create(usage_id=usage_id, defaults={"course_id": course_id, "title": title})


def contest_title(usage_id: str) -> str:
    """The contest's title, or a generic name when no member of staff has seen the block yet."""
    title = ContestTitle.objects.filter(usage_id=usage_id).values_list("title", flat=True).first()
    return title or _("Knowledge contest")
