"""The block through the demo LMS's handler endpoint: flow, leaks, roles, grades, OLX, editor, queries."""
import datetime
import json
from decimal import Decimal

import pytest
from lxml import etree
from xblock.core import XBlock

from demo.models import BlockEvent, CourseUnit
from party_training.edx_plugin.knowledge_contest.models import ContestAttempt, ContestResult, Question
from party_training.xblocks.olx import OLXError
from tests.conftest import COURSE_ID, call_handler, export_olx, get_block, handler_queries, load_block

from .conftest import SECRET_BLANK, SECRET_EXPLANATION, contest_olx, make_question

LEAK_KEYS = {"answer", "explanation", "is_correct", "correct", "points"}


def leaks(payload) -> list[str]:
    """Keys or texts in a learner response that would reveal answers or explanations."""
    found = []
    text = json.dumps(payload, ensure_ascii=False)
    if SECRET_EXPLANATION in text:
        found.append("explanation text")
    if SECRET_BLANK in text.lower():
        found.append("accepted blank answer")

    def walk(value):
        if isinstance(value, dict):
            found.extend(f"key {k}" for k in value if k in LEAK_KEYS)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(payload)
    return found


def correct_response(question):
    # For blanks, the learner types the second accepted form so the first can mark a leak.
    return ["mixed case"] if question.qtype == "fill_blank" else list(question.answer)


@pytest.fixture
def contest(make_bank):
    make_bank("bank", size=12)
    return load_block(contest_olx(count=8, weight="5", hours="1", hours_when="finish"))


@pytest.mark.django_db
def test_full_flow_without_any_leak_before_close(contest, make_user, make_org):
    branch = make_org("B1", "第一支部")
    learner = make_user("flow", org=branch)
    responses = []
    status, state = call_handler(contest, "state", learner, {})
    responses.append(state)
    assert status == 200 and state["can_start"] and state["active"] is None
    status, state = call_handler(contest, "start", learner, {})
    responses.append(state)
    active = state["active"]
    assert status == 200 and active["count"] == 8 and len(active["questions"]) == 8
    assert 590 <= active["remaining_seconds"] <= 600
    for item in active["questions"]:
        question = Question.objects.get(pk=item["id"])
        if item["type"] in ("single", "multiple"):
            assert sorted(o["key"] for o in item["options"]) == ["A", "B", "C", "D"]
        status, saved = call_handler(contest, "answer", learner, {
            "attempt": active["id"], "question": item["id"], "response": correct_response(question)})
        responses.append(saved)
        assert status == 200 and saved["saved"]
    # A reload (or another device) resumes the same attempt with the saved responses.
    status, again = call_handler(contest, "start", learner, {})
    responses.append(again)
    assert again["active"]["id"] == active["id"] and again["active"]["answered"] == 8
    assert [q["id"] for q in again["active"]["questions"]] == [q["id"] for q in active["questions"]]
    page = get_block(contest, learner).student_view().content
    for found in (leaks(r) for r in responses):
        assert not found, found
    assert SECRET_EXPLANATION not in page and SECRET_BLANK not in page.lower()

    status, done = call_handler(contest, "submit", learner, {"attempt": active["id"]})
    assert status == 200 and done["active"] is None
    last = done["last"]
    assert last["score"] == last["max_score"] > 0 and last["correct_count"] == 8 and last["passed"]
    assert len(last["review"]) == 8 and SECRET_EXPLANATION in json.dumps(last["review"])  # now it may show
    board = done["leaderboard"]
    assert board["individual"]["me"]["rank"] == 1 and board["branch"]["me"]["name"] == "第一支部"
    grade = BlockEvent.objects.filter(user=learner, usage_id=contest, event_type="grade").get()
    assert grade.data == {"value": 5.0, "max_value": 5.0}
    assert BlockEvent.objects.filter(user=learner, usage_id=contest, event_type="completion").exists()
    # Submitting again changes nothing and publishes nothing new.
    status, twice = call_handler(contest, "submit", learner, {"attempt": active["id"]})
    assert status == 200 and twice["last"]["id"] == last["id"]
    assert BlockEvent.objects.filter(user=learner, usage_id=contest, event_type="grade").count() == 1
    assert learner.party_hour_entries.count() == 1


@pytest.mark.django_db
def test_every_learner_handler_output_is_free_of_answers_while_open(contest, make_user):
    """Every handler a learner may call, called while the attempt is open: nothing leaks."""
    learner = make_user("scan")
    _, state = call_handler(contest, "start", learner, {})
    attempt = state["active"]
    first = attempt["questions"][0]["id"]
    # A live game with its first question open, for the live handlers.
    host = make_user("scan-host", course_staff=True)
    game = call_handler(contest, "live_open", host, {})[1]["game"]
    assert call_handler(contest, "live_control", host, {"game": game, "action": "next"})[0] == 200
    calls = {
        "state": {}, "start": {}, "answer": {"attempt": attempt["id"], "question": first, "response": ["A"]},
        "next_question": {"attempt": attempt["id"]}, "live_join": {"game": game}, "live_state": {},
        "live_answer": {"game": game, "position": 0, "response": ["A"]},
    }
    cls = XBlock.load_class("knowledge_contest")
    learner_handlers = {name for name in dir(cls)
                        if getattr(getattr(cls, name), "required_role", None) in ("learner", "public")}
    assert learner_handlers == set(calls) | {"submit"}, "a new learner handler must be added to this scan"
    for name, data in calls.items():
        status, body = call_handler(contest, name, learner, data)
        assert status in (200, 400, 409), (name, status, body)
        assert not leaks(body), (name, leaks(body))
        status, body = call_handler(contest, name, learner, data, method="GET") if name == "state" else (0, {})
        assert not leaks(body)
    # Errors do not leak either (bad response, wrong question).
    for data in ({"attempt": attempt["id"], "question": first, "response": "x"},
                 {"attempt": attempt["id"], "question": 999999, "response": ["A"]}):
        status, body = call_handler(contest, "answer", learner, data)
        assert status in (400, 404) and not leaks(body)


@pytest.mark.django_db
def test_time_out_closes_the_attempt_on_next_request(contest, make_user):
    learner = make_user("late")
    _, state = call_handler(contest, "start", learner, {})
    attempt_id = state["active"]["id"]
    now = datetime.datetime.now(datetime.timezone.utc)
    ContestAttempt.objects.filter(pk=attempt_id).update(started=now - datetime.timedelta(minutes=10),
                                                        deadline=now - datetime.timedelta(seconds=1))
    status, body = call_handler(contest, "answer", learner, {
        "attempt": attempt_id, "question": state["active"]["questions"][0]["id"], "response": ["A"]})
    assert status == 409 and body["error"]
    assert ContestAttempt.objects.get(pk=attempt_id).status == "expired"
    assert BlockEvent.objects.filter(user=learner, usage_id=contest, event_type="grade").count() == 1


@pytest.mark.django_db
def test_roles_learner_cannot_reset_and_anonymous_cannot_play(contest, make_user):
    learner, other = make_user("l1"), make_user("l2")
    staff = make_user("staff1", course_staff=True)
    call_handler(contest, "start", other, {})
    status, _ = call_handler(contest, "reset_learner", learner, {"username": "l2"})
    assert status == 403
    assert ContestAttempt.objects.filter(user=other).exists()
    status, _ = call_handler(contest, "start", None, {})
    assert status == 403
    status, body = call_handler(contest, "reset_learner", staff, {"username": "l2"})
    assert status == 200 and body["removed"] == 1
    assert not ContestAttempt.objects.filter(user=other).exists()
    status, _ = call_handler(contest, "reset_learner", staff, {"username": "nobody"})
    assert status == 404


@pytest.mark.django_db
def test_learner_cannot_touch_another_learners_attempt(contest, make_user):
    owner, intruder = make_user("owner"), make_user("intruder")
    _, state = call_handler(contest, "start", owner, {})
    attempt = state["active"]
    status, _ = call_handler(contest, "answer", intruder, {
        "attempt": attempt["id"], "question": attempt["questions"][0]["id"], "response": ["A"]})
    assert status == 404
    status, _ = call_handler(contest, "submit", intruder, {"attempt": attempt["id"]})
    assert status == 404
    assert ContestAttempt.objects.get(pk=attempt["id"]).status == "active"


@pytest.mark.django_db
def test_bad_requests_get_clear_400s(contest, make_user):
    learner = make_user("bad")
    assert call_handler(contest, "answer", learner, "{not json")[0] == 400
    assert call_handler(contest, "answer", learner, {"attempt": "x", "question": 1})[0] == 400
    assert call_handler(contest, "submit", learner, {})[0] == 400


@pytest.mark.django_db
def test_saving_an_answer_runs_constant_queries(make_bank, make_user, make_org):
    """Same query count with a 10-question bank and 1 participant as with 400 questions and 40."""
    def measure(code, size, participants):
        make_bank(code, size=size)
        usage_id = load_block(contest_olx(url_name=f"q{code}", bank=code, count=8), unit=f"u{code}")
        org = make_org(f"O{code}")
        for n in range(participants - 1):
            user = make_user(f"{code}p{n}", org=org)
            _, state = call_handler(usage_id, "start", user, {})
            item = state["active"]["questions"][0]
            call_handler(usage_id, "answer", user, {"attempt": state["active"]["id"], "question": item["id"],
                                                    "response": [item["options"][0]["key"]] if item["options"]
                                                    else ["x"]})
        me = make_user(f"{code}me", org=org)
        _, state = call_handler(usage_id, "start", me, {})
        counts = []
        for item in state["active"]["questions"][:4]:
            response = [item["options"][0]["key"]] if item["options"] else ["some text"]
            status, queries = handler_queries(usage_id, "answer", me, {"attempt": state["active"]["id"],
                                                                       "question": item["id"], "response": response})
            assert status == 200
            counts.append((len(queries), len([q for q in queries if "party_training_" in q])))
        return counts
    small = measure("small", 10, 1)
    large = measure("large", 400, 40)
    # The whole request is constant and at most 5: the session with the user and role (one query), the locked
    # attempt read with its question, one upsert, and the transaction's two statements (a savepoint
    # here, BEGIN/COMMIT in production).
    assert small == large, (small, large)
    assert all(total <= 5 and ours <= 2 for total, ours in large), large


@pytest.mark.django_db
def test_olx_round_trip_keeps_rules_points_and_settings(make_bank):
    make_bank("bank", size=4)
    olx = ('<knowledge_contest url_name="rt" display_name="党章竞赛" time_limit_minutes="12" question_seconds="30" '
           'window_start="2026-05-01T00:00:00Z" window_end="2026-05-08T00:00:00Z" max_attempts="3" counting="last" '
           'shuffle_options="false" speed_bonus="2.5" show_explanations="after_window" leaderboard_branch="total" '
           'leaderboard_size="10" leaderboard_anonymous="true" pass_percent="80" hours="1.5" hours_when="finish" '
           'weight="2">'
           '<intro>竞赛说明 &lt;b&gt;</intro>'
           '<draw bank="bank" category="纪律" difficulty="hard" count="2"/><draw bank="bank" count="3"/>'
           '<points single="1" multiple="3" true_false="0.5" fill_blank="2"/></knowledge_contest>')
    usage_id = load_block(olx)
    block = get_block(usage_id)
    assert block.draw_rules[0] == {"bank": "bank", "category": "纪律", "difficulty": "hard", "count": 2}
    assert block.points["multiple"] == 3.0 and block.question_seconds == 30 and not block.shuffle_options
    assert block.intro == "竞赛说明 <b>"
    first = export_olx(usage_id)
    node = etree.fromstring(first)
    node.set("url_name", "rt2")
    second = export_olx(load_block(etree.tostring(node, encoding="unicode")))
    assert first.replace("rt2", "rt") == second.replace("rt2", "rt")
    config = get_block(usage_id).config()
    assert config.draw_rules[0].difficulty == 3 and config.window_end.year == 2026


@pytest.mark.django_db
def test_studio_editor_validates_rules_and_limits(make_bank, make_user):
    make_bank("bank", size=4)
    usage_id = load_block(contest_olx(count=2))
    staff = make_user("author", course_staff=True)
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "draw_rules": json.dumps([{"bank": "bank", "count": 9}]), "time_limit_minutes": 0,
        "points": json.dumps({"single": 1}), "show_explanations": "after_window"}})
    assert status == 400
    assert set(body["fields"]) >= {"draw_rules", "time_limit_minutes", "points", "show_explanations"}
    status, body = call_handler(usage_id, "studio_submit", staff, {"values": {
        "draw_rules": json.dumps([{"bank": "missing", "count": 1}])}})
    assert status == 400 and "missing" in body["fields"]["draw_rules"]
    status, _ = call_handler(usage_id, "studio_submit", staff, {"values": {
        "draw_rules": json.dumps([{"bank": "bank", "count": 3, "difficulty": "Medium"}])}})
    assert status == 400 and "第 1 行" in body["fields"]["draw_rules"]  # only the listed difficulties
    status, _ = call_handler(usage_id, "studio_submit", staff, {"values": {
        "draw_rules": json.dumps([{"bank": "bank", "count": 3, "difficulty": "medium"}]), "time_limit_minutes": 15}})
    assert status == 200
    block = get_block(usage_id)
    assert block.draw_rules == [{"bank": "bank", "category": "", "difficulty": "medium", "count": 3}]
    assert block.time_limit_minutes == 15
    learner = make_user("notauthor")
    assert call_handler(usage_id, "studio_submit", learner, {"values": {"time_limit_minutes": 1}})[0] == 403


@pytest.mark.django_db
def test_user_text_is_escaped_on_the_page_and_sent_as_data(make_bank, make_user, client):
    bank = make_bank("bank", size=0)
    for index in range(2):
        make_question(bank, "single", stem=f'</script><script>alert({index})</script><img src=x onerror=alert(9)>',
                      index=index,
                      options=['<script>alert("o")</script>', "b", "c", "d"])
    usage_id = load_block('<knowledge_contest url_name="xss" display_name="&lt;script&gt;alert(1)&lt;/script&gt;">'
                          '<intro>&lt;img src=x onerror=alert(2)&gt;</intro><draw bank="bank" count="2"/>'
                          '</knowledge_contest>', unit="xssunit")
    learner = make_user("xss")
    call_handler(usage_id, "start", learner, {})
    client.force_login(learner)
    html = client.get(f"/courses/{COURSE_ID}/unit/xssunit/").content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x onerror=alert(2)>" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    # Question texts are not in the page at all: they travel as JSON from the state handler and
    # the script puts them in with textContent.
    assert "alert(0)" not in html and "onerror=alert(9)" not in html
    status, state = call_handler(usage_id, "state", learner, {})
    assert status == 200 and state["active"]["questions"][0]["stem"].startswith("</script>")


@pytest.mark.django_db
def test_staff_sees_links_learner_does_not(contest, make_user, client):
    unit = CourseUnit.objects.get(course_id=COURSE_ID, url_name="unit1")
    client.force_login(make_user("plain"))
    assert "/party-training/contest/" not in client.get(f"/courses/{COURSE_ID}/unit/{unit.url_name}/").content.decode()
    client.force_login(make_user("teacher", course_staff=True))
    page = client.get(f"/courses/{COURSE_ID}/unit/{unit.url_name}/").content.decode()
    assert "/party-training/contest/banks/" in page and "/live/" in page


@pytest.mark.django_db
def test_anonymous_leaderboard_hides_other_names(make_bank, make_user):
    make_bank("bank", size=4)
    usage_id = load_block(contest_olx(url_name="anon", leaderboard_anonymous="true"))
    for name in ("alice", "bob"):
        user = make_user(name, full_name=name)
        _, state = call_handler(usage_id, "start", user, {})
        _, done = call_handler(usage_id, "submit", user, {"attempt": state["active"]["id"]})
    names = [row["name"] for row in done["leaderboard"]["individual"]["top"]]
    assert "alice" not in names and "bob" not in names
    assert ContestResult.objects.filter(usage_id=usage_id).count() == 2


@pytest.mark.django_db
def test_answers_held_back_after_submit_until_the_window_closes(make_bank, make_user):
    make_bank("bank", size=8)
    usage_id = load_block(contest_olx(url_name="later", show_explanations="after_window",
                                      window_end="2099-01-01T00:00:00Z"))
    learner = make_user("later")
    _, state = call_handler(usage_id, "start", learner, {})
    status, done = call_handler(usage_id, "submit", learner, {"attempt": state["active"]["id"]})
    assert status == 200 and done["last"]["review"] is None and done["last"]["review_from"].startswith("2099")
    assert not leaks(done)
    assert not leaks(call_handler(usage_id, "state", learner, {})[1])


@pytest.mark.django_db
@pytest.mark.parametrize("attribute, value", [
    ("time_limit_minutes", "abc"), ("max_attempts", "500"), ("counting", "worst"), ("shuffle_options", "maybe"),
    ("credit_hours", "101"), ("hours", "-1"), ("window_end", "next week"),
])
def test_olx_attribute_with_a_bad_value_names_the_field_and_the_value(attribute, value):
    with pytest.raises(OLXError) as info:
        load_block(contest_olx(url_name="bad", **{attribute: value}))
    assert info.value.field_name == attribute and info.value.value == value
    assert attribute in str(info.value) and value in str(info.value) and "knowledge_contest" in str(info.value)


@pytest.mark.django_db
@pytest.mark.parametrize("child", ['<draw bank="bank" count="many"/>', '<draw bank="bank" count="0"/>',
                                   '<draw bank="bank" count="1" difficulty="tricky"/>',
                                   '<points single="one"/>', '<points multiple="500"/>'])
def test_olx_draw_rule_or_points_with_a_bad_value_is_refused(child):
    with pytest.raises(OLXError) as info:
        load_block(f'<knowledge_contest url_name="bad">{child}</knowledge_contest>')
    assert info.value.field_name.split(".")[0] in ("draw", "points")


@pytest.mark.django_db
def test_old_hours_attribute_and_stored_hours_still_give_credit_hours():
    usage_id = load_block(contest_olx(url_name="old", hours="2"))
    block = get_block(usage_id)
    assert block.credit_hours == 2.0 and block.credit_hours_value() == Decimal("2") and block.config().hours == 2.0
    exported = etree.fromstring(export_olx(usage_id))
    assert float(exported.get("credit_hours")) == 2.0 and exported.get("hours") is None
    # A block saved before the rename keeps its hours in the old field's stored value.
    legacy = load_block(contest_olx(url_name="legacy"))
    block = get_block(legacy)
    block.hours = 1.5
    block.save()
    assert get_block(legacy).config().hours == 1.5
