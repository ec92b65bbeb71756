"""The hours ledger: append-only lines, reversals, idempotent crediting, yearly requirements."""
import datetime
import threading
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from party_training.edx_plugin.core.models import AppendOnlyError, HourEntry, MemberCategory, MemberProfile
from party_training.edx_plugin.core.ledger import HoursError, credit_hours, reverse_entry
from party_training.edx_plugin.core.compliance import summary_for_user, yearly_requirement
from tests.conftest import race

DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def member(make_user, make_org):
    return make_user("m1", org=make_org("b1"))


def test_saving_or_deleting_an_existing_line_raises(member):
    entry, _ = credit_hours(member, 2, "self_study", "s1", date=DAY)
    entry.hours = Decimal("20")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert HourEntry.objects.get(pk=entry.pk).hours == Decimal("2.00")


def test_admin_can_neither_delete_nor_edit_lines(member, make_user):
    entry, _ = credit_hours(member, 2, "self_study", "s1", date=DAY)
    superuser = make_user("root", staff=True)
    superuser.is_superuser = True
    superuser.save()
    client = Client()
    client.force_login(superuser)
    model_admin = admin.site._registry[HourEntry]  # pylint: disable=protected-access
    request = client.get(reverse("admin:party_training_hourentry_changelist")).wsgi_request
    assert not model_admin.has_delete_permission(request, entry)
    assert "delete_selected" not in model_admin.get_actions(request)
    assert client.get(reverse("admin:party_training_hourentry_delete", args=[entry.pk])).status_code == 403

    client.post(reverse("admin:party_training_hourentry_change", args=[entry.pk]), {
        "user": member.pk, "year": 2026, "hours": "99", "source_kind": "manual", "date": "2026-03-01",
    })
    assert HourEntry.objects.get(pk=entry.pk).hours == Decimal("2.00")


def test_reversal_adds_a_negative_line_and_is_done_once(member, make_user):
    clerk = make_user("clerk", staff=True)
    entry, _ = credit_hours(member, 3, "party_class", "pc1", date=DAY)
    reversal = reverse_entry(entry, recorded_by=clerk, note="wrong member")
    assert (reversal.hours, reversal.reverses_id, reversal.source_kind) == (Decimal("-3.00"), entry.pk, "correction")
    assert HourEntry.objects.filter(user=member).count() == 2
    assert summary_for_user(member, 2026).total == 0
    with pytest.raises(HoursError):
        reverse_entry(entry)
    with pytest.raises(HoursError):
        reverse_entry(reversal)  # a correction is not itself reversed
    assert HourEntry.objects.filter(user=member).count() == 2


def test_credit_is_idempotent_per_source(member):
    first, created = credit_hours(member, 2, "contest", "contest-1", date=DAY)
    again, created_again = credit_hours(member, 5, "contest", "contest-1", date=DAY)
    other, created_other = credit_hours(member, 1, "contest", "contest-2", date=DAY)
    assert created and not created_again and created_other
    assert again.pk == first.pk and again.hours == Decimal("2.00") and other.pk != first.pk
    assert HourEntry.objects.filter(user=member).count() == 2


def test_long_references_sharing_a_prefix_stay_distinct(member):
    prefix = "block-v1:Org+Course+2026+type@party_class+block@" * 5
    first, _ = credit_hours(member, 1, "party_class", prefix + "lecture-1")
    second, created = credit_hours(member, 1, "party_class", prefix + "lecture-2")
    assert created and first.pk != second.pk
    assert credit_hours(member, 1, "party_class", prefix + "lecture-2") == (second, False)


@pytest.mark.parametrize("hours", [0, -1, "1000.01", "0.004", "abc", "NaN", "Infinity"])
def test_bad_hours_refused(member, hours):
    with pytest.raises(HoursError):
        credit_hours(member, hours, "self_study", "s1")
    assert not HourEntry.objects.exists()


@pytest.mark.parametrize("kind, ref", [("correction", "x"), ("unknown", "x"), ("self_study", "")])
def test_bad_sources_refused(member, kind, ref):
    with pytest.raises(HoursError):
        credit_hours(member, 1, kind, ref)


def test_hours_are_stored_at_the_ledger_precision(member):
    entry, _ = credit_hours(member, "1.255", "self_study", "s1")
    assert entry.hours == Decimal("1.26") == HourEntry.objects.get(pk=entry.pk).hours


@pytest.mark.parametrize("categories, required", [
    (("member",), Decimal("32.0")),
    (("member", "leading_cadre"), Decimal("110.0")),  # 550 hours in 5 years
    (("member", "branch_secretary"), Decimal("56.0")),
    (("general_cadre", "branch_secretary", "activist"), Decimal("90.0")),
    ((), Decimal("0")),
])
def test_yearly_requirement_is_the_highest_of_the_categories(make_user, make_org, categories, required):
    user = make_user("m", org=make_org("b"), categories=categories)
    assert yearly_requirement(MemberProfile.objects.get(user=user)) == required
    assert summary_for_user(user, 2026).required == required


def test_requirement_follows_the_admins_figures(member):
    MemberCategory.objects.filter(code="member").update(required_hours=Decimal("40"), period_years=2)
    assert summary_for_user(member, 2026).required == Decimal("20.0")


def test_summary_by_source_with_corrections_against_their_source(member):
    credit_hours(member, 10, "party_class", "pc1", date=DAY)
    wrong, _ = credit_hours(member, 4, "party_class", "pc2", date=DAY)
    credit_hours(member, 30, "rotation", "r1", date=DAY)
    credit_hours(member, 50, "self_study", "old", date=datetime.date(2025, 6, 1))
    reverse_entry(wrong)
    summary = summary_for_user(member, 2026)
    assert [(kind, hours) for kind, _label, hours in summary.by_source] == [
        ("party_class", Decimal("10.00")), ("rotation", Decimal("30.00"))]
    assert (summary.total, summary.required, summary.percent, summary.met) == (Decimal("40.00"), Decimal("32.0"),
                                                                                100, True)
    assert summary_for_user(member, 2025).total == Decimal("50.00")
    assert summary_for_user(member, 2024).percent == 0 and summary_for_user(member, 2024).remaining == 32


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_concurrent_credits_of_one_source_make_one_line(member):
    results, errors = race(lambda: credit_hours(member, 2, "course", "course-v1:X+Y+Z"))
    assert not errors
    assert sorted(created for _entry, created in results) == [False] * 7 + [True]
    assert len({entry.pk for entry, _created in results}) == 1
    assert HourEntry.objects.filter(user=member).count() == 1


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_concurrent_credits_inside_callers_transactions(member):
    """Callers already in a transaction (e.g. an event receiver) read the ledger before crediting,
    so their REPEATABLE READ snapshot predates the winner's line: the loser still gets that line."""
    barrier = threading.Barrier(8)

    def credit():
        with transaction.atomic():
            HourEntry.objects.filter(user=member).exists()  # the snapshot starts here
            barrier.wait()
            return credit_hours(member, 2, "course", "course-v1:X+Y+Z")

    results, errors = race(credit)
    assert not errors
    assert sum(created for _entry, created in results) == 1
    assert HourEntry.objects.filter(user=member).count() == 1


@pytest.mark.mysql
def test_a_failed_insert_that_is_no_duplicate_is_not_hidden(member):
    """Only a duplicate key means "already credited": other integrity errors reach the caller."""
    ghost = type(member)(pk=member.pk + 10_000, username="ghost")  # no such row: the foreign key fails
    with pytest.raises(IntegrityError):
        credit_hours(ghost, 1, "self_study", "s1")
