"""Live games racing on real row locks (MariaDB): many players answering at once lose nothing, one
player answering from several devices at once counts once, joining twice at once makes one player,
and ending twice at once writes the results once."""
import pytest

from party_training.edx_plugin.knowledge_contest import live_games
from party_training.edx_plugin.knowledge_contest.config import ContestConfig, ContestError, DrawRule
from party_training.edx_plugin.knowledge_contest.models import ContestAttempt, LiveAnswer, LivePlayer
from tests.conftest import race, run_together

USAGE = "block-v1:TestOrg+T101+2026+type@knowledge_contest+block@live_race"
THREADS = 16


def open_started_game(make_bank, host):
    make_bank("bank", size=8, types=("single",))
    config = ContestConfig(course_id="course-v1:TestOrg+T101+2026", usage_id=USAGE, draw_rules=[DrawRule("bank", 3)])
    game = live_games.open_game(config, host.pk, "race", live_games.GameOptions(seconds=60))
    return game


def answer_call(game_id, user_id, response):
    def call():
        try:
            return live_games.answer(USAGE, game_id, user_id, 0, response)["answered"]
        except ContestError as exc:
            return exc.code
    return call


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_many_players_at_once_lose_nothing(make_bank, make_user):
    game = open_started_game(make_bank, make_user("host", course_staff=True))
    players = [make_user(f"p{i}") for i in range(THREADS)]
    joined, errors = run_together([lambda u=u: live_games.join_game(game.pk, u.pk).pk for u in players])
    assert not errors, errors
    live_games.control(USAGE, game.pk, "next")
    answer = ["B"]
    results, errors = run_together([answer_call(game.pk, u.pk, answer) for u in players])
    assert not errors, errors
    assert results == [True] * THREADS
    assert LiveAnswer.objects.filter(game=game).count() == THREADS
    assert sorted(LivePlayer.objects.filter(game=game).values_list("answered_count", flat=True)) == [1] * THREADS


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_one_player_on_several_devices_counts_once(make_bank, make_user):
    game = open_started_game(make_bank, make_user("host", course_staff=True))
    player = make_user("twice")
    ids, errors = race(lambda: live_games.join_game(game.pk, player.pk).pk, 6)
    assert not errors, errors
    assert len(set(ids)) == 1 and LivePlayer.objects.filter(game=game).count() == 1
    live_games.control(USAGE, game.pk, "next")
    results, errors = race(answer_call(game.pk, player.pk, ["B"]), 6)
    assert not errors, errors
    assert results.count(True) == 1 and results.count("answered") == 5
    stored = LivePlayer.objects.get(game=game, user=player)
    assert stored.answered_count == 1 and LiveAnswer.objects.filter(player=stored).count() == 1


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_ending_twice_at_once_writes_results_once(make_bank, make_user):
    game = open_started_game(make_bank, make_user("host", course_staff=True))
    player = make_user("ender")
    live_games.join_game(game.pk, player.pk)
    live_games.control(USAGE, game.pk, "next")
    live_games.answer(USAGE, game.pk, player.pk, 0, ["B"])

    def end():
        try:
            live_games.end_game(USAGE, game.pk)
            return "done"
        except ContestError as exc:
            return exc.code
    results, errors = race(end, 4)
    assert not errors, errors
    assert results.count("done") == 1 and results.count("ended") == 3
    assert ContestAttempt.objects.filter(usage_id=USAGE, user=player).count() == 1
