"""Live games (现场知识竞赛): what a poll and an answer cost for the whole request (the demo LMS's
middleware, session and user included), the players' poll tokens, and the shared part of the state
built once per game state."""
import json
from urllib.parse import unquote

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from party_training.edx_plugin.knowledge_contest import live_games, live_tokens
from party_training.edx_plugin.knowledge_contest.models import LivePlayer

from tests.conftest import call_handler

from .test_block import leaks
from .test_live_game import (  # noqa: F401  (contest and people: the fixtures)
    contest, control, current_question, get_state, make_extra, open_game, people, right, wrong,
)

pytestmark = pytest.mark.django_db
# Savepoints are an artefact of the test's own transaction: in the LMS (autocommit) the answer's
# transaction is the outermost one and costs no statement of its own.
TEST_ONLY = ("SAVEPOINT", "RELEASE SAVEPOINT")
TRANSACTION = ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")  # SQLite opens with BEGIN IMMEDIATE (demo.settings)


@pytest.fixture
def game(contest, people):
    game_id = open_game(contest, people["host"])
    for name in ("a", "b", "c"):
        assert call_handler(contest, "live_join", people[name], {"game": game_id})[0] == 200
    control(contest, people["host"], game_id, "next")
    return game_id


def poll_address(contest, user, game_id) -> str:
    return get_state(contest, user, game_id)[1]["poll_url"] + f"&game={game_id}"


def test_a_304_poll_costs_one_query_for_the_whole_request(contest, people, game):
    address = poll_address(contest, people["a"], game)
    phone = Client()  # no session at all: the token says who polls
    first = phone.get(address)
    assert first.status_code == 200 and not leaks(json.loads(first.content))
    with CaptureQueriesContext(connection) as queries:
        again = phone.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert len(queries) == 1, [q["sql"][:90] for q in queries.captured_queries]
    assert "party_training_liveplayer" in queries.captured_queries[0]["sql"]  # the player: the role check
    for extra in range(3):  # the same whatever the number of players
        live_games.join_game(game, make_extra(extra).pk)
    with CaptureQueriesContext(connection) as queries:
        assert phone.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert len(queries) == 1


def test_a_full_poll_of_a_built_state_costs_one_query_and_is_personal(contest, people, game):
    question = current_question(game)
    live_games.answer(contest, game, people["a"].pk, 0, right(question))
    live_games.answer(contest, game, people["b"].pk, 0, wrong(question))
    live_games.control(contest, game, "skip")  # the reveal
    cache.clear()
    phones = {name: (Client(), poll_address(contest, people[name], game)) for name in ("a", "b", "c")}
    cache.clear()
    with CaptureQueriesContext(connection) as built:
        body = json.loads(phones["a"][0].get(phones["a"][1]).content)
    assert body["phase"] == "reveal" and body["me"]["correct"] is True and body["me"]["rank"] == 1
    costs = []
    for name in ("b", "c"):
        with CaptureQueriesContext(connection) as queries:
            mine = json.loads(phones[name][0].get(phones[name][1]).content)
        costs.append(len(queries))
        assert [row["me"] for row in mine["players"]].count(True) == 1
    assert len(built) > 1 and costs == [1, 1], (len(built), costs)  # built once, then shared
    assert mine["me"] == {"answered": False, "response": None, "score": 0.0, "bonus": 0.0, "total": 0.0,
                          "rank": 2, "correct": 0, "streak": 0}
    by_b = json.loads(phones["b"][0].get(phones["b"][1]).content)["me"]
    assert by_b["answered"] and by_b["correct"] is False and by_b["response"] == wrong(question)
    assert by_b["rank"] == 2  # a ahead; b and c tie with no points
    assert mine["distribution"]["answered"] == 2 and "_totals" not in mine


def test_the_token_reads_one_game_as_one_player_and_nothing_else(contest, people, game):
    address = poll_address(contest, people["a"], game)
    token = unquote(address.split("t=")[1].split("&")[0])
    player_a = LivePlayer.objects.get(game_id=game, user=people["a"]).pk
    assert live_tokens.player_of_token(token, game) == player_a
    assert live_tokens.player_of_token(token, game + 1) is None
    phone = Client()
    assert phone.get(address).status_code == 200
    assert phone.get(address.replace(f"/games/{game}/", f"/games/{game + 1}/")).status_code == 403  # another game
    forged = signing.TimestampSigner(salt="another").sign(f"{game}.{player_a}")
    assert phone.get(f"/party-training/contest/games/{game}/state.json", {"t": forged}).status_code == 403
    changed = token.replace(f"{game}.{player_a}", f"{game}.{player_a + 1}")  # another player, same signature
    assert phone.get(f"/party-training/contest/games/{game}/state.json", {"t": changed}).status_code == 403
    assert phone.get(f"/party-training/contest/games/{game}/state.json").status_code == 401  # no token, no session
    LivePlayer.objects.filter(pk=player_a).delete()  # the player row gone: the token reads nothing
    assert phone.get(address).status_code == 403


def test_an_expired_token_is_refused(contest, people, game, monkeypatch):
    address = poll_address(contest, people["a"], game)
    monkeypatch.setattr(live_tokens, "MAX_AGE", -1)
    assert Client().get(address).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_an_answer_costs_at_most_six_queries_for_the_whole_request(contest, people, game):
    """With no test transaction around it, as in the LMS: the session with its user and role (one
    query, demo.sessions), then the answer's own three (the player with the game, the player's
    conditional update, the answer's insert): four statements. The answer's transaction adds its
    BEGIN and COMMIT, which Django logs as well (on SQLite and on MySQL): 6 in all, the goal."""
    question = current_question(game)
    client = Client()
    client.force_login(people["b"])
    with CaptureQueriesContext(connection) as queries:
        reply = client.post(f"/xblock/{contest}/handler/live_answer", json.dumps(
            {"game": game, "position": 0, "response": right(question)}), content_type="application/json")
    assert reply.status_code == 200, reply.content
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [text for text in sql if text.startswith(TEST_ONLY)]  # no savepoint: nothing nests it
    work = [text for text in sql if not text.startswith(TRANSACTION)]  # BEGIN IMMEDIATE on SQLite
    assert len(work) == 4, [text[:60] for text in work]
    assert len(sql) - len(work) <= 2 and len(sql) <= 6  # BEGIN and COMMIT of the answer's one transaction
