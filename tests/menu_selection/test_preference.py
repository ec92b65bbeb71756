"""Preference mode (menu_selection): learners rank (bad rankings refused whole), staff run the
allocation (inline, or a background job above the configured size), see the result, adjust with a
recorded reason, publish once; learners then see their seats and the gated units."""
import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from party_training.edx_plugin.core.models import JobStatus
from party_training.edx_plugin.core.tasks import run_job
from party_training.edx_plugin.menu_selection.models import Menu, MenuAllocation, MenuMove, MenuPick, MenuRanking
from party_training.edx_plugin.menu_selection.partitions import held_options, partition_id
from tests.conftest import COURSE_ID, call_handler

from .conftest import load_menu, option_olx, render

pytestmark = pytest.mark.django_db


def preference_menu():
    closes = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    return load_menu(option_olx("a", "甲", capacity=1) + option_olx("b", "乙", capacity=1)
                     + option_olx("r", "农村专题", capacity=5, extra='restricted_to="rural_member"'),
                     mode="preference", closes=closes, rank_count=2, max_picks=1)


def rank(usage_id, user, keys):
    return call_handler(usage_id, "rank", user, {"ranking": keys})


def test_bad_rankings_are_refused_whole(people):
    usage_id = preference_menu()
    alice = people["alice"]
    assert rank(usage_id, alice, ["a", "b"])[0] == 200
    for keys, status, words in ((["a", "a"], 400, "重复填报"), (["a", "zzz"], 404, "没有这个选项"),
                                (["a", "b", "r"], 400, "最多填报 2 个志愿"), (["r"], 403, "不向您的党员类别开放"),
                                ([], 400, "至少填报"), ("a", 400, "列表")):
        got, body = rank(usage_id, alice, keys)
        assert got == status and words in body["error"], (keys, body)
    assert list(MenuRanking.objects.filter(user=alice).order_by("rank").values_list("option__key", flat=True)) == ["a", "b"]
    assert call_handler(usage_id, "pick", alice, {"option": "a"})[0] == 400  # ranking, not picking


def test_allocate_adjust_publish_and_gate(people, client):
    usage_id = preference_menu()
    rank(usage_id, people["alice"], ["a", "b"])
    rank(usage_id, people["bob"], ["a"])
    rank(usage_id, people["dave"], ["a"])
    rank(usage_id, people["carol"], ["r", "a"])
    menu = Menu.objects.get()
    client.force_login(people["staff"])
    base = f"/party-training/menu/{COURSE_ID}/{menu.pk}/"
    response = client.post(base + "action/", {"action": "allocate", "seed": "42"})
    job = MenuAllocation.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.DONE and job.seed == 42
    # Alice takes her 2nd choice so that one more learner gets a seat.
    assert job.result[str(people["alice"].pk)] == ["b"] and job.result[str(people["carol"].pk)] == ["r"]
    assert sorted(len(v) for v in job.result.values()) == [0, 1, 1, 1]
    page = client.get(base + f"allocation/{job.pk}/").content.decode()
    assert "第 1 志愿" in page and "第 2 志愿" in page and "未分到" in page and "其填报的专题均已满员" in page
    left_out = next(int(u) for u, keys in job.result.items() if not keys)
    response = client.post(base + "action/", {"action": "adjust", "job": job.pk, "user": left_out, "to": "a",
                                              "reason": ""})
    assert response.status_code == 400 and "请填写调整原因" in response.content.decode()
    response = client.post(base + "action/", {"action": "adjust", "job": job.pk, "user": left_out, "to": "a",
                                              "reason": "工作需要"})
    assert response.status_code == 409 and "已满" in response.content.decode()  # a is taken by the other
    other = next(int(u) for u, keys in job.result.items() if keys == ["a"])
    client.post(base + "action/", {"action": "adjust", "job": job.pk, "user": other, "to": "", "reason": "本人申请"})
    client.post(base + "action/", {"action": "adjust", "job": job.pk, "user": left_out, "to": "a", "reason": "工作需要"})
    assert MenuMove.objects.filter(allocation=job).count() == 2
    html = render(usage_id, people["alice"])
    assert "保存我的志愿" in html and "您获得的名额" not in html  # nothing shown before publishing
    response = client.post(base + "action/", {"action": "publish", "job": job.pk})
    assert response.status_code == 409 and "关闭菜单" in response.content.decode()  # learners could still rank
    client.post(base + "action/", {"action": "close"})
    assert rank(usage_id, people["bob"], ["b"])[0] == 409
    assert client.post(base + "action/", {"action": "publish", "job": job.pk}).status_code == 302
    assert client.post(base + "action/", {"action": "publish", "job": job.pk}).status_code == 409
    assert MenuPick.objects.count() == 3
    assert partition_id("menu1", "a") in held_options(COURSE_ID, left_out)
    html = render(usage_id, people["alice"])
    assert "您获得的名额" in html and "乙" in html


@override_settings(PARTY_TRAINING={"MENU_ALLOCATION_SYNC_LEARNERS": 1})
def test_above_the_configured_size_it_runs_as_a_job_with_progress(people, client,
                                                                  django_capture_on_commit_callbacks):
    usage_id = preference_menu()
    rank(usage_id, people["alice"], ["a"])
    rank(usage_id, people["bob"], ["a", "b"])
    menu = Menu.objects.get()
    client.force_login(people["staff"])
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(f"/party-training/menu/{COURSE_ID}/{menu.pk}/action/", {"action": "allocate"})
        assert MenuAllocation.objects.get().status == JobStatus.QUEUED  # not run in the request
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    job = MenuAllocation.objects.get()
    # Celery runs eagerly in the tests: the job went through core's one job path and reported progress.
    assert job.status == JobStatus.DONE and job.done == 3 and job.total == 3 and job.summary["seats"] == 2
    run_job(MenuAllocation._meta.label_lower, job.pk)  # a second delivery of the task changes nothing
    assert MenuAllocation.objects.get().summary == job.summary
    state = client.get(f"/party-training/menu/{COURSE_ID}/{menu.pk}/allocation/{job.pk}/status/").json()
    assert state == {"status": "done", "percent": 100, "error": ""}


def test_the_result_page_shows_every_learner_page_by_page_in_constant_queries(people, client, django_user_model):
    """250 learners: three pages of 100, each learner on exactly one, the same queries on every page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    preference_menu()
    menu = Menu.objects.get()
    django_user_model.objects.bulk_create([django_user_model(username=f"ranker{n:03d}") for n in range(250)])
    ids = sorted(django_user_model.objects.filter(username__startswith="ranker").values_list("pk", flat=True))
    job = MenuAllocation.objects.create(menu=menu, requested_by=people["staff"], seed=1, status=JobStatus.DONE,
                                        result={str(uid): ["a"] if n % 2 else [] for n, uid in enumerate(ids)},
                                        summary={"histogram": {"1": 125, "0": 125}, "nothing": {}})
    client.force_login(people["staff"])
    url = f"/party-training/menu/{COURSE_ID}/{menu.pk}/allocation/{job.pk}/"
    seen, queries = [], []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url, {"page": page}).content.decode()
        queries.append(len(captured))
        seen += [n for n in range(250) if f"ranker{n:03d}<" in html]
        assert f"第 {page} 页，共 3 页" in html
    assert seen == list(range(250)) and len(set(queries)) == 1, queries
