"""Completion of a party class (party_class): the requirements its author chose (signed in,
watched or read, reflection submitted), completed once when all are met, and the class's credit
hours written to the ledger through ``core.ledger.credit_hours`` in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from ..core.db import CompiledRead
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


def _requirements_row(progress: bool, signin: bool, reflection: bool, *, user_id: int, usage_id: str):
    """The user's row (which always exists) with, as subqueries, what ``requirements`` must read: the
    learner's progress row, the sign-in, the submitted reflection."""
    mine = {"usage_id": usage_id, "user": OuterRef("pk")}
    wanted = {}
    if progress:
        own = PartyClassProgress.objects.filter(**mine).order_by()
        wanted.update(content_done_at=Subquery(own.values("content_done_at")[:1]),
                      completed_at=Subquery(own.values("completed_at")[:1]))
    if signin:
        wanted["signed_in"] = Exists(PartyClassSignIn.objects.filter(**mine))
    if reflection:
        wanted["submitted"] = Exists(PartyClassReflection.objects.filter(**mine, status=ReflectionStatus.SUBMITTED))
    return get_user_model().objects.filter(pk=user_id).order_by("pk").values("pk").annotate(**wanted)[:1]


# Compiled once per process and shape: every learner action on a class asks where the learner stands.
_REQUIREMENTS_ROW = CompiledRead(settings.AUTH_USER_MODEL, _requirements_row, user_id=int, usage_id=str)


def requirements(user, usage_id: str, rules: CompletionRules, *, signed_in: bool | None = None,
                 progress: PartyClassProgress | None = None) -> Requirements:
    """Where ``user`` stands on each requirement: one query (the learner's progress row, sign-in and
    submitted reflection as subqueries of the user's row, which always exists), none when all is known."""
    shape = (progress is None, bool(rules.signin and signed_in is None), bool(rules.reflection))
    row = (_REQUIREMENTS_ROW.first(*shape, user_id=user.pk, usage_id=usage_id) or {}) if any(shape) else {}
    if progress is not None:
        row.update(content_done_at=progress.content_done_at, completed_at=progress.completed_at)
    if signed_in is not None:
        row["signed_in"] = signed_in
    return Requirements(
        signin=bool(row.get("signed_in")) if rules.signin else None,
        content=bool(row.get("content_done_at")) if rules.content else None,
        reflection=bool(row.get("submitted")) if rules.reflection else None,
        completed=bool(row.get("completed_at")),
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
