"""Completion of a party class (party_class): the requirements its author chose (signed in,
watched or read, reflection submitted), completed once when all are met, and the class's credit
hours written to the ledger through ``core.ledger.credit_hours`` in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..core.ledger import credit_hours
from ..core.models import HourSource
from .learners import learner_row
from .models import PartyClassProgress, PartyClassReflection, PartyClassSignIn, ReflectionStatus


@dataclass(frozen=True)
class CompletionRules:
    """What completes a class and the hours it credits, as its author set them."""

    signin: bool = True
    content: bool = True
    reflection: bool = False
    hours: Decimal = Decimal("0")
    title: str = ""


@dataclass
class Requirements:
    """Where a learner stands on each requirement (None: not required)."""

    signin: bool | None
    content: bool | None
    reflection: bool | None
    completed: bool

    @property
    def met(self) -> bool:
        return all(done is not False for done in (self.signin, self.content, self.reflection))

    def as_dict(self) -> dict:
        return {"signin": self.signin, "content": self.content, "reflection": self.reflection,
                "completed": self.completed}


def mark_content_done(user, course_id: str, usage_id: str) -> None:
    """The learner watched the video or read the text (the first time counts)."""
    progress = learner_row(PartyClassProgress, user, course_id, usage_id, content_done_at=timezone.now())
    if progress.content_done_at is None:
        PartyClassProgress.objects.filter(pk=progress.pk, content_done_at__isnull=True).update(
            content_done_at=timezone.now())


def requirements(user, usage_id: str, rules: CompletionRules, *, signed_in: bool | None = None,
                 progress: PartyClassProgress | None = None) -> Requirements:
    """Where ``user`` stands on each requirement (at most three small queries; fewer when known)."""
    if progress is None:
        progress = PartyClassProgress.objects.filter(usage_id=usage_id, user=user).first()
    if rules.signin and signed_in is None:
        signed_in = PartyClassSignIn.objects.filter(usage_id=usage_id, user=user).exists()
    submitted = None
    if rules.reflection:
        submitted = PartyClassReflection.objects.filter(
            usage_id=usage_id, user=user, status=ReflectionStatus.SUBMITTED).exists()
    return Requirements(
        signin=bool(signed_in) if rules.signin else None,
        content=bool(progress and progress.content_done_at) if rules.content else None,
        reflection=submitted,
        completed=bool(progress and progress.completed_at),
    )


def complete_if_done(user, course_id: str, usage_id: str, rules: CompletionRules, *,
                     signed_in: bool | None = None) -> tuple[bool, Requirements]:
    """Mark the class completed and credit its hours when every requirement is met.

    Returns (whether this call completed it, where the learner stands). Only one call completes:
    a conditional update decides, and the hours are credited in the same transaction (the
    ledger is idempotent per source besides)."""
    status = requirements(user, usage_id, rules, signed_in=signed_in)
    if status.completed or not status.met:
        return False, status
    progress = learner_row(PartyClassProgress, user, course_id, usage_id)
    with transaction.atomic():
        won = PartyClassProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            completed_at=timezone.now())
        if won and rules.hours > 0:
            credit_hours(user, rules.hours, HourSource.PARTY_CLASS, usage_id, course_id=course_id,
                         usage_id=usage_id, note=rules.title)
    status.completed = True
    return bool(won), status
