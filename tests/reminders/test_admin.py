"""The admin pages of the learning file's self-study entries and of reminders: a site admin can look
them up (in Chinese); self-study entries and sent digests cannot be changed there (the log's rules and
the record of what was sent); opt-outs can be added and lifted on a member's behalf."""
import datetime

import pytest
from django.test import Client

from party_training.edx_plugin.learning_file.models import SelfStudyEntry
from party_training.edx_plugin.reminders.models import DigestKind, ReminderDigest, ReminderOptOut

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin(make_user):
    user = make_user("siteadmin", staff=True)
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(make_user):
    learner = make_user("xuexi")
    entry = SelfStudyEntry.objects.create(user=learner, year=2026, date=datetime.date(2026, 3, 1),
                                          topic="<script>alert(1)</script>学习党章", minutes=45)
    digest = ReminderDigest.objects.create(user=learner, kind=DigestKind.LEARNER,
                                           period_start=datetime.date(2026, 3, 1), subject="学时提醒", body="还差 3 学时")
    return learner, entry, digest


def test_self_study_entries_are_listed_and_read_only(site_admin, records):
    _, entry, _ = records
    page = site_admin.get("/admin/party_training/selfstudyentry/")
    html = page.content.decode()
    assert page.status_code == 200 and "自学记录" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;学习党章" in html and "<script>alert(1)" not in html
    assert site_admin.get("/admin/party_training/selfstudyentry/add/").status_code == 403
    detail = site_admin.get(f"/admin/party_training/selfstudyentry/{entry.pk}/change/")
    assert detail.status_code == 200 and 'name="minutes"' not in detail.content.decode()
    site_admin.post(f"/admin/party_training/selfstudyentry/{entry.pk}/change/", {"minutes": 600})
    assert SelfStudyEntry.objects.get(pk=entry.pk).minutes == 45
    assert site_admin.get(f"/admin/party_training/selfstudyentry/{entry.pk}/delete/").status_code == 403


def test_digests_are_a_record_and_opt_outs_can_be_managed(site_admin, records):
    learner, _, digest = records
    page = site_admin.get("/admin/party_training/reminderdigest/")
    assert page.status_code == 200 and "学时提醒" in page.content.decode()
    assert site_admin.get("/admin/party_training/reminderdigest/add/").status_code == 403
    site_admin.post(f"/admin/party_training/reminderdigest/{digest.pk}/change/", {"subject": "改"})
    assert ReminderDigest.objects.get(pk=digest.pk).subject == "学时提醒"
    response = site_admin.post("/admin/party_training/reminderoptout/add/", {"user": learner.pk})
    assert response.status_code == 302 and ReminderOptOut.objects.filter(user=learner).exists()
    assert site_admin.get("/admin/party_training/reminderoptout/").status_code == 200


def test_learners_cannot_reach_these_pages(make_user, records):
    client = Client()
    client.force_login(make_user("plain"))
    for url in ("/admin/party_training/selfstudyentry/", "/admin/party_training/reminderdigest/",
                "/admin/party_training/reminderoptout/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
