"""Live games (现场知识竞赛) through the block's handlers and the area's rules: roles, no answer before
the reveal, the server's deadline, one answer per question, scoring options, pause/skip/end,
rejoining, 304 polls, results into the contest's records, the PIN page, the export, XSS."""
import datetime
import io
import json

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo.models import BlockEvent
from party_training.edx_plugin.core.models import HourEntry
from party_training.edx_plugin.knowledge_contest import live_games, live_payloads
from party_training.edx_plugin.knowledge_contest.live_scoring import answer_points
from party_training.edx_plugin.knowledge_contest.models import (
    ContestAnswer, ContestAttempt, ContestResult, LiveAnswer, LiveGame, LivePlayer,
)
from tests.conftest import call_handler, load_block

from .conftest import contest_olx
from .test_block import leaks

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def right(question: dict) -> list:
    return ["mixed case"] if question["qtype"] == "fill_blank" else list(question["answer"])


def wrong(question: dict) -> list:
    if question["qtype"] == "fill_blank":
        return ["nope"]
    if question["qtype"] == "true_false":
        return ["F" if question["answer"] == ["T"] else "T"]
    return ["D"] if "D" not in question["answer"] else ["A"] if "A" not in question["answer"] else ["B"]


@pytest.fixture
def contest(make_bank):
    make_bank("bank", size=12)
    return load_block(contest_olx(count=4, weight="5", hours="1", hours_when="finish"))


@pytest.fixture
def people(make_user, make_org):
    first, second = make_org("B1", "第一支部"), make_org("B2", "第二支部")
    return {"host": make_user("host", course_staff=True), "a": make_user("a", org=first),
            "b": make_user("b", org=first), "c": make_user("c", org=second)}


def get_state(usage_id, user, game, since="", client=None):
    if client is None:
        client = Client()
        client.force_login(user)
    headers = {"HTTP_IF_NONE_MATCH": since} if since else {}
    response = client.get(f"/xblock/{usage_id}/handler/live_state", {"game": game}, **headers)
    return response.status_code, (json.loads(response.content) if response.content else None)


def open_game(usage_id, host, **options):
    status, opened = call_handler(usage_id, "live_open", host, {"seconds": 20, **options})
    assert status == 200, opened
    return opened["game"]


def control(usage_id, host, game, action):
    status, body = call_handler(usage_id, "live_control", host, {"game": game, "action": action})
    assert status == 200, body
    return body


def current_question(game_id) -> dict:
    game = LiveGame.objects.get(pk=game_id)
    return game.questions[game.position]


@pytest.mark.django_db
def test_roles_learner_cannot_host_and_anonymous_cannot_play(contest, people):
    assert call_handler(contest, "live_open", people["a"], {})[0] == 403
    game = open_game(contest, people["host"])
    for handler, data in (("live_control", {"game": game, "action": "next"}),):
        status, body = call_handler(contest, handler, people["a"], data)
        assert status == 403 and body["error"]
    assert call_handler(contest, "live_host_state", people["a"], {"game": game}, method="GET")[0] == 403
    assert call_handler(contest, "live_projector", people["a"], {"game": game}, method="GET")[0] == 403
    assert call_handler(contest, "live_export", people["a"], {"game": game}, method="GET")[0] == 403
    assert call_handler(contest, "live_join", None, {"game": game})[0] == 403
    assert call_handler(contest, "live_state", None, {"game": game}, method="GET")[0] == 403
    assert LiveGame.objects.get(pk=game).position == -1  # nothing moved


@pytest.mark.django_db
def test_full_game_no_leak_before_reveal_then_results_feed_the_contest(contest, people,
                                                                     django_capture_on_commit_callbacks):
    game = open_game(contest, people["host"], podium=2)
    assert open_game(contest, people["host"]) == game  # one open game per block
    for name in ("a", "b", "c"):
        status, state = call_handler(contest, "live_join", people[name], {"game": game})
        assert status == 200 and state["joined"] and state["phase"] == "lobby"
    control(contest, people["host"], game, "next")
    seen = []
    count = LiveGame.objects.get(pk=game).questions.__len__()
    for position in range(count):
        question = current_question(game)
        status, state = get_state(contest, people["a"], game)
        seen.append(state)
        for name, response in (("a", right(question)), ("b", wrong(question))):
            status, reply = call_handler(contest, "live_answer", people[name],
                                         {"game": game, "position": position, "response": response})
            assert status == 200, reply
            seen.append(reply)
        again = call_handler(contest, "live_answer", people["a"],
                             {"game": game, "position": position, "response": right(question)})
        assert again[0] == 409 and again[1]["code"] == "answered"
        seen.append(get_state(contest, people["b"], game)[1])
        # Every response a learner got while the question was open: no answer, no explanation.
        for payload in seen:
            assert not leaks(payload), leaks(payload)
        seen.clear()
        control(contest, people["host"], game, "skip")  # the countdown closes now: reveal
        status, state = get_state(contest, people["a"], game)
        assert state["phase"] == "reveal"
        assert state["question"]["answer"] == question["answer"] and state["me"]["correct"] is True
        assert sum(state["distribution"]["counts"]) >= 2 and state["distribution"]["answered"] == 2
        assert [row["me"] for row in state["players"]][:1] == [True]
        if position + 1 < count:
            control(contest, people["host"], game, "next")
    with django_capture_on_commit_callbacks(execute=True):  # the results job runs once the end commits
        control(contest, people["host"], game, "next")  # after the last question: the podium
    status, state = get_state(contest, people["a"], game)
    assert state["phase"] == "ended" and len(state["podium"]["players"]) == 2
    assert state["podium"]["branches"][0]["name"] == "第一支部"
    # The results are the contest's: attempts with answers, counted results, hours, the grade.
    result = ContestResult.objects.get(usage_id=contest, user=people["a"])
    attempt = ContestAttempt.objects.get(pk=result.attempt_id)
    assert attempt.rules["live_game"] == game and attempt.correct_count == count
    assert attempt.score <= attempt.max_score == 1000 * count
    assert ContestAnswer.objects.filter(attempt=attempt).count() == count
    assert not ContestResult.objects.filter(usage_id=contest, user=people["c"]).exists()  # never answered
    assert HourEntry.objects.filter(user=people["a"], usage_id=contest).count() == 1
    # The grade is in the gradebook (edx-submissions) at the end, not at the learner's next visit.
    score = gradebook_score(contest, people["a"])
    assert score["points_possible"] == 1000 * count
    assert score["points_earned"] == round(min(1.0, result.total / result.max_score) * 1000 * count)
    assert gradebook_score(contest, people["c"]) is None  # never answered: no score
    assert LiveGame.objects.get(pk=game).pin is None  # the PIN is free again


@pytest.mark.django_db
def test_server_deadline_position_and_pause(contest, people):
    game_id = open_game(contest, people["host"])
    live_games.join_game(game_id, people["a"].pk)
    live_games.join_game(game_id, people["b"].pk)
    start = timezone.now()
    game = live_games.control(contest, game_id, "next", now=start)
    question = game.questions[0]
    late = start + datetime.timedelta(seconds=20)
    with pytest.raises(live_games.ContestError) as refused:
        live_games.answer(contest, game_id, people["a"].pk, 0, right(question), now=late)
    assert refused.value.code == "closed"
    with pytest.raises(live_games.ContestError):
        live_games.answer(contest, game_id, people["a"].pk, 1, right(question), now=start)  # not the open one
    live_games.control(contest, game_id, "pause", now=start + datetime.timedelta(seconds=5))
    with pytest.raises(live_games.ContestError) as refused:
        live_games.answer(contest, game_id, people["a"].pk, 0, right(question), now=start + datetime.timedelta(seconds=6))
    assert refused.value.code == "paused"
    with pytest.raises(live_games.ContestError):
        live_games.control(contest, game_id, "next", now=start + datetime.timedelta(seconds=7))
    resumed_at = start + datetime.timedelta(seconds=65)
    game = live_games.control(contest, game_id, "resume", now=resumed_at)
    assert game.deadline == resumed_at + datetime.timedelta(seconds=15)  # the 15 s left before the pause
    # The pause does not count as answer time: 1 s after resuming, 6 s of the 20 are used.
    live_games.answer(contest, game_id, people["a"].pk, 0, right(question), now=resumed_at + datetime.timedelta(seconds=1))
    assert LiveAnswer.objects.get(player__user=people["a"]).elapsed_ms == 6000
    assert live_payloads.game_state(LiveGame.objects.get(pk=game_id), resumed_at)["phase"] == "question"
    assert live_payloads.game_state(LiveGame.objects.get(pk=game_id), game.deadline)["phase"] == "reveal"


class _Q:
    def __init__(self, qtype="single", answer=("B",), options=("a", "b", "c", "d")):
        self.qtype, self.answer, self.options = qtype, list(answer), list(options)


def test_scoring_options():
    rules = {"points": 1000, "seconds": 20, "speed": "kahoot", "streak": False}
    assert answer_points(_Q(), ["B"], rules, 0, 0).points == 1000
    assert answer_points(_Q(), ["B"], rules, 10000, 0).points == 750  # Kahoot: 1000 × (1 − (10/20)/2)
    assert answer_points(_Q(), ["B"], rules, 20000, 0).points == 500
    assert answer_points(_Q(), ["A"], rules, 0, 3) == answer_points(_Q(), ["A"], rules, 0, 0)  # wrong: 0, streak 0
    assert answer_points(_Q(), ["A"], rules, 0, 3).points == 0
    assert answer_points(_Q(), ["B"], rules, 0, 4).bonus == 0  # streak bonus off by default
    flat = {**rules, "speed": "flat", "streak": True}
    assert answer_points(_Q(), ["B"], flat, 19000, 0).points == 1000
    assert answer_points(_Q(), ["B"], flat, 0, 0).bonus == 0  # the first right answer has no streak
    assert answer_points(_Q(), ["B"], flat, 0, 2).bonus == 200
    assert answer_points(_Q(), ["B"], flat, 0, 40).bonus == 500  # capped


@pytest.mark.django_db
def test_options_are_checked_with_the_field_named(contest, people):
    status, body = call_handler(contest, "live_open", people["host"], {"seconds": 2})
    assert status == 400 and "5" in body["error"] and "240" in body["error"]
    status, body = call_handler(contest, "live_open", people["host"], {"speed": "turbo"})
    assert status == 400
    status, body = call_handler(contest, "live_open", people["host"], {"streak": "yes"})
    assert status == 400
    assert not LiveGame.objects.exists()


@pytest.mark.django_db
def test_reload_rejoin_keeps_score_and_late_joiner_plays_from_current(contest, people):
    game_id = open_game(contest, people["host"], speed="flat")
    call_handler(contest, "live_join", people["a"], {"game": game_id})
    control(contest, people["host"], game_id, "next")
    question = current_question(game_id)
    call_handler(contest, "live_answer", people["a"], {"game": game_id, "position": 0, "response": right(question)})
    # A reload: the page asks for the block's open game and gets the learner's own answer back.
    status, state = call_handler(contest, "live_state", people["a"], {}, method="GET")
    assert state["game"] == game_id and state["joined"] and state["me"]["answered"]
    assert state["me"]["response"] == right(question) if question["qtype"] != "fill_blank" else True
    call_handler(contest, "live_join", people["a"], {"game": game_id})  # joining again changes nothing
    assert LivePlayer.objects.filter(game_id=game_id, user=people["a"]).count() == 1
    control(contest, people["host"], game_id, "skip")
    control(contest, people["host"], game_id, "next")
    status, state = call_handler(contest, "live_join", people["c"], {"game": game_id})
    assert state["position"] == 1 and state["phase"] == "question"
    question = current_question(game_id)
    assert call_handler(contest, "live_answer", people["c"],
                        {"game": game_id, "position": 1, "response": right(question)})[0] == 200
    assert LivePlayer.objects.get(game_id=game_id, user=people["a"]).score == 1000


@pytest.mark.django_db
def test_poll_304_costs_one_query_and_full_poll_is_bounded(contest, people):
    game_id = open_game(contest, people["host"])
    for name in ("a", "b", "c"):
        live_games.join_game(game_id, people[name].pk)
    control(contest, people["host"], game_id, "next")
    status, state = get_state(contest, people["a"], game_id)
    with CaptureQueriesContext(connection) as queries:
        assert live_games.poll_etag(contest, game_id, timezone.now()) == state["etag"]
    assert len(queries) == 1
    client = Client()
    client.force_login(people["a"])
    with CaptureQueriesContext(connection) as queries:
        status, body = get_state(contest, people["a"], game_id, since=state["etag"], client=client)
    assert status == 304 and body is None
    # The handler's own query is the game's version; the rest are the demo LMS's session, user and role.
    own = [q for q in queries.captured_queries if "party_training_livegame" in q["sql"]]
    assert len(own) == 1 and len(queries) <= 4, [q["sql"][:80] for q in queries.captured_queries]
    control(contest, people["host"], game_id, "skip")
    counts = []
    for extra in range(2):
        with CaptureQueriesContext(connection) as queries:
            status, body = get_state(contest, people["a"], game_id, since=state["etag"], client=client)
        assert status == 200 and body["phase"] == "reveal"
        counts.append(len(queries))
        live_games.join_game(game_id, make_extra(extra).pk)
    assert counts[0] == counts[1] <= 11, counts  # the reveal (chart, boards, my rank): constant in players


def gradebook_score(usage_id, user):
    """The learner's score in edx-submissions, which the LMS's gradebook reads (the demo has no anonymous
    ids, so the student id is the user id)."""
    from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel
    return submissions_api.get_score({"student_id": str(user.pk), "course_id": "course-v1:TestOrg+T101+2026",
                                      "item_id": usage_id, "item_type": "knowledge_contest"})


def make_extra(index):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    return get_user_model().objects.create(username=f"extra{index}")


@pytest.mark.django_db
def test_answer_runs_three_queries(contest, people):
    game_id = open_game(contest, people["host"])
    live_games.join_game(game_id, people["a"].pk)
    live_games.control(contest, game_id, "next")
    question = current_question(game_id)
    with CaptureQueriesContext(connection) as queries:
        live_games.answer(contest, game_id, people["a"].pk, 0, right(question))
    assert len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]) == 3
    # Through the demo LMS: its session with the user and role (one query), then those three.
    client = Client()
    client.force_login(people["b"])
    live_games.join_game(game_id, people["b"].pk)
    with CaptureQueriesContext(connection) as queries:
        status, _body = client.post(f"/xblock/{contest}/handler/live_answer", json.dumps(
            {"game": game_id, "position": 0, "response": right(question)}), content_type="application/json"), None
    assert status.status_code == 200
    assert len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]) <= 4


@pytest.mark.django_db
def test_pin_page_leads_to_the_unit(contest, people):
    game_id = open_game(contest, people["host"])
    pin = LiveGame.objects.get(pk=game_id).pin
    client = Client()
    assert client.get(f"/party-training/contest/join/?pin={pin}").status_code == 302  # to the login
    client.force_login(people["a"])
    response = client.get(f"/party-training/contest/join/?pin={pin}")
    assert response.status_code == 302 and "/jump_to/" in response["Location"]
    assert client.get(response["Location"]).status_code == 302  # the demo's jump_to: to the unit
    assert client.get(response["Location"], follow=True).status_code == 200
    refused = client.get("/party-training/contest/join/?pin=000000" if pin != "000000" else "?pin=111111")
    assert refused.status_code == 404
    assert client.get("/party-training/contest/join/").status_code == 200


@pytest.mark.django_db
def test_xss_in_title_and_typed_answers_stays_text(make_bank, people):
    make_bank("bank", size=4, types=("fill_blank",))
    usage_id = load_block(contest_olx(url_name="xss", count=2).replace('display_name="竞赛"',
                          'display_name="&lt;script&gt;alert(1)&lt;/script&gt;"'))
    game_id = open_game(usage_id, people["host"])
    live_games.join_game(game_id, people["a"].pk)
    live_games.control(usage_id, game_id, "next")
    live_games.answer(usage_id, game_id, people["a"].pk, 0, [XSS])
    assert LiveAnswer.objects.get().response == [XSS.strip()]  # stored as typed
    status, page = call_handler(usage_id, "live_projector", people["host"], {"game": game_id}, method="GET")
    assert status == 200 and "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    live_games.end_game(usage_id, game_id)
    client = Client()
    client.force_login(people["host"])
    content = client.get(f"/xblock/{usage_id}/handler/live_export", {"game": game_id}).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.worksheets[0].cell(2, 2).value == "a"
    assert book.worksheets[0].cell(2, 2).data_type == "s"


@pytest.mark.django_db
def test_export_shows_score_bonus_and_a_true_maximum(contest, people, django_capture_on_commit_callbacks):
    game_id = open_game(contest, people["host"], streak=True, speed="flat")
    live_games.join_game(game_id, people["a"].pk)
    for position in range(3):
        live_games.control(contest, game_id, "next")
        live_games.answer(contest, game_id, people["a"].pk, position, right(current_question(game_id)))
        live_games.control(contest, game_id, "skip")
    with django_capture_on_commit_callbacks(execute=True):
        live_games.end_game(contest, game_id)
    client = Client()
    client.force_login(people["host"])
    response = client.get(f"/xblock/{contest}/handler/live_export", {"game": game_id})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    row = [cell.value for cell in sheet[2]]
    assert row[4] == 3000 and row[5] == 3000 and row[6] == 100 and row[7] == 300 and row[8] == 3300
    result = ContestResult.objects.get(user=people["a"], usage_id=contest)
    assert result.max_score == 3000 and result.total == 3300



@pytest.mark.django_db
def test_plugin_poll_view_by_session_for_players_only(contest, people):
    game_id = open_game(contest, people["host"])
    live_games.join_game(game_id, people["a"].pk)
    live_games.join_game(game_id, people["b"].pk)
    control(contest, people["host"], game_id, "next")
    status, state = get_state(contest, people["a"], game_id)
    # The phones' address carries their poll token (tests/knowledge_contest/test_live_polls.py); here
    # the same view without it, through the session as any page.
    base = state["poll_url"].split("?")[0]
    assert base == f"/party-training/contest/games/{game_id}/state.json" and "?t=" in state["poll_url"]
    client = Client()
    client.force_login(people["a"])
    full = client.get(base)
    assert full.status_code == 200 and full["ETag"] == state["etag"] and not leaks(json.loads(full.content))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(base, HTTP_IF_NONE_MATCH=state["etag"])
    assert again.status_code == 304 and again.content == b""
    assert len(queries) == 2  # session with its user (demo.sessions), and the one that checks the player and reads the version
    outsider = Client()
    outsider.force_login(people["c"])  # not a player of this game
    assert outsider.get(base).status_code == 403
    assert Client().get(base).status_code == 401  # neither a token nor a session
    # The reveal is built once and shared: the second player's full poll costs less than the first's.
    control(contest, people["host"], game_id, "skip")
    cache.clear()  # (the host's reply already built it)
    with CaptureQueriesContext(connection) as first:
        assert client.get(base).status_code == 200
    other = Client()
    other.force_login(people["b"])
    with CaptureQueriesContext(connection) as second:
        body = json.loads(other.get(base).content)
    assert body["phase"] == "reveal" and len(second) < len(first)
    assert [row["me"] for row in body["players"]].count(True) == 1


@pytest.mark.django_db
def test_host_sees_who_joined_by_branch(contest, people):
    game_id = open_game(contest, people["host"])
    for name in ("a", "b", "c"):
        call_handler(contest, "live_join", people[name], {"game": game_id})
    status, state = call_handler(contest, "live_host_state", people["host"], {"game": game_id}, method="GET")
    assert status == 200 and state["joined_count"] == 3
    assert {g["branch"]: sorted(g["names"]) for g in state["joined"]} == {"第一支部": ["a", "b"], "第二支部": ["c"]}
    assert state["pin"] and state["qr_svg"].startswith("<svg") and f"pin={state['pin']}" in state["join_url"]
