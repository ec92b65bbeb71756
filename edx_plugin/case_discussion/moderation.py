"""Staff moderation of a case discussion (case_discussion): feature an excellent analysis, hide one
with a reason (its author sees the reason, nobody else the analysis), write the closing summary."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.text import plain_text, sanitize_html
from .discussions import HARD_MAX_CHARS, MAX_REASON_CHARS, DiscussionSettings, sync_discussion
from .errors import CaseDiscussionError
from .models import CaseAnalysis

ACTIONS = ("feature", "unfeature", "hide", "unhide")


def moderate_target(config: DiscussionSettings, analysis_id) -> CaseAnalysis:
    """Any analysis of this discussion (staff see hidden ones and every group's)."""
    try:
        return CaseAnalysis.objects.get(pk=int(analysis_id), usage_id=config.usage_id)
    except (TypeError, ValueError, CaseAnalysis.DoesNotExist) as exc:
        raise CaseDiscussionError(_("This analysis was not found."), 404) from exc


def moderate(config: DiscussionSettings, analysis_id, action: str, reason="") -> CaseAnalysis:
    if action not in ACTIONS:
        raise CaseDiscussionError(_("Unknown action."))
    analysis = moderate_target(config, analysis_id)
    if action in ("feature", "unfeature"):
        analysis.featured = action == "feature"
    elif action == "hide":
        reason = plain_text(reason or "", MAX_REASON_CHARS)
        if not reason:
            raise CaseDiscussionError(_("Say why the analysis is hidden: its author will read it."))
        analysis.hidden, analysis.hidden_reason, analysis.featured = True, reason, False
    else:
        analysis.hidden, analysis.hidden_reason = False, ""
    analysis.save(update_fields=["featured", "hidden", "hidden_reason"])
    return analysis


def save_summary(config: DiscussionSettings, text) -> str:
    """The instructor's closing summary (rich text, sanitised on write with core's allow-list)."""
    if not isinstance(text, str) or len(text) > HARD_MAX_CHARS:
        raise CaseDiscussionError(_("The summary is too long."))
    discussion = sync_discussion(config)
    discussion.summary = sanitize_html(text).strip()
    discussion.summary_updated = timezone.now()
    discussion.save(update_fields=["summary", "summary_updated"])
    return discussion.summary
