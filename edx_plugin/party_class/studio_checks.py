"""Checks across a party class's Studio settings (party_class): what one field's bounds cannot say
(an end after its start, a lecturer in the pool, one sign-in method for a class on site...)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from . import lecture


def cross_field_errors(merged: dict) -> dict:
    """Field name -> message for every setting that does not hold with the others."""
    video_problem = lecture.video_error(merged["video_url"])
    errors = {"video_url": video_problem} if video_problem else {}
    for start, end in (("session_start", "session_end"), ("online_signin_start", "online_signin_end"),
                       ("questions_open", "questions_close")):
        if merged[start] and merged[end] and merged[end] <= merged[start]:
            errors[end] = _("The end must be later than the start.")
    if str(merged["lecturer_id"]).strip() and lecture.pool_lecturer(merged["lecturer_id"]) is None:
        errors["lecturer_id"] = _("There is no such lecturer in the pool.")
    if merged["schedule"] not in ("live", "recorded"):
        errors["schedule"] = _("This value is not valid.")
    if not merged["reflection_max_score"] > 0:
        errors["reflection_max_score"] = _("Greater than 0 and at most 1000.")
    if not any(merged[name] for name in ("require_signin", "require_content", "require_reflection")):
        errors["require_content"] = _("Choose at least one requirement for completion.")
    if merged["online_signin"] and merged["onsite_signin"]:
        errors["online_signin"] = _("A class held on site takes only the code shown in the room: switch online "
                                    "check-in off, or on-site sign-in off for a class followed online.")
    if merged["require_signin"] and not (merged["online_signin"] or merged["onsite_signin"]):
        errors["require_signin"] = _("Signing in is required, but neither online nor on-site sign-in is offered.")
    if merged["require_reflection"] and not merged["reflection_prompt"].strip():
        errors["reflection_prompt"] = _("A reflection is required: write the prompt.")
    if not all(isinstance(p, str) for p in merged["key_points"]):
        errors["key_points"] = _("A list of texts is expected.")
    if not lecture.materials_valid(merged["materials"]):
        errors["materials"] = _("Each material needs a title and an http(s) address.")
    if not all(isinstance(c, str) for c in merged["expected_organizations"]):
        errors["expected_organizations"] = _("A list of organisation codes is expected.")
    return errors
