"""The post-first rule and group boundaries hold at the handler level (case_discussion): every
learner handler is called in every state, and every response is searched for what the learner
must not get (peers' analyses before posting, other groups' analyses, hidden analyses, and the
replies under them). Staff handlers refuse learners."""
import json

import pytest
from xblock.core import XBlock

from party_training.edx_plugin.case_discussion.models import CaseAnalysis
from tests.conftest import call_handler, load_block
from tests.case_discussion.conftest import case_olx, post

pytestmark = pytest.mark.django_db

PEER, OTHER_GROUP, HIDDEN, PEER_REPLY = "同组同志的分析MARK-PEER", "外支部的分析MARK-OTHER", "被隐藏的分析MARK-HIDDEN", "回复MARK-REPLY"
SECRETS = (OTHER_GROUP, HIDDEN, "蔡明", "丁一")  # never, in any state
BEFORE_POSTING = SECRETS + (PEER, PEER_REPLY, "本杰")  # also not before the learner posted


@pytest.fixture
def world(people, make_user, tree):
    """A branch-grouped discussion: ben (same branch as ann) posted and replied under it; cai (other
    branch) posted; ding (same branch) posted and staff hid it."""
    usage_id = load_block(case_olx("acl", grouping="branch", extra='edit_window_minutes="60"'))
    ding = make_user("ding", org=tree["b1"], full_name="丁一")
    post(usage_id, people["b"], [PEER, "第二题的回答内容"])
    post(usage_id, people["c"], [OTHER_GROUP, "第二题的回答内容"])
    post(usage_id, ding, [HIDDEN, "第二题的回答内容"])
    ids = {a.author_id: a.pk for a in CaseAnalysis.objects.filter(usage_id=usage_id)}
    assert call_handler(usage_id, "reply", people["b"], {"analysis_id": ids[people["b"].pk], "text": PEER_REPLY})[0] == 200
    assert call_handler(usage_id, "moderate", people["staff"], {
        "analysis_id": ids[ding.pk], "action": "hide", "reason": "与案例无关"})[0] == 200
    return {"usage_id": usage_id, "peer": ids[people["b"].pk], "other": ids[people["c"].pk], "hidden": ids[ding.pk]}


def learner_calls(world):
    """Every learner handler, with each analysis id it can be aimed at."""
    targets = [world["peer"], world["other"], world["hidden"]]
    answers = {"answers": ["我的分析：问题在于学用脱节。", "启示：要联系实际。"]}
    return {
        "state": [("GET", {})],
        "save_draft": [("POST", {**answers, "revision": 0})],
        "submit": [("POST", answers)],
        "edit": [("POST", answers)],
        "feed": [("GET", {"page": "1"}), ("GET", {"page": "2"})],
        "replies": [("GET", {"analysis_id": str(t)}) for t in targets],
        "reply": [("POST", {"analysis_id": t, "text": "学习了"}) for t in targets],
        "like": [("POST", {"analysis_id": t}) for t in targets],
    }


def test_every_learner_handler_in_every_state_leaks_nothing(world, people):
    learner_handlers = {name for name in dir(XBlock.load_class("case_discussion"))
                        if getattr(getattr(XBlock.load_class("case_discussion"), name), "required_role", "") == "learner"}
    calls = learner_calls(world)
    assert set(calls) == learner_handlers, "a learner handler is not covered by this test"
    usage_id, ann = world["usage_id"], people["a"]
    for state, forbidden in (("not posted", BEFORE_POSTING), ("posted", SECRETS)):
        for handler, variants in calls.items():
            if handler == "submit" and state == "not posted":
                continue  # posting changes the state: done below, between the two rounds
            for method, data in variants:
                status, body = call_handler(usage_id, handler, ann, data, method=method)
                text = json.dumps(body, ensure_ascii=False)
                leaked = [s for s in forbidden if s in text]
                assert not leaked, (state, handler, data, status, leaked)
                if state == "not posted" and handler in ("feed", "replies", "reply", "like"):
                    assert status == 403, (handler, status, body)
                if state == "posted" and str(data.get("analysis_id")) in (str(world["other"]), str(world["hidden"])):
                    assert status == 404, (state, handler, status)
        if state == "not posted":
            status, body = call_handler(usage_id, "submit", ann, calls["submit"][0][1])
            assert status == 200 and not [s for s in BEFORE_POSTING if s in json.dumps(body, ensure_ascii=False)]
    # After posting, the peer of the same group (and the reply under it) is there.
    state = json.dumps(call_handler(usage_id, "state", ann, method="GET")[1], ensure_ascii=False)
    assert PEER in state and "本杰" in state
    assert PEER_REPLY in json.dumps(call_handler(usage_id, "replies", ann, {"analysis_id": str(world["peer"])},
                                                 method="GET")[1], ensure_ascii=False)


def test_the_author_of_a_hidden_analysis_sees_it_and_the_reason(world, make_user, tree):
    ding = CaseAnalysis.objects.get(pk=world["hidden"]).author
    status, body = call_handler(world["usage_id"], "state", ding, method="GET")
    assert body["mine"]["hidden"] and body["mine"]["hidden_reason"] == "与案例无关"
    assert world["hidden"] not in [a["id"] for a in body["feed"]["analyses"]]


def test_an_open_discussion_shows_the_group_before_posting_but_never_other_groups(people):
    usage_id = load_block(case_olx("open", mode="open", grouping="branch"))
    post(usage_id, people["b"], [PEER, "第二题的回答内容"])
    post(usage_id, people["c"], [OTHER_GROUP, "第二题的回答内容"])
    text = json.dumps(call_handler(usage_id, "state", people["a"], method="GET")[1], ensure_ascii=False)
    assert PEER in text and OTHER_GROUP not in text


def test_staff_handlers_refuse_learners_and_anonymous(world, people):
    cls = XBlock.load_class("case_discussion")
    staff_handlers = [n for n in dir(cls) if getattr(getattr(cls, n), "required_role", "") == "staff"]
    assert {"staff_overview", "staff_posts", "staff_replies", "moderate", "grade", "summary", "move", "export",
            "studio_submit"} <= set(staff_handlers)
    for name in staff_handlers:
        for who in (people["a"], None):
            status, body = call_handler(world["usage_id"], name, who, {"analysis_id": world["peer"], "action": "hide",
                                                                       "reason": "x", "user_id": people["b"].pk})
            assert status == 403, (name, status)
    assert not CaseAnalysis.objects.get(pk=world["peer"]).hidden
