"""Concurrency on MariaDB (learning_file): ledger lines written at once keep the yearly hours exact
(the upsert of ``MemberYearHours``), and self-study log lines saved at once from several tabs credit
the capped total exactly once."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from party_training.edx_plugin.core.compliance import rebuild_member_year_hours
from party_training.edx_plugin.core.ledger import credit_hours, reverse_entry
from party_training.edx_plugin.core.models import HourEntry, MemberYearHours
from party_training.edx_plugin.learning_file.self_study import add_entry
from tests.conftest import run_together

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def members(make_user, make_org):
    branch = make_org("B1")
    return [make_user(f"m{n}", org=branch) for n in range(3)]


def test_simultaneous_lines_keep_yearly_hours_exact(members):
    day = datetime.date(2026, 5, 1)
    calls = [(lambda user=user, n=n: credit_hours(user, "1.25", ["party_class", "contest"][n % 2], f"r{n}", date=day))
             for n in range(24) for user in members[:2]]
    _results, errors = run_together(calls)
    assert not errors, errors
    first = HourEntry.objects.filter(user=members[0]).first()
    reverse_entry(first)
    for user in members[:2]:
        row = MemberYearHours.objects.get(user=user, year=2026)
        ledger = sum(HourEntry.objects.filter(user=user).values_list("hours", flat=True))
        assert row.hours == ledger
        assert row.party_class + row.contest == ledger
    # Rebuilding from the ledger gives the same rows.
    before = {(r.user_id, r.year): (r.hours, r.party_class, r.contest) for r in MemberYearHours.objects.all()}
    rebuild_member_year_hours()
    after = {(r.user_id, r.year): (r.hours, r.party_class, r.contest) for r in MemberYearHours.objects.all()}
    assert before == after


def test_simultaneous_log_lines_credit_once(members, settings):
    settings.PARTY_TRAINING = {**settings.PARTY_TRAINING, "SELF_STUDY_YEARLY_CAP_HOURS": 100}
    user = members[2]
    today = timezone.localdate().isoformat()
    calls = [(lambda n=n: add_entry(user, {"date": today, "topic": f"第{n}次", "minutes": "30"})) for n in range(10)]
    _results, errors = run_together(calls)
    assert not errors, errors
    live = HourEntry.objects.filter(user=user).values_list("hours", flat=True)
    assert sum(live) == Decimal("5.00")  # 10 × 30 minutes
    assert MemberYearHours.objects.get(user=user, year=timezone.localdate().year).self_study == Decimal("5.00")
