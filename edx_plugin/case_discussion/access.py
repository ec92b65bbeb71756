"""Who may see what in a case discussion (case_discussion): the one rule every learner handler
calls. A learner sees peers' analyses only after posting their own (unless the discussion is
open), only those of their own group, and never hidden ones (their own, hidden, with the reason)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, QuerySet, Subquery
from django.utils.translation import gettext as _

from .discussions import DiscussionSettings
from .errors import CaseDiscussionError
from .groups import join, member_of
from .models import CaseAnalysis, CaseMember


@dataclass
class Viewer:
    """A learner in one discussion: their membership (group) and own analysis, if any."""

    user_id: int
    member: CaseMember | None

    @property
    def analysis(self) -> CaseAnalysis | None:
        return getattr(self.member, "analysis", None) if self.member is not None else None

    @property
    def posted(self) -> bool:
        return self.analysis is not None


def viewer(config: DiscussionSettings, user_id: int, *, place: bool = True) -> Viewer:
    """The learner as the rules see them; ``place`` puts them in their group on a first visit."""
    member = join(config, user_id) if place else member_of(config.usage_id, user_id)
    return Viewer(user_id=user_id, member=member)


def may_see_peers(config: DiscussionSettings, who: Viewer) -> bool:
    return who.member is not None and (who.posted or not config.post_first)


def check_sees_peers(config: DiscussionSettings, who: Viewer) -> None:
    if not may_see_peers(config, who):
        raise CaseDiscussionError(_("Post your own analysis first: then you will see the others'."), 403)


def _group_analyses(config: DiscussionSettings, group) -> QuerySet[CaseAnalysis]:
    """A group's analyses a member may read (not hidden); ``group`` an id or a subquery giving one."""
    return CaseAnalysis.objects.filter(usage_id=config.usage_id, group_id=group, hidden=False)


def visible_analyses(config: DiscussionSettings, who: Viewer) -> QuerySet[CaseAnalysis]:
    """The peers' and own analyses this learner may read: their group's, not hidden."""
    check_sees_peers(config, who)
    return _group_analyses(config, who.member.group_id)


def _analysis_id(analysis_id) -> int:
    try:
        return int(analysis_id)
    except (TypeError, ValueError) as exc:
        raise CaseDiscussionError(_("This analysis was not found."), 404) from exc


def visible_analysis(config: DiscussionSettings, who: Viewer, analysis_id) -> QuerySet[CaseAnalysis]:
    """One analysis this learner may read, as a query (so callers update or fetch it in one step);
    404 for a bad id (another group's and hidden ones are simply not in the query)."""
    analysis_id = _analysis_id(analysis_id)
    return visible_analyses(config, who).filter(pk=analysis_id)


def readable_analysis(config: DiscussionSettings, user_id: int, analysis_id) -> QuerySet[CaseAnalysis]:
    """The same rule as ``visible_analysis`` for a write that checks as it writes (a like, a reply): the
    learner's group and, where they must post first, their own analysis are conditions inside the one
    statement instead of a read before it. Empty when the rule refuses; ``refusal`` then says why."""
    analysis_id = _analysis_id(analysis_id)
    group = CaseMember.objects.filter(usage_id=config.usage_id, user_id=user_id).values("group_id")[:1]
    rows = _group_analyses(config, Subquery(group)).filter(pk=analysis_id)
    if config.post_first:
        own = CaseAnalysis.objects.filter(usage_id=config.usage_id, author_id=user_id)
        if connection.features.update_can_self_select:
            rows = rows.filter(Exists(own))
        elif not own.exists():
            # MySQL (not MariaDB 10.3.2+, not SQLite) refuses an UPDATE whose subquery reads the
            # table it updates: there the learner's own analysis is one read of its own.
            return rows.none()
    return rows


def refusal(config: DiscussionSettings, user_id: int, message: str) -> CaseDiscussionError:
    """Why ``readable_analysis`` was empty, worded as the rule words it (read only on a refusal):
    "post first" (403) if that is the reason, else ``message`` (404)."""
    check_sees_peers(config, viewer(config, user_id))
    return CaseDiscussionError(message, 404)
