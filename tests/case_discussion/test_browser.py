"""Case discussion (case_discussion) in Chromium, the issue's scenario: two learners post; the second
sees the first only after posting, and replies; the instructor grades with the rubric and features
an analysis; desktop and 390 px phone screenshots."""
import pytest

from party_training.edx_plugin.case_discussion.models import CaseAnalysis, CaseGrade
from tests.conftest import COURSE_ID, load_block, login, screenshot

from .conftest import graded_olx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = ["村规民约修订走了过场，群众参与不足，根子在于形式主义。", "我们支部要把征求意见落到每一户。"]
SECOND = ["问题在于干部包办代替，没有发挥党员带头作用。", "要建立党员联系户制度，让群众说话。"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def write_and_post(page, answers):
    for number, text in enumerate(answers):
        page.fill(f"textarea[data-answer='{number}']", text)
    with page.expect_response(lambda r: r.url.endswith("/submit") and r.request.method == "POST") as posted:
        page.click("button[data-action=submit]")
    assert posted.value.ok
    page.wait_for_selector(".party-case__posted:not([hidden])")


def test_post_first_reply_grade_and_feature(browser, live_server, make_user, make_org):
    usage = load_block(graded_olx("cd_browser"), unit="case_unit")
    branch = make_org("CB-B1", "第一支部", "branch")
    make_user("learner_one", org=branch, full_name="李红")
    make_user("learner_two", org=branch, full_name="王强")
    make_user("teacher_cd", course_staff=True, full_name="赵老师")
    unit_url = f"{live_server.url}/courses/{COURSE_ID}/unit/case_unit/"

    first = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    login(first, live_server.url, "learner_one")
    first.goto(unit_url)
    first.wait_for_selector(".party-case__editor:not([hidden])")
    assert first.is_visible(".party-case__locked")
    write_and_post(first, FIRST)

    second = browser.new_context(**PHONE).new_page()
    login(second, live_server.url, "learner_two")
    second.goto(unit_url)
    second.wait_for_selector(".party-case__editor:not([hidden])")
    assert second.is_visible(".party-case__locked")
    assert FIRST[0] not in second.content()  # not before posting
    screenshot(second, "case_discussion_learner_before_posting_phone")
    write_and_post(second, SECOND)
    second.wait_for_selector(f"article.party-case__card:has-text('{FIRST[0]}')")
    card = second.locator("article.party-case__card", has_text=FIRST[0])
    card.locator("button.party-case__like").click()
    second.wait_for_selector("button.party-case__like[aria-pressed=true]")
    card.locator("button[aria-expanded]").click()
    card.locator(".party-case__reply-form textarea").fill("赞同！联系户制度可以试点。")
    card.locator(".party-case__reply-form button[type=submit]").click()
    second.wait_for_selector(".party-case__reply:has-text('联系户制度可以试点')")
    screenshot(second, "case_discussion_learner_phone")
    first_post = CaseAnalysis.objects.get(usage_id=usage, author__username="learner_one")
    assert first_post.like_count == 1 and first_post.reply_count == 1

    teacher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(teacher, live_server.url, "teacher_cd")
    teacher.goto(unit_url)
    teacher.wait_for_selector(".party-case__staff table")
    teacher.click(".party-case__staff button:has-text('查看分析'), .party-case__staff button:has-text('Show posts')")
    staff_card = teacher.locator(".party-case__staff-posts article", has_text=FIRST[0])
    staff_card.wait_for()
    staff_card.locator("input[type=radio][data-criterion='0'][value='0']").check()
    staff_card.locator("input[type=radio][data-criterion='1'][value='1']").check()
    staff_card.locator(".party-case__grade-form textarea").fill("分析深入，建议更具体。")
    staff_card.locator(".party-case__grade-form button[type=submit]").click()
    teacher.wait_for_selector(".party-case__staff-posts .party-message--success")
    assert CaseGrade.objects.get(usage_id=usage, user__username="learner_one").score == 80
    staff_card.locator("button:has-text('设为优秀'), button:has-text('Feature')").first.click()
    teacher.wait_for_selector(".party-case__staff-posts article.is-featured")
    screenshot(teacher, "case_discussion_staff_desktop")

    first.reload()
    first.wait_for_selector(".party-case__grade:not([hidden])")
    assert "80" in first.text_content(".party-case__score")
    first.wait_for_selector(".party-case__featured:not([hidden])")
    assert SECOND[0] in first.content()
    screenshot(first, "case_discussion_learner_desktop")
