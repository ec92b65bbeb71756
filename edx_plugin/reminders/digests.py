"""The reminder digests (reminders): who is behind, what each person is told, and sending it once per
period through edx-ace (the platform's messaging framework; the Django email channel underneath).

- A learner is behind when their hours of the year are below the share of the yearly requirement
  expected by today (the days gone, times ``REMINDER_BEHIND_PERCENT``); they are told how far behind they
  are, how many hours remain for the year, what the self-study log may still count, and where their
  learning file is. A learner may opt out.
- An organisation admin is told who in their subtrees is behind, furthest first.
- Once per period of ``REMINDER_PERIOD_DAYS`` days: the digest row is written before the message is
  sent, in one transaction, under a unique (user, kind, period) constraint, so two runs (the beat and
  the management command, or two workers) never send the same digest twice, and a failed send leaves
  nothing recorded (it is sent on the next run).
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from edx_ace import ace
from edx_ace.recipient import Recipient

from ..core.compliance_tree import member_rows
from ..core.conf import setting
from ..core.models import MemberProfile, OrganizationAdmin
from .message_types import AdminDigest, LearnerDigest
from .models import DigestKind, ReminderDigest, ReminderOptOut

log = logging.getLogger(__name__)
EPOCH = datetime.date(2000, 1, 1)
CENT = Decimal("0.01")
ADMIN_NAMES_LISTED = 20


def period_start(today: datetime.date) -> datetime.date:
    """The first day of the reminder period holding ``today``."""
    days = max(1, int(setting("REMINDER_PERIOD_DAYS")))
    return EPOCH + datetime.timedelta(days=(today - EPOCH).days // days * days)


def expected_by(required: Decimal, today: datetime.date) -> Decimal:
    """The hours of a yearly ``required`` a member should have by ``today``."""
    days_in_year = (datetime.date(today.year, 12, 31) - datetime.date(today.year, 1, 1)).days + 1
    share = Decimal(today.timetuple().tm_yday) / days_in_year * Decimal(setting("REMINDER_BEHIND_PERCENT")) / 100
    return (required * share).quantize(CENT)


@dataclass
class Digest:
    user_id: int
    email: str
    kind: str
    subject: str
    lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.lines)


def _site() -> str:
    return getattr(settings, "LMS_ROOT_URL", "") or ""


def learner_digests(today: datetime.date) -> list[Digest]:
    """Digests of the learners behind today (one query for the members, one for the opt-outs)."""
    opted_out = set(ReminderOptOut.objects.values_list("user_id", flat=True))
    users = dict(MemberProfile.objects.values_list("user__username", "user_id"))
    emails = dict(get_user_model().objects.filter(pk__in=users.values()).values_list("pk", "email"))
    cap = Decimal(str(setting("SELF_STUDY_YEARLY_CAP_HOURS")))
    digests = []
    for member in member_rows(today.year):
        user_id = users.get(member.username)
        if user_id is None or user_id in opted_out or not emails.get(user_id) or member.required <= 0:
            continue
        expected = expected_by(member.required, today)
        if member.total >= expected:
            continue
        self_study = member.by_source.get("self_study", Decimal(0))
        digests.append(Digest(user_id=user_id, email=emails[user_id], kind=DigestKind.LEARNER,
                              subject=_("Your credit hours: %(hours)s hours behind") % {
                                  "hours": f"{expected - member.total:.2f}"}, lines=[
            _("By today you should have %(expected)s of your %(required)s yearly hours; you have %(total)s.") % {
                "expected": f"{expected:.2f}", "required": f"{member.required:.2f}", "total": f"{member.total:.2f}"},
            _("Hours still to go this year: %(hours)s.") % {"hours": f"{member.shortfall:.2f}"},
            _("Open to you: your courses' party classes, contests, writing and discussions; the self-study log "
              "may still count %(hours)s hours this year.") % {"hours": f"{max(Decimal(0), cap - self_study):.2f}"},
            _("Your learning file: %(url)s") % {"url": _site() + reverse("party_training:learning_file")},
            _("You can stop these reminders on the reminders page: %(url)s") % {
                "url": _site() + reverse("party_training:reminders")},
        ]))
    return digests


def admin_digests(today: datetime.date) -> list[Digest]:
    """Digests of the organisation admins: per organisation they administer, who is behind today,
    furthest first (one query per administered organisation)."""
    digests: dict[int, Digest] = {}
    for grant in OrganizationAdmin.objects.select_related("user", "organization").order_by("user_id", "organization"):
        if not grant.user.email:
            continue
        behind = []
        members = 0
        for member in member_rows(today.year, root_path=grant.organization.path, behind_first=True):
            members += 1
            gap = expected_by(member.required, today) - member.total
            if gap > 0:
                behind.append((gap, member))
        if not behind:
            continue
        behind.sort(key=lambda item: -item[0])
        digest = digests.setdefault(grant.user_id, Digest(
            user_id=grant.user_id, email=grant.user.email, kind=DigestKind.ADMIN,
            subject=_("Members behind on credit hours in your organisations")))
        digest.lines.append(_("%(organization)s: %(behind)d of %(members)d members are behind.") % {
            "organization": grant.organization.name, "behind": len(behind), "members": members})
        digest.lines += [_("  %(name)s (%(organization)s): %(hours)s hours behind") % {
            "name": member.full_name or member.username, "organization": member.organization,
            "hours": f"{gap:.2f}"} for gap, member in behind[:ADMIN_NAMES_LISTED]]
        digest.lines.append(_("Compliance: %(url)s") % {"url": _site() + reverse("party_training:compliance")
                                                         + f"?org={grant.organization.pk}"})
    return list(digests.values())


@dataclass
class SendResult:
    sent: int = 0
    already: int = 0
    failed: int = 0


def _send(digest: Digest, start: datetime.date, language: str) -> str:
    """Record and send one digest: "sent", "already" (sent in this period) or "failed"."""
    message_type = LearnerDigest if digest.kind == DigestKind.LEARNER else AdminDigest
    try:
        with transaction.atomic():
            ReminderDigest.objects.create(user_id=digest.user_id, kind=digest.kind, period_start=start,
                                          subject=digest.subject[:200], body=digest.body)
            message = message_type().personalize(
                recipient=Recipient(lms_user_id=digest.user_id, email_address=digest.email), language=language,
                user_context={"subject": digest.subject, "lines": digest.lines})
            ace.send(message)
    except IntegrityError:
        return "already"
    except Exception:  # pylint: disable=broad-except
        log.exception("reminder digest to user %s failed", digest.user_id)
        return "failed"
    return "sent"


def send_digests(today: datetime.date | None = None) -> SendResult:
    """Send this period's digests (Celery beat ``party_training.reminders.send_digests``, or
    ``manage.py send_party_reminders``)."""
    today = today or timezone.localdate()
    start = period_start(today)
    result = SendResult()
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        for digest in learner_digests(today) + admin_digests(today):
            outcome = _send(digest, start, language)
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result
