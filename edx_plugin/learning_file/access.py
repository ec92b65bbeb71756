"""Whose learning file a user may open (learning_file): their own; an organisation admin any member
of their subtrees; a site admin anyone. Anyone else's answers 404, as a member that does not exist,
so the page never tells who is a member."""
from __future__ import annotations

from django.utils.translation import gettext as _

from ..core.permissions import visible_members
from .errors import LearningFileError


def member_for(viewer, username: str):
    """The user whose file ``viewer`` asked for, or ``LearningFileError`` 404."""
    if viewer.is_authenticated and viewer.get_username() == username:
        return viewer
    profile = visible_members(viewer).filter(user__username=username).select_related("user").first()
    if profile is None:
        raise LearningFileError(_("No such member."), 404)
    return profile.user
