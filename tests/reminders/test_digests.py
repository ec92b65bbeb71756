"""Reminder digests (reminders): learners behind get how far and what is open, admins who in their
subtree is behind; through edx-ace's Django email channel; opt-out; never the same digest twice in a
period; the management command; the pages' roles."""
import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from party_training.edx_plugin.core.ledger import credit_hours
from party_training.edx_plugin.core.models import OrganizationAdmin
from party_training.edx_plugin.reminders.digests import expected_by, period_start, send_digests
from party_training.edx_plugin.reminders.models import ReminderDigest, ReminderOptOut

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 7, 2)  # day 183 of 365: half the year's hours expected


@pytest.fixture
def people(make_org, make_user):
    branch = make_org("b1", "第一党支部")
    behind = make_user("behind", org=branch, full_name="落后者")
    ahead = make_user("ahead", org=branch, full_name="先进者")
    credit_hours(ahead, 20, "party_class", "pc", date=datetime.date(2026, 3, 1))
    credit_hours(behind, 4, "party_class", "pc", date=datetime.date(2026, 3, 1))
    admin = make_user("admin1")
    OrganizationAdmin.objects.create(user=admin, organization=branch)
    return {"behind": behind, "ahead": ahead, "admin": admin}


def test_expected_share_and_period():
    assert expected_by(Decimal(32), DAY) == Decimal("16.04")
    start = period_start(DAY)
    assert start <= DAY < start + datetime.timedelta(days=30)


def test_learner_and_admin_digests_once_per_period(people):
    result = send_digests(DAY)
    assert (result.sent, result.already, result.failed) == (2, 0, 0)
    to = {tuple(message.to): message for message in mail.outbox}
    learner = to[("behind@example.com",)]
    assert "12.04" in learner.subject  # 16.04 expected, 4 done
    assert "28.00" in learner.body and "/party-training/my/" in learner.body
    admin = to[("admin1@example.com",)]
    assert "落后者" in admin.body and "先进者" not in admin.body
    # Same period: nothing sent twice (the command too).
    assert send_digests(DAY + datetime.timedelta(days=1)).already == 2
    call_command("send_party_reminders", "--date", (DAY + datetime.timedelta(days=2)).isoformat())
    assert len(mail.outbox) == 2 and ReminderDigest.objects.count() == 2


def test_opt_out(people, client):
    client.force_login(people["behind"])
    assert client.post("/party-training/reminders/", {"receive": "no"}).status_code == 302
    assert ReminderOptOut.objects.filter(user=people["behind"]).exists()
    send_digests(DAY)
    assert [m.to for m in mail.outbox] == [["admin1@example.com"]]
    client.post("/party-training/reminders/", {"receive": "yes"})
    assert not ReminderOptOut.objects.exists()


def test_pages_and_roles(people, client):
    send_digests(DAY)
    client.force_login(people["behind"])
    html = client.get("/party-training/reminders/").content.decode()
    assert "12.04" in html
    assert client.get("/party-training/reminders/sent/").status_code == 403
    client.force_login(people["ahead"])
    assert "12.04" not in client.get("/party-training/reminders/").content.decode()
    people["admin"].is_staff = True
    people["admin"].save()
    client.force_login(people["admin"])
    html = client.get("/party-training/reminders/sent/").content.decode()
    assert "behind" in html and "落后者" in html


def test_text_is_escaped_on_the_page(people, client, make_user, make_org):
    payload = "<script>alert(1)</script>"
    make_user("xss", org=make_org("x", payload), full_name=payload)
    send_digests(DAY)
    people["admin"].is_staff = True
    people["admin"].save()
    client.force_login(people["admin"])
    html = client.get("/party-training/reminders/sent/").content.decode()
    assert payload not in html

