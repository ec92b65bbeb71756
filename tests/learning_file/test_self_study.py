"""The self-study log (learning_file): lines counted as self-study hours up to the yearly cap, one
ledger line standing for the log (reversed and re-credited when the log changes), editable only in the
current year, bad input refused with the field named and nothing written, others' lines 404."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from party_training.edx_plugin.core.compliance import summary_for_user
from party_training.edx_plugin.core.models import HourEntry, MemberYearHours
from party_training.edx_plugin.learning_file.models import SelfStudyEntry

pytestmark = pytest.mark.django_db
ADD = "/party-training/my/self-study/"


@pytest.fixture
def member(make_user, make_org):
    return make_user("zhao", org=make_org("B1", "第一党支部"), full_name="赵六")


def today():
    return timezone.localdate()


def add(client, **values):
    data = {"date": today().isoformat(), "topic": "学习党章", "minutes": "90", "note": ""}
    data.update(values)
    return client.post(ADD, data)


def self_study(user):
    return dict((kind, hours) for kind, _label, hours in summary_for_user(user).by_source).get("self_study",
                                                                                               Decimal(0))


def test_lines_count_up_to_the_cap(client, member, settings):
    settings.PARTY_TRAINING = {**settings.PARTY_TRAINING, "SELF_STUDY_YEARLY_CAP_HOURS": 3}
    client.force_login(member)
    assert add(client).status_code == 302
    assert self_study(member) == Decimal("1.50")
    assert add(client, minutes="120").status_code == 302
    assert self_study(member) == Decimal("3.00")  # 3.5 hours logged, capped at 3
    # The ledger: one live line for the log, earlier ones reversed; the yearly row agrees.
    assert sum(HourEntry.objects.filter(user=member).values_list("hours", flat=True)) == Decimal("3.00")
    assert MemberYearHours.objects.get(user=member, year=today().year).self_study == Decimal("3.00")
    html = client.get("/party-training/my/").content.decode()
    assert "已记录 210 分钟；计入 3.00 学时（每年最多 3.00 学时）" in html


def test_edit_and_delete(client, member):
    client.force_login(member)
    add(client)
    entry = SelfStudyEntry.objects.get()
    assert client.post(f"{ADD}{entry.pk}/", {"date": today().isoformat(), "topic": "学习条例",
                                             "minutes": "30", "note": "笔记"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.topic, entry.minutes) == ("学习条例", 30) and self_study(member) == Decimal("0.50")
    assert client.post(f"{ADD}{entry.pk}/delete/").status_code == 302
    assert not SelfStudyEntry.objects.exists() and self_study(member) == 0


@pytest.mark.parametrize("values, field", [
    ({"minutes": "0"}, "分钟"), ({"minutes": "601"}, "分钟"), ({"minutes": "１２"}, "分钟"), ({"minutes": "abc"}, "分钟"),
    ({"topic": ""}, "学习内容"), ({"topic": "长" * 201}, "学习内容"), ({"date": "2026-13-01"}, "日期"),
    ({"date": "1999-01-01"}, "日期"), ({"note": "字" * 2001}, "备注"),
])
def test_bad_input_is_refused_and_nothing_written(client, member, values, field):
    client.force_login(member)
    response = add(client, **values)
    assert response.status_code == 400
    assert field in response.content.decode()
    assert not SelfStudyEntry.objects.exists() and not HourEntry.objects.exists()


def test_future_date_refused(client, member):
    client.force_login(member)
    tomorrow = today() + datetime.timedelta(days=1)
    if tomorrow.year == today().year:
        assert add(client, date=tomorrow.isoformat()).status_code == 400


def test_past_years_stay_as_they_were(client, member):
    last_year = SelfStudyEntry.objects.create(user=member, year=today().year - 1,
                                              date=datetime.date(today().year - 1, 5, 1), topic="旧", minutes=60)
    client.force_login(member)
    assert client.post(f"{ADD}{last_year.pk}/delete/").status_code == 409
    html = client.get("/party-training/my/", {"year": today().year - 1}).content.decode()
    assert "旧" in html and "加入记录" not in html and "往年记录保持不变" in html


def test_someone_elses_line_is_404(client, member, make_user, make_org):
    other = make_user("qian", org=make_org("B2"))
    client.force_login(other)
    add(client)
    line = SelfStudyEntry.objects.get()
    client.force_login(member)
    assert client.post(f"{ADD}{line.pk}/delete/").status_code == 404
    assert client.post(f"{ADD}{line.pk}/", {"date": today().isoformat(), "topic": "x", "minutes": "5"}).status_code == 404
    assert SelfStudyEntry.objects.filter(pk=line.pk, topic="学习党章").exists()


def test_learner_text_stored_as_typed_and_escaped(client, member):
    payload = '<script>alert("x")</script>'
    client.force_login(member)
    add(client, topic=payload, note=payload)
    assert SelfStudyEntry.objects.get().topic == payload
    html = client.get("/party-training/my/").content.decode()
    assert payload not in html and "&lt;script&gt;" in html
