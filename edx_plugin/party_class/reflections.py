"""Reflections on a party class (party_class, 心得体会): an autosaved draft, submitted once with a
minimum length (the one counting rule of ``core.text``), read and scored by staff, the score
published as the learner's grade exactly once per score."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.text import count_chars, plain_text
from .errors import PartyClassError
from .learners import display_name, learner_row, local_minute, profile_of, row_id
from .models import PartyClassReflection, ReflectionStatus

MAX_REFLECTION_CHARS = 20000


def my_reflection(user, usage_id: str) -> PartyClassReflection | None:
    return PartyClassReflection.objects.filter(usage_id=usage_id, user=user).first()


def reflection_state(reflection: PartyClassReflection | None, *, graded: bool) -> dict:
    """What the learner's view shows of their own reflection (the score only when scored)."""
    return {
        "text": reflection.text if reflection else "",
        "status": reflection.status if reflection else "",
        "submitted": bool(reflection and reflection.status == ReflectionStatus.SUBMITTED),
        "submitted_at": local_minute(reflection.submitted_at) if reflection else "",
        "saved_at": local_minute(reflection.updated) if reflection else "",
        "score": float(reflection.score) if reflection and reflection.score is not None and graded else None,
    }


def save_draft(user, course_id: str, usage_id: str, text) -> PartyClassReflection:
    """Autosave the draft; refused once the reflection is submitted."""
    text = plain_text(text, MAX_REFLECTION_CHARS, _("Your reflection"))
    row = learner_row(PartyClassReflection, user, course_id, usage_id, text=text)
    with transaction.atomic():
        reflection = PartyClassReflection.objects.select_for_update().get(pk=row.pk)
        if reflection.status == ReflectionStatus.SUBMITTED:
            raise PartyClassError(_("Your reflection has been submitted and can no longer be changed."), status=409)
        if reflection.text != text:
            reflection.text = text
            reflection.save(update_fields=["text", "updated"])
    return reflection


def submit_reflection(user, course_id: str, usage_id: str, text, min_chars: int) -> PartyClassReflection:
    """Submit once, at least ``min_chars`` characters counted by ``count_chars``."""
    text = plain_text(text, MAX_REFLECTION_CHARS, _("Your reflection"))
    length = count_chars(text)
    if length < min_chars:
        raise PartyClassError(_("Your reflection has %(count)d characters; at least %(min)d are required.")
                              % {"count": length, "min": min_chars})
    row = learner_row(PartyClassReflection, user, course_id, usage_id)
    with transaction.atomic():
        reflection = PartyClassReflection.objects.select_for_update().get(pk=row.pk)
        if reflection.status == ReflectionStatus.SUBMITTED:
            raise PartyClassError(_("Your reflection has already been submitted."), status=409)
        reflection.text, reflection.status, reflection.submitted_at = text, ReflectionStatus.SUBMITTED, timezone.now()
        reflection.save(update_fields=["text", "status", "submitted_at", "updated"])
    return reflection


def reflections_for_staff(usage_id: str) -> dict:
    """Submitted reflections with author and organisation, and how many drafts are open (two queries)."""
    rows = (PartyClassReflection.objects.filter(usage_id=usage_id, status=ReflectionStatus.SUBMITTED)
            .select_related("user__party_profile__organization").order_by("submitted_at"))
    submitted = []
    for reflection in rows:
        profile = profile_of(reflection.user)
        submitted.append({
            "id": reflection.pk, "author": display_name(reflection.user, profile),
            "username": reflection.user.get_username(),
            "organization": profile.organization.name if profile else "",
            "text": reflection.text, "length": count_chars(reflection.text),
            "submitted_at": local_minute(reflection.submitted_at),
            "score": None if reflection.score is None else float(reflection.score),
        })
    drafts = PartyClassReflection.objects.filter(usage_id=usage_id, status=ReflectionStatus.DRAFT).count()
    return {"submitted": submitted, "drafts": drafts}


def score_reflection(staff_user, usage_id: str, reflection_id, score, max_score: float) -> PartyClassReflection:
    """Staff score a submitted reflection between 0 and ``max_score`` (two decimals)."""
    try:
        value = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise PartyClassError(_("The score must be a number.")) from exc
    if not value.is_finite() or value < 0 or value > Decimal(str(max_score)):
        raise PartyClassError(_("The score must be between 0 and %(max)s.") % {"max": f"{max_score:g}"})
    reflection = PartyClassReflection.objects.filter(
        pk=row_id(reflection_id), usage_id=usage_id, status=ReflectionStatus.SUBMITTED).first()
    if reflection is None:
        raise PartyClassError(_("This reflection does not exist or has not been submitted."), status=404)
    reflection.score, reflection.scored_by, reflection.scored_at = value, staff_user, timezone.now()
    reflection.save(update_fields=["score", "scored_by", "scored_at", "updated"])
    return reflection


def claim_grade_to_publish(reflection: PartyClassReflection | None) -> Decimal | None:
    """The learner's score if it has not been published as a grade yet; claims it (exactly once)."""
    if reflection is None or reflection.score is None or reflection.score == reflection.score_published:
        return None
    claimed = PartyClassReflection.objects.filter(pk=reflection.pk, score=reflection.score).exclude(
        score_published=reflection.score).update(score_published=reflection.score)
    return reflection.score if claimed else None
