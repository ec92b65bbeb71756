"""Concurrent picks, drops and promotions on MariaDB (threads, each with its own connection, through
the handler endpoint): seats are never oversubscribed, the others are wait-listed or refused with a
clear message, no server error; drops promote the first waiting learners, nobody lost, nobody twice."""
import pytest
from django.contrib.auth import get_user_model

from party_training.edx_plugin.menu_selection.models import MenuOption, MenuPick, PickStatus

from tests.conftest import race_handlers

from .conftest import load_menu, option_olx

pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]
THREADS = 24


def hammer(calls, threads=THREADS):
    """Post (user, usage_id, handler, data) calls over ``threads`` threads; returns the (status, body) list."""
    return race_handlers(calls, threads)


def learners(n, prefix):
    User = get_user_model()
    User.objects.bulk_create([User(username=f"{prefix}{i}") for i in range(n)])
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def test_160_concurrent_picks_for_5_seats(people):
    usage_id = load_menu(option_olx("a", "甲", capacity=5))
    results = hammer([(user, usage_id, "pick", {"option": "a"}) for user in learners(160, "p")])
    assert sorted({status for status, _ in results}) == [200]
    assert sum(body["status"] == "seated" for _, body in results) == 5
    assert sum(body["status"] == "waiting" for _, body in results) == 155
    assert MenuOption.objects.get(key="a").taken == 5
    assert MenuPick.objects.filter(status=PickStatus.SEATED).count() == 5


def test_without_a_waiting_list_the_rest_are_refused_clearly(people):
    usage_id = load_menu(option_olx("a", "甲", capacity=5), waitlist="false")
    results = hammer([(user, usage_id, "pick", {"option": "a"}) for user in learners(100, "r")])
    assert sorted(status for status, _ in results).count(200) == 5
    refused = [body for status, body in results if status != 200]
    assert len(refused) == 95 and all(body["error"] == "“甲”已满。" for body in refused)
    assert MenuOption.objects.get(key="a").taken == 5 == MenuPick.objects.count()


def test_concurrent_drops_promote_the_first_waiting_once(people):
    usage_id = load_menu(option_olx("a", "甲", capacity=5))
    seated, waiting, late = learners(5, "s"), learners(20, "w"), learners(30, "l")
    hammer([(u, usage_id, "pick", {"option": "a"}) for u in seated], threads=1)
    hammer([(u, usage_id, "pick", {"option": "a"}) for u in waiting], threads=1)  # in this order
    calls = [(u, usage_id, "drop", {"option": "a"}) for u in seated] + \
            [(u, usage_id, "pick", {"option": "a"}) for u in late] + \
            [(u, usage_id, "drop", {"option": "a"}) for u in waiting[10:13]]
    results = hammer(calls)
    assert sorted({status for status, _ in results}) == [200], results
    now_seated = set(MenuPick.objects.filter(status=PickStatus.SEATED).values_list("user_id", flat=True))
    assert now_seated == {u.pk for u in waiting[:5]}  # the first five who waited, nobody else
    assert MenuOption.objects.get(key="a").taken == 5
    assert MenuPick.objects.filter(promoted_at__isnull=False).count() == 5
    # Nobody lost: every learner who did not drop is seated or waiting, exactly once.
    kept = {u.pk for u in waiting[:10] + waiting[13:] + late}
    active = list(MenuPick.objects.filter(status__in=(PickStatus.SEATED, PickStatus.WAITING))
                  .values_list("user_id", flat=True))
    assert sorted(active) == sorted(kept)


def test_one_learner_picking_several_options_at_once_keeps_the_maximum(people):
    """The same learner sends picks of eight options at once with a maximum of two: two are taken,
    the others refused with the maximum's message, and the seats counted match the picks."""
    options = "".join(option_olx(key, key, capacity=50) for key in "abcdefgh")
    usage_id = load_menu(options, max_picks="2")
    learner = people["alice"]
    results = hammer([(learner, usage_id, "pick", {"option": key}) for key in "abcdefgh"], threads=8)
    assert sorted(status for status, _ in results) == [200, 200] + [400] * 6, results
    assert MenuPick.objects.filter(user=learner, status=PickStatus.SEATED).count() == 2
    assert sum(MenuOption.objects.values_list("taken", flat=True)) == 2


def test_one_learner_picking_overlapping_options_at_once_gets_one(people):
    """Eight options at the same hour, no overlap allowed, room for three picks: the learner's eight
    picks sent at once take exactly one (decided one after the other by the learner's turn),
    the others are refused with the overlap rule, and no seat is counted without its pick."""
    same_hour = 'starts="2026-06-02T09:00" ends="2026-06-02T12:00"'
    options = "".join(option_olx(key, key, capacity=50, extra=same_hour) for key in "abcdefgh")
    usage_id = load_menu(options, max_picks="3", no_overlap="true")
    learner = people["alice"]
    results = hammer([(learner, usage_id, "pick", {"option": key}) for key in "abcdefgh"], threads=8)
    assert sorted(status for status, _ in results) == [200] + [400] * 7, results
    assert all("时间冲突" in body["error"] for status, body in results if status == 400), results
    assert MenuPick.objects.filter(user=learner, status=PickStatus.SEATED).count() == 1
    assert sum(MenuOption.objects.values_list("taken", flat=True)) == 1


def test_learners_picking_several_options_while_others_take_the_last_seats(people):
    """Two options with three seats each; 8 learners each send picks of both at once (max one pick),
    while 16 others pick one each: each learner ends with at most one pick, seats are never counted
    twice or lost, and the waiting lists hold exactly the rest."""
    usage_id = load_menu(option_olx("a", "甲", capacity=3) + option_olx("b", "乙", capacity=3), max_picks="1")
    doubles, singles = learners(8, "dbl"), learners(16, "sgl")
    calls = [(u, usage_id, "pick", {"option": key}) for u in doubles for key in "ab"] + \
            [(u, usage_id, "pick", {"option": "ab"[n % 2]}) for n, u in enumerate(singles)]
    results = hammer(calls, threads=8)
    assert {status for status, _ in results} <= {200, 400}, results
    active = MenuPick.objects.filter(status__in=(PickStatus.SEATED, PickStatus.WAITING))
    per_user = {}
    for user_id in active.values_list("user_id", flat=True):
        per_user[user_id] = per_user.get(user_id, 0) + 1
    assert set(per_user.values()) == {1} and len(per_user) == 24  # everyone got exactly one pick
    for option in MenuOption.objects.all():
        seated = MenuPick.objects.filter(option=option, status=PickStatus.SEATED).count()
        assert option.taken == seated == 3
    assert sum(status == 200 for status, _ in results) == 24


def test_one_learner_dropping_and_picking_at_once_keeps_the_maximum(people):
    """A learner with two picks of a maximum of two drops one while picking three others at once: at
    most two picks stay active whatever the order, and every option's seats match its picks."""
    options = "".join(option_olx(key, key, capacity=50) for key in "abcde")
    usage_id = load_menu(options, max_picks="2")
    learner = people["alice"]
    for key in "ab":
        assert race_handlers([(learner, usage_id, "pick", {"option": key})], 1)[0][0] == 200
    calls = [(learner, usage_id, "drop", {"option": "a"})] + [(learner, usage_id, "pick", {"option": key})
                                                             for key in "cde"]
    results = hammer(calls, threads=4)
    assert all(status in (200, 400, 409) for status, _ in results), results
    active = MenuPick.objects.filter(user=learner, status__in=[PickStatus.SEATED, PickStatus.WAITING])
    assert active.count() <= 2 and active.filter(option__key="b").exists()
    for option in MenuOption.objects.all():
        assert option.taken == MenuPick.objects.filter(option=option, status=PickStatus.SEATED).count(), option.key
