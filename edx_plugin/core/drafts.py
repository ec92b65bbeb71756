"""Autosaved drafts with a revision number (core), shared by every block that autosaves a learner's
text (writing assignments, case discussions): a save based on an older revision (a second tab, a
stale page, another device) is detected instead of silently overwriting the newer text."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .db import statement_guard
from .errors import RuleError


@dataclass
class DraftResult:
    """What a save did: ``saved`` at ``revision``; on ``conflict`` the newer draft's ``values``."""

    saved: bool
    revision: int
    conflict: bool = False
    values: dict = field(default_factory=dict)
    updated: datetime.datetime | None = None


def check_revision(revision) -> int:
    """The revision a page says it loaded: a whole number of 0 or more (0: no draft yet)."""
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        raise RuleError(_("The draft revision is not valid."))
    return revision


def save_revisioned(model: type[models.Model], key: dict, values: dict, *, revision: int,
                    force: bool = False) -> DraftResult:
    """Save ``values`` on the draft row of ``model`` found by ``key`` (e.g. usage id and user) if it
    is still at ``revision``; otherwise the caller gets the newer values back (``conflict``).
    ``force`` overwrites after the learner chose to keep this page's version. The model has the
    fields of ``key`` and ``values``, ``revision`` and ``updated``, and one row per ``key``."""
    revision = check_revision(revision)
    drafts = model.objects.filter(**key)
    now = timezone.now()
    # A page without a draft (revision 0) goes straight to the INSERT: no row is ever at revision 0,
    # so the conditional UPDATE could only miss.
    if force or revision > 0:
        matching = drafts if force else drafts.filter(revision=revision)
        if matching.update(**values, revision=F("revision") + 1, updated=now):
            # The UPDATE matched revision r and set r + 1 in one statement: the new revision is known
            # without reading it back (unless forced over an unknown one).
            saved = drafts.values_list("revision", flat=True).get() if force else revision + 1
            return DraftResult(True, saved, updated=now)
    if force or revision == 0 or not drafts.exists():
        try:
            with statement_guard():
                draft = model.objects.create(**key, **values, revision=1)
            return DraftResult(True, draft.revision, updated=draft.updated)
        except IntegrityError:
            pass  # another tab created it first: a conflict like any other
    current = drafts.first()
    return DraftResult(False, current.revision, conflict=True, updated=current.updated,
                       values={name: getattr(current, name) for name in values})
